/* Auto-deleveraging (adl.h). When a bankrupt trader's deficit exceeds the insurance fund, BitMEX,
 * Binance and Bybit close profitable positions of the other side, ranked by profit and leverage,
 * at the bankrupt position's price, with no fee. One account cannot see the fund or the queue, so
 * the scenario states both: its adl window is when the fund is short, and min_score is the rank
 * at which this account is reached. The score is BitMEX's profit % x leverage:
 *     score = (profit / posted) x (notional / equity),
 * with profit = account - posted (variation margin and funding since the position opened, in the
 * account's currency), notional at the mark in the same currency (|q| S, or |q| / S coin for an
 * inverse perpetual) and equity the account. At the first step in the window where profit > 0
 * and score >= min_score the position is closed at that step's mark (the counterparty's
 * bankruptcy price is not known here; the mark is what it tends to on a venue whose book clears)
 * and its account returned: it stops earning, like a liquidation without the loss (liq_step is
 * set, so `reopen` applies). */
#include "adl.h"

#include <string.h>

#define NP MCR_NP

bool mcr_adl_follows(const mcr_hedge_plan *p, const mcr_part_plan *pp)
{
    return p->venue.adl_to > p->venue.adl_from && pp->position && pp->position->margined;
}

void mcr_adl_posted(mcr_part_state *o, const double *account0, const double *q0)
{
    for (int i = 0; i < NP; i++)
        o->posted[i] = (q0[i] != 0.0 ? o->posted[i] : 0.0) + o->account[i] - account0[i];
}

void mcr_adl_step(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o, int t,
                  const double *s)
{
    const mcr_venue *v = &p->venue;
    if (t < v->adl_from || t >= v->adl_to || !mcr_adl_follows(p, pp))
        return;
    bool hit[NP];
    if (!v->k->adl_hits(pp->position->coin, v->adl_min_score, o->q, o->account, o->posted,
                        o->liq_step, s, hit))
        return;
    mcr_venue free_close = *v; /* closed at the mark, no fee: the whole account is returned */
    free_close.margin.liquidation = MCR_LIQ_FEE;
    free_close.margin.liquidation_fee = 0.0;
    pp->position->liquidate(&free_close, o, t, s, hit, NULL);
    for (int i = 0; i < NP; i++) {
        o->posted[i] = hit[i] ? 0.0 : o->posted[i];
        o->adl_first[i] = hit[i] && o->adl_first[i] < 0 ? t : o->adl_first[i];
    }
}
