/* AMM liquidity in the book (instruments/amm_lp.c): value, impermanent loss, fees and time in
 * range on replayed paths against hand computations (v2 and the three v3 branches), the delta a
 * delta hedge trades against, loss-versus-rebalancing and fee income under GBM within 4 se, the
 * variance a per-step delta hedge removes, the pool's input errors, and results bitwise equal at 1
 * and 2 threads and close across ISAs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strategy_replay.h"
#include "unit_mc.h"
#include "config_expect.h"

#define IL (MCR_FIELD_IMPERMANENT_LOSS - MCR_FIELD_BOOK_FIRST)
#define FEES (MCR_FIELD_LP_FEES - MCR_FIELD_BOOK_FIRST)
#define IN_RANGE (MCR_FIELD_TIME_IN_RANGE - MCR_FIELD_BOOK_FIRST)

/* v2, V0 = 100,000 at 2,000 (x0 = 25 ETH, y0 = 50,000), four one-day steps up to 4,000, no
 * cash rate. V = V0 sqrt(P / P0); impermanent loss V0 (sqrt(r) - (1 + r) / 2) at r = 2, i.e.
 * 2 sqrt(r) / (1 + r) - 1 of holding; fees 0.003 x 0.3 x 1 day x V at each step's start; the
 * delta hedge shorts x(P) = V0 / (2 sqrt(P P0)) each step. */
Test(amm_lp, constant_product_on_a_replayed_ramp)
{
    double path[5] = {2000, 2500, 3000, 3500, 4000};
    outputs o;
    replay_setup((setup){
        .spot = 2000, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{asset: BTC, instrument: amm_lp, value: 100000,"
                " pool: {type: constant_product, fee: 0.003, volume_per_day: 0.3}}]",
        .strategies = "[{name: none, type: none}, {name: dh, type: delta_hedge, "
                      "instrument: spot, rebalance: {every_steps: 1}}]"}, path, &o);
    double v0 = 1e5, fees = 0, hedge = 0;
    for (int t = 1; t <= 4; t++) {
        fees += 0.003 * 0.3 * 1.0 * v0 * sqrt(path[t - 1] / 2000);
        hedge -= v0 / (2 * sqrt(path[t - 1] * 2000)) * (path[t] - path[t - 1]);
    }
    double il = v0 * (sqrt(2.0) - 1.5);
    cr_assert_float_eq(il / (25 * 4000 + 50000), 2 * sqrt(2.0) / 3 - 1, 1e-15);
    for (int s = 0; s < 2; s++) {
        cr_assert_float_eq(o.book[s][IL][0], il, 1e-9);
        cr_assert_float_eq(o.book[s][FEES][0], fees, 1e-9);
        cr_assert_float_eq(o.book[s][IN_RANGE][0], 1.0, 0);
        cr_assert_float_eq(o.comp[s][MCR_PNL_BOOK][0], v0 * (sqrt(2.0) - 1) + fees, 1e-9);
    }
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], hedge, 1e-9);
    cr_assert_float_eq(o.pnl[1][0], v0 * (sqrt(2.0) - 1) + fees + hedge, 1e-9);
}

/* v3 with P0 = 100 over [64, 144] and V0 = 11,000: L = 3,000, x0 = 50, y0 = 6,000. Ending below
 * (49), in (121) and above (169) the range: V = 6,125, 11,750, 12,000 against holding 8,450,
 * 12,050, 14,450. The fees are earned at steps starting in range only. */
