/* One strategy's step t (hedge_work.h): each part's legs settle, its position is carried by its
 * kind and checked against its isolated margin, or the strategy's accounts together under cross
 * margin, then each part trades on its schedule or band (re-opening after a liquidation). */
#include <math.h>
#include <string.h>

#include "adl.h"
#include "hedge_work.h"
#include "instruments/gas.h"
#include "instruments/perp_mark.h"
#include "roll.h"

/* The target delta of a part's position in units of its hedge asset. */
static void target_of(const mcr_hedge_plan *p, const mcr_part_plan *pp, const step_prices *x,
                      double *target)
{
    const double *delta = x->delta[pp->asset];
    if (pp->hedge_asset == pp->asset)
        p->venue.k->hedge_target(pp->hedge_ratio, delta, NULL, NULL, target);
    else
        p->venue.k->hedge_target(pp->hedge_ratio * pp->beta, delta, x->s[pp->asset],
                                 x->s[pp->hedge_asset], target);
}

/* Whether step t is on the part's schedule: every k steps, or the first step at or after each
 * multiple of h hours (a multiple falls in ((t-1) dt, t dt]; 1e-9 absorbs the rounding of
 * t x step hours / h at an exact multiple). */
static bool on_schedule(const mcr_part_plan *pp, int t)
{
    if (pp->schedules_per_step <= 0)
        return t % pp->every_steps == 0;
    double r = pp->schedules_per_step;
    return t == 0 || floor(t * r + 1e-9) > floor((t - 1) * r + 1e-9);
}

bool mcr_rebalances_at(const mcr_hedge_plan *p, const mcr_part_plan *pp, int t)
{
    bool outage = t >= p->no_trade_from && t < p->no_trade_to; /* the venue is down */
    bool dynamic = (pp->flags & MCR_STRAT_REBALANCES) && t < p->steps && !outage;
    return dynamic && on_schedule(pp, t);
}

/* Which paths trade at step t: every path when opening; on the schedule every path, or with a
 * band those whose net delta (the book's, beta-weighted in units of the hedge asset, plus the
 * hedge's) is beyond band + band_pct x |the book's|. False when no path can. */
static bool trading_paths(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o,
                          int t, const step_prices *x, bool *go)
{
    bool opening = t == 0 && (pp->flags & MCR_STRAT_OPENS_AT_T0);
    if (!opening && !mcr_rebalances_at(p, pp, t))
        return false;
    bool banded = pp->band > 0 || pp->band_pct > 0;
    if (opening || !banded) {
        for (int i = 0; i < NP; i++)
            go[i] = true;
        return true;
    }
    double hd[NP];
    bool cross = pp->hedge_asset != pp->asset;
    pp->position->delta(o, mcr_price_of(pp, o, x), hd);
    p->venue.k->band_test(pp->beta, pp->band, pp->band_pct, x->delta[pp->asset],
                          cross ? x->s[pp->asset] : NULL, cross ? x->s[pp->hedge_asset] : NULL,
                          hd, go);
    return true;
}

/* reopen: the paths whose hedge was liquidated reopen_steps ago (or more) trade back to the
 * target at step t, posting new margin; go gets them besides the paths already trading (or
 * only them when !trading). Whether any path trades. */
static bool reopening(const mcr_part_plan *pp, mcr_part_state *o, int t, bool trading, bool *go)
{
    bool any = trading;
    for (int i = 0; i < NP; i++) {
        bool back = o->liq_step[i] >= 0 && t - o->liq_step[i] >= pp->reopen_steps;
        o->liq_step[i] = back ? -1 : o->liq_step[i];
        go[i] = back || (trading && go[i]);
        any |= back;
    }
    return any;
}

/* Option legs settling at step t: payoffs (USD carried to T, or coin) and delivery fees
 * (costs.option_fee, in the leg's currency, on |quantity| of underlying and its value); none on
 * paths whose legs' venue failed (venue_legs.h). */
