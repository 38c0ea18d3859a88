/* Config loader: defaults, a full schema-1 config, the built-in default and the example file,
 * and for each kind of bad input: status MCR_ERR_INPUT and one message line naming the file, the
 * line, the key path and what is allowed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "strategies/strategy.h"
#include "config_view.h"
#include "scenario/path_file.h"

/* One asset in block style; bad-config tests below spell out their full text so that the line
 * numbers they expect can be read off. */
#define ASSET_BTC                                                                                  \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - name: BTC\n"                                                                            \
    "      spot: 100\n"                                                                            \
    "      model: {type: gbm, sigma: 0.8}\n"

/* Loads `yaml` as "bad.yaml" and checks the failure: status, the "bad.yaml:LINE: PATH:" prefix,
 * a fragment (what is allowed), a single line, and nothing left to free. */
static void expect_error(const char *yaml, const char *prefix, const char *fragment)
{
    mcr_config cfg;
    mcr_error err = {0};
    mcr_status st = mcr_config_load_string(yaml, "bad.yaml", &cfg, &err);
    cr_assert_eq(st, MCR_ERR_INPUT, "status %d (%s) for:\n%s", st, err.msg, yaml);
    cr_assert_eq(err.status, MCR_ERR_INPUT);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0,
              "message\n  %s\ndoes not start with\n  %s", err.msg, prefix);
    cr_assert_not_null(strstr(err.msg, fragment), "message\n  %s\nlacks\n  %s", err.msg, fragment);
    cr_assert_null(strchr(err.msg, '\n'), "message is not one line: %s", err.msg);
    cr_assert_null(cfg.yaml);
    mcr_config_free(&cfg);
}

static void expect_message(const char *yaml, const char *message)
{
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &cfg, &err), MCR_ERR_INPUT);
    cr_assert_str_eq(err.msg, message);
}

static void load_ok(const char *yaml, mcr_config *cfg)
{
    mcr_error err = {0};
    mcr_status st = mcr_config_load_string(yaml, "good.yaml", cfg, &err);
    cr_assert_eq(st, MCR_OK, "unexpected failure: %s", err.msg);
}

Test(config, defaults_applied)
{
    mcr_config cfg;
    load_ok(ASSET_BTC, &cfg);
    cr_assert_eq(cfg.paths, 100000);
    cr_assert_eq(cfg.seed, 42);
    cr_assert_eq(cfg.threads, 0);
    cr_assert_str_eq(cfg.output, "out.h5");
    cr_assert(cfg.keep_pnl);
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
    cr_assert_eq(cfg.assets[0].spot, 100.0);
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
    cr_assert_eq(pos_num(&cfg, 0, "quantity"), 1.0);

    /* every strategy kind of the first release at least once, and the DESIGN's strategies */
    static const struct {
        const char *name, *kind;
    } expect[] = {{"unhedged", "none"},
                  {"put90", "protective_put"},
                  {"collar", "collar"},
                  {"covered_call", "covered_call"},
                  {"put_spread_collar", "put_spread_collar"},
                  {"perp_linear", "perp_hedge"},
                  {"perp_inverse", "perp_hedge"},
                  {"delta_perp", "delta_hedge"},
                  {"delta_band", "delta_hedge"}};
    cr_assert_eq(cfg.n_strategies, 9);
    for (int i = 0; i < 9; i++) {
        cr_assert_str_eq(cfg.strategies[i].name, expect[i].name);
        cr_assert_str_eq(strat_kind(&cfg, i), expect[i].kind, "%s", expect[i].name);
    }
    cr_assert_eq(strat_num(&cfg, 1, "strike"), 0.9);
    cr_assert_eq(strat_num(&cfg, 2, "put_strike"), 0.9);
    cr_assert_str_eq(strat_word(&cfg, 2, "call_strike"), "auto");
    cr_assert_eq(strat_num(&cfg, 3, "strike"), 1.1);
    cr_assert_eq(strat_num(&cfg, 4, "put_strike"), 0.95);
    cr_assert_eq(strat_num(&cfg, 4, "lower_put_strike"), 0.8);
    cr_assert_str_eq(strat_word(&cfg, 4, "call_strike"), "auto");
    cr_assert_str_eq(strat_word(&cfg, 5, "contract"), "linear");
    cr_assert_str_eq(strat_word(&cfg, 6, "contract"), "inverse");
    cr_assert_str_eq(strat_word(&cfg, 7, "instrument"), "linear_perp");
    cr_assert_eq(strat_num(&cfg, 7, "rebalance.every_steps"), 1);
    cr_assert_eq(strat_num(&cfg, 7, "rebalance.band"), 0.0);
    cr_assert_str_eq(strat_word(&cfg, 8, "instrument"), "spot");
    cr_assert_eq(strat_num(&cfg, 8, "rebalance.band"), 0.1);

    cr_assert_eq(cfg.costs.fee_bps, 5.0);
    cr_assert_eq(cfg.costs.slippage_bps, 1.0);
    cr_assert_eq(cfg.funding.interval_hours, 8.0);
    cr_assert_eq(cfg.funding.rate, 0.0001);
    cr_assert_eq(cfg.margin.mode, MCR_MARGIN_ISOLATED);
    cr_assert_eq(cfg.margin.initial, 0.1);
    cr_assert_eq(cfg.margin.maintenance, 0.005);

    cr_assert_eq(cfg.n_scenarios, 2);
    cr_assert_str_eq(cfg.scenarios[0].name, "base");
    cr_assert_eq(cfg.scenarios[0].n_shocks, 0);
    cr_assert_str_eq(cfg.scenarios[1].name, "crash");
    cr_assert_eq(cfg.scenarios[1].n_shocks, 1);
    cr_assert_eq(cfg.scenarios[1].shocks[0].day, 0.0);
    cr_assert_eq(cfg.scenarios[1].shocks[0].ret, -0.3);
    cr_assert_eq(cfg.scenarios[1].vol_multiplier, 1.5);
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

/* Writes `text` to a fresh temporary file; its name goes to `path`. */
static void temp_file(char path[static 64], const char *text)
{
    snprintf(path, 64, "/tmp/mcr_test_config_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
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
                 "allowed: run, horizon, market, portfolio, strategies, costs, funding, margin, "
                 "scenarios");
}

Test(config, unknown_key_nested)
{
    expect_message("run:\n"
                   "  paths: 10\n"
                   "  pathz: 10\n" ASSET_BTC,
                   "bad.yaml:3: run.pathz: unknown key; allowed: paths, seed, threads, output, "
                   "keep_pnl, sample_paths, levels");
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
                 "bad.yaml:4: market.assets[0].spot: ", "must be a number > 0, quote currency "
                                                        "(got 0)");
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
                 "allowed: run, horizon, market, portfolio, strategies, costs, funding, margin, "
                 "scenarios");
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

/* ---- models: keys per type, defaults, foreign and missing keys, ranges ---- */

/* One asset whose model is written in block style: "type: TYPE" on line 6, then entry i of
 * `keys` on line 7 + i, so tests can read off the line an error must name. */
static const char *model_yaml(char *buf, size_t cap, const char *type, const char *const *keys)
{
    int used = snprintf(buf, cap,
                        "market:\n"
                        "  assets:\n"
                        "    - name: BTC\n"
                        "      spot: 100\n"
                        "      model:\n"
                        "        type: %s\n",
                        type);
    for (; *keys; keys++)
        used += snprintf(buf + used, cap - (size_t)used, "        %s\n", *keys);
    return buf;
}

typedef struct model_case {
    const char *type;
    const char *keys[12]; /* "key: value", every required key of the model; NULL-terminated */
} model_case;

static const model_case model_cases[] = {
    {"gbm", {"sigma: 0.8"}},
    {"merton", {"sigma: 0.6", "jump_intensity: 12", "jump_mean: -0.03", "jump_std: 0.08"}},
    {"kou",
     {"sigma: 0.6", "jump_intensity: 12", "p_up: 0.4", "eta_up: 20", "eta_down: 15"}},
    {"heston", {"v0: 0.49", "kappa: 2", "theta: 0.36", "xi: 1.3", "rho: -0.3"}},
    {"bates",
     {"v0: 0.36", "kappa: 2", "theta: 0.36", "xi: 1", "rho: -0.3", "jump_intensity: 6",
      "jump_mean: -0.05", "jump_std: 0.1"}},
};

