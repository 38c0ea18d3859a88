/* The spot instrument: held by the book (units of an asset, negative for a short) and traded by
 * delta hedges. A spot hedge is bought with cash borrowed at the cash rate (and a short one's
 * proceeds earn it): its financing is the interest on that cash, plus costs.borrow_rate on the
 * value of a short (the coins are borrowed). */
#include <math.h>
#include <stddef.h>

#include "instrument.h"

typedef struct spot_params {
    double quantity;
    double yield;
} spot_params;

static const mcr_key spot_keys[] = {
    MCR_KEY_F("quantity", spot_params, quantity, MCR_KEY_REQUIRED, 0, 0, 0,
              "units of the asset", "units held, negative for a short"),
    MCR_KEY_F("yield", spot_params, yield, MCR_RANGE_CLOSED, 0, 1, 0, "per year",
              "staking yield: the units grow as e^{yield t} (continuously compounded; stETH "
              "rebases), the coins accrued booked as the component yield"),
    MCR_KEY_END,
};

static void spot_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    const spot_params *p = (const spot_params *)pos->params;
    book->spot[pos->asset] += p->quantity;
    book->value0 += p->quantity * env->cfg->assets[pos->asset].spot;
    if (p->yield > 0)
        mcr_staking_yield_hold(book, pos->asset, p->quantity, p->yield);
}

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

static const mcr_position_ops spot_ops = {
    .begin = spot_begin,
    .carry = spot_carry,
    .delta = spot_delta,
    .trade = mcr_trade_units,
    .close = mcr_close_units,
};

const mcr_instrument_kind mcr_spot_instrument = {
    .spec = {.name = "spot", .help = "units of an asset", .keys = spot_keys,
             .params_size = sizeof(spot_params)},
    .to_book = spot_to_book,
    .ops = &spot_ops,
};
