/* GBM: closed forms checked by independent quadrature, and the simulated S_T checked against them
 * (|est - exact| <= 4 se, with a bound on se) through the engine's simulation core. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "config/config.h"
#include "strategies/strategy.h"
#include "models/gbm.h"
#include "models/normal.h"
#include "risk/risk.h"
#include "sim/sim.h"

static const mcr_gbm w1 = {.mu = 0.0, .sigma = 0.8};

/* E[S_T 1{S_T <= q}] by Simpson's rule over the normal density of ln S_T. */
static double partial_mean_by_quadrature(const mcr_gbm *m, double s0, double t, double q)
{
    double mu = log(s0) + (m->mu - 0.5 * m->sigma * m->sigma) * t, sd = m->sigma * sqrt(t);
    double lo = mu - 12.0 * sd, hi = log(q);
    int n = 20000;
    double h = (hi - lo) / n, sum = 0.0;
    for (int i = 0; i <= n; i++) {
        double y = lo + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        sum += w * exp(y) * mcr_norm_pdf((y - mu) / sd) / sd;
    }
    return sum * h / 3.0;
}

Test(gbm, closed_forms)
{
    double s0 = 100, t = 1.0, p = 0.01;
    double q = mcr_gbm_quantile(&w1, s0, t, p);
    /* the quantile inverts the lognormal cdf */
    double z = (log(q / s0) + 0.5 * 0.64 * t) / (0.8 * sqrt(t));
    cr_assert_float_eq(mcr_norm_cdf(z), p, 1e-14);
    cr_assert_float_eq(mcr_gbm_var_long(&w1, s0, t, 0.99), s0 - q, 1e-12);
    double tail = partial_mean_by_quadrature(&w1, s0, t, q) / p;
    cr_assert_float_eq(mcr_gbm_cvar_long(&w1, s0, t, 0.99), s0 - tail, 1e-9);
    cr_assert_float_eq(mcr_gbm_mean(&(mcr_gbm){0.05, 0.3}, 100, 2), 100 * exp(0.1), 1e-12);
    cr_assert_float_eq(mcr_gbm_variance(&w1, s0, t), s0 * s0 * (exp(0.64) - 1), 1e-9);
}

Test(gbm, quantile_function_accuracy)
{
    /* AS241 against the erfc-based cdf over the tails and the centre */
    const double ps[] = {1e-12, 1e-6, 0.001, 0.01, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        cr_assert(fabs(mcr_norm_cdf(mcr_norm_quantile(ps[i])) / ps[i] - 1) < 1e-13,
                  "p = %g", ps[i]);
}

Test(gbm, rejects_bad_parameters)
{
    mcr_error err = {0};
    cr_assert_eq(mcr_gbm_check(&(mcr_gbm){0, -0.2}, "m", &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "m.sigma") != NULL, "%s", err.msg);
    cr_assert_eq(mcr_gbm_check(&(mcr_gbm){NAN, 0.2}, "m", &err), MCR_ERR_INPUT);
    cr_assert_eq(mcr_gbm_check(&(mcr_gbm){0.1, 0.2}, "m", &err), MCR_OK);
}

/* Simulate 10^6 paths of long 1 spot, W1's model over 73 steps of 5 days (exact steps: the law
 * of S_T does not depend on the step count). */
static double *simulate_w1(mcr_config *cfg)
{
    static const char yaml[] = "run: {paths: 1000000, seed: 1234, levels: [0.99]}\n"
                               "horizon: {days: 365, steps: 73}\n"
                               "market:\n  assets:\n"
                               "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n";
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "w1-test", cfg, &err), MCR_OK, "%s", err.msg);
    double *pnl = malloc(cfg->paths * sizeof *pnl);
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2};
    mcr_field_set out = {.at = {[MCR_FIELD_PNL] = pnl}};
    cr_assert_eq(mcr_simulate(cfg, 0, &opt, &out, &err), MCR_OK, "%s", err.msg);
    return pnl;
}

Test(gbm, monte_carlo_moments)
{
    mcr_config cfg;
    double *pnl = simulate_w1(&cfg);
    uint64_t n = cfg.paths;
    double mean = 0, m2 = 0, m4 = 0;
    for (uint64_t i = 0; i < n; i++)
        mean += pnl[i] + 100.0;
    mean /= n;
    for (uint64_t i = 0; i < n; i++) {
        double d = (pnl[i] + 100.0 - mean) * (pnl[i] + 100.0 - mean);
        m2 += d;
        m4 += d * d;
    }
    double var = m2 / (n - 1), mean_se = sqrt(var / n), var_se = sqrt((m4 / n - var * var) / n);
    double exact_mean = mcr_gbm_mean(&w1, 100, 1), exact_var = mcr_gbm_variance(&w1, 100, 1);
    cr_expect(fabs(mean - exact_mean) <= 4 * mean_se, "mean %g vs %g (se %g)", mean, exact_mean,
              mean_se);
    cr_expect(mean_se < 0.1, "se of the mean %g", mean_se);
    cr_expect(fabs(var - exact_var) <= 4 * var_se, "var %g vs %g (se %g)", var, exact_var, var_se);
    cr_expect(var_se < 0.03 * exact_var, "se of the variance %g", var_se);
    free(pnl);
    mcr_config_free(&cfg);
}

Test(gbm, monte_carlo_var_cvar)
{
    mcr_config cfg;
    double *pnl = simulate_w1(&cfg);
    double *scratch = malloc(cfg.paths * sizeof *scratch);
    mcr_summary s;
    mcr_risk_summarize(pnl, cfg.paths, cfg.levels, cfg.n_levels, scratch, &s);
    double var = mcr_gbm_var_long(&w1, 100, 1, 0.99), cvar = mcr_gbm_cvar_long(&w1, 100, 1, 0.99);
    cr_expect(fabs(s.risk[0].var - var) <= 4 * s.risk[0].var_se, "VaR99 %g vs %g (se %g)",
              s.risk[0].var, var, s.risk[0].var_se);
    cr_expect(fabs(s.risk[0].cvar - cvar) <= 4 * s.risk[0].cvar_se, "CVaR99 %g vs %g (se %g)",
              s.risk[0].cvar, cvar, s.risk[0].cvar_se);
    cr_expect(s.risk[0].var_se > 0 && s.risk[0].var_se < 0.05, "se(VaR99) %g", s.risk[0].var_se);
    cr_expect(s.risk[0].cvar_se > 0 && s.risk[0].cvar_se < 0.05, "se(CVaR99) %g",
              s.risk[0].cvar_se);
    free(scratch);
    free(pnl);
    mcr_config_free(&cfg);
}
