/* Rolling option programmes (`roll: {every_days, close_on_roll}` of the option strategies): at
 * t0 a part holds its planned legs (generation 0, settled and marked by hedge.c); at the first
 * step at or after every multiple of every_days it buys or sells a new generation of the same
 * legs, struck at the same strikes relative to spot there and expiring expiry_days later, priced
 * on the scenario's surface at that date. Older generations are held to expiry, or with
 * close_on_roll sold (bought back) at their mark on that surface. A generation's strikes differ
 * path by path, so they live in slots of the part's state: as many as generations can be open at
 * once (the plan counts them over the roll dates: about expiry_days / every_days), used in turn,
 * so a slot comes round again only after its generation has expired. Premiums, payoffs, marks and
 * fees book as generation 0's do: USD carried to the horizon at the cash rate, coin (settlement:
 * coin) valued at S_T. The net greeks count every generation open. */
#include "roll.h"

#include <math.h>

#include "book_greeks.h"
#include "venue_legs.h"

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

/* Whether step t is a roll date at r rolls a step: 0 < t < steps and a multiple of every_days
 * falls in ((t - 1) dt, t dt] (1e-9 absorbs the rounding of an exact multiple). */
static bool due(double r, int t, int steps)
{
    return r > 0 && t > 0 && t < steps && floor(t * r + 1e-9) > floor((t - 1) * r + 1e-9);
}

void mcr_roll_plan(const mcr_part *part, const mcr_config *cfg, mcr_part_plan *out)
{
    out->rolls_per_step = 0;
    out->close_on_roll = false;
    out->roll_expiry_steps = out->roll_slots = 0;
    double every = mcr_part_value(part, "roll.every_days"); /* NAN: the kind has no roll */
    if (!(every > 0))
        return;
    double r = cfg->horizon_days / cfg->steps / every, days = mcr_part_value(part, "expiry_days");
    int expiry = (int)ceil((days > 0 ? days : cfg->horizon_days) / 365.0 / mcr_config_dt(cfg) -
                           1e-9);
    /* a generation opened at step u settles at u + expiry, before that step's roll: at a roll
     * date t the open ones are those opened in (t - expiry, t] */
    int open = 0, most = 0;
    for (int t = 1; t < cfg->steps; t++) {
        open += due(r, t, cfg->steps) - due(r, t - expiry, cfg->steps);
        most = open > most ? open : most;
    }
    out->rolls_per_step = r;
    out->close_on_roll = mcr_part_value(part, "roll.close_on_roll") != 0;
    out->roll_expiry_steps = expiry;
    out->roll_slots = out->close_on_roll && most > 1 ? 1 : most; /* closed before the next */
}

double mcr_roll_bytes(const mcr_config *cfg)
{
    double bytes = 0;
    for (int s = 0; s < cfg->n_strategies; s++)
        for (int j = 0; j < cfg->strategies[s].n_parts; j++) {
            mcr_part_plan pp;
            mcr_roll_plan(&cfg->strategies[s].parts[j], cfg, &pp);
            bytes += pp.roll_slots * (double)sizeof(mcr_roll_gen);
        }
    return bytes;
}

/* The slot of the n-th oldest generation that may be open (n = 0: the oldest): slots are used in
 * turn, so the next one to use holds the oldest. */
static mcr_roll_gen *nth(const mcr_part_plan *pp, const mcr_part_state *o, int n)
{
    return &o->roll[(o->rolls + n) % pp->roll_slots];
}

/* Settle the generation expiring at t; at a roll, close what is open (close_on_roll), then open
 * the next generation in the slot of the oldest (expired: the slots cover every generation that
 * can be open at once). */
