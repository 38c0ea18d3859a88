/* The trading part of the config contract (schema 1): trading costs, perpetual funding and
 * margin, shared by every strategy. Keys in config/trading_keys.c; consumed by the instruments
 * and strategies. Days are calendar days (365 a year). */
#ifndef MCR_TRADING_H
#define MCR_TRADING_H

#include <stdbool.h>

#include "models/option_fees.h"

typedef struct mcr_costs {
    double fee_bps;         /* taker fee per traded notional */
    double slippage_bps;    /* fixed slippage per traded notional */
    double impact;          /* square-root impact: extra slippage fraction impact sqrt(N / impact_notional) */
    double impact_notional; /* reference notional N0 of the impact law (quote currency) */
    mcr_option_fee option_fee; /* on every option a strategy trades, and at its delivery */
} mcr_costs;

typedef enum mcr_funding_mode { MCR_FUNDING_CONSTANT, MCR_FUNDING_STOCHASTIC } mcr_funding_mode;

typedef struct mcr_funding {
    double interval_hours; /* funding every interval, at t = k interval, k >= 1 */
    double rate;           /* per interval; positive: longs pay shorts */
    mcr_funding_mode mode;
    double beta;  /* stochastic: rate + beta * (log return over the interval) + noise * eps */
    double noise; /* stochastic: standard deviation of the independent part per interval */
    double cap;   /* stochastic: the rate is clamped to [-cap, cap] */
} mcr_funding;

typedef enum mcr_margin_mode { MCR_MARGIN_ISOLATED, MCR_MARGIN_CROSS, MCR_MARGIN_NONE } mcr_margin_mode;

typedef struct mcr_margin {
    mcr_margin_mode mode;
    double initial;         /* initial margin rate of perp notional */
    double maintenance;     /* liquidation when equity < maintenance x notional */
    double liquidation_fee; /* fraction of notional charged on liquidation */
} mcr_margin;

#endif
