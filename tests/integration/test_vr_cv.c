/* run.variance_reduction.control_variate: terminal_spot through the run driver. A book holding a
 * one-year call (S0 = K = 100, sigma 0.3, r = mu = 0) has P&L Y = (S_T - K)^+ - BS, mean 0, and
 * X = S_T has the known mean S0. The exact variance ratio of the control-variate mean against the
 * plain mean at the same paths, for the optimal coefficient, is 1 - rho^2 with rho the correlation
 * of Y and X from the lognormal partial moments E[S^m 1{S > K}] = S0^m e^{m(m-1) sigma^2 T / 2}
 * Phi(d2 + m sigma sqrt T). The pilot's coefficient adds (beta - beta*)^2 Var X / Var Y, under 1%
 * with 16 pilot blocks (1024 paths). Bitwise at 1 and 2 threads; the mean within 4 se of 0.
 * book_option: the same check with an option of the book as the control, and its known mean
 * for an option that outlives the horizon. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/normal.h"
#include "run/run.h"
#include "strategies/strategy.h"
#include "test_run.h"

#define CALL_BOOK(vr)                                                                              \
    "run: {paths: 32768, seed: 21, levels: [0.99], keep_pnl: false, variance_reduction: {" vr     \
    "}}\n"                                                                                         \
    "horizon: {days: 365, steps: 12}\n"                                                            \
    "market:\n  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.3}}]\n"                \
    "portfolio:\n  - {asset: BTC, instrument: call, quantity: 1, strike: 100, expiry_days: 365}\n"

/* 1 - rho^2 of Y = (S_T - K)^+ and X = S_T (r = 0, T = 1). */
static double one_minus_rho2(double s0, double k, double sigma)
{
    double d2 = (log(s0 / k) - 0.5 * sigma * sigma) / sigma;
    double e1 = s0 * mcr_norm_cdf(d2 + sigma), e0 = mcr_norm_cdf(d2);
    double e2 = s0 * s0 * exp(sigma * sigma) * mcr_norm_cdf(d2 + 2 * sigma);
    double ey = e1 - k * e0, ey2 = e2 - 2 * k * e1 + k * k * e0;
    double exy = e2 - k * e1;
    double vx = s0 * s0 * (exp(sigma * sigma) - 1), vy = ey2 - ey * ey, cxy = exy - s0 * ey;
    return 1 - cxy * cxy / (vx * vy);
}

/* The variance ratio (se_cv / se_plain)^2 against 1 - rho^2 = 0.182: each se is estimated on
 * 2^15 paths to about 1% (the call's P&L has moderate tails), the ratio to about 3%: 12% is 4
 * sd. The CV estimate is within 4 se of the exact 0; VaR and CVaR are those of the plain run
 * (the control adjusts the mean only). */
Test(vr_cv, terminal_spot_variance_ratio)
{
    mcr_result plain, cv, cv2;
    run_yaml(CALL_BOOK(""), 2, &plain);
    run_yaml(CALL_BOOK("control_variate: terminal_spot"), 2, &cv);
    run_yaml(CALL_BOOK("control_variate: terminal_spot"), 1, &cv2);
    const mcr_summary *p = &mcr_result_cell(&plain, 0, 0)->summary;
    const mcr_summary *c = &mcr_result_cell(&cv, 0, 0)->summary;
    double exact = one_minus_rho2(100, 100, 0.3);
    double ratio = (c->mean_se / p->mean_se) * (c->mean_se / p->mean_se);
    cr_log_info("control variate: mean %.4f +- %.4f, plain %.4f +- %.4f, ratio %.4f (exact "
                "%.4f)", c->mean, c->mean_se, p->mean, p->mean_se, ratio, exact);
    cr_assert(fabs(ratio / exact - 1) < 0.12, "ratio %g vs 1 - rho^2 %g", ratio, exact);
    cr_assert(fabs(c->mean) <= 4 * c->mean_se, "mean %g se %g", c->mean, c->mean_se);
    cr_assert(c->mean_se < 0.5 * p->mean_se);
    cr_assert(c->risk[0].var == p->risk[0].var && c->risk[0].cvar == p->risk[0].cvar &&
              c->risk[0].cvar_se == p->risk[0].cvar_se);
    cr_assert(!memcmp(c, &mcr_result_cell(&cv2, 0, 0)->summary, sizeof *c), "threads 1 vs 2");
    mcr_result_free(&plain);
    mcr_result_free(&cv);
    mcr_result_free(&cv2);
}

