/* scenarios[].models (config/scenario_models.c): a scenario that replaces an asset's model runs
 * exactly as a config with that model in market.assets (the P&L of every path and strategy, the
 * risk table: bitwise), for every kind of model including the data kinds, in a book of two
 * correlated assets too; bad entries are one-line errors at their file:line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "test_run.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

/* A book with options, perpetuals and a delta hedge, 2 days of hourly steps. */
#define RUN "run: {paths: 300, seed: 7, keep_pnl: true, levels: [0.9, 0.99], threads: 2}\n" \
            "horizon: {days: 2, steps: 48}\n"
#define BOOK                                                                                       \
    "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1}\n"                                \
    "  - {asset: BTC, instrument: put, strike: 95, expiry_days: 10, quantity: 1}\n" \
    "strategies:\n  - {name: none, type: none}\n"                                                  \
    "  - {name: put90, type: protective_put, strike: 0.9}\n"                                       \
    "  - {name: perp, type: perp_hedge, contract: inverse, hedge_ratio: 1.0}\n"                    \
    "  - {name: delta, type: delta_hedge, instrument: linear_perp, rebalance: {every_steps: 4}}\n" \
    "costs: {fee_bps: 5, slippage_bps: 1}\n"

static const char *const models[] = {
    "{type: gbm, mu: 0.1, sigma: 0.7}",
    "{type: merton, mu: 0.0, sigma: 0.5, jump_intensity: 20, jump_mean: -0.05, jump_std: 0.1}",
    "{type: kou, sigma: 0.5, jump_intensity: 30, p_up: 0.4, eta_up: 20, eta_down: 15}",
    "{type: heston, v0: 0.4, kappa: 2, theta: 0.5, xi: 0.8, rho: -0.5}",
    "{type: bootstrap, data: " BTC ", start: 2023-01-01, block_days: 3}",
    "{type: fhs, data: " BTC ", start: 2023-01-01, variance: gjr}",
    "{type: historical, data: " BTC ", start: 2024-06-01}",
};

static void expect_same_cells(const mcr_result *a, int sa, const mcr_result *b, int sb,
                              const char *what)
{
    cr_assert_eq(a->prov.paths, b->prov.paths, "%s: paths", what);
    for (int s = 0; s < a->n_strategies; s++) {
        const mcr_strategy_result *x = mcr_result_cell(a, sa, s), *y = mcr_result_cell(b, sb, s);
        cr_assert(memcmp(mcr_cell_pnl(x), mcr_cell_pnl(y), a->prov.paths * sizeof(double)) == 0,
                  "%s, %s: the P&L differs", what, x->strategy);
        for (int l = 0; l < x->summary.n_levels; l++)
            cr_assert(memcmp(&x->summary.risk[l], &y->summary.risk[l], sizeof(mcr_risk_row)) ==
                          0,
                      "%s, %s: risk row %d: VaR %.17g vs %.17g", what, x->strategy, l,
                      x->summary.risk[l].var, y->summary.risk[l].var);
        cr_assert(x->summary.risk[1].var != 0, "%s: a VaR that can differ", what);
    }
}

Test(scenario_models, override_equals_the_same_model_in_market)
{
    static char top[4096], over[4096];
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        snprintf(top, sizeof top, RUN "market:\n  assets:\n    - name: BTC\n      spot: 100\n"
                 "      implied_vol: {atm: 0.8, skew: -0.1}\n      model: %s\n" BOOK
                 "scenarios:\n  - {name: x}\n", models[k]);
        /* another model in market.assets, the override in the second scenario */
        snprintf(over, sizeof over, RUN "market:\n  assets:\n    - name: BTC\n      spot: 100\n"
                 "      implied_vol: {atm: 0.8, skew: -0.1}\n"
                 "      model: {type: gbm, sigma: 0.3}\n" BOOK "scenarios:\n  - {name: gbm}\n"
                 "  - name: x\n    models: [{asset: BTC, model: %s}]\n", models[k]);
        mcr_result a, b;
        run_yaml(top, 2, &a);
        run_yaml(over, 1, &b);
        expect_same_cells(&a, 0, &b, 1, models[k]);
        mcr_result_free(&a);
        mcr_result_free(&b);
    }
}

/* Two correlated assets, the second's model replaced: the correlation and the first asset's
 * model stay the market's. */
Test(scenario_models, override_of_one_asset_of_two)
{
#define TWO(m1)                                                                                    \
    RUN "market:\n  assets:\n    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}\n"       \
        "    - {name: ETH, spot: 10, model: " m1 "}\n"                                             \
        "  correlation: [[1, 0.7], [0.7, 1]]\n"                                                    \
        "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1}\n"                            \
        "  - {asset: ETH, instrument: spot, quantity: 5}\n"                                        \
        "strategies:\n  - {name: none, type: none}\n"                                              \
        "  - {name: x, type: perp_hedge, asset: ETH, hedge_asset: BTC, hedge_ratio: 0.5}\n"
    static const char top[] = TWO("{type: merton, sigma: 0.5, jump_intensity: 20, jump_mean: "
                                  "-0.05, jump_std: 0.1}") "scenarios: [{name: m}]\n";
    static const char over[] = TWO("{type: kou, sigma: 0.9, jump_intensity: 3, p_up: 0.5, eta_up: "
                                   "10, eta_down: 10}")
        "scenarios:\n  - {name: k}\n  - name: m\n    models:\n      - asset: ETH\n"
        "        model: {type: merton, sigma: 0.5, jump_intensity: 20, jump_mean: -0.05, "
        "jump_std: 0.1}\n";
#undef TWO
    mcr_result a, b;
    run_yaml(top, 2, &a);
    run_yaml(over, 2, &b);
    expect_same_cells(&a, 0, &b, 1, "ETH merton");
    mcr_result_free(&a);
    mcr_result_free(&b);
}

