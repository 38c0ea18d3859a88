/* The `scenarios` section: each scenario's keys, `use` of a built-in historical scenario (its
 * keys, then the config's keys beside `use` override them), days checked against the horizon, and
 * the merged scenario checked against the models, surfaces, costs and funding it stresses. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "models/model_step.h"
#include "scenarios_builtin.h"
#include "schema.h"

#define MCR_BPS_MAX 10000.0

/* A day of the horizon: its range, [0, horizon.days], is checked by the section (the message
 * says the horizon), not by the row. */
#define MCR_DAY_KEY(n, T, m, fl, h) MCR_KEY_F(n, T, m, fl, 0, 0, 0, "days from t0", h)

static const mcr_key leg_keys[] = {
    MCR_DAY_KEY("day", mcr_shock, day, MCR_KEY_REQUIRED,
                "the day of the move, in [0, horizon.days]; legs are in time order"),
    MCR_KEY_F("return", mcr_shock, ret, MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
              -1, 10, 0, "the simple return of every asset (-0.3: a 30% fall)",
              "the price move"),
    MCR_KEY_END,
};

static const mcr_key funding_piece_keys[] = {
    MCR_DAY_KEY("from_day", mcr_funding_piece, from_day, MCR_KEY_REQUIRED,
                "the day the rate starts, after the previous piece's"),
    MCR_KEY_F("rate", mcr_funding_piece, rate, MCR_KEY_REQUIRED | MCR_RANGE_CLOSED, -1, 1, 0,
              "the funding rate per interval (0.0001 = 0.01%; positive: longs pay shorts)",
              "from from_day on"),
    MCR_KEY_END,
};

/* The windows' keys are placed in the scenario itself (depeg's price is not in the window). */
static const mcr_key no_rebalance_keys[] = {
    MCR_DAY_KEY("from_day", mcr_scenario, no_rebalance.from_day, MCR_KEY_REQUIRED,
                "the day the window opens"),
    MCR_DAY_KEY("to_day", mcr_scenario, no_rebalance.to_day, 0,
                "the day it closes (default: the horizon)"),
    MCR_KEY_END,
};

static const mcr_key depeg_keys[] = {
    MCR_DAY_KEY("from_day", mcr_scenario, depeg.from_day, MCR_KEY_REQUIRED,
                "the day the window opens"),
    MCR_DAY_KEY("to_day", mcr_scenario, depeg.to_day, 0,
                "the day it closes (default: the horizon)"),
    MCR_KEY_F("price", mcr_scenario, depeg_price,
              MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0, 1, 1,
              "the collateral's value in dollars (0.9: 10% below its peg)",
              "inside the window"),
    MCR_KEY_END,
};

static const mcr_key venue_default_keys[] = {
    MCR_KEY_S("venue", mcr_forced_default, venue, MCR_KEY_REQUIRED, NULL,
              "the venue that fails (a name under venues)"),
    MCR_DAY_KEY("day", mcr_forced_default, day, MCR_KEY_REQUIRED,
                "the day it fails on every path, in (0, horizon.days] (earlier on paths whose own "
                "default time comes first)"),
    MCR_KEY_END,
};

static const mcr_key adl_keys[] = {
    MCR_DAY_KEY("from_day", mcr_scenario, adl.from_day, MCR_KEY_REQUIRED,
                "the day the window opens"),
    MCR_DAY_KEY("to_day", mcr_scenario, adl.to_day, 0,
                "the day it closes (default: the horizon)"),
    MCR_KEY_F("min_score", mcr_scenario, adl_min_score, MCR_KEY_HAS_MIN, 0, 0, 0,
              "profit / posted margin x notional / equity",
              "a profitable perpetual is deleveraged once its ADL score reaches this (0: any "
              "profitable one)"),
    MCR_KEY_END,
};

#define MULTIPLIER(n, m, hi, d, u, h)                                                              \
    MCR_KEY_F(n, mcr_scenario, m, MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0, hi, d, u, h)