/* control_variate: book_option on a book of 1 BTC and a call on it. The book's P&L is
 * Y = S_T + C - const, the control X = C = (S_T - K)^+ (the call expires at the horizon), so
 * rho is corr(S + C, C), again from the lognormal partial moments. */
#define SPOT_CALL_BOOK(expiry, vr)                                                                 \
    "run: {paths: 32768, seed: 21, levels: [0.99], keep_pnl: false, variance_reduction: {" vr     \
    "}}\n"                                                                                         \
    "horizon: {days: 365, steps: 12}\n"                                                            \
    "market:\n  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.3}}]\n"                \
    "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1}\n"                                \
    "  - {asset: BTC, instrument: call, quantity: 1, strike: 100, expiry_days: " expiry "}\n"

static double one_minus_rho2_spot_call(double s0, double k, double sigma)
{
    double d2 = (log(s0 / k) - 0.5 * sigma * sigma) / sigma;
    double e1 = s0 * mcr_norm_cdf(d2 + sigma), e0 = mcr_norm_cdf(d2);
    double e2 = s0 * s0 * exp(sigma * sigma) * mcr_norm_cdf(d2 + 2 * sigma);
    double ec = e1 - k * e0, ec2 = e2 - 2 * k * e1 + k * k * e0, esc = e2 - k * e1;
    double vs = s0 * s0 * expm1(sigma * sigma), vc = ec2 - ec * ec, csc = esc - s0 * ec;
    double vy = vs + vc + 2 * csc, cyx = csc + vc;
    return 1 - cyx * cyx / (vy * vc);
}

/* The variance ratio against 1 - rho^2, as terminal_spot's above (same paths, same 12%); the
 * estimate within 4 se of its exact mean 0 (mu = r = 0, the call priced at the model's vol). */
Test(vr_cv, book_option_variance_ratio)
{
    mcr_result plain, cv;
    run_yaml(SPOT_CALL_BOOK("365", ""), 2, &plain);
    run_yaml(SPOT_CALL_BOOK("365", "control_variate: book_option"), 2, &cv);
    const mcr_summary *p = &mcr_result_cell(&plain, 0, 0)->summary;
    const mcr_summary *c = &mcr_result_cell(&cv, 0, 0)->summary;
    double exact = one_minus_rho2_spot_call(100, 100, 0.3);
    double ratio = (c->mean_se / p->mean_se) * (c->mean_se / p->mean_se);
    cr_log_info("book option control: mean %.4f +- %.4f, plain %.4f +- %.4f, ratio %.4f (exact "
                "%.4f)", c->mean, c->mean_se, p->mean, p->mean_se, ratio, exact);
    cr_assert(fabs(ratio / exact - 1) < 0.12, "ratio %g vs 1 - rho^2 %g", ratio, exact);
    cr_assert(fabs(c->mean) <= 4 * c->mean_se, "mean %g se %g", c->mean, c->mean_se);
    cr_assert(c->risk[0].var == p->risk[0].var && c->risk[0].cvar == p->risk[0].cvar);
    mcr_result_free(&plain);
    mcr_result_free(&cv);
}

