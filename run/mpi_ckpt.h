/* The checkpoint of an MPI run: a directory "<output>.ckpt" (the name of a single-process run's
 * checkpoint file, so the CLI's "continue it with --resume" guard covers both) holding one file
 * per finished chunk of MCR_SUM_CHUNK paths of a scenario. A chunk's outputs depend only on the
 * seed and its paths, never on which rank simulated it, so a run resumed with any number of ranks
 * loads the chunks of its new shares that exist and simulates the others: the same bytes as an
 * uninterrupted run.
 *
 *   run            identity: mcrisk version and git revision, FNV-1a 64 of the config text, seed,
 *                  paths, steps, ISA, keep_pnl, scenario and strategy counts (written by rank 0)
 *   time           simulation seconds of the sessions so far (rank 0)
 *   s<S>.c<C>      chunk C of scenario S, by the rank that simulated it: per strategy the block
 *                  partial sums (checkpoint.h) and pnl, and with keep_pnl the other per-path
 *                  arrays; a 64-bit checksum at the end
 *   s<S>.done      without keep_pnl, once scenario S is summarised: its cells' summaries (rank 0);
 *                  its chunk files are then deleted
 * Native byte order, read only by the same build. Every file is written under "<name>.tmp.<pid>",
 * fsync'ed and renamed, so a kill at any moment leaves whole files only. */
#ifndef MCR_MPI_CKPT_H
#define MCR_MPI_CKPT_H

#include <stdbool.h>
#include <stdint.h>

#include "checkpoint.h"
#include "config/config.h"
#include "risk/result.h"

typedef struct mcr_mpi_ckpt {
    char dir[MCR_PATH_MAX + 8];
    uint64_t id; /* hash of the run's identity, stamped on every chunk file */
    struct mcr_mpi_ckpt_identity {
        char magic[8];
        uint32_t version;
        char mcrisk_version[32], git_revision[48];
        uint64_t config_hash, seed, paths;
        int32_t steps, n_scenarios, n_strategies, keep_pnl;
        char isa[16];
    } identity;
} mcr_mpi_ckpt;

/* The identity of the run of cfg over `paths` paths with these kernels. Not collective. */
void mcr_mpi_ckpt_init(mcr_mpi_ckpt *c, const char *dir, const mcr_config *cfg, uint64_t paths,
                       const char *isa);

/* A new run: create the directory and write the identity (rank 0 only). */
mcr_status mcr_mpi_ckpt_create(const mcr_mpi_ckpt *c, mcr_error *err);
/* A resumed run: check that the directory is the checkpoint of this run (MCR_ERR_INPUT naming
 * what differs otherwise) and remove temporary files left by a kill (remove_temps: one rank). */
mcr_status mcr_mpi_ckpt_check(const mcr_mpi_ckpt *c, bool remove_temps, mcr_error *err);
/* Remove the directory and everything in it, once the output is in place. */
void mcr_mpi_ckpt_remove(const mcr_mpi_ckpt *c);

/* The arrays of one chunk of one scenario: per strategy, `len` paths of the cell's arrays from
 * index `at` (detail: every per-path array, else pnl only) and the chunk's block sums at
 * stats[strategy * stats_stride], (len + 63) / 64 of them. */
typedef struct mcr_mpi_chunk {
    int scenario, chunk, n_strategies;
    uint64_t len, at;
    bool detail;
    mcr_strategy_result *cells; /* the scenario's first cell */
    mcr_block_stats *stats;
    uint64_t stats_stride;
} mcr_mpi_chunk;

mcr_status mcr_mpi_ckpt_save_chunk(const mcr_mpi_ckpt *c, const mcr_mpi_chunk *k,
                                   mcr_error *err);
/* True when the chunk's file exists and is whole, and was loaded into k's arrays. */
bool mcr_mpi_ckpt_load_chunk(const mcr_mpi_ckpt *c, const mcr_mpi_chunk *k);
void mcr_mpi_ckpt_drop_chunks(const mcr_mpi_ckpt *c, int scenario, int n_chunks);

/* The summaries of a scenario's n cells (without keep_pnl, their arrays are gone). */
mcr_status mcr_mpi_ckpt_save_done(const mcr_mpi_ckpt *c, int scenario,
                                  const mcr_strategy_result *cells, int n, mcr_error *err);
/* True when scenario's summaries were saved and are loaded into cells (arrays left NULL). */
bool mcr_mpi_ckpt_load_done(const mcr_mpi_ckpt *c, int scenario, mcr_strategy_result *cells,
                            int n);

mcr_status mcr_mpi_ckpt_save_time(const mcr_mpi_ckpt *c, double seconds, mcr_error *err);
double mcr_mpi_ckpt_load_time(const mcr_mpi_ckpt *c);

#endif
