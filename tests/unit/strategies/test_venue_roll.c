/* Rolling option programmes (issue 12, item 7) on replayed paths against Black-Scholes by hand:
 * a 90-day protective put rolled every 30 days pays three 30-day premiums on a flat path and the
 * payoffs of strikes reset to 90% of spot at each roll on a falling one; options held past a
 * roll, or sold at their mark there (close_on_roll); weekly and daily rolls of monthly puts, with
 * up to thirty generations open at once. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/black_scholes.h"
#include "run/memory.h"
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
    double path[91];
    ramp(path, 90, 100, slope);
    replay_setup((setup){.spot = 100, .sigma = 0.8, .days = 90, .steps = 90,
                         .book = "[{asset: BTC, quantity: 1}]", .strategies = strategies},
                 path, o);
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

/* Greeks of a put (K, sigma 0.8, rate 0) at spot s with tau years left, added to g. */
static void put_greeks(double s, double k, double tau, double g[3])
{
    double sq = 0.8 * sqrt(tau), d1 = (log(s / k) + 0.5 * 0.8 * 0.8 * tau) / sq;
    double pdf = exp(-0.5 * d1 * d1) / sqrt(2 * M_PI);
    g[0] += 0.5 * erfc(-d1 / sqrt(2)) - 1.0;
    g[1] += pdf / (s * sq);
    g[2] += s * pdf * sqrt(tau);
}

/* A programme of puts at 90% of spot rolled every `every` days, each expiring `days` later, held
 * to expiry, by hand on the 90-day path S (daily steps, rate 0, flat vol 0.8): generations open
 * at u = 0, every, 2 every, .. < 90 (t0's and the rolls); each pays BS(S_u, 0.9 S_u, days), and
 * max(K - S, 0) at u + days <= 90, or is marked at S_90 with u + days - 90 days left. The net
 * greeks: the book's delta 1 plus every generation open at the sample steps t = 0, 2, .., 88
 * (u <= t < u + days), at S_t with u + days - t days left. */
static void hand_roll(const double *S, int every, int days, double *premium, double *hedge,
                      double greeks[3])
{
    *premium = *hedge = 0;
    for (int u = 0; u < 90; u += every) {
        double k = 0.9 * S[u];
        *premium -= put(S[u], k, days);
        *hedge += u + days <= 90 ? fmax(k - S[u + days], 0) : put(S[90], k, u + days - 90);
    }
    int samples = 0;
    memset(greeks, 0, 3 * sizeof *greeks);
    for (int t = 0; t < 90; t += 2, samples++) {
        greeks[0] += 1.0;
        for (int u = 0; u <= t; u += every)
            if (u + days > t)
                put_greeks(S[t], 0.9 * S[u], (u + days - t) / 365.0, greeks);
    }
    for (int k = 0; k < 3; k++)
        greeks[k] /= samples;
}

/* Weekly rolls of monthly puts (issue 12: overlapping generations beyond three): 28-day puts
 * every 7 days hold four generations at once (one settles at each roll date), 30-day ones five,
 * daily rolls of 30-day puts thirty, and 90-day puts every 10 days keep every generation to the
 * horizon. On a path that falls 0.6 a day to 70 at day 50, then recovers 0.4 a day (so early
 * puts pay and later ones expire worthless or are marked), premiums, payoffs and marks, and the
 * net greeks equal the hand sums; the plan's slots are the generations that can be open at once,
 * and the memory estimate counts them for every thread. */
