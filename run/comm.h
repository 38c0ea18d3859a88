/* The communicator of `mcrisk run` (the interface is core/comm.h): over MPI when this build has
 * it (-DMCR_ENABLE_MPI=ON) and the process was started by an MPI launcher, else the serial one,
 * of which a single process is the one-rank case. */
#ifndef MCR_RUN_COMM_H
#define MCR_RUN_COMM_H

#include <stdbool.h>

#include "core/comm.h"

/* True when this build has MPI and the process was started by an MPI launcher (mpirun,
 * mpiexec, srun with PMI/PMIx); MCR_MPI=0 or 1 in the environment overrides the detection. */
bool mcr_comm_launched(void);

/* The run's communicator (MPI_Init when over MPI). Never NULL. */
const mcr_comm *mcr_comm_open(void);
/* MPI_Finalize when mcr_comm_open initialised MPI. */
void mcr_comm_close(const mcr_comm *c);

#ifdef MCR_HAVE_MPI
/* comm_mpi.c: MPI_COMM_WORLD as an mcr_comm, and its end. */
const mcr_comm *mcr_comm_mpi_open(void);
void mcr_comm_mpi_close(const mcr_comm *c);
#endif

#endif
