/* The fused runs of the strategy engine (hedge_work.h): a part whose position kind takes a run of
 * steps in one pass (position.h's run: carry, isolated margin check and trade, its state in
 * registers across the run) and whose steps need nothing else of the engine is stepped by that
 * pass over each segment of a chunk, ahead of the engine's step-by-step loop (hedge.c), which
 * leaves it out. Nothing else reads or writes such a part's state before the segment's end (a
 * sample of the net greeks, or the horizon), so the result is bitwise the step-by-step one. */
#include "adl.h"
#include "hedge_work.h"

bool mcr_part_fuses(const mcr_hedge_plan *p, const mcr_strategy_run *r, const mcr_part_plan *pp)
{
    /* not: pooled accounts (cross margin), a mark of its own, a venue that can fail, gas, legs
     * or rolls of options, a DeFi rule, auto-deleveraging, or the book's holdings (they move
     * the book's delta step by step) */
    return pp->position && pp->position->run && !pp->position->act && !r->cross &&
           !pp->marked && pp->venue < 0 && !pp->onchain && pp->n_legs == 0 &&
           pp->rolls_per_step == 0 && !mcr_adl_follows(p, pp) && p->book.n_holdings == 0;
}

void mcr_hedge_runs(mcr_hedge_work *w, int t0, int k0, int n, const double *const *price,
                    const double *const *log_price, int stride)
{
    const mcr_hedge_plan *p = w->plan;
    mcr_run_terms r;
    for (int j = 0; j < p->n_parts; j++) {
        if (!w->fused[j])
            continue;
        const mcr_part_plan *pp = &p->parts[j];
        int a = pp->asset, h = pp->hedge_asset;
        bool cross = h != a; /* a cross hedge: the target and band in the book asset's terms */
        size_t first = (size_t)k0 * stride;
        r.n = n;
        r.t0 = t0 + k0;
        r.stride = stride;
        r.s = price[h] + first;
        r.s_prev = k0 == 0 ? w->last[h] : price[h] + first - stride;
        r.log_s = log_price[h] + first;
        r.sa = cross ? price[a] + first : NULL;
        r.delta = w->greeks.chunk_delta[a] + (size_t)k0 * NP;
        r.ratio = cross ? pp->hedge_ratio * pp->beta : pp->hedge_ratio;
        r.beta = pp->beta;
        r.band = pp->band;
        r.band_pct = pp->band_pct;
        r.banded = pp->band > 0 || pp->band_pct > 0;
        r.reopen_steps = pp->reopen_steps;
        for (int k = 0; k < n; k++) {
            int t = r.t0 + 1 + k;
            r.trade[k] = mcr_rebalances_at(p, pp, t);
            r.reopen[k] = pp->reopen_steps > 0 && t < p->steps;
        }
        pp->position->run(&p->venue, &pp->pp, &w->parts[j], &r);
    }
}
