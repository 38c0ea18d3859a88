/* Staking yield of a spot position (`yield`, instruments/staking_yield.c) on a replayed path
 * against the hand computation: the units grow as e^{y t}, the coins accrued are marked at S_T in
 * the component `yield` (the book component stays the position without its yield) and a delta
 * hedge trades against the grown units at every step. */
#include <criterion/criterion.h>
#include <math.h>

#include "strategy_replay.h"

Test(staking_yield, accrued_coins_and_the_delta_on_a_replayed_path)
{
    mcr_config c = config_of((setup){
        .spot = 2000, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{asset: BTC, quantity: 100, yield: 0.04}]",
        .strategies = "[{name: none, type: none}, {name: dh, type: delta_hedge, "
                      "instrument: spot, rebalance: {every_steps: 1}}]"});
    double path[5] = {2000, 2100, 1900, 1800, 2200};
    outputs o;
    replay(&c, path, &o);
    double dt = 1 / 365.0, yield = 100 * (exp(0.04 * 4 * dt) - 1) * 2200, hedge = 0;
    for (int t = 0; t < 4; t++)
        hedge -= 100 * exp(0.04 * t * dt) * (path[t + 1] - path[t]);
    cr_assert_float_eq(yield, 100 * 2200 * 0.04 * 4 / 365 * (1 + 0.04 * 2 / 365), 1e-3,
                       "the hand value itself: about y T S_T per unit");
    for (int s = 0; s < 2; s++) {
        cr_assert_float_eq(o.comp[s][MCR_PNL_YIELD][0], yield, 1e-9, "strategy %d", s);
        cr_assert_float_eq(o.comp[s][MCR_PNL_BOOK][0], 100 * (2200 - 2000), 1e-9);
    }
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], hedge, 1e-9);
    cr_assert_float_eq(o.pnl[1][0], 100 * 200 + yield + hedge, 1e-9);
    /* the hedge is not flat: it shorts the accrued coins too (100.0438 units at the last step) */
    cr_assert(fabs(hedge + 100 * 200) > 1e-3);
    mcr_config_free(&c);
}
