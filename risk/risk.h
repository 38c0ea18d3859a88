/* Tail-risk figures of a P&L sample, with standard errors; see risk.c for the estimators.
 * Deterministic: the figures depend only on the sample, never on threads or call order. */
#ifndef MCR_RISK_H
#define MCR_RISK_H

#include <stdint.h>

#include "core/comm.h"
#include "result.h"

/* Sums over a sample are the in-order sum of per-chunk partial sums, chunks of MCR_CHUNK_PATHS
 * values from index 0 (core/comm.h): a distributed run that gives each process whole chunks
 * reproduces every figure bit for bit (summary.h). */

/* sum of (x[i] - shift)^power, power 1 or 2, over one chunk (n <= MCR_CHUNK_PATHS), in index
 * order */
double mcr_chunk_moment(const double *x, uint64_t n, double shift, int power);

/* Rearrange v[0..n) so that v[m - 1] is its m-th smallest value and v[0..m-1) holds the smaller
 * ones (in no particular order): Hoare quickselect with a median-of-three pivot, deterministic
 * for a given input. 1 <= m <= n. */
void mcr_select_smallest(double *v, int64_t n, int64_t m);

/* How many of the smallest of n values the tail figures at these levels (increasing) read. */
uint64_t mcr_tail_count(uint64_t n, const double *levels, int n_levels);

/* The risk rows of n values from sorted[0..m), their m = mcr_tail_count(...) smallest in
 * increasing order: a distributed run that gathers only those reproduces the figures exactly. */
void mcr_risk_tail(const double *sorted, uint64_t n, uint64_t m, const double *levels,
                   int n_levels, mcr_risk_row *rows);

/* The ranks (1-based) of the order statistics that bound the P&L histogram: the 0.1% and 99.9%
 * quantiles (MCR_HIST_TAIL) of n values. */
void mcr_histogram_ranks(uint64_t n, uint64_t *k_lo, uint64_t *k_hi);
/* Start h with MCR_HIST_BINS equal bins over [lo, hi] (a constant sample: one unit around it)
 * and add x[0..n): values below lo count as underflow, above hi as overflow; a bin is decided by
 * the stored edges, so every process that bins a share of the sample agrees bit for bit. */
void mcr_histogram_fill(mcr_histogram *h, double lo, double hi, const double *x, uint64_t n);

/* Start a summary from the sample's mean and sum of squared deviations ss: mean, std (n - 1
 * denominator), mean_se; risk rows left 0. */
void mcr_summary_from_moments(mcr_summary *out, uint64_t n, double mean, double ss, int n_levels);

/* Summarise pnl[0..n) (n >= 2) at the given confidence levels into out: the one-rank case of
 * mcr_risk_summary (summary.h). scratch must hold n doubles; pnl is not modified. */
void mcr_risk_summarize(const double *pnl, uint64_t n, const double *levels, int n_levels,
                        double *scratch, mcr_summary *out);

#endif
