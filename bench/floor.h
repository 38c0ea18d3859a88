/* The floor workloads of `mcrisk bench`: the path kernel alone (W1, W2, WH), and the path kernel
 * plus the bare arithmetic of an hourly delta hedge with the normal CDF by table (W3), as the
 * yardsticks of the engine. */
#ifndef MCR_BENCH_FLOOR_H
#define MCR_BENCH_FLOOR_H

#include <stdbool.h>

#include "config/config.h"
#include "kernels/kernels.h"

/* Whether cfg is a workload the floor can do: one asset, no strategies but holding it. */
bool mcr_bench_floor_fits(const mcr_config *cfg);

/* The P&L S_T - S0 of every path of cfg (long 1 spot of its first asset, no scenario), with the
 * kernels k on `threads` threads: pnl[path]. */
void mcr_bench_floor_run(const mcr_config *cfg, const mcr_kernels *k, int threads, double *pnl);

/* A delta hedge workload as its floor sees it (W3): short one call struck at `strike`, expiring
 * after `expiry_days`, Black-Scholes delta at implied vol `vol` and rate 0, hedged every
 * step with a linear perpetual paying fee_bps and funding_rate every funding_hours. */
typedef struct mcr_hedge_floor {
    double strike, expiry_days, vol, fee_bps, funding_rate, funding_hours;
} mcr_hedge_floor;

/* The floor's points of the normal CDF: N at x = -8 .. 8 every 1/256 (4097 points, 32 KiB), read
 * by linear interpolation: error below 5e-7 (h^2 / 8 x max |phi'|). */
#define MCR_FLOOR_CDF_POINTS 4097

/* The P&L of every path of cfg (one GBM asset) hedged as h says, with the kernels k on
 * `threads` threads: the premium less the payoff, plus the hedge's variation margin and funding,
 * less its fees: pnl[path]. */
void mcr_bench_floor_hedge_run(const mcr_config *cfg, const mcr_hedge_floor *h,
                               const mcr_kernels *k, int threads, double *pnl);

#endif
