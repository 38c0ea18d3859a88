/* The chunk codec (chunk_codec.h): shuffle, then deflate plane by plane. */
#include "chunk_codec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Values go from memory into the file's little-endian types byte for byte. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "a little-endian host");

#define MCR_RANDOM_BITS 7.0 /* a plane above this many bits per byte is stored, not deflated */

int mcr_chunk_codec_init(mcr_chunk_codec *c, size_t chunk, int level)
{
    memset(c, 0, sizeof *c);
    c->level = level;
    c->chunk = chunk;
    /* stored blocks add 5 bytes per 64 KiB, a level change one block end: far under 1/64 */
    c->cap = chunk * 8 + chunk * 8 / 64 + 1024;
    c->planes = malloc(chunk * 8);
    c->out = malloc(c->cap);
    c->ready = c->planes && c->out &&
               deflateInit2(&c->z, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    if (!c->ready)
        mcr_chunk_codec_free(c);
    return c->ready;
}

void mcr_chunk_codec_free(mcr_chunk_codec *c)
{
    if (c->ready)
        deflateEnd(&c->z);
    free(c->planes);
    free(c->out);
    memset(c, 0, sizeof *c);
}

/* Order-0 entropy of a plane of n bytes above MCR_RANDOM_BITS bits per byte, estimated on every
 * fourth byte (the estimate's bias, 255 / (2 m ln 2) bits for m bytes, is 0.01 bits here). */
static bool looks_random(const uint8_t *p, size_t n)
{
    uint32_t count[256] = {0};
    size_t m = 0;
    for (size_t i = 0; i < n; i += 4, m++)
        count[p[i]]++;
    double h = 0;
    for (int b = 0; b < 256; b++)
        if (count[b])
            h -= (double)count[b] * log2((double)count[b] / (double)m);
    return h > MCR_RANDOM_BITS * (double)m;
}

/* HDF5's shuffle: byte j of value i goes to planes[j * chunk + i]. Value by value, so the
 * planes are written as `size` sequential streams. */
static void shuffle(uint8_t *restrict planes, const uint8_t *restrict v, size_t count,
                    size_t chunk, size_t size)
{
    if (size == 8) {
        for (size_t i = 0; i < count; i++) {
            uint64_t x;
            memcpy(&x, v + 8 * i, 8);
            for (size_t j = 0; j < 8; j++) /* little-endian: byte j is bits 8j.. */
                planes[j * chunk + i] = (uint8_t)(x >> (8 * j));
        }
    } else {
        for (size_t i = 0; i < count; i++)
            for (size_t j = 0; j < size; j++)
                planes[j * chunk + i] = v[i * size + j];
    }
    for (size_t j = 0; j < size; j++)
        memset(planes + j * chunk + count, 0, chunk - count);
}

/* Whether the count values of `size` bytes are one value repeated: each value equals the next
 * (an overlapping memcmp, which glibc does at memory speed). */
static bool constant(const uint8_t *v, size_t count, size_t size)
{
    return count > 0 && !memcmp(v, v + size, (count - 1) * size);
}

static size_t deflate_planes(mcr_chunk_codec *c, size_t size);

/* The planes of count copies of value: plane j is byte j of it, as shuffle would give. */
static void same_planes(uint8_t *restrict planes, const uint8_t *value, size_t count,
                        size_t chunk, size_t size)
{
    for (size_t j = 0; j < size; j++) {
        memset(planes + j * chunk, value[j], count);
        memset(planes + j * chunk + count, 0, chunk - count);
    }
}

size_t mcr_chunk_encode(mcr_chunk_codec *c, const void *values, size_t count, size_t size)
{
    if (constant(values, count, size))
        return mcr_chunk_encode_same(c, values, count, size);
    shuffle(c->planes, values, count, c->chunk, size);
    return deflate_planes(c, size);
}

size_t mcr_chunk_encode_same(mcr_chunk_codec *c, const void *value, size_t count, size_t size)
{
    for (int e = 0; e < MCR_CODEC_SAME; e++) {
        const mcr_chunk_same *m = &c->same[e];
        if (m->bytes && m->count == count && m->size == size && !memcmp(m->value, value, size)) {
            memcpy(c->out, m->out, m->bytes); /* the same bytes as encoding them again */
            c->reused++;
            return m->bytes;
        }
    }
    same_planes(c->planes, value, count, c->chunk, size);
    size_t bytes = deflate_planes(c, size);
    if (bytes && bytes <= sizeof c->same[0].out) {
        mcr_chunk_same *m = &c->same[c->same_next];
        c->same_next = (c->same_next + 1) % MCR_CODEC_SAME;
        memcpy(m->value, value, size);
        m->count = count;
        m->size = size;
        memcpy(m->out, c->out, bytes);
        m->bytes = bytes;
    }
    return bytes;
}

/* The planes of `size` bytes per value into one zlib stream in c->out. */
static size_t deflate_planes(mcr_chunk_codec *c, size_t size)
{
    size_t n = c->chunk;
    z_stream *z = &c->z;
    if (deflateReset(z) != Z_OK)
        return 0;
    z->next_out = c->out;
    z->avail_out = (uInt)c->cap;
    int st = Z_OK;
    for (size_t j = 0; j < size && st == Z_OK; j++) {
        uint8_t *p = c->planes + j * n;
        /* the input so far is flushed with the old parameters by deflateParams itself */
        bool stored = looks_random(p, n);
        if (deflateParams(z, stored ? 0 : c->level, stored ? Z_DEFAULT_STRATEGY : Z_RLE) != Z_OK)
            return 0;
        z->next_in = p;
        z->avail_in = (uInt)n;
        st = deflate(z, j + 1 == size ? Z_FINISH : Z_NO_FLUSH);
        if (z->avail_in)
            return 0; /* out of room: cannot happen with cap */
    }
    return st == Z_STREAM_END ? c->cap - z->avail_out : 0;
}
