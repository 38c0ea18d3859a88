/* The strategy engine: plan (premiums, zero-cost strikes, funding times) and the per-block,
 * per-step evaluation of the book and every strategy on shared prices. See hedge.h for the
 * accounting; the loops run over the paths of a block innermost, on structure-of-arrays state. */
#include "hedge.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/pcg32.h"
#include "../models/normal.h"
#include "../models/vol_surface.h"

const char *const mcr_component_names[MCR_N_COMPONENTS] = {
    [MCR_PNL_BOOK] = "book",         [MCR_PNL_HEDGE] = "hedge",
    [MCR_PNL_PREMIUM] = "premium",   [MCR_PNL_FUNDING] = "funding",
    [MCR_PNL_FEES] = "fees",         [MCR_PNL_SLIPPAGE] = "slippage",
    [MCR_PNL_FINANCING] = "financing", [MCR_PNL_YIELD] = "yield",
};

#define NP MCR_BLOCK_PATHS
/* Net greeks are sampled at about this many dates over the horizon: their time average converges
 * long before every step is visited, and per-step greeks of every option would dominate the cost
 * of static strategies. */
#define MCR_GREEK_SAMPLES 32

/* ---- pricing on the implied-vol surface ---- */

static double leg_vol(const mcr_config *cfg, const mcr_leg *l, double spot, double tau)
{
    double forward = spot * exp(cfg->rate * tau);
    return mcr_vol_surface_vol(&cfg->assets[l->asset].implied_vol, l->strike, forward, tau);
}

static mcr_euro leg_euro(const mcr_config *cfg, const mcr_leg *l, double spot, double tau)
{
    return (mcr_euro){.payoff = l->payoff, .spot = spot, .strike = l->strike, .expiry = tau,
                      .rate = cfg->rate, .yield = 0.0};
}

/* Value per unit of a leg with tau years left, marked on the surface. */
static double leg_value(const mcr_config *cfg, const mcr_leg *l, double spot, double tau)
{
    mcr_euro o = leg_euro(cfg, l, spot, tau);
    return mcr_bs_price(&o, leg_vol(cfg, l, spot, tau));
}

static double payoff(const mcr_leg *l, double spot)
{
    double x = l->payoff == MCR_CALL ? spot - l->strike : l->strike - spot;
    return x > 0.0 ? x : 0.0;
}

/* ---- plan ---- */

static int step_of_expiry(double expiry, double dt, int steps)
{
    double k = expiry / dt;
    int step = (int)ceil(k - 1e-9); /* an expiry on the grid settles at that step */
    return step > steps ? steps + 1 : (step < 1 ? 1 : step);
}

static mcr_leg make_leg(const mcr_hedge_plan *p, int asset, mcr_payoff type, double strike,
                        double expiry_days, double qty)
{
    mcr_leg l = {.asset = asset, .payoff = type, .strike = strike, .expiry = expiry_days / 365.0,
                 .quantity = qty};
    l.expiry_step = step_of_expiry(l.expiry, p->dt, p->steps);
    l.price0 = leg_value(p->cfg, &l, p->spot0[asset], l.expiry);
    return l;
}

/* The call strike (relative) at which a sold call's premium equals `premium` (bisection on the
 * call price, decreasing in the strike; the solution is unique). */
