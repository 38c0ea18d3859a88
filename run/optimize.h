/* hedge_ratio: optimize on perp_hedge and delta_hedge: before any path of the run, for each
 * scenario, the ratio in (0, max_ratio) minimising the strategy's objective (CVaR or VaR at
 * `level`, or the variance of its P&L) is found by golden-section search on a pilot of
 * pilot_paths paths with a seed of their own, every trial ratio on the same pilot paths (common
 * random numbers); the run then simulates the strategy with the chosen ratio on its own paths,
 * independent of the pilot, so its figures are not biased by the search. The 95% interval of the
 * ratio is a percentile bootstrap: the search repeated on MCR_OPTIMIZE_BOOTSTRAP resamples of the
 * pilot paths, each path's P&L between two tried ratios interpolated linearly (exact where the
 * P&L is linear in the ratio: a static perpetual without liquidation). Every number is a
 * function of the config: the same at any thread or rank count (each rank searches alone). */
#ifndef MCR_OPTIMIZE_H
#define MCR_OPTIMIZE_H

#include "config/config.h"
#include "risk/result.h"
#include "sim/sim.h"

#define MCR_OPTIMIZE_BOOTSTRAP 200

/* *scenario_cfg[sc]: a copy of cfg whose optimized ratios are scenario sc's choices (each NULL,
 * nothing allocated, when no strategy optimizes); choice[sc * n_strategies + t] the choices. A
 * combined strategy with an optimized part is refused (MCR_ERR_INPUT). Free the copies with
 * free(). */
mcr_status mcr_optimize_hedges(const mcr_config *cfg, const mcr_sim_options *sim,
                               mcr_config **scenario_cfg, mcr_ratio_choice *choice,
                               mcr_error *err);

/* The bytes hedge_ratio: optimize holds at once (0 when no strategy optimizes): the largest
 * pilot's P&L at every trial, its scratch and bootstrap indices, and the scenarios' configs. */
double mcr_optimize_pilot_bytes(const mcr_config *cfg);

#endif
