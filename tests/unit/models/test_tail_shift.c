/* Mean-shift importance sampling: the closed-form shift, its split over uneven steps, and the
 * likelihood ratio (exact algebra, then unbiasedness by Monte Carlo). */
#include <criterion/criterion.h>
#include <math.h>

#include "models/normal.h"
#include "kernels/pcg32.h"
#include "models/tail_shift.h"

Test(tail_shift, closed_form_and_split)
{
    cr_assert_float_eq(mcr_tail_shift_gbm(0.99, 1), -2.3263478740408408, 1e-14);
    cr_assert_float_eq(mcr_tail_shift_gbm(0.99, 0), 2.3263478740408408, 1e-14);
    /* uneven steps: |theta|^2 = c^2 and sum theta_k sqrt(dt_k / T) = c, so the shift moves zeta by
     * c and the weight is exp(-c zeta + c^2 / 2) for every path */
    double dt[4] = {0.1, 0.4, 0.2, 0.3}, theta[4], c = -3.0;
    mcr_tail_shift_steps(c, dt, 4, theta);
    double norm2 = 0.0, along = 0.0;
    for (int k = 0; k < 4; k++) {
        norm2 += theta[k] * theta[k];
        along += theta[k] * sqrt(dt[k] / 1.0);
    }
    cr_assert_float_eq(norm2, 9.0, 1e-14);
    cr_assert_float_eq(along, c, 1e-14);
    double z[4] = {0.3, -1.2, 2.0, -0.1}, zeta = 0.0;
    for (int k = 0; k < 4; k++)
        zeta += z[k] * sqrt(dt[k]);
    cr_assert_float_eq(mcr_tail_log_lr(theta, z, 4), -c * zeta + 0.5 * c * c, 1e-13);
}

/* Under the shift, E[w] = 1 and E[w 1{zeta < z_p}] = p (here p = 0.001, c = z_p): both within
 * 4 se. The se of the tail probability must also be far below plain MC's sqrt(p (1 - p) / n). */
Test(tail_shift, weights_are_unbiased)
{
    enum { n = 200000, steps = 4 };
    double dt[steps] = {0.25, 0.25, 0.25, 0.25}, theta[steps];
    double p = 0.001, zp = mcr_norm_quantile(p);
    mcr_tail_shift_steps(zp, dt, steps, theta);
    double s[2] = {0}, s2[2] = {0};
    for (int i = 0; i < n; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(17, (uint64_t)i);
        double z[steps], zeta = 0.0;
        for (int k = 0; k < steps; k++) {
            z[k] = mcr_norm_quantile(((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32) + theta[k];
            zeta += z[k] * sqrt(dt[k]);
        }
        double w = exp(mcr_tail_log_lr(theta, z, steps));
        double v[2] = {w, zeta < zp ? w : 0.0};
        for (int k = 0; k < 2; k++) {
            s[k] += v[k];
            s2[k] += v[k] * v[k];
        }
    }
    double exact[2] = {1.0, p};
    for (int k = 0; k < 2; k++) {
        double mean = s[k] / n, se = sqrt((s2[k] / n - mean * mean) / (n - 1));
        cr_assert_leq(fabs(mean - exact[k]), 4 * se, "%s: %g, se %g", k ? "P(tail)" : "E[w]", mean,
                      se);
        if (k == 1)
            cr_assert_leq(se, sqrt(p * (1 - p) / n) / 10, "tail probability se %g", se);
    }
}
