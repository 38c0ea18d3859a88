/* The spot instrument: held by the book (units of an asset, negative for a short) and traded by
 * delta hedges. A spot hedge is bought with cash borrowed at the cash rate (and a short one's
 * proceeds earn it): its financing is the interest on that cash, plus costs.borrow_rate on the
 * value of a short (the coins are borrowed). Spot the book keeps at a venue that can fail
 * (`venue:`) is a holding (holding.h) whose units go when the venue fails. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "instrument.h"

typedef struct spot_params {
    double quantity;
    char venue[MCR_NAME_MAX];
    int venue_index; /* set by the check */
    double yield;
} spot_params;

static const mcr_key spot_keys[] = {
    MCR_KEY_F("quantity", spot_params, quantity, MCR_KEY_REQUIRED, 0, 0, 0,
              "units of the asset", "units held, negative for a short"),
    MCR_KEY_S("venue", spot_params, venue, 0, NULL,
              "where the coins are kept (a name under venues): they become a claim worth "
              "recovery of their value if it fails"),
    MCR_KEY_F("yield", spot_params, yield, MCR_RANGE_CLOSED, 0, 1, 0, "per year",
              "staking yield: the units grow as e^{yield t} (continuously compounded; stETH "
              "rebases), the coins accrued booked as the component yield"),
    MCR_KEY_END,
};

static mcr_status spot_check(void *entry, const mcr_config *cfg, const char *path,
                             mcr_error *err)
{
    spot_params *p = (spot_params *)((mcr_position *)entry)->params;
    return mcr_config_venue_check(cfg, p->venue, path, &p->venue_index, err);
}

/* Spot at a venue: its units per path (they go when the venue fails) and, with `yield`, the coins
 * accrued since t0 (staking_yield.c's rule; kept here so that a position is one holding). */
enum { UNITS, ACCRUED };
typedef struct venue_spot {
    int asset;
    double quantity, yield;
} venue_spot;

static const mcr_holding_ops venue_spot_ops;

static void spot_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    const spot_params *p = (const spot_params *)pos->params;
    book->value0 += p->quantity * env->cfg->assets[pos->asset].spot;
    if (p->venue_index < 0) {
        book->spot[pos->asset] += p->quantity;
        if (p->yield > 0)
            mcr_staking_yield_hold(book, pos->asset, p->quantity, p->yield);
        return;
    }
    book->venue_spot[pos->asset] += p->quantity;
    book->has_yield |= p->yield > 0;
    mcr_holding *h = &book->holdings[book->n_holdings++];
    venue_spot c = {pos->asset, p->quantity, p->yield};
    h->ops = &venue_spot_ops;
    h->venue = p->venue_index;
    memcpy(h->data, &c, sizeof c);
}

static void venue_spot_begin(const mcr_holding *h, mcr_holding_state *o)
{
    const venue_spot *c = (const venue_spot *)h->data;
    for (int i = 0; i < MCR_NP; i++) {
        o->var[UNITS][i] = c->quantity;
        o->var[ACCRUED][i] = 0.0;
    }
}

/* The coins accrued by the end of step t, on the paths still holding. */
static void venue_spot_step(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o,
                            int t, const double *const *s, const double *const *prev,
                            const double *const *oracle, double *cash)
{
    (void)s, (void)prev, (void)oracle, (void)cash;
    const venue_spot *c = (const venue_spot *)h->data;
    if (c->yield <= 0)
        return;
    double growth = expm1(c->yield * t * v->dt);
    for (int i = 0; i < MCR_NP; i++)
        o->var[ACCRUED][i] = o->var[UNITS][i] * growth;
}

static void venue_spot_greeks(const mcr_holding *h, const mcr_holding_state *o, int a,
                              const double *s, double *delta, double *gamma)
{
    (void)s, (void)gamma;
    if (a == ((const venue_spot *)h->data)->asset)
        for (int i = 0; i < MCR_NP; i++)
            delta[i] += o->var[UNITS][i] + o->var[ACCRUED][i];
}

static void venue_spot_end(const mcr_venue *v, const mcr_holding *h, const mcr_holding_state *o,
                           const double *const *s, mcr_holding_end *out)
{
    (void)v;
    const double *p = s[((const venue_spot *)h->data)->asset];
    for (int i = 0; i < MCR_NP; i++) {
        out->value[i] += (o->var[UNITS][i] + o->var[ACCRUED][i]) * p[i];
        out->yield[i] += o->var[ACCRUED][i] * p[i];
    }
}

/* Long coins become a claim worth their value; a short (coins the venue lent) is bought back. */
static void venue_spot_leave(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o,
                             int t, const double *const *s, const bool *hit, double *held)
{
    (void)v, (void)t;
    const double *p = s[((const venue_spot *)h->data)->asset];
    for (int i = 0; i < MCR_NP; i++) {
        held[i] += hit[i] ? (o->var[UNITS][i] + o->var[ACCRUED][i]) * p[i] : 0.0;
        o->var[UNITS][i] = hit[i] ? 0.0 : o->var[UNITS][i];
        o->var[ACCRUED][i] = hit[i] ? 0.0 : o->var[ACCRUED][i];
    }
}