static void settle_legs(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o,
                        int t, const double *s)
{
    double g = p->growth[t];
    const mcr_option_fee *f = &p->venue.costs.option_fee;
    for (int l = 0; l < pp->n_legs && !o->legs_closed; l++) {
        const mcr_leg *leg = &pp->legs[l];
        if (leg->expiry_step != t)
            continue;
        if (pp->venue < 0) {
            p->venue.k->settle_leg(leg->quantity, leg->strike, leg->payoff == MCR_CALL, g, s,
                                   o->comp[MCR_PNL_HEDGE], leg->coin ? o->leg_coin : NULL);
        } else {
            bool keep[NP];
            for (int i = 0; i < NP; i++)
                keep[i] = !mcr_part_gone(o, i);
            mcr_venue_settle_kept(p->venue.k, leg, g, s, keep, o->comp[MCR_PNL_HEDGE],
                                  leg->coin ? o->leg_coin : NULL);
        }
        if (f->delivery_fraction > 0)
            for (int i = 0; i < NP; i++) { /* coin: both in coin; USD: carried to T */
                if (mcr_part_gone(o, i))
                    continue;
                double unit = leg->coin ? 1.0 / s[i] : 1.0, q = leg->quantity;
                double fee = mcr_option_delivery_fee(f, q * s[i] * unit,
                                                     q * mcr_leg_payoff(leg, s[i]) * unit);
                *(leg->coin ? &o->leg_fee_coin[i] : &o->comp[MCR_PNL_FEES][i]) -=
                    leg->coin ? fee : fee * g;
            }
    }
}

/* Count the liquidations of step t where hit is set. */
static void count_liquidations(mcr_part_state *o, int t, const bool *hit)
{
    for (int i = 0; i < NP; i++) {
        o->liquidations[i] += hit[i];
        o->liq_first[i] = hit[i] && o->liq_first[i] < 0 ? t : o->liq_first[i];
    }
}

/* The isolated account of a margined part: liquidated where its equity is below maintenance;
 * the insurance fund pays what the account lacks after the fee (quote, at that step's price). */
static void isolated_margin(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o,
                            int t, const double *s, const double *spot)
{
    double equity[NP], need[NP], fee[NP];
    bool hit[NP];
    pp->position->margin(&p->venue, o, t, s, equity, need, fee);
    if (!p->venue.k->margin_hits(o->q, equity, need, hit))
        return;
    for (int i = 0; i < NP; i++) {
        double deficit = hit[i] && fee[i] > o->account[i] ? fee[i] - o->account[i] : 0.0;
        o->insurance[i] += deficit * (pp->position->coin ? spot[i] : 1.0);
    }
    pp->position->liquidate(&p->venue, o, t, s, hit, NULL);
    count_liquidations(o, t, hit);
}

/* The book's spot in asset a as cross-margin collateral at step t, in quote currency: a long
 * holding at its value, a short one at its sale proceeds (grown at the cash rate) less its value;
 * a holding worth less than nothing counts as nothing (the book is held beside the account, so
 * cross margin is never worse than isolated). */
static double collateral_at(const mcr_hedge_plan *p, int a, int t, double s)
{
    double q = p->book.spot[a];
    double v = q * s + (q < 0 ? -q * p->spot0[a] * p->growth[0] / p->growth[t] : 0.0);
    return v > 0 ? v : 0.0;
}

/* A strategy under cross margin: its margined parts' accounts and the book's spot in the assets
 * they hedge are one account. When its equity falls below the sum of the maintenance
 * requirements every margined part is liquidated. What the pooled accounts lack after the fees
 * is paid first from the parts with money left, then with the book's coins up to their value;
 * only what remains beyond is forgiven (each part's own liquidation forgives its own deficit:
 * what other parts' money covers is charged back, what the book's coins cover is seized). */
