/* Venue and protocol failure (strategies/venue_failure.c, the venues section): a forced default
 * on replayed paths against hand computations (spot at the venue, staked coins there, a
 * perpetual hedge's account there and one elsewhere, a loan and AMM liquidity at a protocol),
 * the built-in ftx scenario's forced day, P(default before T) = 1 - e^{-lambda T} and the mean
 * venue loss against its closed form within 4 se (with a bound on the se), bitwise results at 1
 * and 2 threads, and the input errors (options at a venue: test_venue_option_failure.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strategy_replay.h"
#include "unit_mc.h"

#define LOSS MCR_PNL_VENUE_LOSS
#define BOOK_LOSS (MCR_FIELD_BOOK_VENUE_LOSS - MCR_FIELD_BOOK_FIRST)

/* BTC 100, 90, 80, 70, 60 over four daily steps, no rate, no costs; scenario 1 forces venue ftx
 * (recovery 0.1) to fail at day 2 (step 2, S = 80). */
#define FOUR_DAYS(book, strategies)                                                               \
    "run: {paths: 1, seed: 1}\n"                                                                  \
    "horizon: {days: 4, steps: 4}\n"                                                              \
    "market: {rate: 0, assets: [{name: BTC, spot: 100, model: {type: gbm, mu: 0, sigma: 0.5},\n" \
    "         implied_vol: {atm: 0.5}}]}\n"                                                       \
    "portfolio: " book "\n"                                                                       \
    "strategies: " strategies "\n"                                                                \
    "funding: {rate: 0}\n"                                                                        \
    "margin: {mode: isolated, initial: 0.1, maintenance: 0.005}\n"                               \
    "venues: [{name: ftx, default_intensity: 0, recovery: 0.1},\n"                               \
    "         {name: aave, default_intensity: 0, recovery: 0.1}]\n"                              \
    "scenarios: [{name: base}, {name: fail, venue_default: {venue: ftx, day: 2}},\n"             \
    "            {name: aave_fails, venue_default: {venue: aave, day: 2}}]\n"

static const double falling[5] = {100, 90, 80, 70, 60};

/* One BTC kept at ftx; a short perpetual of one BTC opened at t0 with 10 of margin at ftx, and
 * the same hedge elsewhere. At step 2 the coin (80) and the ftx account (10 + 10 + 10 of
 * variation = 30) become claims worth 10%: losses 72 (the book's: in book, reported as
 * defi/book_venue_loss) and 27 (the strategy's: venue_loss). */
Test(venue_failure, forced_default_by_hand)
{
    mcr_config c = config_yaml(
        FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1, venue: ftx}]",
                  "[{name: none, type: none}, {name: perp_ftx, type: perp_hedge, "
                  "venue: ftx}, {name: perp_safe, type: perp_hedge}]"));
    outputs o;
    replay_assets(&c, 0, (const double *const[]){falling}, &o); /* no failure */
    cr_assert_float_eq(o.pnl[0][0], -40, 1e-9);
    cr_assert_float_eq(o.pnl[1][0], 0, 1e-9);
    cr_assert_float_eq(o.comp[1][LOSS][0], 0, 0);
    cr_assert_eq(o.venue_default[1][0], -1);

    replay_assets(&c, 1, (const double *const[]){falling}, &o);
    /* none: the coin is a claim of 80 at step 2 worth 8 (book 8 - 100), 72 of it lost */
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], -92, 1e-9);
    cr_assert_float_eq(o.book[0][BOOK_LOSS][0], -72, 1e-9);
    cr_assert_float_eq(o.comp[0][LOSS][0], 0, 0);
    cr_assert_float_eq(o.pnl[0][0], -92, 1e-9);
    /* perp_ftx: +20 of variation to step 2, then closed; its account of 30 lost but 3 */
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], 20, 1e-9);
    cr_assert_float_eq(o.comp[1][LOSS][0], -27, 1e-9);
    cr_assert_float_eq(o.pnl[1][0], -92 + 20 - 27, 1e-9);
    /* perp_safe keeps its short to the horizon: +40 */
    cr_assert_float_eq(o.comp[2][MCR_PNL_HEDGE][0], 40, 1e-9);
    cr_assert_float_eq(o.comp[2][LOSS][0], 0, 0);
    cr_assert_float_eq(o.pnl[2][0], -92 + 40, 1e-9);
    for (int s = 0; s < 3; s++)
        cr_assert_eq(o.venue_default[s][0], 2, "strategy %d", s);
    /* another venue's failure touches nothing here, and nobody reports it */
    replay_assets(&c, 2, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.pnl[1][0], 0, 1e-9);
    cr_assert_eq(o.venue_default[1][0], -1);
    mcr_config_free(&c);
}

