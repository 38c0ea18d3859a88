/* Config loader: defaults, a full schema-1 config, the built-in default and the example file,
 * and for each kind of bad input in the run, horizon and document structure: status
 * MCR_ERR_INPUT and one message line naming the file, the line, the key path and what is
 * allowed (test_config_models.c: models and correlation; test_config_hedge.c: surfaces, path
 * files, the book, strategies, costs, funding, margin, scenarios). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config_expect.h"
#include "config_view.h"
#include "scenario/path_file.h"
#include "strategies/strategy.h"

Test(config, defaults_applied)
{
    mcr_config cfg;
    load_ok(ASSET_BTC, &cfg);
    cr_assert_eq(cfg.paths, 100000);
    cr_assert_eq(cfg.seed, 42);
    cr_assert_eq(cfg.threads, 0);
    cr_assert_str_eq(cfg.output, "out.h5");
    cr_assert(cfg.keep_pnl);
    cr_assert_eq(cfg.keep_fields, MCR_FIELDS_ALL); /* run.keep: everything, as always */
    cr_assert_eq(cfg.sample_paths, 0);
    cr_assert_eq(cfg.n_levels, 2);
    cr_assert_eq(cfg.levels[0], 0.95);
    cr_assert_eq(cfg.levels[1], 0.99);
    cr_assert_eq(cfg.horizon_days, 30.0);
    cr_assert_eq(cfg.steps, 720);
    cr_assert_float_eq(mcr_config_dt(&cfg), 30.0 / 365.0 / 720.0, 1e-18);
    cr_assert_eq(cfg.rate, 0.0);
    cr_assert_eq(cfg.n_assets, 1);
    cr_assert_str_eq(cfg.assets[0].name, "BTC");
    cr_assert_str_eq(cfg.currency, "USD");
    cr_assert_eq(cfg.assets[0].spot, 100.0);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_GBM);
    cr_assert_eq(cfg.assets[0].model.gbm.mu, 0.0);
    cr_assert_eq(cfg.assets[0].model.gbm.sigma, 0.8);
    /* portfolio: 1 unit of spot of the first asset; one unhedged strategy; one base scenario */
    cr_assert_eq(cfg.n_positions, 1);
    cr_assert_eq(cfg.portfolio[0].asset, 0);
    cr_assert_eq(strcmp(pos_kind(&cfg, 0), "spot"), 0);
    cr_assert_eq(pos_num(&cfg, 0, "quantity"), 1.0);
    cr_assert_eq(cfg.n_strategies, 1);
    cr_assert_str_eq(cfg.strategies[0].name, "unhedged");
    cr_assert_eq(strcmp(strat_kind(&cfg, 0), "none"), 0);
    cr_assert_eq(cfg.n_scenarios, 1);
    cr_assert_str_eq(cfg.scenarios[0].name, "base");
    cr_assert_str_eq(cfg.yaml, ASSET_BTC);
    cr_assert_str_eq(cfg.source, "good.yaml");
    mcr_error err = {0};
    cr_assert_eq(mcr_config_check(&cfg, &err), MCR_OK, "%s", err.msg);
    mcr_config_free(&cfg);
    cr_assert_null(cfg.yaml);
}

