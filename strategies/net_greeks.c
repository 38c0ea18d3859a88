/* The net greeks of every strategy at the sample steps (hedge_work.h): the book's on its primary
 * asset, its parts' option legs and their positions' deltas, summed per path over the samples. */
#include <string.h>

#include "hedge_work.h"
#include "roll.h"

/* The net greeks of every strategy at a sample step t: the book's on the strategy's primary
 * asset plus its parts' option legs on it (none on paths where their venue failed) and their
 * positions' deltas when they trade it. */
void mcr_sample_greeks(mcr_hedge_work *w, int t, const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    for (int a = 0; a < p->n_assets; a++) {
        bool used = false;
        for (int s = 0; s < p->n_strategies; s++)
            used |= p->strategies[s].asset == a;
        if (!used)
            continue;
        mcr_book_greeks_at(&w->greeks, p, w->k, a, t, x->s[a], x->log_s[a], &w->venue_paths);
        mcr_holdings_greeks(p, &w->hold, a, x->s[a], w->greeks.book[0], w->greeks.book[1]);
        for (int s = 0; s < p->n_strategies; s++) {
            const mcr_strategy_run *r = &p->strategies[s];
            if (r->asset != a)
                continue;
            double g[3][NP], hd[NP], d[NP], at_venue[3][NP];
            memcpy(g, w->greeks.book, sizeof g);
            bool first = true;
            for (int j = r->first; j < r->first + r->n; j++) {
                const mcr_part_plan *pp = &p->parts[j];
                bool venue = pp->venue >= 0 && pp->n_legs > 0;
                double(*into)[NP] = venue ? at_venue : g;
                if (venue)
                    memset(at_venue, 0, sizeof at_venue);
                if (!w->parts[j].legs_closed) /* t0's options, unless sold at a roll */
                    mcr_legs_greeks(&w->greeks, p, w->k, pp->legs, pp->n_legs, a, t, x->s[a],
                                    x->log_s[a], into);
                if (pp->rolls_per_step > 0 && pp->asset == a)
                    mcr_roll_greeks(&w->greeks, p, w->k, pp, &w->parts[j], t, x->s[a],
                                    x->log_s[a], into);
                for (int k = 0; venue && k < 3; k++)
                    for (int i = 0; i < NP; i++)
                        g[k][i] += mcr_part_gone(&w->parts[j], i) ? 0.0 : at_venue[k][i];
                if (first) {
                    if (pp->position && pp->hedge_asset == a)
                        pp->position->delta(&w->parts[j], mcr_price_of(pp, &w->parts[j], x), hd);
                    else
                        memset(hd, 0, sizeof hd);
                    first = false;
                } else if (pp->position && pp->hedge_asset == a) {
                    pp->position->delta(&w->parts[j], mcr_price_of(pp, &w->parts[j], x), d);
                    for (int i = 0; i < NP; i++)
                        hd[i] += d[i];
                }
            }
            strategy_state *st = &w->strategies[s];
            for (int i = 0; i < NP; i++) {
                st->greek[0][i] += g[0][i] + hd[i];
                st->greek[1][i] += g[1][i];
                st->greek[2][i] += g[2][i];
            }
            st->greek_samples++;
        }
    }
}