/* A loan (10 BTC against 500 USD, LT 0.8) and v2 liquidity (1,000 at 100, fee 0.3% of a volume
 * of 1x a day) at aave, which fails at step 2 (S = 80): the loan's equity 800 - 500 = 300 and the
 * pool's value 1,000 sqrt(0.8) = 894.43 become claims worth 10%. The pool earned 3 + 2.846 of
 * fees on steps 1 and 2 (on its value at each step's start) and stops; its impermanent loss is
 * the one at step 2; the loan's minimum health factor is the one at step 2 (1.28). A delta hedge
 * shorts 10 + 5 BTC until then, and nothing after. */
Test(venue_failure, loan_and_pool_at_a_failed_protocol)
{
    mcr_config c = config_yaml(FOUR_DAYS(
        "[{instrument: loan, venue: aave, collateral: {asset: BTC, quantity: 10}, debt: {amount: "
        "500}, liquidation_threshold: 0.8, liquidation_bonus: 0.05, close_factor: 0.5},\n"
        " {asset: BTC, instrument: amm_lp, value: 1000, venue: aave, pool: {type: "
        "constant_product, fee: 0.003, volume_per_day: 1}}]",
        "[{name: none, type: none}, {name: dh, type: delta_hedge, instrument: spot}]"));
    outputs o;
    replay_assets(&c, 2, (const double *const[]){falling}, &o);
    double pool = 1000 * sqrt(0.8), fees = 0.003 * (1000 + 1000 * sqrt(0.9));
    cr_assert_float_eq(o.book[0][MCR_FIELD_LP_FEES - MCR_FIELD_BOOK_FIRST][0], fees, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 0.1 * (300 + pool) + fees - 1500, 1e-9);
    cr_assert_float_eq(o.book[0][BOOK_LOSS][0], -0.9 * (300 + pool), 1e-9);
    cr_assert_float_eq(o.book[0][MCR_FIELD_IMPERMANENT_LOSS - MCR_FIELD_BOOK_FIRST][0],
                       pool - (5 * 80 + 500), 1e-9);
    cr_assert_float_eq(o.book[0][MCR_FIELD_MIN_HEALTH_FACTOR - MCR_FIELD_BOOK_FIRST][0],
                       800 * 0.8 / 500, 1e-12);
    cr_assert_eq(o.venue_default[0][0], 2);
    /* the hedge: short 10 + x(P) of the pool (5 sqrt(100 / P) BTC) at steps 0 and 1, nothing
     * from step 2 on */
    double q0 = 10 + 5, q1 = 10 + 5 * sqrt(100.0 / 90);
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], -q0 * (90 - 100) - q1 * (80 - 90), 1e-9);
    mcr_config_free(&c);
}

/* The built-in ftx scenario forces the venue named ftx at day 1.6 (step 2 of daily steps) when
 * the config declares one, and nothing otherwise. */