Test(config, full_config_parsed)
{
    static const char yaml[] =
        "run:\n"
        "  paths: 2500\n"
        "  seed: 18446744073709551615\n"
        "  threads: 3\n"
        "  output: results/full.h5\n"
        "  keep_pnl: false\n"
        "  sample_paths: 10\n"
        "  levels: [0.9, 0.975, 0.999]\n"
        "horizon: {days: 0.5, steps: 12}\n"
        "market:\n"
        "  rate: 0.05\n"
        "  assets:\n"
        "    - name: BTC\n"
        "      spot: 60000\n"
        "      model: {type: gbm, mu: 0.1, sigma: 0.75}\n"
        "    - name: ETH-perp_2.0\n"
        "      spot: 3000.5\n"
        "      model:\n"
        "        type: gbm\n"
        "        sigma: 1.1\n"
        "portfolio:\n"
        "  - {asset: ETH-perp_2.0, instrument: spot, quantity: -2.5}\n"
        "  - {asset: BTC, quantity: 0.25}\n"
        "strategies:\n"
        "  - {name: unhedged, type: none}\n"
        "  - {name: still_none, type: none}\n"
        "scenarios:\n"
        "  - name: base\n"
        "  - name: calm\n";
    mcr_config cfg;
    load_ok(yaml, &cfg);
    cr_assert_eq(cfg.paths, 2500);
    cr_assert_eq(cfg.seed, UINT64_MAX);
    cr_assert_eq(cfg.threads, 3);
    cr_assert_str_eq(cfg.output, "results/full.h5");
    cr_assert_not(cfg.keep_pnl);
    cr_assert_eq(cfg.keep_fields, 0); /* nothing per path */
    cr_assert_eq(cfg.sample_paths, 10);
    cr_assert_eq(cfg.n_levels, 3);
    cr_assert_eq(cfg.levels[0], 0.9);
    cr_assert_eq(cfg.levels[1], 0.975);
    cr_assert_eq(cfg.levels[2], 0.999);
    cr_assert_eq(cfg.horizon_days, 0.5);
    cr_assert_eq(cfg.steps, 12);
    cr_assert_float_eq(mcr_config_dt(&cfg), 0.5 / 365.0 / 12.0, 1e-18);
    cr_assert_eq(cfg.rate, 0.05);
    cr_assert_eq(cfg.n_assets, 2);
    cr_assert_str_eq(cfg.assets[0].name, "BTC");
    cr_assert_eq(cfg.assets[0].spot, 60000.0);
    cr_assert_eq(cfg.assets[0].model.gbm.mu, 0.1);
    cr_assert_eq(cfg.assets[0].model.gbm.sigma, 0.75);
    cr_assert_str_eq(cfg.assets[1].name, "ETH-perp_2.0");
    cr_assert_eq(cfg.assets[1].spot, 3000.5);
    cr_assert_eq(cfg.assets[1].model.gbm.mu, 0.0);
    cr_assert_eq(cfg.assets[1].model.gbm.sigma, 1.1);
    cr_assert_eq(cfg.n_positions, 2);
    cr_assert_eq(cfg.portfolio[0].asset, 1);
    cr_assert_eq(pos_num(&cfg, 0, "quantity"), -2.5);
    cr_assert_eq(cfg.portfolio[1].asset, 0);
    cr_assert_eq(strcmp(pos_kind(&cfg, 1), "spot"), 0);
    cr_assert_eq(pos_num(&cfg, 1, "quantity"), 0.25);
    cr_assert_eq(cfg.n_strategies, 2);
    cr_assert_str_eq(cfg.strategies[1].name, "still_none");
    cr_assert_eq(cfg.n_scenarios, 2);
    cr_assert_str_eq(cfg.scenarios[0].name, "base");
    cr_assert_str_eq(cfg.scenarios[1].name, "calm");
    cr_assert_str_eq(cfg.yaml, yaml);
    mcr_config_free(&cfg);
}

