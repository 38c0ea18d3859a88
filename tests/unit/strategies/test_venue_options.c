/* Venue conventions of options (issue 12, items 1 and 2) on replayed paths against hand
 * computations: a coin-settled put on a flat and on a crash path (docs/VENUE_MATH.md's worked
 * example: 30-day put, K 45,000, S0 50,000, sigma 80%, r 0), Deribit's trade and delivery fees
 * on USD and coin legs, a coin option held in the book; and by Monte Carlo, that a coin-settled
 * call is worth the USD call (they are the same claim). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "models/black_scholes.h"
#include "strategy_replay.h"

#define DERIBIT "{option_fee: {fraction_of_underlying: 0.0003, cap_of_premium: 0.125, " \
                "delivery_fraction: 0.00015, delivery_cap: 0.125}}"

static double bs(mcr_payoff type, double s, double k, double days, double rate, double sigma)
{
    mcr_euro o = {.payoff = type, .spot = s, .strike = k, .expiry = days / 365.0, .rate = rate};
    return mcr_bs_price(&o, sigma);
}

/* 30 daily steps from 50,000 to s_end in a straight line. */
static void path_to(double *path, double s_end) { ramp(path, 30, 50000, (s_end - 50000) / 30); }

static mcr_config put_config(const char *settlement, const char *costs)
{
    char strategies[256];
    snprintf(strategies, sizeof strategies,
             "[{name: put, type: protective_put, strike: 0.9, settlement: %s}]", settlement);
    return config_of((setup){.spot = 50000, .sigma = 0.8, .days = 30, .steps = 30,
                             .book = "[{asset: BTC, quantity: 1}]", .strategies = strategies,
                             .costs = costs});
}

Test(venue_options, coin_put_flat_and_crash_without_fees)
{
    double usd = bs(MCR_PUT, 50000, 45000, 30, 0, 0.8), coin = usd / 50000;
    cr_assert_float_eq(usd, 2283.90, 0.01, "the worked example's price: %.4f", usd);
    mcr_config c = put_config("coin", NULL);
    double path[31];
    outputs o;
    /* flat: the coin premium costs coin x S0 = the USD premium, nothing is paid out */
    path_to(path, 50000);
    replay(&c, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -coin * 50000, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 0.0, 1e-12);
    /* crash to 30,000: pays (K - S)/S = 0.5 BTC, worth 15,000; the premium's coin is worth
     * coin x 30,000: P&L of the option 13,629.66 against 12,716.10 USD-settled */
    path_to(path, 30000);
    replay(&c, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], 0.5 * 30000, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_PREMIUM][0], -coin * 30000, 1e-9);
    double option = o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_PREMIUM][0];
    cr_assert_float_eq(option, (0.5 - coin) * 30000, 1e-9);
    cr_assert_float_eq(option, 13629.66, 0.01, "%.4f", option);
    mcr_config_free(&c);

    c = put_config("usd", NULL);
    replay(&c, path, &o);
    double usd_option = o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_PREMIUM][0];
    cr_assert_float_eq(usd_option, 15000 - usd, 1e-9);
    /* the difference is the premium's coin exposure: coin x (S0 - S_T) */
    cr_assert_float_eq(option - usd_option, coin * (50000 - 30000), 1e-9);
    mcr_config_free(&c);
}

Test(venue_options, coin_put_deribit_fees)
{
    double coin = bs(MCR_PUT, 50000, 45000, 30, 0, 0.8) / 50000;
    mcr_config c = put_config("coin", DERIBIT);
    double path[31];
    outputs o;
    path_to(path, 30000);
    replay(&c, path, &o);
    /* trade fee min(0.0003 x 1, 0.125 x coin) = 0.0003 BTC; delivery min(0.00015, 0.125 x 0.5)
     * = 0.00015 BTC; both in coin, valued at 30,000 */
    double trade = fmin(0.0003, 0.125 * coin), delivery = fmin(0.00015, 0.125 * 0.5);
    cr_assert_float_eq(trade, 0.0003, 1e-15);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -(trade + delivery) * 30000, 1e-9);
    double option = o.comp[0][MCR_PNL_HEDGE][0] + o.comp[0][MCR_PNL_PREMIUM][0] +
                    o.comp[0][MCR_PNL_FEES][0];
    cr_assert_float_eq(option, 13616.16, 0.01, "%.4f", option);
    /* flat: worthless at expiry, so no delivery fee (its cap is 0) */
    path_to(path, 50000);
    replay(&c, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -trade * 50000, 1e-9);
    mcr_config_free(&c);
}

