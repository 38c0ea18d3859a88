/* Sobol direction numbers from the Joe-Kuo table, their random linear scrambling, and points by
 * index. See sobol.h for the contract.
 *
 * Direction numbers (Bratley & Fox 1988, "Algorithm 659", ACM TOMS 14; Joe & Kuo 2008): dimension
 * j has a primitive polynomial x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 and odd initial integers
 * m_1..m_s (m_k < 2^k). With v_k = m_k 2^(32-k) for k <= s, the rest follow
 *   v_k = v_(k-s) XOR (v_(k-s) >> s) XOR a_1 v_(k-1) XOR ... XOR a_(s-1) v_(k-s+1),
 * and dimension 0 is van der Corput's, v_k = 2^(32-k). Point n of dimension j (Gray-code order,
 * Antonov & Saleev 1979) is the XOR of v_k over the set bits k - 1 of g(n) = n XOR (n >> 1).
 *
 * Linear matrix scrambling: digit i of the scrambled point (i = 1 the most significant) is
 * digit i of x plus a random GF(2) combination of the digits before it; the map is linear, so it
 * is applied once to the 32 direction numbers and the Gray-code recursion then yields scrambled
 * points directly. The digital shift e_j is XORed into point 0 and so carried by every point. */
#include "sobol.h"

#include <stdlib.h>

#include "models/normal.h"
#include "pcg32.h"

/* SplitMix64's finaliser (Steele, Lea & Flood 2014), to derive the scrambling stream's start. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The PCG32 stream that scrambles randomisation r of seed: stream r, started from a hash of
 * (seed, r) under a tag of its own, so it shares no starting state with the path generators. */
static mcr_pcg32 scramble_rng(uint64_t seed, uint64_t r)
{
    uint64_t tag = 0x536f626f6c524e47ULL; /* "SobolRNG" */
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, mix64(mix64(seed ^ tag) + (r + 1) * 0x9e3779b97f4a7c15ULL), r);
    return g;
}

static void direction_numbers(int dim, const uint16_t *m, uint32_t v[MCR_SOBOL_BITS])
{
    uint32_t poly = mcr_sobol_poly[dim];
    int s = 31 - __builtin_clz(poly); /* degree: the bit length - 1 (0 for dimension 0) */
    if (s == 0) {
        for (int k = 0; k < MCR_SOBOL_BITS; k++)
            v[k] = UINT32_C(1) << (31 - k);
        return;
    }
    for (int k = 0; k < s && k < MCR_SOBOL_BITS; k++)
        v[k] = (uint32_t)m[k] << (31 - k); /* v_(k+1) = m_(k+1) 2^(32-(k+1)) */
    for (int k = s; k < MCR_SOBOL_BITS; k++) {
        uint32_t x = v[k - s] ^ (v[k - s] >> s);
        for (int i = 1; i < s; i++)
            if ((poly >> (s - i)) & 1u)
                x ^= v[k - i];
        v[k] = x;
    }
}

/* y = L x for the lower-triangular unit-diagonal matrix whose row for output bit b is rows[b]:
 * bit b itself and random bits among the more significant ones (earlier digits). */
static uint32_t scramble(const uint32_t rows[MCR_SOBOL_BITS], uint32_t x)
{
    uint32_t y = 0;
    for (int b = 0; b < MCR_SOBOL_BITS; b++)
        y |= (uint32_t)__builtin_parity(rows[b] & x) << b;
    return y;
}

mcr_status mcr_sobol_init(mcr_sobol *s, int dims, int randomise, uint64_t seed,
                          uint64_t randomisation, mcr_error *err)
{
    s->dims = 0;
    s->dir = NULL;
    s->shift = NULL;
    if (dims < 1 || dims > MCR_SOBOL_MAX_DIMS)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "Sobol dimensions: must be an integer in 1 .. %d (got %d)",
                        MCR_SOBOL_MAX_DIMS, dims);
    s->dir = malloc(sizeof(uint32_t) * MCR_SOBOL_BITS * (size_t)dims);
    s->shift = calloc((size_t)dims, sizeof(uint32_t));
    if (!s->dir || !s->shift) {
        mcr_sobol_free(s);
        return mcr_fail(err, MCR_ERR_NOMEM, "Sobol generator: out of memory for %d dimensions",
                        dims);
    }
    s->dims = dims;
    mcr_pcg32 g = scramble_rng(seed, randomisation);
    const uint16_t *m = mcr_sobol_m;
    for (int j = 0; j < dims; j++) {
        uint32_t v[MCR_SOBOL_BITS], rows[MCR_SOBOL_BITS];
        direction_numbers(j, m, v);
        m += 31 - __builtin_clz(mcr_sobol_poly[j]);
        if (randomise) {
            /* rows[b]: bit b, plus random bits above it (none above bit 31) */
            for (int b = 0; b < MCR_SOBOL_BITS; b++) {
                uint32_t above = b == 31 ? 0 : ~UINT32_C(0) << (b + 1);
                rows[b] = (mcr_pcg32_next(&g) & above) | (UINT32_C(1) << b);
            }
            s->shift[j] = mcr_pcg32_next(&g);
            for (int k = 0; k < MCR_SOBOL_BITS; k++)
                v[k] = scramble(rows, v[k]);
        }
        for (int k = 0; k < MCR_SOBOL_BITS; k++)
            s->dir[(size_t)k * (size_t)dims + (size_t)j] = v[k];
    }
    return MCR_OK;
}

void mcr_sobol_free(mcr_sobol *s)
{
    free(s->dir);
    free(s->shift);
    s->dir = NULL;
    s->shift = NULL;
    s->dims = 0;
}

void mcr_sobol_point(const mcr_sobol *s, uint64_t index, uint32_t *x)
{
    for (int j = 0; j < s->dims; j++)
        x[j] = s->shift[j];
    uint64_t gray = index ^ (index >> 1);
    for (int k = 0; gray && k < MCR_SOBOL_BITS; k++, gray >>= 1)
        if (gray & 1u) {
            const uint32_t *row = s->dir + (size_t)k * (size_t)s->dims;
            for (int j = 0; j < s->dims; j++)
                x[j] ^= row[j];
        }
}

void mcr_sobol_uniforms(const uint32_t *x, int n, double *u)
{
    for (int j = 0; j < n; j++)
        u[j] = mcr_sobol_uniform(x[j]);
}

void mcr_sobol_normals(const uint32_t *x, int n, double *z)
{
    for (int j = 0; j < n; j++)
        z[j] = mcr_norm_quantile(mcr_sobol_uniform(x[j]));
}
