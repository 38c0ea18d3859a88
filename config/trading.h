/* The trading part of the config contract (schema 1): trading costs, perpetual funding and
 * margin, shared by every strategy. Keys in config/trading_keys.c; consumed by the instruments
 * and strategies. Days are calendar days (365 a year). */
#ifndef MCR_TRADING_H
#define MCR_TRADING_H

#include <stdbool.h>

#include "models/basis.h"
#include "models/margin_tiers.h"
#include "models/option_fees.h"

typedef struct mcr_costs {
    double fee_bps;         /* taker fee per traded notional */
    double slippage_bps;    /* fixed slippage per traded notional */
    double impact;          /* square-root impact: extra slippage fraction impact sqrt(N / impact_notional) */
    double impact_notional; /* reference notional N0 of the impact law (quote currency) */
    mcr_option_fee option_fee; /* on every option a strategy trades, and at its delivery */
    bool close_at_horizon;  /* every hedge pays the costs of closing it at the horizon */
    double borrow_rate;     /* per year, on the value of short spot hedges (financing) */
    double gas_per_tx;      /* quote currency per on-chain transaction (component gas) */
} mcr_costs;

typedef enum mcr_funding_mode {
    MCR_FUNDING_CONSTANT,
    MCR_FUNDING_STOCHASTIC,
    MCR_FUNDING_PREMIUM, /* clamp(b N/8 + rate, -cap, cap) from the basis (perp.basis) */
} mcr_funding_mode;

typedef struct mcr_funding {
    double interval_hours; /* funding every interval, at t = k interval, k >= 1 */
    double rate;           /* per interval; positive: longs pay shorts */
    mcr_funding_mode mode;
    double beta;  /* stochastic: rate + beta * (log return over the interval) + noise * eps */
    double noise; /* stochastic: standard deviation of the independent part per interval */
    double cap;   /* stochastic: the rate is clamped to [-cap, cap] */
} mcr_funding;

typedef enum mcr_margin_mode { MCR_MARGIN_ISOLATED, MCR_MARGIN_CROSS, MCR_MARGIN_NONE } mcr_margin_mode;

/* One row of margin.tiers (Binance's "leverage and margin tiers"): a position of notional
 * x <= notional_max (above the previous row's) needs x maintenance - amount. */
typedef struct mcr_margin_tier {
    double notional_max, maintenance, amount; /* amount NAN: from the continuity rule */
} mcr_margin_tier;

/* fee: closed at the step's price less liquidation_fee, the rest of the account returned;
 * exchange: taken over at the bankruptcy price, so the whole account is lost. */
typedef enum mcr_liquidation_style { MCR_LIQ_FEE, MCR_LIQ_EXCHANGE } mcr_liquidation_style;

typedef struct mcr_margin {
    mcr_margin_mode mode;
    double initial;         /* initial margin rate of perp notional */
    double maintenance;     /* liquidation when equity < maintenance x notional */
    double liquidation_fee; /* fraction of notional charged on liquidation */
    mcr_margin_tier tiers[MCR_MAX_MARGIN_TIERS]; /* instead of maintenance, when n_tiers > 0 */
    int n_tiers;
    mcr_liquidation_style liquidation;
    bool adl; /* auto-deleveraging in the scenarios' adl windows (strategies/adl.c) */
} mcr_margin;

/* The `perp` section: the perpetual's own price. basis.reversion 0 (absent): the perpetual
 * trades at spot. */
typedef struct mcr_perp_market {
    mcr_basis_params basis;
} mcr_perp_market;

/* margin.tiers as the model's table, amounts filled; one tier of margin.maintenance without. */
mcr_margin_tiers mcr_margin_tiers_of(const mcr_margin *m);

#endif
