/* Gas (instruments/gas.h, costs.gas_per_tx): a delta hedge of AMM liquidity trading on chain
 * pays gas_per_tx at each trade, carried to the horizon, and counts its transactions; the same
 * hedge off chain trades alike and pays none. Checked on a replayed path by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "strategy_replay.h"

/* v2 liquidity worth 1,000 at 100 (its delta 5 sqrt(100 / P) changes at every step), hedged at
 * every step on chain and off; gas 5 USD a transaction, rate 5%. Trades at steps 0 .. 3 (none at
 * the horizon): 4 transactions, gas 5 sum_t e^{0.05 (4 - t) / 365}; closing at the horizon is a
 * fifth (at g_4 = 1). */
Test(gas, onchain_hedge_pays_per_trade_by_hand)
{
    const char *book = "[{asset: BTC, instrument: amm_lp, value: 1000, pool: {type: "
                       "constant_product, fee: 0, volume_per_day: 0}}]";
    const char *strategies = "[{name: dex, type: delta_hedge, instrument: spot, onchain: true}, "
                             "{name: cex, type: delta_hedge, instrument: spot}]";
    double path[5] = {100, 110, 90, 105, 95};
    for (int close = 0; close <= 1; close++) {
        mcr_config c = config_of((setup){.spot = 100, .sigma = 0.5, .rate = 0.05, .days = 4,
                                         .steps = 4, .book = book, .strategies = strategies,
                                         .costs = close ? "{gas_per_tx: 5, close_at_horizon: true}"
                                                        : "{gas_per_tx: 5}"});
        outputs o;
        replay(&c, path, &o);
        double gas = 0;
        for (int t = 0; t <= 3 + close; t++)
            gas -= 5 * exp(0.05 * (4 - t) / 365.0);
        cr_assert_eq(o.onchain_txs[0][0], 4u + (unsigned)close);
        cr_assert_eq(o.trades[0][0], 4u + (unsigned)close);
        cr_assert_float_eq(o.comp[0][MCR_PNL_GAS][0], gas, 1e-9);
        cr_assert_eq(o.onchain_txs[1][0], 0u);
        cr_assert_eq(o.comp[1][MCR_PNL_GAS][0], 0.0);
        /* gas changes nothing else: the two hedges trade alike */
        cr_assert_float_eq(o.pnl[0][0], o.pnl[1][0] + gas, 1e-9);
        mcr_config_free(&c);
    }
}
