/* run.tail beyond one GBM asset (run/tail.h; the kernels' normal-shift hook, kernels.h): long
 * spot's importance-sampled VaR99.9 and CVaR99.9 within 4 se of an exact reference, with se's
 * bounded and several times below plain Monte Carlo's at the same paths:
 * - merton: the Poisson mixture of lognormals (quantile by bisection, tail in closed form); and
 *   with the default config's large jumps, which are not tilted: unbiased, the gain small;
 * - kou: the exact density of the log return (models/kou_density.h), integrated numerically;
 * - heston, bates: a plain run of 16x the paths (the QE scheme is exact for no closed form), the
 *   two se's combined;
 * - two correlated gbm assets, long the second: its lognormal closed form, and the pilot's shift
 *   points along the second asset's row of the Cholesky factor (rho, sqrt(1 - rho^2)).
 * Also: the weights have mean 1; shift 0 is the plain run bitwise; every path's weight equals its
 * hand computation from the normals that moved its prices (a sim-level pass over two assets);
 * bitwise at 1 and 2 threads over several assets and models; the config check. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/gbm.h"
#include "models/kou_density.h"
#include "models/normal.h"
#include "sim/sim.h"
#include "tail_weights.h"
#include "test_run.h"

#define LEVEL 0.999
#define T_DAYS 10.0

#define ONE_ASSET(paths, model, tail)                                                             \
    "run: {paths: " paths ", seed: 7, levels: [0.999]" tail "}\n"                                  \
    "horizon: {days: 10, steps: 5}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: " model "}]\n"                                       \
    "portfolio: [{asset: BTC, instrument: spot, quantity: 1}]\n"                                   \
    "strategies: [{name: unhedged, type: none}]\n"

#define MERTON "{type: merton, sigma: 0.8, jump_intensity: 5, jump_mean: -0.02, jump_std: 0.05}"
#define KOU "{type: kou, sigma: 0.8, jump_intensity: 5, p_up: 0.4, eta_up: 30, eta_down: 25}"
#define HESTON "{type: heston, v0: 0.36, kappa: 2, theta: 0.36, xi: 1.0, rho: -0.5}"
#define BATES                                                                                      \
    "{type: bates, v0: 0.36, kappa: 2, theta: 0.36, xi: 1.0, rho: -0.3, jump_intensity: 5, "      \
    "jump_mean: -0.02, jump_std: 0.05}"

/* Checks one strategy's tail figures against a reference (se_ref: its own se, 0 if exact). */
static void expect_tail(const char *what, const mcr_strategy_result *c, double var, double cvar,
                        double se_ref_var, double se_ref_cvar, double max_se, double gain)
{
    const mcr_tail_result *t = &c->tail;
    const mcr_risk_row *plain = &c->summary.risk[0];
    cr_log_info("%s: shift %.4f (%d rounds), VaR %.4f +- %.4f (ref %.4f +- %.4f, plain %.4f +- "
                "%.4f: %.1fx), CVaR %.4f +- %.4f (ref %.4f +- %.4f, plain %.4f +- %.4f: %.1fx)",
                what, t->shift, t->pilot_rounds, t->var, t->var_se, var, se_ref_var, plain->var,
                plain->var_se, plain->var_se / t->var_se, t->cvar, t->cvar_se, cvar, se_ref_cvar,
                plain->cvar, plain->cvar_se, plain->cvar_se / t->cvar_se);
    double sv = sqrt(t->var_se * t->var_se + se_ref_var * se_ref_var);
    double sc = sqrt(t->cvar_se * t->cvar_se + se_ref_cvar * se_ref_cvar);
    cr_assert(fabs(t->var - var) <= 4 * sv, "%s VaR %g vs %g, se %g", what, t->var, var, sv);
    cr_assert(fabs(t->cvar - cvar) <= 4 * sc, "%s CVaR %g vs %g, se %g", what, t->cvar, cvar, sc);
    cr_assert(t->var_se > 0 && t->var_se < max_se && t->cvar_se > 0 && t->cvar_se < max_se,
              "%s se %g %g", what, t->var_se, t->cvar_se);
    cr_assert(gain * t->var_se <= plain->var_se, "%s: %g vs %g", what, t->var_se, plain->var_se);
    cr_assert(gain * t->cvar_se <= plain->cvar_se, "%s: %g vs %g", what, t->cvar_se,
              plain->cvar_se);
}

