/* The strategy engine: plan (premiums, zero-cost strikes, funding times) and the per-block,
 * per-step evaluation of the book and every strategy on shared prices. See hedge.h for the
 * accounting; the loops run over the paths of a block innermost, on structure-of-arrays state. */
#include "hedge.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/pcg32.h"
#include "models/normal.h"
#include "models/vol_surface.h"

#define NP MCR_BLOCK_PATHS
/* Net greeks are sampled at about this many dates over the horizon: their time average converges
 * long before every step is visited, and per-step greeks of every option would dominate the cost
 * of static strategies. */
#define MCR_GREEK_SAMPLES 32

/* ---- pricing on the implied-vol surface ---- */

static double leg_vol(const mcr_hedge_plan *p, const mcr_leg *l, double spot, double tau)
{
    double forward = spot * exp(p->rate * tau);
    return mcr_vol_surface_vol(&p->surface[l->asset], l->strike, forward, tau);
}

static mcr_euro leg_euro(const mcr_hedge_plan *p, const mcr_leg *l, double spot, double tau)
{
    return (mcr_euro){.payoff = l->payoff, .spot = spot, .strike = l->strike, .expiry = tau,
                      .rate = p->rate, .yield = 0.0};
}

/* Value per unit of a leg with tau years left, marked on the scenario's surface. */
static double leg_value(const mcr_hedge_plan *p, const mcr_leg *l, double spot, double tau)
{
    mcr_euro o = leg_euro(p, l, spot, tau);
    return mcr_bs_price(&o, leg_vol(p, l, spot, tau));
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

/* A leg bought or sold at t0: its premium is the market's price before any stress, on the
 * market's own surface; the scenario's surface (implied_vol_shift, skew_shift) marks it and
 * gives its deltas afterwards, so a vol shock shows up as a mark-to-market gain or loss. */
static mcr_leg make_leg(const mcr_hedge_plan *p, int asset, mcr_payoff type, double strike,
                        double expiry_days, double qty)
{
    mcr_leg l = {.asset = asset, .payoff = type, .strike = strike, .expiry = expiry_days / 365.0,
                 .quantity = qty};
    l.expiry_step = step_of_expiry(l.expiry, p->dt, p->steps);
    const mcr_vol_surface *market = &p->cfg->assets[asset].implied_vol;
    double s0 = p->spot0[asset], forward = s0 * exp(p->rate * l.expiry);
    mcr_euro o = leg_euro(p, &l, s0, l.expiry);
    l.price0 = mcr_bs_price(&o, mcr_vol_surface_vol(market, strike, forward, l.expiry));
    return l;
}

/* Price per unit of a call struck at k x S0 (the zero-cost solver's objective). */
static double call_price_at(const mcr_hedge_plan *p, int asset, double expiry_days, double k)
{
    return make_leg(p, asset, MCR_CALL, k * p->spot0[asset], expiry_days, 1.0).price0;
}

/* The call strike (relative) at which a sold call's premium equals `premium`. A smile can make
 * far out-of-the-money calls dear again, so the root is bracketed from the money upwards (the
 * first strike whose call is cheap enough) and then bisected, where the price decreases. */
static double zero_cost_call_strike(const mcr_hedge_plan *p, int asset, double expiry_days,
                                    double premium)
{
    double lo = 1e-3, hi = 1.0;
    while (call_price_at(p, asset, expiry_days, hi) > premium && hi < 64.0) {
        lo = hi;
        hi *= 1.25;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (call_price_at(p, asset, expiry_days, mid) > premium)
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

/* The funding rate per interval in force at `day` in scenario sc: funding.rate plus the shift, or
 * the funding path's piece (funding.rate before its first piece). */
static double funding_rate_at(const mcr_config *cfg, const mcr_scenario *sc, double day)
{
    double rate = cfg->funding.rate + sc->funding_shift;
    for (int k = 0; k < sc->n_funding_path; k++)
        if (sc->funding_path[k].from_day <= day * (1 + 1e-12))
            rate = sc->funding_path[k].rate;
    return rate;
}

/* A window of days as steps [from, to), or the empty window. */
static void window_steps(const mcr_config *cfg, bool given, mcr_day_window w, int *from, int *to)
{
    *from = given ? mcr_config_step_at(cfg, w.from_day) : 0;
    *to = given ? mcr_config_step_at(cfg, w.to_day) : 0;
}

/* The scenario's surfaces, costs, stress windows. */
static void plan_scenario(mcr_hedge_plan *p, const mcr_config *cfg, int scenario)
{
    const mcr_scenario *sc = &cfg->scenarios[scenario];
    for (int a = 0; a < cfg->n_assets; a++)
        p->surface[a] = mcr_scenario_surface(cfg, scenario, a);
    p->costs = cfg->costs;
    p->costs.slippage_bps *= sc->slippage_multiplier > 0 ? sc->slippage_multiplier : 1.0;
    p->costs.impact *= sc->impact_multiplier > 0 ? sc->impact_multiplier : 1.0;
    window_steps(cfg, sc->has_no_rebalance, sc->no_rebalance, &p->no_trade_from,
                 &p->no_trade_to);
    window_steps(cfg, sc->has_depeg, sc->depeg, &p->depeg_from, &p->depeg_to);
    p->depeg_price = sc->has_depeg ? sc->depeg_price : 1.0;
}

mcr_status mcr_hedge_plan_init(mcr_hedge_plan *p, const mcr_config *cfg, int scenario,
                               mcr_error *err)
{
    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    p->n_assets = cfg->n_assets;
    p->steps = cfg->steps;
    p->dt = mcr_config_dt(cfg);
    p->horizon = cfg->horizon_days / 365.0;
    p->rate = cfg->rate;
    for (int a = 0; a < cfg->n_assets; a++)
        p->spot0[a] = cfg->assets[a].spot;

    plan_scenario(p, cfg, scenario);
    p->growth = malloc((size_t)(p->steps + 1) * sizeof *p->growth);
    p->funding = calloc((size_t)(p->steps + 1), 1);
    p->funding_rate = calloc((size_t)(p->steps + 1), sizeof *p->funding_rate);
    if (!p->growth || !p->funding || !p->funding_rate) {
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
            t = t > p->steps ? p->steps : t;
            p->funding[t] = 1;
            p->funding_rate[t] = funding_rate_at(cfg, &cfg->scenarios[scenario],
                                                 k * interval * 365.0);
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
    p->greek_every = p->steps > MCR_GREEK_SAMPLES ? p->steps / MCR_GREEK_SAMPLES : 1;
    p->n_overlays = cfg->n_strategies;
    p->needs_path = p->n_book_legs > 0;
    for (int s = 0; s < cfg->n_strategies; s++) {
        plan_overlay(p, &cfg->strategies[s], &p->overlays[s]);
        if (cfg->strategies[s].type == MCR_STRATEGY_DELTA_HEDGE)
            p->delta_needed[cfg->strategies[s].asset] = true;
        p->needs_path |= p->overlays[s].n_legs > 0 || cfg->strategies[s].type ==
                         MCR_STRATEGY_PERP_HEDGE || cfg->strategies[s].type == MCR_STRATEGY_DELTA_HEDGE;
    }
    return MCR_OK;
}

void mcr_hedge_plan_free(mcr_hedge_plan *p)
{
    free(p->growth);
    free(p->funding);
    free(p->funding_rate);
    p->growth = NULL;
    p->funding = NULL;
    p->funding_rate = NULL;
}

/* ---- per-block state ---- */

/* One strategy's state for the paths of a block, structure of arrays so that every per-step loop
 * over the paths is straight-line code the compiler vectorizes. */
typedef struct overlay_state {
    double q[NP];       /* hedge position: units (spot, linear perp) or USD notional (inverse) */
    double account[NP]; /* isolated margin account: quote (linear) or coin (inverse) */
    double coin_held[NP];                  /* coin owned (inverse): collateral plus coin flows */
    double comp[MCR_N_COMPONENTS][NP];     /* quote flows carried to the horizon */
    double coin[MCR_N_COMPONENTS][NP];     /* coin flows by component, converted at S_T */
    double greek[3][NP];
    double interval_log[NP];               /* ln S at the last funding time (stochastic) */
    mcr_pcg32 noise[NP];                   /* funding noise, one draw per funding time */
    int32_t liq_step[NP];
    uint32_t trades[NP];
    int greek_samples;
} overlay_state;

struct mcr_hedge_work {
    const mcr_hedge_plan *plan;
    const mcr_kernels *k;
    uint64_t first;
    double last[MCR_MAX_SIM_ASSETS][NP]; /* S at the previous step */
    double book_cash[NP];                /* book option settlements carried to T */
    /* book delta per asset and step of the current chunk, for the dynamic hedges */
    double chunk_delta[MCR_MAX_SIM_ASSETS][MCR_HEDGE_CHUNK * NP];
    double book_greek[3][NP];            /* the book's greeks at a sample step (scratch) */
    double d1[MCR_HEDGE_CHUNK * NP], nd1[MCR_HEDGE_CHUNK * NP], pdf[NP];
    overlay_state st[];                  /* one per strategy */
};

mcr_hedge_work *mcr_hedge_work_new(const mcr_hedge_plan *p, const mcr_kernels *k)
{
    size_t size = sizeof(mcr_hedge_work) + (size_t)p->n_overlays * sizeof(overlay_state);
    mcr_hedge_work *w = aligned_alloc(64, (size + 63) / 64 * 64);
    if (w) {
        w->plan = p;
        w->k = k;
    }
    return w;
}

void mcr_hedge_work_free(mcr_hedge_work *w) { free(w); }

static bool is_perp(mcr_instrument i)
{
    return i == MCR_INSTRUMENT_LINEAR_PERP || i == MCR_INSTRUMENT_INVERSE_PERP;
}

/* The funding noise of a path draws from a stream of its own: the asset slot no simulated asset
 * uses (the price streams are assets 0 .. MCR_KERNEL_MAX_ASSETS - 1), so it never shares an LCG
 * sequence with the prices. */
#define MCR_FUNDING_STREAM 255

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
        double log_s0 = log(p->spot0[p->overlays[s].strategy->asset]);
        for (int i = 0; i < NP; i++) {
            o->liq_step[i] = -1;
            o->trades[i] = 0;
            o->interval_log[i] = log_s0;
        }
        if (p->cfg->funding.mode == MCR_FUNDING_STOCHASTIC)
            for (int i = 0; i < NP; i++)
                o->noise[i] = mcr_pcg32_for_asset(p->cfg->seed, MCR_FUNDING_STREAM, first + i);
    }
}

/* ---- option greeks on the surface, for the paths of a block ---- */

/* d1 of leg l for every path of a row at tau years to expiry, on the leg's smile slice. */
static void leg_d1(const mcr_hedge_plan *p, const mcr_leg *leg, double tau, const double *log_s,
                   double *d1, double *vol_sq)
{
    double sq = sqrt(tau), inv_sq = 1.0 / sq, log_k = log(leg->strike), r = p->rate;
    mcr_vol_slice slice = mcr_vol_surface_slice(&p->surface[leg->asset], tau);
    for (int i = 0; i < NP; i++) {
        double m = log_s[i] - log_k; /* ln(S/K); the smile's x = ln(K/F) / sqrt(tau) */
        double vol = mcr_vol_slice_vol(&slice, (-m - r * tau) * inv_sq);
        d1[i] = (m + (r + 0.5 * vol * vol) * tau) / (vol * sq);
        if (vol_sq)
            vol_sq[i] = vol * sq;
    }
}

/* Book delta on asset a at steps t0 + 1 .. t0 + n of a chunk, into w->chunk_delta[a]: d1 of every
 * path and step, then one array call of the normal CDF per leg. */
static void chunk_book_delta(mcr_hedge_work *w, int a, int t0, int n, const double *log_s,
                             int stride)
{
    const mcr_hedge_plan *p = w->plan;
    double *delta = w->chunk_delta[a];
    for (int j = 0; j < n * NP; j++)
        delta[j] = p->book_spot[a];
    for (int l = 0; l < p->n_book_legs; l++) {
        const mcr_leg *leg = &p->book_legs[l];
        int live = 0; /* steps of the chunk before the leg's expiry */
        while (live < n && t0 + live + 1 < leg->expiry_step)
            live++;
        if (leg->asset != a || live == 0)
            continue;
        for (int k = 0; k < live; k++)
            leg_d1(p, leg, leg->expiry - (t0 + k + 1) * p->dt, log_s + (size_t)k * stride,
                   w->d1 + (size_t)k * NP, NULL);
        w->k->norm_cdf(w->d1, w->nd1, live * NP);
        double put_shift = leg->payoff == MCR_PUT ? -1.0 : 0.0;
        for (int j = 0; j < live * NP; j++)
            delta[j] += leg->quantity * (w->nd1[j] + put_shift);
    }
}

/* Add the delta, gamma and vega of `legs` on asset a at step t to g[3][NP]. */
static void add_legs_greeks(mcr_hedge_work *w, const mcr_leg *legs, int n_legs, int a, int t,
                            const double *s, const double *log_s, double g[3][NP])
{
    const mcr_hedge_plan *p = w->plan;
    double vol_sq[NP];
    for (int l = 0; l < n_legs; l++) {
        const mcr_leg *leg = &legs[l];
        double tau = leg->expiry - t * p->dt;
        if (leg->asset != a || leg->expiry_step <= t || tau <= 0)
            continue;
        leg_d1(p, leg, tau, log_s, w->d1, vol_sq);
        for (int i = 0; i < NP; i++)
            w->nd1[i] = -0.5 * w->d1[i] * w->d1[i];
        w->k->exp(w->nd1, w->pdf, NP);
        w->k->norm_cdf(w->d1, w->nd1, NP);
        double put_shift = leg->payoff == MCR_PUT ? -1.0 : 0.0, q = leg->quantity;
        double sq = sqrt(tau);
        for (int i = 0; i < NP; i++) {
            double pdf = 0.39894228040143267794 * w->pdf[i]; /* phi(d1) */
            g[0][i] += q * (w->nd1[i] + put_shift);        /* delta */
            g[1][i] += q * pdf / (s[i] * vol_sq[i]);       /* gamma = phi / (S vol sqrt(tau)) */
            g[2][i] += q * s[i] * pdf * sq;                /* vega = S phi sqrt(tau) */
        }
    }
}

/* ---- positions: spot and perpetual hedges ---- */

/* The hedge's own delta (asset units) of every path. */
static void hedge_delta(const mcr_strategy *st, const overlay_state *o, const double *s,
                        double *out)
{
    if (st->instrument == MCR_INSTRUMENT_INVERSE_PERP)
        for (int i = 0; i < NP; i++)
            out[i] = o->q[i] / s[i] + o->coin_held[i]; /* the contract's and the coin's */
    else
        for (int i = 0; i < NP; i++)
            out[i] = o->q[i];
}

/* The funding rate of the interval ending at step t, per path (constant or stochastic, around
 * the scenario's rate of that interval). */
static void funding_rates(const mcr_hedge_plan *p, int t, overlay_state *o, const double *log_s,
                          double *rate)
{
    const mcr_funding *f = &p->cfg->funding;
    double base = p->funding_rate[t];
    for (int i = 0; i < NP; i++) {
        if (f->mode == MCR_FUNDING_CONSTANT) {
            rate[i] = base;
            continue;
        }
        double z = mcr_norm_quantile(((double)mcr_pcg32_next(&o->noise[i]) + 0.5) * 0x1p-32);
        double r = base + f->beta * (log_s[i] - o->interval_log[i]) + f->noise * z;
        o->interval_log[i] = log_s[i];
        rate[i] = r > f->cap ? f->cap : (r < -f->cap ? -f->cap : r);
    }
}

/* Mark every path's position from s_prev to s over step t: variation margin, funding where a
 * funding time falls in the step, financing of a spot position, collateral yield. */
static void carry(const mcr_hedge_plan *p, overlay_state *o, const mcr_strategy *st, int t,
                  const double *s, const double *s_prev, const double *log_s)
{
    double g = p->growth[t], rate[NP];
    bool funding = p->funding[t] && is_perp(st->instrument);
    if (funding)
        funding_rates(p, t, o, log_s, rate);
    switch (st->instrument) {
    case MCR_INSTRUMENT_SPOT: {
        double carry_rate = expm1(p->rate * p->dt) * g; /* interest on the cash that bought it */
        for (int i = 0; i < NP; i++) {
            o->comp[MCR_PNL_HEDGE][i] += o->q[i] * (s[i] - s_prev[i]) * g;
            o->comp[MCR_PNL_FINANCING][i] -= o->q[i] * s_prev[i] * carry_rate;
        }
        break;
    }
    case MCR_INSTRUMENT_LINEAR_PERP:
        for (int i = 0; i < NP; i++) {
            double vm = o->q[i] * (s[i] - s_prev[i]);
            double fund = funding ? -o->q[i] * s[i] * rate[i] : 0.0; /* longs pay a positive rate */
            o->comp[MCR_PNL_HEDGE][i] += vm * g;
            o->comp[MCR_PNL_FUNDING][i] += fund * g;
            o->account[i] += vm + fund;
        }
        break;
    default: /* inverse: flows in coin */
        for (int i = 0; i < NP; i++) {
            double inv = 1.0 / s[i];
            double vm = o->q[i] * (1.0 / s_prev[i] - inv);
            double fund = funding ? -o->q[i] * rate[i] * inv : 0.0;
            o->coin[MCR_PNL_HEDGE][i] += vm;
            o->coin[MCR_PNL_FUNDING][i] += fund;
            o->coin_held[i] += vm + fund;
            o->account[i] += vm + fund;
        }
        break;
    }
    if (st->collateral_yield > 0) {
        double y = st->collateral_yield * p->dt * g;
        bool coin = st->instrument == MCR_INSTRUMENT_INVERSE_PERP;
        for (int i = 0; i < NP; i++)
            o->comp[MCR_PNL_YIELD][i] += y * o->account[i] * (coin ? s[i] : 1.0);
    }
}

/* Liquidate the paths whose margin falls below maintenance at step t (isolated: the account
 * alone; cross: the book's spot counts too). Closed at this step's price less the fee; a deficit
 * beyond the account is the exchange's (insurance fund), so the loss stops at the account.
 * Inside the scenario's depeg window a linear perpetual's account (quote collateral) counts at
 * depeg_price in the test; the fee and the deficit stay nominal. */
static void check_margin(const mcr_hedge_plan *p, overlay_state *o, const mcr_strategy *st,
                         int t, const double *s)
{
    const mcr_margin *m = &p->cfg->margin;
    if (!is_perp(st->instrument) || m->mode == MCR_MARGIN_NONE)
        return;
    bool inverse = st->instrument == MCR_INSTRUMENT_INVERSE_PERP;
    double book_spot = m->mode == MCR_MARGIN_CROSS ? p->book_spot[st->asset] : 0.0;
    double g = p->growth[t];
    double collateral = !inverse && t >= p->depeg_from && t < p->depeg_to ? p->depeg_price : 1.0;
    for (int i = 0; i < NP; i++) {
        double notional = fabs(o->q[i]) * (inverse ? 1.0 / s[i] : s[i]); /* account currency */
        double equity = o->account[i] * collateral + book_spot * (inverse ? 1.0 : s[i]);
        if (o->q[i] == 0.0 || equity >= m->maintenance * notional)
            continue;
        double fee = m->liquidation_fee * notional, left = o->account[i] - fee;
        double deficit = left < 0 ? -left : 0.0;
        if (inverse) {
            o->coin[MCR_PNL_FEES][i] -= fee;
            o->coin[MCR_PNL_HEDGE][i] += deficit;
            o->coin_held[i] += deficit - fee;
        } else {
            o->comp[MCR_PNL_FEES][i] -= fee * g;
            o->comp[MCR_PNL_HEDGE][i] += deficit * g;
        }
        o->account[i] = 0.0;
        o->q[i] = 0.0;
        o->liq_step[i] = t;
    }
}

/* Trade every path whose `go` is set to -hedge_ratio x its book delta (the coin held counted for
 * inverse perpetuals), pay fees and slippage, and top the isolated account back up to the
 * initial margin of the new position. Paths liquidated earlier stay unhedged. */
static void rebalance(const mcr_hedge_plan *p, overlay_state *o, const mcr_strategy *st, int t,
                      const double *s, const double *delta, const bool *go)
{
    const mcr_costs *c = &p->costs;
    const mcr_margin *m = &p->cfg->margin;
    bool inverse = st->instrument == MCR_INSTRUMENT_INVERSE_PERP;
    bool margined = is_perp(st->instrument) && m->mode != MCR_MARGIN_NONE;
    double g = p->growth[t], fee_rate = c->fee_bps * 1e-4, slip_rate = c->slippage_bps * 1e-4;
    double h = st->hedge_ratio;
    for (int i = 0; i < NP; i++) {
        bool trade = go[i] && o->liq_step[i] < 0;
        double target = -h * delta[i];
        if (inverse)
            target = (target - o->coin_held[i]) * s[i];
        double dq = trade ? target - o->q[i] : 0.0;
        double notional = fabs(dq) * (inverse ? 1.0 : s[i]);
        double impact = c->impact > 0 ? c->impact * sqrt(notional / c->impact_notional) : 0.0;
        double fee = notional * fee_rate, slip = notional * (slip_rate + impact);
        if (inverse) {
            o->coin[MCR_PNL_FEES][i] -= fee / s[i];
            o->coin[MCR_PNL_SLIPPAGE][i] -= slip / s[i];
            o->coin_held[i] -= (fee + slip) / s[i];
        } else {
            o->comp[MCR_PNL_FEES][i] -= fee * g;
            o->comp[MCR_PNL_SLIPPAGE][i] -= slip * g;
        }
        o->q[i] += dq;
        o->trades[i] += dq != 0.0;
    }
    if (!margined)
        return;
    for (int i = 0; i < NP; i++) {
        if (!go[i] || o->liq_step[i] >= 0)
            continue;
        double need = m->initial * fabs(o->q[i]) * (inverse ? 1.0 / s[i] : s[i]);
        double add = need > o->account[i] ? need - o->account[i] : 0.0;
        o->account[i] += add;
        if (inverse) { /* coin collateral bought with cash: its exposure is the hedge's */
            o->coin[MCR_PNL_HEDGE][i] += add;
            o->coin_held[i] += add;
            o->comp[MCR_PNL_HEDGE][i] -= add * s[i] * g;
        }
    }
}

/* ---- one step ---- */

/* Step t of strategy s_idx; s, s_prev, log_s are its asset's prices. delta is the book's delta
 * at this step (read by delta hedges only). */
static void overlay_step(mcr_hedge_work *w, int s_idx, int t, const double *s,
                         const double *s_prev, const double *log_s, const double *delta)
{
    const mcr_hedge_plan *p = w->plan;
    const struct mcr_overlay *ov = &p->overlays[s_idx];
    const mcr_strategy *st = ov->strategy;
    overlay_state *o = &w->st[s_idx];
    double g = p->growth[t];

    for (int l = 0; l < ov->n_legs; l++) /* option legs settle at their expiry step */
        if (ov->legs[l].expiry_step == t)
            for (int i = 0; i < NP; i++)
                o->comp[MCR_PNL_HEDGE][i] += ov->legs[l].quantity * payoff(&ov->legs[l], s[i]) * g;

    bool positions = st->type == MCR_STRATEGY_PERP_HEDGE || st->type == MCR_STRATEGY_DELTA_HEDGE;
    if (positions && t > 0) {
        carry(p, o, st, t, s, s_prev, log_s);
        check_margin(p, o, st, t, s);
    }
    bool opening = t == 0 && st->type == MCR_STRATEGY_PERP_HEDGE;
    bool outage = t >= p->no_trade_from && t < p->no_trade_to; /* the venue is down */
    bool dynamic = st->type == MCR_STRATEGY_DELTA_HEDGE && t < p->steps && !outage;
    if (opening || dynamic) {
        bool go[NP];
        if (opening || (st->band <= 0 && t % ov->every_steps == 0)) {
            for (int i = 0; i < NP; i++)
                go[i] = true;
        } else if (st->band > 0) {
            double hd[NP];
            hedge_delta(st, o, s, hd);
            for (int i = 0; i < NP; i++)
                go[i] = fabs(delta[i] + hd[i]) > st->band;
        } else {
            return;
        }
        rebalance(p, o, st, t, s, delta, go);
    }
}

/* The net greeks of every strategy at a sample step t: the book's (once) plus each strategy's
 * option legs and hedge position. */
static void sample_greeks(mcr_hedge_work *w, int a, int t, const double *s, const double *log_s)
{
    const mcr_hedge_plan *p = w->plan;
    memset(w->book_greek, 0, sizeof w->book_greek);
    for (int i = 0; i < NP; i++)
        w->book_greek[0][i] = p->book_spot[a];
    add_legs_greeks(w, p->book_legs, p->n_book_legs, a, t, s, log_s, w->book_greek);
    for (int s_idx = 0; s_idx < p->n_overlays; s_idx++) {
        const struct mcr_overlay *ov = &p->overlays[s_idx];
        if (ov->strategy->asset != a)
            continue;
        overlay_state *o = &w->st[s_idx];
        double g[3][NP], hd[NP];
        memcpy(g, w->book_greek, sizeof g);
        add_legs_greeks(w, ov->legs, ov->n_legs, a, t, s, log_s, g);
        hedge_delta(ov->strategy, o, s, hd);
        for (int i = 0; i < NP; i++) {
            o->greek[0][i] += g[0][i] + hd[i];
            o->greek[1][i] += g[1][i];
            o->greek[2][i] += g[2][i];
        }
        o->greek_samples++;
    }
}

/* Steps of one asset's prices, shared by the strategies hedging it. */
static void asset_step(mcr_hedge_work *w, int a, int t, const double *s, const double *log_s,
                       const double *delta)
{
    const mcr_hedge_plan *p = w->plan;
    for (int s_idx = 0; s_idx < p->n_overlays; s_idx++)
        if (p->overlays[s_idx].strategy->asset == a)
            overlay_step(w, s_idx, t, s, w->last[a], log_s, delta);
    if (t % p->greek_every == 0 && t < p->steps)
        sample_greeks(w, a, t, s, log_s);
}

void mcr_hedge_steps(mcr_hedge_work *w, int t0, int n, const double *const *price,
                     const double *const *log_price, int stride)
{
    const mcr_hedge_plan *p = w->plan;
    if (t0 == 0) { /* t = 0: hedges open at S0, greeks take their first sample */
        double s0[NP], log_s0[NP];
        for (int a = 0; a < p->n_assets; a++) {
            for (int i = 0; i < NP; i++) {
                s0[i] = p->spot0[a];
                log_s0[i] = log(p->spot0[a]);
            }
            chunk_book_delta(w, a, -1, 1, log_s0, NP); /* the book's delta at t = 0 */
            asset_step(w, a, 0, s0, log_s0, w->chunk_delta[a]);
        }
    }
    for (int a = 0; a < p->n_assets; a++)
        if (p->delta_needed[a])
            chunk_book_delta(w, a, t0, n, log_price[a], stride);
    for (int k = 0; k < n; k++) {
        int t = t0 + k + 1;
        for (int l = 0; l < p->n_book_legs; l++) {
            const mcr_leg *leg = &p->book_legs[l];
            if (leg->expiry_step != t)
                continue;
            const double *s = price[leg->asset] + (size_t)k * stride;
            for (int i = 0; i < NP; i++)
                w->book_cash[i] += leg->quantity * payoff(leg, s[i]) * p->growth[t];
        }
        for (int a = 0; a < p->n_assets; a++) {
            const double *s = price[a] + (size_t)k * stride;
            asset_step(w, a, t, s, log_price[a] + (size_t)k * stride,
                       w->chunk_delta[a] + (size_t)k * NP);
            memcpy(w->last[a], s, sizeof w->last[a]);
        }
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
    double value0_at_t = p->book_value0 * p->growth[0];
    /* a depeg still on at the horizon: the quote collateral posted for a linear perpetual is
     * worth depeg_price of its face value (no loss without margin: nothing is posted) */
    bool depeg_at_end = p->depeg_to > p->steps && p->depeg_from <= p->steps &&
                        p->cfg->margin.mode != MCR_MARGIN_NONE;
    for (int i = 0; i < count; i++) {
        /* the book: spot marked at S_T, options settled (book_cash) or marked on the surface */
        double book = w->book_cash[i] - value0_at_t;
        for (int a = 0; a < p->n_assets; a++)
            book += p->book_spot[a] * w->last[a][i];
        for (int l = 0; l < p->n_book_legs; l++) {
            const mcr_leg *leg = &p->book_legs[l];
            if (leg->expiry_step > p->steps)
                book += leg->quantity *
                        leg_value(p, leg, w->last[leg->asset][i], leg->expiry - p->horizon);
        }
        uint64_t path = w->first + (uint64_t)i;
        for (int s = 0; s < p->n_overlays; s++) {
            const struct mcr_overlay *ov = &p->overlays[s];
            overlay_state *o = &w->st[s];
            double s_t = w->last[ov->strategy->asset][i];
            double comp[MCR_N_COMPONENTS];
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                comp[c] = o->comp[c][i] + o->coin[c][i] * s_t;
            comp[MCR_PNL_BOOK] = book;
            comp[MCR_PNL_PREMIUM] -= ov->premium0 * p->growth[0];
            for (int l = 0; l < ov->n_legs; l++) /* legs that outlive the horizon: marked */
                if (ov->legs[l].expiry_step > p->steps)
                    comp[MCR_PNL_HEDGE] += ov->legs[l].quantity *
                        leg_value(p, &ov->legs[l], s_t, ov->legs[l].expiry - p->horizon);
            if (depeg_at_end && ov->strategy->instrument == MCR_INSTRUMENT_LINEAR_PERP)
                comp[MCR_PNL_HEDGE] -= (1.0 - p->depeg_price) * o->account[i];
            double total = 0;
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                total += comp[c];
            mcr_hedge_out *h = &out[s];
            ((double *)h->at[MCR_FIELD_PNL])[path] = total;
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                if (h->at[MCR_FIELD_COMPONENT + c])
                    ((double *)h->at[MCR_FIELD_COMPONENT + c])[path] = comp[c];
            if (h->at[MCR_FIELD_LIQUIDATION_STEP])
                ((int32_t *)h->at[MCR_FIELD_LIQUIDATION_STEP])[path] = o->liq_step[i];
            if (h->at[MCR_FIELD_TRADES])
                ((uint32_t *)h->at[MCR_FIELD_TRADES])[path] = o->trades[i];
            for (int k = 0; k < 3; k++)
                if (h->at[MCR_FIELD_NET_DELTA + k])
                    ((double *)h->at[MCR_FIELD_NET_DELTA + k])[path] =
                        o->greek_samples ? o->greek[k][i] / o->greek_samples : 0;
        }
    }
}
