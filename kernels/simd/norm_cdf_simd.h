/* The standard normal CDF of a vector (kernels/ncdf.h's algorithm), written once against the
 * isa_*.h vocabulary and shared by the array kernel (math_simd.c) and the option kernels
 * (strat_simd.c). Below 8 sd every lane performs the scalar reference's IEEE operations
 * (kernels/ref/math_ref.c; both sources compiled without contraction), with two loads from the
 * table instead of an exp: bitwise the reference. Beyond, Phi is 1 from 8.3 sd, and the
 * continued fraction and an exp are computed for the whole vector only when one of its lanes
 * needs them (x <= -8, or 8 <= x < 8.3), and blended. The includer defines MCR_VD_EXP, the
 * ISA's SLEEF u10 exp; t is mcr_ncdf_table(). */
#ifndef MCR_NORM_CDF_SIMD_H
#define MCR_NORM_CDF_SIMD_H

#include "kernels/ncdf.h"

static inline mcr_vd mcr_horner(const double *c, int n, mcr_vd x)
{
    mcr_vd r = mcr_vd_set(c[0]);
    for (int i = 1; i < n; i++)
        r = mcr_vd_fma(r, x, mcr_vd_set(c[i]));
    return r;
}

/* Phi(-a) for a >= 8 (a clamped to 37): phi(a) by Laplace's continued fraction */
static inline mcr_vd mcr_vd_norm_tail_far(mcr_vd a)
{
    a = mcr_vd_min(a, mcr_vd_set(MCR_NCDF_FAR)); /* NaN: the clamp */
    mcr_vd p = a, p_next = mcr_vd_set(1.0);
    for (int n = MCR_NCDF_CF_TERMS; n >= 1; n--) {
        mcr_vd p_prev = mcr_vd_fma(a, p, mcr_vd_mul(mcr_vd_set(n), p_next));
        p_next = p;
        p = p_prev;
    }
    mcr_vd a2 = mcr_vd_mul(a, a), e = MCR_VD_EXP(mcr_vd_mul(mcr_vd_set(-0.5), a2));
    mcr_vd a2_err = mcr_vd_fma(a, a, mcr_vd_mul(mcr_vd_set(-1.0), a2));
    e = mcr_vd_fma(mcr_vd_mul(mcr_vd_set(-0.5), a2_err), e, e);
    return mcr_vd_div(mcr_vd_mul(mcr_vd_mul(e, mcr_vd_set(MCR_NCDF_INV_SQRT_2PI)), p_next), p);
}

static inline mcr_vd mcr_vd_norm_cdf(const double *t, mcr_vd v)
{
    const mcr_vd big = mcr_vd_set(0x1p52);
    mcr_vd a = mcr_vd_abs(v);
    mcr_vb near = mcr_vb_lt(a, mcr_vd_set(MCR_NCDF_TOP));
    mcr_vd at = mcr_vd_min(a, mcr_vd_set(MCR_NCDF_TOP)); /* an index in the table, NaN too */
    mcr_vd big_u = mcr_vd_add(mcr_vd_mul(at, mcr_vd_set(MCR_NCDF_SCALE)), big);
    mcr_vq j2 = mcr_vq_sub(mcr_vq_of_vd(big_u), mcr_vq_of_vd(big)); /* the node j */
    j2 = mcr_vq_add(j2, j2);
    mcr_vd x0 = mcr_vd_mul(mcr_vd_sub(big_u, big), mcr_vd_set(1.0 / MCR_NCDF_SCALE));
    mcr_vd h = mcr_vd_sub(at, x0), w = mcr_vd_mul(x0, h), g = mcr_vd_mul(h, h);
    mcr_vd f0 = mcr_horner(mcr_ncdf_f0, 6, w), f1 = mcr_horner(mcr_ncdf_f1, 4, w);
    mcr_vd s = mcr_vd_mul(h, mcr_vd_fma(g, mcr_vd_fma(g, mcr_vd_set(mcr_ncdf_f2), f1), f0));
    mcr_vd tail_x0, pdf_x0; /* Phi(-x0), phi(x0) */
    mcr_vd_load_pairs(t, j2, &tail_x0, &pdf_x0);
    mcr_vd tail = mcr_vd_fnma(pdf_x0, s, tail_x0);
    if (!mcr_vb_all(near)) { /* rare: beyond 8 sd (the same bits whatever the other lanes) */
        mcr_vb one = mcr_vb_ge(v, mcr_vd_set(MCR_NCDF_ONE)); /* Phi = 1 - 0 */
        tail = mcr_vd_blend(one, mcr_vd_zero(), tail);
        mcr_vb done = mcr_vb_blend(near, near, one);
        if (!mcr_vb_all(done))
            tail = mcr_vd_blend(done, tail, mcr_vd_norm_tail_far(a));
    }
    /* tail = Phi(-|x|); Phi(x) = 1 - tail for x > 0 */
    return mcr_vd_blend(mcr_vb_gt(v, mcr_vd_zero()), mcr_vd_sub(mcr_vd_set(1.0), tail), tail);
}

#endif
