/* hedge_ratio: optimize (run/optimize.h) through mcr_run: with the variance objective, a static
 * linear perpetual on a second GBM asset hedging the first (a cross hedge, where the best ratio
 * is not 1) is chosen within its bootstrap interval of the analytic minimum-variance ratio; the
 * run's figures are those of the chosen ratio written as a number (bitwise: the pilot only
 * chooses); the search is bitwise the same at 1 and 2 threads; CVaR and VaR objectives run; bad
 * uses are refused; the pilot is in the memory estimate. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/memory.h"
#include "test_run.h"

/* 5 days, so a margin of 50% never liquidates (a 7-sd rise) and the hedge's P&L is linear in
 * the ratio; no trading costs or funding, which would only shift the mean. */
#define YAML(ratio) YAML_VR(ratio, "{}")
#define YAML_VR(ratio, vr)                                                                        \
    "run: {paths: 8000, seed: 5, levels: [0.99], variance_reduction: " vr "}\n"                    \
    "horizon: {days: 5, steps: 5}\n"                                                               \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - {name: ETH, spot: 100, model: {type: gbm, mu: 0, sigma: 0.6}}\n"                        \
    "    - {name: BTC, spot: 1000, model: {type: gbm, mu: 0, sigma: 0.8}}\n"                       \
    "  correlation: [[1, 0.7], [0.7, 1]]\n"                                                        \
    "portfolio: [{asset: ETH, instrument: spot, quantity: 1}]\n"                                   \
    "costs: {fee_bps: 0, slippage_bps: 0}\n"                                                       \
    "funding: {rate: 0}\n"                                                                         \
    "margin: {initial: 0.5, maintenance: 0.05}\n"                                                  \
    "strategies:\n"                                                                                \
    "  - {name: unhedged, type: none}\n"                                                           \
    "  - {name: ph, type: perp_hedge, asset: ETH, hedge_asset: BTC, hedge_ratio: " ratio "}\n"

Test(optimize, variance_ratio_brackets_the_analytic_minimum)
{
    mcr_result r, r1, fixed;
    run_yaml(YAML("optimize, objective: variance"), 2, &r);
    const mcr_ratio_choice *q = &mcr_result_cell(&r, 0, 1)->ratio;
    /* book X = S_eth,T - 100, hedge per unit of ratio Y = -(100 / 1000)(S_btc,T - 1000): the
     * ratio minimising Var(X + h Y) is Cov(S_eth,T, S_btc,T) 1000 / (100 Var(S_btc,T))
     * = (e^(rho s_e s_b T) - 1) / (e^(s_b^2 T) - 1) */
    double T = 5.0 / 365.0, exact = expm1(0.7 * 0.6 * 0.8 * T) / expm1(0.8 * 0.8 * T);
    cr_log_info("ratio %.5f in [%.5f, %.5f] after %d evaluations, exact %.5f, pilot variance %g",
                q->ratio, q->lo, q->hi, q->evaluations, exact, q->pilot_value);
    cr_assert(q->optimized && q->objective == 2 && q->pilot_paths == 4096);
    cr_assert(q->lo <= exact && exact <= q->hi, "%g not in [%g, %g]", exact, q->lo, q->hi);
    cr_assert(q->lo < q->ratio && q->ratio < q->hi);
    cr_assert(q->hi - q->lo < 0.1, "interval [%g, %g]", q->lo, q->hi); /* ~4 se of 4096 paths */
    cr_assert_eq(mcr_result_cell(&r, 0, 0)->ratio.optimized, 0);

    /* deterministic: bitwise at 1 thread */
    run_yaml(YAML("optimize, objective: variance"), 1, &r1);
    cr_assert_eq(memcmp(q, &mcr_result_cell(&r1, 0, 1)->ratio, sizeof *q), 0);

    /* the run's own paths with the chosen ratio: as if it had been written as a number */
    char text[2048], ratio[64];
    snprintf(ratio, sizeof ratio, "%.17g", q->ratio);
    snprintf(text, sizeof text, YAML("%s"), ratio);
    run_yaml(text, 2, &fixed);
    const mcr_strategy_result *a = mcr_result_cell(&r, 0, 1), *b = mcr_result_cell(&fixed, 0, 1);
    cr_assert_eq(memcmp(&a->summary, &b->summary, sizeof a->summary), 0);
    cr_assert_eq(memcmp(mcr_cell_pnl(a), mcr_cell_pnl(b), 8000 * sizeof(double)), 0);
    mcr_result_free(&r);
    mcr_result_free(&r1);
    mcr_result_free(&fixed);
}

/* The tail objectives on the same hedge: the CVaR-minimising ratio is near the variance one for
 * jointly lognormal assets (their tails are those of one linear combination, nearly normal). */