static const mcr_holding_ops venue_spot_ops = {
    .begin = venue_spot_begin,
    .step = venue_spot_step,
    .greeks = venue_spot_greeks,
    .end = venue_spot_end,
    .leave = venue_spot_leave,
};

static void spot_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                       double log_s0)
{
    (void)v, (void)o, (void)asset, (void)first, (void)log_s0;
}

static void spot_carry(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                       int t, const double *s, const double *s_prev, const double *log_s)
{
    (void)pp, (void)log_s;
    double g = v->growth[t];
    mcr_step_terms c = {.g = g, .financing = expm1(v->rate * v->dt) * g};
    if (v->costs.borrow_rate > 0) /* the borrowed coins' fee, on their value at the start */
        c.borrow = expm1(v->costs.borrow_rate * v->dt) * g;
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->carry_spot(&c, &u, s, s_prev);
}

static void spot_delta(const mcr_part_state *o, const double *s, double *out)
{
    (void)s;
    for (int i = 0; i < MCR_NP; i++)
        out[i] = o->q[i];
}

/* The constants of a trade at step t (the kernels' trade_units): costs, and the margin top-up of
 * a margined kind. */
mcr_step_terms mcr_trade_terms(const mcr_venue *v, int t, bool margined)
{
    const mcr_costs *c = &v->costs;
    return (mcr_step_terms){.g = v->growth[t], .fee_rate = c->fee_bps * 1e-4,
                            .slip_rate = c->slippage_bps * 1e-4, .impact = c->impact,
                            .impact_notional = c->impact_notional,
                            .top_up = margined && v->margin.mode != MCR_MARGIN_NONE,
                            .initial = v->margin.initial};
}

/* A spot trade to the target units at s, paying fees and slippage; also the close at the horizon
 * of both spot and the linear perpetual. */
void mcr_trade_units(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                     const double *target, const bool *go)
{
    mcr_step_terms c = mcr_trade_terms(v, t, false);
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->trade_units(&c, &u, s, target, go);
}

/* spot_carry and mcr_trade_units of every step of the run (no margin). */
static void spot_run(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                     mcr_run_terms *r)
{
    (void)pp;
    r->c = mcr_trade_terms(v, r->t0 + 1, false);
    r->linear = r->check = false;
    for (int k = 0; k < r->n; k++) {
        double g = v->growth[r->t0 + 1 + k];
        r->g[k] = g;
        r->yield[k] = 0.0;
        r->collateral[k] = 1.0;
        r->financing[k] = expm1(v->rate * v->dt) * g;
        r->borrow[k] = v->costs.borrow_rate > 0 ? expm1(v->costs.borrow_rate * v->dt) * g : 0.0;
        r->rate[k] = NULL;
    }
    mcr_run_rows rows = mcr_run_rows_of(o);
    v->k->run_units(r, &rows);
}

/* Close at the horizon: a trade to nothing; shared by the linear perpetual. */
void mcr_close_units(const mcr_venue *v, mcr_part_state *o, int t, const double *s)
{
    double zero[MCR_NP] = {0}, before[MCR_NP];
    bool all[MCR_NP];
    for (int i = 0; i < MCR_NP; i++) {
        all[i] = true;
        before[i] = o->comp[MCR_PNL_FEES][i] + o->comp[MCR_PNL_SLIPPAGE][i];
    }
    mcr_trade_units(v, o, t, s, zero, all);
    for (int i = 0; i < MCR_NP; i++)
        o->close_cost[i] += before[i] - (o->comp[MCR_PNL_FEES][i] + o->comp[MCR_PNL_SLIPPAGE][i]);
}

/* A spot hedge at a failed venue: long coins held there become a claim worth their value at s;
 * a short is bought back at s (its coins were the venue's). */
static void spot_leave(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                       const bool *hit, double *held)
{
    (void)v, (void)t;
    for (int i = 0; i < MCR_NP; i++) {
        held[i] = hit[i] && o->q[i] > 0 ? o->q[i] * s[i] : 0.0;
        o->q[i] = hit[i] ? 0.0 : o->q[i];
    }
}

static const mcr_position_ops spot_ops = {
    .begin = spot_begin,
    .carry = spot_carry,
    .run = spot_run,
    .delta = spot_delta,
    .trade = mcr_trade_units,
    .close = mcr_close_units,
    .leave = spot_leave,
};

const mcr_instrument_kind mcr_spot_instrument = {
    .spec = {.name = "spot", .help = "units of an asset", .keys = spot_keys,
             .params_size = sizeof(spot_params), .check = spot_check},
    .to_book = spot_to_book,
    .ops = &spot_ops,
};