Test(config, default_config_loads)
{
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(mcr_default_config_yaml, "<built-in default>", &cfg, &err),
                 MCR_OK, "%s", err.msg);
    cr_assert_eq(cfg.paths, 100000);
    cr_assert_eq(cfg.seed, 42);
    cr_assert_str_eq(cfg.output, "out.h5");
    cr_assert_eq(cfg.horizon_days, 30.0);
    cr_assert_eq(cfg.steps, 720);
    cr_assert_eq(cfg.n_assets, 1);
    cr_assert_str_eq(cfg.currency, "USD");
    cr_assert_eq(cfg.assets[0].spot, 100000.0);
    const mcr_model *m = &cfg.assets[0].model;
    cr_assert_eq(m->type, MCR_MODEL_MERTON);
    cr_assert_eq(m->merton.mu, 0.0);
    cr_assert_eq(m->merton.sigma, 0.6);
    cr_assert_eq(m->merton.jump_intensity, 10.0);
    cr_assert_eq(m->merton.jump_mean, -0.05);
    cr_assert_eq(m->merton.jump_std, 0.1);
    cr_assert_eq(cfg.assets[0].implied_vol.atm, 0.8);
    cr_assert_eq(cfg.assets[0].implied_vol.skew, -0.1);
    cr_assert_eq(cfg.n_positions, 1);
    cr_assert_eq(strcmp(pos_kind(&cfg, 0), "spot"), 0);
    cr_assert_eq(pos_num(&cfg, 0, "quantity"), 100.0);

    /* the hedges a treasury weighs; none trades the book's own spot (a sale, not a hedge) */
    static const struct {
        const char *name, *kind;
    } expect[] = {{"unhedged", "none"},          {"put90", "protective_put"},
                  {"collar", "collar"},          {"perp_linear", "perp_hedge"},
                  {"perp_inverse", "perp_hedge"}, {"delta_perp", "delta_hedge"}};
    cr_assert_eq(cfg.n_strategies, 6);
    for (int i = 0; i < 6; i++) {
        cr_assert_str_eq(cfg.strategies[i].name, expect[i].name);
        cr_assert_str_eq(strat_kind(&cfg, i), expect[i].kind, "%s", expect[i].name);
    }
    cr_assert_eq(strat_num(&cfg, 1, "strike"), 0.9);
    cr_assert_eq(strat_num(&cfg, 2, "put_strike"), 0.9);
    cr_assert_str_eq(strat_word(&cfg, 2, "call_strike"), "auto");
    cr_assert_str_eq(strat_word(&cfg, 3, "contract"), "linear");
    cr_assert_str_eq(strat_word(&cfg, 4, "contract"), "inverse");
    cr_assert_str_eq(strat_word(&cfg, 5, "instrument"), "linear_perp");
    cr_assert_eq(strat_num(&cfg, 5, "rebalance.every_steps"), 8);
    cr_assert_eq(strat_num(&cfg, 5, "rebalance.band"), 0.0);

    cr_assert_eq(cfg.costs.fee_bps, 5.0);
    cr_assert_eq(cfg.costs.slippage_bps, 1.0);
    cr_assert_eq(cfg.funding.interval_hours, 8.0);
    cr_assert_eq(cfg.funding.rate, 0.0001);
    cr_assert_eq(cfg.margin.mode, MCR_MARGIN_ISOLATED);
    cr_assert_eq(cfg.margin.initial, 0.2);
    cr_assert_eq(cfg.margin.maintenance, 0.005);

    /* the base and the built-in historical scenarios */
    static const char *const scen[] = {"base", "black_thursday", "luna", "ftx"};
    cr_assert_eq(cfg.n_scenarios, 4);
    cr_assert_eq(cfg.scenarios[0].n_shocks, 0);
    for (int i = 0; i < 4; i++) {
        cr_assert_str_eq(cfg.scenarios[i].name, scen[i]);
        cr_assert_str_eq(cfg.scenarios[i].use, i ? scen[i] : "");
    }
    cr_assert_eq(cfg.scenarios[1].shocks[0].ret, -0.28);
    cr_assert_str_eq(cfg.source, "<built-in default>");
    cr_assert_str_eq(cfg.yaml, mcr_default_config_yaml);
    mcr_config_free(&cfg);
}

Test(config, example_file_loads)
{
    mcr_config cfg;
    mcr_error err = {0};
    const char *path = MCR_SOURCE_DIR "/configs/gbm_spot.yaml";
    cr_assert_eq(mcr_config_load_file(path, &cfg, &err), MCR_OK, "%s", err.msg);
    cr_assert_str_eq(cfg.source, path);
    cr_assert_str_eq(cfg.assets[0].name, "BTC");
    cr_assert_eq(cfg.assets[0].spot, 60000.0);
    cr_assert_not_null(strstr(cfg.yaml, "sigma: 0.8"));
    mcr_config_free(&cfg);
}

