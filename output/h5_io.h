/* HDF5 layout 1 (docs/DESIGN.md): writing a result (h5_write.c) and reading it back
 * (h5_read.c), the only two files of the engine that use HDF5 (with h5_common.c, what they
 * share). A file under the output name is always whole: it is written under a temporary name
 * and renamed when complete (core/atomic_file.h); on any failure the temporary is removed. */
#ifndef MCR_H5_IO_H
#define MCR_H5_IO_H

#include "core/comm.h"
#include "core/status.h"
#include "risk/result.h"

/* One process, the whole result. */
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
