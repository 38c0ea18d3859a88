/* The sweep section and run.baseline: expansion (names, order, the product of entries on one
 * strategy, the place in the list), values set as the loader sets written ones (a one-of mapping
 * included), and the errors of bad entries. The engine side (a sweep equals hand-written
 * strategies bitwise) is in tests/integration/test_compare.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "config_expect.h"

#define HEAD                                                                                       \
    "horizon: {days: 30, steps: 30}\n" ASSET_BTC                                                   \
    "strategies:\n"                                                                                \
    "  - {name: unhedged, type: none}\n"                                                           \
    "  - {name: put, type: protective_put, strike: 0.9}\n"                                         \
    "  - {name: dh, type: delta_hedge, instrument: spot, rebalance: {every_steps: 5}}\n"           \
    "  - {name: last, type: none}\n"

Test(sweep, expands_in_place_with_names_and_product_order)
{
    mcr_config cfg;
    load_ok(HEAD "sweep:\n"
                 "  - {strategy: put, key: strike, values: [0.8, 0.85, 0.9, 0.95]}\n"
                 "  - {strategy: dh, key: rebalance.band, values: [0.02, 0.05, 0.1]}\n"
                 "  - {strategy: dh, key: hedge_ratio, values: [0.5, 1]}\n",
            &cfg);
    static const char *const names[] = {
        "unhedged", "put[strike=0.8]", "put[strike=0.85]", "put[strike=0.9]", "put[strike=0.95]",
        "dh[rebalance.band=0.02,hedge_ratio=0.5]", "dh[rebalance.band=0.02,hedge_ratio=1]",
        "dh[rebalance.band=0.05,hedge_ratio=0.5]", "dh[rebalance.band=0.05,hedge_ratio=1]",
        "dh[rebalance.band=0.1,hedge_ratio=0.5]", "dh[rebalance.band=0.1,hedge_ratio=1]", "last"};
    cr_assert_eq(cfg.n_strategies, 12);
    for (int i = 0; i < 12; i++)
        cr_assert_str_eq(cfg.strategies[i].name, names[i]);
    cr_assert_str_eq(cfg.strategies[0].swept.from, "");
    cr_assert_str_eq(cfg.strategies[2].swept.from, "put");
    cr_assert_eq(cfg.strategies[2].swept.n, 1);
    cr_assert_str_eq(cfg.strategies[2].swept.key[0], "strike");
    cr_assert_eq(cfg.strategies[2].swept.value[0], 0.85);
    cr_assert_eq(cfg.strategies[8].swept.n, 2);
    cr_assert_str_eq(cfg.strategies[8].swept.key[0], "rebalance.band");
    cr_assert_eq(cfg.strategies[8].swept.value[0], 0.05);
    cr_assert_eq(cfg.strategies[8].swept.value[1], 1.0);
    cr_assert_eq(cfg.baseline_index, 0);
    mcr_config_free(&cfg);
}

/* Every expanded strategy's part is byte for byte the part of the strategy written by hand with
 * that value, including a band swept on a strategy written with every_steps (a schedule and a
 * band combine: on the schedule, trade beyond the band). */
Test(sweep, equals_hand_written_parts)
{
    mcr_config swept, hand;
    load_ok(HEAD "sweep:\n"
                 "  - {strategy: put, key: strike, values: [0.8, 0.85]}\n"
                 "  - {strategy: dh, key: rebalance.band, values: [0.05]}\n",
            &swept);
    load_ok("horizon: {days: 30, steps: 30}\n" ASSET_BTC
            "strategies:\n"
            "  - {name: unhedged, type: none}\n"
            "  - {name: a, type: protective_put, strike: 0.8}\n"
            "  - {name: b, type: protective_put, strike: 0.85}\n"
            "  - {name: c, type: delta_hedge, instrument: spot, rebalance: {every_steps: 5, "
            "band: 0.05}}\n"
            "  - {name: last, type: none}\n",
            &hand);
    cr_assert_eq(swept.n_strategies, hand.n_strategies);
    for (int i = 0; i < hand.n_strategies; i++)
        cr_assert(!memcmp(&swept.strategies[i].parts[0], &hand.strategies[i].parts[0],
                          sizeof hand.strategies[i].parts[0]),
                  "strategy %d (%s) differs from the hand-written one", i,
                  swept.strategies[i].name);
    mcr_config_free(&swept);
    mcr_config_free(&hand);
}

