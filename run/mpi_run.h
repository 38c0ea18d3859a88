/* `mcrisk run` across MPI ranks (built only with -DMCR_ENABLE_MPI=ON, which defines MCR_HAVE_MPI).
 * Rank r of K simulates a contiguous range of whole MCR_SUM_CHUNK chunks of paths with OpenMP
 * threads inside; figures are reduced across ranks so that every one of them, and every dataset
 * of the output, is bitwise identical to the single-process run with the same seed. This header
 * needs no mpi.h, so the CLI can include it in any build. */
#ifndef MCR_MPI_RUN_H
#define MCR_MPI_RUN_H

#include <stdbool.h>

#include "config/config.h"
#include "run.h"

/* True when this process was started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx):
 * MCR_MPI=0 or 1 in the environment overrides the detection. */
bool mcr_mpi_launched(void);

/* The rest of `mcrisk run` on every rank, once the CLI has checked cfg and opt: initialise MPI,
 * simulate this rank's share of every scenario (resuming from opt->checkpoint with opt->resume,
 * checkpointing to it every opt->checkpoint_seconds and when *opt->stop is set by a signal),
 * reduce the figures, write cfg->output through parallel HDF5, print the summary table (rank 0)
 * and finalise MPI. Collective. Returns the exit status of the command, the same on every rank:
 * 0, 2 bad input, 1 other failure (printed once, by rank 0), 128 + signal when stopped. */
int mcr_mpi_run(const mcr_config *cfg, const mcr_run_options *opt);

#endif
