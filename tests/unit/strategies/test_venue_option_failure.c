/* Options held at a venue that fails (strategies/venue_legs.c): book calls and puts and option
 * strategies' legs with `venue`, USD- and coin-settled, on replayed paths against Black-Scholes
 * computed here from the flat surface: at the forced default step each open option is worth its
 * value there (its payoff when it expires at that step), a positive net value is a claim worth
 * recovery of it, a net liability is paid, nothing settles, is marked or rolls after; the book's
 * delta (what a delta hedge trades against) and the net greeks drop the options; the same through
 * a path file and the simulation's block loop; 1 vs 2 threads bitwise; input errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_expect.h"
#include "strategy_replay.h"

#define LOSS MCR_PNL_VENUE_LOSS
#define BOOK_LOSS (MCR_FIELD_BOOK_VENUE_LOSS - MCR_FIELD_BOOK_FIRST)
#define RATE 0.05
#define VOL 0.5

/* BTC 100, 90, 80, 70, 60 over four daily steps at a 5% cash rate, implied vol flat at 50%, no
 * costs, no margin; scenario 1 forces ftx (recovery 0.1) to fail at day 2 (step 2, S = 80),
 * scenario 2 forces aave instead. */
#define FOUR_DAYS(book, strategies)                                                               \
    "run: {paths: 1, seed: 1}\n"                                                                  \
    "horizon: {days: 4, steps: 4}\n"                                                              \
    "market: {rate: 0.05, assets: [{name: BTC, spot: 100, model: {type: gbm, mu: 0, sigma: "      \
    "0.5},\n         implied_vol: {atm: 0.5}}]}\n"                                                \
    "portfolio: " book "\n"                                                                       \
    "strategies: " strategies "\n"                                                                \
    "funding: {rate: 0}\n"                                                                        \
    "margin: {mode: none, initial: 0.1, maintenance: 0.005}\n"                                   \
    "venues: [{name: ftx, default_intensity: 0, recovery: 0.1},\n"                               \
    "         {name: aave, default_intensity: 0, recovery: 0.1}]\n"                              \
    "scenarios: [{name: base}, {name: fail, venue_default: {venue: ftx, day: 2}},\n"             \
    "            {name: aave_fails, venue_default: {venue: aave, day: 2}}]\n"

static const double falling[5] = {100, 90, 80, 70, 60};

/* Black-Scholes by hand: d1 = (ln(S/K) + (r + v^2/2) tau) / (v sqrt(tau)), tau in days. */
static double d1_of(double s, double k, double days)
{
    double tau = days / 365.0;
    return (log(s / k) + (RATE + 0.5 * VOL * VOL) * tau) / (VOL * sqrt(tau));
}

static double ncdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

static double put(double s, double k, double days)
{
    double d1 = d1_of(s, k, days), d2 = d1 - VOL * sqrt(days / 365.0);
    return k * exp(-RATE * days / 365.0) * ncdf(-d2) - s * ncdf(-d1);
}

static double call(double s, double k, double days)
{
    return put(s, k, days) + s - k * exp(-RATE * days / 365.0); /* parity */
}

static double put_delta(double s, double k, double days) { return ncdf(d1_of(s, k, days)) - 1; }

/* g_t = e^{r (T - t dt)}: a flow at step t carried to the horizon (T = 4 days). */
static double g(int t) { return exp(RATE * (4 - t) / 365.0); }

/* Two puts (K 95, 10 days) at ftx. Kept: marked at the horizon at 60 with 6 days left. ftx
 * failing at step 2: the puts are worth 2 P(80, 95, 8 days) there, a claim worth 10% of it;
 * nothing is marked at the horizon. The delta hedge (a linear perpetual) shorts the puts' delta
 * at steps 0 and 1 and nothing from step 2 on; the net delta of `none` averages the book's delta
 * over the samples at steps 0..3, which is 0 from the failure on. Another venue's failure
 * changes nothing. */
