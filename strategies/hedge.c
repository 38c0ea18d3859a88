/* The strategy engine per block of paths (hedge.h): every part's legs settle at expiry, its
 * position is carried, margined and traded by its kind's operations, each strategy's accounts
 * are checked together under cross margin, and the net greeks are sampled; at the horizon every
 * strategy's components are the book's plus its parts'. The loops run over the paths of a block
 * innermost, on structure-of-arrays state. */
#include "hedge.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "adl.h"
#include "book_greeks.h"
#include "holdings.h"
#include "instruments/gas.h"
#include "instruments/perp_mark.h"
#include "roll.h"
#include "venue_legs.h"

#define NP MCR_NP

/* A strategy's own state beyond its parts': the net greeks' running sums. */
typedef struct strategy_state {
    double greek[3][NP];
    int greek_samples;
} strategy_state;

/* What a workspace's layout depends on: a plan of the same shape can reuse it. */
typedef struct work_shape {
    int n_parts, n_strategies, window[MCR_MAX_SIM_ASSETS];
    int rolls[MCR_MAX_STRATEGIES * MCR_MAX_PARTS]; /* each part's roll_slots */
} work_shape;

static void shape_of(const mcr_hedge_plan *p, work_shape *s)
{
    memset(s, 0, sizeof *s);
    s->n_parts = p->n_parts;
    s->n_strategies = p->n_strategies;
    for (int a = 0; a < MCR_MAX_SIM_ASSETS; a++)
        s->window[a] = mcr_holdings_window(p, a);
    for (int j = 0; j < p->n_parts; j++)
        s->rolls[j] = p->parts[j].roll_slots;
}

struct mcr_hedge_work {
    work_shape shape;                    /* of the plan it was made for */
    const mcr_hedge_plan *plan;          /* &own */
    mcr_hedge_plan own; /* the plan as this workspace runs it: its venue has the ISA's kernels */
    const mcr_kernels *k;
    uint64_t first;
    double last[MCR_MAX_SIM_ASSETS][NP]; /* S at the previous step */
    double book_cash[NP];                /* book option settlements carried to T */
    double book_coin[MCR_MAX_SIM_ASSETS][NP]; /* coin-settled book options' payoffs, coin */
    double book_fee[NP], book_fee_coin[MCR_MAX_SIM_ASSETS][NP]; /* their delivery fees (<= 0) */
    mcr_book_greeks greeks;              /* the book's delta per chunk, greeks scratch */
    double s0[MCR_MAX_SIM_ASSETS][NP], log_s0[MCR_MAX_SIM_ASSETS][NP]; /* prices at t = 0 */
    mcr_holdings hold;                   /* the book's path-dependent positions, oracles */
    mcr_venue_paths venue_paths;         /* each venue's default step per path */
    strategy_state *strategies;          /* [n_strategies] */
    mcr_part_state parts[];              /* [n_parts], then every part's rolled generations */
};

mcr_hedge_work *mcr_hedge_work_new(const mcr_hedge_plan *p, const mcr_kernels *k)
{
    size_t head = sizeof(mcr_hedge_work) + (size_t)p->n_parts * sizeof(mcr_part_state);
    head = (head + 63) / 64 * 64;
    size_t size = head + (size_t)p->n_strategies * sizeof(strategy_state), rolls = size;
    for (int j = 0; j < p->n_parts; j++)
        size += (size_t)p->parts[j].roll_slots * sizeof(mcr_roll_gen);
    mcr_hedge_work *w = aligned_alloc(64, (size + 63) / 64 * 64);
    if (w && !mcr_holdings_init(&w->hold, p)) {
        free(w);
        w = NULL;
    }
    if (w) {
        shape_of(p, &w->shape);
        mcr_hedge_work_rebind(w, p, k);
        w->strategies = (strategy_state *)((char *)w + head);
        for (int j = 0; j < p->n_parts; j++) {
            w->parts[j].roll = (mcr_roll_gen *)((char *)w + rolls);
            rolls += (size_t)p->parts[j].roll_slots * sizeof(mcr_roll_gen);
        }
    }
    return w;
}

