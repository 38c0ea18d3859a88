/* `mcrisk report OUT.h5 --frontier`: hedge cost against CVaR for every strategy of a run that
 * compared its strategies with a baseline (run.baseline), with error bars, and the strategies no
 * other beats on both. */
#ifndef MCR_FRONTIER_H
#define MCR_FRONTIER_H

#include <stdio.h>

#include "core/status.h"
#include "risk/result.h"

/* One row of the frontier: cost = -(mean P&L - the baseline's mean P&L), from the paired
 * difference; CVaR at the run's highest level. */
typedef struct mcr_frontier_point {
    double cost, cost_se, cvar, cvar_se, dcvar, dcvar_se;
    int efficient; /* 1: no other strategy of the scenario has lower-or-equal cost and CVaR with
                    * one of them strictly lower */
} mcr_frontier_point;

/* The points of scenario s (out[n_strategies]). Fails (MCR_ERR_INPUT) when the result has no
 * comparison with a baseline. */
mcr_status mcr_frontier_points(const mcr_result *r, int s, mcr_frontier_point *out,
                               mcr_error *err);

/* The frontier of every scenario as a table. */
mcr_status mcr_frontier_print(FILE *out, const mcr_result *r, mcr_error *err);

#endif
