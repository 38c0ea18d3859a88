/* Scalar reference of kernels/simd/math_simd.c: the same algorithms in plain C with libm. */
#include <math.h>

#include "kernels/ncdf.h"
#include "kernels/paths.h"

void mcr_exp_array_ref(const double *x, double *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = exp(x[i]);
}

void mcr_log_array_ref(const double *x, double *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = log(x[i]);
}

/* kernels/ncdf.h's algorithm, with the same IEEE operations as kernels/simd/norm_cdf_simd.h
 * below 8 sd (the vectors are bitwise this there); libm's exp in the tail. t: mcr_ncdf_table(). */
double mcr_norm_cdf_ref(const double *t, double x)
{
    double a = fabs(x), tail;
    if (x >= MCR_NCDF_ONE)
        return 1.0; /* what 1 - Phi(-x) rounds to */
    if (a < MCR_NCDF_TOP) {
        double u = a * MCR_NCDF_SCALE + 0x1p52 - 0x1p52; /* the nearest node, ties to even */
        int j = (int)u;
        double x0 = u * (1.0 / MCR_NCDF_SCALE), h = a - x0, w = x0 * h, g = h * h;
        double f0 = mcr_ncdf_f0[0], f1 = mcr_ncdf_f1[0];
        for (int i = 1; i < 6; i++)
            f0 = fma(f0, w, mcr_ncdf_f0[i]);
        for (int i = 1; i < 4; i++)
            f1 = fma(f1, w, mcr_ncdf_f1[i]);
        double s = h * fma(g, fma(g, mcr_ncdf_f2, f1), f0);
        tail = fma(-t[2 * j + 1], s, t[2 * j]);
    } else {
        a = fmin(a, MCR_NCDF_FAR); /* NaN: the clamp */
        double p = a, p_next = 1.0; /* the continued fraction's denominators, from the bottom */
        for (int n = MCR_NCDF_CF_TERMS; n >= 1; n--) {
            double p_prev = fma(a, p, n * p_next);
            p_next = p;
            p = p_prev;
        }
        double a2 = a * a, e = exp(-0.5 * a2);
        e = fma(-0.5 * fma(a, a, -a2), e, e); /* exp(-a^2 / 2) with a^2's rounding error */
        tail = e * MCR_NCDF_INV_SQRT_2PI * p_next / p;
    }
    return x > 0 ? 1.0 - tail : tail;
}

void mcr_norm_cdf_array_ref(const double *x, double *y, int n)
{
    const double *t = mcr_ncdf_table();
    for (int i = 0; i < n; i++)
        y[i] = mcr_norm_cdf_ref(t, x[i]);
}
