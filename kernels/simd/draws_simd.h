/* What every kernels/simd source shares, compiled once per ISA with it: the ISA vocabulary, the
 * uniform and normal draws (PCG32 lanes, AS241 inverse CDF with packed tails), the draw pass of
 * one asset in draw-contract order (kernels.h) with its jumps packed, and the chunk-level entry
 * points the sources call in each other (suffixed per ISA).
 * Work is done in passes over a chunk of steps for the whole block (uniforms, then normals, then
 * prices): many independent vectors are in flight at once, and the SLEEF calls, which clobber
 * every vector register, do not split dependency chains (the log is the project's own,
 * vmath_simd.h). Rare work (normal tails, jumps) is
 * packed: the lanes that need it are compressed into full vectors, so it costs per lane that
 * needs it, not per vector that has such a lane. */
#ifndef MCR_DRAWS_SIMD_H
#define MCR_DRAWS_SIMD_H

#if defined(MCR_SIMD_AVX512)
#include "isa_avx512.h"
#elif defined(MCR_SIMD_AVX2)
#include "isa_avx2.h"
#else
#error "compile kernels/simd sources with -DMCR_SIMD_AVX2 or -DMCR_SIMD_AVX512"
#endif
#include "vmath_simd.h"

#include <string.h>

#include "kernels/kernels.h"
#include "kernels/paths.h"

#define MCR_VECS (MCR_BLOCK_PATHS / MCR_LANES) /* vectors in one row of a block */
/* Steps per pass: 16 rows of 64 doubles are 8 KiB, well inside L1. Even, so that Box-Muller
 * pairs never straddle two passes. */
#define MCR_CHUNK 16
#define MCR_ROWS (MCR_CHUNK * MCR_BLOCK_PATHS)
_Static_assert(MCR_BLOCK_PATHS % (MCR_LANES * MCR_GROUP) == 0, "block must fill whole groups");

/* A sparse set of rows: for vector v of a chunk (v = step * MCR_VECS + vector of the row), the
 * lanes mask[v] hold the values val[at[v]], val[at[v] + 1], ... (packed in v order). The storage
 * belongs to the caller: val has room for every lane of the chunk plus one vector. */
typedef struct mcr_sparse {
    double *val;
    mcr_vm *mask;
    int *at;
} mcr_sparse;

/* Storage of a sparse set for MCR_CHUNK steps. */
typedef struct mcr_sparse_buf {
    double val[MCR_ROWS + MCR_LANES];
    mcr_vm mask[MCR_CHUNK * MCR_VECS];
    int at[MCR_CHUNK * MCR_VECS];
} mcr_sparse_buf;

static inline mcr_sparse mcr_sparse_of(mcr_sparse_buf *s)
{
    return (mcr_sparse){s->val, s->mask, s->at};
}

/* x with the lanes of vector v replaced by their sparse values. */
static inline mcr_vd mcr_sparse_get(mcr_sparse s, int v, mcr_vd x)
{
    return mcr_vd_expand(x, s.mask[v], mcr_vd_loadu(s.val + s.at[v]));
}

/* rows[k * MCR_BLOCK_PATHS + i] = (x + 0.5) 2^-32 for the k-th output x of path i, k < n. */
static inline void mcr_fill_unit(mcr_block *b, double *rows, int n)
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

/* The draw-transform hook (kernels.h, mcr_block.shocks): when the caller gave price shocks, the
 * n rows of normals z (just transformed from the path's own w outputs) become the given ones and
 * their tail lanes are emptied (tails: the sparse set's masks, or NULL for merged normals). */
static inline void mcr_take_shocks(mcr_block *b, double *z, int n, mcr_vm *tails)
{
    if (!b->shocks)
        return;
    memcpy(z, b->shocks, (size_t)n * MCR_BLOCK_PATHS * sizeof(double));
    for (int v = 0; tails && v < n * MCR_VECS; v++)
        tails[v] = 0;
    b->shocks += (size_t)n * MCR_BLOCK_PATHS;
}

/* The normal-shift hook (kernels.h, mcr_block.tilt_on): when on, the n rows of price shocks z
 * (tails: their sparse tail lanes, or NULL for merged normals) become z + tilt, merged (the
 * tails emptied), and each path's tilt_sum adds its rows in step order, as the scalar reference
 * does. Called once per chunk, after mcr_take_shocks: when off it costs one test per chunk and
 * the kernels' arithmetic is untouched. */
