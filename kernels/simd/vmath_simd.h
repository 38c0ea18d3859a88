/* The project's own vector natural log, written once against the vocabulary of isa_avx2.h /
 * isa_avx512.h and compiled per ISA with them. Why not SLEEF's: its u35 log costs about 22 ns
 * per element on AMD EPYC Zen 4 AVX-512 (a 30x cliff, issue 11) and its u10 log 3.4 ns with AVX2
 * on Zen 3; this one is plain adds, multiplies, one divide and integer bit moves on every ISA,
 * so no CPU can hide a slow microcoded path in it. `mcrisk bench --primitives` times it.
 *
 * Algorithm: fdlibm's __ieee754_log (Sun, 1993; as in musl 1.1): x = 2^k m with m in
 * [sqrt(2)/2, sqrt(2)), f = m - 1, s = f / (2 + f), log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2))
 * with R a degree-14 even minimax polynomial (|error| < 2^-58.45), k ln 2 added in two parts.
 * Error: < 1 ulp by fdlibm's analysis; the test (tests/unit/kernels/test_vmath.c) measures at
 * most 1 ulp against glibc's log over [2^-1074, 2^1024), the uniform range of the draws and
 * around 1. Specials as C's log: log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN -> NaN;
 * subnormal inputs are scaled by 2^54 first. The hot path tests the range once per vector and
 * takes the special branch only when some lane is outside [DBL_MIN, DBL_MAX]. */
#ifndef MCR_VMATH_SIMD_H
#define MCR_VMATH_SIMD_H

#include <float.h>
#include <math.h>

/* fdlibm's Lg1 .. Lg7 and ln 2 split into a high part with 32 trailing zero bits and the rest */
#define MCR_LOG_LG1 6.666666666666735130e-01
#define MCR_LOG_LG2 3.999999999940941908e-01
#define MCR_LOG_LG3 2.857142874366239149e-01
#define MCR_LOG_LG4 2.222219843214978396e-01
#define MCR_LOG_LG5 1.818357216161805012e-01
#define MCR_LOG_LG6 1.531383769920937332e-01
#define MCR_LOG_LG7 1.479819860511658591e-01
#define MCR_LOG_LN2_HI 6.93147180369123816490e-01
#define MCR_LOG_LN2_LO 1.90821492927058770002e-10

/* log of positive normal x, plus k_adj ln 2. */
static inline mcr_vd mcr_vd_log_normal(mcr_vd x, mcr_vd k_adj)
{
    /* Adding 1 - bits(sqrt(2)/2) to the high word moves the mantissa boundary to sqrt(2)/2:
     * the exponent field is then k + 1023, and the mantissa field plus bits(sqrt(2)/2) is m. */
    mcr_vq ix = mcr_vq_add(mcr_vq_of_vd(x),
                           mcr_vq_set(0x3ff0000000000000ULL - 0x3fe6a09e00000000ULL));
    mcr_vd kb = mcr_vd_of_vq(mcr_vq_or(mcr_vq_srli(ix, 52), mcr_vq_set(0x4330000000000000ULL)));
    mcr_vd k = mcr_vd_add(mcr_vd_sub(kb, mcr_vd_set(0x1p52 + 1023.0)), k_adj); /* exact */
    mcr_vd m = mcr_vd_of_vq(mcr_vq_add(mcr_vq_and(ix, mcr_vq_set(0x000fffffffffffffULL)),
                                       mcr_vq_set(0x3fe6a09e00000000ULL)));
    mcr_vd f = mcr_vd_sub(m, mcr_vd_set(1.0));
    mcr_vd hfsq = mcr_vd_mul(mcr_vd_set(0.5), mcr_vd_mul(f, f));
    mcr_vd s = mcr_vd_div(f, mcr_vd_add(mcr_vd_set(2.0), f));
    mcr_vd z = mcr_vd_mul(s, s), w = mcr_vd_mul(z, z);
    mcr_vd t1 = mcr_vd_fma(w, mcr_vd_set(MCR_LOG_LG6), mcr_vd_set(MCR_LOG_LG4));
    t1 = mcr_vd_mul(w, mcr_vd_fma(w, t1, mcr_vd_set(MCR_LOG_LG2)));
    mcr_vd t2 = mcr_vd_fma(w, mcr_vd_set(MCR_LOG_LG7), mcr_vd_set(MCR_LOG_LG5));
    t2 = mcr_vd_fma(w, t2, mcr_vd_set(MCR_LOG_LG3));
    t2 = mcr_vd_mul(z, mcr_vd_fma(w, t2, mcr_vd_set(MCR_LOG_LG1)));
    mcr_vd r = mcr_vd_add(t2, t1);
    /* s (hfsq + R) + k ln2_lo - hfsq + f + k ln2_hi, in fdlibm's order */
    mcr_vd y = mcr_vd_fma(s, mcr_vd_add(hfsq, r), mcr_vd_mul(k, mcr_vd_set(MCR_LOG_LN2_LO)));
    y = mcr_vd_add(mcr_vd_sub(y, hfsq), f);
    return mcr_vd_fma(k, mcr_vd_set(MCR_LOG_LN2_HI), y);
}

static inline mcr_vd mcr_vd_log(mcr_vd x)
{
    mcr_vb normal = mcr_vb_ge(x, mcr_vd_set(DBL_MIN));
    normal = mcr_vb_blend(normal, mcr_vb_le(x, mcr_vd_set(DBL_MAX)), normal);
    if (mcr_vb_all(normal))
        return mcr_vd_log_normal(x, mcr_vd_zero());
    /* rare: subnormals scaled into the normal range, then C's special values */
    mcr_vb sub = mcr_vb_lt(x, mcr_vd_set(DBL_MIN));
    mcr_vd r = mcr_vd_log_normal(mcr_vd_blend(sub, mcr_vd_mul(x, mcr_vd_set(0x1p54)), x),
                                 mcr_vd_blend(sub, mcr_vd_set(-54.0), mcr_vd_zero()));
    r = mcr_vd_blend(mcr_vb_gt(x, mcr_vd_set(DBL_MAX)), x, r);          /* inf */
    r = mcr_vd_blend(mcr_vb_le(x, mcr_vd_zero()), mcr_vd_set(-INFINITY), r); /* +-0 */
    r = mcr_vd_blend(mcr_vb_lt(x, mcr_vd_zero()), mcr_vd_set(NAN), r);  /* x < 0 */
    return mcr_vd_blend(mcr_vb_ge(x, x), r, x);                          /* NaN */
}

#endif