Test(config, every_model_parses)
{
    char yaml[1024];
    mcr_config cfg;
    static const char *const merton[] = {"mu: 0.05", "sigma: 0.6", "jump_intensity: 12",
                                         "jump_mean: -0.03", "jump_std: 0.08", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "merton", merton), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_MERTON);
    const mcr_merton *m = &cfg.assets[0].model.merton;
    cr_assert(m->mu == 0.05 && m->sigma == 0.6 && m->jump_intensity == 12.0 &&
              m->jump_mean == -0.03 && m->jump_std == 0.08);
    mcr_config_free(&cfg);

    static const char *const kou[] = {"sigma: 0.6", "jump_intensity: 12", "p_up: 0.4",
                                      "eta_up: 20", "eta_down: 15", "mu: -0.1", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "kou", kou), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_KOU);
    const mcr_kou *k = &cfg.assets[0].model.kou;
    cr_assert(k->mu == -0.1 && k->sigma == 0.6 && k->jump_intensity == 12.0 && k->p_up == 0.4 &&
              k->eta_up == 20.0 && k->eta_down == 15.0);
    mcr_config_free(&cfg);

    static const char *const heston[] = {"v0: 0.49", "kappa: 2", "theta: 0.36", "xi: 1.3",
                                         "rho: -0.3", "mu: 0.02", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "heston", heston), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_HESTON);
    const mcr_heston *h = &cfg.assets[0].model.heston;
    cr_assert(h->mu == 0.02 && h->v0 == 0.49 && h->kappa == 2.0 && h->theta == 0.36 &&
              h->xi == 1.3 && h->rho == -0.3);
    mcr_config_free(&cfg);

    static const char *const bates[] = {"mu: 0.03", "v0: 0.36", "kappa: 1.5", "theta: 0.25",
                                        "xi: 0.9", "rho: 0.2", "jump_intensity: 6",
                                        "jump_mean: -0.05", "jump_std: 0.1", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "bates", bates), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_BATES);
    const mcr_bates *b = &cfg.assets[0].model.bates;
    cr_assert(b->heston.mu == 0.03 && b->heston.v0 == 0.36 && b->heston.kappa == 1.5 &&
              b->heston.theta == 0.25 && b->heston.xi == 0.9 && b->heston.rho == 0.2 &&
              b->jump_intensity == 6.0 && b->jump_mean == -0.05 && b->jump_std == 0.1);
    mcr_config_free(&cfg);

    /* flow style, two assets of different models */
    load_ok("market:\n"
            "  assets:\n"
            "    - {name: A, spot: 1, model: {type: gbm, mu: 0.1, sigma: 0.5}}\n"
            "    - {name: B, spot: 2, model: {type: kou, sigma: 0.3, jump_intensity: 0,\n"
            "                                 p_up: 1, eta_up: 1.5, eta_down: 2}}\n",
            &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_GBM);
    cr_assert_eq(cfg.assets[0].model.gbm.sigma, 0.5);
    cr_assert_eq(cfg.assets[1].model.type, MCR_MODEL_KOU);
    cr_assert_eq(cfg.assets[1].model.kou.eta_up, 1.5);
    cr_assert_eq(cfg.assets[1].model.kou.jump_intensity, 0.0);
    mcr_config_free(&cfg);
}

Test(config, mu_defaults_to_zero)
{
    char yaml[1024];
    for (size_t i = 0; i < sizeof model_cases / sizeof model_cases[0]; i++) {
        mcr_config cfg;
        const char *keys[16];
        int n = 0;
        for (const char *const *k = model_cases[i].keys; *k; k++)
            keys[n++] = *k;
        keys[n] = NULL;
        load_ok(model_yaml(yaml, sizeof yaml, model_cases[i].type, keys), &cfg);
        cr_assert_eq(mcr_model_mu(&cfg.assets[0].model), 0.0, "%s", model_cases[i].type);
        mcr_error err = {0};
        cr_assert_eq(mcr_model_check(&cfg.assets[0].model, "m", &err), MCR_OK, "%s", err.msg);
        mcr_config_free(&cfg);

        keys[n] = "mu: 0.5";
        keys[n + 1] = NULL;
        load_ok(model_yaml(yaml, sizeof yaml, model_cases[i].type, keys), &cfg);
        cr_assert_eq(mcr_model_mu(&cfg.assets[0].model), 0.5, "%s", model_cases[i].type);
        mcr_config_free(&cfg);
    }
}

/* What a "required key missing" message must say about each key: its meaning and unit. */
static const char *key_fragment(const char *key)
{
    static const char *const table[][2] = {
        {"sigma", "a number > 0, per sqrt(year) (volatility of the diffusion"},
        {"jump_intensity", "jumps per year"},
        {"jump_mean", "mean of the log jump size"},
        {"jump_std", "standard deviation of the log jump size"},
        {"p_up", "probability that a jump is upwards"},
        {"eta_up", "mean 1/eta_up"},
        {"eta_down", "mean 1/eta_down"},
        {"v0", "a number >= 0, per year (initial variance"},
        {"kappa", "a number > 0, per year (mean-reversion speed of the variance"},
        {"theta", "a number > 0, per year (long-run variance"},
        {"xi", "a number > 0, per sqrt(year) (volatility of the variance"},
        {"rho", "correlation of price and variance shocks"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i][0], key) == 0)
            return table[i][1];
    cr_assert_fail("no fragment for %s", key);
    return NULL;
}

Test(config, model_required_keys)
{
    char yaml[1024];
    int checked = 0;
    for (size_t i = 0; i < sizeof model_cases / sizeof model_cases[0]; i++) {
        const model_case *mc = &model_cases[i];
        for (int drop = 0; mc->keys[drop]; drop++) {
            const char *keys[16];
            int n = 0;
            for (int k = 0; mc->keys[k]; k++)
                if (k != drop)
                    keys[n++] = mc->keys[k];
            keys[n] = NULL;
            char key[32], prefix[128];
            snprintf(key, sizeof key, "%.*s", (int)strcspn(mc->keys[drop], ":"), mc->keys[drop]);
            /* a missing key has no line of its own: the model's (line 5) */
            snprintf(prefix, sizeof prefix,
                     "bad.yaml:5: market.assets[0].model.%s: required key missing; ", key);
            expect_error(model_yaml(yaml, sizeof yaml, mc->type, keys), prefix,
                         key_fragment(key));
            checked++;
        }
    }
    cr_assert_eq(checked, 1 + 4 + 5 + 5 + 8);
}

Test(config, foreign_model_keys)
{
    expect_message("market:\n"
                   "  assets:\n"
                   "    - name: BTC\n"
                   "      spot: 100\n"
                   "      model:\n"
                   "        type: merton\n"
                   "        sigma: 0.6\n"
                   "        jump_intensity: 12\n"
                   "        eta_up: 20\n"
                   "        jump_mean: -0.03\n"
                   "        jump_std: 0.08\n",
                   "bad.yaml:9: market.assets[0].model.eta_up: not a key of model type merton; "
                   "allowed: type, mu, sigma, jump_intensity, jump_mean, jump_std");
    char yaml[1024];
    static const char *const heston_sigma[] = {"v0: 0.49", "kappa: 2",   "sigma: 0.8",
                                               "theta: 0.36", "xi: 1.3", "rho: -0.3", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_sigma),
                   "bad.yaml:9: market.assets[0].model.sigma: not a key of model type heston; "
                   "allowed: type, mu, v0, kappa, theta, xi, rho");
    static const char *const gbm_jumps[] = {"sigma: 0.8", "jump_intensity: 3", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "gbm", gbm_jumps),
                   "bad.yaml:8: market.assets[0].model.jump_intensity: not a key of model type "
                   "gbm; allowed: type, mu, sigma");
    static const char *const kou_normal_jumps[] = {"jump_std: 0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "kou", kou_normal_jumps),
                   "bad.yaml:7: market.assets[0].model.jump_std: not a key of model type kou; "
                   "allowed: type, mu, sigma, jump_intensity, p_up, eta_up, eta_down");
    static const char *const bates_kou_jumps[] = {"v0: 0.36", "eta_down: 3", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "bates", bates_kou_jumps),
                   "bad.yaml:8: market.assets[0].model.eta_down: not a key of model type "
                   "bates; allowed: type, mu, v0, kappa, theta, xi, rho, jump_intensity, "
                   "jump_mean, jump_std");
    /* a key of no model gets the model's own list, type included */
    static const char *const heston_typo[] = {"v0: 0.49", "kapa: 2", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_typo),
                   "bad.yaml:8: market.assets[0].model.kapa: unknown key; "
                   "allowed: type, mu, v0, kappa, theta, xi, rho");
    /* in the second asset, flow style */
    expect_error("market:\n"
                 "  assets:\n"
                 "    - {name: A, spot: 1, model: {type: gbm, sigma: 0.5}}\n"
                 "    - {name: B, spot: 2, model: {type: heston, v0: 0.1, kappa: 1, theta: 0.1,\n"
                 "                                 xi: 0.5, rho: 0, sigma: 0.3}}\n",
                 "bad.yaml:5: market.assets[1].model.sigma: not a key of model type heston",
                 "allowed: type, mu, v0, kappa, theta, xi, rho");
}