Test(venue_option_failure, book_puts_by_hand)
{
    mcr_config c = config_yaml(FOUR_DAYS(
        "[{asset: BTC, instrument: put, quantity: 2, strike: 95, expiry_days: 10, venue: ftx}]",
        "[{name: none, type: none}, {name: dh, type: delta_hedge}]"));
    double p0 = put(100, 95, 10), held = 2 * put(80, 95, 8);
    double d0 = 2 * put_delta(100, 95, 10), d1 = 2 * put_delta(90, 95, 9);
    outputs o;
    replay_assets(&c, 0, (const double *const[]){falling}, &o); /* kept */
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 2 * put(60, 95, 6) - 2 * p0 * g(0), 1e-9);
    cr_assert_float_eq(o.book[0][BOOK_LOSS][0], 0, 0);
    cr_assert_eq(o.venue_default[0][0], -1);
    double d2 = 2 * put_delta(80, 95, 8), d3 = 2 * put_delta(70, 95, 7);
    cr_assert_float_eq(o.greeks[0][0][0], (d0 + d1 + d2 + d3) / 4, 1e-9);

    replay_assets(&c, 1, (const double *const[]){falling}, &o); /* ftx fails at step 2 */
    for (int s = 0; s < 2; s++) {
        cr_assert_float_eq(o.comp[s][MCR_PNL_BOOK][0], 0.1 * held * g(2) - 2 * p0 * g(0), 1e-9);
        cr_assert_float_eq(o.book[s][BOOK_LOSS][0], -0.9 * held * g(2), 1e-9);
        cr_assert_float_eq(o.comp[s][LOSS][0], 0, 0, "the book's loss is in book");
        cr_assert_eq(o.venue_default[s][0], 2);
    }
    cr_assert_float_eq(o.greeks[0][0][0], (d0 + d1) / 4, 1e-9);
    /* the hedge: long -d0 then -d1 perpetuals (a put's delta is negative), variation carried */
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], -d0 * (90 - 100) * g(1) - d1 * (80 - 90) * g(2),
                       1e-9);
    cr_assert_float_eq(o.greeks[1][0][0], 0, 1e-12, "hedged at every sample");

    replay_assets(&c, 2, (const double *const[]){falling}, &o); /* aave fails: not ours */
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 2 * put(60, 95, 6) - 2 * p0 * g(0), 1e-9);
    cr_assert_eq(o.venue_default[0][0], -1);
    mcr_config_free(&c);
}

/* The book at ftx: a put (K 95) expiring at day 1, settled at step 1 before the failure (its
 * payoff 5 is the book's); a coin-settled put (K 95) expiring at day 2, the failure's step: worth
 * its payoff 15 there, a USD claim; a sold call (K 70, 10 days), a liability of C(80, 70, 8
 * days) set off against it. The net 15 - C is positive: the claim is 10% of it. The coin put's
 * premium (P0 / S0 coins) is still held against S_T. */
Test(venue_option_failure, book_settled_expiring_coin_and_sold_options)
{
    mcr_config c = config_yaml(FOUR_DAYS(
        "[{asset: BTC, instrument: put, quantity: 1, strike: 95, expiry_days: 1, venue: ftx},\n"
        " {asset: BTC, instrument: put, quantity: 1, strike: 95, expiry_days: 2, venue: ftx, "
        "settlement: coin},\n"
        " {asset: BTC, instrument: call, quantity: -1, strike: 70, expiry_days: 10, venue: ftx}]",
        "[{name: none, type: none}]"));
    double p1 = put(100, 95, 1), p2 = put(100, 95, 2), c0 = call(100, 70, 10);
    double net = 15 - call(80, 70, 8);
    cr_assert(net > 0 && net < 15, "the set-off leaves a claim (%g)", net);
    double value0 = (p1 - c0) * g(0), coin0 = p2 / 100;
    outputs o;
    replay_assets(&c, 1, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0],
                       5 * g(1) + 0.1 * net * g(2) - value0 - coin0 * 60, 1e-9);
    cr_assert_float_eq(o.book[0][BOOK_LOSS][0], -0.9 * net * g(2), 1e-9);
    /* kept: the coin put pays 15 / 80 coin, the call is marked at 60 */
    replay_assets(&c, 0, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0],
                       5 * g(1) + (15.0 / 80 - coin0) * 60 - call(60, 70, 6) - value0, 1e-9);
    mcr_config_free(&c);
}

