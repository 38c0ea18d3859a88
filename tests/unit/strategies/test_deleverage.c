/* `deleverage` (strategies/deleverage.c) on replayed paths against the hand computation: the
 * book's loan (10 BTC against 12,000 USD, LT 0.825, bonus 5%, close factor 0.5) is repaid with
 * its collateral whenever its health factor falls below 1.2, back to 1.5 exactly, paying the
 * swap fee and gas per repayment, while the book's own loan is liquidated; with a lagged oracle
 * the trigger reads the oracle and the sale the market; a loan at a protocol that fails;
 * simulated, bitwise the same at 1 and 2 threads and liquidated less often than the book's loan;
 * and the input errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "config_expect.h"
#include "strategy_replay.h"

#define LT 0.825
#define LOAN_ENTRY                                                                                 \
    "{instrument: loan, collateral: {asset: BTC, quantity: 10}, debt: {asset: USD, amount: "      \
    "12000}, liquidation_threshold: 0.825, liquidation_bonus: 0.05, close_factor: 0.5}"
#define LOAN "[" LOAN_ENTRY "]"
#define STRATS                                                                                     \
    "[{name: none, type: none}, {name: delev, type: deleverage, trigger_hf: 1.2, target_hf: 1.5, " \
    "swap_fee: 0.003}]"

/* The collateral sold at market price s so that HF on the oracle price p is 1.5 afterwards:
 * (c0 - x) p LT = 1.5 (d0 - x s). */
static double sold(double c0, double d0, double p, double s)
{
    return (1.5 * d0 - c0 * p * LT) / (1.5 * s - p * LT);
}

static double hf(double c, double d, double p)
{
    return c * p * LT / d;
}

/* Daily 2,000 -> 1,200 in steps of 100. HF = P / 1,454.55: below 1.2 first at 1,700 (1.16875):
 * sell x1 = 3,975 / 1,147.5 = 3.4641 BTC for 5,889.0 USD (HF 1.5); then 1.4118, 1.3235, 1.2353,
 * and at 1,300 1.1471: sell x2 (HF 1.5 again); 1,384.6 at the horizon. The book's loan is
 * liquidated at 1,400 (repay 6,000, seize 4.5) and 1,300 (3,000, 2.4231). */
Test(deleverage, repays_to_the_target_on_a_replayed_path)
{
    double path[9] = {2000, 1900, 1800, 1700, 1600, 1500, 1400, 1300, 1200};
    outputs o;
    replay_setup((setup){.spot = 2000, .sigma = 0.8, .days = 8, .steps = 8,
                         .book = LOAN, .strategies = STRATS,
                         .costs = "{gas_per_tx: 5}"}, path, &o);
    double x1 = sold(10, 12000, 1700, 1700);
    double c1 = 10 - x1, d1 = 12000 - x1 * 1700;
    cr_assert_float_eq(x1, 3975 / 1147.5, 1e-12);
    cr_assert_float_eq(hf(c1, d1, 1700), 1.5, 1e-12);
    for (int t = 4; t <= 6; t++) /* no repayment at 1,600 .. 1,400 */
        cr_assert(hf(c1, d1, path[t]) >= 1.2);
    double x2 = sold(c1, d1, 1300, 1300);
    double c2 = c1 - x2, d2 = d1 - x2 * 1300;
    cr_assert(hf(c1, d1, 1300) < 1.2);
    cr_assert_float_eq(hf(c2, d2, 1300), 1.5, 1e-12);
    double book_c = 10 - 4.5 - 3000 * 1.05 / 1300, book_equity = book_c * 1200 - 3000;
    double fees = -0.003 * (x1 * 1700 + x2 * 1300);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], book_equity - 8000, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_BOOK][0], o.comp[0][MCR_PNL_BOOK][0], 0);
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], c2 * 1200 - d2 - book_equity, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_FEES][0], fees, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_GAS][0], -2 * 5.0, 1e-12);
    cr_assert_float_eq(o.pnl[1][0], c2 * 1200 - d2 - 8000 + fees - 10, 1e-9);
    cr_assert_eq(o.trades[1][0], 2u);
    cr_assert_eq(o.onchain_txs[1][0], 2u);
    cr_assert_eq(o.liq[1][0], -1, "the managed loan is never liquidated");
    cr_log_info("sold %.4f at 1,700 and %.4f at 1,300; equity %.2f vs the book's %.2f",
                x1, x2, c2 * 1200 - d2, book_equity);
}

