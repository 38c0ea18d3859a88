/* Lending positions in the book (instruments/loan.c): the liquidation steps and the bonus seized
 * on a replayed ramp against the hand computation of docs/DEFI_MATH.md, interest accrual, the
 * delta a delta hedge trades, a debt in another asset, the non-recourse mark, the probability of
 * a first liquidation under GBM against the exact discrete first-passage probability (within
 * 4 se), and the loan's input errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "config_expect.h"
#include "strategy_replay.h"
#include "unit_mc.h"

#define FIRST (MCR_FIELD_LOAN_LIQUIDATION_STEP - MCR_FIELD_BOOK_FIRST)
#define BONUS (MCR_FIELD_LIQUIDATION_BONUS_LOST - MCR_FIELD_BOOK_FIRST)
#define MIN_HF (MCR_FIELD_MIN_HEALTH_FACTOR - MCR_FIELD_BOOK_FIRST)

#define LOAN(extra)                                                                                \
    "[{instrument: loan, collateral: {asset: BTC, quantity: 10}, debt: {asset: USD, amount: "     \
    "12000}, liquidation_threshold: 0.825, liquidation_bonus: 0.05, close_factor: 0.5" extra "}]"

/* The ramp of docs/DEFI_MATH.md: 10 ETH against 12,000 USD (LT 0.825, bonus 5%, close factor
 * 0.5, no interest; liquidation below 1,454.55). Liquidations at 1,400 (repay 6,000, seize 4.5),
 * 1,300 (3,000, 2.4231), none at 1,200 (HF 1.0154), 1,100 (1,500, 1.4318), 500 (750, 1.575), and
 * at 500 again all the collateral left for 33.38 of debt: 716.62 of bad debt, so the loan is
 * abandoned (marked 0). Each uncapped liquidation loses repaid x bonus in USD. */
Test(loan, liquidations_on_the_replayed_ramp)
{
    mcr_config c = config_of((setup){.spot = 2000, .sigma = 0.8, .days = 11, .steps = 11,
                                     .book = LOAN(""),
                                     .strategies = "[{name: none, type: none}]"});
    double path[12] = {2000, 1900, 1800, 1700, 1600, 1500, 1400, 1300, 1200, 1100, 500, 500};
    outputs o;
    replay(&c, path, &o);
    double coll = 10 - 4.5 - 3000 * 1.05 / 1300 - 1500 * 1.05 / 1100 - 750 * 1.05 / 500;
    double capped_bonus = coll * 500 * 0.05 / 1.05; /* all of it seized, in USD */
    cr_assert_float_eq(coll, 0.0701, 1e-4);
    cr_assert_eq(book_step(o.book[0][FIRST], 0), 6);
    cr_assert_float_eq(o.book[0][BONUS][0], (6000 + 3000 + 1500 + 750) * 0.05 + capped_bonus,
                       1e-9);
    cr_assert_float_eq(o.book[0][MIN_HF][0], coll * 500 * 0.825 / 750, 1e-12);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], 0 - (20000 - 12000), 1e-9);

    /* stopped at 1,100: 1.6451 ETH against 1,500 USD remain, marked at their equity */
    mcr_config_free(&c);
    c = config_of((setup){.spot = 2000, .sigma = 0.8, .days = 9, .steps = 9, .book = LOAN(""),
                          .strategies = "[{name: none, type: none}, {name: dh, type: "
                                        "delta_hedge, instrument: spot}]"});
    replay(&c, path, &o);
    double left = 10 - 4.5 - 3000 * 1.05 / 1300 - 1500 * 1.05 / 1100;
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], left * 1100 - 1500 - 8000, 1e-9);
    cr_assert_float_eq(o.book[0][MIN_HF][0], (10 - 4.5 - 3000 * 1.05 / 1300) * 1100 * 0.825 /
                                                 3000, 1e-12);
    /* the hedge shorts the collateral left after each step's liquidation */
    double q[10] = {10, 10, 10, 10, 10, 10, 5.5, 5.5 - 3000 * 1.05 / 1300,
                    5.5 - 3000 * 1.05 / 1300, left}, hedge = 0;
    for (int t = 1; t <= 9; t++)
        hedge -= q[t - 1] * (path[t] - path[t - 1]);
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], hedge, 1e-9);
    mcr_config_free(&c);
}

/* Interest: 10 BTC supplied at 2%, 12,000 borrowed at 5%, a flat price for 73 days (0.2 year):
 * the debt grows to 12,000 e^{0.01}, the collateral to 10 e^{0.004}; no liquidation. */
Test(loan, interest_accrues_on_both_sides)
{
    double flat[5] = {2000, 2000, 2000, 2000, 2000};
    outputs o;
    replay_setup((setup){.spot = 2000, .sigma = 0.8, .days = 73, .steps = 4,
                         .book = LOAN(", borrow_rate: 0.05, supply_rate: 0.02"),
                         .strategies = "[{name: none, type: none}]"}, flat, &o);
    double equity = 10 * exp(0.004) * 2000 - 12000 * exp(0.01);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], equity - 8000, 1e-8);
    cr_assert_eq(book_step(o.book[0][FIRST], 0), -1);
    cr_assert_float_eq(o.book[0][BONUS][0], 0, 0);
    cr_assert_float_eq(o.book[0][MIN_HF][0], 20000 * 0.825 / 12000 * exp(0.004 - 0.01), 1e-12);
}

