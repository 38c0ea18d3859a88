/* Rolling option programmes (`roll: {every_days, close_on_roll}` of the option strategies): at
 * t0 a part holds its planned legs (generation 0, settled and marked by hedge.c); at the first
 * step at or after every multiple of every_days it buys or sells a new generation of the same
 * legs, struck at the same strikes relative to spot there and expiring expiry_days later, priced
 * on the scenario's surface at that date. Older generations are held to expiry, or with
 * close_on_roll sold (bought back) at their mark on that surface. A generation's strikes differ
 * path by path, so they live in the part's state, in MCR_ROLL_LIVE slots. Premiums, payoffs,
 * marks and fees book as generation 0's do: USD carried to the horizon at the cash rate, coin
 * (settlement: coin) valued at S_T. The net greeks count every generation open. */
#include "roll.h"

#include <math.h>

#include "book_greeks.h"

/* The fee of trading quantity q of an option worth v per unit at spot s, in the leg's currency
 * (coin: both arguments in coin). */
static double trade_fee(const mcr_hedge_plan *p, const mcr_leg *leg, double s, double v)
{
    double unit = leg->coin ? 1.0 / s : 1.0;
    return mcr_option_trade_fee(&p->venue.costs.option_fee, leg->quantity * s * unit,
                                leg->quantity * v * unit);
}

/* Book a trade of q x v at step t in the part's components: +proceeds (a sale, or a payoff), or
 * -cost (a purchase: sign -1 into the premium); fees always paid. */
static void book_flow(const mcr_hedge_plan *p, const mcr_leg *leg, mcr_part_state *o, int i,
                      int t, double s, double v, bool premium, double fee)
{
    double x = leg->quantity * v;
    if (leg->coin) {
        *(premium ? &o->roll_premium_coin[i] : &o->leg_coin[i]) += (premium ? -x : x) / s;
        o->leg_fee_coin[i] -= fee;
    } else {
        o->comp[premium ? MCR_PNL_PREMIUM : MCR_PNL_HEDGE][i] += (premium ? -x : x) * p->growth[t];
        o->comp[MCR_PNL_FEES][i] -= fee * p->growth[t];
    }
}

/* A leg of slot k struck at path i's strike, with tau years left at step t. */
static double value_at(const mcr_hedge_plan *p, const mcr_leg *leg, double strike, double s,
                       double tau)
{
    mcr_leg l = *leg;
    l.strike = strike;
    return mcr_leg_value(&l, &p->surface[leg->asset], p->rate, s, tau);
}

/* Years left at step t of a slot opened at step open (the template's expiry after it). */
static double tau_left(const mcr_hedge_plan *p, const mcr_leg *leg, int open, int t)
{
    return open * p->dt + leg->expiry - t * p->dt;
}

bool mcr_roll_due(const mcr_hedge_plan *p, const mcr_part_plan *pp, int t)
{
    double r = pp->rolls_per_step;
    return r > 0 && t > 0 && t < p->steps && floor(t * r + 1e-9) > floor((t - 1) * r + 1e-9);
}

/* Settle the slots expiring at t; at a roll, close what is open (close_on_roll), then open the
 * next generation. */
void mcr_roll_step(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o, int t,
                   const double *s)
{
    const mcr_option_fee *f = &p->venue.costs.option_fee;
    for (int k = 0; k < MCR_ROLL_LIVE; k++) {
        if (o->roll_expiry[k] != t)
            continue;
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            for (int i = 0; i < MCR_NP; i++) {
                double x = leg->payoff == MCR_CALL ? s[i] - o->roll_strike[k][l][i]
                                                   : o->roll_strike[k][l][i] - s[i];
                double pay = x > 0 ? x : 0.0, unit = leg->coin ? 1.0 / s[i] : 1.0;
                double fee = mcr_option_delivery_fee(f, leg->quantity * s[i] * unit,
                                                     leg->quantity * pay * unit);
                book_flow(p, leg, o, i, t, s[i], pay, false, fee);
            }
        }
        o->roll_expiry[k] = 0;
    }
    if (!mcr_roll_due(p, pp, t))
        return;
    if (pp->close_on_roll) {
        for (int k = 0; k < MCR_ROLL_LIVE; k++) {
            if (o->roll_expiry[k] == 0)
                continue;
            for (int l = 0; l < pp->n_legs; l++) {
                const mcr_leg *leg = &pp->legs[l];
                double tau = tau_left(p, leg, o->roll_open[k], t);
                for (int i = 0; i < MCR_NP; i++) {
                    double v = value_at(p, leg, o->roll_strike[k][l][i], s[i], tau);
                    book_flow(p, leg, o, i, t, s[i], v, false, trade_fee(p, leg, s[i], v));
                }
            }
            o->roll_expiry[k] = 0;
        }
        for (int l = 0; l < pp->n_legs && !o->legs_closed; l++) {
            const mcr_leg *leg = &pp->legs[l];
            if (leg->expiry_step <= t)
                continue;
            for (int i = 0; i < MCR_NP; i++) {
                double v = value_at(p, leg, leg->strike, s[i], leg->expiry - t * p->dt);
                book_flow(p, leg, o, i, t, s[i], v, false, trade_fee(p, leg, s[i], v));
            }
        }
        o->legs_closed = 1;
    }
    int k = ((int)floor(t * pp->rolls_per_step + 1e-9) - 1) % MCR_ROLL_LIVE;
    for (int l = 0; l < pp->n_legs; l++) {
        const mcr_leg *leg = &pp->legs[l];
        for (int i = 0; i < MCR_NP; i++) {
            double strike = pp->rel_strike[l] * s[i];
            double v = value_at(p, leg, strike, s[i], leg->expiry);
            o->roll_strike[k][l][i] = strike;
            book_flow(p, leg, o, i, t, s[i], v, true, trade_fee(p, leg, s[i], v));
        }
    }
    int expiry = t + (int)ceil(pp->legs[0].expiry / p->dt - 1e-9);
    o->roll_open[k] = t;
    o->roll_expiry[k] = expiry > p->steps ? p->steps + 1 : expiry;
}

double mcr_roll_mark(const mcr_hedge_plan *p, const mcr_part_plan *pp, const mcr_part_state *o,
                     int i, double s, double *comp)
{
    double close = 0;
    const mcr_costs *costs = &p->venue.costs;
    for (int k = 0; k < MCR_ROLL_LIVE; k++) {
        if (o->roll_expiry[k] <= p->steps)
            continue; /* free, or settled */
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            double v = value_at(p, leg, o->roll_strike[k][l][i], s,
                                tau_left(p, leg, o->roll_open[k], p->steps));
            comp[MCR_PNL_HEDGE] += leg->quantity * v;
            if (costs->close_at_horizon) {
                double fee = trade_fee(p, leg, s, v) * (leg->coin ? s : 1.0);
                comp[MCR_PNL_FEES] -= fee;
                close += fee;
            }
        }
    }
    return close;
}

void mcr_roll_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                     const mcr_part_plan *pp, const mcr_part_state *o, int t, const double *s,
                     const double *log_s, double out[3][MCR_NP])
{
    for (int slot = 0; slot < MCR_ROLL_LIVE; slot++) {
        if (o->roll_expiry[slot] <= t)
            continue; /* free, or settled */
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            double tau = tau_left(p, leg, o->roll_open[slot], t);
            if (tau > 0)
                mcr_leg_greeks(g, p, k, leg, o->roll_strike[slot][l], tau, s, log_s, out);
        }
    }
}
