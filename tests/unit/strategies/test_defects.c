/* Regression tests of the mechanics a review found wrong, each on replayed paths against a hand
 * computation: funding paid at every funding time of a step; cross margin charging the book's
 * coins before forgiving a deficit; a short spot book under cross margin; the inverse
 * perpetual's target counting its coin collateral; collateral yield only on posted margin; a
 * zero-cost collar whose solved call would sit at or below its put. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strategy_replay.h"

/* Daily steps, 8-hour funding: three funding times a step, each paid. A short perpetual hedging
 * 1 BTC on a flat 100 at 1e-4 per interval earns 30 days x 3 x 100 x 1e-4 = 0.90. */
Test(defects, funding_paid_at_every_funding_time_of_a_step)
{
    mcr_config c = config_of((setup){.spot = 100, .sigma = 0.8, .days = 30, .steps = 30,
                                     .book = "[{asset: BTC, quantity: 1}]",
                                     .strategies = "[{name: perp, type: perp_hedge}]",
                                     .funding = "{interval_hours: 8, rate: 0.0001}"});
    double flat[31];
    ramp(flat, 30, 100, 0);
    outputs o;
    replay(&c, flat, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], 30 * 3 * 100 * 1e-4, 1e-12);
    mcr_config_free(&c);

    /* 16-hour steps: two funding times in every step, at rates of their own pieces */
    c = config_of((setup){.spot = 100, .sigma = 0.8, .days = 2, .steps = 3,
                          .book = "[{asset: BTC, quantity: 1}]",
                          .strategies = "[{name: perp, type: perp_hedge}]",
                          .funding = "{interval_hours: 8, rate: 0.0001}"});
    double path[4] = {100, 110, 120, 130};
    replay(&c, path, &o);
    /* step 1 (0h, 16h]: funding at 8h and 16h on S = 110; step 2: 24h, 32h on 120; step 3: 40h,
     * 48h on 130 */
    cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], 2e-4 * (110 + 120 + 130), 1e-12);
    mcr_config_free(&c);
}

/* Stochastic funding with daily steps draws one noise per funding time and shares the step's log
 * return evenly among its funding times: with noise 0 each rate is rate + beta ln(S_t/S_t-1) / 3,
 * clamped. */
Test(defects, stochastic_funding_per_funding_time)
{
    mcr_config c = config_of((setup){.spot = 100, .sigma = 0.8, .days = 3, .steps = 3,
                                     .book = "[{asset: BTC, quantity: 1}]",
                                     .strategies = "[{name: perp, type: perp_hedge}]",
                                     .funding = "{interval_hours: 8, rate: 0.0001, mode: "
                                                "stochastic, beta: 0.01, cap: 0.0008}"});
    double path[4] = {100, 90, 95, 70};
    outputs o;
    replay(&c, path, &o);
    double expected = 0;
    for (int t = 1; t <= 3; t++) {
        double r = 1e-4 + 0.01 * log(path[t] / path[t - 1]) / 3;
        r = r > 0.0008 ? 0.0008 : (r < -0.0008 ? -0.0008 : r);
        expected += 3 * r * path[t]; /* short 1: receives S x rate at each of 3 funding times */
    }
    cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], expected, 1e-13);
    /* the first two steps inside the cap, the crash of the third clamped */
    cr_assert_float_eq(expected, 3 * (1e-4 + 0.01 * log(0.9) / 3) * 90 +
                                     3 * (1e-4 + 0.01 * log(95.0 / 90) / 3) * 95 -
                                     3 * 0.0008 * 70, 1e-13);
    mcr_config_free(&c);
}

/* Cross margin: 1 BTC held at 100, 5 BTC of perpetual sold against it with 50 of margin. BTC
 * doubles in one step: the account is 50 - 500 = -450. The book's coin (worth 200) pays 200 of
 * that deficit and only 250 is forgiven; the trader ends with no coin and no margin: P&L
 * -100 (the coin held at 100) - 50 (the margin) = -150. (Forgiving the whole deficit beyond the
 * account would have given +50.) */
Test(defects, cross_margin_pays_the_deficit_with_the_books_coins)
{
    mcr_config c = config_of((setup){
        .spot = 100, .sigma = 0.8, .days = 1, .steps = 2, .book = "[{asset: BTC, quantity: 1}]",
        .strategies = "[{name: perp, type: perp_hedge, hedge_ratio: 5}]",
        .margin = "{mode: cross, initial: 0.1, maintenance: 0.005, liquidation_fee: 0}"});
    double path[3] = {100, 200, 200};
    outputs o;
    replay(&c, path, &o);
    cr_assert_eq(o.liq[0][0], 1);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 100.0, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -250.0, 1e-9);
    cr_assert_float_eq(o.pnl[0][0], -150.0, 1e-9);
    mcr_config_free(&c);
}

/* A short spot book hedged with a long perpetual under cross margin: the short's sale proceeds
 * count, so on a flat path nothing is liquidated (it was, at step 1, when only the short's
 * negative value counted), and on a fall the long perpetual that isolated margin liquidates
 * survives: cross margin is never worse than isolated. */
