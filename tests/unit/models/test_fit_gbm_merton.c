/* Maximum likelihood for GBM and Merton: parameters recovered from 5,000 daily returns that
 * mcrisk's own generators simulate (each estimate within 3 standard errors, and the standard
 * errors bounded); GBM's closed form against the numerical inverse Hessian of the core and, on
 * the shipped BTC file, against the sample moments; the Merton density against a Fourier
 * inversion of its characteristic function. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "core/data_file.h"
#include "models/fit_gbm.h"
#include "models/fit_merton.h"
#include "sim_returns.h"

#define DT (1.0 / 365.0)
#define N_DAYS 5000

static void within_3se(const mcr_fit_result *r, const double *truth)
{
    cr_assert(r->has_se);
    for (int i = 0; i < r->n_par; i++)
        cr_assert(fabs(r->x[i] - truth[i]) <= 3.0 * r->se[i], "%s: estimate %.6g, true %.6g, se %.3g",
                  r->names[i], r->x[i], truth[i], r->se[i]);
}

Test(fit_gbm, recovers_parameters)
{
    double *r = malloc(sizeof(double) * N_DAYS), truth[2] = {0.4, 0.7};
    sim_gbm(truth[0], truth[1], DT, N_DAYS, 11, r);
    mcr_fit_result f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_gbm(r, N_DAYS, DT, &f, &err), MCR_OK, "%s", err.msg);
    within_3se(&f, truth);
    /* se(sigma) = sigma / sqrt(2n) ~ 0.0070; se(mu) = sigma / sqrt(n dt) ~ 0.189 */
    cr_assert(f.se[1] > 0.006 && f.se[1] < 0.008, "se sigma %g", f.se[1]);
    cr_assert(f.se[0] > 0.17 && f.se[0] < 0.21, "se mu %g", f.se[0]);
    free(r);
}

/* The closed-form covariance is the inverse Hessian of the likelihood: check it against the fit
 * core's numerical Hessian in (m, s), mapped by the core's delta method. */
typedef struct gbm_ctx {
    const double *r;
    int n;
    double scale; /* theta = (m, s) / scale, of order one like the fits' coordinates */
} gbm_ctx;

static double gbm_nll(const double *t, void *c)
{
    const gbm_ctx *g = c;
    return mcr_fit_gbm_nll(g->r, g->n, t[0] * g->scale, t[1] * g->scale);
}

static void gbm_natural(const double *t, double *x, void *c)
{
    const gbm_ctx *g = c;
    x[1] = t[1] * g->scale / sqrt(DT);
    x[0] = t[0] * g->scale / DT + 0.5 * x[1] * x[1];
}

Test(fit_gbm, closed_form_se_equals_inverse_hessian)
{
    double *r = malloc(sizeof(double) * N_DAYS);
    sim_gbm(0.1, 0.5, DT, N_DAYS, 12, r);
    mcr_fit_result f, g = {0};
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_gbm(r, N_DAYS, DT, &f, &err), MCR_OK);
    gbm_ctx c = {r, N_DAYS, f.theta[1]};
    mcr_fit_problem p = {.n_par = 2, .n_obs = N_DAYS, .nll = gbm_nll, .to_natural = gbm_natural,
                         .ctx = &c};
    g.n_par = 2;
    g.theta[0] = f.theta[0] / c.scale;
    g.theta[1] = 1.0;
    double h[4];
    mcr_fit_hessian(gbm_nll, &c, g.theta, 2, h);
    /* d2/dm2 = n / s^2, d2/ds2 = 2n / s^2, cross 0 at the MLE; times scale^2 = s^2 */
    cr_assert(fabs(h[0] / N_DAYS - 1) < 1e-6, "%.9g", h[0] / N_DAYS);
    cr_assert(fabs(h[3] / (2 * N_DAYS) - 1) < 1e-6, "%.9g", h[3] / (2 * N_DAYS));
    cr_assert(fabs(h[1]) < 1e-6 * N_DAYS, "%g", h[1]);
    mcr_fit_covariance(&p, h, &g);
    cr_assert(g.has_se);
    for (int i = 0; i < 2; i++)
        cr_assert(fabs(g.se[i] / f.se[i] - 1) < 1e-5, "%d: %g vs %g", i, g.se[i], f.se[i]);
    /* and the log-likelihood is the closed form's */
    cr_assert(fabs(-mcr_fit_gbm_nll(r, N_DAYS, f.theta[0], f.theta[1]) - f.loglik) <
              1e-9 * fabs(f.loglik));
    cr_assert_float_eq(f.aic, 4 - 2 * f.loglik, 1e-9);
    cr_assert_float_eq(f.bic, 2 * log(N_DAYS) - 2 * f.loglik, 1e-9);
    free(r);
}

