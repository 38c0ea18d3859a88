/* The plan of a scenario (hedge.h): the book, every strategy part planned by its kind, the
 * venue (growth factors, the funding schedule, the scenario's costs and windows) and the
 * scenario's implied-vol surfaces. Prepared once, read by every thread. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hedge.h"
#include "scenario/view.h"

/* Net greeks are sampled at about this many dates over the horizon: their time average converges
 * long before every step is visited, and per-step greeks of every option would dominate the cost
 * of static strategies. */
#define MCR_GREEK_SAMPLES 32

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

/* Funding time k interval falls in step t = ceil(k interval / dt): the position held over that
 * step is the one open at the funding time. Every funding time is paid, several in a step when
 * the steps are longer than the interval. */
static mcr_status plan_funding(mcr_hedge_plan *p, const mcr_config *cfg, int scenario,
                               mcr_error *err)
{
    double interval = cfg->funding.interval_hours / 24.0 / 365.0;
    int n = 0;
    if (interval > 0)
        while ((n + 1) * interval <= p->horizon * (1 + 1e-12))
            n++;
    p->funding_count = calloc((size_t)p->steps + 1, sizeof *p->funding_count);
    p->funding_first = calloc((size_t)p->steps + 1, sizeof *p->funding_first);
    p->funding_rate = malloc(((size_t)n + 1) * sizeof *p->funding_rate);
    if (!p->funding_count || !p->funding_first || !p->funding_rate)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the funding schedule");
    for (int k = 1; k <= n; k++) {
        int t = (int)ceil(k * interval / p->dt - 1e-9);
        t = t > p->steps ? p->steps : t;
        if (p->funding_count[t] == 0)
            p->funding_first[t] = k - 1;
        if (p->funding_count[t] == UINT8_MAX)
            return mcr_fail(err, MCR_ERR_INPUT, "funding.interval_hours: more than %d funding "
                            "times fall in one step; allowed: an interval of at least 1/%d of a "
                            "step", UINT8_MAX, UINT8_MAX);
        p->funding_count[t]++;
        p->funding_rate[k - 1] = funding_rate_at(cfg, &cfg->scenarios[scenario],
                                                 k * interval * 365.0);
    }
    return MCR_OK;
}

/* A window of days as steps [from, to), or the empty window. */
static void window_steps(const mcr_config *cfg, bool given, mcr_day_window w, int *from, int *to)
{
    *from = given ? mcr_config_step_at(cfg, w.from_day) : 0;
    *to = given ? mcr_config_step_at(cfg, w.to_day) : 0;
}

static void plan_venue(mcr_hedge_plan *p, const mcr_config *cfg, int scenario)
{
    const mcr_scenario *sc = &cfg->scenarios[scenario];
    mcr_venue *v = &p->venue;
    v->steps = p->steps;
    v->dt = p->dt;
    v->rate = p->rate;
    v->growth = p->growth;
    v->funding_count = p->funding_count;
    v->funding_first = p->funding_first;
    v->funding_rate = p->funding_rate;
    v->funding = cfg->funding;
    v->costs = cfg->costs;
    v->costs.slippage_bps *= sc->slippage_multiplier > 0 ? sc->slippage_multiplier : 1.0;
    v->costs.impact *= sc->impact_multiplier > 0 ? sc->impact_multiplier : 1.0;
    v->margin = cfg->margin;
    v->tiers = mcr_margin_tiers_of(&cfg->margin);
    v->basis = cfg->perp.basis.reversion > 0;
    if (v->basis)
        v->basis_step = mcr_basis_step_of(&cfg->perp.basis, p->dt);
    v->seed = cfg->seed;
    window_steps(cfg, sc->has_depeg, sc->depeg, &v->depeg_from, &v->depeg_to);
    v->depeg_price = sc->has_depeg ? sc->depeg_price : 1.0;
    window_steps(cfg, sc->has_no_rebalance, sc->no_rebalance, &p->no_trade_from,
                 &p->no_trade_to);
    window_steps(cfg, cfg->margin.adl && sc->has_adl, sc->adl, &v->adl_from, &v->adl_to);
    v->adl_min_score = sc->adl_min_score;
    v->k = mcr_kernels_of(MCR_ISA_SCALAR)->strat; /* a workspace runs its own ISA's */
}

