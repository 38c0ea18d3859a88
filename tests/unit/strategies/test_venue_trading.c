/* Venue conventions of hedge trading (issue 12, items 8 and 9) on replayed paths against hand
 * computations: rebalancing every h hours and on a band in percent of the book's delta, the
 * costs of closing every hedge at the horizon, and the borrow fee of a short spot hedge. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "models/black_scholes.h"
#include "strategy_replay.h"

/* A book of one short call (strike 100, 10 days) whose delta moves every step, hedged with spot
 * by a delta_hedge rebalanced as `rebalance` says, on `steps` steps over 2 days of a rising
 * path. */
static void hedge_on(const char *rebalance, int steps, outputs *o)
{
    char strategies[256];
    snprintf(strategies, sizeof strategies,
             "[{name: d, type: delta_hedge, instrument: spot, rebalance: %s}]", rebalance);
    mcr_config c = config_of((setup){
        .spot = 100, .sigma = 0.8, .days = 2, .steps = steps,
        .book = "[{asset: BTC, instrument: call, quantity: -1, strike: 100, expiry_days: 10}]",
        .strategies = strategies});
    double path[49];
    ramp(path, steps, 100, 0.25);
    replay(&c, path, o);
    mcr_config_free(&c);
}

Test(venue_trading, every_hours_on_the_step_grid)
{
    outputs hours, steps;
    /* hourly steps, every 8 hours: steps 0, 8, 16, 24, 32, 40 (48 is the horizon) */
    hedge_on("{every_hours: 8}", 48, &hours);
    hedge_on("{every_steps: 8}", 48, &steps);
    cr_assert_eq(hours.trades[0][0], 6u);
    cr_assert_eq(hours.pnl[0][0], steps.pnl[0][0], "the same trades: %.17g vs %.17g",
                 hours.pnl[0][0], steps.pnl[0][0]);
    /* 2-hour steps, every 5 hours: the first step at or after 0, 5, 10, ..., 45 hours is step
     * 0, 3, 5, 8, 10, 13, 15, 18, 20, 23: ten trades */
    hedge_on("{every_hours: 5}", 24, &hours);
    cr_assert_eq(hours.trades[0][0], 10u);
    /* shorter than a step: every step */
    hedge_on("{every_hours: 0.5}", 24, &hours);
    hedge_on("{every_steps: 1}", 24, &steps);
    cr_assert_eq(hours.trades[0][0], 24u);
    cr_assert_eq(hours.pnl[0][0], steps.pnl[0][0]);
}

Test(venue_trading, band_in_percent_of_the_book_delta)
{
    outputs o;
    /* unhedged at t0 the net delta is the book's, beyond 90% of itself: the opening trade; then
     * the call's delta moves by far less than 90% of itself */
    hedge_on("{band_pct: 0.9}", 48, &o);
    cr_assert_eq(o.trades[0][0], 1u);
    /* a hair's band: every step the delta moved */
    hedge_on("{band_pct: 1e-12}", 48, &o);
    cr_assert_eq(o.trades[0][0], 48u);
    /* the schedule decides when to look, the band whether to trade */
    hedge_on("{every_hours: 8, band_pct: 1e-12}", 48, &o);
    cr_assert_eq(o.trades[0][0], 6u);
    hedge_on("{every_hours: 8, band_pct: 0.9}", 48, &o);
    cr_assert_eq(o.trades[0][0], 1u);
    /* a band of 100% or more never opens the hedge: |book delta| is never beyond itself */
    hedge_on("{band_pct: 1}", 48, &o);
    cr_assert_eq(o.trades[0][0], 0u);
}

/* The band by hand: on hourly steps of a path that rises 0.25 an hour, the hedge holds the delta
 * of its last trade; the band trades where |book delta + hedge| > 2% of |book delta|. */
Test(venue_trading, band_pct_trades_where_the_hand_computation_says)
{
    outputs o;
    hedge_on("{band_pct: 0.02}", 48, &o);
    double held = 0;
    unsigned trades = 0;
    double dt = 2.0 / 365 / 48;
    for (int t = 0; t < 48; t++) {
        mcr_euro c = {.payoff = MCR_CALL, .spot = 100 + 0.25 * t, .strike = 100,
                      .expiry = 10.0 / 365 - t * dt};
        double book = -mcr_bs_delta(&c, 0.8); /* short one call */
        if (t == 0 || fabs(book + held) > 0.02 * fabs(book)) {
            held = -book;
            trades++;
        }
    }
    cr_assert(trades > 2 && trades < 40, "a band that binds sometimes: %u", trades);
    cr_assert_eq(o.trades[0][0], trades);
}

