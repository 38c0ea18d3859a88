/* The communicator over MPI (core/comm.h), built only with -DMCR_ENABLE_MPI=ON: MPI_COMM_WORLD,
 * the collectives mapped one to one onto MPI's. Only the main thread calls MPI (OpenMP threads
 * never do): MPI_THREAD_FUNNELED. */
#include "comm.h"

#include <mpi.h>
#include <stdlib.h>

static MPI_Comm world = MPI_COMM_NULL;
static bool initialised_here;

static MPI_Datatype type_of(mcr_comm_type t)
{
    return t == MCR_COMM_I32 ? MPI_INT32_T : t == MCR_COMM_U64 ? MPI_UINT64_T : MPI_DOUBLE;
}

static MPI_Op op_of(mcr_comm_op op)
{
    return op == MCR_COMM_SUM ? MPI_SUM : op == MCR_COMM_MIN ? MPI_MIN : MPI_MAX;
}

static void mpi_allreduce(const mcr_comm *c, void *buf, int n, mcr_comm_type type,
                          mcr_comm_op op)
{
    MPI_Allreduce(MPI_IN_PLACE, buf, n, type_of(type), op_of(op), *(MPI_Comm *)c->mpi);
}

static void mpi_bcast(const mcr_comm *c, void *buf, size_t bytes, int root)
{
    MPI_Bcast(buf, (int)bytes, MPI_BYTE, root, *(MPI_Comm *)c->mpi);
}

static void mpi_allgatherv_f64(const mcr_comm *c, double *buf, const int *counts,
                               const int *displs)
{
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, buf, counts, displs, MPI_DOUBLE,
                   *(MPI_Comm *)c->mpi);
}

static uint64_t mpi_gather_u64(const mcr_comm *c, const uint64_t *send, int n, uint64_t *recv)
{
    MPI_Comm comm = *(MPI_Comm *)c->mpi;
    bool root = c->rank == 0;
    int *counts = root ? malloc((size_t)c->size * sizeof *counts) : NULL;
    int *displs = root ? malloc((size_t)c->size * sizeof *displs) : NULL;
    if (root && (!counts || !displs))
        MPI_Abort(comm, 1); /* a few ints per rank: the run cannot go on without them */
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, comm);
    uint64_t total = 0;
    for (int r = 0; root && r < c->size; r++) {
        displs[r] = (int)total;
        total += (uint64_t)counts[r];
    }
    MPI_Gatherv(send, n, MPI_UINT64_T, recv, counts, displs, MPI_UINT64_T, 0, comm);
    free(counts);
    free(displs);
    return total;
}

/* Messages go in pieces of at most 1 GiB: MPI counts are ints. */
#define MCR_MPI_PIECE ((size_t)1 << 30)

static void mpi_send(const mcr_comm *c, const void *buf, size_t bytes, int to)
{
    for (size_t at = 0; at < bytes; at += MCR_MPI_PIECE) {
        size_t n = bytes - at < MCR_MPI_PIECE ? bytes - at : MCR_MPI_PIECE;
        MPI_Send((const char *)buf + at, (int)n, MPI_BYTE, to, 0, *(MPI_Comm *)c->mpi);
    }
}

static void mpi_recv(const mcr_comm *c, void *buf, size_t bytes, int from)
{
    for (size_t at = 0; at < bytes; at += MCR_MPI_PIECE) {
        size_t n = bytes - at < MCR_MPI_PIECE ? bytes - at : MCR_MPI_PIECE;
        MPI_Recv((char *)buf + at, (int)n, MPI_BYTE, from, 0, *(MPI_Comm *)c->mpi,
                 MPI_STATUS_IGNORE);
    }
}

static void mpi_barrier(const mcr_comm *c)
{
    MPI_Barrier(*(MPI_Comm *)c->mpi);
}

static const mcr_comm_ops mpi_ops = MCR_COMM_OPS(mpi);

static mcr_comm mpi_comm;

const mcr_comm *mcr_comm_mpi_open(void)
{
    int initialised = 0, provided;
    MPI_Initialized(&initialised);
    if (!initialised) {
        MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
        initialised_here = true;
    }
    world = MPI_COMM_WORLD;
    mpi_comm.ops = &mpi_ops;
    mpi_comm.mpi = &world;
    MPI_Comm_rank(world, &mpi_comm.rank);
    MPI_Comm_size(world, &mpi_comm.size);
    return &mpi_comm;
}

void mcr_comm_mpi_close(const mcr_comm *c)
{
    (void)c;
    if (initialised_here)
        MPI_Finalize();
    initialised_here = false;
}
