/* The vector path kernels, written once against the vocabulary of isa_avx2.h / isa_avx512.h and
 * compiled once per ISA (symbols suffixed _avx2 / _avx512). Every lane is one path with its own
 * PCG32 stream, bit-exact with the scalar generator, and every transform is elementwise, so a
 * path's numbers do not depend on the lane or block that simulates it. Work is done in passes over
 * a chunk of steps for the whole block (uniforms, then normals, then prices): many independent
 * vectors are in flight at once, and the SLEEF calls, which clobber every vector register, do not
 * split dependency chains.
 * Normals are the inverse CDF (AS241) of one uniform per step. Box-Muller was measured against it
 * (bench/normal_bench.c, Zen 4): a few % faster in the AVX-512 GBM kernel, but ~30% slower with
 * AVX2 and ~60% slower in the scalar reference, and it couples the normals of pairs of steps. */
#if defined(MCR_SIMD_AVX512)
#include "isa_avx512.h"
#elif defined(MCR_SIMD_AVX2)
#include "isa_avx2.h"
#else
#error "compile paths_simd.c with -DMCR_SIMD_AVX2 or -DMCR_SIMD_AVX512"
#endif

#include "kernels.h"
#include "paths.h"

#define MCR_VECS (MCR_BLOCK_PATHS / MCR_LANES) /* vectors in one row of a block */
/* Draws per path per pass: 16 rows of 64 doubles are 8 KiB, well inside L1. Even, so that
 * Box-Muller pairs never straddle two passes. */
#define MCR_CHUNK 16

_Static_assert(MCR_BLOCK_PATHS % (MCR_LANES * MCR_GROUP) == 0, "block must fill whole groups");

/* rows[k * MCR_BLOCK_PATHS + i] = (x + 0.5) 2^-32 for the k-th output x of path i, k < n. */
static void mcr_fill_unit(mcr_block *b, double *rows, int n)
{
    for (int g = 0; g < MCR_VECS; g += MCR_GROUP) {
        mcr_vq s[MCR_GROUP], inc[MCR_GROUP];
        for (int j = 0; j < MCR_GROUP; j++) {
            s[j] = mcr_vq_loadu(b->rng_state + (g + j) * MCR_LANES);
            inc[j] = mcr_vq_loadu(b->rng_inc + (g + j) * MCR_LANES);
        }
        for (int k = 0; k < n; k++) {
            double *row = rows + (size_t)k * MCR_BLOCK_PATHS + g * MCR_LANES;
            for (int j = 0; j < MCR_GROUP; j++) {
                mcr_vd_storeu(row + j * MCR_LANES, mcr_unit_of_u32(mcr_pcg_output(s[j])));
                s[j] = mcr_pcg_step(s[j], inc[j]);
            }
        }
        for (int j = 0; j < MCR_GROUP; j++)
            mcr_vq_storeu(b->rng_state + (g + j) * MCR_LANES, s[j]);
    }
}

/* Box-Muller in place on rows (2p, 2p+1), n even: with u1, u2 from rows 2p and 2p+1,
 * r = sqrt(-2 ln u1), row 2p = r cos(2 pi u2), row 2p+1 = r sin(2 pi u2). The measured
 * alternative to the inverse CDF (see mcr_inverse_cdf), kept for the benchmark. */
static void mcr_box_muller(double *rows, int n)
{
    for (int k = 0; k < n; k += 2) {
        double *r0 = rows + (size_t)k * MCR_BLOCK_PATHS, *r1 = r0 + MCR_BLOCK_PATHS;
        for (int v = 0; v < MCR_BLOCK_PATHS; v += MCR_LANES) {
            mcr_vd u1 = mcr_vd_loadu(r0 + v), u2 = mcr_vd_loadu(r1 + v);
            mcr_vd r = mcr_vd_sqrt(mcr_vd_mul(mcr_vd_set(-2.0), mcr_vd_log(u1)));
            mcr_vd2 sc = mcr_vd_sincospi(mcr_vd_add(u2, u2));
            mcr_vd_storeu(r0 + v, mcr_vd_mul(r, sc.y));
            mcr_vd_storeu(r1 + v, mcr_vd_mul(r, sc.x));
        }
    }
}