typedef struct merton_params {
    double sigma, lambda, nu, delta;
} merton_params;

/* ln(S_T / S0) of merton given n jumps: N(m_n, s_n^2); F(x) and E[e^X 1{X <= x}]. */
static void merton_tail(const merton_params *mp, double x, double T, double *cdf, double *partial)
{
    const double sigma = mp->sigma, lambda = mp->lambda, nu = mp->nu, delta = mp->delta;
    const double k = exp(nu + 0.5 * delta * delta) - 1, L = lambda * T;
    *cdf = *partial = 0;
    for (int n = 0; n < 40; n++) {
        double p = exp(-L + n * log(L) - lgamma(n + 1.0));
        double m = (-0.5 * sigma * sigma - lambda * k) * T + n * nu;
        double s = sqrt(sigma * sigma * T + n * delta * delta);
        *cdf += p * mcr_norm_cdf((x - m) / s);
        *partial += p * exp(m + 0.5 * s * s) * mcr_norm_cdf((x - m - s * s) / s);
    }
}

/* Long spot's exact VaR and CVaR at LEVEL under merton mp over T_DAYS (the 0.1% quantile of
 * ln(S_T / S0) by bisection, the tail's partial moment in closed form). */
static void merton_exact(const merton_params *mp, double *var, double *cvar)
{
    const double T = T_DAYS / 365;
    double lo = -3, hi = 0, cdf, partial;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        merton_tail(mp, mid, T, &cdf, &partial);
        *(cdf < 1 - LEVEL ? &lo : &hi) = mid;
    }
    merton_tail(mp, lo, T, &cdf, &partial);
    *var = 100 * (1 - exp(lo));
    *cvar = 100 * (1 - partial / (1 - LEVEL));
}

Test(tail_models, merton_within_4_se_of_the_poisson_mixture)
{
    double var, cvar;
    merton_exact(&(merton_params){0.8, 5, -0.02, 0.05}, &var, &cvar);
    mcr_result r;
    run_yaml(ONE_ASSET("16384", MERTON, ", tail: {level: 0.999}"), 2, &r);
    expect_tail("merton", mcr_result_cell(&r, 0, 0), var, cvar, 0, 0, 0.2, 4);
    mcr_result_free(&r);
}

/* The default config's jumps (10 a year of -5% +- 10%, sigma 0.6) make much of the 10-day 99.9%
 * tail: the untilted jumps keep the gain small (README), the figures stay unbiased. */
Test(tail_models, merton_jump_driven_tail)
{
    double var, cvar;
    merton_exact(&(merton_params){0.6, 10, -0.05, 0.1}, &var, &cvar);
    mcr_result r;
    run_yaml(ONE_ASSET("16384",
                       "{type: merton, sigma: 0.6, jump_intensity: 10, jump_mean: -0.05, "
                       "jump_std: 0.1}",
                       ", tail: {level: 0.999}"),
             2, &r);
    expect_tail("merton, jumps", mcr_result_cell(&r, 0, 0), var, cvar, 0, 0, 1.5, 1);
    mcr_result_free(&r);
}