Test(config, model_ranges)
{
    char yaml[1024];
    static const char *const merton[] = {"sigma: 0.6", "jump_intensity: 12", "jump_mean: -0.03",
                                         "jump_std: -0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "merton", merton),
                   "bad.yaml:10: market.assets[0].model.jump_std: must be a number in [0, 5] "
                   "(got -0.1)");
    static const char *const kou_eta[] = {"sigma: 0.6", "jump_intensity: 12", "p_up: 0.4",
                                          "eta_up: 0.5", "eta_down: 15", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "kou", kou_eta),
                   "bad.yaml:10: market.assets[0].model.eta_up: must be a number > 1 (got 0.5)");
    static const char *const kou_p[] = {"sigma: 0.6", "jump_intensity: 12", "p_up: 1.2",
                                        "eta_up: 20", "eta_down: 15", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "kou", kou_p),
                   "bad.yaml:9: market.assets[0].model.p_up: must be a number in [0, 1] (got 1.2)");
    static const char *const heston_rho[] = {"v0: 0.49", "kappa: 2", "theta: 0.36", "xi: 1.3",
                                             "rho: 1.5", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_rho),
                   "bad.yaml:11: market.assets[0].model.rho: must be a number in [-1, 1] "
                   "(got 1.5)");
    static const char *const heston_v0[] = {"v0: -0.01", "kappa: 2", "theta: 0.36", "xi: 1.3",
                                            "rho: 0", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_v0),
                   "bad.yaml:7: market.assets[0].model.v0: must be a number >= 0, per year "
                   "(got -0.01)");
    static const char *const bates_kappa[] = {"v0: 0.36", "kappa: 0", "theta: 0.36", "xi: 1",
                                              "rho: -0.3", "jump_intensity: 6",
                                              "jump_mean: -0.05", "jump_std: 0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "bates", bates_kappa),
                   "bad.yaml:8: market.assets[0].model.kappa: must be a number > 0, per year "
                   "(got 0)");
    static const char *const bates_lambda[] = {"v0: 0.36", "kappa: 2", "theta: 0.36", "xi: 1",
                                               "rho: -0.3", "jump_intensity: 2000",
                                               "jump_mean: -0.05", "jump_std: 0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "bates", bates_lambda),
                   "bad.yaml:12: market.assets[0].model.jump_intensity: must be a number in "
                   "[0, 1000], jumps per year (got 2000)");
    static const char *const merton_mu[] = {"sigma: 0.6", "jump_intensity: 12",
                                            "jump_mean: -0.03", "jump_std: 0.1", "mu: -12", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "merton", merton_mu),
                   "bad.yaml:11: market.assets[0].model.mu: must be a number in [-10, 10], per "
                   "year (got -12)");
    static const char *const heston_word[] = {"v0: 0.49", "kappa: fast", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_word),
                   "bad.yaml:8: market.assets[0].model.kappa: expected a number (got \"fast\")");
}

/* ---- correlation ---- */

#define TWO_ASSETS                                                                                 \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"                               \
    "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"

#define THREE_ASSETS                                                                               \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"                               \
    "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"                                \
    "    - {name: SOL, spot: 1, model: {type: gbm, sigma: 1.2}}\n"

static void expect_identity(const double (*m)[MCR_MAX_ASSETS])
{
    for (int i = 0; i < MCR_MAX_ASSETS; i++)
        for (int j = 0; j < MCR_MAX_ASSETS; j++)
            cr_assert_eq(m[i][j], i == j && i < 3 ? 1.0 : 0.0, "[%d][%d]", i, j);
}

Test(config, correlation_default_identity)
{
    mcr_config cfg;
    load_ok(ASSET_BTC, &cfg);
    cr_assert_eq(cfg.correlation[0][0], 1.0);
    cr_assert_eq(cfg.cholesky[0][0], 1.0);
    cr_assert_not(cfg.scenarios[0].has_correlation);
    cr_assert_eq(cfg.scenarios[0].cholesky[0][0], 1.0);
    mcr_config_free(&cfg);

    load_ok(THREE_ASSETS, &cfg);
    expect_identity(cfg.correlation);
    expect_identity(cfg.cholesky);
    expect_identity(cfg.scenarios[0].correlation);
    expect_identity(cfg.scenarios[0].cholesky);
    mcr_config_free(&cfg);

    /* [] is the DESIGN example's placeholder: not given */
    load_ok(THREE_ASSETS "  correlation: []\n", &cfg);
    expect_identity(cfg.cholesky);
    mcr_config_free(&cfg);
    load_ok(ASSET_BTC "  correlation: [[1]]\n", &cfg);
    cr_assert_eq(cfg.cholesky[0][0], 1.0);
    mcr_config_free(&cfg);
}

Test(config, correlation_parsed)
{
    mcr_config cfg;
    const double a = 0.5, b = -0.3, c = 0.2; /* [0][1], [0][2], [1][2] */
    load_ok(THREE_ASSETS "  correlation:\n"
                         "    - [1, 0.5, -0.3]\n"
                         "    - [0.5, 1.0, 0.2]\n"
                         "    - [-0.3, 0.2, 1]\n"
                         "scenarios:\n"
                         "  - name: base\n"
                         "  - name: stress\n"
                         "    correlation: [[1, 0.95, 0.9], [0.95, 1, 0.92], [0.9, 0.92, 1]]\n",
            &cfg);
    const double want[3][3] = {{1, a, b}, {a, 1, c}, {b, c, 1}};
    /* Cholesky of a 3 x 3 correlation matrix in closed form */
    const double l11 = sqrt(1 - a * a), l21 = (c - a * b) / l11;
    const double chol[3][3] = {{1, 0, 0}, {a, l11, 0}, {b, l21, sqrt(1 - b * b - l21 * l21)}};
    for (int i = 0; i < MCR_MAX_ASSETS; i++)
        for (int j = 0; j < MCR_MAX_ASSETS; j++) {
            double w = i < 3 && j < 3 ? want[i][j] : 0.0, l = i < 3 && j < 3 ? chol[i][j] : 0.0;
            cr_assert_eq(cfg.correlation[i][j], w, "[%d][%d]", i, j);
            cr_assert_float_eq(cfg.cholesky[i][j], l, 1e-15, "[%d][%d]", i, j);
            cr_assert_eq(cfg.scenarios[0].correlation[i][j], w);
            cr_assert_eq(cfg.scenarios[0].cholesky[i][j], cfg.cholesky[i][j]);
        }
    cr_assert_not(cfg.scenarios[0].has_correlation);
    const mcr_scenario *s = &cfg.scenarios[1];
    cr_assert(s->has_correlation);
    cr_assert_eq(s->correlation[0][1], 0.95);
    cr_assert_eq(s->correlation[2][1], 0.92);
    cr_assert_eq(s->cholesky[0][0], 1.0);
    cr_assert_eq(s->cholesky[1][0], 0.95);
    cr_assert_float_eq(s->cholesky[1][1], sqrt(1 - 0.95 * 0.95), 1e-15);
    cr_assert_eq(s->cholesky[0][1], 0.0);
    mcr_config_free(&cfg);
}

Test(config, correlation_shape_errors)
{
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.5]\n"
                              "    - [0.5, 1]\n"
                              "    - [0, 0]\n",
                   "bad.yaml:5: market.correlation: must be a list of 2 lists of 2 numbers, one "
                   "row and one column per asset (got 3 rows)");
    expect_error(THREE_ASSETS "  correlation: [[1, 0.5], [0.5, 1]]\n",
                 "bad.yaml:6: market.correlation: must be a list of 3 lists of 3 numbers",
                 "(got 2 rows)");
    expect_error(TWO_ASSETS "  correlation: 0.5\n", "bad.yaml:5: market.correlation: ",
                 "2 lists of 2 numbers, one row and one column per asset (got \"0.5\")");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.5]\n"
                              "    - [0.5, 1, 0]\n",
                   "bad.yaml:7: market.correlation[1]: must be a list of 2 numbers, one per "
                   "asset (got 3)");
    expect_error(TWO_ASSETS "  correlation: [[1, 0.5], 0.5]\n",
                 "bad.yaml:5: market.correlation[1]: must be a list of 2 numbers",
                 "(got \"0.5\")");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, high]\n"
                              "    - [0.5, 1]\n",
                   "bad.yaml:6: market.correlation[0][1]: expected a number (got \"high\")");
    expect_error(TWO_ASSETS "  correlation:\n"
                            "    - [1, [0.5]]\n"
                            "    - [0.5, 1]\n",
                 "bad.yaml:6: market.correlation[0][1]: ", "expected a number (got a list)");
    expect_error(TWO_ASSETS "  correlation: {BTC: 1}\n", "bad.yaml:5: market.correlation: ",
                 "(got a mapping)");
}

Test(config, correlation_value_errors)
{
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.4]\n"
                              "    - [0.3, 1]\n",
                   "bad.yaml:7: market.correlation[1][0]: must equal market.correlation[0][1] "
                   "(0.3 vs 0.4)");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.4]\n"
                              "    - [0.4, 0.9]\n",
                   "bad.yaml:7: market.correlation[1][1]: must be 1, a diagonal entry (got 0.9)");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 1.5]\n"
                              "    - [1.5, 1]\n",
                   "bad.yaml:6: market.correlation[0][1]: must be a number in [-1, 1] (got 1.5)");
    /* det = 1 + 2abc - a^2 - b^2 - c^2 = 0.96 c - c^2 = -0.0196 for a = 0.8, b = 0.6,
     * c = -0.02; the leading 2 x 2 minor 1 - a^2 = 0.36 is positive */
    expect_message(THREE_ASSETS "  correlation:\n"
                                "    - [1, 0.8, 0.6]\n"
                                "    - [0.8, 1, -0.02]\n"
                                "    - [0.6, -0.02, 1]\n",
                   "bad.yaml:6: market.correlation: not positive definite (leading minor of "
                   "order 3 is -0.0196)");
    expect_message(TWO_ASSETS "  correlation: [[1, -1], [-1, 1]]\n",
                   "bad.yaml:5: market.correlation: not positive definite (leading minor of "
                   "order 2 is 0)");
    /* the same checks for a scenario's override, at its lines */
    expect_message(TWO_ASSETS "scenarios:\n"
                              "  - name: base\n"
                              "  - name: stress\n"
                              "    correlation:\n"
                              "      - [1, 0.95]\n"
                              "      - [0.9, 1]\n",
                   "bad.yaml:10: scenarios[1].correlation[1][0]: must equal "
                   "scenarios[1].correlation[0][1] (0.9 vs 0.95)");
    expect_error(TWO_ASSETS "scenarios:\n  - {name: stress, correlation: [[1, 0.95]]}\n",
                 "bad.yaml:6: scenarios[0].correlation: must be a list of 2 lists of 2 numbers",
                 "(got 1 row)");
}