#define HEAD                                                                                       \
    "horizon: {days: 2, steps: 2}\nmarket:\n  assets:\n    - name: BTC\n      spot: 100\n"         \
    "      model: {type: gbm, sigma: 0.8}\nscenarios:\n"

Test(scenario_models, bad_entries)
{
    expect_error(HEAD "  - {name: a, models: [{asset: ETH, model: {type: gbm, sigma: 0.5}}]}\n",
                 "bad.yaml:8: scenarios[0].models[0].asset: ", "BTC");
    expect_error(HEAD "  - {name: a, models: [{asset: BTC}]}\n",
                 "bad.yaml:8: scenarios[0].models[0].model: ", "required key missing");
    expect_error(HEAD "  - {name: a}\n  - name: b\n    models:\n"
                 "      - {asset: BTC, model: {type: gbm, sigma: 0.5}}\n"
                 "      - {asset: BTC, model: {type: gbm, sigma: 0.6}}\n",
                 "bad.yaml:12: scenarios[1].models[1].asset: ", "one model per asset");
    expect_error(HEAD "  - {name: a, models: [{model: {type: gbm, sigma: -1}}]}\n",
                 "bad.yaml:8: scenarios[0].models[0].model.sigma: ", "> 0");
    expect_error(HEAD "  - {name: a, models: [{model: {type: garch, sigma: 1}}]}\n",
                 "bad.yaml:8: scenarios[0].models[0].model.type: ", "bootstrap");
    expect_error(HEAD "  - {name: a, models: [{model: {type: bootstrap, data: /nonexistent.csv}}]}\n",
                 "bad.yaml:8: scenarios[0].models[0].model.data: ", "/nonexistent.csv");
    expect_error(HEAD "  - {name: a, models: [{model: {type: historical, data: " BTC
                 ", start: 2025-09-23}}]}\n",
                 "bad.yaml:8: scenarios[0].models[0].model.start: ", "2 days");
    /* a data model takes no correlated shock: the market's correlation is checked too */
    expect_error("horizon: {days: 2, steps: 2}\nmarket:\n  assets:\n"
                 "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"
                 "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"
                 "  correlation: [[1, 0.5], [0.5, 1]]\nscenarios:\n"
                 "  - {name: a, models: [{asset: ETH, model: {type: bootstrap, data: " BTC "}}]}\n",
                 "bad.yaml:8: scenarios[0].models: ", "data model");
    /* historical models: one path per start date, the same count in every scenario */
    expect_error(HEAD "  - {name: a, models: [{model: {type: historical, data: " BTC
                 ", start: 2024-01-01}}]}\n"
                 "  - {name: b, models: [{model: {type: historical, data: " BTC
                 ", start: 2023-01-01}}]}\n",
                 "bad.yaml:9: scenarios[1].models[0].model: ", "same range of start dates");
    expect_error("run: {tail: {level: 0.99}}\n" HEAD
                 "  - {name: a, models: [{model: {type: gbm, sigma: 0.5}}]}\n",
                 "bad.yaml:9: scenarios[0].models[0].model: ", "run.tail");
    expect_error("run: {variance_reduction: {antithetic: true}}\n" HEAD
                 "  - {name: a, models: [{model: {type: bootstrap, data: " BTC "}}]}\n",
                 "bad.yaml:9: scenarios[0].models[0].model.type: ", "variance_reduction");
}

/* The data files the scenarios read are recorded with their hashes; a historical scenario sets
 * the run's path count. */
Test(scenario_models, data_files_recorded_and_historical_paths)
{
    mcr_config cfg;
    load_ok(HEAD "  - {name: g}\n"
            "  - {name: h, models: [{model: {type: historical, data: " BTC
            ", start: 2025-01-01}}]}\n", &cfg);
    char inputs[2048];
    mcr_data_inputs(&cfg, inputs, sizeof inputs);
    cr_assert_not_null(strstr(inputs, "scenarios[1].models[BTC].model.data: "), "%s", inputs);
    cr_assert_not_null(strstr(inputs, "btc_usd_daily.csv sha256:"), "%s", inputs);
    /* start dates 2025-01-01 .. 2025-09-22 (the last with 2 days after it in the file) */
    cr_assert_eq(mcr_config_model_paths(&cfg), 265u);
    cr_assert_eq(mcr_config_model(&cfg, 0, 0), &cfg.assets[0].model);
    cr_assert_eq(mcr_config_model(&cfg, 1, 0)->type, MCR_MODEL_HISTORICAL);
    mcr_config_free(&cfg);
}