Test(optimize, cvar_and_var_objectives)
{
    mcr_result r;
    run_yaml(YAML("optimize, objective: cvar, level: 0.95"), 2, &r);
    const mcr_ratio_choice *q = &mcr_result_cell(&r, 0, 1)->ratio;
    cr_assert(q->optimized && q->objective == 0 && q->level == 0.95);
    cr_assert(q->lo <= q->ratio && q->ratio <= q->hi && q->ratio > 0.3 && q->ratio < 0.8,
              "%g [%g, %g]", q->ratio, q->lo, q->hi);
    mcr_result_free(&r);
    run_yaml(YAML("optimize, objective: var"), 2, &r);
    q = &mcr_result_cell(&r, 0, 1)->ratio;
    cr_assert(q->optimized && q->objective == 1 && q->level == 0.99);
    cr_assert(q->ratio > 0.2 && q->ratio < 0.9, "%g", q->ratio);
    mcr_result_free(&r);
}

/* The pilot draws independent paths whatever run.variance_reduction says (its bootstrap resamples
 * paths): the choice is bitwise the plain run's, the run itself uses the reduction. */
Test(optimize, pilot_ignores_variance_reduction)
{
    mcr_result r, a;
    run_yaml(YAML("optimize, objective: variance"), 2, &r);
    run_yaml(YAML_VR("optimize, objective: variance", "{antithetic: true}"), 2, &a);
    const mcr_strategy_result *p = mcr_result_cell(&r, 0, 1), *q = mcr_result_cell(&a, 0, 1);
    cr_assert_eq(memcmp(&p->ratio, &q->ratio, sizeof p->ratio), 0);
    cr_assert_neq(p->summary.mean, q->summary.mean); /* other paths: antithetic pairs */
    mcr_result_free(&r);
    mcr_result_free(&a);
}

Test(optimize, bad_uses)
{
    expect_error(YAML("optimise"), "bad.yaml:14: strategies[1].hedge_ratio: ", "optimize");
    expect_error(YAML("optimize, objective: sharpe"), "bad.yaml:14: strategies[1].objective: ",
                 "cvar, var, variance");
    /* the search's settings without the search: nothing would use them */
    expect_error(YAML("0.5, objective: variance"), "bad.yaml:14: strategies[1].objective: ",
                 "only with hedge_ratio: optimize, which uses it (got hedge_ratio: 0.5)");
    expect_error(YAML("0.5, level: 0.95"), "bad.yaml:14: strategies[1].level: ",
                 "only with hedge_ratio: optimize");
    expect_error(YAML("0.5, pilot_paths: 2000"), "bad.yaml:14: strategies[1].pilot_paths: ",
                 "only with hedge_ratio: optimize");
    expect_error(YAML("0.5, max_ratio: 1"), "bad.yaml:14: strategies[1].max_ratio: ",
                 "only with hedge_ratio: optimize");
    expect_error("market:\n"
                 "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]\n"
                 "portfolio: [{asset: BTC, instrument: spot, quantity: 1}]\n"
                 "strategies: [{name: d, type: delta_hedge, max_ratio: 1}]\n",
                 "bad.yaml:4: strategies[0].max_ratio: ",
                 "only with hedge_ratio: optimize, which uses it (got no hedge_ratio)");
    mcr_config cfg; /* a part of combine: refused before any path */
    load_ok("market:\n"
            "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]\n"
            "portfolio: [{asset: BTC, instrument: spot, quantity: 1}]\n"
            "strategies:\n"
            "  - name: c\n"
            "    combine:\n"
            "      - {type: protective_put, strike: 0.9}\n"
            "      - {type: perp_hedge, hedge_ratio: optimize}\n",
            &cfg);
    cfg.paths = 1000;
    mcr_run_options opt = {.sim = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 1},
                           .quiet = 1};
    mcr_share share;
    mcr_result out;
    mcr_error err = {0};
    cr_assert_eq(mcr_run(&cfg, &opt, mcr_comm_serial(), &share, &out, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "strategy c: hedge_ratio: optimize is for a strategy of one type"),
              "%s", err.msg);
    mcr_config_free(&cfg);
}

/* The pilot's buffers are in the memory estimate: 26 doubles and an index per pilot path. */
Test(optimize, pilot_in_the_memory_estimate)
{
    mcr_config cfg;
    load_ok(YAML("optimize, pilot_paths: 1000000"), &cfg);
    mcr_memory m, plain;
    mcr_memory_estimate(&cfg, 8000, 8000, 1, false, MCR_OUTPUT_STREAMED, &m);
    double pilot = -1;
    for (int i = 0; i < m.n; i++)
        if (!strcmp(m.term[i].name, "hedge-ratio pilot"))
            pilot = m.term[i].bytes;
    double configs = (cfg.n_scenarios + 1.0) * sizeof(mcr_config); /* the scenarios' copies */
    cr_assert(pilot >= 1e6 * (26 * 8 + 4) && pilot <= 1e6 * (26 * 8 + 4) + configs, "%g", pilot);
    mcr_config_free(&cfg);
    load_ok(YAML("0.5"), &cfg);
    mcr_memory_estimate(&cfg, 8000, 8000, 1, false, MCR_OUTPUT_STREAMED, &plain);
    cr_assert_eq(m.total - pilot, plain.total);
    mcr_config_free(&cfg);
}