static double zero_cost_call_strike(const mcr_hedge_plan *p, int asset, double expiry_days,
                                    double premium_per_unit)
{
    double lo = 1e-3, hi = 50.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        mcr_leg c = make_leg(p, asset, MCR_CALL, mid * p->spot0[asset], expiry_days, 1.0);
        if (c.price0 > premium_per_unit)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static void plan_overlay(mcr_hedge_plan *p, const mcr_strategy *s, struct mcr_overlay *o)
{
    int a = s->asset;
    double s0 = p->spot0[a];
    double days = s->expiry_days > 0 ? s->expiry_days : p->horizon * 365.0;
    double qty = s->quantity != 0 ? s->quantity : p->book_spot[a];
    memset(o, 0, sizeof *o);
    o->strategy = s;
    o->every_steps = s->every_steps > 0 ? s->every_steps : 1;
    o->greek_every = p->steps > MCR_GREEK_SAMPLES ? p->steps / MCR_GREEK_SAMPLES : 1;
    switch (s->type) {
    case MCR_STRATEGY_PROTECTIVE_PUT:
        o->legs[o->n_legs++] = make_leg(p, a, MCR_PUT, s->strike * s0, days, qty);
        break;
    case MCR_STRATEGY_COVERED_CALL:
        o->legs[o->n_legs++] = make_leg(p, a, MCR_CALL, s->strike * s0, days, -qty);
        break;
    case MCR_STRATEGY_COLLAR:
    case MCR_STRATEGY_PUT_SPREAD_COLLAR: {
        mcr_leg put = make_leg(p, a, MCR_PUT, s->put_strike * s0, days, qty);
        o->legs[o->n_legs++] = put;
        double net = put.price0; /* per unit, paid */
        if (s->type == MCR_STRATEGY_PUT_SPREAD_COLLAR) {
            mcr_leg low = make_leg(p, a, MCR_PUT, s->lower_put_strike * s0, days, -qty);
            o->legs[o->n_legs++] = low;
            net -= low.price0;
        }
        double k = s->call_strike_auto ? zero_cost_call_strike(p, a, days, net) : s->call_strike;
        o->legs[o->n_legs++] = make_leg(p, a, MCR_CALL, k * s0, days, -qty);
        break;
    }
    default:
        break;
    }
    for (int l = 0; l < o->n_legs; l++)
        o->premium0 += o->legs[l].quantity * o->legs[l].price0;
}

mcr_status mcr_hedge_plan_init(mcr_hedge_plan *p, const mcr_config *cfg, int scenario,
                               mcr_error *err)
{
    (void)scenario;
    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    p->n_assets = cfg->n_assets;
    p->steps = cfg->steps;
    p->dt = mcr_config_dt(cfg);
    p->horizon = cfg->horizon_days / 365.0;
    p->rate = cfg->rate;
    for (int a = 0; a < cfg->n_assets; a++)
        p->spot0[a] = cfg->assets[a].spot;

    p->growth = malloc((size_t)(p->steps + 1) * sizeof *p->growth);
    p->funding = calloc((size_t)(p->steps + 1), 1);
    if (!p->growth || !p->funding) {
        mcr_hedge_plan_free(p);
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the hedge plan");
    }
    for (int t = 0; t <= p->steps; t++)
        p->growth[t] = exp(p->rate * (p->horizon - t * p->dt));
    /* Funding time k interval falls in step t = ceil(k interval / dt): the position held over
     * that step is the one open at the funding time. */
    double interval = cfg->funding.interval_hours / 24.0 / 365.0;
    if (interval > 0)
        for (int k = 1; k * interval <= p->horizon * (1 + 1e-12); k++) {
            int t = (int)ceil(k * interval / p->dt - 1e-9);
            p->funding[t > p->steps ? p->steps : t] = 1;
        }

    for (int i = 0; i < cfg->n_positions; i++) {
        const mcr_position *pos = &cfg->portfolio[i];
        if (pos->instrument == MCR_INSTRUMENT_SPOT) {
            p->book_spot[pos->asset] += pos->quantity;
            p->book_value0 += pos->quantity * p->spot0[pos->asset];
        } else if (pos->instrument == MCR_INSTRUMENT_CALL || pos->instrument == MCR_INSTRUMENT_PUT) {
            mcr_leg l = make_leg(p, pos->asset,
                                 pos->instrument == MCR_INSTRUMENT_CALL ? MCR_CALL : MCR_PUT,
                                 pos->strike, pos->expiry_days, pos->quantity);
            p->book_legs[p->n_book_legs++] = l;
            p->book_value0 += l.quantity * l.price0;
        } else {
            mcr_hedge_plan_free(p);
            return mcr_fail(err, MCR_ERR_INPUT, "portfolio[%d].instrument: perpetuals belong in "
                            "strategies; allowed in the portfolio: spot, call, put", i);
        }
    }
    p->n_overlays = cfg->n_strategies;
    p->needs_path = p->n_book_legs > 0;
    for (int s = 0; s < cfg->n_strategies; s++) {
        plan_overlay(p, &cfg->strategies[s], &p->overlays[s]);
        p->needs_path |= p->overlays[s].n_legs > 0 || cfg->strategies[s].type ==
                         MCR_STRATEGY_PERP_HEDGE || cfg->strategies[s].type == MCR_STRATEGY_DELTA_HEDGE;
    }
    return MCR_OK;
}

void mcr_hedge_plan_free(mcr_hedge_plan *p)
{
    free(p->growth);
    free(p->funding);
    p->growth = NULL;
    p->funding = NULL;
}

/* ---- per-block state ---- */

/* One strategy's state for the paths of a block (structure of arrays). */
typedef struct overlay_state {
    double q[NP];        /* hedge position: units (spot, linear perp) or USD notional (inverse) */
    double account[NP];  /* isolated margin account: quote (linear) or coin (inverse) */
    double coin[NP][MCR_N_COMPONENTS]; /* coin flows by component, converted at S_T */
    double comp[MCR_N_COMPONENTS][NP]; /* quote flows carried to the horizon */
    double greek[3][NP];
    double interval_log[NP]; /* ln S at the last funding time (stochastic funding) */
    mcr_pcg32 noise[NP];     /* independent funding noise, one draw per funding time */
    int32_t liq_step[NP];
    uint32_t trades[NP];
    int greek_samples;
} overlay_state;

struct mcr_hedge_work {
    const mcr_hedge_plan *plan;
    uint64_t first;
    double last[MCR_MAX_ASSETS][NP];   /* S at the previous step */
    double book_cash[NP];              /* book option settlements carried to T */
    double book_delta[NP];             /* book delta on the hedged asset (scratch) */
    overlay_state st[];                /* one per strategy */
};

mcr_hedge_work *mcr_hedge_work_new(const mcr_hedge_plan *p)
{
    size_t size = sizeof(mcr_hedge_work) + (size_t)p->n_overlays * sizeof(overlay_state);
    mcr_hedge_work *w = aligned_alloc(64, (size + 63) / 64 * 64);
    if (w)
        w->plan = p;
    return w;
}

void mcr_hedge_work_free(mcr_hedge_work *w) { free(w); }

static bool is_perp(mcr_instrument i)
{
    return i == MCR_INSTRUMENT_LINEAR_PERP || i == MCR_INSTRUMENT_INVERSE_PERP;
}

/* Stream of the funding noise of a path: a stream of its own, far from the price streams. */
#define MCR_FUNDING_STREAM (UINT64_C(1) << 62)

void mcr_hedge_begin(mcr_hedge_work *w, uint64_t first)
{
    const mcr_hedge_plan *p = w->plan;
    w->first = first;
    for (int a = 0; a < p->n_assets; a++)
        for (int i = 0; i < NP; i++)
            w->last[a][i] = p->spot0[a];
    memset(w->book_cash, 0, sizeof w->book_cash);
    for (int s = 0; s < p->n_overlays; s++) {
        overlay_state *o = &w->st[s];
        memset(o, 0, offsetof(overlay_state, noise));
        o->greek_samples = 0;
        for (int i = 0; i < NP; i++) {
            o->liq_step[i] = -1;
            o->trades[i] = 0;
            o->interval_log[i] = log(p->spot0[p->overlays[s].strategy->asset]);
        }
        if (p->cfg->funding.mode == MCR_FUNDING_STOCHASTIC)
            for (int i = 0; i < NP; i++)
                o->noise[i] = mcr_pcg32_for_path(p->cfg->seed ^ MCR_FUNDING_STREAM, first + i);
    }
}

/* Book delta on asset a at step t (tau measured from t), for the paths of a block. */
static void book_delta(const mcr_hedge_plan *p, int a, int t, const double *s, double *delta)
{
    for (int i = 0; i < NP; i++)
        delta[i] = p->book_spot[a];
    for (int l = 0; l < p->n_book_legs; l++) {
        const mcr_leg *leg = &p->book_legs[l];
        double tau = leg->expiry - t * p->dt;
        if (leg->asset != a || leg->expiry_step <= t || tau <= 0)
            continue;
        for (int i = 0; i < NP; i++) {
            mcr_euro o = leg_euro(p->cfg, leg, s[i], tau);
            delta[i] += leg->quantity * mcr_bs_delta(&o, leg_vol(p->cfg, leg, s[i], tau));
        }
    }
}

/* Delta, gamma and vega of a set of legs at step t. */
static void legs_greeks(const mcr_hedge_plan *p, const mcr_leg *legs, int n, int a, int t,
                        double s, double g[3])
{
    for (int l = 0; l < n; l++) {
        const mcr_leg *leg = &legs[l];
        double tau = leg->expiry - t * p->dt;
        if (leg->asset != a || leg->expiry_step <= t || tau <= 0)
            continue;
        mcr_euro o = leg_euro(p->cfg, leg, s, tau);
        mcr_bs_greeks gr = mcr_bs_greeks_of(&o, leg_vol(p->cfg, leg, s, tau));
        g[0] += leg->quantity * gr.delta;
        g[1] += leg->quantity * gr.gamma;
        g[2] += leg->quantity * gr.vega;
    }
}

/* Trade `dq` (units or USD for inverse) at price s: fees and slippage, in quote or in coin. */
static void trade_costs(const mcr_config *cfg, overlay_state *o, int i, double notional,
                        bool in_coin, double s, double g)
{
    const mcr_costs *c = &cfg->costs;
    double fee = notional * c->fee_bps * 1e-4;
    double slip = notional * (c->slippage_bps * 1e-4 +
                              (c->impact > 0 ? c->impact * sqrt(notional / c->impact_notional) : 0));
    if (in_coin) {
        o->coin[i][MCR_PNL_FEES] -= fee / s;
        o->coin[i][MCR_PNL_SLIPPAGE] -= slip / s;
    } else {
        o->comp[MCR_PNL_FEES][i] -= fee * g;
        o->comp[MCR_PNL_SLIPPAGE][i] -= slip * g;
    }
}

/* Move the hedge of path i to `target` at step t and price s. */
static void rebalance(const mcr_hedge_plan *p, overlay_state *o, const mcr_strategy *st, int i,
                      double target, double s, double g)
{
    double dq = target - o->q[i];
    if (dq == 0.0)
        return;
    bool inverse = st->instrument == MCR_INSTRUMENT_INVERSE_PERP;
    double notional = fabs(dq) * (inverse ? 1.0 : s);
    trade_costs(p->cfg, o, i, notional, inverse, s, g);
    o->q[i] = target;
    o->trades[i]++;
    if (is_perp(st->instrument) && p->cfg->margin.mode != MCR_MARGIN_NONE) {
        /* top the isolated account up to the initial margin of the new notional */
        double need = p->cfg->margin.initial * fabs(target) * (inverse ? 1.0 / s : s);
        if (o->account[i] < need) {
            double add = need - o->account[i];
            o->account[i] = need;
            if (inverse) { /* coin collateral bought with cash: its exposure is the hedge's */
                o->coin[i][MCR_PNL_HEDGE] += add;
                o->comp[MCR_PNL_HEDGE][i] -= add * s * g;
            }
        }
    }
}

/* The hedge target of path i: -hedge_ratio x the book's delta, the coin already held counted
 * for inverse perpetuals (the collateral's own delta), in the hedge's units. */
static double hedge_target(const mcr_strategy *st, const overlay_state *o, int i, double delta,
                           double s)
{
    double target = -st->hedge_ratio * delta;
    if (st->instrument == MCR_INSTRUMENT_INVERSE_PERP) {
        double coin = 0;
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            coin += o->coin[i][c];
        return (target - coin) * s;
    }
    return target;
}

static double hedge_delta(const mcr_strategy *st, const overlay_state *o, int i, double s)
{
    if (st->instrument != MCR_INSTRUMENT_INVERSE_PERP)
        return o->q[i];
    double coin = 0;
    for (int c = 0; c < MCR_N_COMPONENTS; c++)
        coin += o->coin[i][c];
    return o->q[i] / s + coin;
}

/* Mark the perpetual or spot hedge of path i from s_prev to s over one step, pay funding, charge
 * financing and yield, and liquidate if the margin account falls below maintenance. */
static void carry_position(const mcr_hedge_plan *p, overlay_state *o, const mcr_strategy *st,
                           int i, int t, double s_prev, double s, double funding_rate,
                           double book_spot_value)
{
    const mcr_margin *m = &p->cfg->margin;
    double g = p->growth[t], q = o->q[i];
    if (st->instrument == MCR_INSTRUMENT_INVERSE_PERP) {
        double vm = q * (1.0 / s_prev - 1.0 / s); /* coin */
        double fund = p->funding[t] ? -q * funding_rate / s : 0.0;
        o->coin[i][MCR_PNL_HEDGE] += vm;
        o->coin[i][MCR_PNL_FUNDING] += fund;
        o->account[i] += vm + fund;
    } else {
        double vm = q * (s - s_prev);
        double fund = p->funding[t] && st->instrument == MCR_INSTRUMENT_LINEAR_PERP
                          ? -q * s * funding_rate : 0.0;
        o->comp[MCR_PNL_HEDGE][i] += vm * g;
        o->comp[MCR_PNL_FUNDING][i] += fund * g;
        if (st->instrument == MCR_INSTRUMENT_SPOT) /* the cash that carries the position */
            o->comp[MCR_PNL_FINANCING][i] -= q * s_prev * expm1(p->rate * p->dt) * g;
        else
            o->account[i] += vm + fund;
    }
    if (st->collateral_yield > 0)
        o->comp[MCR_PNL_YIELD][i] += st->collateral_yield * p->dt * g *
            (st->instrument == MCR_INSTRUMENT_INVERSE_PERP ? o->account[i] * s : o->account[i]);

    if (!is_perp(st->instrument) || m->mode == MCR_MARGIN_NONE || q == 0.0)
        return;
    bool inverse = st->instrument == MCR_INSTRUMENT_INVERSE_PERP;
    double notional = fabs(q) * (inverse ? 1.0 / s : s); /* in the account's currency */
    double equity = o->account[i];
    if (m->mode == MCR_MARGIN_CROSS) /* the book's spot counts as collateral */
        equity += inverse ? book_spot_value / s : book_spot_value;
    if (equity >= m->maintenance * notional)
        return;
    /* Liquidation: closed at this step's price less the fee; a deficit beyond the account is
     * the exchange's (insurance fund), so the loss stops at the account. */
    double fee = m->liquidation_fee * notional, left = o->account[i] - fee;
    double deficit = left < 0 ? -left : 0.0;
    if (inverse) {
        o->coin[i][MCR_PNL_FEES] -= fee;
        o->coin[i][MCR_PNL_HEDGE] += deficit;
    } else {
        o->comp[MCR_PNL_FEES][i] -= fee * g;
        o->comp[MCR_PNL_HEDGE][i] += deficit * g;
    }
    o->account[i] = 0.0;
    o->q[i] = 0.0;
    o->liq_step[i] = t;
}

static double funding_rate_of(const mcr_config *cfg, overlay_state *o, int i, double log_s)
{
    const mcr_funding *f = &cfg->funding;
    if (f->mode == MCR_FUNDING_CONSTANT)
        return f->rate;
    double z = mcr_norm_quantile(((double)mcr_pcg32_next(&o->noise[i]) + 0.5) * 0x1p-32);
    double r = f->rate + f->beta * (log_s - o->interval_log[i]) + f->noise * z;
    o->interval_log[i] = log_s;
    return r > f->cap ? f->cap : (r < -f->cap ? -f->cap : r);
}

static void overlay_step(const mcr_hedge_plan *p, int s_idx, overlay_state *o, int t,
                         const double *s, const double *s_prev, double *delta_scratch)
{
    const struct mcr_overlay *ov = &p->overlays[s_idx];
    const mcr_strategy *st = ov->strategy;
    int a = st->asset;
    double g = p->growth[t];

    /* option legs settle at their expiry step */
    for (int l = 0; l < ov->n_legs; l++)
        if (ov->legs[l].expiry_step == t)
            for (int i = 0; i < NP; i++)
                o->comp[MCR_PNL_HEDGE][i] += ov->legs[l].quantity * payoff(&ov->legs[l], s[i]) * g;

    bool positions = st->type == MCR_STRATEGY_PERP_HEDGE || st->type == MCR_STRATEGY_DELTA_HEDGE;
    if (positions) {
        for (int i = 0; i < NP; i++) {
            double rate = p->funding[t] ? funding_rate_of(p->cfg, o, i, log(s[i])) : 0.0;
            carry_position(p, o, st, i, t, s_prev[i], s[i], rate, p->book_spot[a] * s[i]);
        }
    }
    bool dynamic = st->type == MCR_STRATEGY_DELTA_HEDGE && t < p->steps;
    bool sample = t % ov->greek_every == 0 && t < p->steps;
    if (!dynamic && !sample)
        return;
    book_delta(p, a, t, s, delta_scratch);
    if (dynamic) {
        bool on_schedule = st->band <= 0 && t % ov->every_steps == 0;
        for (int i = 0; i < NP; i++) {
            if (o->liq_step[i] >= 0)
                continue; /* unhedged after a liquidation */
            double net = delta_scratch[i] + hedge_delta(st, o, i, s[i]);
            if (on_schedule || (st->band > 0 && fabs(net) > st->band))
                rebalance(p, o, st, i, hedge_target(st, o, i, delta_scratch[i], s[i]), s[i], g);
        }
    }
    if (sample) {
        for (int i = 0; i < NP; i++) {
            double gr[3] = {p->book_spot[a] + hedge_delta(st, o, i, s[i]), 0, 0};
            legs_greeks(p, p->book_legs, p->n_book_legs, a, t, s[i], gr);
            legs_greeks(p, ov->legs, ov->n_legs, a, t, s[i], gr);
            for (int k = 0; k < 3; k++)
                o->greek[k][i] += gr[k];
        }
        o->greek_samples++;
    }
}

/* The t = 0 actions: static perp hedges open, delta hedges take their first position. */
static void overlay_open(const mcr_hedge_plan *p, int s_idx, overlay_state *o, double *delta)
{
    const mcr_strategy *st = p->overlays[s_idx].strategy;
    if (st->type != MCR_STRATEGY_PERP_HEDGE)
        return;
    int a = st->asset;
    double s[NP];
    for (int i = 0; i < NP; i++)
        s[i] = p->spot0[a];
    book_delta(p, a, 0, s, delta);
    for (int i = 0; i < NP; i++)
        rebalance(p, o, st, i, hedge_target(st, o, i, delta[i], s[i]), s[i], p->growth[0]);
}

void mcr_hedge_steps(mcr_hedge_work *w, int t0, int n, const double *const *price)
{
    const mcr_hedge_plan *p = w->plan;
    if (t0 == 0) /* t = 0: static hedges open, delta hedges trade, greeks take a first sample */
        for (int s = 0; s < p->n_overlays; s++) {
            double s0[NP];
            for (int i = 0; i < NP; i++)
                s0[i] = p->spot0[p->overlays[s].strategy->asset];
            overlay_open(p, s, &w->st[s], w->book_delta);
            overlay_step(p, s, &w->st[s], 0, s0, s0, w->book_delta);
        }
    for (int k = 0; k < n; k++) {
        int t = t0 + k + 1;
        for (int l = 0; l < p->n_book_legs; l++) {
            const mcr_leg *leg = &p->book_legs[l];
            if (leg->expiry_step != t)
                continue;
            const double *s = price[leg->asset] + (size_t)k * NP;
            for (int i = 0; i < NP; i++)
                w->book_cash[i] += leg->quantity * payoff(leg, s[i]) * p->growth[t];
        }
        for (int s = 0; s < p->n_overlays; s++) {
            int a = p->overlays[s].strategy->asset;
            overlay_step(p, s, &w->st[s], t, price[a] + (size_t)k * NP, w->last[a],
                         w->book_delta);
        }
        for (int a = 0; a < p->n_assets; a++)
            memcpy(w->last[a], price[a] + (size_t)k * NP, sizeof w->last[a]);
    }
}

void mcr_hedge_jump(mcr_hedge_work *w, const double *const *price)
{
    for (int a = 0; a < w->plan->n_assets; a++)
        memcpy(w->last[a], price[a], sizeof w->last[a]);
}

void mcr_hedge_end(mcr_hedge_work *w, int count, mcr_hedge_out *out)
{
    const mcr_hedge_plan *p = w->plan;
    const mcr_config *cfg = p->cfg;
    double value0_at_t = p->book_value0 * p->growth[0];
    for (int i = 0; i < count; i++) {
        /* the book: spot marked at S_T, options settled (book_cash) or marked on the surface */
        double book = w->book_cash[i] - value0_at_t;
        for (int a = 0; a < p->n_assets; a++)
            book += p->book_spot[a] * w->last[a][i];
        for (int l = 0; l < p->n_book_legs; l++) {
            const mcr_leg *leg = &p->book_legs[l];
            if (leg->expiry_step > p->steps)
                book += leg->quantity *
                        leg_value(cfg, leg, w->last[leg->asset][i], leg->expiry - p->horizon);
        }
        uint64_t path = w->first + (uint64_t)i;
        for (int s = 0; s < p->n_overlays; s++) {
            const struct mcr_overlay *ov = &p->overlays[s];
            overlay_state *o = &w->st[s];
            double s_t = w->last[ov->strategy->asset][i];
            double comp[MCR_N_COMPONENTS];
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                comp[c] = o->comp[c][i] + o->coin[i][c] * s_t;
            comp[MCR_PNL_BOOK] = book;
            comp[MCR_PNL_PREMIUM] -= ov->premium0 * p->growth[0];
            for (int l = 0; l < ov->n_legs; l++) /* legs that outlive the horizon: marked */
                if (ov->legs[l].expiry_step > p->steps)
                    comp[MCR_PNL_HEDGE] += ov->legs[l].quantity *
                        leg_value(cfg, &ov->legs[l], s_t, ov->legs[l].expiry - p->horizon);
            double total = 0;
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                total += comp[c];
            mcr_hedge_out *h = &out[s];
            h->pnl[path] = total;
            if (h->component[0])
                for (int c = 0; c < MCR_N_COMPONENTS; c++)
                    h->component[c][path] = comp[c];
            if (h->liquidation_step)
                h->liquidation_step[path] = o->liq_step[i];
            if (h->trades)
                h->trades[path] = o->trades[i];
            if (h->greeks[0])
                for (int k = 0; k < 3; k++)
                    h->greeks[k][path] = o->greek_samples ? o->greek[k][i] / o->greek_samples : 0;
        }
    }
}
