/* The hedge part of the config contract (schema 1): the instruments a book or a strategy may hold,
 * the strategies, trading costs, perpetual funding and margin. Validated by config.c; consumed by
 * the strategy engine (hedge.c). Units: strikes of the book are absolute (quote currency), strikes
 * of strategies relative to spot at t0; days are calendar days (365 a year). */
#ifndef MCR_HEDGE_CONFIG_H
#define MCR_HEDGE_CONFIG_H

#include <stdbool.h>

typedef enum mcr_instrument {
    MCR_INSTRUMENT_SPOT,
    MCR_INSTRUMENT_CALL,
    MCR_INSTRUMENT_PUT,
    MCR_INSTRUMENT_LINEAR_PERP,  /* USD-margined: P&L = q (S_exit - S_entry) */
    MCR_INSTRUMENT_INVERSE_PERP, /* coin-margined: P&L in coin = q_usd (1/S_entry - 1/S_exit) */
} mcr_instrument;

typedef struct mcr_position {
    int asset; /* index into market.assets */
    mcr_instrument instrument;
    double quantity;    /* units (options: units of the underlying); negative = short */
    double strike;      /* options: absolute strike */
    double expiry_days; /* options: days from t0 */
} mcr_position;

typedef enum mcr_strategy_type {
    MCR_STRATEGY_NONE,
    MCR_STRATEGY_PROTECTIVE_PUT,    /* buy a put */
    MCR_STRATEGY_COLLAR,            /* buy a put, sell a call (strike solved for zero cost: auto) */
    MCR_STRATEGY_COVERED_CALL,      /* sell a call */
    MCR_STRATEGY_PUT_SPREAD_COLLAR, /* buy a put, sell a lower put and a call */
    MCR_STRATEGY_PERP_HEDGE,        /* static short perpetual */
    MCR_STRATEGY_DELTA_HEDGE,       /* dynamic: spot or perpetual, on a schedule or a band */
    MCR_STRATEGY_COUNT
} mcr_strategy_type;

typedef struct mcr_strategy {
    char name[64];
    mcr_strategy_type type;
    int asset;            /* the asset hedged: default the first asset of the portfolio */
    /* option overlays: strikes relative to spot at t0; quantity default = the book's spot
     * quantity in that asset (the options cover the whole position) */
    double strike;        /* protective_put, covered_call */
    double put_strike;    /* collar, put_spread_collar: the long put */
    double lower_put_strike; /* put_spread_collar: the short put, below put_strike */
    double call_strike;   /* collar, put_spread_collar: the short call */
    bool call_strike_auto; /* solve call_strike for a zero net premium */
    double expiry_days;   /* default: the horizon */
    double quantity;      /* 0: the default above */
    /* perpetual and delta hedges */
    mcr_instrument instrument; /* perp_hedge: linear/inverse perp; delta_hedge: spot or a perp */
    double hedge_ratio;   /* fraction of the book's delta hedged, default 1 */
    int every_steps;      /* delta_hedge: rebalance every k steps (default 1) ... */
    double band;          /* ... or when |net delta| > band (asset units); 0 = schedule only */
    double collateral_yield; /* extra yield per year on posted margin and positive cash */
} mcr_strategy;

typedef struct mcr_costs {
    double fee_bps;         /* taker fee per traded notional */
    double slippage_bps;    /* fixed slippage per traded notional */
    double impact;          /* square-root impact: extra slippage fraction impact sqrt(N / impact_notional) */
    double impact_notional; /* reference notional N0 of the impact law (quote currency) */
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