Test(venue_failure, builtin_ftx_forces_a_venue_named_ftx)
{
    const char *with = FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1, venue: ftx}]",
                                 "[{name: none, type: none}]");
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s", with);
    char *sc = strstr(yaml, "scenarios:");
    snprintf(sc, sizeof yaml - (size_t)(sc - yaml), "scenarios: [{name: f, use: ftx}]\n");
    mcr_config c = config_yaml(yaml);
    mcr_hedge_plan p;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&p, &c, 0, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(p.venues.forced_step[0], 2);
    cr_assert_eq(p.venues.forced_step[1], c.steps + 1);
    mcr_hedge_plan_free(&p);
    mcr_config_free(&c);
    char *v = strstr(yaml, "venues:"); /* no venue named ftx: nothing forced */
    memcpy(v, "venues: [{name: fxx", 19);
    v = strstr(yaml, "venue: ftx");
    memcpy(v, "venue: fxx", 10);
    c = config_yaml(yaml);
    cr_assert_eq(mcr_hedge_plan_init(&p, &c, 0, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(p.venues.forced_step[0], c.steps + 1);
    mcr_hedge_plan_free(&p);
    mcr_config_free(&c);
}

/* One strategy's pnl, venue losses (its own, the book's) and default steps over cfg->paths
 * simulated paths. */
typedef struct venue_run {
    double *pnl, *loss, *book_loss;
    int32_t *step;
} venue_run;

static venue_run run_venue(const mcr_config *c, int threads, int strategy)
{
    uint64_t n = c->paths;
    venue_run r = {malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                   malloc(n * sizeof(double)), malloc(n * sizeof(int32_t))};
    mcr_hedge_out out[MCR_MAX_STRATEGIES] = {0};
    double *scratch = malloc(n * sizeof(double) * (size_t)c->n_strategies);
    for (int s = 0; s < c->n_strategies; s++)
        out[s].at[MCR_FIELD_PNL] = scratch + (size_t)s * n;
    out[strategy].at[MCR_FIELD_PNL] = r.pnl;
    out[strategy].at[MCR_FIELD_COMPONENT + LOSS] = r.loss;
    out[strategy].at[MCR_FIELD_BOOK_VENUE_LOSS] = r.book_loss;
    out[strategy].at[MCR_FIELD_VENUE_DEFAULT_STEP] = r.step;
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = threads};
    mcr_error err = {0};
    cr_assert_eq(mcr_simulate(c, 0, &opt, out, &err), MCR_OK, "%s", err.msg);
    free(scratch);
    return r;
}

static void run_free(venue_run *r)
{
    free(r->pnl);
    free(r->loss);
    free(r->book_loss);
    free(r->step);
}

/* 2 BTC kept at a venue failing at lambda = 2 a year, recovery 0.25, over half a year of 26
 * steps; BTC is GBM with mu 0.1 (E[S_t] = S0 e^{0.1 t}), the cash rate 3%. The loss is
 * 0.75 x 2 S at the end of the default's step, carried to T at 3%: its mean is
 * mcr_venue_mean_loss_grid (models/venue_default.h) with g = mu, a = r. */
#define MC_CONFIG                                                                                 \
    "run: {paths: 20000, seed: 11}\n"                                                             \
    "horizon: {days: 182.5, steps: 26}\n"                                                         \
    "market: {rate: 0.03, assets: [{name: BTC, spot: 100, model: {type: gbm, mu: 0.1, sigma: "    \
    "0.5}, implied_vol: {atm: 0.5}}]}\n"                                                          \
    "portfolio: [{asset: BTC, instrument: spot, quantity: 2, venue: ex}]\n"                       \
    "venues: [{name: ex, default_intensity: 2, recovery: 0.25}]\n"

Test(venue_failure, default_probability_and_mean_loss_within_4se)
{
    mcr_config c = config_yaml(MC_CONFIG "strategies: [{name: none, type: none}]\n");
    venue_run r = run_venue(&c, 2, 0);
    um_stats p = {0}, loss = {0};
    for (uint64_t i = 0; i < c.paths; i++) {
        um_add(&p, r.step[i] >= 0);
        um_add(&loss, -r.book_loss[i]);
    }
    double T = 0.5, dt = T / 26;
    mcr_venue_failure f = {2, 0.25, INFINITY};
    um_within_4se(&p, -expm1(-2 * T), 0.004, "P(default before T)");
    um_within_4se(&loss, mcr_venue_mean_loss_grid(&f, 200, 0.1, 0.03, dt, 26), 1.5,
                  "mean venue loss");
    mcr_config_free(&c);
    run_free(&r);
}