Test(venue_options, usd_fees_and_the_premium_cap)
{
    /* USD legs pay in USD: trade fee on the underlying notional q S0, capped at 12.5% of the
     * premium; carried to the horizon at the cash rate (r = 5% here). A far put (strike 0.5)
     * is cheap: the cap binds. */
    double rate = 0.05;
    mcr_config c = config_of((setup){.spot = 50000, .sigma = 0.8, .rate = rate, .days = 30,
                                     .steps = 30, .book = "[{asset: BTC, quantity: 2}]",
                                     .strategies = "[{name: atm, type: protective_put, strike: 0.9},"
                                                   " {name: far, type: protective_put, strike: 0.5}]",
                                     .costs = DERIBIT});
    double path[31];
    outputs o;
    path_to(path, 40000);
    replay(&c, path, &o);
    double g0 = exp(rate * 30 / 365.0);
    double p_atm = bs(MCR_PUT, 50000, 45000, 30, rate, 0.8);
    double p_far = bs(MCR_PUT, 50000, 25000, 30, rate, 0.8);
    double fee_atm = fmin(0.0003 * 2 * 50000, 0.125 * 2 * p_atm);
    double fee_far = fmin(0.0003 * 2 * 50000, 0.125 * 2 * p_far);
    cr_assert(fee_far < 0.0003 * 2 * 50000, "the cap binds for the far put");
    /* the atm put ends in the money at 40,000: delivery min(0.00015 x 2 x 40,000, 0.125 x
     * 2 x 5,000) at expiry = the horizon (growth 1) */
    double delivery = fmin(0.00015 * 2 * 40000, 0.125 * 2 * 5000);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0], -fee_atm * g0 - delivery, 1e-9);
    cr_assert_float_eq(o.comp[1][MCR_PNL_FEES][0], -fee_far * g0, 1e-9);
    mcr_config_free(&c);
}

Test(venue_options, coin_option_in_the_book)
{
    /* The book holds one coin-settled put: its P&L is (coin paid out - coin premium) x S_T. */
    mcr_config c = config_of((setup){.spot = 50000, .sigma = 0.8, .days = 30, .steps = 30,
                                     .book = "[{asset: BTC, instrument: put, quantity: 1, "
                                             "strike: 45000, expiry_days: 30, settlement: coin}]",
                                     .strategies = "[{name: none, type: none}]"});
    double coin = bs(MCR_PUT, 50000, 45000, 30, 0, 0.8) / 50000;
    double path[31];
    outputs o;
    path_to(path, 30000);
    replay(&c, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], (0.5 - coin) * 30000, 1e-9);
    path_to(path, 60000);
    replay(&c, path, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_BOOK][0], -coin * 60000, 1e-9);
    mcr_config_free(&c);
}