Test(config, simulated_asset_limit)
{
    char yaml[2048] = "market:\n  assets:\n";
    size_t used = strlen(yaml);
    for (int i = 0; i < MCR_MAX_SIM_ASSETS; i++)
        used += (size_t)snprintf(yaml + used, sizeof yaml - used,
                                 "    - {name: A%d, spot: 1, model: {type: gbm, sigma: 0.5}}\n", i);
    mcr_config cfg;
    load_ok(yaml, &cfg);
    cr_assert_eq(cfg.n_assets, MCR_MAX_SIM_ASSETS);
    mcr_config_free(&cfg);
    snprintf(yaml + used, sizeof yaml - used,
             "    - {name: A8, spot: 1, model: {type: gbm, sigma: 0.5}}\n");
    expect_message(yaml, "bad.yaml:2: market.assets: too many assets (got 9); allowed: at most "
                         "8");
}

/* Every example under configs/ loads, as what its name says. */
static void load_example(const char *name, mcr_config *cfg)
{
    char path[512];
    mcr_error err = {0};
    snprintf(path, sizeof path, "%s/configs/%s", MCR_SOURCE_DIR, name);
    cr_assert_eq(mcr_config_load_file(path, cfg, &err), MCR_OK, "%s", err.msg);
}

Test(config, model_examples_load)
{
    static const struct {
        const char *file;
        mcr_model_type type;
    } examples[] = {{"merton.yaml", MCR_MODEL_MERTON},
                    {"kou.yaml", MCR_MODEL_KOU},
                    {"heston.yaml", MCR_MODEL_HESTON},
                    {"bates.yaml", MCR_MODEL_BATES}};
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        mcr_config cfg;
        load_example(examples[i].file, &cfg);
        cr_assert_eq(cfg.n_assets, 1, "%s", examples[i].file);
        cr_assert_eq(cfg.assets[0].model.type, examples[i].type, "%s", examples[i].file);
        cr_assert_eq(mcr_model_mu(&cfg.assets[0].model), 0.0);
        mcr_config_free(&cfg);
    }
}

Test(config, two_assets_example_loads)
{
    mcr_config cfg;
    load_example("two_assets.yaml", &cfg);
    cr_assert_eq(cfg.n_assets, 2);
    cr_assert_str_eq(cfg.assets[0].name, "BTC");
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_MERTON);
    cr_assert_str_eq(cfg.assets[1].name, "ETH");
    cr_assert_eq(cfg.assets[1].model.type, MCR_MODEL_HESTON);
    cr_assert_eq(cfg.correlation[1][0], 0.7);
    cr_assert_float_eq(cfg.cholesky[1][1], sqrt(1 - 0.7 * 0.7), 1e-15);
    cr_assert_eq(cfg.n_positions, 2);
    cr_assert_eq(cfg.portfolio[1].asset, 1);
    cr_assert_eq(cfg.n_scenarios, 2);
    cr_assert_str_eq(cfg.scenarios[0].name, "base");
    cr_assert_not(cfg.scenarios[0].has_correlation);
    cr_assert_eq(cfg.scenarios[0].correlation[0][1], 0.7);
    cr_assert_str_eq(cfg.scenarios[1].name, "stress");
    cr_assert(cfg.scenarios[1].has_correlation);
    cr_assert_eq(cfg.scenarios[1].correlation[0][1], 0.95);
    cr_assert_eq(cfg.scenarios[1].cholesky[1][0], 0.95);
    cr_assert_float_eq(cfg.scenarios[1].cholesky[1][1], sqrt(1 - 0.95 * 0.95), 1e-15);
    mcr_config_free(&cfg);
}

/* ---- the hedge part: implied vol, path files, options in the book, strategies, costs,
 * funding, margin, scenario shocks ---- */

