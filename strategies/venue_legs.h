/* Options held at a venue that fails (the `venue` of a book's call or put, or of an option
 * strategy): at the venue's default step (venue_failure.h) every option still open there is
 * marked on the scenario's surface at that step's price (Black-Scholes with its time left, its
 * payoff when it expires at that very step), and closed. The options of one account are set off
 * against each other as in a bankruptcy (the book's options at one venue are one account, an
 * option strategy part's legs and rolled generations another): a positive net value H is a claim
 * worth recovery x H, the rest (1 - recovery) H is lost; a net liability (sold options worth more
 * than those bought) is paid in full, as a short perpetual at a failed venue is closed at its
 * price. Premiums and payoffs of options settled before the failure have left the venue; nothing
 * settles, is marked or rolls after it on that path, and the options' greeks leave the book's
 * and the strategy's. Coin-settled options are valued in USD at that step's price, the claim
 * fixed in USD as FTX's were at the petition date's prices. */
#ifndef MCR_VENUE_LEGS_H
#define MCR_VENUE_LEGS_H

#include <stdbool.h>

#include "hedge.h"

/* Whether an option held at `venue` (-1: none) is gone on path i by step t: its venue failed at
 * step t or before. */
static inline bool mcr_venue_gone(const mcr_venue_paths *vp, int venue, int t, int i)
{
    return venue >= 0 && vp->step[venue][i] <= t;
}

/* The value per unit of `leg` struck at `strike` at step t and spot s: its payoff at its expiry
 * step, else its Black-Scholes value on the scenario's surface with tau years left. */
double mcr_venue_leg_value(const mcr_hedge_plan *p, const mcr_leg *leg, double strike,
                           bool expiring, double tau, double s);

/* Step t (before its settlements): the book's options at venues failing at t are closed on the
 * paths hit, at prices s[a]; the claims (recovery x a positive net value per venue, or a net
 * liability paid) carried to the horizon go to cash, the losses to loss (<= 0). */
void mcr_venue_book_legs(const mcr_hedge_plan *p, const mcr_venue_paths *vp, int t,
                         const double *const *s, double *cash, double *loss);

/* Step t (before its settlements and rolls) of an option part at a venue (pp->venue >= 0): where
 * the venue fails, its open legs and generations are closed at their marks at the part's asset's
 * prices s (component hedge), the loss booked in venue_loss, and the path's liq_step set to
 * MCR_LEFT_VENUE: it holds, settles and rolls nothing more. */
void mcr_venue_part_legs(const mcr_hedge_plan *p, const mcr_venue_paths *vp,
                         const mcr_part_plan *pp, mcr_part_state *o, int t, const double *s);

/* Settle `leg` at s (the strategy kernels' settle_leg: USD carried by g into usd, or coin into
 * coin when not NULL) on the paths where keep[i] only; elsewhere its venue failed. What a kept
 * path gets is bitwise what settling every path gives it (0 + x is x). */
void mcr_venue_settle_kept(const mcr_strat_kernels *k, const mcr_leg *leg, double g,
                           const double *s, const bool *keep, double *usd, double *coin);

/* Whether path i of an option part no longer holds options (its venue failed). */
static inline bool mcr_part_gone(const mcr_part_state *o, int i)
{
    return o->liq_step[i] == MCR_LEFT_VENUE;
}

#endif
