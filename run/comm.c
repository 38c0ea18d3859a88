/* Choosing the run's communicator (comm.h). */
#include "comm.h"

#include <stdlib.h>
#include <string.h>

bool mcr_comm_launched(void)
{
#ifdef MCR_HAVE_MPI
    const char *force = getenv("MCR_MPI");
    if (force && *force)
        return strcmp(force, "0") != 0;
    /* Open MPI's mpirun, MPICH and Intel MPI (hydra: PMI), Slurm's srun with PMIx */
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return true;
#endif
    return false;
}

const mcr_comm *mcr_comm_open(void)
{
#ifdef MCR_HAVE_MPI
    if (mcr_comm_launched())
        return mcr_comm_mpi_open();
#endif
    return mcr_comm_serial();
}

void mcr_comm_close(const mcr_comm *c)
{
#ifdef MCR_HAVE_MPI
    if (c->mpi)
        mcr_comm_mpi_close(c);
#else
    (void)c;
#endif
}
