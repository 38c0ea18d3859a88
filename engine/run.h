/* mcr_run: one whole run, config -> per-path P&L -> risk figures, in memory. The simulation
 * splits paths into fixed blocks of MCR_BLOCK_PATHS handed to OpenMP threads; each path draws only
 * from its own stream and writes its P&L at its global index, so results are bitwise identical at
 * any thread count. */
#ifndef MCR_RUN_H
#define MCR_RUN_H

#include "../kernels/kernels.h"
#include "config.h"
#include "hedge.h"
#include "result.h"

typedef struct mcr_run_options {
    const mcr_kernels *kernels; /* the ISA's kernel table */
    int threads;                /* resolved thread count, >= 1 */
    int quiet;                  /* no progress on stderr */
} mcr_run_options;

/* Simulate scenario `scenario` of cfg and write every strategy's per-path outputs into
 * out[strategy] (hedge.h) for path in [0, cfg->paths). The timed core of run and bench. */
mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        mcr_hedge_out *out, mcr_error *err);

/* Simulate every scenario and summarise; fills provenance. Free with mcr_result_free. */
mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, mcr_result *out,
                   mcr_error *err);

#endif