void mcr_roll_step(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o, int t,
                   const double *s)
{
    if (t == 0) /* nothing expires or rolls at t0; a free slot's expiry is 0 (its strikes are an
                 * earlier block's, which must not settle) */
        return;
    const mcr_option_fee *f = &p->venue.costs.option_fee;
    for (int k = 0; k < pp->roll_slots; k++) {
        mcr_roll_gen *g = &o->roll[k];
        if (g->expiry == 0 || g->expiry != t) /* 0: a free slot, also at t0's step 0 */
            continue;
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            for (int i = 0; i < MCR_NP; i++) {
                if (mcr_part_gone(o, i)) /* its venue failed: the claim was booked then */
                    continue;
                double x = leg->payoff == MCR_CALL ? s[i] - g->strike[l][i]
                                                   : g->strike[l][i] - s[i];
                double pay = x > 0 ? x : 0.0, unit = leg->coin ? 1.0 / s[i] : 1.0;
                double fee = mcr_option_delivery_fee(f, leg->quantity * s[i] * unit,
                                                     leg->quantity * pay * unit);
                book_flow(p, leg, o, i, t, s[i], pay, false, fee);
            }
        }
        g->expiry = 0;
    }
    if (!due(pp->rolls_per_step, t, p->steps))
        return;
    if (pp->close_on_roll) {
        for (int k = 0; k < pp->roll_slots; k++) {
            mcr_roll_gen *g = &o->roll[k];
            if (g->expiry == 0)
                continue;
            for (int l = 0; l < pp->n_legs; l++) {
                const mcr_leg *leg = &pp->legs[l];
                double tau = tau_left(p, leg, g->open, t);
                for (int i = 0; i < MCR_NP; i++) {
                    if (mcr_part_gone(o, i))
                        continue;
                    double v = value_at(p, leg, g->strike[l][i], s[i], tau);
                    book_flow(p, leg, o, i, t, s[i], v, false, trade_fee(p, leg, s[i], v));
                }
            }
            g->expiry = 0;
        }
        for (int l = 0; l < pp->n_legs && !o->legs_closed; l++) {
            const mcr_leg *leg = &pp->legs[l];
            if (leg->expiry_step <= t)
                continue;
            for (int i = 0; i < MCR_NP; i++) {
                if (mcr_part_gone(o, i))
                    continue;
                double v = value_at(p, leg, leg->strike, s[i], leg->expiry - t * p->dt);
                book_flow(p, leg, o, i, t, s[i], v, false, trade_fee(p, leg, s[i], v));
            }
        }
        o->legs_closed = 1;
    }
    mcr_roll_gen *g = nth(pp, o, 0);
    for (int l = 0; l < pp->n_legs; l++) {
        const mcr_leg *leg = &pp->legs[l];
        for (int i = 0; i < MCR_NP; i++) {
            double strike = pp->rel_strike[l] * s[i];
            g->strike[l][i] = strike;
            if (mcr_part_gone(o, i)) /* no roll after its venue failed */
                continue;
            double v = value_at(p, leg, strike, s[i], leg->expiry);
            book_flow(p, leg, o, i, t, s[i], v, true, trade_fee(p, leg, s[i], v));
        }
    }
    int expiry = t + pp->roll_expiry_steps;
    g->open = t;
    g->expiry = expiry > p->steps ? p->steps + 1 : expiry;
    o->rolls++;
}

void mcr_roll_held(const mcr_hedge_plan *p, const mcr_part_plan *pp, const mcr_part_state *o,
                   int t, const double *s, const bool *hit, double *held)
{
    for (int k = 0; k < pp->roll_slots; k++) {
        const mcr_roll_gen *g = &o->roll[k];
        if (g->expiry < t)
            continue; /* free (0), or settled */
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            double tau = tau_left(p, leg, g->open, t);
            for (int i = 0; i < MCR_NP; i++)
                if (hit[i])
                    held[i] += leg->quantity * mcr_venue_leg_value(p, leg, g->strike[l][i],
                                                                   g->expiry == t, tau, s[i]);
        }
    }
}

double mcr_roll_mark(const mcr_hedge_plan *p, const mcr_part_plan *pp, const mcr_part_state *o,
                     int i, double s, double *comp)
{
    double close = 0;
    const mcr_costs *costs = &p->venue.costs;
    if (mcr_part_gone(o, i))
        return 0; /* closed when its venue failed */
    for (int n = 0; n < pp->roll_slots; n++) { /* the oldest first */
        const mcr_roll_gen *g = nth(pp, o, n);
        if (g->expiry <= p->steps)
            continue; /* free, or settled */
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            double v = value_at(p, leg, g->strike[l][i], s, tau_left(p, leg, g->open, p->steps));
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
    for (int n = 0; n < pp->roll_slots; n++) { /* the oldest first */
        const mcr_roll_gen *gen = nth(pp, o, n);
        if (gen->expiry <= t)
            continue; /* free, or settled */
        for (int l = 0; l < pp->n_legs; l++) {
            const mcr_leg *leg = &pp->legs[l];
            double tau = tau_left(p, leg, gen->open, t);
            if (tau > 0)
                mcr_leg_greeks(g, p, k, leg, gen->strike[l], tau, s, log_s, out);
        }
    }
}
