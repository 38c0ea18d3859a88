/* Stress scenarios in the config: every scenario key parsed, bad values rejected with the file,
 * line, key and what is allowed, and the built-in historical library (by name, overridden,
 * against its published magnitudes). Their effects on the engine: tests/integration/
 * test_scenarios.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/scenarios_builtin.h"
#include "config_expect.h"
#include "scenario/view.h"

Test(scenarios, every_key_parsed)
{
    static const char yaml[] = ASSET_BTC
        "scenarios:\n"
        "  - name: all\n"
        "    shocks:\n"
        "      - {day: 1, return: -0.2}\n"
        "      - {day: 3, return: -0.15}\n"
        "    vol_multiplier: 1.5\n"
        "    jump_multiplier: 0\n"
        "    implied_vol_shift: 0.2\n"
        "    skew_shift: -0.3\n"
        "    funding_path:\n"
        "      - {from_day: 0, rate: -0.001}\n"
        "      - {from_day: 2.5, rate: 0.0002}\n"
        "    slippage_multiplier: 5\n"
        "    impact_multiplier: 2.5\n"
        "    no_rebalance: {from_day: 1, to_day: 1.5}\n"
        "    depeg: {from_day: 2, to_day: 4, price: 0.9}\n"
        "  - {name: one, shock: {day: 2, return: 0.1}, funding_shift: -0.0005,\n"
        "     no_rebalance: {from_day: 10}, depeg: {from_day: 29, price: 0.5}}\n"
        "  - {name: plain}\n";
    mcr_config cfg;
    load_ok(yaml, &cfg);
    cr_assert_eq(cfg.n_scenarios, 3);
    const mcr_scenario *s = &cfg.scenarios[0];
    cr_assert_str_eq(s->use, "");
    cr_assert_eq(s->n_shocks, 2);
    cr_assert_eq(s->shocks[0].day, 1.0);
    cr_assert_eq(s->shocks[0].ret, -0.2);
    cr_assert_eq(s->shocks[1].day, 3.0);
    cr_assert_eq(s->shocks[1].ret, -0.15);
    cr_assert_eq(s->vol_multiplier, 1.5);
    cr_assert(s->has_jump_multiplier);
    cr_assert_eq(s->jump_multiplier, 0.0);
    cr_assert_eq(s->implied_vol_shift, 0.2);
    cr_assert_eq(s->skew_shift, -0.3);
    cr_assert_eq(s->funding_shift, 0.0);
    cr_assert_eq(s->n_funding_path, 2);
    cr_assert_eq(s->funding_path[0].from_day, 0.0);
    cr_assert_eq(s->funding_path[0].rate, -0.001);
    cr_assert_eq(s->funding_path[1].from_day, 2.5);
    cr_assert_eq(s->funding_path[1].rate, 0.0002);
    cr_assert_eq(s->slippage_multiplier, 5.0);
    cr_assert_eq(s->impact_multiplier, 2.5);
    cr_assert(s->has_no_rebalance);
    cr_assert_eq(s->no_rebalance.from_day, 1.0);
    cr_assert_eq(s->no_rebalance.to_day, 1.5);
    cr_assert(s->has_depeg);
    cr_assert_eq(s->depeg.from_day, 2.0);
    cr_assert_eq(s->depeg.to_day, 4.0);
    cr_assert_eq(s->depeg_price, 0.9);

    s = &cfg.scenarios[1]; /* the one-leg form, a shift, windows to the horizon */
    cr_assert_eq(s->n_shocks, 1);
    cr_assert_eq(s->shocks[0].day, 2.0);
    cr_assert_eq(s->shocks[0].ret, 0.1);
    cr_assert_eq(s->funding_shift, -0.0005);
    cr_assert_eq(s->n_funding_path, 0);
    cr_assert_eq(s->no_rebalance.from_day, 10.0);
    cr_assert_eq(s->no_rebalance.to_day, 30.0);
    cr_assert_eq(s->depeg.to_day, 30.0);
    cr_assert_eq(s->depeg_price, 0.5);

    s = &cfg.scenarios[2]; /* neutral defaults */
    cr_assert_eq(s->n_shocks, 0);
    cr_assert_eq(s->vol_multiplier, 1.0);
    cr_assert_not(s->has_jump_multiplier);
    cr_assert_eq(s->implied_vol_shift, 0.0);
    cr_assert_eq(s->skew_shift, 0.0);
    cr_assert_eq(s->funding_shift, 0.0);
    cr_assert_eq(s->n_funding_path, 0);
    cr_assert_eq(s->slippage_multiplier, 1.0);
    cr_assert_eq(s->impact_multiplier, 1.0);
    cr_assert_not(s->has_no_rebalance);
    cr_assert_not(s->has_depeg);
    cr_assert_eq(s->cholesky[0][0], 1.0);
    mcr_config_free(&cfg);
}

