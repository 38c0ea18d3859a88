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

/* Replayed paths (market.assets[].path_file): every asset's prices from its CSV file,
 * price[a][t * paths + p] for t = 0..steps; they replace the simulation in every scenario. */
typedef struct mcr_replay {
    double *price[MCR_MAX_SIM_ASSETS];
    uint64_t paths; /* 0: no replay, the paths are simulated */
} mcr_replay;

/* Load the path files of cfg; r->paths stays 0 when no asset has one. Either every asset
 * replays a file or none does. */
mcr_status mcr_replay_load(const mcr_config *cfg, mcr_replay *r, mcr_error *err);
void mcr_replay_free(mcr_replay *r);

typedef struct mcr_run_options {
    const mcr_kernels *kernels; /* the ISA's kernel table */
    int threads;                /* resolved thread count, >= 1 */
    int quiet;                  /* no progress on stderr */
    const mcr_replay *replay;   /* replayed paths, or NULL to simulate (mcr_run sets it) */
} mcr_run_options;

/* Simulate scenario `scenario` of cfg and write every strategy's per-path outputs into
 * out[strategy] (hedge.h) for path in [0, paths), paths = cfg->paths or the replay's. The timed
 * core of run and bench. */
mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        mcr_hedge_out *out, mcr_error *err);

/* Simulate every scenario and summarise; fills provenance. Free with mcr_result_free. */
mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, mcr_result *out,
                   mcr_error *err);

#endif
