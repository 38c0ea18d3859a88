/* The risk figures of a cell's P&L whose values are spread over the ranks of a communicator
 * (core/comm.h), each rank holding a contiguous range of whole MCR_CHUNK_PATHS chunks (an
 * mcr_share). A single process is the one-rank case of the same code, so every figure is bitwise
 * the same for any number of ranks. Sums: each chunk's partial sum is computed by the rank that
 * holds it and the partials are added in chunk order. The tail (VaR, CVaR) needs the m smallest
 * values of the sample and the histogram two order statistics: found by a distributed selection,
 * never by gathering the sample. Every function here is collective and gives the same figures on
 * every rank. */
#ifndef MCR_SUMMARY_H
#define MCR_SUMMARY_H

#include <stdbool.h>

#include "core/comm.h"
#include "result.h"

/* mean, std, mean_se and the risk rows of the whole sample, pnl[0..share->count) being this
 * rank's values; scratch holds share->count doubles. False on every rank when some rank ran out
 * of memory. */
bool mcr_risk_summary(const mcr_comm *c, const mcr_share *sh, const double *pnl,
                      const double *levels, int n_levels, double *scratch, mcr_summary *out);

/* *out = the k-th smallest (1 <= k <= total) of a sample of `total` values spread over the
 * ranks, this rank holding x[0..count) (any subset, e.g. one randomisation's paths); scratch holds
 * count doubles. The same distributed selection as the tail's. False on every rank when some
 * rank ran out of memory. */
bool mcr_kth_smallest(const mcr_comm *c, const double *x, uint64_t count, uint64_t total,
                      uint64_t k, double *scratch, double *out);

/* The histogram of the whole sample (result.h: MCR_HIST_BINS bins between the order statistics
 * x_(ceil(0.001 n)) and x_(ceil(0.999 n))): the two order statistics by the same distributed
 * selection, the counts summed. scratch holds share->count doubles. False on every rank when
 * some rank ran out of memory. */
bool mcr_risk_histogram(const mcr_comm *c, const mcr_share *sh, const double *pnl,
                        double *scratch, mcr_histogram *h);

#endif