/* Option strategies over one BTC: a 95% put at ftx, the same put elsewhere, a coin-settled one
 * at ftx, a call sold at 80% at ftx (a liability at the failure: bought back in full, no loss).
 * The put at ftx is worth P(80, 95, 8 days) at step 2: hedge is that, venue_loss -90% of it;
 * its greeks leave the strategy's net delta from step 2 on. */
Test(venue_option_failure, strategy_legs_by_hand)
{
    mcr_config c = config_yaml(FOUR_DAYS(
        "[{asset: BTC, instrument: spot, quantity: 1}]",
        "[{name: put_ftx, type: protective_put, strike: 0.95, expiry_days: 10, venue: ftx},\n"
        " {name: put_safe, type: protective_put, strike: 0.95, expiry_days: 10},\n"
        " {name: coin_ftx, type: protective_put, strike: 0.95, expiry_days: 10, settlement: "
        "coin, venue: ftx},\n"
        " {name: call_ftx, type: covered_call, strike: 0.8, expiry_days: 10, venue: ftx}]"));
    double p0 = put(100, 95, 10), held = put(80, 95, 8), book = 60 - 100 * g(0);
    outputs o;
    replay_assets(&c, 1, (const double *const[]){falling}, &o);
    for (int s = 0; s < 4; s++)
        cr_assert_float_eq(o.comp[s][MCR_PNL_BOOK][0], book, 1e-9);
    /* put_ftx */
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -p0 * g(0), 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], held * g(2), 1e-9);
    cr_assert_float_eq(o.comp[0][LOSS][0], -0.9 * held * g(2), 1e-9);
    cr_assert_float_eq(o.pnl[0][0], book - p0 * g(0) + 0.1 * held * g(2), 1e-9);
    cr_assert_eq(o.venue_default[0][0], 2);
    double d0 = put_delta(100, 95, 10), d1 = put_delta(90, 95, 9);
    cr_assert_float_eq(o.greeks[0][0][0], 1 + (d0 + d1) / 4, 1e-9);
    /* put_safe: marked at the horizon */
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], put(60, 95, 6), 1e-9);
    cr_assert_float_eq(o.comp[1][LOSS][0], 0, 0);
    cr_assert_eq(o.venue_default[1][0], -1);
    /* coin_ftx: P0 / 100 coins of premium held against S_T = 60, the claim in USD */
    cr_assert_float_eq(o.comp[2][MCR_PNL_PREMIUM][0], -p0 / 100 * 60, 1e-9);
    cr_assert_float_eq(o.comp[2][MCR_PNL_HEDGE][0], held * g(2), 1e-9);
    cr_assert_float_eq(o.comp[2][LOSS][0], -0.9 * held * g(2), 1e-9);
    /* call_ftx: sold at C(100, 80, 10 days), bought back at C(80, 80, 8 days), nothing lost */
    cr_assert_float_eq(o.comp[3][MCR_PNL_PREMIUM][0], call(100, 80, 10) * g(0), 1e-9);
    cr_assert_float_eq(o.comp[3][MCR_PNL_HEDGE][0], -call(80, 80, 8) * g(2), 1e-9);
    cr_assert_float_eq(o.comp[3][LOSS][0], 0, 0);
    /* no failure: the put at ftx is the put elsewhere */
    replay_assets(&c, 0, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.pnl[0][0], o.pnl[1][0], 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], put(60, 95, 6), 1e-9);
    mcr_config_free(&c);
}

/* A programme of 2-day 95% puts rolled daily at ftx (USD and coin), and the same elsewhere. t0's
 * put (K 95) expires at step 2; the roll at step 1 buys K 85.5 (95% of 90) expiring at step 3.
 * ftx fails at step 2, before that step's settlement and roll: the claim is 15 (t0's payoff) +
 * P(80, 85.5, 1 day); the rolls of steps 2 and 3 never happen. Elsewhere every roll happens. */
