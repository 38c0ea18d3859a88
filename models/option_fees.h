/* Option trading and delivery fees (Deribit's structure) and the helpers of coin-settled
 * (inverse) options: premium in coin, payoff in coin, USD P&L of a coin account.
 *
 * Fees (Deribit support, "Fees": BTC and ETH options pay 0.03% of the underlying per contract,
 * "capped at 12.5% of the options price"; worked example there: an option traded at 0.0001 BTC
 * pays 0.0000125 BTC instead of 0.0003 BTC. Deliveries pay 0.015% of the underlying, never more
 * than 12.5% of the option's value at delivery):
 *   trade fee    = min(fraction_of_underlying x |underlying notional|, cap_of_premium x |premium|)
 *   delivery fee = min(delivery_fraction x |underlying notional|, delivery_cap x settlement value)
 * per trade, for the whole quantity traded; both arguments in the same currency (coin for a
 * coin-settled option: the notional of q contracts on 1 coin is q coin; USD: q S). An option that
 * expires worthless pays no delivery fee (its value, hence the cap, is 0).
 *
 * Coin-settled options (Deribit BTC/ETH options: premium, payoff and mark in coin). A call pays
 * max(S - K, 0) / S coin and a put max(K - S, 0) / S coin at expiry: converted at S these are the
 * USD payoffs, so a coin option is the same claim as the USD one and its fair coin premium is the
 * Black-Scholes USD price divided by spot. What differs is the account: a coin account's P&L in
 * USD at the horizon is (coin received - coin paid) x S_T, so the premium paid in coin carries
 * the coin's own exposure: relative to a USD premium it gains premium_coin x (S0 - S_T) in USD.
 * Worked example in docs/VENUE_MATH.md and in the tests. */
#ifndef MCR_OPTION_FEES_H
#define MCR_OPTION_FEES_H

#include <math.h>

#include "black_scholes.h"
#include "core/keys.h"
#include "core/status.h"

typedef struct mcr_option_fee {
    double fraction_of_underlying; /* Deribit 0.0003, in [0, 0.1] */
    double cap_of_premium;         /* Deribit 0.125, in [0, 1] */
    double delivery_fraction;      /* Deribit 0.00015, in [0, 0.1] */
    double delivery_cap;           /* Deribit 0.125, in [0, 1] */
} mcr_option_fee;

/* The config keys of `costs.option_fee`; their rows hold the ranges above. */
extern const mcr_key mcr_option_fee_keys[];

/* Ranges above (the rows); the error names WHERE.KEY, the range and the unit. */
mcr_status mcr_option_fee_check(const mcr_option_fee *f, const char *where, mcr_error *err);

static inline double mcr_option_trade_fee(const mcr_option_fee *f, double underlying_notional,
                                          double premium)
{
    return fmin(f->fraction_of_underlying * fabs(underlying_notional),
                f->cap_of_premium * fabs(premium));
}

static inline double mcr_option_delivery_fee(const mcr_option_fee *f, double underlying_notional,
                                             double settlement_value)
{
    return fmin(f->delivery_fraction * fabs(underlying_notional),
                f->delivery_cap * fabs(settlement_value));
}

/* Payoff in coin per option on 1 coin at settlement price s > 0: max(s - K, 0) / s (call),
 * max(K - s, 0) / s (put). A put's coin payoff is unbounded as s -> 0 (its USD payoff is not). */
static inline double mcr_coin_payoff(mcr_payoff type, double strike, double s)
{
    double intrinsic = type == MCR_CALL ? s - strike : strike - s;
    return fmax(intrinsic, 0.0) / s;
}

/* The coin premium: the Black-Scholes USD price (o's spot, rate, yield; volatility sigma)
 * divided by o->spot. */
double mcr_coin_premium(const mcr_euro *o, double sigma);

/* USD P&L at the horizon of `quantity` coin options bought for premium_coin each and settled
 * for payoff_coin each (either may be a mark), on a coin account converted at s_t, less coin
 * fees: (quantity (payoff_coin - premium_coin) - fees_coin) x s_t. */
static inline double mcr_coin_option_pnl_usd(double quantity, double premium_coin,
                                             double payoff_coin, double fees_coin, double s_t)
{
    return (quantity * (payoff_coin - premium_coin) - fees_coin) * s_t;
}

#endif
