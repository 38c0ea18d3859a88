/* The stochastic-volatility kernels (heston, bates = heston + merton jumps), compiled once per
 * ISA: Andersen's QE step with the martingale correction (constants and formulas in
 * models/model_step.h). The variance makes the steps of a path sequential, so a pass draws and
 * transforms a chunk of steps as the other kernels do, then advances one step at a time over the
 * whole block row in stages: the quadratic branch and the correction's arguments for every vector,
 * the exponential branch only for vectors that have a lane in it (SLEEF erfc and log), one log
 * for the correction, then the price. A vector-level skip changes no lane's result: each lane
 * takes the branch its own psi selects. */
#include <math.h>
#include <string.h>

#include "draws_simd.h"

/* Per-step scratch of one block row. */
typedef struct mcr_qe_row {
    double zv[MCR_BLOCK_PATHS], zp[MCR_BLOCK_PATHS], m[MCR_BLOCK_PATHS], s2[MCR_BLOCK_PATHS];
    double vn[MCR_BLOCK_PATHS], arg[MCR_BLOCK_PATHS], lin[MCR_BLOCK_PATHS];
    mcr_vb quad[MCR_VECS], valid[MCR_VECS];
} mcr_qe_row;

/* The exponential branch of vector vv (lanes not in it keep the quadratic values). */
static void mcr_qe_exponential(mcr_qe_row *r, int vv, mcr_vd big_a)
{
    int o = vv * MCR_LANES;
    mcr_vd one = mcr_vd_set(1.0), m = mcr_vd_loadu(r->m + o);
    mcr_vd psi = mcr_vd_div(mcr_vd_loadu(r->s2 + o), mcr_vd_mul(m, m));
    mcr_vd p = mcr_vd_div(mcr_vd_sub(psi, one), mcr_vd_add(psi, one));
    mcr_vd q = mcr_vd_sub(one, p), beta = mcr_vd_div(q, m);
    /* 1 - U = Phi(-Z_v) = erfc(Z_v / sqrt 2) / 2, accurate where U is near 1 */
    mcr_vd one_u = mcr_vd_mul(mcr_vd_set(0.5), mcr_vd_erfc(mcr_vd_mul(mcr_vd_loadu(r->zv + o),
                                                                      mcr_vd_set(M_SQRT1_2))));
    mcr_vd ve = mcr_vd_div(mcr_vd_log(mcr_vd_div(q, one_u)), beta);
    ve = mcr_vd_blend(mcr_vb_ge(one_u, q), mcr_vd_zero(), ve);
    mcr_vd arg = mcr_vd_add(p, mcr_vd_div(mcr_vd_mul(beta, q), mcr_vd_sub(beta, big_a)));
    mcr_vb quad = r->quad[vv];
    mcr_vd_storeu(r->vn + o, mcr_vd_blend(quad, mcr_vd_loadu(r->vn + o), ve));
    mcr_vd_storeu(r->arg + o, mcr_vd_blend(quad, mcr_vd_loadu(r->arg + o), arg));
    mcr_vb valid_e = mcr_vb_gt(beta, big_a);
    r->valid[vv] = mcr_vb_blend(quad, r->valid[vv], valid_e);
}