Test(venue_roll, weekly_rolls_of_monthly_puts_overlap)
{
    static const struct {
        int every, days, slots;
    } cases[] = {{7, 28, 4}, {7, 30, 5}, {1, 30, 30}, {10, 90, 8}};
    double path[91];
    for (int t = 0; t <= 90; t++)
        path[t] = t <= 50 ? 100 - 0.6 * t : 70 + 0.4 * (t - 50);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char strategies[256];
        snprintf(strategies, sizeof strategies, "[{name: p, type: protective_put, strike: 0.9, "
                 "expiry_days: %d, roll: {every_days: %d}}]", cases[c].days, cases[c].every);
        mcr_config cfg = config_of((setup){.spot = 100, .sigma = 0.8, .days = 90, .steps = 90,
                                           .book = "[{asset: BTC, quantity: 1}]",
                                           .strategies = strategies});
        mcr_hedge_plan plan;
        mcr_error err = {0};
        cr_assert_eq(mcr_hedge_plan_init(&plan, &cfg, 0, &err), MCR_OK, "%s", err.msg);
        cr_assert_eq(plan.parts[0].roll_slots, cases[c].slots, "case %zu: %d slots", c,
                     plan.parts[0].roll_slots);
        mcr_hedge_plan_free(&plan);
        mcr_memory m;
        mcr_memory_estimate(&cfg, 1000, 1000, 3, false, MCR_OUTPUT_STREAMED, &m);
        double want = 3.0 * cases[c].slots * sizeof(mcr_roll_gen), got = -1;
        for (int k = 0; k < m.n; k++)
            if (!strcmp(m.term[k].name, "rolled option generations"))
                got = m.term[k].bytes;
        cr_assert_eq(got, want, "case %zu: memory term %g, want %g", c, got, want);
        outputs o;
        replay(&cfg, path, &o);
        mcr_config_free(&cfg);
        double premium, hedge, greeks[3];
        hand_roll(path, cases[c].every, cases[c].days, &premium, &hedge, greeks);
        cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], premium, 1e-9, "case %zu", c);
        cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], hedge, 1e-9, "case %zu", c);
        cr_assert(hedge > 1.0, "case %zu: some puts pay (%g)", c, hedge);
        for (int k = 0; k < 3; k++)
            cr_assert(fabs(o.greeks[0][k][0] - greeks[k]) <= 1e-9 * (1 + fabs(greeks[k])),
                      "case %zu greek %d: %.12g, by hand %.12g", c, k, o.greeks[0][k][0],
                      greeks[k]);
    }
}

/* close_on_roll keeps one slot however long the options; a run without a roll has none. */
Test(venue_roll, slots_follow_the_config)
{
    static const struct {
        const char *strategy;
        int slots;
    } cases[] = {
        {"{name: p, type: protective_put, strike: 0.9, expiry_days: 90, "
         "roll: {every_days: 1, close_on_roll: true}}", 1},
        {"{name: p, type: protective_put, strike: 0.9, expiry_days: 30, "
         "roll: {every_days: 120}}", 0}, /* no roll date inside the horizon */
        {"{name: p, type: protective_put, strike: 0.9, expiry_days: 30}", 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char strategies[256];
        snprintf(strategies, sizeof strategies, "[%s]", cases[c].strategy);
        mcr_config cfg = config_of((setup){.spot = 100, .sigma = 0.8, .days = 90, .steps = 90,
                                           .book = "[{asset: BTC, quantity: 1}]",
                                           .strategies = strategies});
        mcr_hedge_plan plan;
        mcr_error err = {0};
        cr_assert_eq(mcr_hedge_plan_init(&plan, &cfg, 0, &err), MCR_OK, "%s", err.msg);
        cr_assert_eq(plan.parts[0].roll_slots, cases[c].slots, "case %zu", c);
        mcr_hedge_plan_free(&plan);
        mcr_config_free(&cfg);
    }
}

/* A thread's workspace runs block after block: a block's result must not depend on the block
 * before it. After a rising path (strikes 90, 103.5, 117 of 60-day puts rolled every 30 days),
 * the slots keep those strikes; on the next block, a flat path, nothing may settle at t0 (a free
 * slot's expiry is 0): its outputs are bitwise those of a fresh workspace. */
Test(venue_roll, a_block_does_not_see_the_one_before)
{
    mcr_config c = config_of((setup){
        .spot = 100, .sigma = 0.8, .days = 90, .steps = 90, .book = "[{asset: BTC, quantity: 1}]",
        .strategies = "[{name: p, type: protective_put, strike: 0.9, expiry_days: 60, roll: "
                      "{every_days: 30}}]"});
    double up[91], flat[91];
    ramp(up, 90, 100, 0.5);
    ramp(flat, 90, 100, 0);
    outputs fresh, before, after;
    replay(&c, flat, &fresh);
    mcr_hedge_plan plan;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&plan, &c, 0, &err), MCR_OK, "%s", err.msg);
    mcr_hedge_work *w = mcr_hedge_work_new(&plan, mcr_kernels_of(MCR_ISA_SCALAR));
    replay_block(w, &c, 0, (const double *const[]){up}, &before);
    cr_assert(before.comp[0][MCR_PNL_HEDGE][0] > 0, "the rising path's last put is in the money");
    replay_block(w, &c, MCR_BLOCK_PATHS, (const double *const[]){flat}, &after);
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        cr_assert(memcmp(&after.comp[0][k][0], &fresh.comp[0][k][0], sizeof(double)) == 0,
                  "component %d: %.17g after a block, %.17g fresh", k, after.comp[0][k][0],
                  fresh.comp[0][k][0]);
    cr_assert(memcmp(&after.pnl[0][0], &fresh.pnl[0][0], sizeof(double)) == 0);
    mcr_hedge_work_free(w);
    mcr_hedge_plan_free(&plan);
    mcr_config_free(&c);
}