static inline void mcr_take_tilt(mcr_block *b, double *z, int n, const mcr_sparse *tails)
{
    if (!b->tilt_on)
        return;
    const mcr_vd tilt = mcr_vd_set(b->tilt);
    for (int vv = 0; vv < MCR_VECS; vv++) {
        mcr_vd sum = mcr_vd_loadu(b->tilt_sum + vv * MCR_LANES);
        for (int k = 0; k < n; k++) {
            int v = k * MCR_VECS + vv;
            mcr_vd w = tails ? mcr_sparse_get(*tails, v, mcr_vd_loadu(z + v * MCR_LANES))
                             : mcr_vd_loadu(z + v * MCR_LANES);
            w = mcr_vd_add(w, tilt);
            mcr_vd_storeu(z + v * MCR_LANES, w);
            sum = mcr_vd_add(sum, w);
        }
        mcr_vd_storeu(b->tilt_sum + vv * MCR_LANES, sum);
    }
    for (int v = 0; tails && v < n * MCR_VECS; v++)
        tails->mask[v] = 0;
}

/* The next uniform of every lane of a generator vector. */
static inline mcr_vd mcr_next_unit(mcr_vq *s, mcr_vq inc)
{
    mcr_vd u = mcr_unit_of_u32(mcr_pcg_output(*s));
    *s = mcr_pcg_step(*s, inc);
    return u;
}

/* A jump of k outputs along a PCG32 stream: state -> mult state + gsum inc (mod 2^64), with
 * mult = MULT^k and gsum = 1 + MULT + ... + MULT^(k-1). */
typedef struct mcr_lcg_skip {
    uint64_t mult, gsum;
} mcr_lcg_skip;

static inline mcr_lcg_skip mcr_lcg_skip_of(int k)
{
    mcr_lcg_skip j = {1, 0};
    for (int i = 0; i < k; i++) {
        j.gsum = j.gsum * MCR_PCG32_MULT + 1;
        j.mult *= MCR_PCG32_MULT;
    }
    return j;
}

/* The uniforms of n steps of one asset in draw-contract order (kernels.h): w -> z rows, eta ->
 * eta rows when eta is not NULL, then, for a jump model (skip not NULL), the count uniform u_N and
 * the size uniforms. Only u_N is computed here: mask[v] marks the lanes with u_N > cdf0 (at least
 * one jump), and every lane jumps past u_N and the size uniforms at once (skip: 1 + sizes
 * outputs). mcr_jumps_of_chunk replays those outputs for the marked lanes alone, 2.7% of lanes in
 * W2, so the size uniforms cost nothing where nothing jumps. */
static inline void mcr_fill_steps(mcr_block *b, int n, double *z, double *eta,
                                  const mcr_lcg_skip *skip, double cdf0, mcr_vm *mask)
{
    mcr_vd f0 = mcr_vd_set(cdf0);
    for (int g = 0; g < MCR_VECS; g += MCR_GROUP) {
        mcr_vq s[MCR_GROUP], inc[MCR_GROUP], skip_inc[MCR_GROUP];
        for (int j = 0; j < MCR_GROUP; j++) {
            s[j] = mcr_vq_loadu(b->rng_state + (g + j) * MCR_LANES);
            inc[j] = mcr_vq_loadu(b->rng_inc + (g + j) * MCR_LANES);
            if (skip)
                skip_inc[j] = mcr_vq_mul_add(inc[j], skip->gsum, mcr_vq_zero());
        }
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < MCR_GROUP; j++) {
                int v = k * MCR_VECS + g + j;
                mcr_vd_storeu(z + v * MCR_LANES, mcr_next_unit(&s[j], inc[j]));
                if (eta)
                    mcr_vd_storeu(eta + v * MCR_LANES, mcr_next_unit(&s[j], inc[j]));
                if (!skip)
                    continue;
                mask[v] = mcr_vd_gt(mcr_unit_of_u32(mcr_pcg_output(s[j])), f0);
                s[j] = mcr_vq_mul_add(s[j], skip->mult, skip_inc[j]);
            }
        }
        for (int j = 0; j < MCR_GROUP; j++)
            mcr_vq_storeu(b->rng_state + (g + j) * MCR_LANES, s[j]);
    }
}

