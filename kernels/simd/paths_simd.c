/* The vector uniform and normal draws and the GBM kernel, written once against the vocabulary of
 * isa_avx2.h / isa_avx512.h (through draws_simd.h) and compiled once per ISA (symbols suffixed
 * _avx2 / _avx512). Every lane is one path with its own PCG32 stream, bit-exact with the scalar
 * generator, and every transform is elementwise, so a path's numbers do not depend on the lane or
 * block that simulates it.
 * Normals are the inverse CDF (AS241) of one uniform per step. Box-Muller was measured against it
 * (bench/normal_bench.c, Zen 4): a few % faster in the AVX-512 GBM kernel, but ~30% slower with
 * AVX2 and ~60% slower in the scalar reference, and it couples the normals of pairs of steps. */
#include "draws_simd.h"

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

void MCR_SUFFIX(mcr_uniform)(mcr_block *b, double *out, int per_path)
{
    mcr_fill_unit(b, out, per_path);
}

void MCR_SUFFIX(mcr_normal_icdf)(mcr_block *b, double *out, int per_path)
{
    mcr_sparse_buf tails;
    for (int k = 0; k < per_path; k += MCR_CHUNK) {
        int n = per_path - k < MCR_CHUNK ? per_path - k : MCR_CHUNK;
        double *rows = out + (size_t)k * MCR_BLOCK_PATHS;
        mcr_fill_unit(b, rows, n);
        mcr_inverse_cdf_merged(rows, n * MCR_BLOCK_PATHS, mcr_sparse_of(&tails));
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

/* ln S += drift + vol z for n steps; the trace row of step k is trace + k * stride. */
static inline void mcr_gbm_rows(mcr_block *b, const double *z, mcr_sparse zt, int n, mcr_vd drift,
                                mcr_vd vol, double *trace, int stride)
{
    for (int g = 0; g < MCR_VECS; g += MCR_GROUP) {
        mcr_vd x[MCR_GROUP];
        for (int j = 0; j < MCR_GROUP; j++)
            x[j] = mcr_vd_loadu(b->log_price + (g + j) * MCR_LANES);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < MCR_GROUP; j++) {
                int v = k * MCR_VECS + g + j;
                x[j] = mcr_vd_add(x[j], mcr_vd_fma(vol, mcr_icdf_get(z, v, zt), drift));
                if (trace)
                    mcr_vd_storeu(trace + (size_t)k * stride + (g + j) * MCR_LANES, x[j]);
            }
        }
        for (int j = 0; j < MCR_GROUP; j++)
            mcr_vd_storeu(b->log_price + (g + j) * MCR_LANES, x[j]);
    }
}

void MCR_SUFFIX(mcr_gbm_advance)(mcr_block *b, const mcr_model_step *c, int n, const double *z,
                                 mcr_sparse zt, double *trace, int stride)
{
    mcr_gbm_rows(b, z, zt, n, mcr_vd_set(c->drift), mcr_vd_set(c->vol), trace, stride);
}

void MCR_SUFFIX(mcr_gbm_paths)(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace)
{
    _Alignas(64) double z[MCR_ROWS];
    mcr_sparse_buf tails;
    mcr_sparse zt = mcr_sparse_of(&tails);
    mcr_vd drift = mcr_vd_set(c->drift), vol = mcr_vd_set(c->vol);
    for (int t = 0; t < n_steps; t += MCR_CHUNK) {
        int n = n_steps - t < MCR_CHUNK ? n_steps - t : MCR_CHUNK;
        mcr_fill_unit(b, z, n);
        mcr_inverse_cdf(z, n * MCR_BLOCK_PATHS, zt);
        mcr_take_shocks(b, z, n, tails.mask);
        mcr_take_tilt(b, z, n, &zt);
        mcr_gbm_rows(b, z, zt, n, drift, vol,
                     trace ? trace + (size_t)t * MCR_BLOCK_PATHS : NULL, MCR_BLOCK_PATHS);
    }
}
