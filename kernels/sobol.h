/* Sobol points for randomised quasi-Monte Carlo: Joe-Kuo direction numbers (kernels/sobol_table.c),
 * Gray-code order, randomised by a linear matrix scrambling plus a digital shift (Matousek 1998,
 * "On the L2-discrepancy for anchored boxes", J. Complexity 14; Owen 2003, "Variance with
 * alternative scramblings of digital nets", ACM TOMACS 13), seeded from (seed, randomisation) with
 * PCG32. Points are 32-bit integers x (the first binary digit is the top bit); the uniform is
 * (x + 0.5) 2^-32, never 0 or 1, and the normal its inverse normal CDF (models/normal.h).
 *
 * A point depends only on its global index, so any thread or rank can start a block anywhere with
 * mcr_sobol_point and continue with mcr_sobol_next. The generator itself is read-only after init
 * and can be shared by threads; each thread keeps its own point buffer (dims words). */
#ifndef MCR_SOBOL_H
#define MCR_SOBOL_H

#include <stdint.h>

#include "core/status.h"

#define MCR_SOBOL_MAX_DIMS 4096 /* rows of kernels/sobol_table.c */
#define MCR_SOBOL_BITS 32
#define MCR_SOBOL_MAX_POINTS (UINT64_C(1) << MCR_SOBOL_BITS) /* indices 0 .. 2^32 - 1 */

/* The generated table (see its banner for the provenance and the layout). */
extern const uint32_t mcr_sobol_poly[MCR_SOBOL_MAX_DIMS];
extern const uint16_t mcr_sobol_m[];
extern const uint32_t mcr_sobol_m_count;

typedef struct mcr_sobol {
    int dims;
    /* dir[k * dims + j]: direction number k + 1 (k = 0 .. 31) of dimension j after scrambling,
     * stored by k so that a Gray-code step XORs one contiguous row into the point */
    uint32_t *dir;
    uint32_t *shift; /* [dims]: the digital shift, i.e. point 0 (all 0 unscrambled) */
} mcr_sobol;

/* Build the generator of `dims` (1 .. MCR_SOBOL_MAX_DIMS) dimensions. randomise = 0: the plain
 * Sobol sequence (as scipy.stats.qmc.Sobol(scramble=False, bits=32)); otherwise randomisation
 * number `randomisation` of `seed`: every dimension j gets a random lower-triangular binary matrix
 * L_j with unit diagonal and a random shift e_j, and point n is L_j x_j(n) XOR e_j. Independent
 * randomisations of one seed give independent, individually uniform point sets, so the spread of
 * an estimate over them is its standard error. Allocates; free with mcr_sobol_free. */
mcr_status mcr_sobol_init(mcr_sobol *s, int dims, int randomise, uint64_t seed,
                          uint64_t randomisation, mcr_error *err);
void mcr_sobol_free(mcr_sobol *s);

/* x[0 .. dims) = point number `index` (< MCR_SOBOL_MAX_POINTS) in Gray-code order:
 * O(dims x popcount), for the start of a block. */
void mcr_sobol_point(const mcr_sobol *s, uint64_t index, uint32_t *x);

/* x holds point `index`; make it point index + 1 (< MCR_SOBOL_MAX_POINTS): one XOR per
 * dimension, since Gray codes of consecutive indices differ in the bit ctz(index + 1). */
static inline void mcr_sobol_next(const mcr_sobol *s, uint64_t index, uint32_t *x)
{
    const uint32_t *row = s->dir + (uint64_t)__builtin_ctzll(index + 1) * (uint64_t)s->dims;
    for (int j = 0; j < s->dims; j++)
        x[j] ^= row[j];
}

static inline double mcr_sobol_uniform(uint32_t x)
{
    return ((double)x + 0.5) * 0x1p-32; /* in [2^-33, 1 - 2^-33]: never 0 or 1 */
}

/* u[j] = mcr_sobol_uniform(x[j]) and z[j] = its inverse normal CDF, for j < n. */
void mcr_sobol_uniforms(const uint32_t *x, int n, double *u);
void mcr_sobol_normals(const uint32_t *x, int n, double *z);

#endif
