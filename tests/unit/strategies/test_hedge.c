/* The strategy engine against published and hand-computed values: Hull's delta-hedging tables
 * replayed on their own paths, funding, fees and inverse-perp P&L on deterministic paths,
 * isolated liquidation against the closed-form liquidation price, the liquidation probability of
 * a static perp hedge against the BGK-corrected first-passage formula, Derman-Kamal's discrete
 * hedging error, the floor of a protective put and the zero premium of a zero-cost collar. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/first_passage.h"
#include "strategies/hedge.h"
#include "models/perp.h"
#include "risk/risk.h"
#include "sim/sim.h"
#include "strategy_replay.h"

/* Hull, Tables 19.2 / 19.3: a bank sold 100,000 calls (S0 49, K 50, r 5%, sigma 20%, 20 weeks)
 * and hedges weekly with shares. With exact deltas and e^{r dt} weekly interest the cost of
 * hedging at expiry is $263,242 (in the money) and $256,542 (out of the money); REFERENCE
 * section 1c, tolerance $1. Cost = -(hedge + financing + the calls' payoff). */
static double hull_cost(const double *path)
{
    double days = 20 * 365.0 / 52; /* 20 weeks of 1/52 year */
    char book[128];
    snprintf(book, sizeof book, "[{asset: BTC, instrument: call, quantity: -100000, strike: 50, "
             "expiry_days: %.17g}]", days);
    mcr_config c = config_of((setup){.spot = 49, .sigma = 0.2, .rate = 0.05, .days = days, .steps = 20, .paths = 1, .book = book, .strategies = "[{name: delta, type: delta_hedge, instrument: spot}]"});
    outputs o;
    replay(&c, path, &o);
    double payoff = fmax(path[20] - 50, 0) * -100000;
    cr_assert_eq(o.trades[0][0], 20u, "one trade a week before expiry (got %u)", o.trades[0][0]);
    return -(o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_FINANCING][0] + payoff);
}

Test(hedge, hull_table_19_2_in_the_money)
{
    static const double s[21] = {49.00, 48.12, 47.37, 50.25, 51.75, 53.12, 53.00, 51.87, 51.38,
                                 53.00, 49.88, 48.50, 49.88, 50.37, 52.13, 51.88, 52.87, 54.87,
                                 54.62, 55.87, 57.25};
    double cost = hull_cost(s);
    cr_assert(fabs(cost - 263242) <= 1.0, "cost of hedging %.2f, Hull (exact) 263,242", cost);
}

Test(hedge, hull_table_19_3_out_of_the_money)
{
    static const double s[21] = {49.00, 49.75, 52.00, 50.00, 48.38, 48.25, 48.75, 49.63, 48.25,
                                 48.25, 51.12, 51.50, 49.88, 49.88, 48.75, 47.50, 48.00, 46.25,
                                 48.13, 46.63, 48.12};
    double cost = hull_cost(s);
    cr_assert(fabs(cost - 256542) <= 1.0, "cost of hedging %.2f, Hull (exact) 256,542", cost);
}

Test(hedge, linear_perp_funding_and_fees_exact)
{
    mcr_config c = config_of((setup){.spot = 100, .sigma = 0.8, .rate = 0.0, .days = 1.0, .steps = 24, .paths = 1, .book = "[{asset: BTC, quantity: 2}]", .strategies = "[{name: perp, type: perp_hedge, contract: linear}]", .costs = "{fee_bps: 5, slippage_bps: 2}", .funding = "{rate: 0.0001}"});
    double path[25];
    ramp(path, 24, 100, 1);
    outputs o;
    replay(&c, path, &o);
    /* short 2 at 100: variation -2 (124 - 100); funding: shorts receive 2 S f at 108, 116, 124 */
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 2 * 24.0, 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -2 * 24.0, 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], 2 * 1e-4 * (108 + 116 + 124), 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -2 * 100 * 5e-4, 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_SLIPPAGE][0], -2 * 100 * 2e-4, 1e-12);
    cr_assert_float_eq(o.pnl[0][0], 2e-4 * 348 - 0.1 - 0.04, 1e-12);
    cr_assert_eq(o.liq[0][0], -1);
    cr_assert_eq(o.trades[0][0], 1u);
}