Test(scenarios, scenario_views)
{
    mcr_config cfg;
    load_ok("horizon: {days: 10, steps: 40}\n"
            "market:\n"
            "  assets:\n"
            "    - name: BTC\n"
            "      spot: 100\n"
            "      model: {type: bates, v0: 0.36, kappa: 2, theta: 0.25, xi: 0.5, rho: -0.5,\n"
            "              jump_intensity: 5, jump_mean: -0.1, jump_std: 0.2}\n"
            "      implied_vol: {skew: -0.1, term: [{days: 7, atm: 0.7}, {days: 30, atm: 0.6}]}\n"
            "scenarios:\n"
            "  - {name: s, vol_multiplier: 2, jump_multiplier: 3, implied_vol_shift: 0.1,\n"
            "     skew_shift: -0.2}\n",
            &cfg);
    mcr_model m = mcr_scenario_model(&cfg, 0, 0);
    cr_assert_float_eq(m.bates.heston.v0, 0.36 * 4, 1e-15);
    cr_assert_float_eq(m.bates.heston.theta, 0.25 * 4, 1e-15);
    cr_assert_float_eq(m.bates.heston.xi, 1.0, 1e-15);
    cr_assert_eq(m.bates.heston.kappa, 2.0);
    cr_assert_eq(m.bates.jump_intensity, 15.0);
    cr_assert_eq(m.bates.jump_mean, -0.1);
    mcr_vol_surface v = mcr_scenario_surface(&cfg, 0, 0);
    cr_assert_float_eq(v.term[0].atm, 0.8, 1e-15);
    cr_assert_float_eq(v.term[1].atm, 0.7, 1e-15);
    cr_assert_float_eq(v.skew, -0.3, 1e-15);
    /* the step grid of windows: step t is at t x 0.25 days */
    cr_assert_eq(mcr_config_step_at(&cfg, 0.0), 0);
    cr_assert_eq(mcr_config_step_at(&cfg, 0.25), 1);
    cr_assert_eq(mcr_config_step_at(&cfg, 0.3), 2);
    cr_assert_eq(mcr_config_step_at(&cfg, 9.99), 40);
    cr_assert_eq(mcr_config_step_at(&cfg, 10.0), 41);
    mcr_config_free(&cfg);
}

Test(scenarios, shock_errors)
{
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: two\n"
                             "    shocks:\n"
                             "      - {day: 3, return: -0.2}\n"
                             "      - {day: 2, return: -0.1}\n",
                   "bad.yaml:10: scenarios[0].shocks[1].day: must be a number in (3, 30], the "
                   "day of the move, after the previous leg's (3): legs are in time order "
                   "(horizon.days) (got 2)");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: late\n"
                             "    shocks: [{day: 1, return: -0.2}, {day: 31, return: 0.1}]\n",
                   "bad.yaml:8: scenarios[0].shocks[1].day: must be a number in (1, 30], the day "
                   "of the move, after the previous leg's (1): legs are in time order "
                   "(horizon.days) (got 31)");
    expect_error(ASSET_BTC "scenarios:\n"
                           "  - name: x\n"
                           "    shocks:\n"
                           "      - {day: 1}\n",
                 "bad.yaml:9: scenarios[0].shocks[0].return: required key missing", "(-1, 10]");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    shocks:\n"
                             "      - {day: 1, return: -1.5}\n",
                   "bad.yaml:9: scenarios[0].shocks[0].return: must be a number in (-1, 10], the "
                   "simple return of every asset (-0.3: a 30% fall) (got -1.5)");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    shock: {day: 1, return: -0.1}\n"
                             "    shocks: [{day: 2, return: -0.1}]\n",
                   "bad.yaml:9: scenarios[0].shocks: give shock (one leg) or shocks (a list of "
                   "legs), not both");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    shocks: [{day: 1, return: -0.1, when: 2}]\n",
                   "bad.yaml:8: scenarios[0].shocks[0].when: unknown key; allowed: day, return");
    expect_error(ASSET_BTC "scenarios:\n"
                           "  - name: nine\n"
                           "    shocks: [{day: 1, return: 0}, {day: 2, return: 0},\n"
                           "             {day: 3, return: 0}, {day: 4, return: 0},\n"
                           "             {day: 5, return: 0}, {day: 6, return: 0},\n"
                           "             {day: 7, return: 0}, {day: 8, return: 0},\n"
                           "             {day: 9, return: 0}]\n",
                 "bad.yaml:8: scenarios[0].shocks: too many entries (got 9)", "at most 8");
    expect_error(ASSET_BTC "scenarios:\n  - {name: x, shocks: -0.3}\n",
                 "bad.yaml:7: scenarios[0].shocks: expected a list", "");
}

