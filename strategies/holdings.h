/* The book's path-dependent positions (instruments/holding.h) over the paths of a block: each
 * holding's operations called in turn, once per step and block, and the oracles they read (each
 * asset's ring of its last prices, models/oracle.h). */
#ifndef MCR_HOLDINGS_H
#define MCR_HOLDINGS_H

#include <stdbool.h>

#include "hedge.h"

typedef struct mcr_holdings {
    mcr_holding_state hold[MCR_MAX_HOLDINGS];
    double *ring[MCR_MAX_SIM_ASSETS];          /* an asset's oracle ring [window][NP], or NULL */
    double oracle[MCR_MAX_SIM_ASSETS][MCR_NP]; /* this step's oracle prices */
    double venue_loss[MCR_NP]; /* what failed venues kept, carried to the horizon (<= 0) */
} mcr_holdings;

/* A thread's rings for the assets whose oracle is not the market price (when the book holds
 * anything that reads them); false when out of memory (nothing left allocated). */
bool mcr_holdings_init(mcr_holdings *h, const mcr_hedge_plan *p);
/* The length of asset a's oracle ring under plan p (0: none). */
int mcr_holdings_window(const mcr_hedge_plan *p, int a);
void mcr_holdings_free(mcr_holdings *h);

/* Start a block: every holding's variables at t = 0, the oracles' rings at S0. */
void mcr_holdings_begin(const mcr_hedge_plan *p, mcr_holdings *h);
/* Step t >= 1 of every holding (prices s[a], before prev[a]): the oracles read s first; cash
 * flows carried to T go to cash. */
void mcr_holdings_step(const mcr_hedge_plan *p, mcr_holdings *h, int t, const double *const *s,
                       const double *const *prev, double *cash);
/* Asset a's oracle price this step (after mcr_holdings_step): its ring's, or the market's s. */
static inline const double *mcr_holdings_oracle(const mcr_holdings *h, int a, const double *s)
{
    return h->ring[a] ? h->oracle[a] : s;
}
/* Step t's failures of the venues holdings sit at (paths: their default steps): each failed
 * holding leaves; recovery of its value at s is the book's claim (added to cash, carried to the
 * horizon), the rest is lost (the book field book_venue_loss). */
void mcr_holdings_venues(const mcr_hedge_plan *p, mcr_holdings *h, const mcr_venue_paths *paths,
                         int t, const double *const *s, double *cash);
/* Add the delta (and gamma, unless NULL) of the holdings on asset a at price s. */
void mcr_holdings_greeks(const mcr_hedge_plan *p, const mcr_holdings *h, int a, const double *s,
                         double *delta, double *gamma);
/* At the horizon (S_T of asset a in s[a]): their marks and book fields (with what failed
 * venues kept) into out. */
void mcr_holdings_end(const mcr_hedge_plan *p, const mcr_holdings *h, const double *const *s,
                      mcr_holding_end *out);

#endif