Test(hedge, inverse_perp_pnl_in_coin_exact)
{
    /* Short 10,000 USD of inverse perp from 50,000 to 45,000, no collateral (margin none):
     * REFERENCE 9d: +0.022222 BTC, converted at 45,000 = 1,000 USD. Book: 0.2 BTC spot. */
    mcr_config c = config_of((setup){.spot = 50000, .sigma = 0.8, .rate = 0.0, .days = 1.0, .steps = 10, .paths = 1, .book = "[{asset: BTC, quantity: 0.2}]", .strategies = "[{name: inv, type: perp_hedge, contract: inverse}]"});
    double path[11];
    ramp(path, 10, 50000, -500);
    outputs o;
    replay(&c, path, &o);
    double coin = 10000 * (1.0 / 50000 - 1.0 / 45000); /* q_usd (1/S_entry - 1/S_exit), q < 0 */
    cr_assert_float_eq(-coin, 0.0222222222, 1e-10);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -coin * 45000, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 1000.0, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 0.2 * -5000, 1e-9);
}

Test(hedge, isolated_liquidation_at_the_closed_form_price)
{
    /* Short 1 linear perp at 100 with 10% initial margin and 0.5% maintenance hedging 1 spot;
     * the price climbs 1 a step. The closed-form liquidation price is 110 / 1.005 = 109.45:
     * liquidated at the first step at or above it (S = 110, step 10), the loss stops at the
     * posted margin (10) and the liquidation fee comes out of what is left. */
    setup u = {100, 0.8, 0.0, 1.0, 20, 1, "[{asset: BTC, quantity: 1}]",
               "[{name: perp, type: perp_hedge, contract: linear}]", NULL, NULL,
               "{mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0.005}", NULL};
    mcr_config c = config_of(u);
    mcr_perp_position pos = {.contract = MCR_PERP_LINEAR, .size = -1, .entry = 100, .wallet = 10};
    double lp = mcr_perp_liquidation_price(&pos, 0.005);
    cr_assert_float_eq(lp, 110 / 1.005, 1e-9);
    double path[21];
    ramp(path, 20, 100, 1);
    outputs o;
    replay(&c, path, &o);
    int expected = (int)ceil(lp - 100);
    cr_assert_eq(o.liq[0][0], expected, "liquidated at step %d, closed form says %d", o.liq[0][0],
                 expected);
    /* unhedged after: the book keeps its gain, the hedge lost exactly the margin */
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_FEES][0], -10.0, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 20.0, 1e-12);

    /* cross margin: the book's spot counts as collateral, so the same path never liquidates */
    u.margin = "{mode: cross, initial: 0.1, maintenance: 0.005, liquidation_fee: 0.005}";
    c = config_of(u);
    replay(&c, path, &o);
    cr_assert_eq(o.liq[0][0], -1);
    cr_assert_float_eq(o.pnl[0][0], 0.0, 1e-9);
}

static double sample_std(const double *x, uint64_t n, double *se)
{
    double m = 0, m2 = 0, m4 = 0;
    for (uint64_t i = 0; i < n; i++)
        m += x[i];
    m /= n;
    for (uint64_t i = 0; i < n; i++) {
        double d = (x[i] - m) * (x[i] - m);
        m2 += d;
        m4 += d * d;
    }
    double var = m2 / (n - 1);
    *se = sqrt((m4 / n - var * var) / n) / (2 * sqrt(var));
    return sqrt(var);
}

/* Derman-Kamal: the P&L of a short ATM call delta-hedged N times has standard deviation
 * sqrt(pi/4) vega sigma / sqrt(N) (short-dated, no costs), so it halves when N quadruples. */
Test(hedge, derman_kamal_discrete_hedging_error)
{
    double days = 30, sigma = 0.8, stds[2], ses[2];
    int ns[2] = {90, 360};
    mcr_euro atm = {.payoff = MCR_CALL, .spot = 100, .strike = 100, .expiry = days / 365.0};
    double vega = mcr_bs_greeks_of(&atm, sigma).vega;
    for (int k = 0; k < 2; k++) {
        sim s = {.cfg = config_of((setup){.spot = 100, .sigma = sigma, .rate = 0.0, .days = days, .steps = ns[k], .paths = 40000, .book = "[{asset: BTC, instrument: call, quantity: -1, "
                                          "strike: 100, expiry_days: 30}]", .strategies = "[{name: delta, type: delta_hedge, "
                                          "instrument: linear_perp}]"})};
        simulate(&s);
        stds[k] = sample_std(s.pnl[0], s.cfg.paths, &ses[k]);
        double theory = sqrt(M_PI / 4) * vega * sigma / sqrt(ns[k]);
        cr_expect(fabs(stds[k] / theory - 1) < 0.05, "N = %d: std %.5f vs Derman-Kamal %.5f",
                  ns[k], stds[k], theory);
        cr_expect(ses[k] < 0.01 * stds[k], "se of the std %.3g", ses[k]);
        sim_free(&s);
    }
    double ratio = stds[0] / stds[1];
    cr_expect(fabs(ratio - 2.0) < 0.05 * 2.0, "std(90) / std(360) = %.4f, 1/sqrt(N) says 2", ratio);
}

