/* Option greeks for the paths of a block (book_greeks.h). */
#include "book_greeks.h"

#include <math.h>
#include <string.h>

#define NP MCR_NP

_Static_assert(MCR_HEDGE_CHUNK <= MCR_STRAT_ROWS, "a chunk's steps fit one leg_delta call");

/* The Black-Scholes terms of a leg at the c->rows times to expiry c->tau[k], each on the leg's
 * smile slice there. */
static void leg_terms(const mcr_hedge_plan *p, const mcr_leg *leg, mcr_leg_terms *c)
{
    c->rate = p->rate;
    c->quantity = leg->quantity;
    c->put_shift = leg->payoff == MCR_PUT ? -1.0 : 0.0;
    c->log_k = log(leg->strike);
    for (int k = 0; k < c->rows; k++) {
        c->sq[k] = sqrt(c->tau[k]);
        c->inv_sq[k] = 1.0 / c->sq[k];
        c->slice[k] = mcr_vol_surface_slice(&p->surface[leg->asset], c->tau[k]);
    }
}

void mcr_book_delta_chunk(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                          int a, int t0, int n, const double *log_s, int stride,
                          const mcr_venue_paths *failed)
{
    double *delta = g->chunk_delta[a], spot = p->book.spot[a]; /* not reloaded per store */
    for (int j = 0; j < n * NP; j++)
        delta[j] = spot;
    for (int l = 0; l < p->book.n_legs; l++) {
        const mcr_leg *leg = &p->book.legs[l];
        int live = 0; /* steps of the chunk before the leg's expiry */
        while (live < n && t0 + live + 1 < leg->expiry_step)
            live++;
        if (leg->asset != a || live == 0)
            continue;
        g->terms.rows = live;
        for (int s = 0; s < live; s++)
            g->terms.tau[s] = leg->expiry - (t0 + s + 1) * p->dt;
        leg_terms(p, leg, &g->terms);
        if (leg->venue < 0 || !failed) {
            k->strat->leg_delta(&g->terms, log_s, stride, delta);
            continue;
        }
        memset(g->at_venue, 0, (size_t)live * NP * sizeof(double));
        k->strat->leg_delta(&g->terms, log_s, stride, g->at_venue);
        const int32_t *fails = failed->step[leg->venue];
        for (int s = 0; s < live; s++)
            for (int i = 0; i < NP; i++)
                delta[s * NP + i] += t0 + s + 1 < fails[i] ? g->at_venue[s * NP + i] : 0.0;
    }
}

void mcr_leg_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                    const mcr_leg *leg, const double *strikes, double tau, const double *s,
                    const double *log_s, double out[3][MCR_NP])
{
    g->terms.rows = 1;
    g->terms.tau[0] = tau;
    leg_terms(p, leg, &g->terms);
    if (strikes) /* a rolled generation's, path by path */
        for (int i = 0; i < NP; i++)
            g->log_k[i] = log(strikes[i]);
    k->strat->leg_greeks(&g->terms, strikes ? g->log_k : NULL, s, log_s, out[0], out[1], out[2]);
}

void mcr_legs_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                     const mcr_leg *legs, int n_legs, int a, int t, const double *s,
                     const double *log_s, double out[3][MCR_NP])
{
    for (int l = 0; l < n_legs; l++) {
        const mcr_leg *leg = &legs[l];
        double tau = leg->expiry - t * p->dt;
        if (leg->asset != a || leg->expiry_step <= t || tau <= 0)
            continue;
        mcr_leg_greeks(g, p, k, leg, NULL, tau, s, log_s, out);
    }
}

void mcr_book_greeks_at(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k, int a,
                        int t, const double *s, const double *log_s,
                        const mcr_venue_paths *failed)
{
    memset(g->book, 0, sizeof g->book);
    for (int i = 0; i < NP; i++)
        g->book[0][i] = p->book.spot[a];
    for (int l = 0; l < p->book.n_legs; l++) {
        const mcr_leg *leg = &p->book.legs[l];
        if (leg->venue < 0) {
            mcr_legs_greeks(g, p, k, leg, 1, a, t, s, log_s, g->book);
            continue;
        }
        memset(g->at_venue3, 0, sizeof g->at_venue3);
        mcr_legs_greeks(g, p, k, leg, 1, a, t, s, log_s, g->at_venue3);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < NP; i++)
                g->book[c][i] += failed->step[leg->venue][i] > t ? g->at_venue3[c][i] : 0.0;
    }
}