Test(config, hedge_keys_parsed)
{
    static const char yaml[] =
        "horizon: {days: 30, steps: 720}\n"
        "market:\n"
        "  assets:\n"
        "    - name: BTC\n"
        "      spot: 100\n"
        "      model: {type: gbm, sigma: 0.8}\n"
        "      implied_vol: {atm: 0.75, skew: -0.2, smile: 0.3}\n"
        "    - name: ETH\n"
        "      spot: 10\n"
        "      model: {type: gbm, sigma: 0.9}\n"
        "      implied_vol:\n"
        "        skew: 0.1\n"
        "        term: [{days: 7, atm: 0.9}, {days: 30, atm: 0.85}]\n"
        "portfolio:\n"
        "  - {asset: BTC, instrument: spot, quantity: 2}\n"
        "  - {asset: BTC, instrument: call, quantity: -1, strike: 120, expiry_days: 45}\n"
        "  - {asset: ETH, instrument: put, quantity: 3, strike: 8.5, expiry_days: 7.5}\n"
        "strategies:\n"
        "  - {name: none, type: none, asset: ETH}\n"
        "  - {name: pp, type: protective_put, strike: 0.9, expiry_days: 60, quantity: 1.5}\n"
        "  - {name: col, type: collar, put_strike: 0.85, call_strike: 1.2, expiry_days: 14}\n"
        "  - {name: cc, type: covered_call, asset: BTC, strike: 1.1}\n"
        "  - {name: psc, type: put_spread_collar, put_strike: 0.95, lower_put_strike: 0.8,\n"
        "     call_strike: auto, quantity: 0.5}\n"
        "  - {name: perp, type: perp_hedge, contract: inverse, hedge_ratio: 0.5,\n"
        "     collateral_yield: 0.04}\n"
        "  - {name: dspot, type: delta_hedge, instrument: spot, rebalance: {band: 0.25}}\n"
        "  - {name: dinv, type: delta_hedge, instrument: inverse_perp, hedge_ratio: 0.8,\n"
        "     rebalance: {every_steps: 24}, collateral_yield: 0.05}\n"
        "costs: {fee_bps: 5, slippage_bps: 1.5, impact: 0.002, impact_notional: 250000}\n"
        "funding: {interval_hours: 4, rate: -0.0002, mode: stochastic, beta: 0.05,\n"
        "          noise: 0.0003, cap: 0.003}\n"
        "margin: {mode: cross, initial: 0.2, maintenance: 0.01, liquidation_fee: 0.002}\n"
        "scenarios:\n"
        "  - {name: base}\n"
        "  - {name: crash, shock: {day: 2.5, return: -0.3}, vol_multiplier: 1.5}\n";
    mcr_config cfg;
    load_ok(yaml, &cfg);
    const mcr_vol_surface *v = &cfg.assets[0].implied_vol;
    cr_assert_eq(v->atm, 0.75);
    cr_assert_eq(v->skew, -0.2);
    cr_assert_eq(v->smile, 0.3);
    cr_assert_eq(v->n_term, 0);
    v = &cfg.assets[1].implied_vol;
    cr_assert_eq(v->atm, 0.0, "term points replace atm");
    cr_assert_eq(v->skew, 0.1);
    cr_assert_eq(v->n_term, 2);
    cr_assert_eq(v->term[0].days, 7.0);
    cr_assert_eq(v->term[0].atm, 0.9);
    cr_assert_eq(v->term[1].days, 30.0);
    cr_assert_eq(v->term[1].atm, 0.85);
    cr_assert_str_eq(cfg.assets[0].path_file, "");

    cr_assert_eq(cfg.n_positions, 3);
    cr_assert_eq(strcmp(pos_kind(&cfg, 1), "call"), 0);
    cr_assert_eq(pos_num(&cfg, 1, "quantity"), -1.0);
    cr_assert_eq(pos_num(&cfg, 1, "strike"), 120.0);
    cr_assert_eq(pos_num(&cfg, 1, "expiry_days"), 45.0);
    cr_assert_eq(cfg.portfolio[2].asset, 1);
    cr_assert_eq(strcmp(pos_kind(&cfg, 2), "put"), 0);
    cr_assert_eq(pos_num(&cfg, 2, "strike"), 8.5);
    cr_assert_eq(pos_num(&cfg, 2, "expiry_days"), 7.5);

    const mcr_strategy *s = cfg.strategies;
    cr_assert_eq(cfg.n_strategies, 8);
    cr_assert_str_eq(strat_kind(&cfg, 0), "none");
    cr_assert_eq(s[0].parts[0].asset, 1);
    cr_assert_str_eq(strat_kind(&cfg, 1), "protective_put");
    cr_assert_eq(s[1].parts[0].asset, 0);
    cr_assert_eq(strat_num(&cfg, 1, "strike"), 0.9);
    cr_assert_eq(strat_num(&cfg, 1, "expiry_days"), 60.0);
    cr_assert_eq(strat_num(&cfg, 1, "quantity"), 1.5);
    cr_assert_str_eq(strat_kind(&cfg, 2), "collar");
    cr_assert_eq(strat_num(&cfg, 2, "put_strike"), 0.85);
    cr_assert_eq(strat_num(&cfg, 2, "call_strike"), 1.2);
    cr_assert_null(strat_word(&cfg, 2, "call_strike"));
    cr_assert_eq(strat_num(&cfg, 2, "expiry_days"), 14.0);
    cr_assert_str_eq(strat_kind(&cfg, 3), "covered_call");
    cr_assert_eq(strat_num(&cfg, 3, "strike"), 1.1);
    cr_assert_eq(strat_num(&cfg, 3, "expiry_days"), 30.0, "default expiry: the horizon");
    cr_assert_eq(strat_num(&cfg, 3, "quantity"), 0.0, "0: the book's spot quantity");
    cr_assert_str_eq(strat_kind(&cfg, 4), "put_spread_collar");
    cr_assert_eq(strat_num(&cfg, 4, "put_strike"), 0.95);
    cr_assert_eq(strat_num(&cfg, 4, "lower_put_strike"), 0.8);
    cr_assert_str_eq(strat_word(&cfg, 4, "call_strike"), "auto");
    cr_assert_eq(strat_num(&cfg, 4, "quantity"), 0.5);
    cr_assert_str_eq(strat_kind(&cfg, 5), "perp_hedge");
    cr_assert_str_eq(strat_word(&cfg, 5, "contract"), "inverse");
    cr_assert_eq(strat_num(&cfg, 5, "hedge_ratio"), 0.5);
    cr_assert_eq(strat_num(&cfg, 5, "collateral_yield"), 0.04);
    cr_assert_str_eq(strat_kind(&cfg, 6), "delta_hedge");
    cr_assert_str_eq(strat_word(&cfg, 6, "instrument"), "spot");
    cr_assert_eq(strat_num(&cfg, 6, "rebalance.band"), 0.25);
    cr_assert_eq(strat_num(&cfg, 6, "rebalance.every_steps"), 1);
    cr_assert_eq(strat_num(&cfg, 6, "hedge_ratio"), 1.0);
    cr_assert_str_eq(strat_word(&cfg, 7, "instrument"), "inverse_perp");
    cr_assert_eq(strat_num(&cfg, 7, "hedge_ratio"), 0.8);
    cr_assert_eq(strat_num(&cfg, 7, "rebalance.every_steps"), 24);
    cr_assert_eq(strat_num(&cfg, 7, "rebalance.band"), 0.0);
    cr_assert_eq(strat_num(&cfg, 7, "collateral_yield"), 0.05);

    cr_assert_eq(cfg.costs.fee_bps, 5.0);
    cr_assert_eq(cfg.costs.slippage_bps, 1.5);
    cr_assert_eq(cfg.costs.impact, 0.002);
    cr_assert_eq(cfg.costs.impact_notional, 250000.0);
    cr_assert_eq(cfg.funding.interval_hours, 4.0);
    cr_assert_eq(cfg.funding.rate, -0.0002);
    cr_assert_eq(cfg.funding.mode, MCR_FUNDING_STOCHASTIC);
    cr_assert_eq(cfg.funding.beta, 0.05);
    cr_assert_eq(cfg.funding.noise, 0.0003);
    cr_assert_eq(cfg.funding.cap, 0.003);
    cr_assert_eq(cfg.margin.mode, MCR_MARGIN_CROSS);
    cr_assert_eq(cfg.margin.initial, 0.2);
    cr_assert_eq(cfg.margin.maintenance, 0.01);
    cr_assert_eq(cfg.margin.liquidation_fee, 0.002);

    cr_assert_eq(cfg.scenarios[0].n_shocks, 0);
    cr_assert_eq(cfg.scenarios[0].vol_multiplier, 1.0);
    cr_assert_eq(cfg.scenarios[1].n_shocks, 1);
    cr_assert_eq(cfg.scenarios[1].shocks[0].day, 2.5);
    cr_assert_eq(cfg.scenarios[1].shocks[0].ret, -0.3);
    cr_assert_eq(cfg.scenarios[1].vol_multiplier, 1.5);
    mcr_config_free(&cfg);
}

Test(config, hedge_defaults)
{
    /* the book's first position is in ETH: strategies hedge ETH unless told otherwise */
    static const char yaml[] =
        "horizon: {days: 7.5, steps: 180}\n"
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"
        "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"
        "portfolio:\n"
        "  - {asset: ETH, quantity: 5}\n"
        "  - {asset: BTC, quantity: 1}\n"
        "strategies:\n"
        "  - {name: n, type: none}\n"
        "  - {name: pp, type: protective_put, strike: 0.9}\n"
        "  - {name: col, type: collar, put_strike: 0.9}\n"
        "  - {name: perp, type: perp_hedge}\n"
        "  - {name: delta, type: delta_hedge}\n";
    mcr_config cfg;
    load_ok(yaml, &cfg);
    /* every part hedges the book's first asset; each kind's keys take their defaults */
    for (int i = 0; i < cfg.n_strategies; i++)
        cr_assert_eq(cfg.strategies[i].parts[0].asset, 1, "%s", cfg.strategies[i].name);
    for (int i = 1; i <= 2; i++) {
        cr_assert_eq(strat_num(&cfg, i, "quantity"), 0.0);
        cr_assert_eq(strat_num(&cfg, i, "expiry_days"), 7.5);
    }
    cr_assert_str_eq(strat_word(&cfg, 2, "call_strike"), "auto");
    for (int i = 3; i <= 4; i++) {
        cr_assert_eq(strat_num(&cfg, i, "hedge_ratio"), 1.0);
        cr_assert_eq(strat_num(&cfg, i, "collateral_yield"), 0.0);
        cr_assert_eq(strat_num(&cfg, i, "hedge_asset"), -1, "the asset itself");
        cr_assert_eq(strat_num(&cfg, i, "beta"), 1.0);
    }
    cr_assert_str_eq(strat_word(&cfg, 3, "contract"), "linear");
    cr_assert_str_eq(strat_word(&cfg, 4, "instrument"), "linear_perp");
    cr_assert_eq(strat_num(&cfg, 4, "rebalance.every_steps"), 1);
    cr_assert_eq(strat_num(&cfg, 4, "rebalance.band"), 0.0);
    cr_assert_eq(cfg.costs.fee_bps, 0.0);
    cr_assert_eq(cfg.costs.slippage_bps, 0.0);
    cr_assert_eq(cfg.costs.impact, 0.0);
    cr_assert_eq(cfg.costs.impact_notional, 1e6);
    cr_assert_eq(cfg.funding.interval_hours, 8.0);
    cr_assert_eq(cfg.funding.rate, 0.0001);
    cr_assert_eq(cfg.funding.mode, MCR_FUNDING_CONSTANT);
    cr_assert_eq(cfg.funding.beta, 0.0);
    cr_assert_eq(cfg.funding.noise, 0.0);
    cr_assert_eq(cfg.funding.cap, 0.0075);
    cr_assert_eq(cfg.margin.mode, MCR_MARGIN_ISOLATED);
    cr_assert_eq(cfg.margin.initial, 0.1);
    cr_assert_eq(cfg.margin.maintenance, 0.005);
    cr_assert_eq(cfg.margin.liquidation_fee, 0.005);
    cr_assert_eq(cfg.n_scenarios, 1);
    cr_assert_eq(cfg.scenarios[0].n_shocks, 0);
    cr_assert_eq(cfg.scenarios[0].vol_multiplier, 1.0);
    mcr_config_free(&cfg);

    /* with no strategies at all: one unhedged strategy on the book's asset */
    load_ok(ASSET_BTC, &cfg);
    cr_assert_eq(cfg.n_strategies, 1);
    cr_assert_str_eq(cfg.strategies[0].name, "unhedged");
    cr_assert_str_eq(strat_kind(&cfg, 0), "none");
    cr_assert_eq(cfg.strategies[0].parts[0].asset, 0);
    cr_assert_eq(cfg.scenarios[0].vol_multiplier, 1.0);
    mcr_config_free(&cfg);
}

/* The default implied vol is the model's volatility of ln S per sqrt(year) over the horizon:
 * checked against the models' own log variances (Merton, Kou) and, for Heston and Bates, against
 * E[v_s] = theta + (v0 - theta) e^{-kappa s} integrated numerically over the horizon. */
static double default_atm(const char *model, double days)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "horizon: {days: %g, steps: 10}\n"
             "market:\n  assets:\n    - {name: X, spot: 1, model: %s}\n", days, model);
    mcr_config cfg;
    load_ok(yaml, &cfg);
    cr_assert_eq(cfg.assets[0].implied_vol.n_term, 0);
    double atm = cfg.assets[0].implied_vol.atm;
    mcr_config_free(&cfg);
    return atm;
}