/* The probability that an isolated short perp hedge is liquidated under GBM with hourly margin
 * checks is the first-passage probability of its liquidation price, BGK-corrected for discrete
 * monitoring (REFERENCE sections 6a, 6d, 9e). */
Test(hedge, liquidation_probability_matches_first_passage)
{
    sim s = {.cfg = config_of((setup){.spot = 100, .sigma = 0.8, .rate = 0.0, .days = 30, .steps = 720, .paths = 100000, .book = "[{asset: BTC, quantity: 1}]", .strategies = "[{name: perp, type: perp_hedge, contract: linear}]", .costs = NULL, .funding = NULL, .margin = "{mode: isolated, initial: 0.2, maintenance: 0.005, "
                                      "liquidation_fee: 0}"})};
    s.cfg.assets[0].model.gbm.mu = 0.1;
    simulate(&s);
    mcr_perp_position pos = {.contract = MCR_PERP_LINEAR, .size = -1, .entry = 100, .wallet = 20};
    double lp = mcr_perp_liquidation_price(&pos, 0.005), dt = 30.0 / 365 / 720;
    double exact = mcr_first_passage_up_discrete(&s.cfg.assets[0].model.gbm, 100, lp, 30.0 / 365,
                                                 dt);
    uint64_t hits = 0;
    for (uint64_t i = 0; i < s.cfg.paths; i++)
        hits += s.liq[0][i] >= 0;
    double p = (double)hits / s.cfg.paths, se = sqrt(p * (1 - p) / s.cfg.paths);
    cr_expect(fabs(p - exact) <= 4 * se, "P(liquidation) %.5f vs BGK first passage %.5f (se %.5f)",
              p, exact, se);
    cr_expect(se < 0.002, "se %g", se);
    sim_free(&s);
}

/* A put struck at K on the whole position floors the loss at S0 - K + premium: where more than
 * 1 - level of the paths end below K, VaR and CVaR both equal that floor exactly. */
Test(hedge, protective_put_caps_the_loss)
{
    sim s = {.cfg = config_of((setup){.spot = 100, .sigma = 0.8, .rate = 0.0, .days = 30, .steps = 30, .paths = 20000, .book = "[{asset: BTC, quantity: 1}]", .strategies = "[{name: put90, type: protective_put, strike: 0.9}]"})};
    simulate(&s);
    mcr_euro o = {.payoff = MCR_PUT, .spot = 100, .strike = 90, .expiry = 30 / 365.0};
    double floor_loss = 100 - 90 + mcr_bs_price(&o, 0.8);
    double *scratch = malloc(s.cfg.paths * sizeof *scratch);
    mcr_summary sum;
    mcr_risk_summarize(s.pnl[0], s.cfg.paths, s.cfg.levels, s.cfg.n_levels, scratch, &sum);
    for (int l = 0; l < sum.n_levels; l++) {
        cr_expect(fabs(sum.risk[l].var - floor_loss) < 1e-10, "VaR%g %.12f vs floor %.12f",
                  sum.risk[l].level, sum.risk[l].var, floor_loss);
        cr_expect(fabs(sum.risk[l].cvar - floor_loss) < 1e-10, "CVaR%g %.12f vs floor %.12f",
                  sum.risk[l].level, sum.risk[l].cvar, floor_loss);
    }
    free(scratch);
    sim_free(&s);
}

Test(hedge, zero_cost_collar_has_zero_premium)
{
    sim s = {.cfg = config_of((setup){.spot = 100, .sigma = 0.8, .rate = 0.03, .days = 30, .steps = 30, .paths = 1000, .book = "[{asset: BTC, quantity: 1}]", .strategies = "[{name: collar, type: collar, put_strike: 0.9},\n"
                                      "  {name: psc, type: put_spread_collar, put_strike: 0.95,\n"
                                      "   lower_put_strike: 0.8, call_strike: auto}]"})};
    s.cfg.assets[0].implied_vol.skew = -0.1; /* puts dearer: the call must be struck closer */
    simulate(&s);
    for (int k = 0; k < 2; k++)
        for (uint64_t i = 0; i < s.cfg.paths; i++)
            cr_assert(fabs(s.comp[k][MCR_PNL_PREMIUM][i]) < 1e-10, "%s premium %g",
                      s.cfg.strategies[k].name, s.comp[k][MCR_PNL_PREMIUM][i]);
    sim_free(&s);
}

