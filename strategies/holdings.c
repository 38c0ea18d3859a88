/* The book's holdings and their oracles over a block (holdings.h). */
#include "holdings.h"

#include <stdlib.h>
#include <string.h>

#define NP MCR_NP

static const mcr_oracle *oracle_of(const mcr_hedge_plan *p, int a)
{
    return &p->cfg->assets[a].oracle;
}

int mcr_holdings_window(const mcr_hedge_plan *p, int a)
{
    return a < p->n_assets && p->book.n_holdings > 0 ? mcr_oracle_window(oracle_of(p, a)) : 0;
}

bool mcr_holdings_init(mcr_holdings *h, const mcr_hedge_plan *p)
{
    bool ok = true;
    for (int a = 0; a < MCR_MAX_SIM_ASSETS; a++) {
        int window = mcr_holdings_window(p, a);
        h->ring[a] = window > 0 ? aligned_alloc(64, (size_t)window * NP * sizeof(double)) : NULL;
        ok &= window == 0 || h->ring[a];
    }
    if (!ok)
        mcr_holdings_free(h);
    return ok;
}

void mcr_holdings_free(mcr_holdings *h)
{
    for (int a = 0; a < MCR_MAX_SIM_ASSETS; a++) {
        free(h->ring[a]);
        h->ring[a] = NULL;
    }
}

void mcr_holdings_begin(const mcr_hedge_plan *p, mcr_holdings *h)
{
    for (int k = 0; k < p->book.n_holdings; k++)
        p->book.holdings[k].ops->begin(&p->book.holdings[k], &h->hold[k]);
    memset(h->venue_loss, 0, sizeof h->venue_loss);
    for (int a = 0; a < p->n_assets; a++) {
        int window = h->ring[a] ? mcr_oracle_window(oracle_of(p, a)) : 0;
        for (int j = 0; j < window * NP; j++)
            h->ring[a][j] = p->spot0[a];
    }
}

void mcr_holdings_step(const mcr_hedge_plan *p, mcr_holdings *h, int t, const double *const *s,
                       const double *const *prev, double *cash)
{
    const double *oracle[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < p->n_assets; a++) {
        oracle[a] = s[a];
        if (!h->ring[a])
            continue;
        const mcr_oracle *o = oracle_of(p, a);
        double *slot = h->ring[a] + (size_t)(t % mcr_oracle_window(o)) * NP;
        memcpy(slot, s[a], NP * sizeof(double));
        for (int i = 0; i < NP; i++)
            h->oracle[a][i] = mcr_oracle_price(o, h->ring[a] + i, NP, t);
        oracle[a] = h->oracle[a];
    }
    for (int k = 0; k < p->book.n_holdings; k++)
        p->book.holdings[k].ops->step(&p->venue, &p->book.holdings[k], &h->hold[k], t, s, prev,
                                      oracle, cash);
}

void mcr_holdings_venues(const mcr_hedge_plan *p, mcr_holdings *h, const mcr_venue_paths *paths,
                         int t, const double *const *s, double *cash)
{
    for (int k = 0; k < p->book.n_holdings; k++) {
        const mcr_holding *hk = &p->book.holdings[k];
        bool hit[NP];
        if (hk->venue < 0 || !mcr_venue_hits(paths, hk->venue, t, hit))
            continue;
        double held[NP] = {0};
        hk->ops->leave(&p->venue, hk, &h->hold[k], t, s, hit, held);
        double g = p->venue.growth[t];
        double lost = (1.0 - p->venues.failure[hk->venue].recovery) * g;
        for (int i = 0; i < NP; i++) { /* a negative value is a debt to it: settled */
            double loss = lost * (held[i] > 0 ? held[i] : 0.0);
            cash[i] += held[i] * g - loss;
            h->venue_loss[i] -= loss;
        }
    }
}

void mcr_holdings_greeks(const mcr_hedge_plan *p, const mcr_holdings *h, int a, const double *s,
                         double *delta, double *gamma)
{
    for (int k = 0; k < p->book.n_holdings; k++)
        p->book.holdings[k].ops->greeks(&p->book.holdings[k], &h->hold[k], a, s, delta, gamma);
}

void mcr_holdings_end(const mcr_hedge_plan *p, const mcr_holdings *h, const double *const *s,
                      mcr_holding_end *out)
{
    memset(out, 0, sizeof *out);
    for (int f = MCR_FIELD_BOOK_FIRST; f < MCR_N_FIELDS; f++)
        if (mcr_fields[f].summary == MCR_SUMMARY_EVENT) /* a step: -1 is none */
            for (int i = 0; i < NP; i++)
                out->field[f - MCR_FIELD_BOOK_FIRST][i] = -1.0;
    for (int k = 0; k < p->book.n_holdings; k++)
        p->book.holdings[k].ops->end(&p->venue, &p->book.holdings[k], &h->hold[k], s, out);
    memcpy(out->field[MCR_FIELD_BOOK_VENUE_LOSS - MCR_FIELD_BOOK_FIRST], h->venue_loss,
           sizeof h->venue_loss);
}
