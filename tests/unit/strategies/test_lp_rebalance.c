/* `lp_rebalance` (strategies/lp_rebalance.c) on a replayed path against the hand computation:
 * the book's range [80, 125] around P0 = 100 is left at 130 and re-centred to [104, 162.5]
 * keeping the value, paying the pool fee on the token bought; its fees, the swap fee and the
 * final mark differ from the book's held range exactly as computed here from the v3 formulas;
 * the re-centring is one on-chain transaction paying costs.gas_per_tx. */
#include <criterion/criterion.h>
#include <math.h>

#include "strategy_replay.h"
#include "config_expect.h"

/* A v3 position of liquidity l over [pa, pb] at price p: x = l (1/s - 1/sqrt(pb)),
 * y = l (s - sqrt(pa)) with s = sqrt(p) clamped to the range. */
static double x_of(double l, double pa, double pb, double p)
{
    double s = fmin(fmax(sqrt(p), sqrt(pa)), sqrt(pb));
    return l * (1 / s - 1 / sqrt(pb));
}

static double value_of(double l, double pa, double pb, double p)
{
    double s = fmin(fmax(sqrt(p), sqrt(pa)), sqrt(pb));
    return x_of(l, pa, pb, p) * p + l * (s - sqrt(pa));
}

Test(lp_rebalance, recentres_on_a_replayed_path)
{
    double path[5] = {100, 110, 130, 140, 120};
    outputs o;
    replay_setup((setup){
        .spot = 100, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{asset: BTC, instrument: amm_lp, value: 10000,"
                " pool: {type: concentrated, lower: 0.8, upper: 1.25, fee: 0.003,"
                " volume_per_day: 1}}]",
        .strategies = "[{name: none, type: none}, {name: recentre, type: lp_rebalance, "
                      "when: out_of_range, width: [0.8, 1.25]}]",
        .costs = "{gas_per_tx: 7}"}, path, &o);
    /* the book: L from V(100) = 10,000 over [80, 125] */
    double lb = 10000 / value_of(1, 80, 125, 100), fee = 0.003;
    double book_fees = fee * (value_of(lb, 80, 125, 100) + value_of(lb, 80, 125, 110));
    /* at 130 (above 125) all USD: V = lb (sqrt(125) - sqrt(80)); re-centred to [104, 162.5] */
    double v = lb * (sqrt(125) - sqrt(80));
    cr_assert_float_eq(value_of(lb, 80, 125, 130), v, 1e-9);
    double ls = v / value_of(1, 104, 162.5, 130);
    double swap_fee = fee * x_of(ls, 104, 162.5, 130) * 130; /* USD -> tokens */
    double strat_fees = book_fees + fee * (value_of(ls, 104, 162.5, 130) +
                                           value_of(ls, 104, 162.5, 140));
    double mark = value_of(ls, 104, 162.5, 120), book_mark = value_of(lb, 80, 125, 120);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], book_mark + book_fees - 10000, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_BOOK][0], o.comp[0][MCR_PNL_BOOK][0], 0);
    cr_assert_float_eq(o.comp[1][MCR_PNL_FEES][0], -swap_fee, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], strat_fees - book_fees + mark - book_mark,
                       1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_GAS][0], -7, 1e-12, "one transaction (rate 0)");
    cr_assert_float_eq(o.pnl[1][0], mark + strat_fees - 10000 - swap_fee - 7, 1e-9);
    cr_assert_eq(o.trades[1][0], 1, "one re-centring");
    cr_assert_eq(o.onchain_txs[1][0], 1u);
    cr_assert_eq(o.onchain_txs[0][0], 0u, "the held range pays none");
    cr_log_info("swap fee %.4f, marks %.4f (re-centred) vs %.4f (held)", swap_fee, mark,
                book_mark);
    cr_assert(swap_fee > 1 && fabs(mark - book_mark) > 1, "the path exercises the re-centring");
}

Test(lp_rebalance, errors_name_the_key)
{
    const char *head = "market:\n  assets:\n    - {name: ETH, spot: 2000, model: {type: gbm, "
                       "sigma: 0.8}}\nvenues: [{name: uni, default_intensity: 0.1, "
                       "recovery: 0.5}]\n";
    static const bad_case bad[] = {
        {"portfolio: [{asset: ETH, quantity: 1}]\nstrategies: [{name: r, type: lp_rebalance}]\n",
         "strategies[0]: lp_rebalance needs exactly one amm_lp with pool type concentrated on ETH"},
        {"portfolio: [{asset: ETH, instrument: amm_lp, value: 1000, pool: {type: concentrated, "
         "lower: 0.8, upper: 1.25, fee: 0.003, volume_per_day: 1}}]\nstrategies: [{name: r, "
         "type: lp_rebalance, width: [1.1, 1.25]}]\n",
         "strategies[0].width: must be [lower, upper] with lower <= 1 <= upper"},
        {"portfolio: [{asset: ETH, instrument: amm_lp, value: 1000, pool: {type: concentrated, "
         "lower: 0.8, upper: 1.25, fee: 0.003, volume_per_day: 1}}]\nstrategies: [{name: r, "
         "type: lp_rebalance, when: always}]\n",
         "strategies[0].when"},
        {"portfolio: [{asset: ETH, instrument: amm_lp, value: 1000, venue: uni, pool: {type: "
         "concentrated, lower: 0.8, upper: 1.25, fee: 0.003, volume_per_day: 1}}]\nstrategies: "
         "[{name: r, type: lp_rebalance}]\n",
         "strategies[0]: lp_rebalance of an amm_lp at a venue (portfolio[0].venue: uni) is not "
         "modelled; allowed: an amm_lp without venue"},
    };
    expect_errors_after(head, bad, sizeof bad / sizeof bad[0]);
}