Test(tail_models, kou_within_4_se_of_its_exact_density)
{
    const mcr_kou m = {.mu = 0, .sigma = 0.8, .jump_intensity = 5, .p_up = 0.4, .eta_up = 30,
                       .eta_down = 25};
    static mcr_kou_mixture mx;
    mcr_kou_mixture_of(&m, T_DAYS / 365, 30, &mx);
    /* Simpson over [-2.5, 0] in steps of h: F and E[e^X 1{X <= x}] at every other node */
    const double a = -2.5, h = 1e-4;
    const int n = 25000;
    double F = 0, E = 0, x_star = NAN, E_star = 0;
    for (int j = 0; j < n; j += 2) {
        double x0 = a + j * h, x1 = x0 + h, x2 = x0 + 2 * h;
        double f0 = exp(mcr_kou_mixture_log_density(&mx, x0));
        double f1 = exp(mcr_kou_mixture_log_density(&mx, x1));
        double f2 = exp(mcr_kou_mixture_log_density(&mx, x2));
        double dF = h / 3 * (f0 + 4 * f1 + f2);
        double dE = h / 3 * (f0 * exp(x0) + 4 * f1 * exp(x1) + f2 * exp(x2));
        if (F + dF >= 1 - LEVEL) { /* inside this panel: linear in F */
            double frac = (1 - LEVEL - F) / dF;
            x_star = x0 + 2 * h * frac;
            E_star = E + frac * dE;
            break;
        }
        F += dF;
        E += dE;
    }
    cr_assert(!isnan(x_star));
    double var = 100 * (1 - exp(x_star)), cvar = 100 * (1 - E_star / (1 - LEVEL));
    mcr_result r;
    run_yaml(ONE_ASSET("16384", KOU, ", tail: {level: 0.999}"), 2, &r);
    expect_tail("kou", mcr_result_cell(&r, 0, 0), var, cvar, 0, 0, 0.2, 4);
    mcr_result_free(&r);
}

/* Heston and Bates: no closed form for the QE scheme's law, so a plain run of 16x the paths is the
 * reference and the se's combine. */
static void against_plain(const char *what, const char *yaml_tail, const char *yaml_plain)
{
    mcr_result r, ref;
    run_yaml(yaml_tail, 2, &r);
    run_yaml(yaml_plain, 2, &ref);
    const mcr_risk_row *p = &mcr_result_cell(&ref, 0, 0)->summary.risk[0];
    expect_tail(what, mcr_result_cell(&r, 0, 0), p->var, p->cvar, p->var_se, p->cvar_se, 0.2, 3);
    mcr_result_free(&r);
    mcr_result_free(&ref);
}

Test(tail_models, heston_within_4_se_of_a_large_plain_run)
{
    against_plain("heston", ONE_ASSET("16384", HESTON, ", tail: {level: 0.999}"),
                  ONE_ASSET("262144", HESTON, ""));
}

Test(tail_models, bates_within_4_se_of_a_large_plain_run)
{
    against_plain("bates", ONE_ASSET("16384", BATES, ", tail: {level: 0.999}"),
                  ONE_ASSET("262144", BATES, ""));
}

#define TWO_ASSETS(paths, second, book) TWO_ASSETS_TAIL(paths, second, book, "{level: 0.999}")
#define TWO_ASSETS_TAIL(paths, second, book, tail)                                                \
    "run: {paths: " paths ", seed: 3, levels: [0.999], tail: " tail "}\n"                         \
    "horizon: {days: 10, steps: 5}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}},\n"                         \
    "           {name: ETH, spot: 10, model: " second "}]\n"                                       \
    "  correlation: [[1, 0.7], [0.7, 1]]\n"                                                        \
    "portfolio: " book "\n"                                                                        \
    "strategies: [{name: unhedged, type: none}, {name: put, type: protective_put, asset: ETH,\n"  \
    "              strike: 0.9}]\n"

/* Long 10 ETH (gbm 0.8) correlated 0.7 with BTC: ETH's normal is 0.7 w_BTC + 0.714 w_ETH, so
 * the pilot's shift of the two independent normals points along (0.7, 0.714), length 3.09. */