/* Two loans on BTC in the book: `position` picks the one managed. Position 0 is the loan above
 * (repaid at 1,700 and 1,300, checked by hand there): its strategy's hedge, fees, gas and trades
 * are bitwise those of the one-loan book. Position 1 (10 BTC against 4,000: HF at least 1,200 x
 * 10 x 0.825 / 4,000 = 2.475) is never repaid. The book holds both: its P&L is the sum. */
Test(deleverage, position_picks_the_loan)
{
    const char *second = "{instrument: loan, collateral: {asset: BTC, quantity: 10}, debt: "
                         "{asset: USD, amount: 4000}, liquidation_threshold: 0.825, "
                         "liquidation_bonus: 0.05, close_factor: 0.5}";
    char book[1024];
    snprintf(book, sizeof book, "%.*s, %s]", (int)strlen(LOAN) - 1, LOAN, second);
    double path[9] = {2000, 1900, 1800, 1700, 1600, 1500, 1400, 1300, 1200};
    outputs one, two;
    setup u = {.spot = 2000, .sigma = 0.8, .days = 8, .steps = 8, .book = LOAN,
               .strategies = STRATS, .costs = "{gas_per_tx: 5}"};
    replay_setup(u, path, &one);
    u.book = book;
    u.strategies = "[{name: none, type: none}, {name: first, type: deleverage, trigger_hf: 1.2, "
                   "target_hf: 1.5, swap_fee: 0.003, position: 0}, {name: second, type: "
                   "deleverage, trigger_hf: 1.2, target_hf: 1.5, position: 1}, {name: both, "
                   "combine: [{type: deleverage, trigger_hf: 1.2, target_hf: 1.5, position: 0}, "
                   "{type: deleverage, trigger_hf: 1.2, target_hf: 1.5, position: 1}]}]";
    replay_setup(u, path, &two);
    for (int c = MCR_PNL_HEDGE; c < MCR_N_COMPONENTS; c++)
        cr_assert(memcmp(&two.comp[1][c][0], &one.comp[1][c][0], sizeof(double)) == 0,
                  "component %d: %.17g vs %.17g", c, two.comp[1][c][0], one.comp[1][c][0]);
    cr_assert_eq(two.trades[1][0], 2u);
    cr_assert_eq(two.trades[2][0], 0u);
    cr_assert_float_eq(two.comp[2][MCR_PNL_HEDGE][0], 0, 0);
    cr_assert_float_eq(two.comp[2][MCR_PNL_FEES][0], 0, 0);
    cr_assert_float_eq(two.comp[0][MCR_PNL_BOOK][0],
                       one.comp[0][MCR_PNL_BOOK][0] + (10 * 1200 - 4000) - (20000 - 4000), 1e-9);
    /* both loans managed by one strategy (combine): the sum of its parts */
    cr_assert_float_eq(two.pnl[3][0], two.pnl[1][0] + two.pnl[2][0] - two.pnl[0][0], 1e-9);
    cr_assert_eq(two.trades[3][0], 2u);
}

/* A one-step oracle lag: the health factor reads the previous price, the sale gets the market's.
 * At step 4 the oracle says 1,700 (HF 1.16875) while the market is at 1,600: x = 3,975 / 997.5
 * BTC sold at 1,600, after which HF on the oracle is 1.5. A crash to 1,000 at step 5 is seen by
 * the oracle at step 6 only, when the managed loan (HF 0.882) is liquidated, and the book's
 * (HF 0.6875) too, which leaves it under water (marked 0). */