Test(amm_lp, concentrated_branches_on_replayed_paths)
{
    mcr_config c = config_of((setup){
        .spot = 100, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{asset: BTC, instrument: amm_lp, value: 11000,"
                " pool: {type: concentrated, lower: 0.64, upper: 1.44, fee: 0.0005,"
                " volume_per_day: 2}}]",
        .strategies = "[{name: none, type: none}]"});
    struct {
        double path[5], value, hold, in_range;
    } cases[] = {
        {{100, 121, 169, 169, 49}, 6125, 50 * 49 + 6000, 2},   /* in, in, out, out */
        {{100, 81, 64, 144, 121}, 11750, 50 * 121 + 6000, 4},  /* the bounds count as in */
        {{100, 150, 169, 121, 169}, 12000, 6000 + 50 * 169, 2}, /* in, out, out, in */
    };
    for (int k = 0; k < 3; k++) {
        outputs o;
        replay(&c, cases[k].path, &o);
        double fees = 0, l = 3000;
        for (int t = 1; t <= 4; t++) {
            double p = cases[k].path[t - 1], sp = sqrt(p);
            if (p >= 64 && p <= 144)
                fees += 0.0005 * 2 * 1.0 * l * (2 * sp - 8 - p / 12);
        }
        cr_assert_float_eq(o.book[0][IL][0], cases[k].value - cases[k].hold, 1e-9, "case %d", k);
        cr_assert_float_eq(o.book[0][FEES][0], fees, 1e-9, "case %d", k);
        cr_assert_float_eq(o.book[0][IN_RANGE][0], cases[k].in_range / 4, 1e-15, "case %d", k);
        cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], cases[k].value + fees - 11000, 1e-9,
                           "case %d", k);
    }
    mcr_config_free(&c);
}

/* Two LP positions: time_in_range is their average; the marks and fees add up. */
Test(amm_lp, two_positions_average_their_time_in_range)
{
    double path[5] = {100, 121, 169, 169, 49};
    outputs o;
    replay_setup((setup){
        .spot = 100, .sigma = 0.8, .days = 4, .steps = 4,
        .book = "[{asset: BTC, instrument: amm_lp, value: 11000,"
                " pool: {type: concentrated, lower: 0.64, upper: 1.44, fee: 0, volume_per_day: 0}},"
                " {asset: BTC, instrument: amm_lp, value: 1000,"
                " pool: {type: constant_product, fee: 0, volume_per_day: 0}}]",
        .strategies = "[{name: none, type: none}]"}, path, &o);
    cr_assert_float_eq(o.book[0][IN_RANGE][0], (0.5 + 1.0) / 2, 1e-15);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 6125 - 11000 + 1000 * (0.7 - 1), 1e-9);
}

/* A book of 12 constant-product positions (more than the 8 path-dependent positions a book once
 * had room for: the ninth wrote past the array): each is V0_k sqrt(P / P0) at the end. */
Test(amm_lp, a_book_of_many_positions)
{
    char book[4096] = "[";
    for (int k = 0; k < 12; k++)
        snprintf(book + strlen(book), sizeof book - strlen(book),
                 "%s{asset: BTC, instrument: amm_lp, value: %d, pool: {type: constant_product, "
                 "fee: 0, volume_per_day: 0}}", k ? ", " : "", 1000 * (k + 1));
    strcat(book, "]");
    double path[3] = {100, 121, 144};
    outputs o;
    replay_setup((setup){.spot = 100, .sigma = 0.8, .days = 2, .steps = 2,
                         .book = book, .strategies = "[{name: none, type: none}]"}, path, &o);
    double v0 = 1000 * 12 * 13 / 2.0; /* sum of the values */
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], v0 * (sqrt(1.44) - 1), 1e-9);
    cr_assert_float_eq(o.book[0][IL][0], v0 * (sqrt(1.44) - (1 + 1.44) / 2), 1e-9);
}

/* GBM with mu = r = 0: a v2 LP has E[V_t] = V0 e^{-sigma^2 t / 8} (Milionis et al. 2022), so
 *   E[book] = E[impermanent_loss] = V0 (e^{-sigma^2 T / 8} - 1) + E[fees],
 *   E[fees]  = fee x volume x days_per_step x V0 sum_{t < n} e^{-sigma^2 t dt / 8};
 * a delta hedge at every step is a martingale with mean 0, so the hedged LP keeps that mean (the
 * LVR) while its standard deviation falls by over 85%. */