Test(defects, cross_margin_with_a_short_spot_book)
{
    setup u = {.spot = 100, .sigma = 0.8, .days = 1, .steps = 20,
               .book = "[{asset: BTC, quantity: -1}]",
               .strategies = "[{name: perp, type: perp_hedge}]",
               .margin = "{mode: cross, initial: 0.1, maintenance: 0.005, liquidation_fee: 0}"};
    double flat[21], fall[21];
    ramp(flat, 20, 100, 0);
    ramp(fall, 20, 100, -1);
    outputs cross_flat, cross_fall, iso_fall;
    mcr_config c = config_of(u);
    replay(&c, flat, &cross_flat);
    replay(&c, fall, &cross_fall);
    mcr_config_free(&c);
    u.margin = "{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0}";
    c = config_of(u);
    replay(&c, fall, &iso_fall);
    mcr_config_free(&c);
    cr_assert_eq(cross_flat.liq[0][0], -1);
    cr_assert_float_eq(cross_flat.pnl[0][0], 0.0, 1e-12);
    /* isolated: long 1 perp with 10 of margin, liquidated when 10 - (100 - S) < 0.005 S, i.e.
     * S < 90.45: at step 10 (S = 90); the loss stops at the margin: -10 on the hedge, +20 on the
     * short book at S = 80 */
    cr_assert_eq(iso_fall.liq[0][0], 10);
    cr_assert_float_eq(iso_fall.pnl[0][0], 20 - 10, 1e-9);
    /* cross: the short's proceeds less its value, 100 - S, carry the account: fully hedged */
    cr_assert_eq(cross_fall.liq[0][0], -1);
    cr_assert_float_eq(cross_fall.pnl[0][0], 0.0, 1e-9);
}

/* The inverse-perpetual delta hedge counts the coin it posts as margin: on a flat path with no
 * costs a band hedge trades once (the contract and the coin together hold -1 BTC of delta, so
 * the net delta stays 0, inside any band), and a static inverse perp_hedge holds the same: its
 * net delta, book included, is 0. Without the coin in the target the net delta was +0.1 (the
 * initial margin) and a band of 0.05 traded again. */
Test(defects, inverse_perp_target_counts_its_collateral)
{
    mcr_config c = config_of((setup){
        .spot = 100, .sigma = 0.8, .days = 1, .steps = 24, .book = "[{asset: BTC, quantity: 1}]",
        .strategies = "[{name: band, type: delta_hedge, instrument: inverse_perp,\n"
                      "  rebalance: {band: 0.05}},\n"
                      " {name: static, type: perp_hedge, contract: inverse}]",
        .margin = "{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0}"});
    double flat[25];
    ramp(flat, 24, 100, 0);
    outputs o;
    replay(&c, flat, &o);
    cr_assert_eq(o.trades[0][0], 1u, "the band hedge traded %u times", o.trades[0][0]);
    for (int s = 0; s < 2; s++) {
        cr_assert(fabs(o.greeks[s][0][0]) < 1e-12, "%s: net delta %g", c.strategies[s].name,
                  o.greeks[s][0][0]);
        cr_assert(fabs(o.pnl[s][0]) < 1e-9, "%s: P&L %g on a flat path", c.strategies[s].name,
                  o.pnl[s][0]);
    }
    mcr_config_free(&c);
}

/* collateral_yield accrues on posted margin only: nothing without margin, and nothing on an
 * account in deficit. With isolated margin on a flat path it is yield x dt x the margin of 10 at
 * each of 30 daily steps. */
Test(defects, collateral_yield_only_on_posted_margin)
{
    setup u = {.spot = 100, .sigma = 0.8, .days = 30, .steps = 30,
               .book = "[{asset: BTC, quantity: 1}]",
               .strategies = "[{name: perp, type: perp_hedge, collateral_yield: 0.03}]"};
    double flat[31];
    ramp(flat, 30, 100, 0);
    outputs o;
    mcr_config c = config_of(u); /* margin: none */
    replay(&c, flat, &o);
    cr_assert_eq(o.comp[0][MCR_PNL_YIELD][0], 0.0);
    mcr_config_free(&c);
    u.margin = "{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0}";
    c = config_of(u);
    replay(&c, flat, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_YIELD][0], 30 * 0.03 / 365 * 10, 1e-12);
    /* a jump to 200 at step 1 leaves the account at 10 - 100 < 0 before its liquidation: no
     * yield on it */
    double jump[31];
    ramp(jump, 30, 200, 0);
    jump[0] = 100;
    replay(&c, jump, &o);
    cr_assert_eq(o.liq[0][0], 1);
    cr_assert_eq(o.comp[0][MCR_PNL_YIELD][0], 0.0);
    mcr_config_free(&c);
}

/* A collar whose call, solved for zero cost, would be struck at or below its put is refused
 * with the solved strike: an in-the-money put costs more than any call above it pays. */
Test(defects, zero_cost_call_below_the_put_is_refused)
{
    static const char yaml[] =
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8},\n"
        "       implied_vol: {atm: 0.8, skew: -0.5}}\n"
        "strategies:\n"
        "  - {name: c, type: collar, put_strike: 1.02}\n";
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "bad.yaml:6: strategies[0].call_strike: auto solves to "),
                       "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "not above put_strike = 1.02"), "%s", err.msg);
    /* an explicit call strike above the put is accepted: the collar then costs a premium */
    static const char ok[] =
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8},\n"
        "       implied_vol: {atm: 0.8, skew: -0.5}}\n"
        "strategies:\n"
        "  - {name: c, type: collar, put_strike: 1.02, call_strike: 1.3}\n";
    cr_assert_eq(mcr_config_load_string(ok, "ok.yaml", &c, &err), MCR_OK, "%s", err.msg);
    mcr_config_free(&c);
}
