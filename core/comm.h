/* The communicator of a run: its rank, its size and the few collectives the layers above need
 * (risk/ reduces figures over it, output/ writes the file through it, run/ agrees over it). The
 * serial communicator (comm_serial.c) is the one-rank case, so a single process runs exactly the
 * code of an MPI run; run/comm_mpi.c implements the same operations over MPI in builds with
 * MCR_ENABLE_MPI. It sits in core because risk/ and output/ call collectives, and a layer may
 * not include a header of a higher one; run/comm.h opens the run's communicator.
 *
 * Also here: which paths each rank owns (mcr_share). Every operation is collective: every rank
 * calls it, in the same order. */
#ifndef MCR_COMM_H
#define MCR_COMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Paths of a chunk: the unit ranks own, sums are split at (risk.h), checkpoint files hold
 * (run/ckpt.h) and the HDF5 per-path datasets are chunked by. A multiple of every block size. */
#define MCR_CHUNK_PATHS 65536

typedef enum mcr_comm_type { MCR_COMM_I32, MCR_COMM_U64, MCR_COMM_F64 } mcr_comm_type;
typedef enum mcr_comm_op { MCR_COMM_SUM, MCR_COMM_MIN, MCR_COMM_MAX } mcr_comm_op;

typedef struct mcr_comm mcr_comm;

typedef struct mcr_comm_ops {
    /* buf[0..n) (int32_t, uint64_t or double) combined elementwise over the ranks, on every rank */
    void (*allreduce)(const mcr_comm *c, void *buf, int n, mcr_comm_type type, mcr_comm_op op);
    /* root's buf[0..bytes) to every rank */
    void (*bcast)(const mcr_comm *c, void *buf, size_t bytes, int root);
    /* In place: rank r's doubles are buf[displs[r] .. displs[r] + counts[r]); every rank gets
     * all of them. */
    void (*allgatherv_f64)(const mcr_comm *c, double *buf, const int *counts, const int *displs);
    /* Rank 0 gets every rank's send[0..n) in rank order at recv, and the total (0 elsewhere). */
    uint64_t (*gather_u64)(const mcr_comm *c, const uint64_t *send, int n, uint64_t *recv);
    /* Point to point (not collective): rank `to` receives, with recv from this rank, the
     * bytes this rank sends; any size. */
    void (*send)(const mcr_comm *c, const void *buf, size_t bytes, int to);
    void (*recv)(const mcr_comm *c, void *buf, size_t bytes, int from);
    void (*barrier)(const mcr_comm *c);
} mcr_comm_ops;

/* The table of an implementation whose operations are named <prefix>_allreduce, ...: every
 * operation is set, in one place. */
#define MCR_COMM_OPS(prefix)                                                                    \
    {                                                                                           \
        .allreduce = prefix##_allreduce, .bcast = prefix##_bcast,                               \
        .allgatherv_f64 = prefix##_allgatherv_f64, .gather_u64 = prefix##_gather_u64,           \
        .send = prefix##_send, .recv = prefix##_recv,                                           \
        .barrier = prefix##_barrier,                                                            \
    }

struct mcr_comm {
    int rank, size;
    const mcr_comm_ops *ops;
    void *mpi; /* over MPI: the address of the MPI_Comm (output/ opens the file over it); else NULL */
};

/* The one-rank communicator: every collective is a copy or nothing. */
const mcr_comm *mcr_comm_serial(void);

/* The status of the lowest failing rank, with its message, on every rank (MCR_OK when none
 * failed), so no rank goes on alone into a collective call that the others skip. */
mcr_status mcr_comm_agree(const mcr_comm *c, mcr_status st, mcr_error *err);
uint64_t mcr_comm_sum_u64(const mcr_comm *c, uint64_t v);
int mcr_comm_max_int(const mcr_comm *c, int v);
double mcr_comm_max_f64(const mcr_comm *c, double v);

/* Which paths of a run each rank owns: the C chunks of MCR_CHUNK_PATHS are split into contiguous
 * runs, rank r of K holding chunks [r C / K, (r + 1) C / K). A rank may hold none. */
typedef struct mcr_share {
    uint64_t paths;        /* of the whole run */
    uint64_t first, count; /* this rank's paths [first, first + count) */
    int n_chunks;          /* of the whole run */
    int *chunk_first;      /* [size]: each rank's first chunk */
    int *chunk_count;      /* [size]: each rank's number of chunks */
} mcr_share;

/* False when out of memory or when the run has more than INT_MAX chunks. Not collective. */
bool mcr_share_init(mcr_share *s, const mcr_comm *c, uint64_t paths);
void mcr_share_free(mcr_share *s);
/* This rank's chunks: [chunk_first[rank], + chunk_count[rank]). */
int mcr_share_my_first(const mcr_share *s, const mcr_comm *c);
int mcr_share_my_chunks(const mcr_share *s, const mcr_comm *c);
/* The paths of chunk k of the run: [k * MCR_CHUNK_PATHS, + mcr_share_chunk_len). */
uint64_t mcr_share_chunk_len(const mcr_share *s, int k);

#endif