void MCR_SUFFIX(mcr_heston_advance)(mcr_block *b, const mcr_model_step *c, int n,
                                    const double *z, mcr_sparse zt, const double *eta,
                                    mcr_sparse et, const mcr_sparse *jm, double *trace,
                                    int stride)
{
    const mcr_heston_step *h = &c->heston;
    const mcr_vd rho = mcr_vd_set(h->rho), rho_bar = mcr_vd_set(h->rho_bar);
    const mcr_vd e = mcr_vd_set(h->e), m0 = mcr_vd_set(h->m0), c1 = mcr_vd_set(h->c1);
    const mcr_vd c2 = mcr_vd_set(h->c2), psi_c = mcr_vd_set(h->psi_c), one = mcr_vd_set(1.0);
    const mcr_vd two = mcr_vd_set(2.0), big_a = mcr_vd_set(h->a), two_a = mcr_vd_set(2.0 * h->a);
    const mcr_vd half = mcr_vd_set(0.5), half_k3 = mcr_vd_set(0.5 * h->k3);
    const mcr_vd k2 = mcr_vd_set(h->k2), k3 = mcr_vd_set(h->k3), drift = mcr_vd_set(c->drift);
    mcr_qe_row r;
    for (int k = 0; k < n; k++) {
        bool any_exp = false;
        for (int vv = 0; vv < MCR_VECS; vv++) {
            int v = k * MCR_VECS + vv, o = vv * MCR_LANES;
            mcr_vd w = mcr_icdf_get(z, v, zt), u = mcr_icdf_get(eta, v, et);
            mcr_vd zv = mcr_vd_fma(rho, w, mcr_vd_mul(rho_bar, u));
            mcr_vd_storeu(r.zv + o, zv);
            mcr_vd_storeu(r.zp + o, mcr_vd_fnma(rho, u, mcr_vd_mul(rho_bar, w)));
            mcr_vd v0 = mcr_vd_loadu(b->variance + o);
            mcr_vd m = mcr_vd_fma(v0, e, m0), s2 = mcr_vd_fma(v0, c1, c2), mm = mcr_vd_mul(m, m);
            mcr_vb quad = mcr_vb_le(s2, mcr_vd_mul(psi_c, mm));
            mcr_vd t = mcr_vd_div(mcr_vd_mul(two, mm), s2);
            mcr_vd tt = mcr_vd_max(mcr_vd_mul(t, mcr_vd_sub(t, one)), mcr_vd_zero());
            mcr_vd b2 = mcr_vd_add(mcr_vd_sub(t, one), mcr_vd_sqrt(tt));
            mcr_vd a = mcr_vd_div(m, mcr_vd_add(one, b2)), y = mcr_vd_add(mcr_vd_sqrt(b2), zv);
            mcr_vd arg = mcr_vd_fnma(two_a, a, one);
            mcr_vd_storeu(r.m + o, m);
            mcr_vd_storeu(r.s2 + o, s2);
            mcr_vd_storeu(r.vn + o, mcr_vd_mul(a, mcr_vd_mul(y, y)));
            mcr_vd_storeu(r.arg + o, arg);
            mcr_vd_storeu(r.lin + o, mcr_vd_div(mcr_vd_mul(mcr_vd_mul(big_a, b2), a), arg));
            r.quad[vv] = quad;
            r.valid[vv] = mcr_vb_gt(arg, mcr_vd_zero());
            any_exp |= !mcr_vb_all(quad);
        }
        if (any_exp)
            for (int vv = 0; vv < MCR_VECS; vv++)
                if (!mcr_vb_all(r.quad[vv]))
                    mcr_qe_exponential(&r, vv, big_a);
        for (int vv = 0; vv < MCR_VECS; vv++) {
            int v = k * MCR_VECS + vv, o = vv * MCR_LANES;
            mcr_vb valid = r.valid[vv];
            mcr_vd lg = mcr_vd_log(mcr_vd_blend(valid, mcr_vd_loadu(r.arg + o), one));
            mcr_vd m = mcr_vd_loadu(r.m + o), vn = mcr_vd_loadu(r.vn + o);
            mcr_vd corr = mcr_vd_blend(r.quad[vv], mcr_vd_fnma(half, lg, mcr_vd_loadu(r.lin + o)),
                                       lg);
            corr = mcr_vd_blend(valid, corr, mcr_vd_mul(big_a, m));
            mcr_vd v0 = mcr_vd_loadu(b->variance + o);
            mcr_vd d = mcr_vd_sub(mcr_vd_fnma(half_k3, v0, drift), corr);
            d = mcr_vd_fma(k2, vn, d);
            d = mcr_vd_fma(mcr_vd_sqrt(mcr_vd_mul(k3, mcr_vd_add(v0, vn))),
                           mcr_vd_loadu(r.zp + o), d);
            if (jm)
                d = mcr_vd_add(d, mcr_sparse_get(*jm, v, mcr_vd_zero()));
            mcr_vd x = mcr_vd_add(mcr_vd_loadu(b->log_price + o), d);
            mcr_vd_storeu(b->log_price + o, x);
            mcr_vd_storeu(b->variance + o, vn);
            if (trace)
                mcr_vd_storeu(trace + (size_t)k * stride + o, x);
        }
    }
}

/* heston and bates: one asset, n_steps, in passes of MCR_CHUNK steps. */
void MCR_SUFFIX(mcr_heston_paths)(mcr_block *b, const mcr_model_step *c, int n_steps,
                                  double *trace)
{
    _Alignas(64) double z[MCR_ROWS], eta[MCR_ROWS];
    _Alignas(64) uint64_t start[MCR_BLOCK_PATHS];
    mcr_sparse_buf z_tails, eta_tails, jumps;
    mcr_jump_list list;
    mcr_sparse zt = mcr_sparse_of(&z_tails), et = mcr_sparse_of(&eta_tails);
    mcr_sparse jm = mcr_sparse_of(&jumps);
    bool bates = c->type == MCR_MODEL_BATES;
    mcr_lcg_skip skip = mcr_lcg_skip_of(2);
    for (int t = 0; t < n_steps; t += MCR_CHUNK) {
        int n = n_steps - t < MCR_CHUNK ? n_steps - t : MCR_CHUNK;
        memcpy(start, b->rng_state, sizeof start);
        mcr_fill_steps(b, n, z, eta, bates ? &skip : NULL, c->jump.cdf[0], jm.mask);
        mcr_inverse_cdf(z, n * MCR_BLOCK_PATHS, zt);
        mcr_take_shocks(b, z, n, zt.mask);
        mcr_take_tilt(b, z, n, &zt);
        mcr_inverse_cdf(eta, n * MCR_BLOCK_PATHS, et);
        if (bates)
            mcr_jumps_of_chunk(b, start, c, n, jm, &list);
        MCR_SUFFIX(mcr_heston_advance)(b, c, n, z, zt, eta, et, bates ? &jm : NULL,
                                       trace ? trace + (size_t)t * MCR_BLOCK_PATHS : NULL,
                                       MCR_BLOCK_PATHS);
    }
}