/* Horner with scalar coefficients c[0] + c[1] x + ... + c[7] x^7. */
static inline mcr_vd mcr_poly8(const double *c, mcr_vd x)
{
    mcr_vd r = mcr_vd_set(c[7]);
    for (int i = 6; i >= 0; i--)
        r = mcr_vd_fma(r, x, mcr_vd_set(c[i]));
    return r;
}

/* Wichura's AS241 (PPND16) coefficients, as in models/normal.c. */
static const double mcr_as241_a[8] = {3.3871328727963666080e0, 1.3314166789178437745e2,
    1.9715909503065514427e3, 1.3731693765509461125e4, 4.5921953931549871457e4,
    6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3};
static const double mcr_as241_b[8] = {1.0, 4.2313330701600911252e1, 6.8718700749205790830e2,
    5.3941960214247511077e3, 2.1213794301586595867e4, 3.9307895800092710610e4,
    2.8729085735721942674e4, 5.2264952788528545610e3};
static const double mcr_as241_c[8] = {1.42343711074968357734e0, 4.63033784615654529590e0,
    5.76949722146069140550e0, 3.64784832476320460504e0, 1.27045825245236838258e0,
    2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double mcr_as241_d[8] = {1.0, 2.05319162663775882187e0, 1.67638483018380384940e0,
    6.89767334985100004550e-1, 1.48103976427480074590e-1, 1.51986665636164571966e-2,
    5.47593808499534494600e-4, 1.05075007164441684324e-9};

/* Inverse CDF of one chunk, in two parts: every lane gets AS241's central rational function, and
 * the uniforms of the tail lanes (|p - 0.5| > 0.425, 15% of draws) are packed into full vectors
 * and get the tail formula there, so the log and sqrt are paid once per tail draw instead of once
 * per vector that has any tail lane (73% of 8-lane vectors). mcr_icdf_get merges the two. */
typedef struct mcr_icdf_tails {
    double z[MCR_CHUNK * MCR_BLOCK_PATHS + MCR_LANES]; /* packed tail uniforms, then normals */
    mcr_vm mask[MCR_CHUNK * MCR_VECS];                 /* tail lanes of vector v */
    int at[MCR_CHUNK * MCR_VECS];                      /* first tail lane of vector v in z */
} mcr_icdf_tails;

/* n uniforms in z (n a multiple of MCR_LANES, at most MCR_CHUNK * MCR_BLOCK_PATHS). Uniforms from
 * 32-bit outputs are at least 2^-33 away from 0 and 1, so r = sqrt(-ln min(p, 1-p)) <= 4.8 and
 * AS241's far-tail branch (r > 5) is never needed. */
static void mcr_inverse_cdf(double *z, int n, mcr_icdf_tails *t)
{
    int n_tail = 0;
    for (int v = 0; v < n / MCR_LANES; v++) {
        mcr_vd p = mcr_vd_loadu(z + v * MCR_LANES);
        mcr_vd q = mcr_vd_sub(p, mcr_vd_set(0.5));
        mcr_vd r = mcr_vd_fnma(q, q, mcr_vd_set(0.180625));
        mcr_vd_storeu(z + v * MCR_LANES, mcr_vd_div(mcr_vd_mul(q, mcr_poly8(mcr_as241_a, r)),
                                                    mcr_poly8(mcr_as241_b, r)));
        mcr_vm m = mcr_vd_gt(mcr_vd_abs(q), mcr_vd_set(0.425));
        mcr_vd_storeu(t->z + n_tail, mcr_vd_compress(m, p)); /* lanes past the tail: scratch */
        t->mask[v] = m;
        t->at[v] = n_tail;
        n_tail += mcr_vm_count(m);
    }
    mcr_vd_storeu(t->z + n_tail, mcr_vd_set(0.25)); /* any p in (0, 1): pads the last vector */
    for (int i = 0; i < n_tail; i += MCR_LANES) {
        mcr_vd p = mcr_vd_loadu(t->z + i);
        mcr_vd s = mcr_vd_min(p, mcr_vd_sub(mcr_vd_set(1.0), p));
        mcr_vd r = mcr_vd_sub(mcr_vd_sqrt(mcr_vd_sub(mcr_vd_set(0.0), mcr_vd_log(s))),
                              mcr_vd_set(1.6));
        mcr_vd x = mcr_vd_div(mcr_poly8(mcr_as241_c, r), mcr_poly8(mcr_as241_d, r));
        mcr_vd_storeu(t->z + i, mcr_vd_copysign(x, mcr_vd_sub(p, mcr_vd_set(0.5))));
    }
}

/* The normals of vector v of a chunk transformed by mcr_inverse_cdf. */
static inline mcr_vd mcr_icdf_get(const double *z, int v, const mcr_icdf_tails *t)
{
    mcr_vd central = mcr_vd_loadu(z + v * MCR_LANES);
    return mcr_vd_expand(central, t->mask[v], mcr_vd_loadu(t->z + t->at[v]));
}

void MCR_SUFFIX(mcr_uniform32)(mcr_block *b, uint32_t *out, int per_path)
{
    for (int v = 0; v < MCR_VECS; v++) {
        mcr_vq s = mcr_vq_loadu(b->rng_state + v * MCR_LANES);
        mcr_vq inc = mcr_vq_loadu(b->rng_inc + v * MCR_LANES);
        for (int k = 0; k < per_path; k++) {
            mcr_vq_store_u32(out + (size_t)k * MCR_BLOCK_PATHS + v * MCR_LANES, mcr_pcg_output(s));
            s = mcr_pcg_step(s, inc);
        }
        mcr_vq_storeu(b->rng_state + v * MCR_LANES, s);
    }
}

void MCR_SUFFIX(mcr_normal_icdf)(mcr_block *b, double *out, int per_path)
{
    mcr_icdf_tails tails;
    for (int k = 0; k < per_path; k += MCR_CHUNK) {
        int n = per_path - k < MCR_CHUNK ? per_path - k : MCR_CHUNK;
        double *rows = out + (size_t)k * MCR_BLOCK_PATHS;
        mcr_fill_unit(b, rows, n);
        mcr_inverse_cdf(rows, n * MCR_BLOCK_PATHS, &tails);
        for (int v = 0; v < n * MCR_VECS; v++)
            mcr_vd_storeu(rows + v * MCR_LANES, mcr_icdf_get(rows, v, &tails));
    }
}

void MCR_SUFFIX(mcr_normal_bm)(mcr_block *b, double *out, int per_path)
{
    for (int k = 0; k < per_path; k += MCR_CHUNK) {
        int n = per_path - k < MCR_CHUNK ? per_path - k : MCR_CHUNK;
        double *rows = out + (size_t)k * MCR_BLOCK_PATHS;
        mcr_fill_unit(b, rows, n);
        mcr_box_muller(rows, n);
    }
}

/* ln S += drift + vol z for n steps whose normals are a chunk transformed by mcr_inverse_cdf;
 * trace, when not NULL, points at the chunk's first row. */
static void mcr_gbm_rows(mcr_block *b, const double *z, const mcr_icdf_tails *tails, int n,
                         mcr_vd drift, mcr_vd vol, double *trace)
{
    for (int g = 0; g < MCR_VECS; g += MCR_GROUP) {
        mcr_vd x[MCR_GROUP];
        for (int j = 0; j < MCR_GROUP; j++)
            x[j] = mcr_vd_loadu(b->log_price + (g + j) * MCR_LANES);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < MCR_GROUP; j++) {
                int v = k * MCR_VECS + g + j;
                x[j] = mcr_vd_add(x[j], mcr_vd_fma(vol, mcr_icdf_get(z, v, tails), drift));
                if (trace)
                    mcr_vd_storeu(trace + v * MCR_LANES, x[j]);
            }
        }
        for (int j = 0; j < MCR_GROUP; j++)
            mcr_vd_storeu(b->log_price + (g + j) * MCR_LANES, x[j]);
    }
}

void MCR_SUFFIX(mcr_gbm_paths)(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace)
{
    _Alignas(64) double z[MCR_CHUNK * MCR_BLOCK_PATHS];
    mcr_icdf_tails tails;
    mcr_vd drift = mcr_vd_set(c->drift), vol = mcr_vd_set(c->vol);
    for (int t = 0; t < n_steps; t += MCR_CHUNK) {
        int n = n_steps - t < MCR_CHUNK ? n_steps - t : MCR_CHUNK;
        mcr_fill_unit(b, z, n);
        mcr_inverse_cdf(z, n * MCR_BLOCK_PATHS, &tails);
        mcr_gbm_rows(b, z, &tails, n, drift, vol,
                     trace ? trace + (size_t)t * MCR_BLOCK_PATHS : NULL);
    }
}