Test(scenarios, multiplier_and_shift_errors)
{
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, jump_multiplier: -1}\n",
                   "bad.yaml:7: scenarios[0].jump_multiplier: must be a number in [0, 100] "
                   "(got -1)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, slippage_multiplier: 0}\n",
                   "bad.yaml:7: scenarios[0].slippage_multiplier: must be a number in (0, "
                   "1000] (got 0)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, impact_multiplier: 1001}\n",
                   "bad.yaml:7: scenarios[0].impact_multiplier: must be a number in (0, 1000] "
                   "(got 1001)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, implied_vol_shift: 6}\n",
                   "bad.yaml:7: scenarios[0].implied_vol_shift: must be a number in [-5, 5], "
                   "vol points / 100 (0.2: 20 vol points) (got 6)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, skew_shift: yes}\n",
                   "bad.yaml:7: scenarios[0].skew_shift: expected a number (got \"yes\")");
    /* ranges of the result: the surface (atm 0.8 here), the model, the costs */
    expect_error(ASSET_BTC "scenarios:\n  - {name: x, implied_vol_shift: -0.8}\n",
                 "bad.yaml:7: scenarios[0].implied_vol_shift: makes BTC's implied-vol surface "
                 "invalid: market.assets[0].implied_vol.atm", "(0, 10]");
    expect_error(ASSET_BTC "scenarios:\n  - {name: x, skew_shift: -5.5}\n",
                 "bad.yaml:7: scenarios[0].skew_shift: makes BTC's implied-vol surface "
                 "invalid: market.assets[0].implied_vol.skew", "[-5, 5]");
    expect_error("horizon: {days: 30, steps: 3}\n"
                 "market:\n"
                 "  assets:\n"
                 "    - name: BTC\n"
                 "      spot: 100\n"
                 "      model: {type: merton, sigma: 0.5, jump_intensity: 300, jump_mean: 0,\n"
                 "              jump_std: 0.1}\n"
                 "scenarios:\n"
                 "  - name: x\n"
                 "    jump_multiplier: 3\n",
                 "bad.yaml:10: scenarios[0].jump_multiplier: makes BTC's model invalid: "
                 "market.assets[0].model.jump_intensity", "use more steps");
    expect_error(ASSET_BTC "costs: {slippage_bps: 100}\n"
                           "scenarios:\n  - {name: x, slippage_multiplier: 200}\n",
                 "bad.yaml:8: scenarios[0].slippage_multiplier: makes slippage 20000 bps",
                 "at most 10000");
    expect_error(ASSET_BTC "funding: {rate: 0.5}\n"
                           "scenarios:\n  - {name: x, funding_shift: 0.6}\n",
                 "bad.yaml:8: scenarios[0].funding_shift: makes the funding rate 1.1",
                 "[-1, 1]");
}

