/* One per-path chunk encoded as HDF5's shuffle + deflate filter pipeline decodes it, on any
 * thread (the writer compresses chunks on worker threads and hands the bytes to H5Dwrite_chunk).
 * Internal to output/. The values are shuffled into byte planes (byte j of every value, then
 * byte j + 1, ...), as the shuffle filter does, and the planes go into one zlib stream, each
 * with the parameters that suit it: a plane whose bytes look random (order-0 entropy above 7
 * bits per byte: the low mantissa bytes of doubles) is stored (deflate level 0), since deflating
 * random bytes costs most of the time and gains under 2%; the others are deflated with zlib's
 * run-length strategy (Z_RLE: matches at distance 1, Huffman codes), which on the default run's
 * planes is 5x faster than level 4 and a little smaller, because their redundancy is repeated
 * bytes and skewed byte frequencies, not long repeats. Parameter changes inside a stream are
 * plain deflate blocks, so stock zlib (h5py, h5dump) inflates the result. A function of the
 * values only: the same bytes on any thread.
 * A chunk of one repeated value (the zeros of a component a strategy never books, the -1 of a
 * liquidation step that never came) is encoded once per codec and its bytes reused: most
 * per-path datasets of a simple run are such chunks, and their encoding cost as much as the
 * rest of the writer. A codec keeps several such encodings, because one codec serves several
 * datasets of each chunk in turn (zeros in double, -1 in int32, 0 in uint32, ...): with one,
 * they evicted each other and most constant chunks were encoded anew. */
#ifndef MCR_CHUNK_CODEC_H
#define MCR_CHUNK_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#define MCR_CODEC_SAME 8 /* constant chunks' encodings a codec keeps */

/* A constant chunk's encoding: the value's bytes, count, size and the encoded bytes. */
typedef struct mcr_chunk_same {
    uint8_t value[8];
    size_t count, size, bytes; /* bytes 0: unused */
    uint8_t out[1024];
} mcr_chunk_same;

/* Scratch of one thread: a deflate state and the shuffled planes of a chunk. */
typedef struct mcr_chunk_codec {
    z_stream z;
    int level;      /* for the planes that are deflated */
    size_t chunk;   /* values per chunk */
    uint8_t *planes; /* [chunk * 8] */
    uint8_t *out;    /* [cap] */
    size_t cap;
    int ready;       /* z initialised */
    mcr_chunk_same same[MCR_CODEC_SAME]; /* the constant chunks encoded last */
    int same_next;                       /* the entry replaced next (round robin) */
    size_t reused;                       /* chunks served from `same` */
} mcr_chunk_codec;

/* Scratch for chunks of `chunk` values of up to 8 bytes; 0 when out of memory. */
int mcr_chunk_codec_init(mcr_chunk_codec *c, size_t chunk, int level);
void mcr_chunk_codec_free(mcr_chunk_codec *c);

/* Encode `count` values of `size` bytes (count <= chunk; the rest of the chunk is zeros, as
 * HDF5 pads an edge chunk) into c->out; returns the encoded bytes, 0 on a zlib failure. */
size_t mcr_chunk_encode(mcr_chunk_codec *c, const void *values, size_t count, size_t size);
/* The same for count copies of one value of `size` bytes (the bytes mcr_chunk_encode gives for
 * them), without an array of them. */
size_t mcr_chunk_encode_same(mcr_chunk_codec *c, const void *value, size_t count, size_t size);

#endif
