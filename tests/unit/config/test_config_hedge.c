/* Config loader, the hedge part: implied-vol surfaces, path files, options in the book,
 * strategies, costs, funding, margin and scenario shocks: values, defaults and errors. */
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
                   "call, put, amm_lp");
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
                   "instrument, asset, quantity, venue, yield");
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1, "
                           "expiry_days: 3}\n",
                 "bad.yaml:7: portfolio[0].expiry_days: not a key of instrument spot",
                 "instrument, asset, quantity");
    expect_error(ASSET_BTC "portfolio:\n  - {asset: BTC, quantity: 1, maturity: 3}\n",
                 "bad.yaml:7: portfolio[0].maturity: unknown key",
                 "allowed: instrument, asset, quantity, venue");
}

/* ASSET_BTC, a long-spot book, and one strategy at line 8 */
#define BOOK_AND(strategy)                                                                         \
    ASSET_BTC "portfolio: [{asset: BTC, quantity: 1}]\nstrategies:\n" strategy

Test(config, strategy_keys_per_type)
{
    expect_message(BOOK_AND("  - {name: p, type: perp_hedge, strike: 0.9}\n"),
                   "bad.yaml:8: strategies[0].strike: not a key of strategy type perp_hedge; "
                   "allowed: name, type, asset, contract, hedge_ratio, objective, level, "
                   "pilot_paths, max_ratio, hedge_asset, beta, "
                   "collateral_yield, reopen, venue, onchain");
    expect_message(BOOK_AND("  - {name: p, type: protective_put, strike: 0.9, hedge_ratio: 1}\n"),
                   "bad.yaml:8: strategies[0].hedge_ratio: not a key of strategy type "
                   "protective_put; allowed: name, type, asset, strike, expiry_days, quantity, "
                   "settlement, roll, venue");
    expect_message(BOOK_AND("  - {name: c, type: collar, put_strike: 0.9, strike: 1.1}\n"),
                   "bad.yaml:8: strategies[0].strike: not a key of strategy type collar; allowed: "
                   "name, type, asset, put_strike, call_strike, expiry_days, quantity, settlement, "
                   "roll, venue");
    expect_message(BOOK_AND("  - {name: c, type: covered_call, strike: 1.1, put_strike: 0.9}\n"),
                   "bad.yaml:8: strategies[0].put_strike: not a key of strategy type covered_call; "
                   "allowed: name, type, asset, strike, expiry_days, quantity, settlement, roll, "
                   "venue");
    expect_message(BOOK_AND("  - {name: c, type: put_spread_collar, put_strike: 0.9,\n"
                            "     lower_put_strike: 0.8, contract: linear}\n"),
                   "bad.yaml:9: strategies[0].contract: not a key of strategy type "
                   "put_spread_collar; allowed: name, type, asset, put_strike, lower_put_strike, "
                   "call_strike, expiry_days, quantity, settlement, roll, venue");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, contract: linear}\n"),
                   "bad.yaml:8: strategies[0].contract: not a key of strategy type "
                   "delta_hedge; allowed: name, type, asset, instrument, rebalance, "
                   "hedge_ratio, objective, level, pilot_paths, max_ratio, hedge_asset, beta, "
                   "collateral_yield, reopen, venue, onchain");
    expect_message(BOOK_AND("  - {name: n, type: none, rebalance: {band: 1}}\n"),
                   "bad.yaml:8: strategies[0].rebalance: not a key of strategy type none; "
                   "allowed: name, type, asset");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, every_steps: 4}\n"),
                   "bad.yaml:8: strategies[0].every_steps: unknown key; allowed: name, type, "
                   "asset, instrument, rebalance, hedge_ratio, objective, level, pilot_paths, "
                   "max_ratio, hedge_asset, beta, "
                   "collateral_yield, reopen, venue, onchain");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {daily: true}}\n"),
                   "bad.yaml:8: strategies[0].rebalance.daily: unknown key; allowed: every_steps, "
                   "every_hours, band, band_pct");
    expect_error(BOOK_AND("  - {name: d, type: delta_hedge, hedge_ratio: full}\n"),
                 "bad.yaml:8: strategies[0].hedge_ratio: must be a number or optimize",
                 "\"full\"");
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
                            "every_hours: 8}}\n"),
                   "bad.yaml:8: strategies[0].rebalance: give one schedule, every_steps or "
                   "every_hours, not both (a band may go with either)");
    expect_message(BOOK_AND("  - {name: d, type: delta_hedge, rebalance: {band: 0.1, "
                            "band_pct: 0.05}}\n"),
                   "bad.yaml:8: strategies[0].rebalance: give one band, band or band_pct, not "
                   "both (a schedule may go with either)");
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
                 "allowed keys: every_steps, every_hours, band, band_pct");
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
                   "impact_notional, close_at_horizon, borrow_rate, gas_per_tx, option_fee");

    expect_error(ASSET_BTC "funding:\n  interval_hours: 0\n",
                 "bad.yaml:7: funding.interval_hours: must be a number in (0, 876000]", "(got 0)");
    expect_error(ASSET_BTC "funding:\n  rate: 2\n", "bad.yaml:7: funding.rate: ",
                 "[-1, 1], the rate per interval");
    expect_message(ASSET_BTC "funding:\n  mode: floating\n",
                   "bad.yaml:7: funding.mode: unknown funding mode \"floating\"; allowed: "
                   "constant, premium, stochastic");
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
                                    &n, NULL, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(n, cfg.paths);
    cr_assert_eq(p[20 * n + 0], 57.25, "Table 19.2 ends at 57.25");
    cr_assert_eq(p[20 * n + 1], 48.12, "Table 19.3 ends at 48.12");
    free(p);
    mcr_config_free(&cfg);
}
