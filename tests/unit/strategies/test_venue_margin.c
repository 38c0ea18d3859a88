/* Venue margin (issue 12, items 3 and 4) on replayed paths against hand computations: Binance's
 * tiered maintenance moves the liquidation step of a short perpetual on a ramp to the tiered
 * price, reported at t0; an exchange-style liquidation loses exactly the isolated account; the
 * insurance fund pays the deficit of a gap; and the keys' errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/margin_tiers.h"
#include "strategy_replay.h"

/* Binance's first four USD(S)-M BTCUSDT tiers, amounts from the continuity rule (0, 50, 2,550,
 * 122,550). */
#define TIERS "[{notional_max: 50000, maintenance: 0.004}, {notional_max: 500000, " \
              "maintenance: 0.005}, {notional_max: 8000000, maintenance: 0.01}, " \
              "{notional_max: 50000000, maintenance: 0.025}]"

/* A book of 10 BTC at 50,000 hedged by a static short linear perpetual with 10% initial margin
 * (50,000 USD), on a path rising `slope` a step for `steps` steps. */
static void short_perp(const char *margin, int steps, double slope, outputs *o)
{
    mcr_config c = config_of((setup){.spot = 50000, .sigma = 0.8, .days = 30, .steps = steps,
                                     .book = "[{asset: BTC, quantity: 10}]",
                                     .strategies = "[{name: perp, type: perp_hedge}]",
                                     .margin = margin});
    static double path[1001];
    ramp(path, steps, 50000, slope);
    replay(&c, path, o);
    mcr_config_free(&c);
}

Test(venue_margin, tiered_liquidation_on_a_ramp)
{
    mcr_margin_tiers t = {.n = 4, .notional_max = {5e4, 5e5, 8e6, 5e7},
                          .maintenance = {0.004, 0.005, 0.01, 0.025}};
    mcr_margin_tiers_fill_amounts(&t);
    mcr_perp_position pos = {.contract = MCR_PERP_LINEAR, .size = -10, .entry = 50000,
                             .wallet = 50000};
    double lp = mcr_margin_tiers_liquidation_price(&t, &pos);
    cr_assert_float_eq(lp, 54707.92, 0.01, "docs/VENUE_MATH.md: %.4f", lp);
    outputs o;
    /* +10 a step: liquidated at the first step at or above the price, 471 (54,710) */
    short_perp("{mode: isolated, initial: 0.1, liquidation_fee: 0.005, tiers: " TIERS "}", 600,
               10, &o);
    cr_assert_eq(o.liq[0][0], (int)ceil((lp - 50000) / 10));
    cr_assert_eq(o.liq[0][0], 471);
    /* by hand: at 54,710 the notional 547,100 is in tier 2 and needs 547,100 x 1% - 2,550 =
     * 2,921 > equity 50,000 - 47,100 = 2,900; at 54,700 it needed 2,920 <= 3,000 */
    double equity = 50000 - 10 * 4710.0, need = 10 * 54710.0 * 0.01 - 2550;
    cr_assert(equity < need && 50000 - 10 * 4700.0 >= 10 * 54700.0 * 0.01 - 2550);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -0.005 * 10 * 54710, 1e-9);

    /* one maintenance rate of 0.5%: (WB + Q EP) / (Q (1 + m)) = 54,726.37, step 473 */
    short_perp("{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0.005}", 600,
               10, &o);
    cr_assert_eq(o.liq[0][0], (int)ceil((550000 / 10.05 - 50000) / 10));
    cr_assert_eq(o.liq[0][0], 473);
}

/* The t0 liquidation price is an output of every strategy: the tiered one here. */
Test(venue_margin, liquidation_price_reported_at_t0)
{
    mcr_config c = config_of((setup){.spot = 50000, .sigma = 0.8, .days = 30, .steps = 30,
                                     .book = "[{asset: BTC, quantity: 10}]",
                                     .strategies = "[{name: none, type: none},"
                                                   " {name: perp, type: perp_hedge}]",
                                     .margin = "{mode: isolated, initial: 0.1, tiers: " TIERS "}"});
    double path[31];
    ramp(path, 30, 50000, 0);
    outputs o;
    replay(&c, path, &o);
    cr_assert_eq(o.liq_price0[0][0], 0.0);
    cr_assert_float_eq(o.liq_price0[1][0], 54707.92, 0.01);
    mcr_config_free(&c);
}

Test(venue_margin, exchange_liquidation_loses_the_account)
{
    const char *exchange = "{mode: isolated, initial: 0.1, liquidation_fee: 0.005, "
                           "liquidation: exchange, tiers: " TIERS "}";
    outputs o;
    short_perp(exchange, 600, 10, &o);
    cr_assert_eq(o.liq[0][0], 471);
    /* the position's loss to 54,710 (47,100) and the rest of the account (2,900) taken by the
     * exchange: the posted 50,000 */
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -10 * 4710.0, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -(50000 - 10 * 4710.0), 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_FEES][0], -50000, 1e-9);
    cr_assert_eq(o.insurance[0][0], 0.0);
    /* fee style on the same path: the fee is 0.5% of 547,100 and 164.50 comes back */
    short_perp("{mode: isolated, initial: 0.1, liquidation_fee: 0.005, tiers: " TIERS "}", 600, 10,
               &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_FEES][0],
                       -47100 - 2735.5, 1e-9);
}

Test(venue_margin, insurance_fund_pays_a_gap)
{
    /* 50,000 -> 60,000 in one step: the short loses 100,000 on a 50,000 account */
    outputs o;
    short_perp("{mode: isolated, initial: 0.1, liquidation_fee: 0.005, liquidation: exchange}", 2,
               10000, &o);
    cr_assert_eq(o.liq[0][0], 1);
    cr_assert_float_eq(o.insurance[0][0], 50000, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_FEES][0], -50000, 1e-9);
    /* fee style: the fee (0.5% of 600,000) deepens the deficit the fund pays */
    short_perp("{mode: isolated, initial: 0.1, liquidation_fee: 0.005}", 2, 10000, &o);
    cr_assert_float_eq(o.insurance[0][0], 50000 + 3000, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_FEES][0], -50000, 1e-9);
}

Test(venue_margin, tier_keys_errors)
{
    const char *bad[][2] = {
        {"margin: {maintenance: 0.005, tiers: " TIERS "}",
         "margin.maintenance: give maintenance or tiers, not both"},
        {"margin: {tiers: [{notional_max: 5e5, maintenance: 0.004}, {notional_max: 5e4, "
         "maintenance: 0.005}]}", "margin.tiers[1].notional_max"},
        {"margin: {tiers: [{notional_max: 5e4, maintenance: 0.004, amount: 0}, "
         "{notional_max: 5e5, maintenance: 0.005}]}", "margin.tiers[1].amount: give the amount"},
        {"margin: {tiers: [{notional_max: 5e4, maintenance: 0.004, amount: 0}, "
         "{notional_max: 5e5, maintenance: 0.005, amount: 60}]}", "margin.tiers[1].amount"},
        {"margin: {initial: 0.01, tiers: [{notional_max: 5e4, maintenance: 0.02}]}",
         "margin.tiers[0].maintenance: must be below margin.initial"},
        {"margin: {liquidation: bankrupt}", "margin.liquidation"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]}\n"
                 "portfolio: [{asset: BTC, quantity: 1}]\n%s\n", bad[k][0]);
        mcr_config c;
        mcr_error err = {0};
        cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT, "%s",
                     bad[k][0]);
        cr_assert(strstr(err.msg, "bad.yaml:3: ") && strstr(err.msg, bad[k][1]), "%s", err.msg);
    }
}
