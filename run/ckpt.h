/* The checkpoint of a run: a directory "<output>.ckpt" holding one file per chunk of
 * MCR_CHUNK_PATHS paths of a scenario (core/comm.h). A chunk's outputs depend only on the seed
 * and its paths, never on which process, rank or thread simulated them, so a run resumed with
 * any number of ranks (one process included) loads the chunks of its share that exist and
 * simulates what they lack: the same bytes as an uninterrupted run.
 *
 *   run          the run's identity (rank 0): record sizes, mcrisk version and git revision,
 *                FNV-1a 64 of the config text and of the input files' SHA-256 (mcr_provenance:
 *                input_files), seed, paths, steps, ISA, keep_pnl, scenario and strategy counts
 *   time         simulation seconds of the sessions so far (rank 0)
 *   s<S>.c<C>    chunk C of scenario S, by the rank that holds it: which of its blocks of
 *                MCR_BLOCK_PATHS paths are finished (a bitmap, 1 bit per block, LSB first), then
 *                per strategy the block statistics (risk/fold.h) of the finished blocks and, per
 *                kept field (core/fields.h: pnl, and with keep_pnl every field), their values;
 *                a chunk may be partial, when the run was stopped inside it
 *   s<S>.done    without keep_pnl, once scenario S is summarised: its cells' summaries (rank 0);
 *                its chunk files are then deleted
 * Every file starts with a magic and the run's identity hash and ends with a 64-bit checksum of
 * everything before it; it is written atomically (core/atomic_file.h), so a kill at any moment
 * leaves whole files only. Native byte order: only the same build may read it. */
#ifndef MCR_CKPT_H
#define MCR_CKPT_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "core/fields.h"
#include "risk/fold.h"
#include "risk/result.h"

typedef struct mcr_ckpt_identity {
    char magic[8];
    uint32_t version, block_paths, chunk_paths, n_fields;
    uint32_t stats_size, cell_size, pad[2]; /* records written raw: another build may differ */
    char mcrisk_version[32], git_revision[48];
    uint64_t config_hash, inputs_hash, seed, paths;
    int32_t steps, n_scenarios, n_strategies, keep_pnl;
    char isa[16];
} mcr_ckpt_identity;

typedef struct mcr_ckpt {
    char dir[MCR_PATH_MAX + 8];
    mcr_ckpt_identity identity;
    uint64_t id; /* hash of the identity, stamped on every file */
} mcr_ckpt;

/* The identity of the run of cfg over `paths` paths with these kernels, reading the input files
 * `inputs` lists with their hashes (mcr_provenance.input_files, or NULL). Not collective. */
void mcr_ckpt_init(mcr_ckpt *c, const char *dir, const mcr_config *cfg, uint64_t paths,
                   const char *isa, const char *inputs);
/* Create the directory and write the identity, unless they exist (any rank, at its first
 * save: a run that never saves leaves no checkpoint). */
mcr_status mcr_ckpt_create(const mcr_ckpt *c, mcr_error *err);
/* A resumed run: the directory must be the checkpoint of this run; MCR_ERR_INPUT naming what
 * differs otherwise. */
mcr_status mcr_ckpt_check(const mcr_ckpt *c, mcr_error *err);
/* Remove temporary files left in the directory by writers that were killed (one rank). */
void mcr_ckpt_clean(const mcr_ckpt *c);
/* Remove the directory and everything in it, once the output is in place (one rank). */
void mcr_ckpt_remove(const mcr_ckpt *c);

/* One chunk of one scenario as this rank holds it. */
typedef struct mcr_ckpt_chunk {
    int scenario, chunk, n_strategies;
    uint64_t len;                /* its paths: [chunk * MCR_CHUNK_PATHS, + len) */
    const mcr_field_set *fields; /* [strategy]: the kept arrays, aimed at global path indices */
    mcr_block_stats *stats;      /* its first block's, strategy t's at + t * stats_stride */
    uint64_t stats_stride;
    uint8_t *done;               /* [its blocks]: 1 when finished (read and set atomically) */
} mcr_ckpt_chunk;

/* Write the finished blocks of a chunk (a snapshot of its done flags, taken with acquire order:
 * blocks may finish while it is written); *blocks: how many were written. */
mcr_status mcr_ckpt_save_chunk(const mcr_ckpt *c, const mcr_ckpt_chunk *k, uint64_t *blocks,
                               mcr_error *err);
/* Load a chunk's file into k (done flags, statistics, values); *blocks: how many blocks it
 * held, 0 when there is no file. A damaged file is MCR_ERR_INPUT. */
mcr_status mcr_ckpt_load_chunk(const mcr_ckpt *c, const mcr_ckpt_chunk *k, uint64_t *blocks,
                               mcr_error *err);
/* The paths a chunk's file holds, from its bitmap (0 without a file): for progress. */
uint64_t mcr_ckpt_chunk_paths(const mcr_ckpt *c, int scenario, int chunk, uint64_t len);
void mcr_ckpt_drop_chunks(const mcr_ckpt *c, int scenario, int n_chunks);

/* The summaries of a scenario's n cells (their arrays are not saved). */
mcr_status mcr_ckpt_save_done(const mcr_ckpt *c, int scenario,
                              const mcr_strategy_result *cells, int n, mcr_error *err);
/* Whether scenario's summaries were saved (whole) and are now in cells (arrays left NULL). */
bool mcr_ckpt_load_done(const mcr_ckpt *c, int scenario, mcr_strategy_result *cells, int n);
bool mcr_ckpt_has_done(const mcr_ckpt *c, int scenario);

mcr_status mcr_ckpt_save_time(const mcr_ckpt *c, double seconds, mcr_error *err);
double mcr_ckpt_load_time(const mcr_ckpt *c);

#endif
