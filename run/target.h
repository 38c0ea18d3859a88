/* run.target: the run repeated in rounds of run.paths, 2 run.paths, 4 run.paths, ... (the last
 * capped at run.target.max_paths) until the standard error of one figure of one strategy is at
 * most the target in every scenario. A round of n paths is exactly a run of n paths (path i's
 * numbers depend only on the seed and i), so the result is bitwise that of a plain run with the
 * final count, at any thread or rank count, and the sequence of rounds is fixed by the config.
 * Each round has the run's checkpoint (its identity holds the data files' hashes, as a plain
 * run's does); a resumed run finds the round its checkpoint belongs to.
 * Then the convergence table: every figure's se on the first 1/64, 1/16 and 1/4 of the paths
 * (runs of those counts: at most half the final round's work again) and on all of them. */
#ifndef MCR_TARGET_H
#define MCR_TARGET_H

#include <stdio.h>

#include "run.h"

/* mcr_run with cfg->target (cfg->target.se > 0), over communicator c; the same contract
 * (collective; *share and *out of the last round), plus out->target and every cell's
 * convergence rows, and opt->output written once the last round is known (the rounds hold
 * their per-path arrays in memory, as a run without an output does). Stopped by a signal:
 * out->stopped, as mcr_run. */
mcr_status mcr_run_target(const mcr_config *cfg, const mcr_run_options *opt, const mcr_comm *c,
                          mcr_share *share, mcr_result *out, mcr_error *err);

/* The outcome and the target strategy's convergence table, after the summary table. */
void mcr_target_print(FILE *f, const mcr_config *cfg, const mcr_result *r);

#endif
