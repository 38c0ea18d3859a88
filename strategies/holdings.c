/* The book's holdings over a block (holdings.h). */
#include "holdings.h"

#include <string.h>

void mcr_holdings_begin(const mcr_hedge_plan *p, mcr_holding_state *o)
{
    for (int h = 0; h < p->book.n_holdings; h++)
        p->book.holdings[h].ops->begin(&p->book.holdings[h], &o[h]);
}

void mcr_holdings_step(const mcr_hedge_plan *p, mcr_holding_state *o, int t,
                       const double *const *s, const double *const *prev, double *cash)
{
    for (int h = 0; h < p->book.n_holdings; h++) {
        const mcr_holding *hd = &p->book.holdings[h];
        hd->ops->step(&p->venue, hd, &o[h], t, s[hd->asset], prev[hd->asset], cash);
    }
}

void mcr_holdings_greeks(const mcr_hedge_plan *p, const mcr_holding_state *o, int a,
                         const double *s, double *delta, double *gamma)
{
    for (int h = 0; h < p->book.n_holdings; h++)
        if (p->book.holdings[h].asset == a)
            p->book.holdings[h].ops->greeks(&p->book.holdings[h], &o[h], s, delta, gamma);
}

void mcr_holdings_end(const mcr_hedge_plan *p, const mcr_holding_state *o,
                      const double *const *s, mcr_holding_end *out)
{
    memset(out, 0, sizeof *out);
    for (int h = 0; h < p->book.n_holdings; h++) {
        const mcr_holding *hd = &p->book.holdings[h];
        hd->ops->end(&p->venue, hd, &o[h], s[hd->asset], out);
    }
}
