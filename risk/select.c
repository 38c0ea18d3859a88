/* Candidates for the smallest values (select.h): a threshold from a strided sample, one pass. */
#include "select.h"

#include <math.h>
#include <string.h>

#include "risk.h"

#define MCR_SELECT_SAMPLE 2048      /* values in the strided sample */
#define MCR_SELECT_MIN_N 32768      /* below this, every value is copied */
#define MCR_SELECT_MAX_FRACTION 0.1 /* k / n above this: every value is copied */

/* every value (negated when `negate`) to out */
static uint64_t copy_all(const double *x, uint64_t n, bool negate, double *out)
{
    if (negate)
        for (uint64_t i = 0; i < n; i++)
            out[i] = -x[i];
    else
        memcpy(out, x, n * sizeof *out);
    return n;
}

/* the values at or under t to out, branch-free: each is stored and kept when it qualifies */
static uint64_t copy_under(const double *x, uint64_t n, double t, bool negate, double *out)
{
    uint64_t c = 0;
    if (negate)
        for (uint64_t i = 0; i < n; i++) {
            double v = -x[i];
            out[c] = v;
            c += v <= t;
        }
    else
        for (uint64_t i = 0; i < n; i++) {
            double v = x[i];
            out[c] = v;
            c += v <= t;
        }
    return c;
}

uint64_t mcr_select_candidates(const double *x, uint64_t n, uint64_t k, bool negate,
                               double *out)
{
    double f = (double)k / (double)n;
    if (n < MCR_SELECT_MIN_N || f > MCR_SELECT_MAX_FRACTION)
        return copy_all(x, n, negate, out);
    /* the sample's j-th smallest: the expected rank of the k-th smallest among the sample, S f,
     * plus 5 of its standard deviations (about sqrt(S f)) and a margin for tiny k */
    double s[MCR_SELECT_SAMPLE];
    const uint64_t S = MCR_SELECT_SAMPLE;
    for (uint64_t i = 0; i < S; i++)
        s[i] = negate ? -x[i * n / S] : x[i * n / S];
    double sf = (double)S * f;
    uint64_t j = (uint64_t)ceil(sf + 5.0 * sqrt(sf) + 8.0);
    if (j >= S)
        return copy_all(x, n, negate, out);
    mcr_select_smallest(s, (int64_t)S, (int64_t)j);
    uint64_t c = copy_under(x, n, s[j - 1], negate, out);
    return c >= k ? c : copy_all(x, n, negate, out);
}

double mcr_kth_smallest_of(const double *x, uint64_t n, uint64_t k, double *scratch)
{
    uint64_t c = mcr_select_candidates(x, n, k, false, scratch);
    mcr_select_smallest(scratch, (int64_t)c, (int64_t)k);
    return scratch[k - 1];
}