static void cross_margin(const mcr_hedge_plan *p, mcr_hedge_work *w, const mcr_strategy_run *r,
                         int t, const step_prices *x)
{
    double equity[NP] = {0}, need[NP] = {0}, collateral[NP] = {0}, left[NP] = {0};
    double deficits[NP] = {0};
    bool counted[MCR_MAX_ASSETS] = {false}, open[NP] = {false};
    int first = -1;
    for (int j = r->first; j < r->first + r->n; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        mcr_part_state *o = &w->parts[j];
        if (!pp->position || !pp->position->margined)
            continue;
        first = first < 0 ? j : first;
        const double *s = mcr_price_of(pp, o, x), *spot = x->s[pp->hedge_asset];
        double e[NP], m[NP], fee[NP];
        pp->position->margin(&p->venue, o, t, s, e, m, fee);
        p->venue.k->cross_pool(e, m, fee, o->account, o->q, pp->position->coin ? spot : NULL,
                               equity, need, left, deficits, open);
        if (!counted[pp->asset]) {
            counted[pp->asset] = true;
            const double *sa = x->s[pp->asset];
            for (int i = 0; i < NP; i++)
                collateral[i] += collateral_at(p, pp->asset, t, sa[i]);
        }
    }
    bool hit[NP];
    double cover[NP], charge[NP];
    if (!p->venue.k->cross_hits(equity, need, collateral, left, deficits, open, hit, cover,
                                charge))
        return;
    for (int j = r->first; j < r->first + r->n; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        if (!pp->position || !pp->position->margined)
            continue;
        mcr_part_state *o = &w->parts[j];
        const double *s = mcr_price_of(pp, o, x), *sa = x->s[pp->asset];
        /* the cover in the account's currency such that the coins seized are cover / S of the
         * book's asset pp->asset (liquidate takes a quote cover over s, a coin cover as is) */
        double c[NP];
        for (int i = 0; i < NP; i++)
            c[i] = j == first ? cover[i] / sa[i] * (pp->position->coin ? 1.0 : s[i]) : 0.0;
        pp->position->liquidate(&p->venue, o, t, s, hit, c);
        count_liquidations(o, t, hit);
        if (j == first)
            for (int i = 0; i < NP; i++) {
                o->comp[MCR_PNL_HEDGE][i] -= charge[i] * p->growth[t];
                /* what neither the accounts nor the book's coins covered */
                o->insurance[i] += hit[i] && left[i] < 0 ? -left[i] - cover[i] : 0.0;
            }
    }
}

void mcr_pay_gas(const mcr_hedge_plan *p, mcr_part_state *o, int t, const uint32_t *before)
{
    uint32_t n[NP];
    for (int i = 0; i < NP; i++)
        n[i] = o->trades[i] - before[i];
    mcr_gas_pay(&p->venue, o, t, n);
}

void mcr_strategy_step(mcr_hedge_work *w, const mcr_strategy_run *r, int t, const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    for (int j = r->first; j < r->first + r->n; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        mcr_part_state *o = &w->parts[j];
        if (w->fused[j] && t > 0) /* stepped by its runs (hedge_run.c) */
            continue;
        if (pp->venue >= 0 && !pp->position && t > 0) /* options at a failing venue */
            mcr_venue_part_legs(p, &w->venue_paths, pp, o, t, x->s[pp->asset]);
        settle_legs(p, pp, o, t, x->s[pp->asset]);
        if (pp->rolls_per_step > 0)
            mcr_roll_step(p, pp, o, t, x->s[pp->asset]);
        if (!pp->position || t == 0)
            continue;
        int h = pp->hedge_asset;
        if (pp->marked)
            mcr_perp_mark_step(&p->venue, o, x->s[h], x->prev[h]);
        const double *s = mcr_price_of(pp, o, x);
        pp->position->carry(&p->venue, &pp->pp, o, t, s, mcr_prev_price_of(pp, o, x), x->log_s[h]);
        if (pp->position->act)
            pp->position->act(&p->venue, &pp->pp, o, t, x->s, x->oracle);
        if (pp->venue >= 0) /* a failure at t: after the step's gains, before any liquidation */
            mcr_venue_part_step(&p->venues, &w->venue_paths, &p->venue, pp->position, pp->venue,
                                o, t, x->s[h]);
        if (!r->cross && pp->position->margined && p->venue.margin.mode != MCR_MARGIN_NONE)
            isolated_margin(p, pp, o, t, s, x->s[h]);
    }
    if (r->cross && t > 0)
        cross_margin(p, w, r, t, x);
    for (int j = r->first; j < r->first + r->n; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        mcr_part_state *o = &w->parts[j];
        bool go[NP];
        if (!pp->position || (w->fused[j] && t > 0))
            continue;
        bool adl = mcr_adl_follows(p, pp);
        if (adl && t > 0)
            mcr_adl_step(p, pp, o, t, mcr_price_of(pp, o, x));
        bool trade = trading_paths(p, pp, o, t, x, go);
        if (pp->reopen_steps > 0 && t < p->steps)
            trade = reopening(pp, o, t, trade, go);
        if (!trade)
            continue;
        double target[NP], account0[NP], q0[NP];
        target_of(p, pp, x, target);
        if (adl) {
            memcpy(account0, o->account, sizeof account0);
            memcpy(q0, o->q, sizeof q0);
        }
        uint32_t before[NP];
        memcpy(before, o->trades, sizeof before);
        pp->position->trade(&p->venue, o, t, mcr_price_of(pp, o, x), target, go);
        if (adl)
            mcr_adl_posted(o, account0, q0);
        if (pp->onchain)
            mcr_pay_gas(p, o, t, before);
    }
}
