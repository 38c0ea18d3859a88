/* Hedges that come back (issue 12, item 6) on a replayed ramp against a hand computation: a short
 * linear perpetual liquidated, re-opened a day later at the target with new margin, liquidated
 * again, and so on; the liquidations per path are an output. */
#include <criterion/criterion.h>
#include <math.h>

#include "strategy_replay.h"

static void run(const char *strategies, outputs *o)
{
    mcr_config c = config_of((setup){
        .spot = 100, .sigma = 0.8, .days = 40, .steps = 40, .book = "[{asset: BTC, quantity: 1}]",
        .strategies = strategies,
        .margin = "{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0.005}"});
    double path[41];
    ramp(path, 40, 100, 1); /* daily steps, +1 a day */
    replay(&c, path, o);
    mcr_config_free(&c);
}

Test(venue_reopen, liquidated_hedge_comes_back)
{
    outputs o;
    run("[{name: once, type: perp_hedge},"
        " {name: back, type: perp_hedge, reopen: {after_hours: 24}},"
        " {name: back_dh, type: delta_hedge, rebalance: {every_steps: 40}, reopen: "
        "{after_hours: 20}}]", &o);
    /* short 1 at entry E with 0.1 E posted is liquidated once S >= 1.1 E / 1.005:
     * E = 100: 109.45 -> step 10 (S 110); re-opened at step 11 (111): 121.49 -> step 22;
     * at 23 (123): 134.63 -> step 35; at 36 (136): 148.86, beyond the horizon (140) */
    const double entry[] = {100, 111, 123, 136}, exit[] = {110, 122, 135, 140};
    double hedge = 0, fees = 0, deficits = 0;
    for (int k = 0; k < 4; k++) {
        hedge -= exit[k] - entry[k];
        if (k == 3)
            break;
        double fee = 0.005 * exit[k], left = 0.1 * entry[k] - (exit[k] - entry[k]) - fee;
        fees -= fee;
        deficits += left < 0 ? -left : 0.0;
    }
    for (int s = 1; s <= 2; s++) { /* 20 hours on daily steps: the next step, as 24 */
        cr_assert_eq(o.liq[s][0], 10, "the first liquidation");
        cr_assert_eq(o.liquidations[s][0], 3u);
        cr_assert_eq(o.trades[s][0], 4u, "opened, and re-opened three times");
        cr_assert_float_eq(o.comp[s][MCR_PNL_HEDGE][0], hedge + deficits, 1e-9);
        cr_assert_float_eq(o.comp[s][MCR_PNL_FEES][0], fees, 1e-9);
        cr_assert_float_eq(o.insurance[s][0], deficits, 1e-9);
    }
    /* without reopen: liquidated once, unhedged after */
    cr_assert_eq(o.liq[0][0], 10);
    cr_assert_eq(o.liquidations[0][0], 1u);
    cr_assert_eq(o.trades[0][0], 1u);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -10 + 0.55, 1e-9);
}
