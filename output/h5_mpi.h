/* HDF5 layout 1 (../shared/DESIGN.md) written by the ranks of an MPI run, through parallel HDF5:
 * the second file that includes hdf5.h, built only with MCR_HAVE_MPI. Rank 0 first writes
 * everything but the per-path arrays with h5_io.c's own writer (so every attribute and small
 * dataset is h5_io.c's, by construction), under "<path>.tmp.<pid of rank 0>"; then every rank
 * opens that file with the MPI-IO driver and the per-path datasets are created and written
 * collectively, each rank writing its own slice; rank 0 adds the root attribute `mpi_ranks`
 * (written by all, as HDF5 requires of metadata) and renames the file into place. */
#ifndef MCR_H5_MPI_H
#define MCR_H5_MPI_H

#include "core/status.h"
#include "risk/result.h"
#include "risk/risk_mpi.h"

/* Collective. r holds the same provenance and summaries on every rank and, in each cell, this
 * rank's slice of each per-path array (share->count values, of global paths from share->first),
 * or NULL on every rank for an array not kept. The same status on every rank. */
mcr_status mcr_h5_mpi_write(const char *path, const mcr_result *r, const mcr_mpi_share *share,
                            mcr_error *err);

#endif