Test(config, load_file)
{
    char path[64];
    temp_file(path, "# comment line\n" ASSET_BTC "horizon: {days: 7}\n");
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_file(path, &cfg, &err), MCR_OK, "%s", err.msg);
    cr_assert_str_eq(cfg.source, path);
    cr_assert_str_eq(cfg.yaml, "# comment line\n" ASSET_BTC "horizon: {days: 7}\n");
    cr_assert_eq(cfg.horizon_days, 7.0);
    mcr_config_free(&cfg);

    /* a bad file: the message starts with the file's name and the line */
    FILE *f = fopen(path, "w");
    fputs(ASSET_BTC "horizon:\n  days: 7\n  steps: 0\n", f);
    fclose(f);
    cr_assert_eq(mcr_config_load_file(path, &cfg, &err), MCR_ERR_INPUT);
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s:8: horizon.steps: must be an integer in [1, 1000000]",
             path);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s", err.msg);
    cr_assert_null(cfg.yaml);
    unlink(path);
}

Test(config, missing_file)
{
    mcr_config cfg;
    mcr_error err = {0};
    char path[64];
    temp_file(path, "");
    unlink(path); /* a name that surely does not exist */
    cr_assert_eq(mcr_config_load_file(path, &cfg, &err), MCR_ERR_INPUT);
    char expect[160];
    snprintf(expect, sizeof expect, "%s: cannot read config: No such file or directory", path);
    cr_assert_str_eq(err.msg, expect);
    cr_assert_null(cfg.yaml);
}

Test(config, unknown_key_top_level)
{
    expect_error(ASSET_BTC
                 "horizon: {days: 1}\n"
                 "portfolo:\n"
                 "  - {asset: BTC, quantity: 1}\n",
                 "bad.yaml:7: portfolo: unknown key; allowed: ",
                 "allowed: run, horizon, market, portfolio, strategies, sweep, costs, funding, "
                 "margin, perp, venues, scenarios");
}

Test(config, unknown_key_nested)
{
    expect_message("run:\n"
                   "  paths: 10\n"
                   "  pathz: 10\n" ASSET_BTC,
                   "bad.yaml:3: run.pathz: unknown key; allowed: paths, seed, threads, output, "
                   "keep_pnl, keep, sample_paths, levels, baseline, target, variance_reduction, "
                   "tail");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 100\n"
                 "      model:\n"
                 "        type: gbm\n"
                 "        sigma: 0.8\n"
                 "        sigmaa: 2\n",
                 "bad.yaml:8: market.assets[0].model.sigmaa: unknown key",
                 "; allowed: type, mu, sigma");
    expect_error(ASSET_BTC "scenarios:\n"
                           "  - name: base\n"
                           "  - name: crash\n"
                           "    shock_list: -0.3\n",
                 "bad.yaml:9: scenarios[1].shock_list: unknown key",
                 "allowed: name, use, correlation, shock, shocks, vol_multiplier, "
                 "jump_multiplier, implied_vol_shift, skew_shift, funding_shift, funding_path, "
                 "slippage_multiplier, impact_multiplier, no_rebalance, depeg");
}

Test(config, wrong_type)
{
    expect_message("run:\n"
                   "  paths: many\n" ASSET_BTC,
                   "bad.yaml:2: run.paths: expected an integer (got \"many\")");
    /* libcyaml alone would truncate 1.5 to 1, wrap -1 and read "maybe" as true */
    expect_error("run: {paths: 1.5}\n" ASSET_BTC, "bad.yaml:1: run.paths: expected an integer",
                 "(got \"1.5\")");
    expect_error("run:\n  seed: -1\n" ASSET_BTC, "bad.yaml:2: run.seed: ",
                 "expected a non-negative integer (got \"-1\")");
    expect_error("run:\n  levels: [0.95, 0.99]\n  keep_pnl: maybe\n" ASSET_BTC,
                 "bad.yaml:3: run.keep_pnl: ", "expected true or false (got \"maybe\")");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: lots\n"
                 "      model: {type: gbm, sigma: 0.8}\n",
                 "bad.yaml:4: market.assets[0].spot: ", "expected a number (got \"lots\")");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 1e999\n"
                 "      model: {type: gbm, sigma: 0.8}\n",
                 "bad.yaml:4: market.assets[0].spot: ", "must be a finite number (got 1e999)");
    expect_error(ASSET_BTC "horizon: 30\n", "bad.yaml:6: horizon: ",
                 "expected a mapping (got \"30\"); allowed keys: days, steps");
    expect_error(ASSET_BTC "strategies: {name: x}\n", "bad.yaml:6: strategies: ",
                 "expected a list (got a mapping)");
}

