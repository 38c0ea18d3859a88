/* The one-rank communicator (comm.h): a single process is the one-rank case of the distributed
 * run, so every collective is a copy or nothing. */
#include "comm.h"

#include <stdlib.h>
#include <string.h>

static void serial_allreduce(const mcr_comm *c, void *buf, int n, mcr_comm_type type,
                             mcr_comm_op op)
{
    (void)c, (void)buf, (void)n, (void)type, (void)op;
}

static void serial_bcast(const mcr_comm *c, void *buf, size_t bytes, int root)
{
    (void)c, (void)buf, (void)bytes, (void)root;
}

static void serial_allgatherv_f64(const mcr_comm *c, double *buf, const int *counts,
                                  const int *displs)
{
    (void)c, (void)buf, (void)counts, (void)displs;
}

static uint64_t serial_gather_u64(const mcr_comm *c, const uint64_t *send, int n, uint64_t *recv)
{
    (void)c;
    if (n > 0 && recv != send)
        memmove(recv, send, (size_t)n * sizeof *send);
    return (uint64_t)n;
}

/* One rank has no other rank to talk to: these are never called. */
static void serial_send(const mcr_comm *c, const void *buf, size_t bytes, int to)
{
    (void)c, (void)buf, (void)bytes, (void)to;
    abort();
}

static void serial_recv(const mcr_comm *c, void *buf, size_t bytes, int from)
{
    (void)c, (void)buf, (void)bytes, (void)from;
    abort();
}

static void serial_barrier(const mcr_comm *c)
{
    (void)c;
}

static const mcr_comm_ops serial_ops = MCR_COMM_OPS(serial);

static const mcr_comm serial_comm = {.rank = 0, .size = 1, .ops = &serial_ops, .mpi = NULL};

const mcr_comm *mcr_comm_serial(void)
{
    return &serial_comm;
}