Test(venue_option_failure, rolled_programme_stops_at_the_failure)
{
    mcr_config c = config_yaml(FOUR_DAYS(
        "[{asset: BTC, instrument: spot, quantity: 1}]",
        "[{name: roll_ftx, type: protective_put, strike: 0.95, expiry_days: 2, roll: "
        "{every_days: 1}, venue: ftx},\n"
        " {name: roll_safe, type: protective_put, strike: 0.95, expiry_days: 2, roll: "
        "{every_days: 1}},\n"
        " {name: roll_coin, type: protective_put, strike: 0.95, expiry_days: 2, roll: "
        "{every_days: 1}, settlement: coin, venue: ftx}]"));
    double p0 = put(100, 95, 2), p1 = put(90, 85.5, 2), held = 15 + put(80, 85.5, 1);
    outputs o;
    replay_assets(&c, 1, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -p0 * g(0) - p1 * g(1), 1e-9,
                       "no premium after the failure");
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], held * g(2), 1e-9);
    cr_assert_float_eq(o.comp[0][LOSS][0], -0.9 * held * g(2), 1e-9);
    cr_assert_float_eq(o.greeks[0][0][0], 1 + (put_delta(100, 95, 2) + put_delta(90, 95, 1) +
                                                put_delta(90, 85.5, 2)) / 4, 1e-9);
    /* coin: premiums P0 / 100 and P1 / 90 coins held against S_T = 60; the claim in USD */
    cr_assert_float_eq(o.comp[2][MCR_PNL_PREMIUM][0], -(p0 / 100 + p1 / 90) * 60, 1e-9);
    cr_assert_float_eq(o.comp[2][MCR_PNL_HEDGE][0], held * g(2), 1e-9);
    cr_assert_float_eq(o.comp[2][LOSS][0], -0.9 * held * g(2), 1e-9);
    /* elsewhere: rolls at steps 1, 2, 3 (K 85.5, 76, 66.5); payoffs 15 at step 2, 15.5 at step
     * 3, 16 at step 4; the last one marked with one day left */
    double p2 = put(80, 76, 2), p3 = put(70, 66.5, 2);
    cr_assert_float_eq(o.comp[1][MCR_PNL_PREMIUM][0],
                       -p0 * g(0) - p1 * g(1) - p2 * g(2) - p3 * g(3), 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0],
                       15 * g(2) + 15.5 * g(3) + 16 * g(4) + put(60, 66.5, 1), 1e-9);
    /* no failure: the programme at ftx is the one elsewhere */
    replay_assets(&c, 0, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.pnl[0][0], o.pnl[1][0], 1e-12);
    mcr_config_free(&c);
}

/* The same book put through a path file and the simulation (mcr_simulate, its blocks and
 * chunks): path 0 falls as above, path 1 rises to 140 (the put's claim at step 2 is then
 * P(120, 95, 8 days)). */
