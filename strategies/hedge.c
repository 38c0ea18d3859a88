/* The strategy engine per block of paths (hedge.h): the thread's workspace, and the steps of a
 * block in order: the book's options settle and its holdings move, then every strategy steps
 * (hedge_step.c), the net greeks are sampled (net_greeks.c), and at the horizon the positions
 * close; the components and outputs are hedge_end.c's. The loops run over the paths of a block
 * innermost, on structure-of-arrays state. */
#include "hedge.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hedge_work.h"
#include "instruments/perp_mark.h"

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
    w->any_fused = false;
    for (int s = 0; s < p->n_strategies; s++) {
        const mcr_strategy_run *r = &p->strategies[s];
        w->quiet[s] = true;
        for (int j = r->first; j < r->first + r->n; j++) {
            const mcr_part_plan *pp = &p->parts[j];
            w->fused[j] = mcr_part_fuses(p, r, pp);
            w->any_fused |= w->fused[j];
            /* options only, at no venue that can fail, not rolled: nothing but settlements */
            w->quiet[s] &= w->fused[j] || (!pp->position && pp->venue < 0 &&
                                           pp->rolls_per_step == 0);
        }
    }
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

/* Whether the net greeks are sampled at step t (after its trades). */
static bool sampled(const mcr_hedge_plan *p, int t)
{
    return t % p->greek_every == 0 && t < p->steps;
}

/* Whether an option leg of a part of strategy r stepped by the engine settles at step t. */
static bool settles_at(const mcr_hedge_work *w, const mcr_strategy_run *r, int t)
{
    for (int j = r->first; j < r->first + r->n; j++)
        for (int l = 0; l < w->plan->parts[j].n_legs && !w->fused[j]; l++)
            if (w->plan->parts[j].legs[l].expiry_step == t)
                return true;
    return false;
}

static void run_step(mcr_hedge_work *w, int t, const step_prices *x)
{
    const mcr_hedge_plan *p = w->plan;
    for (int s = 0; s < p->n_strategies; s++) {
        const mcr_strategy_run *r = &p->strategies[s];
        if (t == 0 || !w->quiet[s] || settles_at(w, r, t))
            mcr_strategy_step(w, r, t, x);
    }
    if (sampled(p, t))
        mcr_sample_greeks(w, t, x);
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
            pp->position->liquidation_price(&p->venue, &w->parts[j],
                                            mcr_price_of(pp, &w->parts[j], x),
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
        pp->position->close(&p->venue, &w->parts[j], t, mcr_price_of(pp, &w->parts[j], x));
        if (pp->onchain)
            mcr_pay_gas(p, &w->parts[j], t, before);
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
        /* the fused parts step first through the steps up to the next sample of the greeks */
        if (w->any_fused && (k == 0 || sampled(p, t - 1))) {
            int end = k;
            while (end < n - 1 && !sampled(p, t0 + end + 1))
                end++;
            mcr_hedge_runs(w, t0, k, end - k + 1, price, log_price, stride);
        }
        for (int a = 0; a < p->n_assets; a++) {
            x.s[a] = price[a] + (size_t)k * stride;
            x.prev[a] = k == 0 ? w->last[a] : price[a] + (size_t)(k - 1) * stride;
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
    }
    for (int a = 0; a < p->n_assets && n > 0; a++)
        memcpy(w->last[a], price[a] + (size_t)(n - 1) * stride, sizeof w->last[a]);
}

void mcr_hedge_jump(mcr_hedge_work *w, const double *const *price)
{
    for (int a = 0; a < w->plan->n_assets; a++)
        memcpy(w->last[a], price[a], sizeof w->last[a]);
}

