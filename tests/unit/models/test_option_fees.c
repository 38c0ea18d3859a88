/* Suite `option_fees`: Deribit-style option fees (the fraction of the underlying, the cap at
 * 12.5% of the premium with Deribit's own example, the delivery fee and its cap, zero for a
 * worthless expiry) and coin-settled options: coin payoffs, the coin premium, the worked example
 * of a coin-settled put's USD P&L on flat, crash and rally paths against the USD-settled put, and
 * a Monte Carlo check that a coin call's USD value is the USD call's price. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/option_fees.h"
#include "unit_mc.h"

static const mcr_option_fee deribit = {0.0003, 0.125, 0.00015, 0.125};

Test(option_fees, trade_fee_min_and_cap)
{
    /* 1 BTC option at 0.05 BTC: min(0.0003 x 1, 0.125 x 0.05 = 0.00625) = 0.0003 BTC */
    um_close(mcr_option_trade_fee(&deribit, 1, 0.05), 0.0003, 1e-18, "fraction binds");
    /* Deribit's example: traded at 0.0001 BTC, the fee is 0.0000125 BTC instead of 0.0003 */
    um_close(mcr_option_trade_fee(&deribit, 1, 0.0001), 0.0000125, 1e-18, "cap binds");
    /* the switch: 0.0003 = 0.125 x premium at premium 0.0024 BTC */
    um_close(mcr_option_trade_fee(&deribit, 1, 0.0024), 0.0003, 1e-18, "at the switch");
    /* 10 contracts sold (signs do not matter): min(0.003, 0.125 x 0.2) = 0.003 BTC */
    um_close(mcr_option_trade_fee(&deribit, -10, -0.2), 0.003, 1e-17, "quantity 10, sold");
    /* in USD for a USD-margined book: 2 options on 1 ETH at S = 3,000, premium 25 USD each:
     * min(0.0003 x 6,000 = 1.8, 0.125 x 50 = 6.25) = 1.8 USD */
    um_close(mcr_option_trade_fee(&deribit, 2 * 3000, 2 * 25), 1.8, 1e-14, "USD");
    cr_expect(mcr_option_trade_fee(&deribit, 1, 0) == 0.0);
}

Test(option_fees, delivery_fee)
{
    /* ITM put at delivery worth 0.5 BTC: min(0.00015 x 1, 0.125 x 0.5) = 0.00015 BTC */
    um_close(mcr_option_delivery_fee(&deribit, 1, 0.5), 0.00015, 1e-18, "ITM");
    /* barely ITM, worth 0.0008 BTC: min(0.00015, 0.0001) = 0.0001 BTC (the cap) */
    um_close(mcr_option_delivery_fee(&deribit, 1, 0.0008), 0.0001, 1e-18, "cap");
    /* worthless: no delivery fee */
    cr_expect(mcr_option_delivery_fee(&deribit, 1, 0) == 0.0);
}

Test(option_fees, coin_payoffs)
{
    /* put K = 45,000 at S = 30,000: 15,000 / 30,000 = 0.5 BTC (= 15,000 USD at 30,000) */
    um_close(mcr_coin_payoff(MCR_PUT, 45000, 30000), 0.5, 1e-16, "put ITM");
    cr_expect(mcr_coin_payoff(MCR_PUT, 45000, 50000) == 0.0);
    /* call K = 40,000 at S = 50,000: 10,000 / 50,000 = 0.2 BTC */
    um_close(mcr_coin_payoff(MCR_CALL, 40000, 50000), 0.2, 1e-16, "call ITM");
    cr_expect(mcr_coin_payoff(MCR_CALL, 40000, 30000) == 0.0);
    /* a coin call is worth at most 1 coin, whatever S */
    cr_expect(mcr_coin_payoff(MCR_CALL, 40000, 1e30) <= 1.0);
    cr_expect(isfinite(mcr_coin_payoff(MCR_PUT, 45000, 1e-300)));
}

