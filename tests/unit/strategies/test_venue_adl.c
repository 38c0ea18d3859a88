/* Auto-deleveraging (issue 12, item 4: margin.adl with a scenario's adl window) on replayed paths
 * against hand computations: a static short perpetual on a falling ramp is closed at the mark at
 * the first step of the window where its ADL score (profit / posted x notional / equity) reaches
 * min_score, and stops earning; a losing position is never deleveraged; the keys' errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strategy_replay.h"

#define MARGIN "{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0.005, " \
               "adl: true}"

/* 1 BTC at 100 hedged by a static short linear perpetual (10 USD posted), 10 daily steps on a
 * ramp of `slope` a step; the venue's fund is short on days [4, 6). */
static void short_perp(double slope, const char *min_score, outputs *o)
{
    char scenarios[160];
    snprintf(scenarios, sizeof scenarios,
             "[{name: short_fund, adl: {from_day: 4, to_day: 6%s%s}}]", min_score ? ", min_score: "
             : "", min_score ? min_score : "");
    mcr_config c = config_of((setup){.spot = 100, .sigma = 0.8, .days = 10, .steps = 10,
                                     .book = "[{asset: BTC, quantity: 1}]",
                                     .strategies = "[{name: perp, type: perp_hedge}]",
                                     .margin = MARGIN, .scenarios = scenarios});
    double path[11];
    ramp(path, 10, 100, slope);
    replay(&c, path, o);
    mcr_config_free(&c);
}

Test(venue_adl, profitable_short_closed_at_the_mark_in_the_window)
{
    outputs o;
    /* S_t = 100 - 2t. At step 4 (S = 92, first step of the window) the short has made 8 on 10
     * posted: score = 8/10 x 92/18 = 4.09 >= 0, so it is closed at 92 and stops earning; the
     * book loses 20 to S_T = 80 unhedged after that */
    short_perp(-2, NULL, &o);
    cr_assert_eq(o.adl[0][0], 4);
    cr_assert_eq(o.liq[0][0], -1, "deleveraging is not a liquidation");
    cr_assert_eq(o.liquidations[0][0], 0);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 8.0, 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], 0.0, 1e-12, "no fee on deleveraging");
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], -20.0, 1e-12);
    cr_assert_float_eq(o.pnl[0][0], -12.0, 1e-12);
    cr_assert_float_eq(o.insurance[0][0], 0.0, 1e-12);
}

Test(venue_adl, the_score_decides_when)
{
    outputs o;
    /* min_score 4.2: step 4 scores 4.09, step 5 (S = 90, profit 10, equity 20) 1 x 90/20 = 4.5 */
    cr_assert(0.8 * 92 / 18 < 4.2 && 1.0 * 90 / 20 >= 4.2);
    short_perp(-2, "4.2", &o);
    cr_assert_eq(o.adl[0][0], 5);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 10.0, 1e-12);
    cr_assert_float_eq(o.pnl[0][0], -10.0, 1e-12);
    /* min_score 5: no step of the window reaches it (step 6 would: it is outside); held to T */
    short_perp(-2, "5", &o);
    cr_assert_eq(o.adl[0][0], -1);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 20.0, 1e-12);
    cr_assert_float_eq(o.pnl[0][0], 0.0, 1e-12);
}

Test(venue_adl, a_losing_position_is_not_deleveraged)
{
    outputs o;
    /* rising 0.5 a step: the short loses 5 by the horizon and stays open */
    short_perp(0.5, NULL, &o);
    cr_assert_eq(o.adl[0][0], -1);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -5.0, 1e-12);
    cr_assert_float_eq(o.pnl[0][0], 0.0, 1e-12);
}

static void refused(const char *margin, const char *scenarios, const char *want)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]}\n"
             "horizon: {days: 10, steps: 10}\n"
             "strategies: [{name: perp, type: perp_hedge}]\n"
             "margin: %s\n%s%s\n", margin, scenarios ? "scenarios: " : "",
             scenarios ? scenarios : "");
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT, "%s", yaml);
    cr_assert(strstr(err.msg, want), "%s", err.msg);
}

Test(venue_adl, keys_refused)
{
    refused("{adl: false}", "[{name: s, adl: {from_day: 1}}]",
            "bad.yaml:5: scenarios[0].adl: an adl window needs margin.adl: true");
    refused("{adl: true}", NULL, "bad.yaml:4: margin.adl: true needs a scenario with an adl "
            "window");
    refused("{adl: true, mode: none}", "[{name: s, adl: {from_day: 1}}]",
            "margin.adl: true needs margined perpetuals");
    refused("{adl: true}", "[{name: s, adl: {from_day: 1, min_score: -1}}]",
            "scenarios[0].adl.min_score");
}
