/* Option greeks for the paths of a block (book_greeks.h). */
#include "book_greeks.h"

#include <math.h>
#include <string.h>

#define NP MCR_NP

/* d1 of leg l for every path of a row at tau years to expiry, on the leg's smile slice; strikes
 * path by path (a rolled generation's) when `strikes` is given, else the leg's. */
static void leg_d1_struck(const mcr_hedge_plan *p, const mcr_leg *leg, const double *strikes,
                          double tau, const double *log_s, double *d1, double *vol_sq)
{
    double sq = sqrt(tau), inv_sq = 1.0 / sq, log_k = log(leg->strike), r = p->rate;
    mcr_vol_slice slice = mcr_vol_surface_slice(&p->surface[leg->asset], tau);
    for (int i = 0; i < NP; i++) {
        double lk = strikes ? log(strikes[i]) : log_k;
        double m = log_s[i] - lk; /* ln(S/K); the smile's x = ln(K/F) / sqrt(tau) */
        double vol = mcr_vol_slice_vol(&slice, (-m - r * tau) * inv_sq);
        d1[i] = (m + (r + 0.5 * vol * vol) * tau) / (vol * sq);
        if (vol_sq)
            vol_sq[i] = vol * sq;
    }
}

static void leg_d1(const mcr_hedge_plan *p, const mcr_leg *leg, double tau, const double *log_s,
                   double *d1, double *vol_sq)
{
    leg_d1_struck(p, leg, NULL, tau, log_s, d1, vol_sq);
}

void mcr_book_delta_chunk(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                          int a, int t0, int n, const double *log_s, int stride)
{
    double *delta = g->chunk_delta[a];
    for (int j = 0; j < n * NP; j++)
        delta[j] = p->book.spot[a];
    for (int l = 0; l < p->book.n_legs; l++) {
        const mcr_leg *leg = &p->book.legs[l];
        int live = 0; /* steps of the chunk before the leg's expiry */
        while (live < n && t0 + live + 1 < leg->expiry_step)
            live++;
        if (leg->asset != a || live == 0)
            continue;
        for (int s = 0; s < live; s++)
            leg_d1(p, leg, leg->expiry - (t0 + s + 1) * p->dt, log_s + (size_t)s * stride,
                   g->d1 + (size_t)s * NP, NULL);
        k->norm_cdf(g->d1, g->nd1, live * NP);
        double put_shift = leg->payoff == MCR_PUT ? -1.0 : 0.0;
        for (int j = 0; j < live * NP; j++)
            delta[j] += leg->quantity * (g->nd1[j] + put_shift);
    }
}

void mcr_leg_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                    const mcr_leg *leg, const double *strikes, double tau, const double *s,
                    const double *log_s, double out[3][MCR_NP])
{
    double vol_sq[NP];
    leg_d1_struck(p, leg, strikes, tau, log_s, g->d1, vol_sq);
    for (int i = 0; i < NP; i++)
        g->nd1[i] = -0.5 * g->d1[i] * g->d1[i];
    k->exp(g->nd1, g->pdf, NP);
    k->norm_cdf(g->d1, g->nd1, NP);
    double put_shift = leg->payoff == MCR_PUT ? -1.0 : 0.0, q = leg->quantity;
    double sq = sqrt(tau);
    for (int i = 0; i < NP; i++) {
        double pdf = 0.39894228040143267794 * g->pdf[i]; /* phi(d1) */
        out[0][i] += q * (g->nd1[i] + put_shift);        /* delta */
        out[1][i] += q * pdf / (s[i] * vol_sq[i]);       /* gamma = phi / (S vol sqrt(tau)) */
        out[2][i] += q * s[i] * pdf * sq;                /* vega = S phi sqrt(tau) */
    }
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
                        int t, const double *s, const double *log_s)
{
    memset(g->book, 0, sizeof g->book);
    for (int i = 0; i < NP; i++)
        g->book[0][i] = p->book.spot[a];
    mcr_legs_greeks(g, p, k, p->book.legs, p->book.n_legs, a, t, s, log_s, g->book);
}