/* A call that outlives the horizon by a year: X is its Black-Scholes value at the horizon, whose
 * mean e^{-r tau} Black(E[S_T] e^{r tau}, K, sigma^2 (T + tau)) makes the estimate unbiased (a
 * wrong mean moves it by beta times the error: the variance of the remaining year alone,
 * sigma^2 tau, would give a mean 4.9 too low, about 100 se); the control still removes most of
 * the variance. */
Test(vr_cv, book_option_outliving_the_horizon_is_unbiased)
{
    mcr_result plain, cv;
    run_yaml(SPOT_CALL_BOOK("730", ""), 2, &plain);
    run_yaml(SPOT_CALL_BOOK("730", "control_variate: book_option"), 2, &cv);
    const mcr_summary *p = &mcr_result_cell(&plain, 0, 0)->summary;
    const mcr_summary *c = &mcr_result_cell(&cv, 0, 0)->summary;
    cr_log_info("book option control, tau 1 year: mean %.4f +- %.4f, plain %.4f +- %.4f",
                c->mean, c->mean_se, p->mean, p->mean_se);
    cr_assert(fabs(c->mean) <= 4 * c->mean_se, "mean %g se %g", c->mean, c->mean_se);
    cr_assert(c->mean_se > 0 && c->mean_se < 0.5 * p->mean_se, "%g vs %g", c->mean_se,
              p->mean_se);
    mcr_result_free(&plain);
    mcr_result_free(&cv);
}

Test(vr_cv, refusals)
{
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(CALL_BOOK("control_variate: terminal_spot, "
                                                  "antithetic: true"),
                                        "t.yaml", &cfg, &err),
                 MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "run.variance_reduction.control_variate") != NULL, "%s", err.msg);
    cr_assert_eq(mcr_config_load_string(CALL_BOOK("control_variate: terminal_spot, "
                                                  "pilot_blocks: 600"),
                                        "t.yaml", &cfg, &err),
                 MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "run.paths") != NULL, "%s", err.msg);
    /* book_option without a call or put on the first asset, or with that asset not gbm: a
     * config error at the key's line, before any work (exit 2) */
#define BOOK_OPTION_ON(model, book)                                                                \
    "run:\n  paths: 2048\n  variance_reduction:\n    control_variate: book_option\n"              \
    "market:\n  assets: [{name: BTC, spot: 100, model: " model "},\n"                             \
    "           {name: ETH, spot: 10, model: {type: gbm, sigma: 0.5}}]\n"                          \
    "portfolio: " book "\n"
    const char *refused = "bad.yaml:4: run.variance_reduction.control_variate: book_option needs "
                          "a call or put on the first asset (BTC) in the portfolio, and that "
                          "asset with model gbm (got %s); allowed: none, terminal_spot, "
                          "book_option";
    char msg[512];
    snprintf(msg, sizeof msg, refused, "no such option");
    expect_message(BOOK_OPTION_ON("{type: gbm, sigma: 0.3}",
                                  "[{asset: BTC, instrument: spot, quantity: 1}]"),
                   msg);
    expect_message(BOOK_OPTION_ON("{type: gbm, sigma: 0.3}",
                                  "[{asset: ETH, instrument: put, quantity: 1, strike: 9, "
                                  "expiry_days: 30}]"),
                   msg);
    snprintf(msg, sizeof msg, refused, "model merton");
    expect_message(BOOK_OPTION_ON("{type: merton, sigma: 0.3, jump_intensity: 1, jump_mean: 0, "
                                  "jump_std: 0.1}",
                                  "[{asset: BTC, instrument: call, quantity: 1, strike: 100, "
                                  "expiry_days: 30}]"),
                   msg);
    load_ok(BOOK_OPTION_ON("{type: gbm, sigma: 0.3}",
                           "[{asset: ETH, instrument: spot, quantity: 1},\n"
                           "  {asset: BTC, instrument: put, quantity: 1, strike: 90, "
                           "expiry_days: 30}]"),
            &cfg);
    mcr_config_free(&cfg);
}