Test(tail_models, two_correlated_gbm_assets)
{
    mcr_result r;
    run_yaml(TWO_ASSETS("16384", "{type: gbm, sigma: 0.8}",
                        "[{asset: ETH, instrument: spot, quantity: 10}]"),
             2, &r);
    const mcr_strategy_result *c = mcr_result_cell(&r, 0, 0);
    mcr_gbm m = {.mu = 0, .sigma = 0.8};
    double T = T_DAYS / 365;
    expect_tail("two gbm", c, mcr_gbm_var_long(&m, 100, T, LEVEL),
                mcr_gbm_cvar_long(&m, 100, T, LEVEL), 0, 0, 0.2, 10);
    const double *s = c->tail.shifts;
    cr_log_info("shift (%.4f, %.4f), |c| %.4f", s[0], s[1], c->tail.shift);
    cr_assert(fabs(c->tail.shift - hypot(s[0], s[1])) < 1e-15);
    cr_assert(fabs(c->tail.shift + mcr_norm_quantile(1 - LEVEL)) < 0.2, "|c| %g", c->tail.shift);
    cr_assert(fabs(s[0] / c->tail.shift + 0.7) < 0.1 && fabs(s[1] / c->tail.shift +
                                                             sqrt(1 - 0.49)) < 0.1,
              "direction (%g, %g)", s[0], s[1]);
    mcr_result_free(&r);
}

/* Two correlated gbm assets, a sim-level pass with a given shift: zeta of each path reproduces its
 * P&L (long 1 BTC and 10 ETH) by hand, so the weights exp(-c.zeta + |c|^2 / 2) are those of the
 * normals that moved the prices; the tilted zeta has mean c and the weights mean 1; shift 0
 * gives the plain pass's P&L bitwise. */
Test(tail_models, weights_by_hand_from_the_normals_of_two_assets)
{
    mcr_config cfg;
    load_ok(TWO_ASSETS("640", "{type: gbm, sigma: 0.8}",
                       "[{asset: BTC, instrument: spot, quantity: 1},\n"
                       "            {asset: ETH, instrument: spot, quantity: 10}]"),
            &cfg);
    mcr_sim_options o = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2};
    static double pnl[640], plain[640], put[640], zeta[640 * 2];
    mcr_field_set out[2] = {0}; /* every strategy writes its pnl */
    out[0].at[MCR_FIELD_PNL] = plain;
    out[1].at[MCR_FIELD_PNL] = put;
    mcr_error err = {0};
    cr_assert_eq(mcr_simulate(&cfg, 0, &o, out, &err), MCR_OK, "%s", err.msg);
    const double zero[2] = {0, 0}, c[2] = {-0.6, 0.4};
    for (int pass = 0; pass < 2; pass++) {
        out[0].at[MCR_FIELD_PNL] = pnl;
        mcr_sim_range range = {.first_block = 0, .n_blocks = 10, .out = out,
                               .tilt = pass ? c : zero, .zeta = zeta};
        cr_assert_eq(mcr_sim_blocks(&cfg, 0, &o, &range, &err), MCR_OK, "%s", err.msg);
        if (pass == 0)
            cr_assert_eq(memcmp(pnl, plain, sizeof pnl), 0);
    }
    const double T = T_DAYS / 365, r = 0.7, s = sqrt(1 - r * r);
    static double w[640];
    for (int i = 0; i < 640; i++) {
        const double *z = zeta + 2 * i;
        double x1 = -0.5 * 0.36 * T + 0.6 * sqrt(T) * z[0];
        double x2 = -0.5 * 0.64 * T + 0.8 * sqrt(T) * (r * z[0] + s * z[1]);
        double by_hand = 100 * (exp(x1) - 1) + 10 * 10 * (exp(x2) - 1);
        cr_assert(fabs(pnl[i] - by_hand) <= 1e-9 * (1 + fabs(by_hand)), "path %d: %.12g vs %.12g",
                  i, pnl[i], by_hand);
        w[i] = exp(-c[0] * z[0] - c[1] * z[1] + 0.5 * (c[0] * c[0] + c[1] * c[1]));
    }
    /* the tilted zeta has mean c: its sample mean within 4 se (se 1 / sqrt(640)) */
    double m0 = 0, m1 = 0;
    for (int i = 0; i < 640; i++) {
        m0 += zeta[2 * i] / 640;
        m1 += zeta[2 * i + 1] / 640;
    }
    cr_assert(fabs(m0 - c[0]) < 4 / sqrt(640.0) && fabs(m1 - c[1]) < 4 / sqrt(640.0),
              "zeta mean (%g, %g)", m0, m1);
    expect_mean_weight_one(w, 640, 0.06); /* |c|^2 = 0.52: the weights' variance is 0.68 */
    mcr_config_free(&cfg);
}