/* Bitwise the same at 1 and 2 threads, with a perpetual hedge's account at the venue too. */
Test(venue_failure, threads_agree_bitwise)
{
    mcr_config c = config_yaml(MC_CONFIG "strategies: [{name: none, type: none}, {name: perp, "
                                         "type: perp_hedge, venue: ex}]\nmargin: {mode: "
                                         "isolated, initial: 0.2}\n");
    c.paths = 3000;
    venue_run a = run_venue(&c, 1, 1), b = run_venue(&c, 2, 1);
    cr_assert(memcmp(a.pnl, b.pnl, c.paths * sizeof(double)) == 0);
    cr_assert(memcmp(a.loss, b.loss, c.paths * sizeof(double)) == 0);
    cr_assert(memcmp(a.book_loss, b.book_loss, c.paths * sizeof(double)) == 0);
    cr_assert(memcmp(a.step, b.step, c.paths * sizeof(int32_t)) == 0);
    int failed = 0;
    for (uint64_t i = 0; i < c.paths; i++)
        failed += a.step[i] >= 0 && a.loss[i] < 0;
    cr_assert(failed > 1000, "the venue fails on about 63%% of the paths (got %d)", failed);
    mcr_config_free(&c);
    run_free(&a);
    run_free(&b);
}

static void refused(const char *yaml, const char *needle)
{
    mcr_config c;
    mcr_error err = {0};
    cr_assert_neq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_OK, "%s", yaml);
    cr_assert(strstr(err.msg, needle), "message: %s (wanted %s)", err.msg, needle);
}

Test(venue_failure, input_errors)
{
    refused(FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1, venue: binance}]",
                      "[{name: none, type: none}]"),
            "portfolio[0].venue: unknown venue 'binance'; allowed: ftx, aave");
    refused(FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1}]",
                      "[{name: p, type: perp_hedge, venue: okx}]"),
            "strategies[0].venue: unknown venue 'okx'");
    refused(FOUR_DAYS("[{asset: BTC, instrument: call, quantity: 1, strike: 1, expiry_days: 3, "
                      "venue: okx}]",
                      "[{name: none, type: none}]"),
            "portfolio[0].venue: unknown venue 'okx'; allowed: ftx, aave");
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s", FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1}]",
                                                "[{name: none, type: none}]"));
    char *sc = strstr(yaml, "scenarios:");
    snprintf(sc, sizeof yaml - (size_t)(sc - yaml),
             "scenarios: [{name: f, venue_default: {venue: ftx, day: 5}}]\n");
    refused(yaml, "scenarios[0].venue_default.day: must be a number in (0, 4]");
    snprintf(sc, sizeof yaml - (size_t)(sc - yaml),
             "scenarios: [{name: f, venue_default: {venue: kraken, day: 1}}]\n");
    refused(yaml, "unknown venue 'kraken'");
    char *v = strstr(yaml, "venues:");
    snprintf(v, sizeof yaml - (size_t)(v - yaml),
             "venues: [{name: a, default_intensity: 1, recovery: 1.5}]\n");
    refused(yaml, "venues[0].recovery");
    snprintf(v, sizeof yaml - (size_t)(v - yaml),
             "venues: [{name: a, default_intensity: 1, recovery: 0}, {name: a, "
             "default_intensity: 1, recovery: 0}]\n");
    refused(yaml, "venues[1].name: duplicate name");
}

/* Staked coins at a venue (`yield` with `venue`): the coins accrued go with the coins. One BTC
 * at ftx earning 36.5% a year (e^{0.001} a day): kept to the horizon, yield (e^{0.004} - 1) x 60
 * and book -40; ftx failing at step 2 (S = 80), the claim is 10% of e^{0.002} x 80, and nothing
 * accrues after. */
Test(venue_failure, staked_coins_at_a_failing_venue)
{
    mcr_config c = config_yaml(FOUR_DAYS("[{asset: BTC, instrument: spot, quantity: 1, yield: "
                                         "0.365, venue: ftx}]", "[{name: none, type: none}]"));
    outputs o;
    replay_assets(&c, 0, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_YIELD][0], expm1(0.004) * 60, 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], -40, 1e-9);
    replay_assets(&c, 1, (const double *const[]){falling}, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_YIELD][0], 0, 0);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 0.1 * exp(0.002) * 80 - 100, 1e-9);
    cr_assert_float_eq(o.book[0][BOOK_LOSS][0], -0.9 * exp(0.002) * 80, 1e-9);
    mcr_config_free(&c);
}
