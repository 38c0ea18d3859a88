/* The candidates for the k smallest of a large sample, found in one pass: the order statistics
 * of VaR, CVaR, the histogram's range and the paired comparisons are exact figures of the
 * sample, so any exact method gives the same numbers; copying the whole sample and running a
 * quickselect over it cost more than the rest of the summaries. A strided sample of the values
 * gives a threshold a few standard deviations above the k-th smallest, one branch-free pass
 * copies the values at or under it (a few percent of the sample), and the quickselect runs
 * over those. When the threshold misses (fewer than k values under it), or the sample is small
 * or k a large part of it, every value is copied instead. */
#ifndef MCR_SELECT_H
#define MCR_SELECT_H

#include <stdbool.h>
#include <stdint.h>

/* Copy to out the values of x[0..n) (each negated when `negate`) that can be among the k
 * smallest, 1 <= k <= n: every value below the k-th smallest and at least k values in all.
 * Returns their count c (k <= c <= n); out must hold n doubles. x holds no NaN. */
uint64_t mcr_select_candidates(const double *x, uint64_t n, uint64_t k, bool negate,
                               double *out);

/* The k-th smallest value of x[0..n) (1 <= k <= n); scratch holds n doubles. */
double mcr_kth_smallest_of(const double *x, uint64_t n, uint64_t k, double *scratch);

#endif
