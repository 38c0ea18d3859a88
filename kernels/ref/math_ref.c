/* Scalar reference of kernels/simd/math_simd.c: the same algorithms in plain C with libm. */
#include <math.h>

#include "kernels/hart.h"
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

/* Hart (1968) via West (2005): see kernels/simd/norm_cdf_simd.h. */
double mcr_norm_cdf_ref(double x)
{
    double a = fmin(fabs(x), 37.0), e = exp(-0.5 * a * a), tail;
    if (a < 7.07106781186547) {
        double p = mcr_hart_num[0], q = mcr_hart_den[0];
        for (int i = 1; i < 7; i++)
            p = fma(p, a, mcr_hart_num[i]);
        for (int i = 1; i < 8; i++)
            q = fma(q, a, mcr_hart_den[i]);
        tail = e * p / q;
    } else {
        double cf = a + 0.65;
        cf = a + 4.0 / cf;
        cf = a + 3.0 / cf;
        cf = a + 2.0 / cf;
        cf = a + 1.0 / cf;
        tail = e / (cf * 2.506628274631);
    }
    return x > 0 ? 1.0 - tail : tail;
}

void mcr_norm_cdf_array_ref(const double *x, double *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = mcr_norm_cdf_ref(x[i]);
}
