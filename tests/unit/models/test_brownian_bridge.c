/* Brownian bridge: the map from normals to increments, checked by algebra (A A^T = dt I, the
 * terminal value, linear interpolation) and by Monte Carlo (sample covariance of the
 * increments). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/brownian_bridge.h"
#include "models/normal.h"
#include "kernels/pcg32.h"

/* A = the bridge as a matrix (column j = increments of the unit vector e_j); the increments of z
 * are A z, so their covariance is A A^T, which must be dt I. Rounding only: 1e-13 dt. */
static void check_covariance_algebra(int d, double dt)
{
    mcr_bridge b;
    cr_assert_eq(mcr_bridge_init(&b, d, dt, NULL), MCR_OK);
    double *a = calloc((size_t)d * (size_t)d, sizeof(double)); /* a[i * d + j] = A_ij */
    double *z = calloc((size_t)d, sizeof(double)), *dw = malloc(sizeof(double) * (size_t)d);
    for (int j = 0; j < d; j++) {
        memset(z, 0, sizeof(double) * (size_t)d);
        z[j] = 1.0;
        mcr_bridge_increments(&b, z, dw);
        for (int i = 0; i < d; i++)
            a[i * d + j] = dw[i];
    }
    for (int i = 0; i < d; i++)
        for (int k = 0; k <= i; k++) {
            double c = 0.0;
            for (int j = 0; j < d; j++)
                c += a[i * d + j] * a[k * d + j];
            cr_assert_leq(fabs(c - (i == k ? dt : 0.0)), 1e-13 * dt,
                          "d = %d: (A A^T)[%d][%d] = %.17g, want %g", d, i, k, c,
                          i == k ? dt : 0.0);
        }
    free(a);
    free(z);
    free(dw);
    mcr_bridge_free(&b);
}

Test(brownian_bridge, covariance_is_dt_identity_by_algebra)
{
    const int sizes[] = {1, 2, 3, 5, 7, 8, 30, 64, 100, 365};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_covariance_algebra(sizes[i], 1.0 / 365);
    check_covariance_algebra(24, 1.0); /* dt = 1: standard normals for the kernels */
}

Test(brownian_bridge, first_normal_is_the_terminal_value)
{
    /* z = e_0: W is the straight line to sqrt(T), every increment sqrt(T) / d; and for any z the
     * increments add up to sqrt(T) z[0]. */
    enum { d = 365 };
    double dt = 1.0 / 365, z[d] = {1.0}, dw[d];
    mcr_bridge b;
    cr_assert_eq(mcr_bridge_init(&b, d, dt, NULL), MCR_OK);
    mcr_bridge_increments(&b, z, dw);
    for (int k = 0; k < d; k++)
        cr_assert_float_eq(dw[k], sqrt(d * dt) / d, 1e-15, "step %d: %.17g", k, dw[k]);
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, 11, 12);
    for (int k = 0; k < d; k++)
        z[k] = mcr_norm_quantile(((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
    mcr_bridge_increments(&b, z, dw);
    double w = 0.0;
    for (int k = 0; k < d; k++)
        w += dw[k];
    cr_assert_float_eq(w, sqrt(d * dt) * z[0], 1e-12);
    /* z[1] alone moves W at the midpoint T/2 (step 182 of 365) and nothing else at the ends */
    memset(z, 0, sizeof z);
    z[1] = 1.0;
    mcr_bridge_increments(&b, z, dw);
    double mid = 0.0, end = 0.0;
    for (int k = 0; k < d; k++) {
        end += dw[k];
        if (k < 182)
            mid += dw[k];
    }
    cr_assert_float_eq(end, 0.0, 1e-15);
    cr_assert_float_eq(mid, sqrt(182.0 * 183.0 / 365.0 * dt), 1e-14);
    mcr_bridge_free(&b);
}

/* Sample covariance of the increments of n paths of PCG32 normals against dt I: every entry within
 * 4 se, se = dt sqrt(2/n) on the diagonal and dt / sqrt(n) off it (Gaussian increments). */
Test(brownian_bridge, covariance_is_dt_identity_by_monte_carlo)
{
    enum { d = 12, n = 40000 };
    double dt = 0.25, z[d], dw[d], sum[d] = {0}, cross[d][d];
    memset(cross, 0, sizeof cross);
    mcr_bridge b;
    cr_assert_eq(mcr_bridge_init(&b, d, dt, NULL), MCR_OK);
    for (int p = 0; p < n; p++) {
        mcr_pcg32 g = mcr_pcg32_for_path(99, (uint64_t)p);
        for (int k = 0; k < d; k++)
            z[k] = mcr_norm_quantile(((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
        mcr_bridge_increments(&b, z, dw);
        for (int i = 0; i < d; i++) {
            sum[i] += dw[i];
            for (int k = 0; k <= i; k++)
                cross[i][k] += dw[i] * dw[k];
        }
    }
    for (int i = 0; i < d; i++)
        for (int k = 0; k <= i; k++) {
            double c = (cross[i][k] - sum[i] * sum[k] / n) / (n - 1);
            double se = i == k ? dt * sqrt(2.0 / n) : dt / sqrt((double)n);
            cr_assert_leq(fabs(c - (i == k ? dt : 0.0)), 4 * se, "cov[%d][%d] = %g", i, k, c);
        }
    mcr_bridge_free(&b);
}

Test(brownian_bridge, bad_input_fails)
{
    mcr_bridge b;
    mcr_error err = {0};
    cr_assert_eq(mcr_bridge_init(&b, 0, 0.1, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "steps") != NULL);
    cr_assert_eq(mcr_bridge_init(&b, 10, -1.0, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "dt") != NULL);
}
