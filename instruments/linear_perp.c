/* The linear (USD-margined) perpetual, traded by strategies: P&L = q (S_exit - S_entry) in the
 * quote currency, funding on the notional q S, an isolated margin account in quote currency
 * topped up to initial margin at every trade. Not held in a book. */
#include <math.h>
#include <stddef.h>

#include "funding.h"
#include "instrument.h"

mcr_step_terms mcr_trade_terms(const mcr_venue *v, int t, bool margined); /* spot.c */
void mcr_close_units(const mcr_venue *v, mcr_part_state *o, int t, const double *s); /* spot.c */

typedef struct perp_params {
    double quantity;
} perp_params;

/* Only so that a perpetual in a book is named as what it is (the check refuses it). */
static const mcr_key perp_keys[] = {
    {.name = "quantity", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HIDDEN,
     .offset = offsetof(perp_params, quantity), .word_offset = (size_t)-1,
     .help = "not for a book: perpetuals are traded by hedges"},
    MCR_KEY_END,
};

mcr_status mcr_perp_not_in_book(void *entry, const struct mcr_config *cfg, const char *path,
                                mcr_error *err)
{
    (void)entry, (void)cfg;
    return mcr_fail(err, MCR_ERR_INPUT, "%s.instrument: perpetuals are hedges, not part of the "
                    "book: use a strategy of type perp_hedge or delta_hedge; allowed here: spot, "
                    "call, put, amm_lp", path);
}

static void linear_carry(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                         int t, const double *s, const double *s_prev, const double *log_s)
{
    double rate[MCR_NP];
    bool funding = mcr_funding_rates(v, o, t, log_s, rate);
    mcr_step_terms c = {.g = v->growth[t]};
    /* yield accrues on posted collateral only: none without margin, none on a deficit */
    if (pp->collateral_yield > 0 && v->margin.mode != MCR_MARGIN_NONE)
        c.yield = pp->collateral_yield * v->dt * c.g;
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->carry_linear(&c, &u, s, s_prev, funding ? rate : NULL); /* longs pay a positive rate */
}

/* linear_carry, linear_margin, linear_liquidate and linear_trade of every step of the run. */
static void linear_run(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                       mcr_run_terms *r)
{
    mcr_step_terms trade = mcr_trade_terms(v, r->t0 + 1, true);
    r->c = mcr_margin_terms(v);
    r->c.fee_rate = trade.fee_rate;
    r->c.slip_rate = trade.slip_rate;
    r->c.impact = trade.impact;
    r->c.impact_notional = trade.impact_notional;
    r->c.top_up = trade.top_up;
    r->c.initial = trade.initial;
    r->linear = true;
    r->check = v->margin.mode != MCR_MARGIN_NONE;
    for (int k = 0; k < r->n; k++) {
        int t = r->t0 + 1 + k;
        r->g[k] = v->growth[t];
        r->yield[k] = pp->collateral_yield > 0 && v->margin.mode != MCR_MARGIN_NONE
                          ? pp->collateral_yield * v->dt * r->g[k]
                          : 0.0;
        r->collateral[k] = t >= v->depeg_from && t < v->depeg_to ? v->depeg_price : 1.0;
        r->financing[k] = r->borrow[k] = 0.0;
        r->rate[k] = mcr_funding_rates(v, o, t, r->log_s + (size_t)k * r->stride, r->rates[k])
                         ? r->rates[k]
                         : NULL;
    }
    mcr_run_rows rows = mcr_run_rows_of(o);
    v->k->run_units(r, &rows);
}

static void linear_delta(const mcr_part_state *o, const double *s, double *out)
{
    (void)s;
    for (int i = 0; i < MCR_NP; i++)
        out[i] = o->q[i];
}

/* The trade, then the account topped up to initial margin. */
static void linear_trade(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                         const double *target, const bool *go)
{
    mcr_step_terms c = mcr_trade_terms(v, t, true);
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->trade_units(&c, &u, s, target, go);
}

/* Inside the scenario's depeg window the quote collateral counts at its depegged value. */
static void linear_margin(const mcr_venue *v, const mcr_part_state *o, int t, const double *s,
                          double *equity, double *requirement, double *fee)
{
    mcr_step_terms c = mcr_margin_terms(v);
    c.collateral = t >= v->depeg_from && t < v->depeg_to ? v->depeg_price : 1.0;
    v->k->margin(&c, o->q, o->account, s, equity, requirement, fee);
}

static void linear_liquidate(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                             const bool *hit, const double *cover)
{
    mcr_step_terms c = mcr_margin_terms(v);
    c.g = v->growth[t];
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->liquidate(&c, &u, t, s, hit, cover, o->seized, o->liq_step);
}

static void linear_liquidation_price(const mcr_venue *v, const mcr_part_state *o,
                                     const double *s, double *out)
{
    for (int i = 0; i < MCR_NP; i++) {
        mcr_perp_position pos = {.contract = MCR_PERP_LINEAR, .size = o->q[i], .entry = s[i],
                                 .wallet = o->account[i]};
        out[i] = o->q[i] != 0.0 ? mcr_margin_tiers_liquidation_price(&v->tiers, &pos) : 0.0;
    }
}

/* At a failed venue the margin account (its variation and funding already in it) is the
 * claim; the position is closed at s. */
static void linear_leave(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                         const bool *hit, double *held)
{
    (void)v, (void)t, (void)s;
    for (int i = 0; i < MCR_NP; i++) {
        held[i] = hit[i] && o->account[i] > 0 ? o->account[i] : 0.0;
        o->account[i] = hit[i] ? 0.0 : o->account[i];
        o->q[i] = hit[i] ? 0.0 : o->q[i];
    }
}

static const mcr_position_ops linear_ops = {
    .margined = true,
    .begin = mcr_funding_begin,
    .carry = linear_carry,
    .run = linear_run,
    .delta = linear_delta,
    .trade = linear_trade,
    .margin = linear_margin,
    .liquidate = linear_liquidate,
    .liquidation_price = linear_liquidation_price,
    .close = mcr_close_units,
    .leave = linear_leave,
};

const mcr_instrument_kind mcr_linear_perp_instrument = {
    .spec = {.name = "linear_perp",
             .help = "a USD-margined perpetual (hedges only: perp_hedge, delta_hedge)",
             .keys = perp_keys, .params_size = sizeof(perp_params),
             .check = mcr_perp_not_in_book},
    .ops = &linear_ops,
};
