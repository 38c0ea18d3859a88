/* The liquidation price at t0 (liq_price.h), found on the position's own operations rather than
 * a formula per contract: the part's opening trade runs once at spot; then every lane of a block
 * is marked from spot to its own price and checked against the maintenance requirement, as the
 * engine checks it at step 1. The first liquidated lane of a geometric grid out to 100x (or
 * 1/100) spot brackets the price; each further round spreads the lanes over the bracket. */
#include "liq_price.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "book_greeks.h"

#define NP MCR_NP
#define ROUNDS 5 /* the bracket shrinks NP - 1 times per round: 1e-9 of spot after 5 */

/* Which lanes are liquidated when marked from s0 to s[i] (state o0 after the opening trade). */
static void liquidated(const mcr_venue *v, const mcr_part_plan *pp, const mcr_part_state *o0,
                       mcr_part_state *o, double s0, const double *s, bool *hit)
{
    memcpy(o, o0, sizeof *o);
    double prev[NP], log_s[NP], e[NP], m[NP], fee[NP];
    for (int i = 0; i < NP; i++) {
        prev[i] = s0;
        log_s[i] = log(s[i]);
    }
    pp->position->carry(v, &pp->pp, o, 1, s, prev, log_s);
    pp->position->margin(v, o, 1, s, e, m, fee);
    v->k->margin_hits(o->q, e, m, hit);
}

/* The part's position after its opening trade at spot; false when it holds none. */
static bool open_at_t0(const mcr_hedge_plan *p, const mcr_part_plan *pp, const mcr_venue *v,
                       const mcr_kernels *k, mcr_part_state *o)
{
    mcr_book_greeks *g = malloc(sizeof *g);
    if (!g)
        return false;
    double log_s[NP], s[NP], target[NP];
    int h = pp->hedge_asset;
    for (int i = 0; i < NP; i++)
        log_s[i] = log(p->spot0[pp->asset]);
    mcr_book_delta_chunk(g, p, k, pp->asset, -1, 1, log_s, NP, NULL);
    double ratio = pp->hedge_asset == pp->asset
                       ? pp->hedge_ratio
                       : pp->hedge_ratio * pp->beta * p->spot0[pp->asset] / p->spot0[h];
    bool go[NP];
    for (int i = 0; i < NP; i++) {
        s[i] = p->spot0[h];
        target[i] = -ratio * g->chunk_delta[pp->asset][i];
        go[i] = true;
    }
    free(g);
    memset(o, 0, sizeof *o);
    for (int i = 0; i < NP; i++)
        o->liq_step[i] = -1;
    pp->position->begin(v, o, h, 0, log(p->spot0[h]));
    pp->position->trade(v, o, 0, s, target, go);
    return o->q[0] != 0.0;
}

double mcr_hedge_liq_price0(const mcr_hedge_plan *p, int part, const mcr_kernels *k)
{
    const mcr_part_plan *pp = &p->parts[part];
    bool outage = 0 >= p->no_trade_from && 0 < p->no_trade_to;
    if (!pp->position || !pp->position->margined || p->venue.margin.mode != MCR_MARGIN_ISOLATED ||
        (outage && !(pp->flags & MCR_STRAT_OPENS_AT_T0)))
        return NAN;
    /* the price move alone: no funding time and no depeg in the step */
    static const uint8_t no_funding[2];
    static const int no_first[2];
    mcr_venue v = p->venue;
    v.k = k->strat;
    v.funding_count = no_funding;
    v.funding_first = no_first;
    v.depeg_from = v.depeg_to = 0;
    mcr_part_state *o0 = malloc(sizeof *o0), *o = malloc(sizeof *o);
    double price = NAN, s0 = p->spot0[pp->hedge_asset];
    if (o0 && o && open_at_t0(p, pp, &v, k, o0)) {
        double delta[NP], spot[NP];
        for (int i = 0; i < NP; i++)
            spot[i] = s0;
        pp->position->delta(o0, spot, delta);
        /* a short is liquidated as the price rises, a long as it falls */
        double lo = s0, hi = delta[0] < 0 ? 100.0 * s0 : 0.01 * s0, s[NP];
        bool hit[NP], found = false;
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < NP; i++)
                s[i] = r == 0 ? lo * pow(hi / lo, (double)i / (NP - 1))
                              : lo + (hi - lo) * i / (NP - 1);
            liquidated(&v, pp, o0, o, s0, s, hit);
            int first = 0;
            while (first < NP && !hit[first])
                first++;
            if (first == NP || (first == 0 && r == 0))
                break;
            found = true;
            lo = s[first - 1 > 0 ? first - 1 : 0];
            hi = s[first];
        }
        price = found ? hi : NAN;
    }
    free(o0);
    free(o);
    return price;
}