static double heston_average_variance(double v0, double kappa, double theta, double t)
{
    int n = 2000; /* Simpson's rule on a smooth integrand: error far below 1e-12 */
    double h = t / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double w = i == 0 || i == n ? 1 : (i % 2 ? 4 : 2);
        sum += w * (theta + (v0 - theta) * exp(-kappa * i * h));
    }
    return sum * h / 3 / t;
}

Test(config, implied_vol_defaults_from_the_model)
{
    double t = 30 / 365.0;
    cr_assert_float_eq(default_atm("{type: gbm, sigma: 0.8}", 30), 0.8, 1e-15);
    mcr_merton m = {.sigma = 0.6, .jump_intensity = 10, .jump_mean = -0.05, .jump_std = 0.1};
    cr_assert_float_eq(default_atm("{type: merton, sigma: 0.6, jump_intensity: 10, "
                                   "jump_mean: -0.05, jump_std: 0.1}", 30),
                       sqrt(mcr_merton_log_variance(&m, t) / t), 1e-12);
    mcr_kou k = {.sigma = 0.5, .jump_intensity = 5, .p_up = 0.4, .eta_up = 10, .eta_down = 5};
    cr_assert_float_eq(default_atm("{type: kou, sigma: 0.5, jump_intensity: 5, p_up: 0.4, "
                                   "eta_up: 10, eta_down: 5}", 30),
                       sqrt(mcr_kou_log_variance(&k, t) / t), 1e-12);
    for (double days = 1; days <= 365; days *= 5) {
        double tt = days / 365;
        cr_assert_float_eq(default_atm("{type: heston, v0: 0.64, kappa: 2, theta: 0.36, xi: 1, "
                                       "rho: -0.5}", days),
                           sqrt(heston_average_variance(0.64, 2, 0.36, tt)), 1e-12, "%g days",
                           days);
        mcr_merton jumps = {.sigma = 1e-9, .jump_intensity = 3, .jump_mean = -0.1,
                            .jump_std = 0.15};
        double jump_var = mcr_merton_log_variance(&jumps, tt) / tt - 1e-18;
        cr_assert_float_eq(default_atm("{type: bates, v0: 0.3, kappa: 1.5, theta: 0.5, xi: 0.8, "
                                       "rho: -0.6, jump_intensity: 3, jump_mean: -0.1, "
                                       "jump_std: 0.15}", days),
                           sqrt(heston_average_variance(0.3, 1.5, 0.5, tt) + jump_var), 1e-12,
                           "%g days", days);
    }
    /* a surface given without atm or term points takes the model's atm, and keeps its smile */
    mcr_config cfg;
    load_ok("market:\n  assets:\n    - {name: X, spot: 1, model: {type: gbm, sigma: 0.7},\n"
            "       implied_vol: {skew: -0.1, smile: 0.2}}\n", &cfg);
    cr_assert_eq(cfg.assets[0].implied_vol.atm, 0.7);
    cr_assert_eq(cfg.assets[0].implied_vol.skew, -0.1);
    cr_assert_eq(cfg.assets[0].implied_vol.smile, 0.2);
    mcr_config_free(&cfg);
}

Test(config, implied_vol_errors)
{
#define BTC_VOL(surface)                                                                           \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - name: BTC\n"                                                                            \
    "      spot: 100\n"                                                                            \
    "      model: {type: gbm, sigma: 0.8}\n"                                                       \
    "      implied_vol:\n" surface
    expect_message(BTC_VOL("        atm: 0.8\n"
                           "        term: [{days: 7, atm: 0.8}]\n"),
                   "bad.yaml:6: market.assets[0].implied_vol: give either atm (a flat term "
                   "structure) or term points, not both");
    expect_message(BTC_VOL("        atm: 0.8\n"
                           "        skew: 7\n"),
                   "bad.yaml:8: market.assets[0].implied_vol.skew: must be a number in [-5, 5] "
                   "(got 7)");
    expect_error(BTC_VOL("        smile: -1\n"), "bad.yaml:7: market.assets[0].implied_vol.smile: ",
                 "in [0, 10]");
    expect_error(BTC_VOL("        atm: 12\n"), "bad.yaml:7: market.assets[0].implied_vol.atm: ",
                 "in (0, 10]");
    expect_error(BTC_VOL("        term:\n"
                         "          - {days: 7, atm: 0.9}\n"
                         "          - {days: 30, atm: 0.4}\n"),
                 "bad.yaml:9: market.assets[0].implied_vol.term[1]: ATM total variance",
                 "calendar arbitrage");
    expect_error(BTC_VOL("        term:\n"
                         "          - {days: 7}\n"),
                 "bad.yaml:8: market.assets[0].implied_vol.term[0].atm: required key missing",
                 "(0, 10]");
    expect_error(BTC_VOL("        term:\n"
                         "          - {days: 7, atm: 0.9}\n"
                         "          - {days: 7, atm: 0.9}\n"),
                 "bad.yaml:9: market.assets[0].implied_vol.term[1].days: ", "greater than");
    expect_message(BTC_VOL("        kurtosis: 3\n"),
                   "bad.yaml:7: market.assets[0].implied_vol.kurtosis: unknown key; allowed: atm, "
                   "skew, smile, term");
    expect_error(BTC_VOL("        atm: high\n"),
                 "bad.yaml:7: market.assets[0].implied_vol.atm: expected a number", "\"high\"");
#undef BTC_VOL
    /* no surface, and a model too wild for a default one */
    expect_error("market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 100\n"
                 "      model: {type: merton, sigma: 0.8, jump_intensity: 1000, jump_mean: -2,\n"
                 "              jump_std: 1}\n",
                 "bad.yaml:3: market.assets[0].implied_vol: required here: the model's total "
                 "volatility over the horizon (70.7", "give implied_vol: {atm: ...}");
}

/* Writes `text` to NAME in a fresh temporary directory (whose name goes to `dir`). */
static void temp_dir_file(char dir[static 64], const char *name, const char *text)
{
    snprintf(dir, 64, "/tmp/mcr_test_dir_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(config, path_file_parsed)
{
    /* a relative name is resolved against the config file's directory */
    char dir[64], cfg_path[160], csv_path[160];
    temp_dir_file(dir, "prices.csv", "100\n101\n");
    snprintf(cfg_path, sizeof cfg_path, "%s/replay.yaml", dir);
    snprintf(csv_path, sizeof csv_path, "%s/prices.csv", dir);
    FILE *f = fopen(cfg_path, "w");
    fputs("market:\n  assets:\n    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8},\n"
          "       path_file: prices.csv}\n", f);
    fclose(f);
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_file(cfg_path, &cfg, &err), MCR_OK, "%s", err.msg);
    cr_assert_str_eq(cfg.assets[0].path_file, csv_path);
    mcr_config_free(&cfg);

    /* from a string, names are used as given (relative to the working directory) */
    char yaml[512];
    snprintf(yaml, sizeof yaml, "market:\n  assets:\n    - name: BTC\n      spot: 100\n"
             "      model: {type: gbm, sigma: 0.8}\n      path_file: %s\n", csv_path);
    load_ok(yaml, &cfg);
    cr_assert_str_eq(cfg.assets[0].path_file, csv_path);
    mcr_config_free(&cfg);

    /* unreadable: the message names the file the loader tried */
    unlink(csv_path);
    cr_assert_eq(mcr_config_load_file(cfg_path, &cfg, &err), MCR_ERR_INPUT);
    char expect[600];
    snprintf(expect, sizeof expect, "%s:4: market.assets[0].path_file: cannot read \"%s\": No "
             "such file or directory; allowed: a readable CSV file of prices", cfg_path,
             csv_path);
    cr_assert(strncmp(err.msg, expect, strlen(expect)) == 0, "%s\nvs\n%s", err.msg, expect);
    unlink(cfg_path);
    rmdir(dir);

    expect_error(ASSET_BTC "      path_file: /tmp\n",
                 "bad.yaml:6: market.assets[0].path_file: cannot read \"/tmp\": Is a directory",
                 "CSV");
    expect_error(ASSET_BTC "      path_file: \"\"\n",
                 "bad.yaml:6: market.assets[0].path_file: must not be empty", "CSV");
}

Test(config, portfolio_options)
{
    expect_message(ASSET_BTC "portfolio:\n  - {asset: BTC, instrument: linear_perp, quantity: 1}\n",
                   "bad.yaml:7: portfolio[0].instrument: perpetuals are hedges, not part of the "
                   "book: use a strategy of type perp_hedge or delta_hedge; allowed here: spot, "
                   "call, put");
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC, instrument: inverse_perp, quantity: 1}\n",
                 "bad.yaml:7: portfolio[0].instrument: perpetuals are hedges", "perp_hedge");
    expect_message(ASSET_BTC "portfolio:\n"
                             "  - asset: BTC\n"
                             "    instrument: call\n"
                             "    quantity: -1\n"
                             "    expiry_days: 30\n",
                   "bad.yaml:7: portfolio[0].strike: required key missing; a number > 0, quote "
                   "currency (the absolute strike)");
    expect_error(ASSET_BTC "portfolio:\n"
                           "  - asset: BTC\n"
                           "    instrument: put\n"
                           "    quantity: -1\n"
                           "    strike: 90\n",
                 "bad.yaml:7: portfolio[0].expiry_days: required key missing", "(0, 36500]");
    expect_message(ASSET_BTC "portfolio:\n"
                             "  - {asset: BTC, quantity: 1}\n"
                             "  - {asset: BTC, instrument: put, quantity: 1, strike: 0,\n"
                             "     expiry_days: 30}\n",
                   "bad.yaml:8: portfolio[1].strike: must be a number > 0, quote currency (got "
                   "0)");
    expect_error(ASSET_BTC "portfolio:\n"
                           "  - asset: BTC\n"
                           "    instrument: call\n"
                           "    quantity: 1\n"
                           "    strike: 100\n"
                           "    expiry_days: -2\n",
                 "bad.yaml:11: portfolio[0].expiry_days: must be a number in (0, 36500]",
                 "(got -2)");
    expect_message(ASSET_BTC "portfolio:\n"
                             "  - asset: BTC\n"
                             "    quantity: 1\n"
                             "    strike: 100\n",
                   "bad.yaml:9: portfolio[0].strike: not a key of instrument spot; allowed: "
                   "instrument, asset, quantity");
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1, "
                           "expiry_days: 3}\n",
                 "bad.yaml:7: portfolio[0].expiry_days: not a key of instrument spot",
                 "instrument, asset, quantity");
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC, quantity: 1, maturity: 3}\n",
                 "bad.yaml:7: portfolio[0].maturity: unknown key",
                 "allowed: instrument, asset, quantity");
}

