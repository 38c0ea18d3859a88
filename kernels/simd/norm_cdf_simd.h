/* The standard normal CDF of a vector, written once against the isa_*.h vocabulary and shared
 * by the array kernel (math_simd.c) and the option kernels (strat_simd.c), so both give the same
 * bits. Hart's (1968) double-precision algorithm as given by West (2005), |error| < 1e-14: a 6/7
 * rational function times exp(-x^2/2) for |x| < 7.07 and a continued fraction beyond, both
 * computed for every lane and blended, so lanes never branch. SLEEF's erfc is 6x slower here
 * (TOOLCHAIN.md), which is why the CDF is built on its exp. The includer defines MCR_VD_EXP, the
 * ISA's SLEEF u10 exp. */
#ifndef MCR_NORM_CDF_SIMD_H
#define MCR_NORM_CDF_SIMD_H

#include "kernels/hart.h"

static inline mcr_vd mcr_horner(const double *c, int n, mcr_vd x)
{
    mcr_vd r = mcr_vd_set(c[0]);
    for (int i = 1; i < n; i++)
        r = mcr_vd_fma(r, x, mcr_vd_set(c[i]));
    return r;
}

static inline mcr_vd mcr_vd_norm_cdf(mcr_vd v)
{
    const mcr_vd one = mcr_vd_set(1.0);
    mcr_vd a = mcr_vd_min(mcr_vd_abs(v), mcr_vd_set(37.0)); /* Phi(-37) underflows to 0 */
    mcr_vd e = MCR_VD_EXP(mcr_vd_mul(mcr_vd_set(-0.5), mcr_vd_mul(a, a)));
    mcr_vd tail = mcr_vd_div(mcr_vd_mul(e, mcr_horner(mcr_hart_num, 7, a)),
                             mcr_horner(mcr_hart_den, 8, a));
    mcr_vb near = mcr_vb_lt(a, mcr_vd_set(7.07106781186547));
    if (!mcr_vb_all(near)) { /* rare: beyond 7.07 sd, the continued fraction (same bits
                              * whether or not the vector's other lanes need it) */
        mcr_vd cf = mcr_vd_add(a, mcr_vd_set(0.65));
        cf = mcr_vd_add(a, mcr_vd_div(mcr_vd_set(4.0), cf));
        cf = mcr_vd_add(a, mcr_vd_div(mcr_vd_set(3.0), cf));
        cf = mcr_vd_add(a, mcr_vd_div(mcr_vd_set(2.0), cf));
        cf = mcr_vd_add(a, mcr_vd_div(one, cf));
        mcr_vd far = mcr_vd_div(e, mcr_vd_mul(cf, mcr_vd_set(2.506628274631)));
        tail = mcr_vd_blend(near, tail, far);
    }
    /* tail = Phi(-|x|); Phi(x) = 1 - tail for x > 0 */
    return mcr_vd_blend(mcr_vb_gt(v, mcr_vd_zero()), mcr_vd_sub(one, tail), tail);
}

#endif