bool mcr_hedge_work_rebind(mcr_hedge_work *w, const mcr_hedge_plan *p, const mcr_kernels *k)
{
    work_shape s;
    shape_of(p, &s);
    if (memcmp(&s, &w->shape, sizeof s) != 0)
        return false;
    w->own = *p; /* the arrays it points to stay shared, read-only */
    w->own.venue.k = k->strat;
    w->plan = &w->own;
    w->k = k;
    return true;
}

void mcr_hedge_work_free(mcr_hedge_work *w)
{
    if (w)
        mcr_holdings_free(&w->hold);
    free(w);
}

void mcr_hedge_begin(mcr_hedge_work *w, uint64_t first)
{
    const mcr_hedge_plan *p = w->plan;
    w->first = first;
    for (int a = 0; a < p->n_assets; a++)
        for (int i = 0; i < NP; i++)
            w->last[a][i] = p->spot0[a];
    memset(w->book_cash, 0, sizeof w->book_cash);
    memset(w->book_coin, 0, sizeof w->book_coin);
    memset(w->book_fee, 0, sizeof w->book_fee);
    memset(w->book_fee_coin, 0, sizeof w->book_fee_coin);
    if (p->venues.used)
        mcr_venue_paths_begin(&p->venues, &p->venue, first, &w->venue_paths);
    mcr_holdings_begin(p, &w->hold);
    for (int s = 0; s < p->n_strategies; s++)
        memset(&w->strategies[s], 0, sizeof w->strategies[s]);
    for (int j = 0; j < p->n_parts; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        mcr_part_state *o = &w->parts[j];
        memset(o, 0, offsetof(mcr_part_state, liq_step));
        for (int k = 0; k < pp->roll_slots; k++)
            o->roll[k].expiry = 0; /* free */
        for (int i = 0; i < NP; i++) {
            o->liq_step[i] = o->liq_first[i] = o->adl_first[i] = -1;
            o->liquidations[i] = o->trades[i] = o->onchain_txs[i] = 0;
        }
        if (pp->position)
            pp->position->begin(&p->venue, o, pp->hedge_asset, first,
                                log(p->spot0[pp->hedge_asset]));
        if (pp->marked)
            mcr_perp_mark_begin(&p->venue, o, pp->hedge_asset, first, p->spot0[pp->hedge_asset]);
    }
}

/* ---- one step ---- */

/* Prices of asset a at the step under way: this step's, the previous, ln S. */
typedef struct step_prices {
    const double *s[MCR_MAX_SIM_ASSETS], *prev[MCR_MAX_SIM_ASSETS], *log_s[MCR_MAX_SIM_ASSETS];
    const double *delta[MCR_MAX_SIM_ASSETS]; /* the book's delta this step */
    const double *oracle[MCR_MAX_SIM_ASSETS]; /* what DeFi rules read (holdings.h) */
} step_prices;

/* The price a part's position trades, is marked and margined at: the perpetual's mark with a
 * basis (perp.basis), else the hedge asset's spot; and the same at the previous step. */
static const double *price_of(const mcr_part_plan *pp, const mcr_part_state *o,
                              const step_prices *x)
{
    return pp->marked ? o->mark : x->s[pp->hedge_asset];
}

static const double *prev_price_of(const mcr_part_plan *pp, const mcr_part_state *o,
                                   const step_prices *x)
{
    return pp->marked ? o->mark_prev : x->prev[pp->hedge_asset];
}

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

/* Which paths trade at step t: every path when opening; on the schedule every path, or with a
 * band those whose net delta (the book's, beta-weighted in units of the hedge asset, plus the
 * hedge's) is beyond band + band_pct x |the book's|. False when no path can. */