Test(scenarios, funding_and_window_errors)
{
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, funding_shift: 2}\n",
                   "bad.yaml:7: scenarios[0].funding_shift: must be a number in [-1, 1], per "
                   "interval (got 2)");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    funding_shift: 0.001\n"
                             "    funding_path: [{from_day: 0, rate: 0.001}]\n",
                   "bad.yaml:9: scenarios[0].funding_path: give funding_shift or funding_path, "
                   "not both");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    funding_path:\n"
                             "      - {from_day: 2, rate: 0.001}\n"
                             "      - {from_day: 2, rate: 0.002}\n",
                   "bad.yaml:10: scenarios[0].funding_path[1].from_day: must be a number in (2, "
                   "30], the day the rate starts, after the previous piece's (2) (horizon.days) "
                   "(got 2)");
    expect_error(ASSET_BTC "scenarios:\n"
                           "  - name: x\n"
                           "    funding_path:\n"
                           "      - {from_day: 2}\n",
                 "bad.yaml:9: scenarios[0].funding_path[0].rate: required key missing", "[-1, 1]");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    funding_path: [{from_day: 1, rate: -1.5}]\n",
                   "bad.yaml:8: scenarios[0].funding_path[0].rate: must be a number in [-1, 1], "
                   "the funding rate per interval (0.0001 = 0.01%; positive: longs pay shorts) "
                   "(got -1.5)");
    expect_error(ASSET_BTC "scenarios:\n  - {name: x, no_rebalance: {to_day: 3}}\n",
                 "bad.yaml:7: scenarios[0].no_rebalance.from_day: required key missing",
                 "the day the window opens");
    expect_message(ASSET_BTC "scenarios:\n"
                             "  - name: x\n"
                             "    no_rebalance:\n"
                             "      from_day: 3\n"
                             "      to_day: 2\n",
                   "bad.yaml:10: scenarios[0].no_rebalance.to_day: must be a number in "
                   "(from_day = 3, 30], the day the window closes (horizon.days; default: the "
                   "horizon) (got 2)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, no_rebalance: {from_day: 30}}\n",
                   "bad.yaml:7: scenarios[0].no_rebalance.from_day: must be a number in [0, 30), "
                   "before the horizon (horizon.days) (got 30)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, no_rebalance: {from_day: 1, price: 1}}\n",
                   "bad.yaml:7: scenarios[0].no_rebalance.price: unknown key; allowed: from_day, "
                   "to_day");
    expect_error(ASSET_BTC "scenarios:\n  - {name: x, depeg: {from_day: 1}}\n",
                 "bad.yaml:7: scenarios[0].depeg.price: required key missing", "(0, 1]");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, depeg: {from_day: 1, price: 1.2}}\n",
                   "bad.yaml:7: scenarios[0].depeg.price: must be a number in (0, 1], the "
                   "collateral's value in dollars (0.9: 10% below its peg) (got 1.2)");
    expect_message(ASSET_BTC "scenarios:\n  - {name: x, depeg: {from_day: -1, price: 0.5}}\n",
                   "bad.yaml:7: scenarios[0].depeg.from_day: must be a number in [0, 30], the "
                   "day the window opens (horizon.days) (got -1)");
}

/* ---- config: the built-in library ---- */

Test(scenarios, builtin_by_name_and_overridden)
{
    mcr_config cfg;
    load_ok(ASSET_BTC "scenarios:\n"
                      "  - {name: my_bt, use: black_thursday}\n"
                      "  - name: bt_calm\n"
                      "    use: black_thursday\n"
                      "    shocks: [{day: 1, return: -0.1}]\n"
                      "    funding_shift: 0.0002\n"
                      "    vol_multiplier: 1.2\n"
                      "  - {name: my_ftx, use: ftx,\n"
                      "     depeg: {from_day: 2, to_day: 3, price: 0.97}}\n",
            &cfg);
    const mcr_builtin_scenario *bt = mcr_builtin_scenario_find("black_thursday");
    cr_assert_not_null(bt);
    const mcr_scenario *s = &cfg.scenarios[0];
    cr_assert_str_eq(s->name, "my_bt");
    cr_assert_str_eq(s->use, "black_thursday");
    cr_assert_eq(s->n_shocks, bt->s.n_shocks);
    for (int k = 0; k < s->n_shocks; k++) {
        cr_assert_eq(s->shocks[k].day, bt->s.shocks[k].day);
        cr_assert_eq(s->shocks[k].ret, bt->s.shocks[k].ret);
    }
    cr_assert_eq(s->vol_multiplier, bt->s.vol_multiplier);
    cr_assert_eq(s->slippage_multiplier, 5.0);
    cr_assert_eq(s->n_funding_path, bt->s.n_funding_path);
    cr_assert(s->has_no_rebalance);
    cr_assert_eq(s->cholesky[0][0], 1.0, "the market's correlation is inherited");

    s = &cfg.scenarios[1]; /* overrides: legs, the funding group, one multiplier */
    cr_assert_str_eq(s->name, "bt_calm");
    cr_assert_eq(s->n_shocks, 1);
    cr_assert_eq(s->shocks[0].ret, -0.1);
    cr_assert_eq(s->funding_shift, 0.0002);
    cr_assert_eq(s->n_funding_path, 0, "funding_shift replaces the built-in's funding path");
    cr_assert_eq(s->vol_multiplier, 1.2);
    cr_assert_eq(s->implied_vol_shift, bt->s.implied_vol_shift, "the rest stays");
    cr_assert_eq(s->slippage_multiplier, bt->s.slippage_multiplier);

    s = &cfg.scenarios[2]; /* ftx: windows to the horizon; its depeg replaced */
    cr_assert(s->has_no_rebalance);
    cr_assert_eq(s->no_rebalance.to_day, 30.0);
    cr_assert_eq(s->depeg.from_day, 2.0);
    cr_assert_eq(s->depeg.to_day, 3.0);
    cr_assert_eq(s->depeg_price, 0.97);
    mcr_config_free(&cfg);

    expect_message(ASSET_BTC "scenarios:\n  - {name: x, use: covid}\n",
                   "bad.yaml:7: scenarios[0].use: unknown built-in scenario \"covid\"; allowed: "
                   "black_thursday, luna, ftx");
    expect_message("horizon: {days: 2, steps: 48}\n" ASSET_BTC
                   "scenarios:\n  - {name: x, use: luna}\n",
                   "bad.yaml:8: scenarios[0].use: luna acts until day 9 (a price leg, funding "
                   "change or window), beyond horizon.days = 2; allowed: a horizon of at least 9 "
                   "days, or override those keys beside use");
    /* overriding what reaches beyond the horizon makes it fit */
    load_ok("horizon: {days: 2, steps: 48}\n" ASSET_BTC
            "scenarios:\n"
            "  - {name: x, use: black_thursday, funding_shift: 0, shocks: []}\n",
            &cfg);
    cr_assert_eq(cfg.scenarios[0].n_shocks, 0);
    mcr_config_free(&cfg);
}

