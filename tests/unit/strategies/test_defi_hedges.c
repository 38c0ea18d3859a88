/* The existing hedges on DeFi positions (issue 13): a delta hedge trades against an AMM range's
 * delta x(P) (its sampled net delta is zero where the unhedged one is the pool's token holdings)
 * and a protective put sized to the pool's tokens pays its payoff on the LP's asset, on a
 * replayed path by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "strategy_replay.h"

Test(defi_hedges, delta_hedge_and_puts_on_an_amm_range)
{
    double path[5] = {100, 90, 81, 72, 64};
    outputs o;
    replay_setup((setup){
        .spot = 100, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{asset: BTC, instrument: amm_lp, value: 11000,"
                " pool: {type: concentrated, lower: 0.64, upper: 1.44, fee: 0, volume_per_day: 0}}]",
        .strategies = "[{name: none, type: none}, {name: dh, type: delta_hedge, "
                      "instrument: spot, rebalance: {every_steps: 1}},"
                      " {name: put, type: protective_put, strike: 0.9, quantity: 50}]"}, path, &o);
    /* L = 3,000 over [64, 144]: x(P) = 3,000 (1/sqrt(P) - 1/12); the net delta is sampled at
     * steps 0 .. 3 (every step before the horizon) */
    double x_mean = 0, hedge = 0;
    for (int t = 0; t < 4; t++) {
        double x = 3000 * (1 / sqrt(path[t]) - 1.0 / 12);
        x_mean += x / 4;
        hedge -= x * (path[t + 1] - path[t]);
    }
    cr_assert_float_eq(o.greeks[0][0][0], x_mean, 1e-9, "unhedged: the pool's tokens");
    cr_assert_float_eq(o.greeks[1][0][0], 0, 1e-9, "delta-hedged: flat at every sample");
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], hedge, 1e-9);
    cr_assert_float_eq(o.comp[2][MCR_PNL_HEDGE][0], 50 * (90 - 64), 1e-9, "the puts' payoff");
    cr_assert(o.comp[2][MCR_PNL_PREMIUM][0] < 0, "the puts are paid for");
    /* the puts' delta counts against the LP's in the net delta */
    cr_assert(o.greeks[2][0][0] < x_mean - 1, "%g vs %g", o.greeks[2][0][0], x_mean);
}

/* The same hedges on a loan (instruments/loan.c): its delta is its collateral, 10 BTC while it
 * is not liquidated (the path stays above 1,454.55), so the delta hedge shorts 10 at every step
 * and leaves a zero net delta, and puts on the collateral pay their payoff. */
Test(defi_hedges, delta_hedge_and_puts_on_a_loan)
{
    double path[5] = {2000, 1900, 1800, 1700, 1600};
    outputs o;
    replay_setup((setup){
        .spot = 2000, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{instrument: loan, collateral: {asset: BTC, quantity: 10}, debt: {amount: "
                "12000}, liquidation_threshold: 0.825, liquidation_bonus: 0.05, close_factor: "
                "0.5}]",
        .strategies = "[{name: none, type: none}, {name: dh, type: delta_hedge, "
                      "instrument: spot, rebalance: {every_steps: 1}},"
                      " {name: put, type: protective_put, strike: 0.9, quantity: 10}]"}, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 10 * 1600 - 12000 - 8000, 1e-9);
    cr_assert_float_eq(o.greeks[0][0][0], 10, 1e-12, "unhedged: the collateral");
    cr_assert_float_eq(o.greeks[1][0][0], 0, 1e-12, "delta-hedged: flat at every sample");
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], -10 * (1600 - 2000.0), 1e-9);
    cr_assert_float_eq(o.pnl[1][0], 0, 1e-9, "the hedged loan keeps its equity");
    cr_assert_float_eq(o.comp[2][MCR_PNL_HEDGE][0], 10 * (1800 - 1600.0), 1e-9, "the puts' payoff");
    cr_assert(o.comp[2][MCR_PNL_PREMIUM][0] < 0, "the puts are paid for");
}