Test(config, negative_sigma)
{
    expect_message("horizon: {days: 1}\n"
                   "market:\n"
                   "  assets:\n"
                   "    - name: BTC\n"
                   "      spot: 100\n"
                   "      model:\n"
                   "        sigma: -0.2\n"
                   "        type: gbm\n",
                   "bad.yaml:7: market.assets[0].model.sigma: must be a number > 0, per "
                   "sqrt(year) (got -0.2)");
}

Test(config, paths_out_of_range)
{
    expect_error("run:\n  paths: 0\n" ASSET_BTC, "bad.yaml:2: run.paths: ",
                 "must be an integer in [1, 1e10] (got 0)");
    expect_error("run:\n  seed: 1\n  paths: -100\n" ASSET_BTC, "bad.yaml:3: run.paths: ",
                 "must be an integer in [1, 1e10] (got -100)");
    expect_error("run:\n  paths: 20000000000\n" ASSET_BTC, "bad.yaml:2: run.paths: ",
                 "[1, 1e10]");
}

Test(config, levels_invalid)
{
    expect_error("run:\n"
                 "  levels:\n"
                 "    - 0.95\n"
                 "    - 1.0\n" ASSET_BTC,
                 "bad.yaml:4: run.levels[1]: ", "must be a number in (0, 1)");
    expect_error("run:\n  levels: [0, 0.5]\n" ASSET_BTC, "bad.yaml:2: run.levels[0]: ",
                 "must be a number in (0, 1)");
    expect_error("run:\n"
                 "  levels:\n"
                 "    - 0.99\n"
                 "    - 0.95\n" ASSET_BTC,
                 "bad.yaml:4: run.levels[1]: levels must be strictly increasing",
                 "allowed: a number in (0.99, 1) (got 0.95)");
    expect_error("run:\n  levels: [0.9, 0.9]\n" ASSET_BTC, "bad.yaml:2: run.levels[1]: ",
                 "strictly increasing");
    expect_error("run:\n  levels: []\n" ASSET_BTC, "bad.yaml:2: run.levels: ",
                 "at least one confidence level");
    expect_error("run:\n  levels: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.81, 0.82, 0.83, "
                 "0.84, 0.85, 0.86, 0.87, 0.88, 0.89]\n" ASSET_BTC,
                 "bad.yaml:2: run.levels: too many confidence levels (got 17)", "allowed: at most 16");
}

Test(config, other_ranges)
{
    expect_error(ASSET_BTC "horizon:\n  days: 0\n", "bad.yaml:7: horizon.days: ",
                 "must be a number in (0, 36500]");
    expect_error(ASSET_BTC "horizon:\n  steps: 1000001\n", "bad.yaml:7: horizon.steps: ",
                 "must be an integer in [1, 1000000]");
    expect_error(ASSET_BTC "run:\n  threads: -1\n", "bad.yaml:7: run.threads: ",
                 "must be an integer in [0, 4096]");
    expect_error(ASSET_BTC "run:\n  output: \"\"\n", "bad.yaml:7: run.output: ",
                 "must not be empty");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 0\n"
                 "      model: {type: gbm, sigma: 0.8}\n",
                 "bad.yaml:4: market.assets[0].spot: ", "must be a number in [1e-12, 1e12], "
                                                        "quote currency (got 0)");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 10\n"
                 "      model: {type: gbm, sigma: 0.8, mu: 11}\n",
                 "bad.yaml:5: market.assets[0].model.mu: ", "[-10, 10], per year (got 11)");
}

Test(config, unknown_model_type)
{
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 100\n"
                 "      model:\n"
                 "        type: hestn\n"
                 "        sigma: 0.8\n",
                 "bad.yaml:6: market.assets[0].model.type: unknown model type \"hestn\"",
                 "; allowed: gbm, merton, kou, heston, bates");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 100\n"
                 "      model: {sigma: 0.8}\n",
                 "bad.yaml:5: market.assets[0].model.type: required key missing",
                 "; allowed: gbm, merton, kou, heston, bates");
}

