/* Risk figures of a sample spread over the ranks of an MPI communicator, equal bit for bit to
 * what risk.c and run.c compute from the whole sample in one process. Each rank holds a
 * contiguous range of whole MCR_SUM_CHUNK chunks (an mcr_mpi_share), so every chunk partial sum
 * is computed by one rank exactly as risk.c computes it, and the partials are added in chunk
 * order. The tail needs the m smallest values of the sample and the histogram two order
 * statistics: found by a distributed selection, never by gathering the sample. Every function
 * here is collective over share->comm and returns the same figures on every rank. */
#ifndef MCR_RISK_MPI_H
#define MCR_RISK_MPI_H

#include <mpi.h>
#include <stdbool.h>
#include <stdint.h>

#include "result.h"

/* Which paths of the run this rank owns. */
typedef struct mcr_mpi_share {
    MPI_Comm comm;
    int rank, size;
    uint64_t paths;        /* of the whole run */
    uint64_t first, count; /* this rank's global paths [first, first + count); count may be 0 */
    int n_chunks;          /* MCR_SUM_CHUNK chunks of the whole run */
    int *chunk_count;      /* [size] chunks of each rank */
    int *chunk_first;      /* [size] first chunk of each rank */
    double *partial;       /* [n_chunks] chunk partial sums, scratch of the moments */
} mcr_mpi_share;

/* Split paths into chunks and hand rank r the chunks [r C / K, (r + 1) C / K). Returns false when
 * out of memory (or when the run has more than INT_MAX chunks). Not collective. */
bool mcr_mpi_share_init(mcr_mpi_share *s, MPI_Comm comm, uint64_t paths);
void mcr_mpi_share_free(mcr_mpi_share *s);

/* Sum of (x - shift)^power over the whole sample, x[0..count) being this rank's values: the
 * value mcr_chunked_moment gives on the whole sample. */
double mcr_mpi_chunked_moment(const mcr_mpi_share *s, const double *x, double shift, int power);

/* Sum of an integer over the ranks (exact). */
uint64_t mcr_mpi_sum_u64(const mcr_mpi_share *s, uint64_t local);

/* mcr_risk_summarize over the whole sample, pnl[0..count) being this rank's values; scratch holds
 * count doubles. False on every rank when some rank ran out of memory; out is the same on every
 * rank. */
bool mcr_mpi_risk_summarize(const mcr_mpi_share *s, const double *pnl, const double *levels,
                            int n_levels, double *scratch, mcr_summary *out);

/* run.c's histogram of the whole sample (result.h: MCR_HIST_BINS bins between the order
 * statistics x_(ceil(0.001 n)) and x_(ceil(0.999 n))): the two order statistics by the same
 * distributed selection, the counts summed. scratch holds count doubles. False on every rank when
 * some rank ran out of memory. */
bool mcr_mpi_histogram(const mcr_mpi_share *s, const double *pnl, double *scratch,
                       mcr_histogram *h);

#endif