Test(venue_option_failure, through_a_path_file)
{
    char csv[] = "/tmp/mcr-venue-options-XXXXXX";
    int fd = mkstemp(csv);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "fall,rise\n100,100\n90,110\n80,120\n70,130\n60,140\n");
    fclose(f);
    char yaml[4096];
    snprintf(yaml, sizeof yaml,
             "run: {paths: 2, seed: 1}\n"
             "horizon: {days: 4, steps: 4}\n"
             "market: {rate: 0.05, assets: [{name: BTC, spot: 100, path_file: %s, model: {type: "
             "gbm, mu: 0, sigma: 0.5}, implied_vol: {atm: 0.5}}]}\n"
             "portfolio: [{asset: BTC, instrument: put, quantity: 2, strike: 95, expiry_days: 10, "
             "venue: ftx}]\n"
             "strategies: [{name: none, type: none}]\n"
             "venues: [{name: ftx, default_intensity: 0, recovery: 0.1}]\n"
             "scenarios: [{name: fail, venue_default: {venue: ftx, day: 2}}]\n",
             csv);
    sim s = {.cfg = config_yaml(yaml)};
    mcr_replay r = {0};
    mcr_error err = {0};
    cr_assert_eq(mcr_replay_load(&s.cfg, &r, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(r.paths, 2);
    s.replay = &r;
    simulate(&s);
    unlink(csv);
    mcr_replay_free(&r);
    double p0 = put(100, 95, 10);
    double held[2] = {2 * put(80, 95, 8), 2 * put(120, 95, 8)};
    for (int i = 0; i < 2; i++) {
        cr_assert_float_eq(s.comp[0][MCR_PNL_BOOK][i], 0.1 * held[i] * g(2) - 2 * p0 * g(0), 1e-9,
                           "path %d: %.10g", i, s.comp[0][MCR_PNL_BOOK][i]);
        cr_assert_float_eq(s.book[0][BOOK_LOSS][i], -0.9 * held[i] * g(2), 1e-9);
        cr_assert_float_eq(s.pnl[0][i], s.comp[0][MCR_PNL_BOOK][i], 1e-12);
    }
    sim_free(&s);
}

/* A book put and a rolled put programme at a venue failing at 2 a year (63% of the paths within
 * half a year), with a delta hedge: bitwise the same at 1 and 2 threads. */
Test(venue_option_failure, threads_agree_bitwise)
{
    const char *yaml =
        "run: {paths: 3000, seed: 5}\n"
        "horizon: {days: 182.5, steps: 26}\n"
        "market: {rate: 0.03, assets: [{name: BTC, spot: 100, model: {type: gbm, mu: 0.1, "
        "sigma: 0.5}, implied_vol: {atm: 0.5}}]}\n"
        "portfolio: [{asset: BTC, instrument: spot, quantity: 1},\n"
        "            {asset: BTC, instrument: put, quantity: 1, strike: 90, expiry_days: 120, "
        "venue: ex}]\n"
        "strategies: [{name: rolled, type: protective_put, strike: 0.9, expiry_days: 30, roll: "
        "{every_days: 14}, venue: ex},\n"
        "             {name: coin, type: collar, put_strike: 0.9, expiry_days: 60, settlement: "
        "coin, venue: ex},\n"
        "             {name: dh, type: delta_hedge, instrument: spot}]\n"
        "venues: [{name: ex, default_intensity: 2, recovery: 0.25}]\n";
    sim a = {.cfg = config_yaml(yaml)}, b = {.cfg = config_yaml(yaml)};
    a.cfg.threads = 1;
    b.cfg.threads = 2;
    simulate(&a);
    simulate(&b);
    size_t n = a.cfg.paths * sizeof(double);
    int failed = 0;
    for (int s = 0; s < a.cfg.n_strategies; s++) {
        cr_assert(memcmp(a.pnl[s], b.pnl[s], n) == 0, "strategy %d", s);
        for (int k = 0; k < MCR_N_COMPONENTS; k++)
            cr_assert(memcmp(a.comp[s][k], b.comp[s][k], n) == 0, "strategy %d comp %d", s, k);
        cr_assert(memcmp(a.book[s][BOOK_LOSS], b.book[s][BOOK_LOSS], n) == 0);
    }
    for (uint64_t i = 0; i < a.cfg.paths; i++)
        failed += a.comp[0][LOSS][i] < 0;
    cr_assert(failed > 1000, "the programme loses at the venue on most paths (got %d)", failed);
    sim_free(&a);
    sim_free(&b);
}

/* Each error names the file, the line, the key and the venues allowed, on one line. */
Test(venue_option_failure, input_errors)
{
    expect_error(FOUR_DAYS("[{asset: BTC, instrument: call, quantity: 1, strike: 100, "
                           "expiry_days: 9, venue: okx}]",
                           "[{name: none, type: none}]"),
                 "bad.yaml:5: portfolio[0].venue:", "unknown venue 'okx'; allowed: ftx, aave");
    expect_error(FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1}]",
                           "[{name: c, type: collar, put_strike: 0.9, venue: deribit}]"),
                 "bad.yaml:6: strategies[0].venue:", "unknown venue 'deribit'; allowed: ftx, aave");
    expect_error(FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1}]",
                           "[{name: r, type: protective_put, strike: 0.9, roll: {every_days: 1}, "
                           "settlement: coin, venue: 7}]"),
                 "bad.yaml:6: strategies[0].venue:", "unknown venue '7'");
    expect_error("run: {paths: 1}\nhorizon: {days: 4, steps: 4}\n"
                 "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]}\n"
                 "portfolio: [{asset: BTC, instrument: put, quantity: 1, strike: 90, "
                 "expiry_days: 9, venue: ftx}]\n",
                 "bad.yaml:4: portfolio[0].venue:",
                 "unknown venue 'ftx'; allowed: none (declare it under venues");
}