/* GBM on every close-to-close return of the shipped file: the volatility is the sample standard
 * deviation (divisor n, the MLE) / sqrt(dt) and the drift the sample mean, computed here by
 * long-double sums independently of the fit. */
Test(fit_gbm, btc_file_equals_sample_moments)
{
    mcr_data_file d;
    mcr_error err = {0};
    const char *cols[] = {"close"};
    cr_assert_eq(mcr_data_file_load(MCR_SOURCE_DIR "/data/btc_usd_daily.csv", cols, 1, &d, &err),
                 MCR_OK, "%s", err.msg);
    int n = d.n_rows - 1;
    double *r = malloc(sizeof(double) * (size_t)n);
    mcr_log_returns(d.col[0], d.n_rows, r);
    long double sum = 0, sq = 0;
    for (int i = 0; i < n; i++)
        sum += r[i];
    long double mean = sum / n;
    for (int i = 0; i < n; i++)
        sq += (r[i] - mean) * (r[i] - mean);
    double sd = (double)sqrtl(sq / n);
    mcr_fit_result f;
    cr_assert_eq(mcr_fit_gbm(r, n, DT, &f, &err), MCR_OK);
    double sigma = sd / sqrt(DT), drift = (double)mean / DT;
    cr_assert(fabs(f.x[1] / sigma - 1) < 1e-10, "sigma %.17g vs %.17g", f.x[1], sigma);
    /* mu - sigma^2/2 is the annualised mean log return */
    cr_assert(fabs((f.x[0] - 0.5 * f.x[1] * f.x[1]) / drift - 1) < 1e-10, "drift %.17g vs %.17g",
              f.x[0] - 0.5 * f.x[1] * f.x[1], drift);
    cr_assert_eq(n, 5151);
    free(r);
    mcr_data_file_free(&d);
}

/* The truncated mixture density against (1/pi) int_0^inf Re(e^{-iux} phi(u)) du of merton.h's
 * characteristic function, on a grid of x reaching the far left tail. */
Test(fit_merton, density_equals_fourier_inversion)
{
    mcr_merton m = {.mu = 0.2, .sigma = 0.5, .jump_intensity = 30, .jump_mean = -0.05,
                    .jump_std = 0.1};
    for (double x = -0.6; x <= 0.3; x += 0.05) {
        double du = 0.05, sum = 0.0;
        for (double u = 0.5 * du; u < 4000.0; u += du) /* midpoint rule; phi ~ e^-(s u)^2/2 */
            sum += creal(cexp(-I * u * x) * mcr_merton_cf(&m, m.mu, DT, u));
        double f_cf = sum * du / M_PI;
        double f = exp(mcr_merton_log_density(&m, DT, x, 40));
        cr_assert(fabs(f - f_cf) < 1e-9 * fmax(f, 1e-3), "x %g: %.12g vs %.12g", x, f, f_cf);
    }
}

Test(fit_merton, recovers_parameters)
{
    double *r = malloc(sizeof(double) * N_DAYS);
    mcr_merton m = {.mu = 0.3, .sigma = 0.5, .jump_intensity = 20, .jump_mean = -0.04,
                    .jump_std = 0.08};
    double truth[5] = {m.mu, m.sigma, m.jump_intensity, m.jump_mean, m.jump_std};
    sim_merton(&m, DT, N_DAYS, 21, r);
    mcr_fit_result f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_merton(r, N_DAYS, DT, &f, &err), MCR_OK, "%s", err.msg);
    for (int i = 0; i < 5; i++)
        cr_log_info("%s %.5g se %.3g (true %.5g)", f.names[i], f.x[i], f.se[i], truth[i]);
    cr_log_info("evaluations %d, terms %d", f.evaluations, f.jump_terms);
    within_3se(&f, truth);
    /* bounds on the standard errors (relative to the truth): the test has power */
    cr_assert(f.se[1] < 0.05 * m.sigma, "se sigma %g", f.se[1]);
    cr_assert(f.se[2] < 0.5 * m.jump_intensity, "se lambda %g", f.se[2]);
    cr_assert(f.se[3] < 0.5 * fabs(m.jump_mean), "se nu %g", f.se[3]);
    cr_assert(f.se[4] < 0.3 * m.jump_std, "se delta %g", f.se[4]);
    cr_assert(f.se[0] < 0.3, "se mu %g", f.se[0]);
    /* the truncation is negligible at the optimum, and the optimum beats the truth */
    cr_assert(f.truncation_bound < 1e-10, "%g", f.truncation_bound);
    cr_assert(f.loglik >= -mcr_merton_nll(&m, DT, r, N_DAYS));
    free(r);
}