/* The vectors of a chunk with at least one jump lane, listed without branching (which vectors
 * have a jump is random, so a branch per vector would often mispredict). */
typedef struct mcr_jump_list {
    int n;
    int v[MCR_CHUNK * MCR_VECS];
} mcr_jump_list;

/* List the vectors marked by mcr_fill_steps, set jm.at, and pack the (state, stream) that draws
 * u_N of every marked lane into ps, pinc (room for n * 64 + MCR_LANES each; v order). The state
 * of step k is start (the block's states before the fill) moved by k * draws + pre outputs, pre
 * being the outputs of a step before u_N. Returns the number of packed lanes. */
static inline int mcr_pack_jumps(const mcr_block *b, const uint64_t *start, int n, int draws,
                                 int pre, mcr_sparse jm, mcr_jump_list *list, uint64_t *ps,
                                 uint64_t *pinc)
{
    int nj = 0;
    list->n = 0;
    for (int v = 0; v < n * MCR_VECS; v++) {
        jm.at[v] = nj;
        list->v[list->n] = v;
        list->n += jm.mask[v] != 0;
        nj += mcr_vm_count(jm.mask[v]);
    }
    mcr_lcg_skip to[MCR_CHUNK], step = mcr_lcg_skip_of(draws);
    to[0] = mcr_lcg_skip_of(pre);
    for (int k = 1; k < n; k++) /* compose: k steps then pre outputs */
        to[k] = (mcr_lcg_skip){to[k - 1].mult * step.mult,
                               to[k - 1].gsum * step.mult + step.gsum};
    for (int l = 0; l < list->n; l++) {
        int v = list->v[l], k = v / MCR_VECS, o = (v % MCR_VECS) * MCR_LANES;
        mcr_vm m = jm.mask[v];
        mcr_vq inc = mcr_vq_loadu(b->rng_inc + o);
        mcr_vq s = mcr_vq_mul_add(mcr_vq_loadu(start + o), to[k].mult,
                                  mcr_vq_mul_add(inc, to[k].gsum, mcr_vq_zero()));
        mcr_vq_storeu(ps + jm.at[v], mcr_vq_compress(m, s));
        mcr_vq_storeu(pinc + jm.at[v], mcr_vq_compress(m, inc));
    }
    for (int i = 0; i < MCR_LANES; i++) { /* any generator pads the last vector */
        ps[nj + i] = 0;
        pinc[nj + i] = 1;
    }
    return nj;
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

/* Inverse CDF of n uniforms in z (n a multiple of MCR_LANES, at most the room of t), in two
 * parts: every lane gets AS241's central rational function in place, and the uniforms of the
 * tail lanes (|p - 0.5| > 0.425, 15% of draws) are packed into t and get the tail formula there,
 * so the log and sqrt are paid once per tail draw instead of once per vector that has any tail
 * lane (73% of 8-lane vectors). mcr_icdf_get merges the two. Uniforms from 32-bit outputs are at
 * least 2^-33 away from 0 and 1, so r = sqrt(-ln min(p, 1-p)) <= 4.8 and AS241's far-tail branch
 * (r > 5) is never needed. */
static inline void mcr_inverse_cdf(double *z, int n, mcr_sparse t)
{
    int n_tail = 0;
    for (int v = 0; v < n / MCR_LANES; v++) {
        mcr_vd p = mcr_vd_loadu(z + v * MCR_LANES);
        mcr_vd q = mcr_vd_sub(p, mcr_vd_set(0.5));
        mcr_vd r = mcr_vd_fnma(q, q, mcr_vd_set(0.180625));
        mcr_vd_storeu(z + v * MCR_LANES, mcr_vd_div(mcr_vd_mul(q, mcr_poly8(mcr_as241_a, r)),
                                                    mcr_poly8(mcr_as241_b, r)));
        mcr_vm m = mcr_vd_gt(mcr_vd_abs(q), mcr_vd_set(0.425));
        mcr_vd_storeu(t.val + n_tail, mcr_vd_compress(m, p)); /* lanes past the tail: scratch */
        t.mask[v] = m;
        t.at[v] = n_tail;
        n_tail += mcr_vm_count(m);
    }
    mcr_vd_storeu(t.val + n_tail, mcr_vd_set(0.25)); /* any p in (0, 1): pads the last vector */
    for (int i = 0; i < n_tail; i += MCR_LANES) {
        mcr_vd p = mcr_vd_loadu(t.val + i);
        mcr_vd s = mcr_vd_min(p, mcr_vd_sub(mcr_vd_set(1.0), p));
        mcr_vd r = mcr_vd_sub(mcr_vd_sqrt(mcr_vd_sub(mcr_vd_set(0.0), mcr_vd_log(s))),
                              mcr_vd_set(1.6));
        mcr_vd x = mcr_vd_div(mcr_poly8(mcr_as241_c, r), mcr_poly8(mcr_as241_d, r));
        mcr_vd_storeu(t.val + i, mcr_vd_copysign(x, mcr_vd_sub(p, mcr_vd_set(0.5))));
    }
}

/* The normals of vector v of rows transformed by mcr_inverse_cdf. */
static inline mcr_vd mcr_icdf_get(const double *z, int v, mcr_sparse t)
{
    return mcr_sparse_get(t, v, mcr_vd_loadu(z + v * MCR_LANES));
}

/* mcr_inverse_cdf of n uniforms, merged in place: z holds the normals. */
static inline void mcr_inverse_cdf_merged(double *z, int n, mcr_sparse t)
{
    mcr_inverse_cdf(z, n, t);
    for (int v = 0; v < n / MCR_LANES; v++)
        mcr_vd_storeu(z + v * MCR_LANES, mcr_icdf_get(z, v, t));
}

/* The log-jump sums of the nj lanes packed by mcr_pack_jumps, into val (room for nj rounded up to
 * whole vectors): each lane replays its u_N and size uniforms from its packed generator, takes
 * N = the inverse Poisson CDF of u_N (>= 1 here), then merton and bates
 * N mean + sqrt(N) std Phi^-1(u_J), kou the first N size uniforms as double-exponential jumps
 * (kernels.h). Lanes past nj compute garbage nobody reads. */
static inline void mcr_jump_sums(const mcr_model_step *c, int nj, const uint64_t *ps,
                                 const uint64_t *pinc, double *val)
{
    const mcr_jump_step *jp = &c->jump;
    const bool kou = c->type == MCR_MODEL_KOU;
    const mcr_vd one = mcr_vd_set(1.0);
    _Alignas(64) double zj[MCR_ROWS + MCR_LANES];
    int nv = (nj + MCR_LANES - 1) / MCR_LANES;
    for (int i = 0; i < nv; i++) {
        mcr_vq s = mcr_vq_loadu(ps + i * MCR_LANES), inc = mcr_vq_loadu(pinc + i * MCR_LANES);
        mcr_vd u = mcr_next_unit(&s, inc), n = one;
        for (int t = 1; t < jp->n_cdf; t++) {
            mcr_vb more = mcr_vb_gt(u, mcr_vd_set(jp->cdf[t]));
            if (!mcr_vb_any(more))
                break; /* thresholds increase: no lane exceeds a later one either */
            n = mcr_vd_blend(more, mcr_vd_add(n, one), n);
        }
        if (!kou) {
            mcr_vd_storeu(val + i * MCR_LANES, n);
            mcr_vd_storeu(zj + i * MCR_LANES, mcr_next_unit(&s, inc));
            continue;
        }
        mcr_vd sum = mcr_vd_zero();
        for (int q = 0; q < jp->cap; q++) {
            mcr_vb active = mcr_vb_gt(n, mcr_vd_set((double)q));
            if (!mcr_vb_any(active))
                break;
            mcr_vd us = mcr_next_unit(&s, inc);
            mcr_vb up = mcr_vb_lt(us, mcr_vd_set(jp->p_up));
            mcr_vd base = mcr_vd_blend(up, mcr_vd_mul(us, mcr_vd_set(jp->inv_p_up)),
                                       mcr_vd_mul(mcr_vd_sub(one, us), mcr_vd_set(jp->inv_p_down)));
            mcr_vd scale = mcr_vd_blend(up, mcr_vd_set(jp->scale_up), mcr_vd_set(jp->scale_down));
            sum = mcr_vd_blend(active, mcr_vd_add(sum, mcr_vd_mul(scale, mcr_vd_log(base))), sum);
        }
        mcr_vd_storeu(val + i * MCR_LANES, sum);
    }
    if (kou)
        return;
    mcr_sparse_buf tails;
    mcr_inverse_cdf_merged(zj, nv * MCR_LANES, mcr_sparse_of(&tails));
    for (int i = 0; i < nv; i++) {
        mcr_vd n = mcr_vd_loadu(val + i * MCR_LANES), z = mcr_vd_loadu(zj + i * MCR_LANES);
        mcr_vd_storeu(val + i * MCR_LANES,
                      mcr_vd_fma(mcr_vd_mul(mcr_vd_sqrt(n), mcr_vd_set(jp->std)), z,
                                 mcr_vd_mul(n, mcr_vd_set(jp->mean))));
    }
}

/* One chunk of jumps: the packed log-jump sums of the n steps whose u_N mcr_fill_steps drew from
 * the block states `start`, into jm (and the list of vectors with a jump). */
static inline void mcr_jumps_of_chunk(const mcr_block *b, const uint64_t *start,
                                      const mcr_model_step *c, int n, mcr_sparse jm,
                                      mcr_jump_list *list)
{
    uint64_t ps[MCR_ROWS + MCR_LANES], pinc[MCR_ROWS + MCR_LANES];
    int pre = c->type == MCR_MODEL_BATES ? 2 : 1; /* w (and eta) come before u_N */
    int nj = mcr_pack_jumps(b, start, n, c->draws, pre, jm, list, ps, pinc);
    mcr_jump_sums(c, nj, ps, pinc, jm.val);
}

/* Fold the jumps of a merton or kou chunk into its price shocks, z += J / vol on the listed
 * vectors, so that the prices advance as GBM's do: drift + vol z. The listed vectors' normals are
 * merged first and their tails emptied (zt.mask[v] = 0). vol (z + J / vol) rounds differently
 * from the reference's vol z + J, by an ulp of J. */
static inline void mcr_fold_jumps(double *z, mcr_sparse zt, mcr_sparse jm,
                                  const mcr_jump_list *list, double vol)
{
    mcr_vd inv = mcr_vd_set(1.0 / vol);
    for (int l = 0; l < list->n; l++) {
        int v = list->v[l];
        mcr_vd j = mcr_sparse_get(jm, v, mcr_vd_zero());
        mcr_vd_storeu(z + v * MCR_LANES, mcr_vd_fma(j, inv, mcr_icdf_get(z, v, zt)));
        zt.mask[v] = 0;
    }
}

/* Size uniforms per jump step (after u_N): merton and bates 1, kou M, others none (-1). */
static inline int mcr_jump_sizes(const mcr_model_step *c)
{
    switch (c->type) {
    case MCR_MODEL_MERTON:
    case MCR_MODEL_BATES:
        return 1;
    case MCR_MODEL_KOU:
        return c->jump.cap;
    default:
        return -1;
    }
}

/* Chunk-level steps of one asset, shared between the sources. z (the price shocks) and eta are
 * normals read through their tails (a sparse set with empty masks for merged normals); jm holds
 * the packed log-jump sums; the trace row of step k is trace + k * stride (trace may be NULL). */
void MCR_SUFFIX(mcr_gbm_advance)(mcr_block *b, const mcr_model_step *c, int n, const double *z,
                                 mcr_sparse zt, double *trace, int stride);
void MCR_SUFFIX(mcr_heston_advance)(mcr_block *b, const mcr_model_step *c, int n,
                                    const double *z, mcr_sparse zt, const double *eta,
                                    mcr_sparse et, const mcr_sparse *jm, double *trace,
                                    int stride);
/* The single-asset kernels of merton and kou, of heston and bates (kernels.h `model`). */
void MCR_SUFFIX(mcr_jumps_paths)(mcr_block *b, const mcr_model_step *c, int n_steps,
                                 double *trace);
void MCR_SUFFIX(mcr_heston_paths)(mcr_block *b, const mcr_model_step *c, int n_steps,
                                  double *trace);

#endif
