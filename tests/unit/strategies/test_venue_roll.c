/* Rolling option programmes (issue 12, item 7) on replayed paths against Black-Scholes by hand:
 * a 90-day protective put rolled every 30 days pays three 30-day premiums on a flat path and the
 * payoffs of strikes reset to 90% of spot at each roll on a falling one; options held past a
 * roll, or sold at their mark there (close_on_roll). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/black_scholes.h"
#include "strategy_replay.h"

static double put(double s, double k, double days)
{
    mcr_euro o = {.payoff = MCR_PUT, .spot = s, .strike = k, .expiry = days / 365.0};
    return mcr_bs_price(&o, 0.8);
}

static void run(const char *strategy, double slope, outputs *o)
{
    char strategies[256];
    snprintf(strategies, sizeof strategies, "[%s]", strategy);
    mcr_config c = config_of((setup){.spot = 100, .sigma = 0.8, .days = 90, .steps = 90,
                                     .book = "[{asset: BTC, quantity: 1}]",
                                     .strategies = strategies});
    double path[91];
    ramp(path, 90, 100, slope);
    replay(&c, path, o);
    mcr_config_free(&c);
}

Test(venue_roll, monthly_puts_over_a_quarter)
{
    outputs o;
    const char *monthly = "{name: p, type: protective_put, strike: 0.9, expiry_days: 30, "
                          "roll: {every_days: 30}}";
    run(monthly, 0, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -3 * put(100, 90, 30), 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 0.0, 1e-12);
    /* falling 0.5 a day: strikes 90, 76.5, 63 (90% of 100, 85, 70), settled at 85, 70, 55 */
    run(monthly, -0.5, &o);
    double premium = put(100, 90, 30) + put(85, 76.5, 30) + put(70, 63, 30);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -premium, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 5 + 6.5 + 8, 1e-9);
}

Test(venue_roll, held_to_expiry_or_closed_on_roll)
{
    outputs o;
    /* 60-day puts every 30 days, held: generation 0 and 1 expire worthless on a flat path, the
     * third (opened at day 60) is marked at the horizon with 30 days left */
    run("{name: p, type: protective_put, strike: 0.9, expiry_days: 60, roll: {every_days: 30}}",
        0, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -3 * put(100, 90, 60), 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], put(100, 90, 30), 1e-9);
    /* close_on_roll: each generation is sold after 30 days at its mark, the last marked */
    run("{name: p, type: protective_put, strike: 0.9, expiry_days: 60, "
        "roll: {every_days: 30, close_on_roll: true}}", 0, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -3 * put(100, 90, 60), 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 3 * put(100, 90, 30), 1e-9);
}

Test(venue_roll, coin_settled_roll)
{
    /* coin puts rolled monthly on the falling path: premiums BS / S at each roll in coin, payoffs
     * (K - S) / S coin, all valued at S_T = 55 */
    outputs o;
    run("{name: p, type: protective_put, strike: 0.9, expiry_days: 30, settlement: coin, "
        "roll: {every_days: 30}}", -0.5, &o);
    double coin = put(100, 90, 30) / 100 + put(85, 76.5, 30) / 85 + put(70, 63, 30) / 70;
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -coin * 55, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], (5.0 / 85 + 6.5 / 70 + 8.0 / 55) * 55, 1e-9);
}

Test(venue_roll, overlap_beyond_the_slots_is_refused)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]}\n"
             "horizon: {days: 90, steps: 90}\n"
             "portfolio: [{asset: BTC, quantity: 1}]\n"
             "strategies: [{name: p, type: protective_put, strike: 0.9, expiry_days: 90, "
             "roll: {every_days: 10}}]\n");
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "bad.yaml:4: strategies[0].roll.every_days: options held to expiry"),
              "%s", err.msg);
}
