/* Distributed risk figures (risk_mpi.h): the same arithmetic as risk.c and run.c on a sample
 * split over MPI ranks in whole MCR_SUM_CHUNK chunks.
 *
 * Sums: each rank computes the partial sums of its own chunks with mcr_chunk_moment, the partials
 * are allgathered (one double per chunk) and every rank adds them in chunk order from 0.0, which is
 * exactly mcr_chunked_moment on the whole sample.
 *
 * Order statistics: to find the k-th smallest value, each rank keeps its own k smallest, maps
 * them to integer keys that sort like the doubles, and the ranks bisect on the key (64 rounds of
 * an allreduce of one count) for the smallest key T with k values <= T over all ranks. For VaR
 * and CVaR (the m smallest values, m = mcr_tail_count), each rank then sends rank 0 only its
 * values below T; rank 0 pads them with copies of T to m values, sorts them and runs risk.c's own
 * tail code. Rank 0 receives fewer than m values (about n (1 - lowest level)) whatever the number
 * of ranks; no rank ever holds more than its own share of the sample. */
#include "risk_mpi.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "risk.h"

bool mcr_mpi_share_init(mcr_mpi_share *s, MPI_Comm comm, uint64_t paths)
{
    memset(s, 0, sizeof *s);
    s->comm = comm;
    MPI_Comm_rank(comm, &s->rank);
    MPI_Comm_size(comm, &s->size);
    s->paths = paths;
    uint64_t chunks = (paths + MCR_SUM_CHUNK - 1) / MCR_SUM_CHUNK;
    if (chunks > INT_MAX)
        return false;
    s->n_chunks = (int)chunks;
    s->chunk_count = malloc((size_t)s->size * sizeof *s->chunk_count);
    s->chunk_first = malloc((size_t)s->size * sizeof *s->chunk_first);
    s->partial = malloc((chunks ? chunks : 1) * sizeof *s->partial);
    if (!s->chunk_count || !s->chunk_first || !s->partial) {
        mcr_mpi_share_free(s);
        return false;
    }
    for (int r = 0; r < s->size; r++) {
        int64_t lo = (int64_t)r * s->n_chunks / s->size;
        int64_t hi = (int64_t)(r + 1) * s->n_chunks / s->size;
        s->chunk_first[r] = (int)lo;
        s->chunk_count[r] = (int)(hi - lo);
    }
    uint64_t first = (uint64_t)s->chunk_first[s->rank] * MCR_SUM_CHUNK;
    uint64_t end = first + (uint64_t)s->chunk_count[s->rank] * MCR_SUM_CHUNK;
    s->first = first < paths ? first : paths;
    s->count = (end < paths ? end : paths) - s->first;
    return true;
}

void mcr_mpi_share_free(mcr_mpi_share *s)
{
    free(s->chunk_count);
    free(s->chunk_first);
    free(s->partial);
    s->chunk_count = s->chunk_first = NULL;
    s->partial = NULL;
}

double mcr_mpi_chunked_moment(const mcr_mpi_share *s, const double *x, double shift, int power)
{
    double *mine = s->partial + s->chunk_first[s->rank];
    for (int c = 0; c < s->chunk_count[s->rank]; c++) {
        uint64_t at = (uint64_t)c * MCR_SUM_CHUNK;
        uint64_t len = s->count - at < MCR_SUM_CHUNK ? s->count - at : MCR_SUM_CHUNK;
        mine[c] = mcr_chunk_moment(x + at, len, shift, power);
    }
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, s->partial, s->chunk_count,
                   s->chunk_first, MPI_DOUBLE, s->comm);
    double total = 0.0; /* as mcr_chunked_moment: from 0.0, in chunk order */
    for (int c = 0; c < s->n_chunks; c++)
        total += s->partial[c];
    return total;
}

uint64_t mcr_mpi_sum_u64(const mcr_mpi_share *s, uint64_t local)
{
    uint64_t total = 0;
    MPI_Allreduce(&local, &total, 1, MPI_UINT64_T, MPI_SUM, s->comm);
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

static bool all_ok(const mcr_mpi_share *s, bool ok)
{
    int mine = ok, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, s->comm);
    return all;
}

/* This rank's min(k, count) smallest values of x (of -x when `negate`), as sorted keys. */
static uint64_t smallest_keys(const mcr_mpi_share *s, const double *x, uint64_t k, bool negate,
                              double *scratch, uint64_t *keys)
{
    uint64_t local = s->count < k ? s->count : k;
    for (uint64_t i = 0; i < s->count; i++)
        scratch[i] = negate ? -x[i] : x[i];
    mcr_select_smallest(scratch, (int64_t)s->count, (int64_t)local);
    for (uint64_t i = 0; i < local; i++)
        keys[i] = key_of(scratch[i]);
    qsort(keys, (size_t)local, sizeof *keys, compare_keys);
    return local;
}

/* The k-th smallest key of the whole sample, from every rank's smallest_keys(.., k, ..): the
 * smallest T with at least k keys <= T, by bisection over the 64-bit keys. A rank's candidates
 * include all of its keys among the k smallest of the sample, so counting over the candidates
 * decides every comparison with T as counting over the sample would. */
