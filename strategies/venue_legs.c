/* Options held at a venue that fails (venue_legs.h). */
#include "venue_legs.h"

#include "roll.h"

#define NP MCR_NP

double mcr_venue_leg_value(const mcr_hedge_plan *p, const mcr_leg *leg, double strike,
                           bool expiring, double tau, double s)
{
    mcr_leg l = *leg;
    l.strike = strike;
    return expiring ? mcr_leg_payoff(&l, s)
                    : mcr_leg_value(&l, &p->surface[l.asset], p->rate, s, tau);
}

void mcr_venue_settle_kept(const mcr_strat_kernels *k, const mcr_leg *leg, double g,
                           const double *s, const bool *keep, double *usd, double *coin)
{
    double cash[NP] = {0}, coins[NP] = {0};
    k->settle_leg(leg->quantity, leg->strike, leg->payoff == MCR_CALL, g, s, cash,
                  coin ? coins : NULL);
    for (int i = 0; i < NP && !coin; i++)
        usd[i] += keep[i] ? cash[i] : 0.0;
    for (int i = 0; i < NP && coin; i++)
        coin[i] += keep[i] ? coins[i] : 0.0;
}

/* Add quantity x value at step t of legs[0 .. n) still open (expiring at t or later) to held on
 * the paths hit. */
static void legs_held(const mcr_hedge_plan *p, const mcr_leg *legs, int n, int t,
                      const double *s, const bool *hit, double *held)
{
    for (int l = 0; l < n; l++) {
        const mcr_leg *leg = &legs[l];
        if (leg->expiry_step < t)
            continue; /* settled */
        bool expiring = leg->expiry_step == t;
        double tau = leg->expiry - t * p->dt;
        for (int i = 0; i < NP; i++)
            if (hit[i])
                held[i] += leg->quantity *
                           mcr_venue_leg_value(p, leg, leg->strike, expiring, tau, s[i]);
    }
}

/* The claim on a failed venue for a net value held (USD at step t): recovery of a positive one,
 * a liability in full; both carried to the horizon. Returns the claim; *lost gets the loss. */
static double claim(const mcr_hedge_plan *p, int venue, int t, double held, double *lost)
{
    double g = p->growth[t];
    *lost = held > 0 ? (1.0 - p->venues.failure[venue].recovery) * held * g : 0.0;
    return held * g - *lost;
}

void mcr_venue_book_legs(const mcr_hedge_plan *p, const mcr_venue_paths *vp, int t,
                         const double *const *s, double *cash, double *loss)
{
    for (int v = 0; v < p->venues.n; v++) {
        bool hit[NP];
        if (!((p->book_leg_venues >> v) & 1u) || !mcr_venue_hits(vp, v, t, hit))
            continue;
        double held[NP] = {0};
        for (int l = 0; l < p->book.n_legs; l++)
            if (p->book.legs[l].venue == v)
                legs_held(p, &p->book.legs[l], 1, t, s[p->book.legs[l].asset], hit, held);
        for (int i = 0; i < NP; i++) {
            double lost;
            cash[i] += hit[i] ? claim(p, v, t, held[i], &lost) : 0.0;
            loss[i] -= hit[i] ? lost : 0.0;
        }
    }
}

void mcr_venue_part_legs(const mcr_hedge_plan *p, const mcr_venue_paths *vp,
                         const mcr_part_plan *pp, mcr_part_state *o, int t, const double *s)
{
    bool hit[NP];
    if (!mcr_venue_hits(vp, pp->venue, t, hit))
        return;
    double held[NP] = {0};
    if (!o->legs_closed)
        legs_held(p, pp->legs, pp->n_legs, t, s, hit, held);
    if (pp->rolls_per_step > 0)
        mcr_roll_held(p, pp, o, t, s, hit, held);
    for (int i = 0; i < NP; i++) {
        if (!hit[i])
            continue;
        double lost;
        o->comp[MCR_PNL_HEDGE][i] += claim(p, pp->venue, t, held[i], &lost) + lost;
        o->comp[MCR_PNL_VENUE_LOSS][i] -= lost;
        o->liq_step[i] = MCR_LEFT_VENUE;
    }
}
