/* The resumable state of a run and its checkpoint file. A run is a sequence of scenarios, each
 * split into blocks of MCR_BLOCK_PATHS paths that are independent of one another (a path's numbers
 * depend only on the seed and its index), so the work done is: the cells of the scenarios already
 * finished, plus, for the scenario under way, which blocks are finished and their outputs. That is
 * what a checkpoint holds; `mcrisk run --resume` reloads it and simulates only the other blocks,
 * which gives the same bytes as an uninterrupted run.
 *
 * File "<output>.ckpt" (native byte order; only the same build may read it):
 *   header      magic "MCRCKPT\0", format version, sizes of the records below, the run's
 *               identity (mcrisk version and git revision, FNV-1a 64 of the config text, seed,
 *               paths, steps, ISA, keep_pnl, scenario and strategy counts), the scenario under
 *               way, the number of blocks per scenario, the simulation seconds so far
 *   finished scenarios, per strategy: its summaries (mcr_summary, component and greek means,
 *               hedge effectiveness, trades mean, histogram); with keep_pnl, its per-path arrays
 *   scenario under way: the block-completion bitmap (1 bit per block, LSB first); per strategy,
 *               the mcr_block_stats of the finished blocks, then for each per-path array (pnl,
 *               and with keep_pnl the components, liquidation_step, trades, greeks) the values of
 *               the finished blocks, in block order
 *   trailer     a 64-bit checksum of everything before it
 * It is written to "<output>.ckpt.tmp.<pid>", fsync'ed and renamed over the old one (then the
 * directory is fsync'ed), so a kill at any moment leaves the previous checkpoint or the new one,
 * never a torn file. */
#ifndef MCR_CHECKPOINT_H
#define MCR_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernels.h"
#include "config/config.h"
#include "risk/result.h"

/* What the summaries need from one block of one strategy besides pnl, so that with
 * keep_pnl false the per-path detail is never stored. Reduced over the blocks in block order:
 * deterministic, whatever the threads. */
typedef struct mcr_block_stats {
    double component_sum[MCR_N_COMPONENTS]; /* sum over the block's paths */
    double greek_sum[3];
    double book_mean, book_m2; /* mean and sum of squared deviations of the book's P&L */
    uint64_t liquidated, trades;
} mcr_block_stats;

typedef struct mcr_run_state {
    /* identity: a checkpoint resumes only the run it was written by */
    uint64_t config_hash; /* FNV-1a 64 of the config text */
    uint64_t seed, paths;
    int steps;
    char isa[16];
    bool keep_pnl;
    int n_scenarios, n_strategies;
    /* progress */
    uint64_t n_blocks;       /* blocks per scenario */
    int scenario;            /* under way; those before it are finished (n_scenarios: all) */
    uint8_t *done;           /* [n_blocks] of `scenario`: 1 once all of a block's outputs are in */
    mcr_block_stats *stats;  /* [strategy * n_blocks + block] of `scenario` */
    mcr_result *result;      /* not owned: the cells (names filled), their per-path arrays */
    double seconds;          /* simulation time of the sessions before this one */
} mcr_run_state;

/* Identity from cfg (paths may differ from cfg->paths for replayed paths), `done` and `stats`
 * allocated, scenario 0. result->cells must exist. */
mcr_status mcr_run_state_init(mcr_run_state *s, const mcr_config *cfg, uint64_t paths,
                              const char *isa, mcr_result *result, mcr_error *err);
void mcr_run_state_free(mcr_run_state *s);

/* Start scenario sc: its cells get their per-path arrays (every one with keep_pnl, else pnl only),
 * no block done, stats cleared. */
mcr_status mcr_run_state_begin(mcr_run_state *s, int sc, mcr_error *err);

/* Write the state atomically to `path`. Safe while other threads simulate blocks of the scenario
 * under way: only blocks whose done flag is set (read with acquire order) are written, and a
 * block's outputs are never touched after its flag is set (release order). */
mcr_status mcr_checkpoint_write(const char *path, const mcr_run_state *s, mcr_error *err);

/* Load `path` into s (initialised by mcr_run_state_init for the run about to resume). A
 * checkpoint of another run is refused with MCR_ERR_INPUT and a message naming what differs;
 * a damaged one with MCR_ERR_INPUT too. */
mcr_status mcr_checkpoint_read(const char *path, mcr_run_state *s, mcr_error *err);

/* Remove "<output>.tmp.<pid>" and "<output>.ckpt.tmp.<pid>" files left by processes that no
 * longer exist (killed while writing). Best effort, silent. */
void mcr_checkpoint_clean_stale(const char *output);

#endif