Test(deleverage, the_trigger_reads_the_oracle_the_sale_the_market)
{
    const char *yaml =
        "horizon: {days: 6, steps: 6}\n"
        "market:\n  rate: 0\n  assets:\n"
        "    - {name: BTC, spot: 2000, model: {type: gbm, sigma: 0.8}, oracle: {lag_steps: 1}}\n"
        "portfolio: " LOAN "\n"
        "strategies: " STRATS "\n"
        "costs: {gas_per_tx: 5}\n";
    mcr_config c = config_yaml(yaml);
    double path[7] = {2000, 1900, 1800, 1700, 1600, 1000, 1000};
    outputs o;
    replay(&c, path, &o);
    double x = sold(10, 12000, 1700, 1600);
    double c1 = 10 - x, d1 = 12000 - x * 1600;
    cr_assert_float_eq(x, 3975 / 997.5, 1e-12);
    cr_assert_float_eq(hf(c1, d1, 1700), 1.5, 1e-12);
    /* step 5: the oracle says 1,600: HF 1.4118, nothing; step 6 (the horizon, where nothing is
     * repaid): 1,000: liquidated, repay d1 / 2, seize d1 / 2 x 1.05 / 1,000 */
    cr_assert(hf(c1, d1, 1600) >= 1.2 && hf(c1, d1, 1000) < 1);
    cr_assert_eq(o.liq[1][0], 6);
    cr_assert_eq(o.trades[1][0], 1u, "no repayment at the horizon");
    double c2 = c1 - d1 / 2 * 1.05 / 1000, d2 = d1 / 2;
    cr_assert(c2 * 1000 - d2 > 0 && 3.7 * 1000 - 6000 < 0, "the managed loan keeps equity");
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], -8000, 1e-9);
    cr_assert_float_eq(o.pnl[1][0], c2 * 1000 - d2 - 8000 - 0.003 * x * 1600 - 5, 1e-9);
    mcr_config_free(&c);
}

/* The loan at a protocol (aave, recovery 0.1) that fails at day 5 (S = 1,500), two steps after
 * the repayment at 1,700: the book's loan (not liquidated yet) is a claim on 10 x 1,500 - 12,000
 * = 3,000, the managed one on c1 x 1,500 - d1; the strategy books the difference in hedge and
 * 90% of it in venue_loss, and repays nothing after (the path falls on to 1,200). */
Test(deleverage, a_loan_at_a_failing_protocol)
{
    const char *yaml =
        "horizon: {days: 8, steps: 8}\n"
        "market:\n  rate: 0\n  assets:\n"
        "    - {name: BTC, spot: 2000, model: {type: gbm, sigma: 0.8}}\n"
        "portfolio: [{instrument: loan, venue: aave, collateral: {asset: BTC, quantity: 10}, debt: "
        "{asset: USD, amount: 12000}, liquidation_threshold: 0.825, liquidation_bonus: 0.05, "
        "close_factor: 0.5}]\n"
        "strategies: " STRATS "\n"
        "costs: {gas_per_tx: 5}\n"
        "venues: [{name: aave, default_intensity: 0, recovery: 0.1}]\n"
        "scenarios: [{name: base}, {name: hack, venue_default: {venue: aave, day: 5}}]\n";
    mcr_config c = config_yaml(yaml);
    double path[9] = {2000, 1900, 1800, 1700, 1600, 1500, 1400, 1300, 1200};
    outputs o;
    replay_assets(&c, 1, (const double *const[]){path}, &o);
    double x1 = sold(10, 12000, 1700, 1700), c1 = 10 - x1, d1 = 12000 - x1 * 1700;
    double mine = c1 * 1500 - d1, book = 10 * 1500 - 12000.0, fee = -0.003 * x1 * 1700;
    cr_assert(mine > book, "repaid, the loan kept more equity (%g vs %g)", mine, book);
    cr_assert_float_eq(o.comp[1][MCR_PNL_BOOK][0], 0.1 * book - 8000, 1e-9);
    cr_assert_float_eq(o.book[1][MCR_FIELD_BOOK_VENUE_LOSS - MCR_FIELD_BOOK_FIRST][0],
                       -0.9 * book, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_HEDGE][0], mine - book, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_VENUE_LOSS][0], -0.9 * (mine - book), 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_FEES][0], fee, 1e-9);
    cr_assert_float_eq(o.pnl[1][0], 0.1 * mine - 8000 + fee - 5, 1e-9);
    cr_assert_eq(o.trades[1][0], 1u, "nothing repaid after the failure");
    cr_assert_eq(o.liq[1][0], -1);
    cr_assert_eq(o.venue_default[1][0], 5);
    /* no failure: as without a venue (sold at 1,700 and 1,300) */
    replay_assets(&c, 0, (const double *const[]){path}, &o);
    cr_assert_eq(o.trades[1][0], 2u);
    cr_assert_float_eq(o.comp[1][MCR_PNL_VENUE_LOSS][0], 0, 0);
    mcr_config_free(&c);
}

