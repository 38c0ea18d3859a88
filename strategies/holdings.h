/* The book's path-dependent positions (instruments/holding.h) over the paths of a block: each
 * holding's operations called in turn, once per step and block. */
#ifndef MCR_HOLDINGS_H
#define MCR_HOLDINGS_H

#include "hedge.h"

/* Start a block: every holding's variables at t = 0. */
void mcr_holdings_begin(const mcr_hedge_plan *p, mcr_holding_state *o);
/* Step t >= 1 of every holding (prices s[a], before prev[a]); cash flows carried to T go to
 * cash. */
void mcr_holdings_step(const mcr_hedge_plan *p, mcr_holding_state *o, int t,
                       const double *const *s, const double *const *prev, double *cash);
/* Add the delta (and gamma, unless NULL) of the holdings on asset a at price s. */
void mcr_holdings_greeks(const mcr_hedge_plan *p, const mcr_holding_state *o, int a,
                         const double *s, double *delta, double *gamma);
/* At the horizon (S_T of asset a in s[a]): their marks and book fields, summed into out
 * (zeroed first). */
void mcr_holdings_end(const mcr_hedge_plan *p, const mcr_holding_state *o,
                      const double *const *s, mcr_holding_end *out);

#endif