/* ASSET_BTC, a long-spot book, and one strategy at line 8 */
#define BOOK_AND(strategy)                                                                         \
    ASSET_BTC "portfolio: [{asset: BTC, quantity: 1}]\nstrategies:\n" strategy

Test(config, strategy_keys_per_type)
{
    expect_message(BOOK_AND("  - {name: p, type: perp_hedge, strike: 0.9}\n"),
                   "bad.yaml:8: strategies[0].strike: not a key of strategy type perp_hedge; "
                   "allowed: name, type, asset, contract, hedge_ratio, hedge_asset, beta, "
                   "collateral_yield");
    expect_message(BOOK_AND("  - {name: p, type: protective_put, strike: 0.9, hedge_ratio: 1}\n"),
                   "bad.yaml:8: strategies[0].hedge_ratio: not a key of strategy type "
                   "protective_put; allowed: name, type, asset, strike, expiry_days, quantity");
    expect_message(BOOK_AND("  - {name: c, type: collar, put_strike: 0.9, strike: 1.1}\n"),
                   "bad.yaml:8: strategies[0].strike: not a key of strategy type collar; allowed: "
                   "name, type, asset, put_strike, call_strike, expiry_days, quantity");
    expect_message(BOOK_AND("  - {name: c, type: covered_call, strike: 1.1, put_strike: 0.9}\n"),
                   "bad.yaml:8: strategies[0].put_strike: not a key of strategy type covered_call; "
                   "allowed: name, type, asset, strike, expiry_days, quantity");
    expect_message(BOOK_AND("  - {name: c, type: put_spread_collar, put_strike: 0.9,\n"
                            "     lower_put_strike: 0.8, contract: linear}\n"),
                   "bad.yaml:9: strategies[0].contract: not a key of strategy type "
                   "put_spread_collar; allowed: name, type, asset, put_strike, lower_put_strike, "
                   "call_strike, expiry_days, quantity");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, contract: linear}\n"),
                   "bad.yaml:8: strategies[0].contract: not a key of strategy type "
                   "delta_hedge; allowed: name, type, asset, instrument, rebalance, "
                   "hedge_ratio, hedge_asset, beta, collateral_yield");
    expect_message(BOOK_AND("  - {name: n, type: none, rebalance: {band: 1}}\n"),
                   "bad.yaml:8: strategies[0].rebalance: not a key of strategy type none; "
                   "allowed: name, type, asset");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, every_steps: 4}\n"),
                   "bad.yaml:8: strategies[0].every_steps: unknown key; allowed: name, type, "
                   "asset, instrument, rebalance, hedge_ratio, hedge_asset, beta, "
                   "collateral_yield");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {daily: true}}\n"),
                   "bad.yaml:8: strategies[0].rebalance.daily: unknown key; allowed: every_steps, "
                   "band");
    expect_error(BOOK_AND("  - {name: d, type: delta_hedge, hedge_ratio: full}\n"),
                 "bad.yaml:8: strategies[0].hedge_ratio: expected a number", "\"full\"");
}

Test(config, strategy_values)
{
    expect_message(BOOK_AND("  - {name: p, type: protective_put}\n"),
                   "bad.yaml:8: strategies[0].strike: required key missing; a number in (0, "
                   "10], relative to spot at t0 (0.9: 10% below spot) (the put's strike)");
    expect_message(BOOK_AND("  - {name: p, type: covered_call, strike: 0}\n"),
                   "bad.yaml:8: strategies[0].strike: must be a number in (0, 10], relative to "
                   "spot at t0 (0.9: 10% below spot) (got 0)");
    expect_error(BOOK_AND("  - {name: p, type: covered_call, strike: 90}\n"),
                 "bad.yaml:8: strategies[0].strike: must be a number in (0, 10]", "(got 90)");
    expect_error(BOOK_AND("  - {name: c, type: collar, call_strike: 1.2}\n"),
                 "bad.yaml:8: strategies[0].put_strike: required key missing", "(0, 10]");
    expect_message(BOOK_AND("  - {name: c, type: collar, put_strike: 0.9, call_strike: 0.85}\n"),
                   "bad.yaml:8: strategies[0].call_strike: must be a number in (put_strike = "
                   "0.9, 10], relative to spot at t0, or auto (solved for a zero net premium) "
                   "(got 0.85)");
    expect_error(BOOK_AND("  - {name: c, type: collar, put_strike: 0.9, call_strike: atm}\n"),
                 "bad.yaml:8: strategies[0].call_strike: must be a number", "or auto");
    expect_error(BOOK_AND("  - {name: c, type: collar, put_strike: 0.9, call_strike: [1.1]}\n"),
                 "bad.yaml:8: strategies[0].call_strike: must be a number", "(got a list)");
    expect_message(BOOK_AND("  - {name: c, type: put_spread_collar, put_strike: 0.9,\n"
                            "     lower_put_strike: 0.9}\n"),
                   "bad.yaml:9: strategies[0].lower_put_strike: must be a number in (0, "
                   "put_strike = 0.9), relative to spot at t0 (got 0.9)");
    expect_error(BOOK_AND("  - {name: c, type: put_spread_collar, put_strike: 0.9}\n"),
                 "bad.yaml:8: strategies[0].lower_put_strike: required key missing",
                 "below put_strike");
    expect_error(BOOK_AND("  - {name: p, type: protective_put, strike: 0.9, expiry_days: 0}\n"),
                 "bad.yaml:8: strategies[0].expiry_days: must be a number in (0, 36500]",
                 "(got 0)");
    expect_error(BOOK_AND("  - {name: p, type: protective_put, strike: 0.9, quantity: -1}\n"),
                 "bad.yaml:8: strategies[0].quantity: must be a number >= 0", "(got -1)");
    expect_message(BOOK_AND("  - {name: p, type: perp_hedge, contract: quarterly}\n"),
                   "bad.yaml:8: strategies[0].contract: unknown contract \"quarterly\"; allowed: "
                   "linear, inverse");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, instrument: call}\n"),
                   "bad.yaml:8: strategies[0].instrument: unknown hedge instrument \"call\"; "
                   "allowed: spot, linear_perp, inverse_perp");
    expect_error(BOOK_AND("  - {name: p, type: perp_hedge, hedge_ratio: 0}\n"),
                 "bad.yaml:8: strategies[0].hedge_ratio: must be a number in (0, 10]", "(got 0)");
    expect_error(BOOK_AND("  - {name: p, type: perp_hedge, collateral_yield: -0.01}\n"),
                 "bad.yaml:8: strategies[0].collateral_yield: must be a number in [0, 1]",
                 "(got -0.01)");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {every_steps: 2, "
                            "band: 0.1}}\n"),
                   "bad.yaml:8: strategies[0].rebalance: give one of every_steps and band, not "
                   "both; allowed: {every_steps: ...} (trade every k steps (at most "
                   "horizon.steps)) or {band: ...} (trade when |net delta| > band)");
    expect_error(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {}}\n"),
                 "bad.yaml:8: strategies[0].rebalance: empty; allowed: {every_steps: ...}", "band");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {every_steps: 0}}\n"),
                   "bad.yaml:8: strategies[0].rebalance.every_steps: must be an integer >= 1 "
                   "(got 0)");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {every_steps: 721}}\n"),
                   "bad.yaml:8: strategies[0].rebalance.every_steps: must be an integer in "
                   "[1, 720] (horizon.steps) (got 721)");
    expect_error(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {every_steps: 1.5}}\n"),
                 "bad.yaml:8: strategies[0].rebalance.every_steps: expected an integer",
                 "\"1.5\"");
    expect_error(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {band: -0.1}}\n"),
                 "bad.yaml:8: strategies[0].rebalance.band: must be a number > 0", "(got -0.1)");
    expect_error(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: hourly}\n"),
                 "bad.yaml:8: strategies[0].rebalance: expected a mapping",
                 "allowed keys: every_steps, band");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, asset: ETH}\n"),
                   "bad.yaml:8: strategies[0].asset: unknown asset \"ETH\"; allowed: BTC (from "
                   "market.assets)");
    /* options cover the book's spot by default: a book without long spot needs a quantity */
    expect_message(ASSET_BTC "portfolio:\n"
                             "  - {asset: BTC, instrument: call, quantity: 1, strike: 100,\n"
                             "     expiry_days: 30}\n"
                             "strategies:\n"
                             "  - {name: p, type: protective_put, strike: 0.9}\n",
                   "bad.yaml:10: strategies[0].quantity: required here: the portfolio holds no "
                   "long spot BTC for the options to cover (spot quantity 0); give the units "
                   "covered, a number > 0");
    mcr_config cfg;
    load_ok(ASSET_BTC "portfolio: [{asset: BTC, quantity: -1}]\n"
                      "strategies: [{name: p, type: protective_put, strike: 0.9, quantity: 1}]\n",
            &cfg);
    cr_assert_eq(strat_num(&cfg, 0, "quantity"), 1.0);
    mcr_config_free(&cfg);
}