Test(hedge, components_add_up_and_threads_agree)
{
    /* every strategy kind at once, and a combined strategy; components add to the total on every
     * path, and the totals are bitwise identical at 1 and 2 threads */
    sim a = {.cfg = config_of((setup){.spot = 100, .sigma = 0.8, .rate = 0.02, .days = 10, .steps = 240, .paths = 3000, .book = "[{asset: BTC, quantity: 1}]", .strategies = "[{name: none, type: none},\n"
                 " {name: put, type: protective_put, strike: 0.9},\n"
                 " {name: cc, type: covered_call, strike: 1.1},\n"
                 " {name: strangle, type: strangle, put_strike: 0.9, call_strike: 1.1},\n"
                 " {name: lin, type: perp_hedge, contract: linear},\n"
                 " {name: inv, type: perp_hedge, contract: inverse},\n"
                 " {name: band, type: delta_hedge, instrument: inverse_perp,\n"
                 "  rebalance: {band: 0.1}},\n"
                 " {name: spot, type: delta_hedge, instrument: spot},\n"
                 " {name: combo, combine: [{type: collar, put_strike: 0.9},\n"
                 "                         {type: delta_hedge, rebalance: {every_steps: 4}}]}]", .costs = "{fee_bps: 5, slippage_bps: 1, impact: 0.001, impact_notional: 10000}", .funding = "{rate: 0.0001}", .margin = "{mode: isolated, initial: 0.05, maintenance: 0.01, liquidation_fee: 0.005}"})},
        b;
    b = a;
    b.cfg.yaml = NULL; /* one owner of the config text */
    simulate(&a);
    b.cfg.threads = 1;
    simulate(&b);
    for (int k = 0; k < a.cfg.n_strategies; k++) {
        for (uint64_t i = 0; i < a.cfg.paths; i++) {
            double total = 0;
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                total += a.comp[k][c][i];
            cr_assert(fabs(total - a.pnl[k][i]) <= 1e-9 * (1 + fabs(total)), "%s path %llu",
                      a.cfg.strategies[k].name, (unsigned long long)i);
        }
        cr_assert_eq(memcmp(a.pnl[k], b.pnl[k], a.cfg.paths * sizeof(double)), 0,
                     "%s differs between 1 and 2 threads", a.cfg.strategies[k].name);
    }
    sim_free(&a);
    sim_free(&b);
}

/* Stochastic funding (noise 0): at each funding time the rate is rate + beta x the log return
 * since the previous one, clamped to [-cap, cap]; on a falling path it turns negative and the
 * short perpetual pays. Exact on a replayed path, with and without the clamp binding. */
Test(hedge, stochastic_funding_follows_returns_and_clamps)
{
    for (int clamped = 0; clamped < 2; clamped++) {
        double beta = clamped ? 0.1 : 0.01, cap = 0.001;
        char funding[128];
        snprintf(funding, sizeof funding, "{interval_hours: 8, rate: 0.0001, mode: stochastic, "
                 "beta: %g, cap: %g}", beta, cap);
        mcr_config c = config_of((setup){.spot = 100, .sigma = 0.8, .rate = 0.0, .days = 1.0, .steps = 24, .paths = 1, .book = "[{asset: BTC, quantity: 1}]", .strategies = "[{name: perp, type: perp_hedge}]", .costs = NULL, .funding = funding});
        double path[25];
        ramp(path, 24, 100, -1); /* 100 -> 76 */
        outputs o;
        replay(&c, path, &o);
        double expected = 0, prev = 100;
        for (int t = 8; t <= 24; t += 8) {
            double r = 1e-4 + beta * log(path[t] / prev);
            r = r > cap ? cap : (r < -cap ? -cap : r);
            cr_assert_lt(r, 0.0, "the falling market makes funding negative");
            expected += path[t] * r; /* short 1: receives S x rate, pays when rate < 0 */
            prev = path[t];
        }
        cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], expected, 1e-12, "clamped %d", clamped);
        cr_assert_lt(o.comp[0][MCR_PNL_FUNDING][0], 0.0);
        if (clamped)
            cr_assert_float_eq(expected, -cap * (92 + 84 + 76), 1e-15);
    }
}