/* The table against the published prices its comments cite (rounded, hence 2%). */
Test(scenarios, builtin_table)
{
    char names[128] = "";
    for (int i = 0; i < mcr_builtin_scenario_count(); i++) {
        const mcr_builtin_scenario *b = mcr_builtin_scenario_at(i);
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                 b->name);
        cr_assert_eq(mcr_builtin_scenario_find(b->name), b);
        for (int k = 1; k < b->s.n_shocks; k++)
            cr_assert_gt(b->s.shocks[k].day, b->s.shocks[k - 1].day, "%s", b->name);
        /* each loads under the default 30-day horizon */
        char yaml[512];
        snprintf(yaml, sizeof yaml, ASSET_BTC "scenarios:\n  - {name: s, use: %s}\n", b->name);
        mcr_config cfg;
        load_ok(yaml, &cfg);
        mcr_config_free(&cfg);
    }
    cr_assert_str_eq(names, mcr_builtin_scenario_names());
    cr_assert_null(mcr_builtin_scenario_find("nope"));

    struct {
        const char *name;
        int legs;        /* the legs up to the price below */
        double s0, s;    /* published: price at t0, price after `legs` legs */
    } published[] = {
        {"black_thursday", 2, 7900, 3900},  /* Coin Metrics low, 13 March 2020 */
        {"black_thursday", 3, 7900, 5560},  /* 13 March close */
        {"luna", 2, 39700, 30300},          /* 9 May 2022 close */
        {"luna", 3, 39700, 26700},          /* 12 May low */
        {"ftx", 2, 20900, 15900},           /* 9 November 2022 close */
    };
    for (size_t j = 0; j < sizeof published / sizeof published[0]; j++) {
        const mcr_builtin_scenario *b = mcr_builtin_scenario_find(published[j].name);
        double x = published[j].s0;
        for (int k = 0; k < published[j].legs; k++)
            x *= 1 + b->s.shocks[k].ret;
        cr_assert(fabs(x / published[j].s - 1) < 0.02, "%s after %d legs: %g against %g",
                  published[j].name, published[j].legs, x, published[j].s);
    }
}

Test(scenarios, stress_example_loads)
{
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_file(MCR_SOURCE_DIR "/configs/stress.yaml", &cfg, &err), MCR_OK,
                 "%s", err.msg);
    cr_assert_geq(cfg.n_scenarios, 5);
    const char *want[] = {"base", "black_thursday", "luna", "ftx"};
    for (int k = 0; k < 4; k++) {
        bool seen = false;
        for (int s = 0; s < cfg.n_scenarios; s++)
            seen |= strcmp(cfg.scenarios[s].name, want[k]) == 0;
        cr_assert(seen, "stress.yaml lacks scenario %s", want[k]);
    }
    bool multi_leg = false;
    for (int s = 0; s < cfg.n_scenarios; s++)
        multi_leg |= cfg.scenarios[s].use[0] == 0 && cfg.scenarios[s].n_shocks >= 2;
    cr_assert(multi_leg, "stress.yaml has no custom multi-leg scenario");
    mcr_config_free(&cfg);
}