Test(sweep, baseline_by_name_after_expansion)
{
    mcr_config cfg;
    load_ok("run: {baseline: \"put[strike=0.85]\"}\n" HEAD
            "sweep: [{strategy: put, key: strike, values: [0.8, 0.85]}]\n",
            &cfg);
    cr_assert_eq(cfg.baseline_index, 2);
    mcr_config_free(&cfg);
    expect_error("run: {baseline: hedged}\n" HEAD, "bad.yaml:1: run.baseline: ",
                 "no strategy named \"hedged\"; allowed: unhedged, put, dh, last");
}

Test(sweep, bad_entries)
{
    expect_error(HEAD "sweep:\n  - {strategy: pot, key: strike, values: [0.8]}\n",
                 "bad.yaml:13: sweep[0].strategy: ",
                 "no strategy named \"pot\"; allowed: unhedged, put, dh, last");
    expect_error(HEAD "sweep:\n  - {strategy: put, key: strik, values: [0.8]}\n",
                 "bad.yaml:13: sweep[0].key: ",
                 "not a number key of strategy type protective_put; allowed: strike, "
                 "expiry_days, quantity");
    expect_error(HEAD "sweep:\n  - {strategy: put, key: strike, values: [0.8, -1]}\n",
                 "bad.yaml:13: sweep[0].values[1]: ", "put's strike (got -1)");
    expect_error(HEAD "sweep:\n  - {strategy: put, key: strike, values: [0.8, 0.8]}\n",
                 "bad.yaml:13: sweep[0].values[1]: ", "repeats values[0]");
    expect_error(HEAD "sweep:\n  - {strategy: dh, key: rebalance.every_steps, values: [1.5]}\n",
                 "bad.yaml:13: sweep[0].values[0]: ", "must be a whole number");
    expect_error(HEAD "sweep:\n  - {strategy: put, key: strike, values: [0.8]}\n"
                      "  - {strategy: put, key: strike, values: [0.9]}\n",
                 "bad.yaml:14: sweep[1].key: ", "swept twice (also sweep[0])");
    expect_error(HEAD "sweep:\n  - {strategy: put, key: strike, values: [0.8]}\n"
                      "  - {strategy: put, key: expiry_days, values: [1, 2, 3, 4, 5, 6, 7, 8]}\n"
                      "  - {strategy: put, key: quantity, values: [1, 2, 3, 4]}\n",
                 "bad.yaml:12: sweep: ", "at most 32 strategies");
    /* a search setting is swept on a hedge that searches, and refused on one that does not */
    mcr_config cfg;
    load_ok("horizon: {days: 30, steps: 30}\n" ASSET_BTC
            "strategies:\n  - {name: dh, type: delta_hedge, instrument: spot, hedge_ratio: optimize}\n"
            "sweep:\n  - {strategy: dh, key: level, values: [0.95, 0.99]}\n",
            &cfg);
    cr_assert_eq(cfg.n_strategies, 2);
    cr_assert_str_eq(cfg.strategies[1].name, "dh[level=0.99]");
    mcr_config_free(&cfg);
    expect_error(HEAD "sweep:\n  - {strategy: dh, key: level, values: [0.95, 0.99]}\n",
                 "bad.yaml:13: sweep[0].key: ",
                 "\"level\" of strategy \"dh\" is used only with hedge_ratio: optimize, which the "
                 "strategy does not have");
    expect_error(HEAD "sweep:\n  - {strategy: put, key: strike}\n",
                 "bad.yaml:13: sweep[0].values: ", "required");
    expect_error(HEAD "sweep:\n  - {strategy: dh, key: rebalance.every_steps, values: [31]}\n",
                 "bad.yaml:10: strategies[2].rebalance.every_steps: ",
                 "(in sweep strategy dh[rebalance.every_steps=31])");
}
