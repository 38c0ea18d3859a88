/* Risk figures over a communicator (summary.h): the arithmetic of risk.c on a sample split over
 * the ranks in whole MCR_CHUNK_PATHS chunks; one rank is the single-process case.
 *
 * Sums: each rank computes the partial sums of its own chunks with mcr_chunk_moment, the partials
 * are allgathered (one double per chunk) and every rank adds them in chunk order from 0.0.
 *
 * Order statistics: to find the k-th smallest value, each rank keeps its own k smallest, maps
 * them to integer keys that sort like the doubles, and the ranks bisect on the key (64 rounds of
 * an allreduce of one count) for the smallest key T with k values <= T over all ranks. For VaR
 * and CVaR (the m smallest values, m = mcr_tail_count), each rank then sends rank 0 only its
 * values below T; rank 0 pads them with copies of T to m values, sorts them and runs risk.c's own
 * tail code. Rank 0 receives fewer than m values (about n (1 - lowest level)) whatever the number
 * of ranks; no rank ever holds more than its own share of the sample. */
#include "summary.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "risk.h"
#include "select.h"

/* Sum of (x - shift)^power over the whole sample, x[0..count) being this rank's values: chunk
 * partials allgathered and added in chunk order from 0.0. partial holds n_chunks doubles. */
static double chunked_moment(const mcr_comm *c, const mcr_share *sh, const double *x,
                             double shift, int power, double *partial)
{
    double *mine = partial + sh->chunk_first[c->rank];
    for (int k = 0; k < sh->chunk_count[c->rank]; k++) {
        uint64_t at = (uint64_t)k * MCR_CHUNK_PATHS;
        uint64_t len = sh->count - at < MCR_CHUNK_PATHS ? sh->count - at : MCR_CHUNK_PATHS;
        mine[k] = mcr_chunk_moment(x + at, len, shift, power);
    }
    c->ops->allgatherv_f64(c, partial, sh->chunk_count, sh->chunk_first);
    double total = 0.0;
    for (int k = 0; k < sh->n_chunks; k++)
        total += partial[k];
    return total;
}

/* An unsigned key in the order of the doubles (negatives flipped, positives offset); -0 sorts
 * just before +0, which compare equal as doubles, so either order gives the same figures. */
static uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double value_of(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static int compare_keys(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Keys in sorted[0..n) that are < t (below) or <= t (!below). */
static uint64_t count_keys(const uint64_t *sorted, uint64_t n, uint64_t t, bool below)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (below ? sorted[mid] < t : sorted[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool all_ok(const mcr_comm *c, bool ok)
{
    int32_t v = ok;
    c->ops->allreduce(c, &v, 1, MCR_COMM_I32, MCR_COMM_MIN);
    return v;
}

/* This rank's min(k, count) smallest values of x (of -x when `negate`), as sorted keys. */
static uint64_t smallest_keys(const mcr_share *sh, const double *x, uint64_t k, bool negate,
                              double *scratch, uint64_t *keys)
{
    uint64_t local = sh->count < k ? sh->count : k;
    if (local > 0) /* the candidates (select.h), then the local smallest among them */
        mcr_select_smallest(scratch,
                            (int64_t)mcr_select_candidates(x, sh->count, local, negate, scratch),
                            (int64_t)local);
    for (uint64_t i = 0; i < local; i++)
        keys[i] = key_of(scratch[i]);
    qsort(keys, (size_t)local, sizeof *keys, compare_keys);
    return local;
}

/* The k-th smallest key of the whole sample, from every rank's smallest_keys(.., k, ..): the
 * smallest T with at least k keys <= T, by bisection over the 64-bit keys. A rank's candidates
 * include all of its keys among the k smallest of the sample, so counting over the candidates
 * decides every comparison with T as counting over the sample would. */
static uint64_t kth_key(const mcr_comm *c, const uint64_t *keys, uint64_t local, uint64_t k)
{
    uint64_t lo = 0, hi = UINT64_MAX;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (mcr_comm_sum_u64(c, count_keys(keys, local, mid, false)) >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The m smallest values of the whole sample, sorted, on rank 0 (sorted may be NULL elsewhere):
 * every rank sends rank 0 its candidates below the m-th smallest key T, fewer than m in all,
 * and rank 0 pads with copies of T (ties have the same key, hence the same value). */
static void gather_tail(const mcr_comm *c, const uint64_t *keys, uint64_t local, uint64_t m,
                        uint64_t *sorted)
{
    uint64_t t = kth_key(c, keys, local, m);
    int below = (int)count_keys(keys, local, t, true);
    uint64_t total = c->ops->gather_u64(c, keys, below, sorted);
    if (c->rank == 0) {
        for (uint64_t i = total; i < m; i++)
            sorted[i] = t;
        qsort(sorted, (size_t)total, sizeof *sorted, compare_keys);
    }
}

bool mcr_risk_summary(const mcr_comm *c, const mcr_share *sh, const double *pnl,
                      const double *levels, int n_levels, double *scratch, mcr_summary *out)
{
    const uint64_t n = sh->paths;
    double *partial = malloc((size_t)(sh->n_chunks ? sh->n_chunks : 1) * sizeof *partial);
    if (!all_ok(c, partial)) {
        free(partial);
        return false;
    }
    double mean = chunked_moment(c, sh, pnl, 0.0, 1, partial) / (double)n;
    double ss = chunked_moment(c, sh, pnl, mean, 2, partial);
    free(partial);

    mcr_summary_from_moments(out, n, mean, ss, n_levels);
    if (n_levels == 0)
        return true;

    uint64_t m = mcr_tail_count(n, levels, n_levels);
    uint64_t *keys = malloc((sh->count < m ? sh->count : m) * sizeof *keys + 1);
    bool root = c->rank == 0;
    uint64_t *sorted = root ? malloc(m * sizeof *sorted) : NULL;
    double *values = root ? malloc(m * sizeof *values) : NULL;
    bool ok = all_ok(c, keys && (!root || (sorted && values)) && m <= INT_MAX);
    if (ok) {
        uint64_t local = smallest_keys(sh, pnl, m, false, scratch, keys);
        gather_tail(c, keys, local, m, sorted);
        if (root) {
            for (uint64_t i = 0; i < m; i++)
                values[i] = value_of(sorted[i]);
            mcr_risk_tail(values, n, m, levels, n_levels, out->risk);
        }
        c->ops->bcast(c, out->risk, (size_t)n_levels * sizeof out->risk[0], 0);
    }
    free(keys);
    free(sorted);
    free(values);
    return ok;
}

void mcr_risk_summarize(const double *pnl, uint64_t n, const double *levels, int n_levels,
                        double *scratch, mcr_summary *out)
{
    const mcr_comm *c = mcr_comm_serial();
    mcr_share sh;
    if (!mcr_share_init(&sh, c, n) ||
        !mcr_risk_summary(c, &sh, pnl, levels, n_levels, scratch, out)) {
        memset(out, 0, sizeof *out); /* out of memory: no figures */
        out->n_levels = 0;
    }
    mcr_share_free(&sh);
}

/* The k-th smallest value of the whole sample (k in [1, n]). */
static double kth_value(const mcr_comm *c, const mcr_share *sh, const double *x, uint64_t k,
                        double *scratch, uint64_t *keys)
{
    /* past the middle, the (n + 1 - k)-th largest: fewer candidates (negation is exact) */
    bool upper = k > sh->paths / 2;
    uint64_t j = upper ? sh->paths + 1 - k : k;
    uint64_t local = smallest_keys(sh, x, j, upper, scratch, keys);
    double v = value_of(kth_key(c, keys, local, j));
    return upper ? -v : v;
}

bool mcr_kth_smallest(const mcr_comm *c, const double *x, uint64_t count, uint64_t total,
                      uint64_t k, double *scratch, double *out)
{
    mcr_share part = {.paths = total, .count = count};
    bool upper = k > total / 2;
    uint64_t j = upper ? total + 1 - k : k;
    uint64_t *keys = malloc((count < j ? count : j) * sizeof *keys + 1);
    if (!all_ok(c, keys)) {
        free(keys);
        return false;
    }
    *out = kth_value(c, &part, x, k, scratch, keys);
    free(keys);
    return true;
}

bool mcr_risk_histogram(const mcr_comm *c, const mcr_share *sh, const double *pnl,
                        double *scratch, mcr_histogram *h)
{
    const uint64_t n = sh->paths;
    uint64_t k_lo, k_hi;
    mcr_histogram_ranks(n, &k_lo, &k_hi);
    uint64_t most = k_lo > n + 1 - k_hi ? k_lo : n + 1 - k_hi;
    uint64_t *keys = malloc((sh->count < most ? sh->count : most) * sizeof *keys + 1);
    if (!all_ok(c, keys)) {
        free(keys);
        return false;
    }
    double lo = kth_value(c, sh, pnl, k_lo, scratch, keys);
    double hi = kth_value(c, sh, pnl, k_hi, scratch, keys);
    free(keys);
    mcr_histogram_fill(h, lo, hi, pnl, sh->count); /* this rank's share, then the sums */
    c->ops->allreduce(c, h->counts, MCR_HIST_BINS, MCR_COMM_U64, MCR_COMM_SUM);
    uint64_t out_of_range[2] = {h->underflow, h->overflow};
    c->ops->allreduce(c, out_of_range, 2, MCR_COMM_U64, MCR_COMM_SUM);
    h->underflow = out_of_range[0];
    h->overflow = out_of_range[1];
    return true;
}
