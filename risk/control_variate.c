/* Control-variate estimator of a mean with a pilot coefficient.
 *
 *   Y_cv = (1/n) sum_i [ y_i - beta (x_i - E[X]) ],   se = sd_i( y_i - beta x_i ) / sqrt(n)
 * (Glasserman 2004, sec. 4.1). The variance-minimising beta* = Cov(Y, X) / Var(X) cuts the
 * variance by the factor 1 - rho(X, Y)^2. Estimating beta on the same paths biases Y_cv by
 * O(1/n) and makes the plain se formula slightly optimistic (Lavenberg & Welch 1981, Management
 * Sci. 27; Nelson 1990, Oper. Res. 38); with beta from an independent pilot Y_cv is unbiased and
 * the se above is exact for that beta, at the price of a slightly suboptimal beta.
 * Antithetic pairs: the se is taken over the pair averages of y - beta x (n / 2 units). */
#include "control_variate.h"

#include <math.h>

mcr_status mcr_cv_coefficient(const double *y, const double *x, uint64_t n, double *beta,
                              mcr_error *err)
{
    if (n < 2)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "control variate pilot: needs at least 2 paths (got %llu)",
                        (unsigned long long)n);
    double my = 0.0, mx = 0.0, sxy = 0.0, sxx = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        my += y[i];
        mx += x[i];
    }
    my /= (double)n;
    mx /= (double)n;
    for (uint64_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    if (!(sxx > 0.0))
        return mcr_fail(err, MCR_ERR_INPUT,
                        "control variate pilot: the control is constant on the pilot's %llu paths, "
                        "so it cannot explain anything",
                        (unsigned long long)n);
    *beta = sxy / sxx;
    return MCR_OK;
}

/* mean of y - beta x, and its se over `units` units of `per_unit` consecutive paths (a unit's
 * value is its average) */
static void unit_mean_se(const double *y, const double *x, double beta, uint64_t units,
                         int per_unit, double *mean, double *se)
{
    double m = 0.0, ss = 0.0;
    for (uint64_t u = 0; u < units; u++)
        for (int j = 0; j < per_unit; j++) {
            uint64_t i = u * (uint64_t)per_unit + (uint64_t)j;
            m += y[i] - beta * x[i];
        }
    m /= (double)(units * (uint64_t)per_unit);
    for (uint64_t u = 0; u < units; u++) {
        double s = 0.0;
        for (int j = 0; j < per_unit; j++) {
            uint64_t i = u * (uint64_t)per_unit + (uint64_t)j;
            s += y[i] - beta * x[i];
        }
        double d = s / per_unit - m;
        ss += d * d;
    }
    *mean = m;
    *se = sqrt(ss / (double)(units - 1) / (double)units);
}

mcr_status mcr_cv_mean(const double *y, const double *x, uint64_t n, double x_mean, double beta,
                       int antithetic, mcr_cv_estimate *out, mcr_error *err)
{
    int per_unit = antithetic ? 2 : 1;
    if (antithetic && n % 2)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "control variate: antithetic pairs need an even path count (got %llu)",
                        (unsigned long long)n);
    uint64_t units = n / (uint64_t)per_unit;
    if (units < 2)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "control variate: needs at least 2 independent units (got %llu)",
                        (unsigned long long)units);
    if (!isfinite(beta))
        return mcr_fail(err, MCR_ERR_INPUT, "control variate: beta must be finite (got %g)", beta);
    double m;
    unit_mean_se(y, x, beta, units, per_unit, &m, &out->se);
    out->mean = m + beta * x_mean;
    unit_mean_se(y, x, 0.0, units, per_unit, &out->plain_mean, &out->plain_se);
    out->variance_ratio =
        out->plain_se > 0 ? (out->se * out->se) / (out->plain_se * out->plain_se) : 1.0;
    out->units = units;
    return MCR_OK;
}