Test(amm_lp, loss_versus_rebalancing_and_fees_under_gbm)
{
    const double v0 = 1e5, sigma = 0.8, days = 30, fee = 0.003, vol = 0.3;
    const int steps = 30;
    sim s = {.cfg = config_of((setup){
                 .spot = 2000, .sigma = sigma, .days = days, .steps = steps, .paths = 4000,
                 .book = "[{asset: BTC, instrument: amm_lp, value: 100000,"
                         " pool: {type: constant_product, fee: 0.003, volume_per_day: 0.3}}]",
                 .strategies = "[{name: none, type: none}, {name: dh, type: delta_hedge, "
                               "instrument: spot, rebalance: {every_steps: 1}}]"})};
    simulate(&s);
    double t_years = days / 365, dt = t_years / steps, lvr = v0 * expm1(-sigma * sigma *
                                                                          t_years / 8);
    double fees = 0;
    for (int t = 0; t < steps; t++)
        fees += fee * vol * (days / steps) * v0 * exp(-sigma * sigma * t * dt / 8);
    um_stats book = {0}, il = {0}, lp = {0}, hedged = {0};
    for (uint64_t i = 0; i < s.cfg.paths; i++) {
        um_add(&book, s.comp[0][MCR_PNL_BOOK][i]);
        um_add(&il, s.book[0][IL][i]);
        um_add(&lp, s.book[0][FEES][i]);
        um_add(&hedged, s.pnl[1][i]);
        cr_assert_eq(s.pnl[0][i], s.comp[0][MCR_PNL_BOOK][i]);
    }
    um_within_4se(&book, lvr + fees, 250, "unhedged LP P&L");
    um_within_4se(&il, lvr, 25, "impermanent loss");
    um_within_4se(&lp, fees, 4, "fees");
    um_within_4se(&hedged, lvr + fees, 6, "delta-hedged LP P&L");
    double ratio = sqrt(um_var(&hedged) / um_var(&book));
    cr_log_info("std hedged / unhedged = %.4f", ratio);
    cr_expect(ratio < 0.15, "the delta hedge leaves %.1f%% of the LP's standard deviation",
              100 * ratio);
    sim_free(&s);
}

/* The pool's keys: a concentrated pool needs its range, upper above lower. */
Test(amm_lp, pool_errors_name_the_key)
{
    const char *head = "market:\n  assets:\n    - {name: ETH, spot: 2000, model: {type: gbm, "
                       "mu: 0, sigma: 0.8}}\nportfolio:\n";
    static const bad_case bad[] = {
        {"  - {asset: ETH, instrument: amm_lp, value: 1000, pool: {type: concentrated, fee: 0.003,"
         " volume_per_day: 1}}\n",
         "portfolio[0].pool.lower: must be a number in (0, 1000000], relative to spot at t0"},
        {"  - {asset: ETH, instrument: amm_lp, value: 1000, pool: {type: concentrated, fee: 0.003,"
         " volume_per_day: 1, lower: 1.2, upper: 0.8}}\n",
         "portfolio[0].pool.upper: must be greater than lower"},
        {"  - {asset: ETH, instrument: amm_lp, value: 1000, pool: {type: v4, fee: 0.003}}\n",
         "pool.type"},
        {"  - {asset: ETH, instrument: amm_lp, value: -5, pool: {type: constant_product}}\n",
         "portfolio[0].value"},
        {"  - {asset: ETH, instrument: amm_lp, value: 1000}\n", "pool"},
    };
    expect_errors_after(head, bad, sizeof bad / sizeof bad[0]);
}