/* A debt in another asset: ETH borrowed against stETH is liquidated by their ratio, not by the
 * level: both fall 40% together and nothing happens; then stETH alone falls 15% more and it is. */
Test(loan, debt_in_another_asset)
{
    const char *yaml =
        "horizon: {days: 2, steps: 2}\n"
        "market:\n  rate: 0\n  assets:\n"
        "    - {name: ETH, spot: 2000, model: {type: gbm, sigma: 0.8}}\n"
        "    - {name: stETH, spot: 2000, model: {type: gbm, sigma: 0.8}}\n"
        "portfolio:\n"
        "  - {instrument: loan, collateral: {asset: stETH, quantity: 10}, debt: {asset: ETH,\n"
        "     amount: 8}, liquidation_threshold: 0.9, liquidation_bonus: 0.05, close_factor: 0.5}\n"
        "strategies: [{name: none, type: none}, {name: dh, type: delta_hedge, asset: stETH,\n"
        "              instrument: spot}]\n";
    mcr_config c = config_yaml(yaml);
    cr_assert_eq(c.portfolio[0].asset, 1);
    double eth[3] = {2000, 1200, 1200}, steth[3] = {2000, 1200, 1020};
    outputs o;
    replay_assets(&c, 0, (const double *const[]){eth, steth}, &o);
    /* at step 2 HF = 10 x 1,020 x 0.9 / (8 x 1,200) = 0.95625: repay 4 ETH (4,800 USD), seize
     * 4,800 x 1.05 / 1,020 stETH */
    cr_assert_eq(book_step(o.book[0][FIRST], 0), 2);
    cr_assert_float_eq(o.book[0][MIN_HF][0], 0.95625, 1e-12);
    cr_assert_float_eq(o.book[0][BONUS][0], 4 * 1200 * 0.05, 1e-9);
    double left = 10 - 4800 * 1.05 / 1020;
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], left * 1020 - 4 * 1200 - (20000 - 16000), 1e-9);
    /* the hedge of stETH shorts the stETH collateral (the ETH debt is another asset's delta) */
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], -10 * (1200 - 2000.0) - 10 * (1020 - 1200.0),
                       1e-9);
    mcr_config_free(&c);
}

/* P(no liquidation by step n) for a GBM price observed at steps 1..n, barrier ln(H/S0) = b <
 * 0: the density of ln(S_t/S0) on paths that stayed above b, propagated step by step on a grid
 * (trapezoid rule, N points over b .. +12 sd of the horizon; the step's normal kernel depends
 * only on the distance between grid points). */
static double survival(double sigma, double dt, int n, double b)
{
    enum { N = 3000 };
    double sd = sigma * sqrt(dt), nu = -0.5 * sigma * sigma * dt, top = 12 * sigma * sqrt(n * dt);
    double h = (top - b) / (N - 1), norm = 1 / (sd * sqrt(2 * M_PI));
    static double f[N], g[N], kernel[2 * N]; /* kernel[d + N]: density of a move of d h */
    for (int d = -N + 1; d < N; d++) {
        double z = (d * h - nu) / sd;
        kernel[d + N] = exp(-0.5 * z * z) * norm;
    }
    for (int j = 0; j < N; j++) { /* after step 1: the normal density above b */
        double z = (b + j * h - nu) / sd;
        f[j] = exp(-0.5 * z * z) * norm;
    }
    for (int k = 2; k <= n; k++) {
        for (int j = 0; j < N; j++) {
            double sum = 0.5 * (f[0] * kernel[j + N] + f[N - 1] * kernel[j - (N - 1) + N]);
            for (int m = 1; m < N - 1; m++)
                sum += f[m] * kernel[j - m + N];
            g[j] = sum * h;
        }
        memcpy(f, g, sizeof f);
    }
    double mass = 0.5 * (f[0] + f[N - 1]) * h;
    for (int j = 1; j < N - 1; j++)
        mass += f[j] * h;
    return mass;
}

/* The first liquidation happens at the first step whose price is below debt / (quantity x LT)
 * = 1,454.55 (no interest): P(first liquidation by T) = 1 - survival, within 4 se. */
Test(loan, first_liquidation_probability_under_gbm)
{
    const double sigma = 0.8, days = 30;
    const int steps = 6;
    sim s = {.cfg = config_of((setup){.spot = 2000, .sigma = sigma, .days = days, .steps = steps,
                                      .paths = 20000, .book = LOAN(""),
                                      .strategies = "[{name: none, type: none}]"})};
    simulate(&s);
    um_stats p = {0};
    for (uint64_t i = 0; i < s.cfg.paths; i++)
        um_add(&p, book_step(s.book[0][FIRST], i) >= 0);
    double exact = 1 - survival(sigma, days / 365 / steps, steps, log(12000 / (10 * 0.825) / 2000));
    um_within_4se(&p, exact, 0.004, "P(first liquidation)");
    sim_free(&s);
}

