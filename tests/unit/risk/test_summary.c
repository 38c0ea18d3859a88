/* Suite summary: the risk summary over a communicator, in its one-rank case, finds exactly the
 * order statistics a full sort gives: the tail rows are bitwise those of the sorted sample, also
 * with heavy ties, signed zeros and a tail shorter than the ties; so are the histogram's edges. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/pcg32.h"
#include "risk/risk.h"
#include "risk/summary.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Rows of the summary of x against risk.c's tail code on the fully sorted sample. */
static void assert_tail_exact(const double *x, uint64_t n, const double *levels, int n_levels)
{
    double *sorted = malloc(n * sizeof *sorted), *scratch = malloc(n * sizeof *scratch);
    memcpy(sorted, x, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    mcr_risk_row want[MCR_MAX_LEVELS];
    mcr_risk_tail(sorted, n, mcr_tail_count(n, levels, n_levels), levels, n_levels, want);
    mcr_summary s;
    mcr_risk_summarize(x, n, levels, n_levels, scratch, &s);
    cr_assert_eq(s.n_levels, n_levels);
    for (int l = 0; l < n_levels; l++) {
        /* equal values may differ in the sign of a zero: compare as numbers, and the VaR and
         * CVaR as the same numbers */
        cr_assert(s.risk[l].var == want[l].var && s.risk[l].cvar == want[l].cvar &&
                      s.risk[l].var_se == want[l].var_se && s.risk[l].cvar_se == want[l].cvar_se,
                  "level %g: var %.17g vs %.17g, cvar %.17g vs %.17g", levels[l], s.risk[l].var,
                  want[l].var, s.risk[l].cvar, want[l].cvar);
    }
    /* the histogram's edges are the 0.1% and 99.9% order statistics */
    const mcr_comm *c = mcr_comm_serial();
    mcr_share sh;
    cr_assert(mcr_share_init(&sh, c, n));
    mcr_histogram h;
    cr_assert(mcr_risk_histogram(c, &sh, x, scratch, &h));
    uint64_t lo, hi, total = h.underflow + h.overflow;
    mcr_histogram_ranks(n, &lo, &hi);
    if (sorted[hi - 1] > sorted[lo - 1]) {
        cr_assert_eq(h.edges[0], sorted[lo - 1]);
        cr_assert_eq(h.edges[MCR_HIST_BINS], sorted[hi - 1]);
    }
    for (int b = 0; b < MCR_HIST_BINS; b++)
        total += h.counts[b];
    cr_assert_eq(total, n);
    mcr_share_free(&sh);
    free(sorted);
    free(scratch);
}

Test(summary, tail_is_the_sorted_samples)
{
    enum { n = 200000 }; /* four chunks: the moments are summed chunk by chunk */
    double *x = malloc(n * sizeof *x);
    mcr_pcg32 g = mcr_pcg32_for_path(7, 3);
    for (int i = 0; i < n; i++)
        x[i] = ((double)mcr_pcg32_next(&g) - 2147483648.0) / 1e7;
    const double levels[] = {0.9, 0.95, 0.99, 0.999};
    assert_tail_exact(x, n, levels, 4);
    free(x);
}

Test(summary, heavy_ties_and_signed_zeros)
{
    enum { n = 5000 };
    double *x = malloc(n * sizeof *x);
    mcr_pcg32 g = mcr_pcg32_for_path(9, 1);
    for (int i = 0; i < n; i++) { /* mostly -1, -0, +0, 1: the tail ends inside a tie */
        uint32_t u = mcr_pcg32_next(&g) % 10;
        x[i] = u < 2 ? -1.0 : u < 5 ? -0.0 : u < 8 ? 0.0 : u == 8 ? 1.0 : -7.5;
    }
    const double levels[] = {0.5, 0.75, 0.95, 0.99};
    assert_tail_exact(x, n, levels, 4);
    free(x);
}

Test(summary, moments_split_by_chunk)
{
    /* the mean is the chunk partials added in order: for values whose sums are exact it is the
     * exact mean, and the std matches the two-pass formula */
    enum { n = 3 * 65536 + 11 };
    double *x = malloc(n * sizeof *x), *scratch = malloc(n * sizeof *scratch);
    for (int i = 0; i < n; i++)
        x[i] = (double)(i % 97) - 48.0;
    double sum = 0, ss = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double mean = sum / n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double level = 0.99;
    mcr_summary s;
    mcr_risk_summarize(x, n, &level, 1, scratch, &s);
    cr_assert_eq(s.mean, mean);
    cr_assert_float_eq(s.std, sqrt(ss / (n - 1)), 1e-12 * s.std);
    cr_assert_float_eq(s.mean_se, s.std / sqrt((double)n), 1e-15);
    cr_assert_eq(s.risk[0].var, 48.0, "the 1%% quantile of -48..48 repeated is -48");
    free(x);
    free(scratch);
}