/* The same results at 1 and 2 threads (bitwise) and on every ISA (to rounding). */
Test(amm_lp, threads_and_isas_agree)
{
    const char *book = "[{asset: BTC, instrument: amm_lp, value: 100000, pool: {type: "
                       "concentrated, lower: 0.8, upper: 1.25, fee: 0.0005, volume_per_day: 2}}]";
    const char *strategies = "[{name: dh, type: delta_hedge, instrument: spot, "
                             "rebalance: {every_steps: 1}}]";
    setup u = {.spot = 2000, .sigma = 0.8, .days = 10, .steps = 10, .paths = 300, .book = book,
               .strategies = strategies};
    sim a = {.cfg = config_of(u)}, b = {.cfg = config_of(u)};
    b.cfg.threads = 1;
    simulate(&a);
    simulate(&b);
    cr_assert(memcmp(a.pnl[0], b.pnl[0], 300 * sizeof(double)) == 0);
    for (int f = 0; f < MCR_N_BOOK_FIELDS; f++) /* the bytes written: steps are int32 */
        cr_assert(memcmp(a.book[0][f], b.book[0][f],
                         300 * mcr_field_size((mcr_field_id)(MCR_FIELD_BOOK_FIRST + f))) == 0);
    for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
        if (!mcr_isa_supported((mcr_isa)isa))
            continue;
        double pnl[300];
        mcr_hedge_out out = {.at = {[MCR_FIELD_PNL] = pnl}};
        mcr_sim_options opt = {.kernels = mcr_kernels_of((mcr_isa)isa), .threads = 2};
        mcr_error err = {0};
        cr_assert_eq(mcr_simulate(&a.cfg, 0, &opt, &out, &err), MCR_OK, "%s", err.msg);
        for (int i = 0; i < 300; i++)
            cr_assert(fabs(pnl[i] - a.pnl[0][i]) <= 1e-7 * (1 + fabs(a.pnl[0][i])),
                      "isa %d path %d: %.15g vs %.15g", isa, i, pnl[i], a.pnl[0][i]);
    }
    sim_free(&a);
    sim_free(&b);
}

/* configs/defi_amm_replay.yaml through the loader, its path file and the block loop: the hand
 * values of its header for each of the three paths. */
Test(amm_lp, replay_example_config)
{
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_file(MCR_SOURCE_DIR "/configs/defi_amm_replay.yaml", &c, &err),
                 MCR_OK, "%s", err.msg);
    mcr_replay r = {0};
    cr_assert_eq(mcr_replay_load(&c, &r, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(r.paths, 3);
    double pnl[2][3], book[2][3], hedge[2][3], f[2][MCR_N_BOOK_FIELDS][3];
    mcr_hedge_out out[2];
    for (int s = 0; s < 2; s++) {
        out[s] = (mcr_hedge_out){.at = {[MCR_FIELD_PNL] = pnl[s],
                                        [MCR_FIELD_COMPONENT + MCR_PNL_BOOK] = book[s],
                                        [MCR_FIELD_COMPONENT + MCR_PNL_HEDGE] = hedge[s]}};
        for (int k = 0; k < MCR_N_BOOK_FIELDS; k++)
            out[s].at[MCR_FIELD_BOOK_FIRST + k] = f[s][k];
    }
    mcr_sim_options opt = {.kernels = mcr_kernels_of(MCR_ISA_SCALAR), .threads = 1, .replay = &r};
    cr_assert_eq(mcr_simulate(&c, 0, &opt, out, &err), MCR_OK, "%s", err.msg);
    double x121 = 3000 * (1.0 / 11 - 1.0 / 12), x81 = 3000 * (1.0 / 9 - 1.0 / 12);
    const double want_book[3] = {6125 + 22.75 - 11000, 11750 + 40.75 - 11000,
                                 12000 + 22.75 - 11000};
    const double want_il[3] = {-2325, -300, -2450}, want_in[3] = {0.5, 1, 0.5};
    const double want_hedge[3] = {-(50 * 21 + x121 * 48), -(50 * -19 + x81 * -17 + 125 * 80),
                                  -(50 * 50 + x121 * 48)};
    for (int p = 0; p < 3; p++) {
        for (int s = 0; s < 2; s++) {
            cr_assert_float_eq(book[s][p], want_book[p], 1e-9, "path %d", p);
            cr_assert_float_eq(f[s][IL][p], want_il[p], 1e-9, "path %d", p);
            cr_assert_float_eq(f[s][IN_RANGE][p], want_in[p], 1e-15, "path %d", p);
        }
        cr_assert_float_eq(hedge[1][p], want_hedge[p], 1e-9, "path %d", p);
        cr_assert_float_eq(pnl[1][p], want_book[p] + want_hedge[p], 1e-9, "path %d", p);
    }
    mcr_replay_free(&r);
    mcr_config_free(&c);
}