/* The loan's own errors, each naming its key. */
Test(loan, errors_name_the_key)
{
    const char *head = "market:\n  assets:\n    - {name: ETH, spot: 2000, model: {type: gbm, "
                       "sigma: 0.8}}\n    - {name: BTC, spot: 60000, model: {type: gbm, "
                       "sigma: 0.6}}\nportfolio:\n";
    static const bad_case bad[] = {
        {"  - {instrument: loan, collateral: {asset: ETH, quantity: 10}, debt: {asset: EUR, "
         "amount: 1000}, liquidation_threshold: 0.8, liquidation_bonus: 0.05, close_factor: 0.5}\n",
         "portfolio[0].debt.asset: unknown asset 'EUR'; allowed: USD, BTC"},
        {"  - {instrument: loan, collateral: {asset: ETH, quantity: 10}, debt: {asset: ETH, "
         "amount: 1}, liquidation_threshold: 0.8, liquidation_bonus: 0.05, close_factor: 0.5}\n",
         "portfolio[0].debt.asset: the collateral's own asset 'ETH'"},
        {"  - {instrument: loan, collateral: {asset: ETH, quantity: 10}, debt: {amount: 17000}, "
         "liquidation_threshold: 0.8, liquidation_bonus: 0.05, close_factor: 0.5}\n",
         "portfolio[0].debt.amount: the loan would be liquidatable at t0 (health factor 0.941176 "
         "< 1); allowed: at most 16000"},
        {"  - {instrument: loan, collateral: {asset: ETH, quantity: 10}, debt: {amount: 1000}, "
         "liquidation_threshold: 0.99, liquidation_bonus: 0.05, close_factor: 0.5}\n",
         "portfolio[0].liquidation_bonus: liquidation_threshold x (1 + liquidation_bonus)"},
        {"  - {instrument: loan, asset: BTC, collateral: {asset: ETH, quantity: 10}, debt: "
         "{amount: 1000}, liquidation_threshold: 0.8, liquidation_bonus: 0.05, close_factor: "
         "0.5}\n", "portfolio[0].asset: a loan's asset is its collateral.asset (ETH)"},
        {"  - {instrument: loan, debt: {amount: 1000}, liquidation_threshold: 0.8, "
         "liquidation_bonus: 0.05, close_factor: 0.5}\n", "portfolio[0].collateral"},
        {"  - {instrument: spot, quantity: 1}\n",
         "portfolio[0].asset: required key missing; allowed: ETH, BTC"},
    };
    expect_errors_after(head, bad, sizeof bad / sizeof bad[0]);
}

/* The oracle the health factor is read on. On the ramp, a price lagged one step and a three-step
 * TWAP both report 1,400 at step 7 (TWAP: (1,500 + 1,400 + 1,300) / 3), 1,300 at step 8 and 1,200
 * at step 9: the liquidations of the spot case come one step later, each at the oracle's price
 * (repay 6,000 for 4.5 BTC, then 3,000 for 3,000 x 1.05 / 1,300), and the loan is marked at the
 * market's 1,100. */
Test(loan, liquidation_on_a_lagged_or_averaged_oracle)
{
    static const char *const oracles[] = {"{lag_steps: 1}", "{twap_steps: 3}"};
    double path[10] = {2000, 1900, 1800, 1700, 1600, 1500, 1400, 1300, 1200, 1100};
    for (int k = 0; k < 2; k++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "horizon: {days: 9, steps: 9}\n"
                 "market:\n  rate: 0\n  assets:\n"
                 "    - {name: BTC, spot: 2000, model: {type: gbm, sigma: 0.8}, oracle: %s}\n"
                 "portfolio: %s\n", oracles[k], LOAN(""));
        mcr_config c = config_yaml(yaml);
        outputs o;
        replay(&c, path, &o);
        double left = 10 - 4.5 - 3000 * 1.05 / 1300;
        cr_assert_eq(book_step(o.book[0][FIRST], 0), 7, "%s", oracles[k]);
        cr_assert_float_eq(o.book[0][BONUS][0], (6000 + 3000) * 0.05, 1e-9, "%s", oracles[k]);
        cr_assert_float_eq(o.book[0][MIN_HF][0], 10 * 1400 * 0.825 / 12000, 1e-12, "%s",
                           oracles[k]);
        cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], left * 1100 - 3000 - 8000, 1e-9, "%s",
                           oracles[k]);
        mcr_config_free(&c);
    }
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string("market:\n  assets:\n    - {name: BTC, spot: 1, model: "
                                         "{type: gbm, sigma: 0.8}, oracle: {lag_steps: 2, "
                                         "twap_steps: 3}}\n", "o.yaml", &c, &err),
                 MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "o.yaml:3: market.assets[0].oracle") &&
              strstr(err.msg, "lag_steps and twap_steps"), "%s", err.msg);
}
