/* sim: the block loop. Paths are simulated in blocks of MCR_BLOCK_PATHS handed to OpenMP
 * threads; in each block the model kernels advance the prices a chunk of steps at a time (or the
 * replayed paths are read) and the strategies (strategies/hedge.h) consume the chunk, so memory
 * stays O(paths x strategies) whatever the number of steps. Each path draws only from its own
 * streams and its outputs go to its global index, so results are bitwise identical at any thread
 * count, for any split of the blocks into ranges (an MPI rank's chunks, a resumed run's missing
 * blocks). No I/O, no collective: what happens between blocks (progress, checkpoints, the block
 * statistics) is the caller's, through the callbacks of mcr_sim_range. */
#ifndef MCR_SIM_H
#define MCR_SIM_H

#include <signal.h>
#include <stdint.h>

#include "config/config.h"
#include "core/fields.h"
#include "kernels/kernels.h"
#include "replay.h"

/* Per-thread workspaces kept across calls (sim_work.c): a caller that simulates the same
 * config's shape many times (a backtest's days) allocates them once. One call at a time. */
typedef struct mcr_sim_work mcr_sim_work;
mcr_sim_work *mcr_sim_work_new(void); /* NULL: out of memory */
void mcr_sim_work_free(mcr_sim_work *w);

typedef struct mcr_sim_options {
    const mcr_kernels *kernels;  /* the ISA's kernel table */
    int threads;                 /* OpenMP threads, >= 1 */
    const mcr_replay *replay;    /* replayed paths, or NULL to simulate */
    /* When *stop becomes nonzero (a signal handler sets it) no new block starts: the blocks in
     * flight finish and the call returns, some blocks not simulated. NULL: never. */
    volatile sig_atomic_t *stop;
    /* NULL: each call allocates its threads' workspaces; else they come from this pool */
    mcr_sim_work *work;
} mcr_sim_options;

/* The paths of a run of cfg: cfg->paths, the replayed paths' count, or a historical model's
 * count of start dates. */
uint64_t mcr_sim_paths(const mcr_config *cfg, const mcr_sim_options *opt);

/* Blocks of one scenario to simulate, and where their outputs go. */
typedef struct mcr_sim_range {
    uint64_t first_block, n_blocks; /* blocks [first_block, first_block + n_blocks) of the run */
    const mcr_field_set *out;       /* [strategy]: arrays indexed by global path */
    const uint8_t *skip;            /* NULL, or [n_blocks]: a nonzero flag skips the block */
    /* After each block, in the thread that simulated it, with `set` aimed at global path
     * indices: fields NULL in `out` then point at that thread's buffers of one block, overwritten
     * by its next block (a summary of them is all that is kept). NULL: they are not produced.
     * control: with run.variance_reduction.control_variate, the block's control values (the
     * first asset's spot at the horizon, one per path of the block), else NULL. */
    void (*block_done)(void *ctx, uint64_t block, uint64_t first, int count,
                       const mcr_field_set *set, const double *control);
    void (*tick)(void *ctx); /* after each block of OpenMP thread 0, or NULL */
    /* run.tail (run/tail.h): NULL, or c[a] for every asset a, the shift of its standardised
     * terminal normal: through the kernels' normal-shift hook (kernels.h, mcr_block.tilt) every
     * step's independent price normal of asset a is drawn as Z = eps + c[a] / sqrt(steps), and
     * zeta[path * n_assets + a] (indexed by global path) gets sum_k Z_k / sqrt(steps), the
     * standardised sum of the shifted normals, from which the caller weighs the path. All zeros:
     * the plain paths bitwise, with their zeta. A pegged asset draws no price normal: it is not
     * shifted (its zeta is 0). */
    const double *tilt;
    double *zeta;
    void *ctx;
} mcr_sim_range;

mcr_status mcr_sim_blocks(const mcr_config *cfg, int scenario, const mcr_sim_options *opt,
                          const mcr_sim_range *range, mcr_error *err);

/* Every block of scenario `scenario`: out[strategy]'s arrays (those not NULL) get every path
 * [0, mcr_sim_paths). The timed core of bench. */
mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_sim_options *opt,
                        const mcr_field_set *out, mcr_error *err);

/* The known mean E[X] of run.variance_reduction.control_variate's control in scenario
 * `scenario` (control.h): E[S_T] of the first asset (terminal_spot) or the book option's
 * Black-Scholes value at the horizon (book_option; MCR_ERR_INPUT without one). */
mcr_status mcr_sim_control_mean(const mcr_config *cfg, int scenario, double *mean,
                                mcr_error *err);

/* The prices of the first n paths of scenario `scenario` at every step (run.sample_paths),
 * out[(asset * n + path) * (steps + 1) + t], simulated again in their own few blocks: the paths
 * are the run's own (a path's numbers depend only on seed and path), and the run itself never
 * keeps O(steps) memory. */
mcr_status mcr_sample_paths(const mcr_config *cfg, int scenario, const mcr_sim_options *opt,
                            int n, double *out, mcr_error *err);

#endif
