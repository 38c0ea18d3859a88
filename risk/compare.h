/* Every strategy of a scenario against the baseline strategy on the same paths (run.baseline):
 * the paired differences of risk/paired.h over a sample spread over the ranks of a communicator.
 * Over several ranks, rank 0 gathers the baseline's P&L and then each strategy's in global path
 * order (3 n doubles), computes the differences and broadcasts them, so the figures are bitwise the same for
 * any number of ranks and threads. The VaR se uses B = min(32, floor(n (1 - level))) blocks of
 * consecutive paths: fixed by the path count and the level, never by the split of the work. */
#ifndef MCR_COMPARE_H
#define MCR_COMPARE_H

#include <stdbool.h>

#include "config/config.h"
#include "core/comm.h"
#include "result.h"

/* cells[0..n): one scenario's strategies, pnl[0..share->count) of each held on this rank;
 * baseline: the index of the baseline. Fills every cell's diff (the baseline's own is 0 with se
 * 0); vr: the run's variance reduction: with antithetic pairs, paths 2k and 2k + 1 are one
 * sample; with qmc, every se is the spread over the randomisations (their R per-randomisation
 * figures); scratch: share->count doubles (one rank without qmc uses it and allocates nothing).
 * Collective; false on every rank when rank 0 ran out of memory or the run has more than
 * INT32_MAX paths (the gather counts in int). */
bool mcr_risk_compare(const mcr_comm *c, const mcr_share *sh, mcr_strategy_result *cells, int n,
                      int baseline, const double *levels, int n_levels, const mcr_vr_config *vr,
                      double *scratch);

/* The number of VaR blocks for n paths at `level`: min(MCR_PAIRED_BLOCKS, floor(n (1 - level))),
 * below 2 when the sample is too small for a block VaR. */
int mcr_compare_blocks(uint64_t n, double level);

#endif
