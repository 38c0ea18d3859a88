/* The inverse (coin-margined) perpetual, traded by strategies: a position of q USD of notional
 * whose P&L in coin is q (1/S_entry - 1/S_exit), funding in coin, and an isolated account in coin
 * bought with cash when margin is posted. The coin posted is itself long the asset, so the
 * position is sized with it: its delta q/S plus the coin held hits the target (fees aside). Not
 * held in a book. */
#include <math.h>
#include <stddef.h>

#include "funding.h"
#include "instrument.h"

mcr_status mcr_perp_not_in_book(void *entry, const struct mcr_config *cfg, const char *path,
                                mcr_error *err); /* linear_perp.c */

typedef struct perp_params {
    double quantity;
} perp_params;

static const mcr_key perp_keys[] = {
    {.name = "quantity", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HIDDEN,
     .offset = offsetof(perp_params, quantity), .word_offset = (size_t)-1,
     .help = "not for a book: perpetuals are traded by hedges"},
    MCR_KEY_END,
};

mcr_step_terms mcr_trade_terms(const mcr_venue *v, int t, bool margined); /* spot.c */

static void inverse_carry(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                          int t, const double *s, const double *s_prev, const double *log_s)
{
    double rate[MCR_NP];
    bool funding = mcr_funding_rates(v, o, t, log_s, rate);
    mcr_step_terms c = {.g = v->growth[t]};
    if (pp->collateral_yield > 0 && v->margin.mode != MCR_MARGIN_NONE)
        c.yield = pp->collateral_yield * v->dt * v->growth[t];
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->carry_inverse(&c, &u, s, s_prev, funding ? rate : NULL);
}

/* The contract's delta q/S and the coin's. */
static void inverse_delta(const mcr_part_state *o, const double *s, double *out)
{
    for (int i = 0; i < MCR_NP; i++)
        out[i] = o->q[i] / s[i] + o->coin_held[i];
}

/* Sized with the coin held and the coin a top-up buys (kernels/strat.h trade_inverse). */
static void inverse_trade(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                          const double *target, const bool *go)
{
    mcr_step_terms c = mcr_trade_terms(v, t, true);
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->trade_inverse(&c, &u, s, target, go);
}

static void inverse_margin(const mcr_venue *v, const mcr_part_state *o, int t, const double *s,
                           double *equity, double *requirement, double *fee)
{
    (void)t;
    mcr_step_terms c = mcr_margin_terms(v);
    c.coin = true;
    v->k->margin(&c, o->q, o->account, s, equity, requirement, fee);
}

static void inverse_liquidate(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                              const bool *hit, const double *cover)
{
    mcr_step_terms c = mcr_margin_terms(v);
    c.coin = true;
    mcr_units_rows u = mcr_units_rows_of(o);
    v->k->liquidate(&c, &u, t, s, hit, cover, o->seized, o->liq_step);
}

/* Close at the horizon: the notional q is bought back, fees and slippage paid in coin (worth
 * their USD amount at s = S_T); the coin held stays, valued at S_T. */
static void inverse_close(const mcr_venue *v, mcr_part_state *o, int t, const double *s)
{
    (void)t;
    const mcr_costs *c = &v->costs;
    double fee_rate = c->fee_bps * 1e-4, slip_rate = c->slippage_bps * 1e-4;
    for (int i = 0; i < MCR_NP; i++) {
        double notional = fabs(o->q[i]);
        double impact = c->impact > 0 ? c->impact * sqrt(notional / c->impact_notional) : 0.0;
        double fee = notional * fee_rate, slip = notional * (slip_rate + impact);
        o->coin[MCR_PNL_FEES][i] -= fee / s[i];
        o->coin[MCR_PNL_SLIPPAGE][i] -= slip / s[i];
        o->coin_held[i] -= (fee + slip) / s[i];
        o->close_cost[i] += (fee + slip) / s[i] * s[i];
        o->trades[i] += o->q[i] != 0.0;
        o->traded[i] += notional;
        o->q[i] = 0.0;
    }
}

static void inverse_liquidation_price(const mcr_venue *v, const mcr_part_state *o,
                                      const double *s, double *out)
{
    for (int i = 0; i < MCR_NP; i++) {
        mcr_perp_position pos = {.contract = MCR_PERP_INVERSE, .size = o->q[i], .entry = s[i],
                                 .wallet = o->account[i]};
        out[i] = o->q[i] != 0.0 ? mcr_margin_tiers_liquidation_price(&v->tiers, &pos) : 0.0;
    }
}

/* At a failed venue the coin account becomes a claim fixed in quote currency at s (as FTX's
 * claims were, at the petition date's prices): its coins leave the coin held (no longer worth
 * S_T) for their value at s carried to the horizon; the position is closed at s. */
static void inverse_leave(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                          const bool *hit, double *held)
{
    double g = v->growth[t];
    for (int i = 0; i < MCR_NP; i++) {
        double coins = hit[i] && o->account[i] > 0 ? o->account[i] : 0.0;
        held[i] = coins * s[i];
        o->coin[MCR_PNL_HEDGE][i] -= coins;
        o->coin_held[i] -= coins;
        o->comp[MCR_PNL_HEDGE][i] += coins * s[i] * g;
        o->account[i] = hit[i] ? 0.0 : o->account[i];
        o->q[i] = hit[i] ? 0.0 : o->q[i];
    }
}

static const mcr_position_ops inverse_ops = {
    .margined = true,
    .coin = true,
    .begin = mcr_funding_begin,
    .carry = inverse_carry,
    .delta = inverse_delta,
    .trade = inverse_trade,
    .margin = inverse_margin,
    .liquidate = inverse_liquidate,
    .liquidation_price = inverse_liquidation_price,
    .close = inverse_close,
    .leave = inverse_leave,
};

const mcr_instrument_kind mcr_inverse_perp_instrument = {
    .spec = {.name = "inverse_perp",
             .help = "a coin-margined perpetual (hedges only: perp_hedge, delta_hedge)",
             .keys = perp_keys, .params_size = sizeof(perp_params),
             .check = mcr_perp_not_in_book},
    .ops = &inverse_ops,
};
