/* Option greeks on a scenario's implied-vol surface for the paths of a block: the book's delta
 * at every step of a chunk (what delta hedges trade against) and the net greeks of legs at a
 * sample step, by the ISA's option kernels (kernels/strat.h) once per leg. */
#ifndef MCR_BOOK_GREEKS_H
#define MCR_BOOK_GREEKS_H

#include "hedge.h"

typedef struct mcr_book_greeks {
    /* the book's delta per asset at each step of the current chunk */
    double chunk_delta[MCR_MAX_SIM_ASSETS][MCR_HEDGE_CHUNK * MCR_NP];
    double book[3][MCR_NP]; /* the book's delta, gamma, vega at a sample step */
    mcr_leg_terms terms;    /* a leg's Black-Scholes terms, the kernels' input */
    double log_k[MCR_NP];   /* ln K of a rolled generation's strikes */
    /* an option at a venue that can fail: its delta over a chunk, its greeks at a sample step,
     * before they are added on the paths where it is still held (venue_legs.h) */
    double at_venue[MCR_HEDGE_CHUNK * MCR_NP];
    double at_venue3[3][MCR_NP];
} mcr_book_greeks;

/* The book's delta on asset a at steps t0 + 1 .. t0 + n into g->chunk_delta[a] (t0 = -1, n = 1:
 * at t = 0). log_s[k * stride + i]: ln S of step t0 + k + 1. An option at a venue counts on a
 * path until the step its venue fails there (failed: each venue's default steps; NULL at t = 0,
 * before any). */
void mcr_book_delta_chunk(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                          int a, int t0, int n, const double *log_s, int stride,
                          const mcr_venue_paths *failed);
/* The book's delta, gamma, vega on asset a at step t into g->book (options at a venue that
 * failed at t or before left out). */
void mcr_book_greeks_at(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k, int a,
                        int t, const double *s, const double *log_s,
                        const mcr_venue_paths *failed);
/* Add the delta, gamma and vega of one leg with tau years left to out, struck at strikes[i] path
 * by path (a rolled generation) or, with strikes NULL, at the leg's strike. */
void mcr_leg_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                    const mcr_leg *leg, const double *strikes, double tau, const double *s,
                    const double *log_s, double out[3][MCR_NP]);
/* Add the delta, gamma and vega of `legs` on asset a at step t to out. */
void mcr_legs_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                     const mcr_leg *legs, int n_legs, int a, int t, const double *s,
                     const double *log_s, double out[3][MCR_NP]);

#endif
