/* Perpetual swaps, one isolated-margin position: P&L of linear (USD-margined) and inverse
 * (coin-margined) contracts, funding payments, equity, maintenance margin, the liquidation test
 * and the liquidation price in closed form (docs/REFERENCE_VALUES.md 9c-9e; Binance
 * "How to calculate PnL" and "Liquidation price of USD-M / COIN-M futures", isolated mode,
 * cum = 0).
 *
 * Units: everything a linear contract owes is in the quote currency (USD); everything an inverse
 * contract owes is in the coin (its margin currency), converted to USD by the caller at the mark.
 * Sizes are signed: > 0 long, < 0 short. The per-step evaluations are inline because the engine
 * runs them for every path and step. */
#ifndef MCR_PERP_H
#define MCR_PERP_H

#include <math.h>
#include <stdbool.h>

typedef enum mcr_perp_contract {
    MCR_PERP_LINEAR,  /* size in coin; P&L = q (S_exit - S_entry) in USD */
    MCR_PERP_INVERSE, /* size in USD; P&L = q_usd (1/S_entry - 1/S_exit) in coin */
} mcr_perp_contract;

typedef struct mcr_perp_position {
    mcr_perp_contract contract;
    double size;   /* signed: coin (linear) or USD face value (inverse); > 0 long */
    double entry;  /* entry price EP > 0, USD per coin */
    double wallet; /* isolated wallet balance WB in the margin currency (USD or coin) */
} mcr_perp_position;

/* P&L of a linear position of q coin: q (S_exit - S_entry), USD. */
static inline double mcr_perp_linear_pnl(double q, double entry, double exit)
{
    return q * (exit - entry);
}

/* P&L of an inverse position of q_usd: q_usd (1/S_entry - 1/S_exit), coin. A long gains less in
 * coin when the price rises than it loses when it falls: at 1x, +50% when the price doubles,
 * -100% when it halves. */
static inline double mcr_perp_inverse_pnl(double q_usd, double entry, double exit)
{
    return q_usd * (1.0 / entry - 1.0 / exit);
}

/* Unrealised P&L at `mark`, in the margin currency. */
static inline double mcr_perp_pnl(const mcr_perp_position *p, double mark)
{
    return p->contract == MCR_PERP_LINEAR ? mcr_perp_linear_pnl(p->size, p->entry, mark)
                                          : mcr_perp_inverse_pnl(p->size, p->entry, mark);
}

/* |notional| at `mark` in the margin currency: |q| mark (USD) or |q_usd| / mark (coin). */
static inline double mcr_perp_notional(const mcr_perp_position *p, double mark)
{
    return p->contract == MCR_PERP_LINEAR ? fabs(p->size) * mark : fabs(p->size) / mark;
}

/* Funding cash flow received by the position at one funding time, in the margin currency:
 * -rate x signed notional, so with a positive rate longs pay and shorts receive (peer to peer).
 * Only positions open at the funding time call this. */
static inline double mcr_perp_funding(const mcr_perp_position *p, double mark, double rate)
{
    double sign = p->size > 0.0 ? 1.0 : p->size < 0.0 ? -1.0 : 0.0;
    return -rate * sign * mcr_perp_notional(p, mark);
}

/* Equity = wallet + unrealised P&L, in the margin currency. */
static inline double mcr_perp_equity(const mcr_perp_position *p, double mark)
{
    return p->wallet + mcr_perp_pnl(p, mark);
}

/* Maintenance margin = mmr x notional (cum = 0), in the margin currency. */
static inline double mcr_perp_maintenance(const mcr_perp_position *p, double mark, double mmr)
{
    return mmr * mcr_perp_notional(p, mark);
}

/* The liquidation test run at every margin check: equity < maintenance. At the liquidation price
 * the two are equal, so the mark must cross it (whether the boundary itself counts is rounding). */
static inline bool mcr_perp_breached(const mcr_perp_position *p, double mark, double mmr)
{
    return mcr_perp_equity(p, mark) < mcr_perp_maintenance(p, mark, mmr);
}

/* Wallet posted for an initial-margin rate `initial` (= 1 / leverage): initial x notional at the
 * entry price, in the margin currency. */
double mcr_perp_initial_wallet(const mcr_perp_position *p, double initial);

/* The mark at which equity = maintenance (0 <= mmr < 1), with d = sign(size), Q = |size|:
 *   linear:  LP = (WB - d Q EP) / (Q mmr - d Q)
 *   inverse: LP = Q (mmr + d) / (WB + d Q / EP)
 * A long is liquidated when the mark falls to LP, a short when it rises to LP. Returns 0 for a
 * long that no positive price can liquidate (linear with WB >= Q EP: fully collateralised) and
 * INFINITY for a short that no price can liquidate (inverse with WB >= Q / EP: the coin
 * collateral gains as fast as the short loses). NAN when size is 0. */
double mcr_perp_liquidation_price(const mcr_perp_position *p, double mmr);

#endif