const mcr_key mcr_scenario_keys[] = {
    MCR_KEY_S("name", mcr_scenario, name, MCR_KEY_REQUIRED | MCR_KEY_NAME, NULL,
              "the scenario's name ([A-Za-z0-9_.-])"),
    MCR_KEY_S("use", mcr_scenario, use, 0, NULL,
              "start from a built-in historical scenario (black_thursday, luna, ftx); the keys "
              "given beside it override its own"),
    {.name = "correlation", .type = MCR_KEY_CUSTOM, .word_offset = (size_t)-1,
     .help = "replaces market.correlation in this scenario (same form)"},
    {.name = "shock", .type = MCR_KEY_MAP, .offset = offsetof(mcr_scenario, shock),
     .size = sizeof(mcr_shock), .sub = leg_keys, .word_offset = (size_t)-1,
     .help = "one price move {day, return} of every asset (or shocks: a list of legs)"},
    {.name = "shocks", .type = MCR_KEY_LIST, .flags = MCR_KEY_EMPTY_OK,
     .offset = offsetof(mcr_scenario, shocks),
     .size = sizeof(mcr_shock), .count_offset = offsetof(mcr_scenario, n_shocks),
     .max_count = MCR_MAX_SHOCKS, .sub = leg_keys, .word_offset = (size_t)-1,
     .help = "price moves {day, return} in time order, each relative to the previous"},
    MULTIPLIER("vol_multiplier", vol_multiplier, 10, 1, NULL,
               "scales every volatility of the models (variances by its square)"),
    {.name = "jump_multiplier", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED,
     .offset = offsetof(mcr_scenario, jump_multiplier), .min = 0, .max = 100, .def = 1,
     .word_offset = (size_t)-1, .help = "scales the jump intensity of merton, kou and bates (0: no "
                                        "jumps)"},
    MCR_KEY_F("implied_vol_shift", mcr_scenario, implied_vol_shift, MCR_RANGE_CLOSED, -5, 5, 0,
              "vol points / 100 (0.2: 20 vol points)",
              "added to every ATM implied vol: options are marked and hedged on the shifted "
              "surface"),
    MCR_KEY_F("skew_shift", mcr_scenario, skew_shift, MCR_RANGE_CLOSED, -10, 10, 0, NULL,
              "added to every surface's skew (< 0: puts dearer)"),
    MCR_KEY_F("funding_shift", mcr_scenario, funding_shift, MCR_RANGE_CLOSED, -1, 1, 0,
              "per interval", "added to funding.rate (or give funding_path)"),
    {.name = "funding_path", .type = MCR_KEY_LIST, .flags = MCR_KEY_EMPTY_OK,
     .offset = offsetof(mcr_scenario, funding_path), .size = sizeof(mcr_funding_piece),
     .count_offset = offsetof(mcr_scenario, n_funding_path), .max_count = MCR_MAX_FUNDING_PIECES,
     .sub = funding_piece_keys, .word_offset = (size_t)-1,
     .help = "the funding rate by pieces {from_day, rate}, replacing funding.rate"},
    MULTIPLIER("slippage_multiplier", slippage_multiplier, 1000, 1, NULL,
               "multiplies costs.slippage_bps in this scenario"),
    MULTIPLIER("impact_multiplier", impact_multiplier, 1000, 1, NULL,
               "multiplies costs.impact in this scenario"),
    {.name = "no_rebalance", .type = MCR_KEY_MAP, .offset = 0, .size = sizeof(mcr_scenario),
     .sub = no_rebalance_keys, .word_offset = (size_t)-1,
     .help = "a venue outage {from_day, to_day}: delta hedges do not trade inside it"},
    {.name = "depeg", .type = MCR_KEY_MAP, .offset = 0, .size = sizeof(mcr_scenario),
     .sub = depeg_keys, .word_offset = (size_t)-1,
     .help = "the quote collateral {from_day, to_day, price} of linear perpetuals depegs"},
    {.name = "venue_default", .type = MCR_KEY_MAP, .offset = offsetof(mcr_scenario, venue_default),
     .size = sizeof(mcr_forced_default), .sub = venue_default_keys, .word_offset = (size_t)-1,
     .help = "{venue, day}: the venue fails on that day on every path (ftx: the venue named ftx, "
             "day 1.6, when the config declares one)"},
    {.name = "adl", .type = MCR_KEY_MAP, .offset = 0, .size = sizeof(mcr_scenario),
     .sub = adl_keys, .word_offset = (size_t)-1,
     .help = "the venue's insurance fund is short {from_day, to_day, min_score}: profitable "
             "perpetuals are auto-deleveraged inside it (needs margin.adl: true)"},
    {.name = "models", .type = MCR_KEY_CUSTOM, .word_offset = (size_t)-1,
     .help = "a list of {asset (default: the first), model (the keys of market.assets[].model)}: "
             "the assets' models in this scenario, replacing the market's (the same book under "
             "another model; README \"Real data\")"},
    MCR_KEY_END,
};

