/* The floor workload of `mcrisk bench`: the path kernel alone, as the yardstick of the engine. */
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

#endif