/* 2,000 GBM paths (80% vol, 30 days in 120 steps): the results do not depend on the thread count,
 * and the managed loan is liquidated on fewer paths than the unmanaged one (which is, on some). */
Test(deleverage, threads_bitwise_and_fewer_liquidations)
{
    setup u = {.spot = 2000, .sigma = 0.8, .days = 30, .steps = 120, .paths = 2000, .book = LOAN,
               .strategies = STRATS, .costs = "{gas_per_tx: 5}"};
    sim a = {.cfg = config_of(u)}, b = {.cfg = config_of(u)};
    a.cfg.threads = 1;
    b.cfg.threads = 2;
    simulate(&a);
    simulate(&b);
    size_t n = a.cfg.paths;
    cr_assert(memcmp(a.pnl[1], b.pnl[1], n * sizeof(double)) == 0);
    cr_assert(memcmp(a.comp[1][MCR_PNL_FEES], b.comp[1][MCR_PNL_FEES], n * sizeof(double)) == 0);
    cr_assert(memcmp(a.liq[1], b.liq[1], n * sizeof(int32_t)) == 0);
    int book = 0, managed = 0;
    for (size_t i = 0; i < n; i++) {
        book += book_step(a.book[0][MCR_FIELD_LOAN_LIQUIDATION_STEP - MCR_FIELD_BOOK_FIRST], i) >=
                0;
        managed += a.liq[1][i] >= 0;
    }
    cr_log_info("liquidated: book %d, managed %d of %zu", book, managed, n);
    cr_assert(book > 20 && managed < book, "book %d, managed %d", book, managed);
    sim_free(&a);
    sim_free(&b);
}

Test(deleverage, errors_name_the_key)
{
    const char *head = "market:\n  assets:\n    - {name: BTC, spot: 2000, model: {type: gbm, "
                       "sigma: 0.8}}\nvenues: [{name: aave, default_intensity: 0.02, recovery: "
                       "0.5}]\n";
    static const bad_case bad[] = {
        {"portfolio: " LOAN "\nstrategies: [{name: d, type: deleverage, trigger_hf: 1.5, "
         "target_hf: 1.2}]\n", "strategies[0].target_hf: must be above trigger_hf (1.5); got 1.2"},
        {"portfolio: [{asset: BTC, quantity: 1}]\nstrategies: [{name: d, type: deleverage, "
         "trigger_hf: 1.2, target_hf: 1.5}]\n",
         "strategies[0]: deleverage needs exactly one loan with collateral BTC"},
        {"portfolio: [{asset: BTC, quantity: 1}, " LOAN_ENTRY ", " LOAN_ENTRY "]\nstrategies: "
         "[{name: d, type: deleverage, trigger_hf: 1.2, target_hf: 1.5}]\n",
         "strategies[0]: deleverage needs exactly one loan with collateral BTC in the portfolio, "
         "or `position` naming one"},
        {"portfolio: [{asset: BTC, quantity: 1}, " LOAN_ENTRY "]\nstrategies: [{name: d, type: "
         "deleverage, trigger_hf: 1.2, target_hf: 1.5, position: 0}]\n",
         "strategies[0].position: portfolio[0] is not a loan with collateral BTC; allowed: the "
         "index of one (0 .. 1)"},
        {"portfolio: " LOAN "\nstrategies: [{name: d, type: deleverage, trigger_hf: 1.2, "
         "target_hf: 1.5, position: 3}]\n",
         "strategies[0].position: portfolio[3] is not a loan with collateral BTC"},
        {"portfolio: [{instrument: loan, venue: aaave, collateral: {asset: BTC, quantity: 10}, "
         "debt: {amount: 1000}, liquidation_threshold: 0.8, liquidation_bonus: 0.05, "
         "close_factor: 0.5}]\nstrategies: [{name: d, type: deleverage, trigger_hf: 1.2, "
         "target_hf: 1.5}]\n", "portfolio[0].venue: unknown venue 'aaave'; allowed: aave"},
        {"portfolio: " LOAN "\nstrategies: [{name: d, type: deleverage, trigger_hf: 1.2}]\n",
         "strategies[0].target_hf: required key missing"},
        {"portfolio: " LOAN "\nstrategies: [{name: d, type: deleverage, trigger_hf: 0.9, "
         "target_hf: 1.5}]\n", "strategies[0].trigger_hf"},
    };
    expect_errors_after(head, bad, sizeof bad / sizeof bad[0]);
}