static uint64_t kth_key(const mcr_mpi_share *s, const uint64_t *keys, uint64_t local, uint64_t k)
{
    uint64_t lo = 0, hi = UINT64_MAX;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (mcr_mpi_sum_u64(s, count_keys(keys, local, mid, false)) >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The m smallest values of the whole sample, sorted, on rank 0 (sorted may be NULL elsewhere):
 * every rank sends rank 0 its candidates below the m-th smallest key T, fewer than m in all,
 * and rank 0 pads with copies of T (ties have the same key, hence the same value). */
static void gather_tail(const mcr_mpi_share *s, const uint64_t *keys, uint64_t local, uint64_t m,
                        uint64_t *sorted, int *counts, int *displs)
{
    uint64_t t = kth_key(s, keys, local, m);
    int below = (int)count_keys(keys, local, t, true);
    MPI_Gather(&below, 1, MPI_INT, counts, 1, MPI_INT, 0, s->comm);
    int total = 0;
    if (s->rank == 0)
        for (int r = 0; r < s->size; r++) {
            displs[r] = total;
            total += counts[r];
        }
    MPI_Gatherv(keys, below, MPI_UINT64_T, sorted, counts, displs, MPI_UINT64_T, 0, s->comm);
    if (s->rank == 0) {
        for (uint64_t i = (uint64_t)total; i < m; i++)
            sorted[i] = t;
        qsort(sorted, (size_t)total, sizeof *sorted, compare_keys);
    }
}

bool mcr_mpi_risk_summarize(const mcr_mpi_share *s, const double *pnl, const double *levels,
                            int n_levels, double *scratch, mcr_summary *out)
{
    const uint64_t n = s->paths;
    double mean = mcr_mpi_chunked_moment(s, pnl, 0.0, 1) / (double)n;
    double ss = mcr_mpi_chunked_moment(s, pnl, mean, 2);

    mcr_summary_from_moments(out, n, mean, ss, n_levels);
    if (n_levels == 0)
        return true;

    uint64_t m = mcr_tail_count(n, levels, n_levels);
    uint64_t *keys = malloc((s->count < m ? s->count : m) * sizeof *keys + 1);
    bool root = s->rank == 0;
    uint64_t *sorted = root ? malloc(m * sizeof *sorted) : NULL;
    double *values = root ? malloc(m * sizeof *values) : NULL;
    int *counts = root ? malloc((size_t)s->size * sizeof *counts) : NULL;
    int *displs = root ? malloc((size_t)s->size * sizeof *displs) : NULL;
    bool ok = all_ok(s, keys && (!root || (sorted && values && counts && displs)) &&
                            m <= INT_MAX);
    if (ok) {
        uint64_t local = smallest_keys(s, pnl, m, false, scratch, keys);
        gather_tail(s, keys, local, m, sorted, counts, displs);
        if (root) {
            for (uint64_t i = 0; i < m; i++)
                values[i] = value_of(sorted[i]);
            mcr_risk_tail(values, n, m, levels, n_levels, out->risk);
        }
        MPI_Bcast(out->risk, n_levels * (int)sizeof out->risk[0], MPI_BYTE, 0, s->comm);
    }
    free(keys);
    free(sorted);
    free(values);
    free(counts);
    free(displs);
    return ok;
}

/* The k-th smallest value of the whole sample (k in [1, n]). */
static double kth_value(const mcr_mpi_share *s, const double *x, uint64_t k, double *scratch,
                        uint64_t *keys)
{
    /* past the middle, the (n + 1 - k)-th largest: fewer candidates (negation is exact) */
    bool upper = k > s->paths / 2;
    uint64_t j = upper ? s->paths + 1 - k : k;
    uint64_t local = smallest_keys(s, x, j, upper, scratch, keys);
    double v = value_of(kth_key(s, keys, local, j));
    return upper ? -v : v;
}

bool mcr_mpi_histogram(const mcr_mpi_share *s, const double *pnl, double *scratch,
                       mcr_histogram *h)
{
    const uint64_t n = s->paths;
    /* run.c's fill_histogram, with the selection and the counts distributed */
    uint64_t k_lo, k_hi;
    mcr_histogram_ranks(n, &k_lo, &k_hi);
    uint64_t most = k_lo > n + 1 - k_hi ? k_lo : n + 1 - k_hi;
    uint64_t *keys = malloc((s->count < most ? s->count : most) * sizeof *keys + 1);
    if (!all_ok(s, keys)) {
        free(keys);
        return false;
    }
    double lo = kth_value(s, pnl, k_lo, scratch, keys), hi = kth_value(s, pnl, k_hi, scratch, keys);
    free(keys);
    mcr_histogram_fill(h, lo, hi, pnl, s->count); /* this rank's share, then the sums */
    MPI_Allreduce(MPI_IN_PLACE, h->counts, MCR_HIST_BINS, MPI_UINT64_T, MPI_SUM, s->comm);
    uint64_t out_of_range[2] = {h->underflow, h->overflow};
    MPI_Allreduce(MPI_IN_PLACE, out_of_range, 2, MPI_UINT64_T, MPI_SUM, s->comm);
    h->underflow = out_of_range[0];
    h->overflow = out_of_range[1];
    return true;
}