/* The worked example of docs/VENUE_MATH.md: a 30-day put K = 45,000 on 1 BTC at S0 = 50,000,
 * sigma = 80%, r = q = 0. Black-Scholes: 2,283.8976 USD, so the coin premium is
 * 2,283.8976 / 50,000 = 0.0456780 BTC; the trade fee is min(0.0003, 0.125 x 0.04568) = 0.0003.
 * USD P&L at expiry, fees aside, coin account vs USD-settled put:
 *   S_T = 50,000: coin (0 - 0.045678) x 50,000 = -2,283.90;  USD -2,283.90 (equal);
 *   S_T = 30,000: coin (0.5 - 0.045678) x 30,000 = 13,629.66;  USD 15,000 - 2,283.90
 *                 = 12,716.10: the coin premium cost only 0.045678 x 30,000 = 1,370.34 USD;
 *   S_T = 70,000: coin -0.045678 x 70,000 = -3,197.46;  USD -2,283.90.
 * The difference is premium_coin x (S0 - S_T): +913.56 in the crash, -913.56 in the rally. */
Test(option_fees, coin_put_worked_example)
{
    mcr_euro put = {MCR_PUT, 50000, 45000, 30.0 / 365, 0, 0};
    double usd = mcr_bs_price(&put, 0.8), coin = mcr_coin_premium(&put, 0.8);
    um_close(usd, 2283.897566651, 1e-6, "BS put USD");
    um_close(coin, 0.045677951333, 1e-12, "coin premium");
    um_close(mcr_option_trade_fee(&deribit, 1, coin), 0.0003, 1e-18, "fee");
    const double st[] = {50000, 30000, 70000};
    const double want[] = {-2283.897566651, 13629.661460009, -3197.456593311};
    for (int i = 0; i < 3; i++) {
        double pay = mcr_coin_payoff(MCR_PUT, 45000, st[i]);
        double pnl = mcr_coin_option_pnl_usd(1, coin, pay, 0, st[i]);
        um_close(pnl, want[i], 1e-6, "coin account P&L");
        double usd_pnl = fmax(45000 - st[i], 0) - usd;
        um_close(pnl - usd_pnl, coin * (50000 - st[i]), 1e-6, "difference = premium exposure");
    }
    /* with the fee and, in the crash, the delivery fee min(0.00015, 0.125 x 0.5) = 0.00015:
     * (0.5 - 0.045678 - 0.0003 - 0.00015) x 30,000 = 13,616.16 */
    double fees = 0.0003 + mcr_option_delivery_fee(&deribit, 1, 0.5);
    um_close(mcr_coin_option_pnl_usd(1, coin, 0.5, fees, 30000), (0.5 - coin - 0.00045) * 30000,
             1e-9, "with fees");
}

/* A coin call and a USD call are the same claim: E[e^{-rT} S_T max(S_T - K, 0) / S_T] under the
 * risk-neutral GBM is the Black-Scholes call. S0 = 50,000, K = 55,000, T = 0.25, sigma = 0.7,
 * r = 0.04: the coin premium times S0 is the USD price by construction; this checks the payoff
 * side by Monte Carlo. */
Test(option_fees, coin_call_usd_value_mc)
{
    mcr_euro call = {MCR_CALL, 50000, 55000, 0.25, 0.04, 0};
    const double sigma = 0.7;
    const int n = 400000;
    mcr_pcg32 g = mcr_pcg32_for_path(99, 0);
    um_stats s = {0};
    double drift = (call.rate - 0.5 * sigma * sigma) * call.expiry, vol = sigma * sqrt(call.expiry);
    for (int i = 0; i < n; i++) {
        double st = call.spot * exp(drift + vol * um_normal(&g));
        um_add(&s, exp(-call.rate * call.expiry) * st * mcr_coin_payoff(MCR_CALL, 55000, st));
    }
    double bs = mcr_bs_price(&call, sigma);
    um_close(mcr_coin_premium(&call, sigma) * call.spot, bs, 1e-9, "coin premium x S0");
    um_within_4se(&s, bs, 25.0, "coin call USD value"); /* sd of the payoff ~ 12,000 USD */
}

Test(option_fees, validation)
{
    mcr_error err = {0};
    cr_expect(mcr_option_fee_check(&deribit, "costs.option_fee", &err) == MCR_OK);
    mcr_option_fee bad = deribit;
    bad.cap_of_premium = 1.5;
    cr_expect(mcr_option_fee_check(&bad, "costs.option_fee", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "costs.option_fee.cap_of_premium: must be a number in [0, 1], "
                              "fraction of the premium (got 1.5)") != NULL, "%s", err.msg);
    bad = deribit;
    bad.fraction_of_underlying = -0.0003;
    cr_expect(mcr_option_fee_check(&bad, "c", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "c.fraction_of_underlying: must be a number in [0, 0.1], fraction "
                              "of the underlying notional (got -0.0003)") != NULL, "%s", err.msg);
}