static void plan_book(mcr_hedge_plan *p, const mcr_config *cfg)
{
    mcr_leg_env env = mcr_leg_env_of(cfg);
    memset(&p->book, 0, sizeof p->book);
    for (int i = 0; i < cfg->n_positions; i++)
        mcr_instrument_of(&cfg->portfolio[i])->to_book(&cfg->portfolio[i], &env, &p->book);
    p->book_venues = p->book_leg_venues = 0;
    for (int k = 0; k < p->book.n_holdings; k++)
        p->book_venues |= p->book.holdings[k].venue >= 0 ? 1u << p->book.holdings[k].venue : 0u;
    for (int l = 0; l < p->book.n_legs; l++)
        p->book_leg_venues |= p->book.legs[l].venue >= 0 ? 1u << p->book.legs[l].venue : 0u;
    p->book_venues |= p->book_leg_venues;
    p->venues.used |= p->book_venues;
}

static void plan_strategies(mcr_hedge_plan *p, const mcr_config *cfg)
{
    mcr_plan_env env = {.cfg = cfg, .legs = mcr_leg_env_of(cfg), .book = &p->book};
    p->n_strategies = cfg->n_strategies;
    p->n_parts = 0;
    for (int s = 0; s < cfg->n_strategies; s++) {
        const mcr_strategy *st = &cfg->strategies[s];
        mcr_strategy_run *r = &p->strategies[s];
        r->first = p->n_parts;
        r->n = st->n_parts;
        r->asset = st->parts[0].asset;
        r->cross = false;
        r->venues = 0;
        for (int j = 0; j < st->n_parts; j++) {
            mcr_part_plan *pp = &p->parts[p->n_parts++];
            mcr_part_plan_of(&st->parts[j], &env, pp);
            pp->marked = pp->position && pp->position->margined && p->venue.basis;
            bool margined = pp->position && pp->position->margined &&
                            cfg->margin.mode != MCR_MARGIN_NONE;
            r->cross |= margined && cfg->margin.mode == MCR_MARGIN_CROSS;
            if (pp->flags & MCR_STRAT_NEEDS_DELTA)
                p->delta_needed[pp->asset] = true;
            p->needs_path |= pp->n_legs > 0 || pp->position;
            r->venues |= pp->venue >= 0 ? 1u << pp->venue : 0u; /* a position's or legs' */
        }
        r->venues |= p->book_venues;
        p->venues.used |= r->venues;
    }
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
    for (int a = 0; a < cfg->n_assets; a++) {
        p->spot0[a] = cfg->assets[a].spot;
        p->surface[a] = mcr_scenario_surface(cfg, scenario, a);
    }
    p->growth = malloc((size_t)(p->steps + 1) * sizeof *p->growth);
    p->parts = calloc(MCR_MAX_PLANNED_PARTS, sizeof *p->parts);
    mcr_status st = p->growth && p->parts
                        ? plan_funding(p, cfg, scenario, err)
                        : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the hedge plan");
    if (st != MCR_OK) {
        mcr_hedge_plan_free(p);
        return st;
    }
    for (int t = 0; t <= p->steps; t++)
        p->growth[t] = exp(p->rate * (p->horizon - t * p->dt));
    plan_venue(p, cfg, scenario);
    mcr_venue_plan_of(&p->venues, cfg, scenario);
    plan_book(p, cfg);
    p->greek_every = p->steps > MCR_GREEK_SAMPLES ? p->steps / MCR_GREEK_SAMPLES : 1;
    p->needs_path = p->book.n_legs > 0 || p->book.n_holdings > 0;
    plan_strategies(p, cfg);
    return MCR_OK;
}

void mcr_hedge_plan_free(mcr_hedge_plan *p)
{
    free(p->growth);
    free(p->funding_count);
    free(p->funding_first);
    free(p->funding_rate);
    free(p->parts);
    p->growth = NULL;
    p->funding_count = NULL;
    p->funding_first = NULL;
    p->funding_rate = NULL;
    p->parts = NULL;
}