Test(config, unknown_enums)
{
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC, instrument: future, quantity: 1}\n",
                 "bad.yaml:7: portfolio[0].instrument: unknown instrument \"future\"",
                 "allowed: spot, call, put");
    expect_error(ASSET_BTC "strategies:\n  - {name: hedge, type: straddle}\n",
                 "bad.yaml:7: strategies[0].type: unknown strategy type \"straddle\"",
                 "allowed: none, protective_put, collar, covered_call, put_spread_collar, "
                 "strangle, perp_hedge, delta_hedge");
}

Test(config, portfolio_unknown_asset)
{
    expect_error("market:\n"
                 "  assets:\n"
                 "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"
                 "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"
                 "portfolio:\n"
                 "  - asset: BTC\n"
                 "    quantity: 1\n"
                 "  - asset: SOL\n"
                 "    quantity: 2\n",
                 "bad.yaml:8: portfolio[1].asset: unknown asset \"SOL\"", "allowed: BTC, ETH");
}

Test(config, duplicate_names)
{
    expect_error(ASSET_BTC "strategies:\n"
                           "  - {name: unhedged, type: none}\n"
                           "  - {name: other, type: none}\n"
                           "  - {name: unhedged, type: none}\n",
                 "bad.yaml:9: strategies[2].name: duplicate name \"unhedged\"",
                 "(also strategies[0].name); names must be unique");
    expect_error(ASSET_BTC "scenarios: [{name: base}, {name: base}]\n",
                 "bad.yaml:6: scenarios[1].name: duplicate name", "names must be unique");
    expect_error("market:\n"
                 "  assets:\n"
                 "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"
                 "    - {name: BTC, spot: 10, model: {type: gbm, sigma: 0.9}}\n",
                 "bad.yaml:4: market.assets[1].name: duplicate name", "names must be unique");
}

Test(config, bad_names)
{
    expect_error(ASSET_BTC "strategies:\n  - {name: my hedge, type: none}\n",
                 "bad.yaml:7: strategies[0].name: invalid name \"my hedge\"",
                 "allowed: characters [A-Za-z0-9_.-]");
    expect_error(ASSET_BTC "scenarios:\n  - {name: ..}\n", "bad.yaml:7: scenarios[0].name: ",
                 "not \".\" or \"..\"");
    expect_error(ASSET_BTC "scenarios:\n  - {name: \"\"}\n", "bad.yaml:7: scenarios[0].name: ",
                 "must not be empty");
    expect_error(ASSET_BTC "scenarios:\n  - {name: "
                           "a234567890123456789012345678901234567890123456789012345678901234}\n",
                 "bad.yaml:7: scenarios[0].name: too long (64 characters)", "at most 63");
}

Test(config, required_keys)
{
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 100\n"
                 "      model:\n"
                 "        type: gbm\n",
                 "bad.yaml:5: market.assets[0].model.sigma: required key missing", "> 0");
    expect_error("market:\n"
                 "  rate: 0.01\n"
                 "  assets:\n"
                 "    - spot: 100\n"
                 "      model: {type: gbm, sigma: 0.8}\n",
                 "bad.yaml:4: market.assets[0].name: required key missing", "name");
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC}\n",
                 "bad.yaml:7: portfolio[0].quantity: required key missing", "units");
    expect_error("market:\n  rate: 0.01\n  assets: []\n", "bad.yaml:3: market.assets: ",
                 "at least one asset");
    /* a missing top-level section has no line to point at */
    expect_error("run: {paths: 10}\n", "bad.yaml: market: required key missing", "market.assets");
    expect_error("", "bad.yaml: market: required key missing", "market.assets");
}

Test(config, yaml_structure_errors)
{
    expect_error(ASSET_BTC "run:\n  paths: 1\n  paths: 2\n", "bad.yaml:8: run.paths: repeated key",
                 "once");
    expect_error("run:\n  paths: [1\n" ASSET_BTC, "bad.yaml:", "invalid YAML");
    expect_error("run:\n\tpaths: 1\n" ASSET_BTC, "bad.yaml:2: invalid YAML: ", "not tabs");
    expect_error("- 1\n- 2\n", "bad.yaml:1: a config is a mapping of sections (got a list)",
                 "allowed: run, horizon, market, portfolio, strategies, sweep, costs, funding, "
                 "margin, perp, venues, scenarios");
    expect_error(ASSET_BTC "---\n" ASSET_BTC, "bad.yaml:7: a config is one YAML document",
                 "second");
}