#undef MULTIPLIER

static const char *skey(char *buf, int i, const char *key)
{
    snprintf(buf, MCR_KEYPATH_MAX, "scenarios[%d]%s%s", i, *key ? "." : "", key);
    return buf;
}

#define SKEY(key) skey((char[MCR_KEYPATH_MAX]){0}, i, (key))

/* A day at PATH in [lo, horizon], or (lo, horizon] when open; `what` says what it is. */
static mcr_status check_day(const mcr_load *c, const char *path, double v, double lo, bool open,
                            double horizon, const char *what)
{
    if ((open ? v > lo : v >= lo) && v <= horizon)
        return MCR_OK;
    return mcr_load_fail(c, path, "must be a number in %s%g, %g], %s (horizon.days) (got %s)",
                         open ? "(" : "[", lo, horizon, what, MCR_GOT(c, path));
}

/* Legs in time order, inside the horizon. */
static mcr_status check_legs(const mcr_load *c, int i, const mcr_scenario *s, double horizon)
{
    bool one = mcr_load_has(c, SKEY("shock"));
    for (int k = 0; k < s->n_shocks; k++) {
        char path[MCR_KEYPATH_MAX], what[96];
        if (one)
            snprintf(path, sizeof path, "%s", SKEY("shock.day"));
        else
            snprintf(path, sizeof path, "scenarios[%d].shocks[%d].day", i, k);
        if (k == 0)
            snprintf(what, sizeof what, "the day of the move");
        else
            snprintf(what, sizeof what, "the day of the move, after the previous leg's (%g): legs "
                     "are in time order", s->shocks[k - 1].day);
        mcr_status st = check_day(c, path, s->shocks[k].day, k ? s->shocks[k - 1].day : 0, k > 0,
                                  horizon, what);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

static mcr_status check_funding_path(const mcr_load *c, int i, const mcr_scenario *s,
                                     double horizon)
{
    for (int k = 0; k < s->n_funding_path; k++) {
        char path[MCR_KEYPATH_MAX], what[96];
        snprintf(path, sizeof path, "scenarios[%d].funding_path[%d].from_day", i, k);
        double prev = k ? s->funding_path[k - 1].from_day : 0;
        if (k)
            snprintf(what, sizeof what, "the day the rate starts, after the previous piece's "
                     "(%g)", prev);
        else
            snprintf(what, sizeof what, "the day the rate starts");
        mcr_status st = check_day(c, path, s->funding_path[k].from_day, prev, k > 0, horizon,
                                  what);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

/* A window {from_day, to_day (default: the horizon)} inside the horizon. */
static mcr_status check_window(const mcr_load *c, int i, const char *key, mcr_day_window *w,
                               double horizon)
{
    char from[MCR_KEYPATH_MAX + 16], to[MCR_KEYPATH_MAX + 16];
    snprintf(from, sizeof from, "%s.from_day", SKEY(key));
    snprintf(to, sizeof to, "%s.to_day", SKEY(key));
    mcr_status st = check_day(c, from, w->from_day, 0, false, horizon, "the day the window opens");
    if (st != MCR_OK)
        return st;
    if (mcr_load_has(c, to)) {
        if (!(w->to_day > w->from_day && w->to_day <= horizon))
            return mcr_load_fail(c, to, "must be a number in (from_day = %g, %g], the day the "
                                 "window closes (horizon.days; default: the horizon) (got %s)",
                                 w->from_day, horizon, MCR_GOT(c, to));
    } else {
        if (!(w->from_day < horizon))
            return mcr_load_fail(c, from, "must be a number in [0, %g), before the horizon "
                                 "(horizon.days) (got %s)", horizon, MCR_GOT(c, from));
        w->to_day = horizon;
    }
    return MCR_OK;
}

/* The last day a built-in scenario acts on, over the keys the config did not override: its
 * horizon must reach it. */
static double builtin_last_day(const mcr_load *c, int i, const mcr_scenario *b)
{
    double last = 0;
    if (!mcr_load_has(c, SKEY("shock")) && !mcr_load_has(c, SKEY("shocks")) && b->n_shocks)
        last = fmax(last, b->shocks[b->n_shocks - 1].day);
    if (!mcr_load_has(c, SKEY("funding_shift")) && !mcr_load_has(c, SKEY("funding_path")) &&
        b->n_funding_path)
        last = fmax(last, b->funding_path[b->n_funding_path - 1].from_day);
    const mcr_day_window *w[2] = {b->has_no_rebalance && !mcr_load_has(c, SKEY("no_rebalance"))
                                      ? &b->no_rebalance
                                      : NULL,
                                  b->has_depeg && !mcr_load_has(c, SKEY("depeg")) ? &b->depeg
                                                                                  : NULL};
    for (int k = 0; k < 2; k++)
        if (w[k])
            last = fmax(last, fmax(w[k]->from_day, w[k]->to_day));
    if (b->has_venue_default && !mcr_load_has(c, SKEY("venue_default")))
        last = fmax(last, b->venue_default.day);
    return last;
}

/* `use`: the built-in scenario's keys, then the config's keys given beside `use` (loaded in s)
 * over them. */
static mcr_status merge_use(const mcr_load *c, int i, const mcr_config *cfg, mcr_scenario *s)
{
    const mcr_builtin_scenario *b = mcr_builtin_scenario_find(s->use);
    if (!b)
        return mcr_load_fail(c, SKEY("use"), "unknown built-in scenario %s; allowed: %s",
                             MCR_GOT_QUOTED(c, SKEY("use")), mcr_builtin_scenario_names());
    double last = builtin_last_day(c, i, &b->s);
    if (last > cfg->horizon_days)
        return mcr_load_fail(c, SKEY("use"), "%s acts until day %g (a price leg, funding change "
                             "or window), beyond horizon.days = %g; allowed: a horizon of at "
                             "least %g days, or override those keys beside use", b->name, last,
                             cfg->horizon_days, last);
    mcr_scenario m = b->s;
    memcpy(m.name, s->name, sizeof m.name);
    snprintf(m.use, sizeof m.use, "%s", b->name);
    if (m.has_no_rebalance && m.no_rebalance.to_day == MCR_TO_HORIZON)
        m.no_rebalance.to_day = cfg->horizon_days;
    if (m.has_depeg && m.depeg.to_day == MCR_TO_HORIZON)
        m.depeg.to_day = cfg->horizon_days;
    /* the plain numbers given beside use */
    static const char *const numbers[] = {"vol_multiplier", "implied_vol_shift", "skew_shift",
                                          "slippage_multiplier", "impact_multiplier"};
    for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++)
        if (mcr_load_has(c, SKEY(numbers[k]))) {
            size_t off;
            mcr_keys_find(mcr_scenario_keys, numbers[k], &off);
            memcpy((char *)&m + off, (const char *)s + off, sizeof(double));
        }
    if (mcr_load_has(c, SKEY("jump_multiplier"))) {
        m.has_jump_multiplier = true;
        m.jump_multiplier = s->jump_multiplier;
    }
    if (mcr_load_has(c, SKEY("shock")) || mcr_load_has(c, SKEY("shocks"))) {
        m.n_shocks = s->n_shocks;
        memcpy(m.shocks, s->shocks, sizeof m.shocks);
    }
    if (mcr_load_has(c, SKEY("funding_shift")) || mcr_load_has(c, SKEY("funding_path"))) {
        m.funding_shift = s->funding_shift;
        m.n_funding_path = s->n_funding_path;
        memcpy(m.funding_path, s->funding_path, sizeof m.funding_path);
    }
    if (mcr_load_has(c, SKEY("no_rebalance"))) {
        m.has_no_rebalance = true;
        m.no_rebalance = s->no_rebalance;
    }
    if (mcr_load_has(c, SKEY("depeg"))) {
        m.has_depeg = true;
        m.depeg = s->depeg;
        m.depeg_price = s->depeg_price;
    }
    if (mcr_load_has(c, SKEY("venue_default"))) {
        m.has_venue_default = true;
        m.venue_default = s->venue_default;
    }
    if (mcr_load_has(c, SKEY("adl"))) {
        m.has_adl = true;
        m.adl = s->adl;
        m.adl_min_score = s->adl_min_score;
    }
    *s = m;
    return MCR_OK;
}

/* Where a check of the merged scenario points: the key if the config gave it, else `use`. */
static const char *blame(const mcr_load *c, int i, const char *key, char *buf)
{
    skey(buf, i, key);
    return mcr_load_has(c, buf) ? buf : skey(buf, i, "use");
}

/* The merged scenario against the rest of the config: every asset's scaled model and shifted
 * surface stay valid, scaled slippage stays within 100%, shifted funding within [-1, 1]. */
static mcr_status check_merged(const mcr_load *c, int i, const mcr_config *cfg)
{
    const mcr_scenario *sc = &cfg->scenarios[i];
    char where[MCR_KEYPATH_MAX], path[MCR_KEYPATH_MAX];
    mcr_error merr = {0};
    double dt = mcr_config_dt(cfg);
    double jumps = sc->has_jump_multiplier ? sc->jump_multiplier : 1.0;
    for (int a = 0; a < cfg->n_assets; a++) {
        snprintf(where, sizeof where, "market.assets[%d].model", a);
        /* the volatility scaling alone first, so the right key is named */
        mcr_model m = mcr_model_scaled(mcr_config_model(cfg, i, a), sc->vol_multiplier, 1.0);
        const char *key = "vol_multiplier";
        mcr_status st = mcr_model_check(&m, where, &merr);
        if (st == MCR_OK) {
            m = mcr_model_scaled(mcr_config_model(cfg, i, a), sc->vol_multiplier, jumps);
            key = "jump_multiplier";
            st = mcr_model_check(&m, where, &merr);
            if (st == MCR_OK)
                st = mcr_model_step_check(&m, dt, where, &merr);
        }
        if (st != MCR_OK)
            return mcr_load_fail(c, blame(c, i, key, path), "makes %s's model invalid: %s",
                                 cfg->assets[a].name, merr.msg);
        snprintf(where, sizeof where, "market.assets[%d].implied_vol", a);
        const mcr_vol_surface *v = &cfg->assets[a].implied_vol;
        mcr_vol_surface s = mcr_vol_surface_shifted(v, sc->implied_vol_shift, 0);
        key = "implied_vol_shift";
        st = mcr_vol_surface_check(&s, where, &merr);
        if (st == MCR_OK) {
            s = mcr_vol_surface_shifted(v, sc->implied_vol_shift, sc->skew_shift);
            key = "skew_shift";
            st = mcr_vol_surface_check(&s, where, &merr);
        }
        if (st != MCR_OK)
            return mcr_load_fail(c, blame(c, i, key, path), "makes %s's implied-vol surface "
                                 "invalid: %s", cfg->assets[a].name, merr.msg);
    }
    double slippage = cfg->costs.slippage_bps * sc->slippage_multiplier;
    if (!(slippage <= MCR_BPS_MAX))
        return mcr_load_fail(c, blame(c, i, "slippage_multiplier", path), "makes slippage %g bps "
                             "(costs.slippage_bps = %g x %g); allowed: at most 10000 bps",
                             slippage, cfg->costs.slippage_bps, sc->slippage_multiplier);
    double rate = cfg->funding.rate + sc->funding_shift;
    if (!(fabs(rate) <= 1))
        return mcr_load_fail(c, blame(c, i, "funding_shift", path), "makes the funding rate %g "
                             "per interval (funding.rate = %g + %g); allowed: a rate in [-1, 1]",
                             rate, cfg->funding.rate, sc->funding_shift);
    return MCR_OK;
}

/* A forced default given in the config: a declared venue, a day in (0, horizon]. (A built-in
 * scenario's names a venue the config may not declare: it then forces nothing.) */
static mcr_status check_venue_default(const mcr_load *c, int i, const mcr_config *cfg,
                                      const mcr_forced_default *d)
{
    char path[MCR_KEYPATH_MAX + 16];
    snprintf(path, sizeof path, "%s.venue", SKEY("venue_default"));
    mcr_error merr = {0};
    int v;
    if (mcr_config_venue_check(cfg, d->venue, SKEY("venue_default"), &v, &merr) != MCR_OK)
        return mcr_load_keyed(c, path, &merr);
    snprintf(path, sizeof path, "%s.day", SKEY("venue_default"));
    return check_day(c, path, d->day, 0, true, cfg->horizon_days, "the day the venue fails");
}

/* margin.adl acts in the scenarios' adl windows, on margined perpetuals. */
static mcr_status adl_check(const mcr_load *c, const mcr_config *cfg, bool window)
{
    if (!cfg->margin.adl)
        return MCR_OK;
    if (!window)
        return mcr_load_fail(c, "margin.adl", "true needs a scenario with an adl window "
                             "{from_day, to_day, min_score}: when the venue's insurance fund is "
                             "short; allowed: false, or such a scenario");
    if (cfg->margin.mode == MCR_MARGIN_NONE)
        return mcr_load_fail(c, "margin.adl", "true needs margined perpetuals; allowed with "
                             "margin.mode none: false");
    return MCR_OK;
}

static mcr_status check_scenario(const mcr_load *c, int i, mcr_config *cfg)
{
    mcr_scenario *s = &cfg->scenarios[i];
    double horizon = cfg->horizon_days;
    mcr_status st;
    if ((st = mcr_check_unique(c, SKEY("name"), s->name, "scenarios", cfg->scenarios[0].name,
                               sizeof cfg->scenarios[0], i)))
        return st;
    if (mcr_load_has(c, SKEY("shock")) && mcr_load_has(c, SKEY("shocks")))
        return mcr_load_fail(c, SKEY("shocks"), "give shock (one leg) or shocks (a list of legs), "
                             "not both");
    if (mcr_load_has(c, SKEY("funding_shift")) && mcr_load_has(c, SKEY("funding_path")))
        return mcr_load_fail(c, SKEY("funding_path"), "give funding_shift or funding_path, not "
                             "both");
    if (mcr_load_has(c, SKEY("shock"))) {
        s->n_shocks = 1;
        s->shocks[0] = s->shock;
    }
    s->has_jump_multiplier = mcr_load_has(c, SKEY("jump_multiplier"));
    s->has_no_rebalance = mcr_load_has(c, SKEY("no_rebalance"));
    s->has_depeg = mcr_load_has(c, SKEY("depeg"));
    s->has_venue_default = mcr_load_has(c, SKEY("venue_default"));
    s->has_adl = mcr_load_has(c, SKEY("adl"));
    if ((st = check_legs(c, i, s, horizon)) || (st = check_funding_path(c, i, s, horizon)) ||
        (s->has_no_rebalance &&
         (st = check_window(c, i, "no_rebalance", &s->no_rebalance, horizon))) ||
        (s->has_depeg && (st = check_window(c, i, "depeg", &s->depeg, horizon))) ||
        (s->has_venue_default && (st = check_venue_default(c, i, cfg, &s->venue_default))) ||
        (s->has_adl && (st = check_window(c, i, "adl", &s->adl, horizon))))
        return st;
    if (s->has_adl && !cfg->margin.adl)
        return mcr_load_fail(c, SKEY("adl"), "an adl window needs margin.adl: true (got "
                             "margin.adl: false, its default: the insurance fund absorbs every "
                             "deficit)");
    if (mcr_load_has(c, SKEY("use")) && (st = merge_use(c, i, cfg, s)))
        return st;
    if ((st = mcr_scenario_models_check(c, i, cfg)))
        return st;
    memcpy(s->correlation, cfg->correlation, sizeof s->correlation);
    memcpy(s->cholesky, cfg->cholesky, sizeof s->cholesky);
    if ((st = mcr_read_correlation(c, SKEY("correlation"), cfg->n_assets, s->correlation,
                                   s->cholesky, &s->has_correlation)) ||
        ((s->has_correlation || s->n_models) &&
         (st = mcr_data_sources_check_correlation(c, cfg, i, s->correlation,
                                                  s->has_correlation ? SKEY("correlation")
                                                                     : SKEY("models")))))
        return st;
    return check_merged(c, i, cfg);
}

mcr_status mcr_scenarios_check(const mcr_load *c, mcr_config *cfg)
{
    if (!mcr_load_has(c, "scenarios")) {
        cfg->scenarios[0] = (mcr_scenario){.name = "base", .vol_multiplier = 1.0,
                                           .jump_multiplier = 1.0, .slippage_multiplier = 1.0,
                                           .impact_multiplier = 1.0};
        memcpy(cfg->scenarios[0].correlation, cfg->correlation, sizeof cfg->correlation);
        memcpy(cfg->scenarios[0].cholesky, cfg->cholesky, sizeof cfg->cholesky);
        cfg->n_scenarios = 1;
        return adl_check(c, cfg, false);
    }
    bool window = false;
    for (int i = 0; i < cfg->n_scenarios; i++) {
        mcr_status st = check_scenario(c, i, cfg);
        if (st != MCR_OK)
            return st;
        window |= cfg->scenarios[i].has_adl;
    }
    return adl_check(c, cfg, window);
}
