/* The spot instrument: held by the book (units of an asset, negative for a short) and traded by
 * delta hedges. A spot hedge is bought with cash borrowed at the cash rate (and a short one's
 * proceeds earn it): its financing is the interest on that cash, plus costs.borrow_rate on the
 * value of a short (the coins are borrowed). */
#include <math.h>
#include <stddef.h>

#include "instrument.h"

typedef struct spot_params {
    double quantity;
} spot_params;

static const mcr_key spot_keys[] = {
    MCR_KEY_F("quantity", spot_params, quantity, MCR_KEY_REQUIRED, 0, 0, 0,
              "units of the asset", "units held, negative for a short"),
    MCR_KEY_END,
};

static void spot_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    const spot_params *p = (const spot_params *)pos->params;
    book->spot[pos->asset] += p->quantity;
    book->value0 += p->quantity * env->cfg->assets[pos->asset].spot;
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
    double carry_rate = expm1(v->rate * v->dt) * g; /* interest on the cash that bought it */
    for (int i = 0; i < MCR_NP; i++) {
        o->comp[MCR_PNL_HEDGE][i] += o->q[i] * (s[i] - s_prev[i]) * g;
        o->comp[MCR_PNL_FINANCING][i] -= o->q[i] * s_prev[i] * carry_rate;
    }
    if (v->costs.borrow_rate > 0) { /* the borrowed coins' fee, on their value at the start */
        double borrow = expm1(v->costs.borrow_rate * v->dt) * g;
        for (int i = 0; i < MCR_NP; i++)
            o->comp[MCR_PNL_FINANCING][i] -= (o->q[i] < 0 ? -o->q[i] * s_prev[i] : 0.0) * borrow;
    }
}

static void spot_delta(const mcr_part_state *o, const double *s, double *out)
{
    (void)s;
    for (int i = 0; i < MCR_NP; i++)
        out[i] = o->q[i];
}

/* Fees and slippage of trading dq units at s; shared by the linear perpetual. */
void mcr_trade_units(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                     const double *target, const bool *go)
{
    const mcr_costs *c = &v->costs;
    double g = v->growth[t], fee_rate = c->fee_bps * 1e-4, slip_rate = c->slippage_bps * 1e-4;
    for (int i = 0; i < MCR_NP; i++) {
        bool trade = go[i] && o->liq_step[i] < 0;
        double dq = trade ? target[i] - o->q[i] : 0.0;
        double notional = fabs(dq) * s[i];
        double impact = c->impact > 0 ? c->impact * sqrt(notional / c->impact_notional) : 0.0;
        double fee = notional * fee_rate, slip = notional * (slip_rate + impact);
        o->comp[MCR_PNL_FEES][i] -= fee * g;
        o->comp[MCR_PNL_SLIPPAGE][i] -= slip * g;
        o->q[i] += dq;
        o->trades[i] += dq != 0.0;
        o->traded[i] += notional;
    }
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