Test(venue_trading, closing_costs_at_the_horizon)
{
    /* 1 BTC hedged by a spot delta hedge, a linear and an inverse perpetual; fee 10 bps and
     * slippage 2 bps. Closing at the horizon pays 12 bps of |q| S_T (|q_usd| for the inverse,
     * whose notional is in USD) */
    const char *strategies = "[{name: spot, type: delta_hedge, instrument: spot},"
                             " {name: lin, type: perp_hedge},"
                             " {name: inv, type: perp_hedge, contract: inverse}]";
    setup u = {.spot = 100, .sigma = 0.8, .days = 10, .steps = 10,
               .book = "[{asset: BTC, quantity: 1}]", .strategies = strategies,
               .costs = "{fee_bps: 10, slippage_bps: 2}"};
    mcr_config open = config_of(u);
    u.costs = "{fee_bps: 10, slippage_bps: 2, close_at_horizon: true}";
    mcr_config closed = config_of(u);
    double path[11];
    ramp(path, 10, 100, -3); /* ends at 70 */
    outputs a, b;
    replay(&open, path, &a);
    replay(&closed, path, &b);
    for (int s = 0; s < 3; s++) {
        cr_assert_eq(a.close[s][0], 0.0);
        double paid = (a.comp[s][MCR_PNL_FEES][0] + a.comp[s][MCR_PNL_SLIPPAGE][0]) -
                      (b.comp[s][MCR_PNL_FEES][0] + b.comp[s][MCR_PNL_SLIPPAGE][0]);
        cr_assert_float_eq(paid, b.close[s][0], 1e-12, "%s", closed.strategies[s].name);
        cr_assert_float_eq(b.pnl[s][0], a.pnl[s][0] - b.close[s][0], 1e-9);
    }
    cr_assert_float_eq(b.close[0][0], 12e-4 * 1 * 70, 1e-12); /* short 1 unit */
    cr_assert_float_eq(b.close[1][0], 12e-4 * 1 * 70, 1e-12);
    /* the inverse perpetual's USD notional |q|, from its opening fee: 10 bps of |q| in coin at
     * S0, valued at S_T */
    double q = -a.comp[2][MCR_PNL_FEES][0] / 70 * 100 / 10e-4;
    cr_assert(q > 50 && q < 150, "|q| %g", q);
    cr_assert_float_eq(b.close[2][0], 12e-4 * q, 1e-9);
    cr_assert_eq(b.trades[1][0], 2u, "opened and closed");
    mcr_config_free(&open);
    mcr_config_free(&closed);
}

Test(venue_trading, option_closing_fee_at_the_horizon)
{
    /* a 60-day put on a 30-day horizon is sold back at its mark, paying Deribit's trade fee */
    mcr_config c = config_of((setup){
        .spot = 50000, .sigma = 0.8, .days = 30, .steps = 30, .book = "[{asset: BTC, quantity: 1}]",
        .strategies = "[{name: put, type: protective_put, strike: 0.9, expiry_days: 60}]",
        .costs = "{close_at_horizon: true, option_fee: {fraction_of_underlying: 0.0003}}"});
    double path[31];
    ramp(path, 30, 50000, -500); /* 35,000 */
    outputs o;
    replay(&c, path, &o);
    mcr_euro put = {.payoff = MCR_PUT, .spot = 35000, .strike = 45000, .expiry = 30 / 365.0};
    double mark = mcr_bs_price(&put, 0.8);
    mcr_euro put0 = {.payoff = MCR_PUT, .spot = 50000, .strike = 45000, .expiry = 60 / 365.0};
    double open = fmin(0.0003 * 50000, 0.125 * mcr_bs_price(&put0, 0.8));
    double close = fmin(0.0003 * 35000, 0.125 * mark);
    cr_assert_float_eq(o.close[0][0], close, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -open - close, 1e-9);
    mcr_config_free(&c);
}

Test(venue_trading, borrow_fee_of_a_short_spot_hedge)
{
    /* short 1 BTC of spot hedging a long one, on a flat 100 for 30 days at a 10% borrow rate
     * (r = 0): 30 x 100 x (e^{0.1/365} - 1) */
    setup u = {.spot = 100, .sigma = 0.8, .days = 30, .steps = 30,
               .book = "[{asset: BTC, quantity: 1}]",
               .strategies = "[{name: spot, type: delta_hedge, instrument: spot}]",
               .costs = "{borrow_rate: 0.1}"};
    mcr_config c = config_of(u);
    double path[31];
    ramp(path, 30, 100, 0);
    outputs o;
    replay(&c, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FINANCING][0], -30 * 100 * expm1(0.1 / 365), 1e-12);
    mcr_config_free(&c);
    /* a long spot hedge (a short book) pays no borrow fee */
    u.book = "[{asset: BTC, quantity: -1}]";
    c = config_of(u);
    replay(&c, path, &o);
    cr_assert_eq(o.comp[0][MCR_PNL_FINANCING][0], 0.0);
    mcr_config_free(&c);
}
