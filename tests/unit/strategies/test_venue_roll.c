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

/* The net greeks by hand on the flat path at 100: the book's delta 1 plus every generation of
 * puts (K 90, sigma 0.8) open at each sample step t = 0, 2, .., 88 (90 steps > 32 samples: every
 * 90 / 32 = 2 steps); a generation opened at step o with `days` to expiry is open over
 * [o, o + days), and with close_on_roll until the next roll. */
static void hand_greeks(double days, bool close_on_roll, double out[3])
{
    int samples = 0;
    memset(out, 0, 3 * sizeof *out);
    for (int t = 0; t < 90; t += 2, samples++) {
        out[0] += 1.0;
        for (int open = 0; open <= t; open += 30) {
            double left = open + days - t;
            if (left <= 0 || (close_on_roll && t >= open + 30))
                continue;
            double tau = left / 365.0, sq = 0.8 * sqrt(tau);
            double d1 = (log(100.0 / 90.0) + 0.5 * 0.8 * 0.8 * tau) / sq;
            double pdf = exp(-0.5 * d1 * d1) / sqrt(2 * M_PI);
            out[0] += 0.5 * erfc(-d1 / sqrt(2)) - 1.0;
            out[1] += pdf / (100.0 * sq);
            out[2] += 100.0 * pdf * sqrt(tau);
        }
    }
    for (int k = 0; k < 3; k++)
        out[k] /= samples;
}

Test(venue_roll, net_greeks_count_every_open_generation)
{
    static const struct {
        const char *strategy;
        double days;
        bool close;
    } cases[] = {
        {"{name: p, type: protective_put, strike: 0.9, expiry_days: 30, "
         "roll: {every_days: 30}}", 30, false},
        {"{name: p, type: protective_put, strike: 0.9, expiry_days: 60, "
         "roll: {every_days: 30}}", 60, false}, /* two generations open at once */
        {"{name: p, type: protective_put, strike: 0.9, expiry_days: 60, "
         "roll: {every_days: 30, close_on_roll: true}}", 60, true}, /* t0's sold at day 30 */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        outputs o;
        run(cases[c].strategy, 0, &o);
        double want[3];
        hand_greeks(cases[c].days, cases[c].close, want);
        for (int k = 0; k < 3; k++)
            cr_assert(fabs(o.greeks[0][k][0] - want[k]) <= 1e-9 * (1 + fabs(want[k])),
                      "case %zu greek %d: %.12g, by hand %.12g", c, k, o.greeks[0][k][0],
                      want[k]);
    }
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