#undef BOOK_AND

Test(config, costs_funding_margin_errors)
{
    expect_message(ASSET_BTC "costs: {fee_bps: -1}\n",
                   "bad.yaml:6: costs.fee_bps: must be a number in [0, 10000], basis points of "
                   "traded notional (got -1)");
    expect_error(ASSET_BTC "costs:\n  slippage_bps: 20000\n",
                 "bad.yaml:7: costs.slippage_bps: must be a number in [0, 10000]", "(got 20000)");
    expect_error(ASSET_BTC "costs:\n  impact: -0.5\n", "bad.yaml:7: costs.impact: ", ">= 0");
    expect_error(ASSET_BTC "costs:\n  impact_notional: 0\n",
                 "bad.yaml:7: costs.impact_notional: must be a number > 0", "(got 0)");
    expect_message(ASSET_BTC "costs:\n  fees: 5\n",
                   "bad.yaml:7: costs.fees: unknown key; allowed: fee_bps, slippage_bps, impact, "
                   "impact_notional");

    expect_error(ASSET_BTC "funding:\n  interval_hours: 0\n",
                 "bad.yaml:7: funding.interval_hours: must be a number in (0, 876000]", "(got 0)");
    expect_error(ASSET_BTC "funding:\n  rate: 2\n", "bad.yaml:7: funding.rate: ",
                 "[-1, 1], the rate per interval");
    expect_message(ASSET_BTC "funding:\n  mode: floating\n",
                   "bad.yaml:7: funding.mode: unknown funding mode \"floating\"; allowed: "
                   "constant, stochastic");
    expect_message(ASSET_BTC "funding:\n  rate: 0.0001\n  beta: 0.1\n",
                   "bad.yaml:8: funding.beta: only used with mode: stochastic; allowed with mode "
                   "constant: interval_hours, rate, mode");
    expect_error(ASSET_BTC "funding: {mode: constant, cap: 0.01}\n",
                 "bad.yaml:6: funding.cap: only used with mode: stochastic", "interval_hours");
    expect_error(ASSET_BTC "funding: {mode: stochastic, noise: -0.001}\n",
                 "bad.yaml:6: funding.noise: must be a number >= 0", "(got -0.001)");
    expect_error(ASSET_BTC "funding: {mode: stochastic, cap: 0}\n",
                 "bad.yaml:6: funding.cap: must be a number in (0, 1]", "(got 0)");

    expect_message(ASSET_BTC "margin:\n  mode: portfolio\n",
                   "bad.yaml:7: margin.mode: unknown margin mode \"portfolio\"; allowed: isolated, "
                   "cross, none");
    expect_error(ASSET_BTC "margin:\n  initial: 0\n", "bad.yaml:7: margin.initial: ",
                 "(0, 1]");
    expect_error(ASSET_BTC "margin:\n  initial: 1.5\n", "bad.yaml:7: margin.initial: ",
                 "(got 1.5)");
    expect_message(ASSET_BTC "margin:\n  initial: 0.05\n  maintenance: 0.05\n",
                   "bad.yaml:8: margin.maintenance: must be a number in [0, initial = 0.05) "
                   "(got 0.05)");
    expect_message(ASSET_BTC "margin:\n  initial: 0.004\n",
                   "bad.yaml:7: margin.initial: must be above margin.maintenance = 0.005 (its "
                   "default; give a lower maintenance) (got 0.004)");
    expect_error(ASSET_BTC "margin:\n  liquidation_fee: -0.01\n",
                 "bad.yaml:7: margin.liquidation_fee: must be a number in [0, 1)", "(got -0.01)");
    mcr_config cfg;
    load_ok(ASSET_BTC "margin: {mode: none, initial: 1, maintenance: 0}\n", &cfg);
    cr_assert_eq(cfg.margin.mode, MCR_MARGIN_NONE);
    cr_assert_eq(cfg.margin.initial, 1.0);
    cr_assert_eq(cfg.margin.maintenance, 0.0);
    mcr_config_free(&cfg);
}

Test(config, scenario_shock_errors)
{
    expect_message(ASSET_BTC "scenarios:\n  - {name: crash, shock: {day: 31, return: -0.3}}\n",
                   "bad.yaml:7: scenarios[0].shock.day: must be a number in [0, 30], the day of "
                   "the move (horizon.days) (got 31)");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: crash\n"
                             "    shock:\n"
                             "      day: 0\n"
                             "      return: -1\n",
                   "bad.yaml:10: scenarios[0].shock.return: must be a number in (-1, 10], the "
                   "simple return of every asset (-0.3: a 30% fall) (got -1)");
    expect_error(ASSET_BTC "scenarios:\n  - name: crash\n    shock: {day: 1}\n",
                 "bad.yaml:8: scenarios[0].shock.return: required key missing", "(-1, 10]");
    expect_error(ASSET_BTC "scenarios:\n  - name: crash\n    shock: {return: -0.2}\n",
                 "bad.yaml:8: scenarios[0].shock.day: required key missing", "horizon.days");
    expect_message(ASSET_BTC "scenarios:\n  - name: crash\n    shock: {day: 1, size: -0.2}\n",
                   "bad.yaml:8: scenarios[0].shock.size: unknown key; allowed: day, return");
    expect_message(ASSET_BTC "scenarios:\n  - {name: calm, vol_multiplier: 0}\n",
                   "bad.yaml:7: scenarios[0].vol_multiplier: must be a number in (0, 10] (got "
                   "0)");
    mcr_config cfg;
    load_ok(ASSET_BTC "scenarios:\n  - {name: late, shock: {day: 30, return: 0.5}}\n", &cfg);
    cr_assert_eq(cfg.scenarios[0].n_shocks, 1);
    cr_assert_eq(cfg.scenarios[0].shocks[0].day, 30.0);
    cr_assert_eq(cfg.scenarios[0].shocks[0].ret, 0.5);
    mcr_config_free(&cfg);
}

Test(config, hedge_examples_load)
{
    mcr_config cfg;
    load_example("hedges.yaml", &cfg);
    static const char *const kinds[] = {"none", "protective_put", "collar", "covered_call",
                                        "put_spread_collar", "perp_hedge", "delta_hedge"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        bool seen = false;
        for (int i = 0; i < cfg.n_strategies; i++)
            seen |= !strcmp(strat_kind(&cfg, i), kinds[k]);
        cr_assert(seen, "strategy kind %s missing from hedges.yaml", kinds[k]);
    }
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_KOU);
    cr_assert_eq(cfg.assets[0].implied_vol.n_term, 3);
    cr_assert_eq(cfg.funding.mode, MCR_FUNDING_STOCHASTIC);
    cr_assert_eq(strcmp(pos_kind(&cfg, 1), "call"), 0);
    mcr_config_free(&cfg);

    /* Hull's replay: the path file resolves next to the config and holds his two paths */
    load_example("hull_replay.yaml", &cfg);
    char expect[600];
    snprintf(expect, sizeof expect, "%s/configs/hull_paths.csv", MCR_SOURCE_DIR);
    cr_assert_str_eq(cfg.assets[0].path_file, expect);
    cr_assert_float_eq(mcr_config_dt(&cfg), 1.0 / 52, 1e-15);
    double *p;
    uint64_t n;
    mcr_error err = {0};
    cr_assert_eq(mcr_path_file_load(cfg.assets[0].path_file, cfg.steps, cfg.assets[0].spot, &p,
                                    &n, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(n, cfg.paths);
    cr_assert_eq(p[20 * n + 0], 57.25, "Table 19.2 ends at 57.25");
    cr_assert_eq(p[20 * n + 1], 48.12, "Table 19.3 ends at 48.12");
    free(p);
    mcr_config_free(&cfg);
}
