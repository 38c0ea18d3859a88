/* Chunk buffers and rows of one value (chunks.h). */
#include "chunks.h"

#include <stdlib.h>
#include <string.h>

#define MCR_CHUNK_BLOCKS (MCR_CHUNK_PATHS / MCR_BLOCK_PATHS)

void mcr_chunks_init(mcr_chunks *c, int n_strategies, uint64_t own, uint64_t cap)
{
    memset(c, 0, sizeof *c);
    c->n_strategies = n_strategies;
    c->own = own;
    c->cap = cap;
}

void mcr_chunks_free(mcr_chunks *c)
{
    for (int k = 0; k < 2; k++) {
        for (int t = 0; t < c->n_strategies; t++)
            mcr_field_set_free(&c->spare[k][t]);
        free(c->rows[k].copied);
        free(c->rows[k].value);
    }
    memset(c, 0, sizeof *c);
}

static bool own(const mcr_chunks *c, int f)
{
    return c->own & MCR_FIELD_BIT(f);
}

void mcr_chunks_give(mcr_chunks *c, uint64_t first, mcr_field_set *sets)
{
    for (int t = 0; c->own && t < c->n_strategies; t++)
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (own(c, f) && sets[t].at[f]) {
                /* allocated at the chunk's first path (mcr_field_set_shift in reverse) */
                void *p = (char *)sets[t].at[f] + first * mcr_field_size((mcr_field_id)f);
                mcr_field_set *to = !c->spare[0][t].at[f]   ? &c->spare[0][t]
                                    : !c->spare[1][t].at[f] ? &c->spare[1][t]
                                                            : NULL;
                if (to)
                    to->at[f] = p;
                else
                    free(p);
                sets[t].at[f] = NULL;
            }
}

bool mcr_chunks_take(mcr_chunks *c, int j, uint64_t first, mcr_field_set *sets)
{
    if (!c->own)
        return true;
    mcr_chunk_rows *w = &c->rows[j % 2];
    size_t notes = (size_t)c->n_strategies * MCR_N_FIELDS * MCR_CHUNK_BLOCKS;
    if (!w->copied) {
        w->copied = malloc(notes);
        w->value = malloc(notes * sizeof *w->value);
        if (!w->copied || !w->value)
            return false;
    }
    for (int t = 0; t < c->n_strategies; t++) {
        mcr_field_set *from = mcr_field_set_mask(&c->spare[0][t]) ? &c->spare[0][t]
                                                                 : &c->spare[1][t];
        mcr_field_set mine = *from;
        *from = (mcr_field_set){0};
        if (mcr_field_set_mask(&mine) != c->own) {
            mcr_field_set_free(&mine);
            if (!mcr_field_set_alloc(&mine, c->cap, c->own)) {
                mcr_chunks_give(c, first, sets); /* the strategies before t */
                return false;
            }
        }
        mine = mcr_field_set_shift(&mine, first);
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (own(c, f))
                sets[t].at[f] = mine.at[f];
    }
    return true;
}

static size_t row_at(int t, int f, uint64_t b)
{
    return ((size_t)t * MCR_N_FIELDS + (size_t)f) * MCR_CHUNK_BLOCKS + b;
}

void mcr_chunks_keep_rows(mcr_chunks *c, int j, uint64_t b, uint64_t first, int count,
                          const mcr_field_set *from, const mcr_field_set *to)
{
    mcr_chunk_rows *w = &c->rows[j % 2];
    for (int t = 0; t < c->n_strategies; t++)
        for (int f = 0; f < MCR_N_FIELDS; f++) {
            if (!own(c, f))
                continue;
            size_t size = mcr_field_size((mcr_field_id)f), at = row_at(t, f, b);
            const unsigned char *row = (const unsigned char *)from[t].at[f] + first * size;
            /* each value equals the next (count >= 1) */
            if (!memcmp(row, row + size, (size_t)(count - 1) * size)) {
                uint64_t v = 0;
                memcpy(&v, row, size);
                w->value[at] = v;
                w->copied[at] = 0;
            } else {
                memcpy((char *)to[t].at[f] + first * size, row, (size_t)count * size);
                w->copied[at] = 1;
            }
        }
}

void mcr_chunks_loaded(mcr_chunks *c, int j, const uint8_t *done, uint64_t nb)
{
    for (uint64_t b = 0; c->own && b < nb; b++)
        for (size_t u = 0; done[b] && u < (size_t)c->n_strategies * MCR_N_FIELDS; u++)
            c->rows[j % 2].copied[u * MCR_CHUNK_BLOCKS + b] = 1;
}

/* Block b's noted row of field f of strategy t into the buffer of local chunk j (first path
 * `first`, len paths). */
static void fill_row(mcr_chunks *c, int j, uint64_t first, uint64_t len, int t, int f,
                     uint64_t b, const mcr_field_set *sets)
{
    mcr_chunk_rows *w = &c->rows[j % 2];
    size_t at = row_at(t, f, b), size = mcr_field_size((mcr_field_id)f);
    if (w->copied[at])
        return;
    uint64_t at_path = b * MCR_BLOCK_PATHS;
    uint64_t count = len - at_path < MCR_BLOCK_PATHS ? len - at_path : MCR_BLOCK_PATHS;
    unsigned char *p = (unsigned char *)sets[t].at[f] + (first + at_path) * size;
    for (uint64_t i = 0; i < count; i++)
        memcpy(p + i * size, &w->value[at], size);
    w->copied[at] = 1;
}

void mcr_chunks_fill(mcr_chunks *c, int j, uint64_t first, uint64_t len, const uint8_t *done,
                     uint64_t nb, const mcr_field_set *sets)
{
    for (int t = 0; c->own && t < c->n_strategies; t++)
        for (int f = 0; f < MCR_N_FIELDS; f++)
            for (uint64_t b = 0; b < nb && own(c, f); b++)
                if (done[b])
                    fill_row(c, j, first, len, t, f, b, sets);
}

void mcr_chunks_same(mcr_chunks *c, int j, uint64_t first, uint64_t len, uint64_t nb,
                     const mcr_field_set *sets, mcr_h5_same *same)
{
    const mcr_chunk_rows *w = &c->rows[j % 2];
    for (int t = 0; t < c->n_strategies; t++) {
        same->mask[t] = 0;
        for (int f = 0; f < MCR_N_FIELDS; f++) {
            if (!own(c, f))
                continue;
            size_t at = row_at(t, f, 0);
            bool one = true;
            for (uint64_t b = 0; b < nb && one; b++)
                one = !w->copied[at + b] && w->value[at + b] == w->value[at];
            if (one) {
                same->mask[t] |= MCR_FIELD_BIT(f);
                same->value[t][f] = w->value[at];
                continue;
            }
            for (uint64_t b = 0; b < nb; b++)
                fill_row(c, j, first, len, t, f, b, sets);
        }
    }
}
