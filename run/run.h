/* mcr_run: one whole run, config -> per-path P&L -> risk figures, in memory. The simulation
 * splits paths into fixed blocks of MCR_BLOCK_PATHS handed to OpenMP threads; each path draws only
 * from its own stream and writes its P&L at its global index, so results are bitwise identical at
 * any thread count. */
#ifndef MCR_RUN_H
#define MCR_RUN_H

#include <signal.h>

#include "kernels/kernels.h"
#include "config/config.h"
#include "strategies/hedge.h"
#include "risk/result.h"

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
    /* mcr_run only: surviving interruption (checkpoint.h) */
    const char *checkpoint;     /* the checkpoint file, or NULL: none is written or read */
    double checkpoint_seconds;  /* between periodic checkpoints; <= 0: only when stopped */
    int resume;                 /* load `checkpoint` first; simulate only what it lacks */
    /* When *stop becomes nonzero (a signal handler sets it) no new block starts: the blocks in
     * flight finish, the checkpoint is written and mcr_run returns with out->stopped set. */
    volatile sig_atomic_t *stop;
} mcr_run_options;

/* Simulate scenario `scenario` of cfg and write every strategy's per-path outputs into
 * out[strategy] (hedge.h) for path in [0, paths), paths = cfg->paths or the replay's. The timed
 * core of run and bench. */
mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        mcr_hedge_out *out, mcr_error *err);

struct mcr_block_stats; /* checkpoint.h */

/* The same for the paths [first_path, first_path + n_paths) of the run only (an MPI rank's
 * share; first_path a multiple of MCR_BLOCK_PATHS): the outputs of path first_path + j go to
 * index j of out[strategy]'s arrays. With stats (checkpoint.h) the partial sums of the range's
 * block b go to stats[strategy * range_blocks + b]; out's arrays other than pnl may then be NULL
 * (all or none), and are not kept. When opt->stop is set during the call, some blocks may have
 * been skipped. */
mcr_status mcr_simulate_range(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                              uint64_t first_path, uint64_t n_paths, mcr_hedge_out *out,
                              struct mcr_block_stats *stats, mcr_error *err);

/* Provenance of a run of cfg: version, time, config text, seed, paths, threads, ISA, ... */
mcr_status mcr_provenance_fill(const mcr_config *cfg, const mcr_run_options *opt,
                               mcr_provenance *p, mcr_error *err);

/* The prices of the first n paths of scenario `scenario` at every step (run.sample_paths),
 * out[(asset * n + path) * (steps + 1) + t], as mcr_run keeps them. */
mcr_status mcr_sample_paths(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                            int n, double *out, mcr_error *err);

/* Simulate every scenario and summarise; fills provenance. Free with mcr_result_free.
 * Memory: with run.keep_pnl every per-path array of every cell is held,
 *   paths x (8 pnl + 8 x 8 components + 4 liquidation_step + 4 trades + 3 x 8 greeks) = 104 bytes
 *   x strategies x scenarios;
 * without it, only the pnl of the scenario under way (its VaR, CVaR and histogram need the
 * whole sample) and 120-byte block partial sums (checkpoint.h):
 *   paths x strategies x (8 + 120 / 64);
 * plus, in both cases, 8 x paths of scratch and 1 byte per block of 64 paths. Nothing grows with
 * the steps: prices are consumed a chunk of steps at a time. */
mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, mcr_result *out,
                   mcr_error *err);

#endif