static bool trading_paths(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o,
                          int t, const step_prices *x, bool *go)
{
    bool opening = t == 0 && (pp->flags & MCR_STRAT_OPENS_AT_T0);
    bool outage = t >= p->no_trade_from && t < p->no_trade_to; /* the venue is down */
    bool dynamic = (pp->flags & MCR_STRAT_REBALANCES) && t < p->steps && !outage;
    if (!opening && !(dynamic && on_schedule(pp, t)))
        return false;
    bool banded = pp->band > 0 || pp->band_pct > 0;
    if (opening || !banded) {
        for (int i = 0; i < NP; i++)
            go[i] = true;
        return true;
    }
    double hd[NP];
    bool cross = pp->hedge_asset != pp->asset;
    pp->position->delta(o, price_of(pp, o, x), hd);
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
        const double *s = price_of(pp, o, x), *spot = x->s[pp->hedge_asset];
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
        const double *s = price_of(pp, o, x), *sa = x->s[pp->asset];
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

/* An on-chain part's trades since `before` (its trade counts then), one transaction each. */
static void pay_gas(const mcr_hedge_plan *p, mcr_part_state *o, int t, const uint32_t *before)
{
    uint32_t n[NP];
    for (int i = 0; i < NP; i++)
        n[i] = o->trades[i] - before[i];
    mcr_gas_pay(&p->venue, o, t, n);
}

/* Step t of strategy r: legs, carry and isolated margin of each part, the pooled margin under
 * cross margin, then each part's trades. */
static void strategy_step(mcr_hedge_work *w, const mcr_strategy_run *r, int t,
                          const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    for (int j = r->first; j < r->first + r->n; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        mcr_part_state *o = &w->parts[j];
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
        const double *s = price_of(pp, o, x);
        pp->position->carry(&p->venue, &pp->pp, o, t, s, prev_price_of(pp, o, x), x->log_s[h]);
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
        if (!pp->position)
            continue;
        bool adl = mcr_adl_follows(p, pp);
        if (adl && t > 0)
            mcr_adl_step(p, pp, o, t, price_of(pp, o, x));
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
        pp->position->trade(&p->venue, o, t, price_of(pp, o, x), target, go);
        if (adl)
            mcr_adl_posted(o, account0, q0);
        if (pp->onchain)
            pay_gas(p, o, t, before);
    }
}

/* The net greeks of every strategy at a sample step t: the book's on the strategy's primary
 * asset plus its parts' option legs on it (none on paths where their venue failed) and their
 * positions' deltas when they trade it. */
static void sample_greeks(mcr_hedge_work *w, int t, const step_prices *x)
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
                        pp->position->delta(&w->parts[j], price_of(pp, &w->parts[j], x), hd);
                    else
                        memset(hd, 0, sizeof hd);
                    first = false;
                } else if (pp->position && pp->hedge_asset == a) {
                    pp->position->delta(&w->parts[j], price_of(pp, &w->parts[j], x), d);
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

static void run_step(mcr_hedge_work *w, int t, const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    for (int s = 0; s < p->n_strategies; s++)
        strategy_step(w, &p->strategies[s], t, x);
    if (t % p->greek_every == 0 && t < p->steps)
        sample_greeks(w, t, x);
}

/* After the t0 trades: the isolated liquidation price of every margined position opened. */
static void opened(mcr_hedge_work *w, const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    if (p->venue.margin.mode == MCR_MARGIN_NONE)
        return;
    for (int j = 0; j < p->n_parts; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        if (pp->position && pp->position->liquidation_price)
            pp->position->liquidation_price(&p->venue, &w->parts[j], price_of(pp, &w->parts[j], x),
                                            w->parts[j].liq_price0);
    }
}

/* costs.close_at_horizon: every part's position closed at S_T by its kind. */
static void close_positions(mcr_hedge_work *w, int t, const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    for (int j = 0; j < p->n_parts; j++) {
        const mcr_part_plan *pp = &p->parts[j];
        if (!pp->position || !pp->position->close)
            continue;
        uint32_t before[NP];
        memcpy(before, w->parts[j].trades, sizeof before);
        pp->position->close(&p->venue, &w->parts[j], t, price_of(pp, &w->parts[j], x));
        if (pp->onchain)
            pay_gas(p, &w->parts[j], t, before);
    }
}

/* costs.option_fee's delivery fee of a book option settling at step t (USD carried to T, or
 * coin), as a strategy's legs pay it; none where its venue failed. */
static void book_delivery(const mcr_hedge_work *w, const mcr_leg *leg, int t, const double *s,
                          double *usd, double *coin)
{
    const mcr_hedge_plan *p = w->plan;
    const mcr_option_fee *f = &p->venue.costs.option_fee;
    for (int i = 0; i < NP; i++) {
        if (mcr_venue_gone(&w->venue_paths, leg->venue, t, i))
            continue;
        double unit = leg->coin ? 1.0 / s[i] : 1.0, q = leg->quantity;
        double fee = mcr_option_delivery_fee(f, q * s[i] * unit,
                                             q * mcr_leg_payoff(leg, s[i]) * unit);
        *(leg->coin ? &coin[i] : &usd[i]) -= leg->coin ? fee : fee * p->growth[t];
    }
}

void mcr_hedge_steps(mcr_hedge_work *w, int t0, int n, const double *const *price,
                     const double *const *log_price, int stride)
{
    const mcr_hedge_plan *p = w->plan;
    step_prices x;
    if (t0 == 0) { /* t = 0: hedges open at S0, greeks take their first sample */
        for (int a = 0; a < p->n_assets; a++) {
            for (int i = 0; i < NP; i++) {
                w->s0[a][i] = p->spot0[a];
                w->log_s0[a][i] = log(p->spot0[a]);
            }
            mcr_book_delta_chunk(&w->greeks, p, w->k, a, -1, 1, w->log_s0[a], NP, NULL);
            mcr_holdings_greeks(p, &w->hold, a, w->s0[a], w->greeks.chunk_delta[a], NULL);
            x.s[a] = x.prev[a] = x.oracle[a] = w->s0[a];
            x.log_s[a] = w->log_s0[a];
            x.delta[a] = w->greeks.chunk_delta[a];
        }
        run_step(w, 0, &x);
        opened(w, &x);
    }
    for (int a = 0; a < p->n_assets; a++)
        if (p->delta_needed[a])
            mcr_book_delta_chunk(&w->greeks, p, w->k, a, t0, n, log_price[a], stride,
                                 &w->venue_paths);
    for (int k = 0; k < n; k++) {
        int t = t0 + k + 1;
        for (int a = 0; a < p->n_assets; a++) {
            x.s[a] = price[a] + (size_t)k * stride;
            x.prev[a] = w->last[a];
            x.log_s[a] = log_price[a] + (size_t)k * stride;
            x.delta[a] = w->greeks.chunk_delta[a] + (size_t)k * NP;
            x.oracle[a] = x.s[a];
        }
        if (p->book_leg_venues) /* options at a failing venue: closed before settling */
            mcr_venue_book_legs(p, &w->venue_paths, t, x.s, w->book_cash, w->hold.venue_loss);
        for (int l = 0; l < p->book.n_legs; l++) {
            const mcr_leg *leg = &p->book.legs[l];
            if (leg->expiry_step != t)
                continue;
            const double *s = x.s[leg->asset];
            double *coin = leg->coin ? w->book_coin[leg->asset] : NULL;
            bool keep[NP];
            for (int i = 0; i < NP && leg->venue >= 0; i++)
                keep[i] = !mcr_venue_gone(&w->venue_paths, leg->venue, t, i);
            if (leg->venue < 0)
                p->venue.k->settle_leg(leg->quantity, leg->strike, leg->payoff == MCR_CALL,
                                       p->growth[t], s, w->book_cash, coin);
            else
                mcr_venue_settle_kept(p->venue.k, leg, p->growth[t], s, keep, w->book_cash, coin);
            if (p->book.option_fees)
                book_delivery(w, leg, t, s, w->book_fee, w->book_fee_coin[leg->asset]);
        }
        if (p->book.n_holdings > 0) { /* they move first: the hedges trade on their new delta */
            mcr_holdings_step(p, &w->hold, t, x.s, x.prev, w->book_cash);
            for (int a = 0; a < p->n_assets; a++)
                x.oracle[a] = mcr_holdings_oracle(&w->hold, a, x.s[a]);
            if (p->book_venues)
                mcr_holdings_venues(p, &w->hold, &w->venue_paths, t, x.s, w->book_cash);
            for (int a = 0; a < p->n_assets; a++)
                if (p->delta_needed[a])
                    mcr_holdings_greeks(p, &w->hold, a, x.s[a],
                                        w->greeks.chunk_delta[a] + (size_t)k * NP, NULL);
        }
        run_step(w, t, &x);
        if (t == p->steps && p->venue.costs.close_at_horizon)
            close_positions(w, t, &x);
        for (int a = 0; a < p->n_assets; a++)
            memcpy(w->last[a], x.s[a], sizeof w->last[a]);
    }
}

void mcr_hedge_jump(mcr_hedge_work *w, const double *const *price)
{
    for (int a = 0; a < w->plan->n_assets; a++)
        memcpy(w->last[a], price[a], sizeof w->last[a]);
}

/* The book's P&L at the horizon of every path of the block: spot marked at S_T, options settled
 * (book_cash) or marked on the scenario's surface (the paths below count; or closed when their
 * venue failed: book_cash). */
static void book_pnl(const mcr_hedge_work *w, const mcr_holding_end *held, int count,
                     double *book)
{
    const mcr_hedge_plan *p = w->plan;
    for (int i = 0; i < NP; i++)
        book[i] = w->book_cash[i] + held->value[i] - p->book.value0 * p->growth[0];
    for (int a = 0; a < p->n_assets; a++)
        for (int i = 0; i < NP; i++)
            book[i] += p->book.spot[a] * w->last[a][i];
    for (int a = 0; a < p->n_assets && p->book.coin_legs; a++) /* coin-settled options */
        for (int i = 0; i < NP; i++)
            book[i] += (w->book_coin[a][i] - p->book.coin0[a]) * w->last[a][i];
    for (int l = 0; l < p->book.n_legs; l++) {
        const mcr_leg *leg = &p->book.legs[l];
        for (int i = 0; i < count && leg->expiry_step > p->steps; i++)
            if (!mcr_venue_gone(&w->venue_paths, leg->venue, p->steps, i))
                book[i] += leg->quantity * mcr_leg_value(leg, &p->surface[leg->asset], p->rate,
                                                         w->last[leg->asset][i],
                                                         leg->expiry - p->horizon);
    }
}

/* The option fees of the book (costs.option_fee) of every path: at t0 carried to the horizon,
 * at settlement; coin ones valued at S_T. */
static void book_fees(const mcr_hedge_work *w, double *fees)
{
    const mcr_hedge_plan *p = w->plan;
    for (int i = 0; i < NP; i++)
        fees[i] = w->book_fee[i] - p->book.fee0 * p->growth[0];
    for (int a = 0; a < p->n_assets; a++)
        for (int i = 0; i < NP; i++)
            fees[i] += (w->book_fee_coin[a][i] - p->book.fee0_coin[a]) * w->last[a][i];
}

/* Part j's components at the horizon, every path of the block at once (rows comp[c][i]): set by
 * the strategy's first part, else added to; close[i] gets its cost of closing
 * (costs.close_at_horizon: the position's, booked by its close, and the option fees of selling
 * or buying back the legs still open). Per path the operations are those of one path's sum. */
static void part_components(const mcr_hedge_work *w, int j, int count, bool first,
                            double comp[MCR_N_COMPONENTS][NP], double *close)
{
    const mcr_hedge_plan *p = w->plan;
    const mcr_part_plan *pp = &p->parts[j];
    const mcr_part_state *o = &w->parts[j];
    const double *s_a = w->last[pp->asset];
    p->venue.k->end_part(MCR_N_COMPONENTS, o->comp[0], o->coin[0], w->last[pp->hedge_asset],
                         first, comp[0]);
    for (int i = 0; i < NP; i++)
        comp[MCR_PNL_PREMIUM][i] -= pp->premium0 * p->growth[0];
    for (int i = 0; i < NP && pp->fee0 != 0.0; i++)
        comp[MCR_PNL_FEES][i] -= pp->fee0 * p->growth[0];
    for (int i = 0; i < NP && pp->coin_legs; i++) { /* coin-settled legs: valued at S_T */
        comp[MCR_PNL_PREMIUM][i] += o->roll_premium_coin[i] * s_a[i] - pp->premium0_coin * s_a[i];
        comp[MCR_PNL_HEDGE][i] += o->leg_coin[i] * s_a[i];
        comp[MCR_PNL_FEES][i] += o->leg_fee_coin[i] * s_a[i] - pp->fee0_coin * s_a[i];
    }
    memcpy(close, o->close_cost, NP * sizeof *close);
    const mcr_costs *costs = &p->venue.costs;
    for (int i = 0; i < count && pp->rolls_per_step > 0; i++) { /* one path's column */
        double col[MCR_N_COMPONENTS];
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            col[c] = comp[c][i];
        close[i] += mcr_roll_mark(p, pp, o, i, s_a[i], col);
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            comp[c][i] = col[c];
    }
    for (int l = 0; l < pp->n_legs && !o->legs_closed; l++) { /* outliving the horizon: marked */
        const mcr_leg *leg = &pp->legs[l];
        if (leg->expiry_step <= p->steps)
            continue;
        for (int i = 0; i < count; i++) {
            if (mcr_part_gone(o, i)) /* closed when its venue failed */
                continue;
            double mark = leg->quantity * mcr_leg_value(leg, &p->surface[pp->asset], p->rate,
                                                        s_a[i], leg->expiry - p->horizon);
            comp[MCR_PNL_HEDGE][i] += mark;
            if (costs->close_at_horizon) { /* in the leg's currency, converted at S_T */
                double unit = leg->coin ? s_a[i] : 1.0;
                double fee = mcr_option_trade_fee(&costs->option_fee,
                                                  leg->quantity * s_a[i] / unit, mark / unit) *
                             unit;
                comp[MCR_PNL_FEES][i] -= fee;
                close[i] += fee;
            }
        }
    }
    /* a depeg still on at the horizon: the quote collateral posted for a linear perpetual is
     * worth depeg_price of its face value (no loss without margin: nothing is posted) */
    const mcr_venue *v = &p->venue;
    bool depeg_at_end = v->depeg_to > p->steps && v->depeg_from <= p->steps &&
                        v->margin.mode != MCR_MARGIN_NONE;
    if (depeg_at_end && pp->position && pp->position->margined && !pp->position->coin)
        for (int i = 0; i < NP; i++)
            comp[MCR_PNL_HEDGE][i] -= (1.0 - v->depeg_price) * o->account[i];
    for (int i = 0; i < NP; i++) /* the book's coins a cross-margin liquidation took */
        comp[MCR_PNL_HEDGE][i] -= o->seized[i] != 0.0 ? o->seized[i] * s_a[i] : 0.0;
}

/* Field f of a strategy's output for the block's paths, from a row of the field's type. */
static void put_row(const mcr_hedge_out *h, int f, uint64_t first, int count, const void *row)
{
    size_t size = mcr_field_size((mcr_field_id)f);
    if (h->at[f])
        memcpy((char *)h->at[f] + first * size, row, (size_t)count * size);
}

/* A strategy's per-path figures of the block besides its components, folded over its parts. */
typedef struct strategy_end {
    double close[NP], traded[NP], insurance[NP], liq_price0[NP];
    int32_t liq[NP], adl[NP];
    uint32_t trades[NP], liquidations[NP], onchain[NP];
} strategy_end;

static void fold_part(const mcr_part_state *o, const double *close, strategy_end *e)
{
    for (int i = 0; i < NP; i++) {
        e->close[i] += close[i];
        int32_t lj = o->liq_first[i], aj = o->adl_first[i];
        e->liq[i] = lj >= 0 && (e->liq[i] < 0 || lj < e->liq[i]) ? lj : e->liq[i];
        e->adl[i] = aj >= 0 && (e->adl[i] < 0 || aj < e->adl[i]) ? aj : e->adl[i];
        e->liquidations[i] += o->liquidations[i];
        e->trades[i] += o->trades[i];
        /* quote currency: an inverse perpetual's notional is in USD already */
        e->traded[i] += o->traded[i];
        e->insurance[i] += o->insurance[i];
        e->onchain[i] += o->onchain_txs[i];
        e->liq_price0[i] = e->liq_price0[i] != 0 ? e->liq_price0[i] : o->liq_price0[i];
    }
}

void mcr_hedge_end(mcr_hedge_work *w, int count, mcr_hedge_out *out)
{
    const mcr_hedge_plan *p = w->plan;
    mcr_holding_end held;
    const double *last[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < p->n_assets; a++)
        last[a] = w->last[a];
    mcr_holdings_end(p, &w->hold, last, &held);
    double book[NP], fees[NP] = {0};
    book_pnl(w, &held, count, book);
    if (p->book.option_fees)
        book_fees(w, fees);
    for (int s = 0; s < p->n_strategies; s++) {
        const mcr_strategy_run *r = &p->strategies[s];
        const strategy_state *st = &w->strategies[s];
        const mcr_hedge_out *h = &out[s];
        double comp[MCR_N_COMPONENTS][NP], close[NP], row[NP];
        int32_t step[NP];
        strategy_end e;
        memset(&e, 0, sizeof e);
        if (r->n == 0)
            memset(comp, 0, sizeof comp);
        for (int i = 0; i < NP; i++)
            e.liq[i] = e.adl[i] = -1;
        for (int j = r->first; j < r->first + r->n; j++) {
            part_components(w, j, count, j == r->first, comp, close);
            fold_part(&w->parts[j], close, &e);
        }
        for (int i = 0; i < NP; i++) {
            comp[MCR_PNL_BOOK][i] = book[i];
            if (p->book.option_fees) /* the book's options' fees, the same in every strategy */
                comp[MCR_PNL_FEES][i] += fees[i];
            if (p->book.has_yield) { /* the staking yield is in the book's mark: its own */
                comp[MCR_PNL_BOOK][i] -= held.yield[i];
                comp[MCR_PNL_YIELD][i] += held.yield[i];
            }
        }
        p->venue.k->row_sum(MCR_N_COMPONENTS, comp[0], row);
        put_row(h, MCR_FIELD_PNL, w->first, count, row);
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            put_row(h, MCR_FIELD_COMPONENT + c, w->first, count, comp[c]);
        put_row(h, MCR_FIELD_LIQUIDATION_STEP, w->first, count, e.liq);
        put_row(h, MCR_FIELD_TRADES, w->first, count, e.trades);
        put_row(h, MCR_FIELD_TRADED_NOTIONAL, w->first, count, e.traded);
        put_row(h, MCR_FIELD_CLOSE_COST, w->first, count, e.close);
        put_row(h, MCR_FIELD_LIQUIDATIONS, w->first, count, e.liquidations);
        put_row(h, MCR_FIELD_INSURANCE, w->first, count, e.insurance);
        put_row(h, MCR_FIELD_ADL_STEP, w->first, count, e.adl);
        put_row(h, MCR_FIELD_LIQUIDATION_PRICE0, w->first, count, e.liq_price0);
        if (h->at[MCR_FIELD_VENUE_DEFAULT_STEP]) {
            for (int i = 0; i < count; i++)
                step[i] = r->venues ? mcr_venue_first_default(&w->venue_paths, r->venues,
                                                                p->steps, i)
                                     : -1;
            put_row(h, MCR_FIELD_VENUE_DEFAULT_STEP, w->first, count, step);
        }
        put_row(h, MCR_FIELD_ONCHAIN_TXS, w->first, count, e.onchain);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < NP && h->at[MCR_FIELD_NET_DELTA + k]; i++)
                row[i] = st->greek_samples ? st->greek[k][i] / st->greek_samples : 0;
            put_row(h, MCR_FIELD_NET_DELTA + k, w->first, count, row);
        }
        for (int f = MCR_FIELD_BOOK_FIRST; f < MCR_N_FIELDS; f++) {
            const double *v = held.field[f - MCR_FIELD_BOOK_FIRST];
            if (mcr_fields[f].type == MCR_FIELD_F64) {
                put_row(h, f, w->first, count, v);
                continue;
            }
            for (int i = 0; i < count && h->at[f]; i++) /* a step */
                step[i] = (int32_t)v[i];
            put_row(h, f, w->first, count, step);
        }
    }
}
