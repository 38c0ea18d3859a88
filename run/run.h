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
    /* The result file, written by the run (one process streams it chunk by chunk as the paths
     * are done; MPI ranks write it together at the end), or NULL: none (the result keeps the
     * per-path arrays of run.keep, and pnl, in memory). */
    const char *output;
    double max_memory;         /* bytes the run may use (memory.h); 0: what is available */
} mcr_run_options;

/* Provenance of a run of cfg: version, time, config text, seed, paths, threads, ISA, ... */
mcr_status mcr_provenance_fill(const mcr_config *cfg, const mcr_run_options *opt,
                               mcr_provenance *p, mcr_error *err);

/* The data files cfg's models read with their SHA-256, one "market.assets[i].model.data: PATH
 * sha256:HEX" a line, into buf ("" when none): the provenance's input_files before the replayed
 * path files are added, and the inputs of a checkpoint's identity (ckpt.h). */
void mcr_data_inputs(const mcr_config *cfg, char *buf, size_t size);

/* Simulate every scenario and summarise, on every rank of c (collective); fills provenance and
 * *share (this rank's paths; free it with mcr_share_free), and writes opt->output when given.
 * Without an output, the cells hold this rank's share of the per-path arrays (the fields of
 * run.keep and pnl with keep_pnl, else none); with one, the arrays are in the file and the cells
 * hold none. The same summaries on every rank. When stopped, out->stopped is the signal (agreed
 * over the ranks), out->paths_done the paths finished over every scenario, no cell is filled and
 * no file is written. The same status on every rank. Free out with mcr_result_free.
 * Memory per rank, with P its paths, S strategies, C scenarios, B = sizeof(mcr_block_stats) and
 * K the bytes per path of the kept fields besides pnl (96 for all of them):
 *   streamed (one process): P x S x (8 of pnl + B / 64), the scenario under way only, plus one
 *             chunk (65536 paths) x S x K and the chunk encoders (about 1.4 MB x 4 x threads);
 *   keep_pnl in memory (MPI, or no output): P x S x C x (8 + K + B / 64);
 *   no keep_pnl: P x S x (8 + B / 64), the scenario under way only;
 * plus 8 P of scratch for the quantiles and P / 64 of block flags; with several strategies over
 * several ranks, rank 0 also holds 24 N bytes (N: the run's paths) while it compares them with
 * the baseline. Nothing grows with the steps: prices are consumed a chunk of steps at a time. */
mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, const mcr_comm *c,
                   mcr_share *share, mcr_result *out, mcr_error *err);

/* The result of a run without an output (its cells hold this rank's share of the per-path
 * arrays) written to path, over every rank of c (collective): the fields of run.keep; pnl, held
 * for the summaries only, is freed first when run.keep lacks it. */
mcr_status mcr_run_write(const mcr_config *cfg, const char *path, mcr_result *r,
                         const mcr_comm *c, const mcr_share *sh, mcr_error *err);

#endif