Test(config, check_overrides)
{
    mcr_config cfg;
    mcr_error err = {0};
    load_ok(ASSET_BTC, &cfg);
    cfg.paths = 0;
    cr_assert_eq(mcr_config_check(&cfg, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "run.paths: must be an integer in [1, 1e10] (got 0)"),
                       "%s", err.msg);
    cfg.paths = 1000;
    cfg.threads = -2;
    cr_assert_eq(mcr_config_check(&cfg, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "run.threads: "), "%s", err.msg);
    cfg.threads = 2;
    cfg.output[0] = '\0';
    cr_assert_eq(mcr_config_check(&cfg, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "run.output: "), "%s", err.msg);
    snprintf(cfg.output, sizeof cfg.output, "x.h5");
    cfg.seed = UINT64_MAX;
    cr_assert_eq(mcr_config_check(&cfg, &err), MCR_OK, "%s", err.msg);
    mcr_config_free(&cfg);
}

/* run.keep: the words of the field registry choose the per-path datasets; a bad word, a repeat,
 * a non-list and a contradiction with keep_pnl: false are errors at their line. */
Test(config, run_keep)
{
    mcr_config cfg;
    load_ok("run:\n  keep: [pnl, greeks]\n" ASSET_BTC, &cfg);
    cr_assert_eq(cfg.keep_fields, MCR_FIELD_BIT(MCR_FIELD_PNL) |
                                      MCR_FIELD_BIT(MCR_FIELD_NET_DELTA) |
                                      MCR_FIELD_BIT(MCR_FIELD_NET_GAMMA) |
                                      MCR_FIELD_BIT(MCR_FIELD_NET_VEGA));
    mcr_config_free(&cfg);
    load_ok("run:\n  keep: [trades, liquidation, components]\n" ASSET_BTC, &cfg);
    uint64_t want = MCR_FIELD_BIT(MCR_FIELD_TRADES) | MCR_FIELD_BIT(MCR_FIELD_TRADED_NOTIONAL) |
                    MCR_FIELD_BIT(MCR_FIELD_CLOSE_COST) | MCR_FIELD_BIT(MCR_FIELD_LIQUIDATION_STEP) |
                    MCR_FIELD_BIT(MCR_FIELD_INSURANCE) | MCR_FIELD_BIT(MCR_FIELD_LIQUIDATIONS) |
                    MCR_FIELD_BIT(MCR_FIELD_LIQUIDATION_PRICE0) |
                    MCR_FIELD_BIT(MCR_FIELD_ADL_STEP) |
                    MCR_FIELD_BIT(MCR_FIELD_VENUE_DEFAULT_STEP) |
                    MCR_FIELD_BIT(MCR_FIELD_ONCHAIN_TXS);
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        want |= MCR_FIELD_BIT(MCR_FIELD_COMPONENT + k);
    cr_assert_eq(cfg.keep_fields, want);
    mcr_config_free(&cfg);
    load_ok("run:\n  keep: []\n  keep_pnl: false\n" ASSET_BTC, &cfg);
    cr_assert_eq(cfg.keep_fields, 0);
    mcr_config_free(&cfg);

    expect_message("run:\n  paths: 10\n  keep: [pnl, gamma]\n" ASSET_BTC,
                   "bad.yaml:3: run.keep[1]: unknown output; allowed: pnl, components, "
                   "liquidation, trades, greeks, defi (got \"gamma\")");
    expect_error("run:\n  keep: [pnl, pnl]\n" ASSET_BTC, "bad.yaml:2: run.keep[1]: ",
                 "pnl named twice");
    expect_error("run:\n  keep: pnl\n" ASSET_BTC, "bad.yaml:2: run.keep: ",
                 "expected a list of words; allowed: any of pnl, components");
    expect_error("run:\n  keep_pnl: false\n  keep: [pnl]\n" ASSET_BTC, "bad.yaml:3: run.keep: ",
                 "per-path outputs are off (run.keep_pnl: false)");
}
