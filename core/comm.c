/* What every communicator shares (comm.h): agreeing on a status, typed reductions, and the split
 * of a run's paths over the ranks. */
#include "comm.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

mcr_status mcr_comm_agree(const mcr_comm *c, mcr_status st, mcr_error *err)
{
    int32_t first = st != MCR_OK ? c->rank : c->size;
    c->ops->allreduce(c, &first, 1, MCR_COMM_I32, MCR_COMM_MIN);
    if (first == c->size)
        return MCR_OK;
    c->ops->bcast(c, err, sizeof *err, first);
    return err->status;
}

uint64_t mcr_comm_sum_u64(const mcr_comm *c, uint64_t v)
{
    c->ops->allreduce(c, &v, 1, MCR_COMM_U64, MCR_COMM_SUM);
    return v;
}

int mcr_comm_max_int(const mcr_comm *c, int v)
{
    int32_t x = v;
    c->ops->allreduce(c, &x, 1, MCR_COMM_I32, MCR_COMM_MAX);
    return x;
}

double mcr_comm_max_f64(const mcr_comm *c, double v)
{
    c->ops->allreduce(c, &v, 1, MCR_COMM_F64, MCR_COMM_MAX);
    return v;
}

bool mcr_share_init(mcr_share *s, const mcr_comm *c, uint64_t paths)
{
    memset(s, 0, sizeof *s);
    s->paths = paths;
    uint64_t chunks = (paths + MCR_CHUNK_PATHS - 1) / MCR_CHUNK_PATHS;
    if (chunks > INT_MAX)
        return false;
    s->n_chunks = (int)chunks;
    s->chunk_first = malloc((size_t)c->size * sizeof *s->chunk_first);
    s->chunk_count = malloc((size_t)c->size * sizeof *s->chunk_count);
    if (!s->chunk_first || !s->chunk_count) {
        mcr_share_free(s);
        return false;
    }
    for (int r = 0; r < c->size; r++) {
        int64_t lo = (int64_t)r * s->n_chunks / c->size;
        int64_t hi = (int64_t)(r + 1) * s->n_chunks / c->size;
        s->chunk_first[r] = (int)lo;
        s->chunk_count[r] = (int)(hi - lo);
    }
    uint64_t first = (uint64_t)s->chunk_first[c->rank] * MCR_CHUNK_PATHS;
    uint64_t end = first + (uint64_t)s->chunk_count[c->rank] * MCR_CHUNK_PATHS;
    s->first = first < paths ? first : paths;
    s->count = (end < paths ? end : paths) - s->first;
    return true;
}

void mcr_share_free(mcr_share *s)
{
    free(s->chunk_first);
    free(s->chunk_count);
    s->chunk_first = s->chunk_count = NULL;
}

int mcr_share_my_first(const mcr_share *s, const mcr_comm *c)
{
    return s->chunk_first[c->rank];
}

int mcr_share_my_chunks(const mcr_share *s, const mcr_comm *c)
{
    return s->chunk_count[c->rank];
}

uint64_t mcr_share_chunk_len(const mcr_share *s, int k)
{
    uint64_t first = (uint64_t)k * MCR_CHUNK_PATHS;
    return s->paths - first < MCR_CHUNK_PATHS ? s->paths - first : MCR_CHUNK_PATHS;
}