/* Mean weight 1 (merton, shift -1: the weights' variance e - 1, so the sample se is reliable),
 * and shift 0 is the plain run: the pass's P&L bitwise the run's, weights 1. */
Test(tail_models, merton_mean_weight_one_and_zero_shift_plain)
{
    mcr_result r, z;
    run_yaml(ONE_ASSET("16384", MERTON, ", tail: {level: 0.999, shift: -1}"), 2, &r);
    expect_mean_weight_one(r.tail_weight[0], 16384, 0.02);
    run_yaml(ONE_ASSET("4096", MERTON, ", tail: {level: 0.999, shift: 0}"), 2, &z);
    const mcr_strategy_result *c = mcr_result_cell(&z, 0, 0);
    cr_assert_eq(memcmp(c->tail_pnl, mcr_cell_pnl(c), 4096 * sizeof(double)), 0);
    for (int i = 0; i < 4096; i++)
        cr_assert_eq(z.tail_weight[0][i], 1.0);
    cr_assert_eq(c->tail.var, c->summary.risk[0].var);
    mcr_result_free(&r);
    mcr_result_free(&z);
}

/* Several assets and models (gbm and bates, correlated), the pilot included: the figures, the
 * per-path P&L and the weights bitwise at 1 and 2 threads. */
Test(tail_models, bitwise_at_1_and_2_threads)
{
    const char *yaml = TWO_ASSETS("4096", BATES, "[{asset: BTC, instrument: spot, quantity: 1},\n"
                                  "            {asset: ETH, instrument: spot, quantity: 10}]");
    mcr_result a, b;
    run_yaml(yaml, 1, &a);
    run_yaml(yaml, 2, &b);
    for (int s = 0; s < 2; s++) {
        const mcr_strategy_result *x = mcr_result_cell(&a, 0, s), *y = mcr_result_cell(&b, 0, s);
        cr_assert_eq(memcmp(&x->tail, &y->tail, sizeof x->tail), 0);
        cr_assert_eq(memcmp(x->tail_pnl, y->tail_pnl, 4096 * sizeof(double)), 0);
    }
    cr_assert_eq(memcmp(a.tail_weight[0], b.tail_weight[0], 4096 * sizeof(double)), 0);
    cr_assert(mcr_result_cell(&a, 0, 0)->tail.shift > 0);
    mcr_result_free(&a);
    mcr_result_free(&b);
}

/* Every model that draws Brownian normals is accepted, several assets too; refused before any
 * work (exit 2): a data model (it draws days of its file, no normal to shift) and a given shift
 * number with several assets (one number cannot say the direction). */
Test(tail_models, config_check)
{
    mcr_config cfg;
    load_ok(TWO_ASSETS("4096", KOU, "[{asset: ETH, instrument: spot, quantity: 1}]"), &cfg);
    mcr_config_free(&cfg);
    expect_error(TWO_ASSETS_TAIL("4096", "{type: gbm, sigma: 0.8}",
                                 "[{asset: ETH, instrument: spot, quantity: 1}]",
                                 "{level: 0.999, shift: -3}"),
                 "bad.yaml:1: run.tail.shift: ", "a number only with one asset");
    expect_error(ONE_ASSET("4096",
                           "{type: bootstrap, data: " MCR_SOURCE_DIR "/data/btc_usd_daily.csv}",
                           ", tail: {level: 0.999}"),
                 "bad.yaml:1: run.tail: ", "model bootstrap");
}
