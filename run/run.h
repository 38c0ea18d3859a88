/* mcr_run: one whole run, config -> per-path outputs -> summaries, over a communicator
 * (core/comm.h): each rank simulates its share of whole chunks of paths (sim/), the summaries are
 * reduced over the ranks (risk/), and a checkpoint of the work done is kept (ckpt.h). A single
 * process is the one-rank case of the same code, so every figure and every per-path value is
 * bitwise the same for any number of ranks and threads, resumed or not. */
#ifndef MCR_RUN_H
#define MCR_RUN_H

#include "config/config.h"
#include "core/comm.h"
#include "risk/result.h"
#include "sim/sim.h"

typedef struct mcr_run_options {
    /* kernels, threads, and stop: when *stop becomes nonzero (a signal handler sets it to the
     * signal) no new block starts, the checkpoint is written and mcr_run returns with
     * out->stopped set. mcr_run sets the replay. */
    mcr_sim_options sim;
    int quiet;                 /* no progress on stderr */
    const char *checkpoint;    /* the checkpoint directory, or NULL: none is written or read */
    double checkpoint_seconds; /* between periodic checkpoints; <= 0: only when stopped */
    int resume;                /* load `checkpoint` first; simulate only what it lacks */
    double max_memory;         /* bytes the run may use (memory.h); 0: what is available */
} mcr_run_options;

/* Provenance of a run of cfg: version, time, config text, seed, paths, threads, ISA, ... */
mcr_status mcr_provenance_fill(const mcr_config *cfg, const mcr_run_options *opt,
                               mcr_provenance *p, mcr_error *err);

/* Simulate every scenario and summarise, on every rank of c (collective); fills provenance and
 * *share (this rank's paths; free it with mcr_share_free). The cells hold this rank's share of
 * the per-path arrays (every field with run.keep_pnl, else none) and the same summaries on every
 * rank. When stopped, out->stopped is the signal (agreed over the ranks), out->paths_done the
 * paths finished over every scenario, and no cell is filled. The same status on every rank.
 * Free out with mcr_result_free.
 * Memory per rank, with P its paths, S strategies and C scenarios, B = sizeof(mcr_block_stats):
 *   keep_pnl: P x S x C x (the bytes of a path's fields: 104, + B / 64 of block statistics);
 *   else:     P x S x (8 of pnl + B / 64), the scenario under way only;
 * plus 8 P of scratch for the quantiles and P / 64 of block flags; with several strategies over
 * several ranks, rank 0 also holds 24 N bytes (N: the run's paths) while it compares them with
 * the baseline.
 * Nothing grows with the steps: prices are consumed a chunk of steps at a time. */
mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, const mcr_comm *c,
                   mcr_share *share, mcr_result *out, mcr_error *err);

#endif
