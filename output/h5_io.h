/* HDF5 layout 1 (docs/DESIGN.md): writing a result (h5_write.c) and reading it back
 * (h5_read.c), the only two files of the engine that use HDF5 (with h5_common.c, what they
 * share). A file under the output name is always whole: it is written under a temporary name
 * and renamed when complete (core/atomic_file.h); on any failure the temporary is removed. */
#ifndef MCR_H5_IO_H
#define MCR_H5_IO_H

#include "config/config.h"
#include "core/comm.h"
#include "core/fields.h"
#include "core/status.h"
#include "risk/result.h"

/* A file written while the run goes: begun before the first path (every group and dataset
 * created), fed the per-path values chunk by chunk, finished with the summaries. Collective over
 * the communicator of mcr_h5_begin (begin, end_scenario, finish, abort: every rank together).
 * Rank 0 alone writes the file; over MPI the other ranks encode their chunks and hand them to it
 * at the end of each scenario, so the file is the same bytes for any number of ranks and threads
 * (the provenance values threads, created_utc, run_seconds and mpi_ranks aside).
 * Memory: one encoder; over MPI a rank other than 0 also holds its encoded chunks of the scenario
 * under way. The file is on disk under its temporary name. */
typedef struct mcr_h5_writer mcr_h5_writer;

/* Begin the file of `shape` (provenance aside: names, risk levels, histograms) at path, for
 * sh->paths paths; per-path datasets for the fields in *keep in every cell, or (keep NULL) for
 * the arrays the shape's cells hold. threads > 1: the chunks are encoded and written on a thread
 * of the writer's own, beside the caller's threads. */
mcr_status mcr_h5_begin(mcr_h5_writer **w, const char *path, const mcr_result *shape,
                        const uint64_t *keep, const mcr_comm *c, const mcr_share *sh,
                        int threads, mcr_error *err);
/* The kept fields of a chunk that hold one value over all its paths, per strategy: the writer
 * encodes them from the value (their arrays are not read, and need not hold it). */
typedef struct mcr_h5_same {
    uint64_t mask[MCR_MAX_STRATEGIES];                /* the fields */
    uint64_t value[MCR_MAX_STRATEGIES][MCR_N_FIELDS]; /* each one's bytes (the low ones) */
} mcr_h5_same;

/* Not collective: paths [first, first + count) of scenario s, one whole chunk of this rank's
 * share (MCR_CHUNK_PATHS paths, the last of the run may be shorter), from sets[strategy]
 * (arrays indexed by global path, each kept field present but those in `same`, which may be
 * NULL), encoded and written (rank 0) or held
 * (other ranks) in a fixed order: a rank puts its chunks of a scenario in increasing order, each
 * once. With more than one thread (mcr_h5_begin) the chunk is encoded and written on the
 * writer's own thread while the caller goes on: the call first waits for the chunk put before
 * it and returns that one's status, and the caller keeps this chunk's arrays unchanged until
 * the next put_chunk, flush, end_scenario, finish or abort returns. */
mcr_status mcr_h5_put_chunk(mcr_h5_writer *w, int scenario, uint64_t first, uint64_t count,
                            const mcr_field_set *sets, const mcr_h5_same *same, mcr_error *err);
/* Not collective: wait for the chunk in flight; its status. */
mcr_status mcr_h5_flush(mcr_h5_writer *w, mcr_error *err);
/* Whether put_chunk returns before the chunk is written (the writer has a thread). */
bool mcr_h5_background(const mcr_h5_writer *w);
/* The end of scenario s's chunks (collective): rank 0 writes those of rank 1, then rank 2, ...
 * The same status on every rank. */
mcr_status mcr_h5_end_scenario(mcr_h5_writer *w, int scenario, mcr_error *err);
/* Attributes, risk tables, histograms, sample paths (rank 0), then close and commit under the
 * name. Frees w, on failure too. */
mcr_status mcr_h5_finish(mcr_h5_writer *w, const mcr_result *r, mcr_error *err);
/* Close and remove the temporary (a failed or stopped run); NULL is nothing. */
void mcr_h5_abort(mcr_h5_writer *w);

/* One process, the whole result (begin, every chunk, finish). */
mcr_status mcr_h5_write(const char *path, const mcr_result *r, mcr_error *err);

/* The same file written by every rank of c (collective): r holds the same provenance and
 * summaries on every rank and, in each cell, this rank's share of each per-path array
 * (sh->count values of the global paths from sh->first), or NULL on every rank for an array not
 * kept. The same status on every rank. Over the serial communicator this is mcr_h5_write. */
mcr_status mcr_h5_write_shared(const char *path, const mcr_result *r, const mcr_comm *c,
                               const mcr_share *sh, mcr_error *err);

/* Read provenance, summaries and risk tables back (the per-path arrays too when with_pnl), for
 * `mcrisk report` and for tests. Free with mcr_result_free. */
mcr_status mcr_h5_read(const char *path, int with_pnl, mcr_result *r, mcr_error *err);

#endif
