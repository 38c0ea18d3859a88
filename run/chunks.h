/* The buffers of a streamed run's chunks (run.c). A chunk's kept fields besides pnl (its "own"
 * fields) live in buffers of one chunk, not in arrays of the whole share: the writer takes them
 * chunk by chunk. Two sets of buffers serve in turn (the chunk simulated, the chunk the writer's
 * thread is writing) and are reused from chunk to chunk: allocating anew would fault in fresh
 * pages for every chunk.
 *
 * Rows of one value. A block's row of an own field that holds one value is not copied into the
 * chunk's buffer: only its value is noted. Most per-path fields of a strategy never change (the
 * zeros of a component it does not book, the -1 of a liquidation that never came); copying them
 * into buffers that the writer then checked value by value cost more than the rest of the
 * writer. Before the writer gets the chunk, a field of one value over the whole chunk is handed
 * over as that value (output/h5_io.h: mcr_h5_same) and the noted rows of the others are filled
 * in; the checkpoint, which reads every field, gets its blocks' rows filled in first. */
#ifndef MCR_CHUNKS_H
#define MCR_CHUNKS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "core/fields.h"
#include "kernels/kernels.h"
#include "output/h5_io.h"

typedef struct mcr_chunk_rows {
    uint8_t *copied; /* [(strategy * MCR_N_FIELDS + field) * blocks + block]: in the buffer */
    uint64_t *value; /* [the same]: else its one value's bytes (the low ones) */
} mcr_chunk_rows;

typedef struct mcr_chunks {
    int n_strategies;
    uint64_t own; /* the fields in chunk buffers; 0: none (nothing streamed or kept) */
    uint64_t cap; /* values per buffer */
    mcr_field_set spare[2][MCR_MAX_STRATEGIES]; /* free buffers, not aimed */
    mcr_chunk_rows rows[2];                     /* local chunk j's at [j % 2] */
} mcr_chunks;

void mcr_chunks_init(mcr_chunks *c, int n_strategies, uint64_t own, uint64_t cap);
void mcr_chunks_free(mcr_chunks *c);

/* Buffers for local chunk j whose first path is `first`: sets[strategy] (the chunk's sets) get
 * them, aimed at global path indices. false: out of memory (sets unchanged). */
bool mcr_chunks_take(mcr_chunks *c, int j, uint64_t first, mcr_field_set *sets);
/* The chunk's buffers back to the spares (or freed); sets keep their other fields. */
void mcr_chunks_give(mcr_chunks *c, uint64_t first, mcr_field_set *sets);

/* After block b (of local chunk j) of paths [first, first + count), on its thread: each own
 * field's row in `from` (the thread's block buffers, aimed at global paths) noted, or copied to
 * `to` (the chunk's sets). */
void mcr_chunks_keep_rows(mcr_chunks *c, int j, uint64_t b, uint64_t first, int count,
                          const mcr_field_set *from, const mcr_field_set *to);
/* Blocks of local chunk j flagged in done[0..nb) are in the buffers (loaded from a checkpoint). */
void mcr_chunks_loaded(mcr_chunks *c, int j, const uint8_t *done, uint64_t nb);
/* The noted rows of the blocks flagged in done[0..nb) of local chunk j (first path `first`, len
 * paths) filled into its buffers, for the checkpoint. */
void mcr_chunks_fill(mcr_chunks *c, int j, uint64_t first, uint64_t len, const uint8_t *done,
                     uint64_t nb, const mcr_field_set *sets);
/* Local chunk j (all nb blocks finished) for the writer: each own field of one value over the
 * chunk in `same`, the noted rows of the others filled into the buffers. */
void mcr_chunks_same(mcr_chunks *c, int j, uint64_t first, uint64_t len, uint64_t nb,
                     const mcr_field_set *sets, mcr_h5_same *same);

#endif