Test(venue_options, book_options_pay_option_fees)
{
    /* The book's options pay costs.option_fee as a strategy's do (into `fees`): 2 USD puts
     * (30 days, settled in the money at 40,000), 1 coin put (20 days, settled at S_20) and a sold
     * 60-day call (marked at the horizon, no delivery), r = 5% */
    double rate = 0.05;
    mcr_config c = config_of((setup){.spot = 50000, .sigma = 0.8, .rate = rate, .days = 30,
                                     .steps = 30,
                                     .book = "[{asset: BTC, instrument: put, quantity: 2, "
                                             "strike: 45000, expiry_days: 30}, "
                                             "{asset: BTC, instrument: put, quantity: 1, "
                                             "strike: 45000, expiry_days: 20, settlement: coin}, "
                                             "{asset: BTC, instrument: call, quantity: -1, "
                                             "strike: 80000, expiry_days: 60}]",
                                     .strategies = "[{name: none, type: none}]",
                                     .costs = DERIBIT});
    double path[31];
    outputs o;
    path_to(path, 40000);
    replay(&c, path, &o);
    double g0 = exp(rate * 30 / 365.0), s20 = path[20];
    double p_put = bs(MCR_PUT, 50000, 45000, 30, rate, 0.8);
    double p_call = bs(MCR_CALL, 50000, 80000, 60, rate, 0.8);
    double coin = bs(MCR_PUT, 50000, 45000, 20, rate, 0.8) / 50000;
    double usd_trade = fmin(0.0003 * 2 * 50000, 0.125 * 2 * p_put) +
                       fmin(0.0003 * 50000, 0.125 * p_call);
    double usd_delivery = fmin(0.00015 * 2 * 40000, 0.125 * 2 * 5000);
    double coin_fees = fmin(0.0003, 0.125 * coin) +
                       fmin(0.00015, 0.125 * (45000 - s20) / s20);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FEES][0],
                       -usd_trade * g0 - usd_delivery - coin_fees * 40000, 1e-9);
    mcr_config_free(&c);
    /* without option_fee the book pays none */
    c = config_of((setup){.spot = 50000, .sigma = 0.8, .days = 30, .steps = 30,
                          .book = "[{asset: BTC, instrument: put, quantity: 2, strike: 45000, "
                                  "expiry_days: 30}]", .strategies = "[{name: none, type: none}]"});
    replay(&c, path, &o);
    cr_assert_eq(o.comp[0][MCR_PNL_FEES][0], 0.0);
    mcr_config_free(&c);
}

/* A coin-settled call and a USD call on the same simulated paths: the coin payoff converted at
 * S_T is the USD payoff path by path, and its mean is the Black-Scholes call carried to the
 * horizon (mu = rate) within 4 se. */
Test(venue_options, coin_call_is_worth_the_usd_call)
{
    double rate = 0.03, days = 60;
    sim s = {.cfg = config_of((setup){
                 .spot = 100, .sigma = 0.6, .rate = rate, .days = days, .steps = 4, .paths = 4096,
                 .book = "[{asset: BTC, quantity: 1}]",
                 .strategies = "[{name: usd, type: covered_call, strike: 1.1},"
                               " {name: coin, type: covered_call, strike: 1.1, settlement: coin}]"})};
    simulate(&s);
    uint64_t n = s.cfg.paths;
    double m = 0, m2 = 0, worst = 0;
    for (uint64_t i = 0; i < n; i++) {
        double x = -s.comp[1][MCR_PNL_HEDGE][i]; /* the sold call's payoff in USD */
        double d = fabs(x + s.comp[0][MCR_PNL_HEDGE][i]);
        worst = d > worst ? d : worst;
        m += x;
        m2 += x * x;
    }
    m /= n;
    double se = sqrt((m2 / n - m * m) / (n - 1));
    double exact = bs(MCR_CALL, 100, 110, days, rate, 0.6) * exp(rate * days / 365);
    cr_assert(worst <= 1e-10, "coin and USD payoffs differ by %g", worst);
    cr_assert(se < 0.06 * exact, "se %g too large for the test", se);
    cr_assert(fabs(m - exact) <= 4 * se, "coin call %g vs Black-Scholes %g (se %g)", m, exact, se);
    sim_free(&s);
}

/* A bad fee names the key, its line and the allowed range. */
Test(venue_options, bad_fee_and_settlement_are_named)
{
    const char *bad[][2] = {
        {"costs: {option_fee: {cap_of_premium: 2}}\n", "costs.option_fee.cap_of_premium: must be"},
        {"strategies: [{name: p, type: protective_put, strike: 0.9, settlement: btc}]\n",
         "strategies[0].settlement"},
    };
    for (int k = 0; k < 2; k++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}]}\n"
                 "portfolio: [{asset: BTC, quantity: 1}]\n%s", bad[k][0]);
        mcr_config c;
        mcr_error err = {0};
        cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT);
        cr_assert(strstr(err.msg, "bad.yaml:") && strstr(err.msg, bad[k][1]), "%s", err.msg);
    }
}
