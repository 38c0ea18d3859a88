/* PCG32 (XSH-RR 64/32, O'Neill 2014), the scalar reference generator: a small value type with
 * an explicit stream (the odd increment), bit-exact with pcg-c's pcg32_srandom_r/pcg32_random_r,
 * and an O(log n) jump (Brown 1994) in either direction. The vector kernels keep the same state
 * per lane in structure-of-arrays form and must match this generator bit for bit. */
#ifndef MCR_PCG32_H
#define MCR_PCG32_H

#include <stdint.h>

#define MCR_PCG32_MULT 6364136223846793005ULL

typedef struct mcr_pcg32 {
    uint64_t state;
    uint64_t inc; /* always odd: (initseq << 1) | 1 */
} mcr_pcg32;

static inline uint32_t mcr_pcg32_output(uint64_t old)
{
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

static inline uint32_t mcr_pcg32_next(mcr_pcg32 *g)
{
    uint64_t old = g->state;
    g->state = old * MCR_PCG32_MULT + g->inc;
    return mcr_pcg32_output(old);
}

/* pcg32_srandom_r(initstate, initseq). */
void mcr_pcg32_seed(mcr_pcg32 *g, uint64_t initstate, uint64_t initseq);

/* Move the stream by `delta` outputs; negative deltas go back (two's complement, as in pcg-c). */
void mcr_pcg32_advance(mcr_pcg32 *g, int64_t delta);

/* The generator of one simulated path: stream = the global path index, so every path owns a
 * distinct stream whatever thread or rank simulates it; the starting state is a SplitMix64 hash of
 * (seed, path) so that neighbouring streams do not start from related states (streams of an LCG
 * that differ only in the increment are correlated when started from the same state). */
mcr_pcg32 mcr_pcg32_for_path(uint64_t seed, uint64_t path);

/* The generator of asset `asset` (0 .. 127) of a path: asset 0 is mcr_pcg32_for_path(seed, path);
 * asset a > 0 uses stream path + a 2^56 (distinct for paths < 2^56) started from a hash of
 * (seed, a, path), so every asset of every path owns a distinct stream. */
mcr_pcg32 mcr_pcg32_for_asset(uint64_t seed, int asset, uint64_t path);

#endif
