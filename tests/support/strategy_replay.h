/* Test support for the strategy engine: a one-asset GBM config written as YAML (so every test
 * config goes through the loader), replaying deterministic price paths through the engine
 * (outputs of every strategy for path 0; block after block in one workspace), and simulating a
 * config with every per-path field of every strategy kept (or a path file's paths). Static
 * functions: each test file gets its own copy. */
#ifndef MCR_TEST_STRATEGY_REPLAY_H
#define MCR_TEST_STRATEGY_REPLAY_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "strategies/hedge.h"
#include "strategies/strategy.h"

/* BTC at `spot`, mu = rate, implied vol flat at sigma; no costs, no funding and no margin unless
 * costs, funding, margin (YAML mappings, or NULL) say otherwise; book and strategies are YAML
 * lists. */
typedef struct setup {
    double spot, sigma, rate, days;
    int steps;
    uint64_t paths;
    const char *book, *strategies, *costs, *funding, *margin;
    const char *scenarios; /* a YAML list, or NULL: the base scenario only */
} setup;

static inline mcr_config config_of(setup u)
{
    char yaml[8192];
    snprintf(yaml, sizeof yaml,
             "run: {paths: %llu, seed: 42, threads: 2}\n"
             "horizon: {days: %.17g, steps: %d}\n"
             "market:\n"
             "  rate: %.17g\n"
             "  assets:\n"
             "    - {name: BTC, spot: %.17g, model: {type: gbm, mu: %.17g, sigma: %.17g},\n"
             "       implied_vol: {atm: %.17g}}\n"
             "portfolio: %s\n"
             "strategies: %s\n"
             "costs: %s\n"
             "funding: %s\n"
             "margin: %s\n"
             "%s%s\n",
             (unsigned long long)(u.paths ? u.paths : 1), u.days, u.steps, u.rate, u.spot, u.rate,
             u.sigma, u.sigma, u.book, u.strategies, u.costs ? u.costs : "{}",
             u.funding ? u.funding : "{rate: 0}",
             u.margin ? u.margin : "{mode: none, initial: 0.1, maintenance: 0.005}",
             u.scenarios ? "scenarios: " : "", u.scenarios ? u.scenarios : "");
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "test.yaml", &c, &err), MCR_OK, "%s\n%s", err.msg,
                 yaml);
    return c;
}

/* Every per-path field of every strategy for one block of paths. */
typedef struct outputs {
    double pnl[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    double comp[MCR_MAX_STRATEGIES][MCR_N_COMPONENTS][MCR_BLOCK_PATHS];
    double greeks[MCR_MAX_STRATEGIES][3][MCR_BLOCK_PATHS];
    int32_t liq[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    uint32_t trades[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    double close[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    double insurance[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    double liq_price0[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    uint32_t liquidations[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    int32_t adl[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    int32_t venue_default[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    uint32_t onchain_txs[MCR_MAX_STRATEGIES][MCR_BLOCK_PATHS];
    /* book fields; a field of type I32 is int32_t values in its row: book_step() */
    double book[MCR_MAX_STRATEGIES][MCR_N_BOOK_FIELDS][MCR_BLOCK_PATHS];
    mcr_hedge_out out[MCR_MAX_STRATEGIES];
} outputs;

/* Value i of a book field of type I32 (a step) held in a row of doubles. */
static inline int32_t book_step(const double *row, uint64_t i)
{
    int32_t v;
    memcpy(&v, (const char *)row + i * sizeof v, sizeof v);
    return v;
}

static inline void outputs_init(outputs *o)
{
    memset(o->out, 0, sizeof o->out);
    for (int s = 0; s < MCR_MAX_STRATEGIES; s++) {
        o->out[s].at[MCR_FIELD_PNL] = o->pnl[s];
        o->out[s].at[MCR_FIELD_LIQUIDATION_STEP] = o->liq[s];
        o->out[s].at[MCR_FIELD_TRADES] = o->trades[s];
        o->out[s].at[MCR_FIELD_CLOSE_COST] = o->close[s];
        o->out[s].at[MCR_FIELD_INSURANCE] = o->insurance[s];
        o->out[s].at[MCR_FIELD_LIQUIDATION_PRICE0] = o->liq_price0[s];
        o->out[s].at[MCR_FIELD_LIQUIDATIONS] = o->liquidations[s];
        o->out[s].at[MCR_FIELD_ADL_STEP] = o->adl[s];
        o->out[s].at[MCR_FIELD_VENUE_DEFAULT_STEP] = o->venue_default[s];
        o->out[s].at[MCR_FIELD_ONCHAIN_TXS] = o->onchain_txs[s];
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            o->out[s].at[MCR_FIELD_COMPONENT + c] = o->comp[s][c];
        for (int k = 0; k < 3; k++)
            o->out[s].at[MCR_FIELD_NET_DELTA + k] = o->greeks[s][k];
        for (int f = 0; f < MCR_N_BOOK_FIELDS; f++)
            o->out[s].at[MCR_FIELD_BOOK_FIRST + f] = o->book[s][f];
    }
}

/* One block of deterministic price paths (paths[a][t], t = 0 .. steps, paths[a][0] = S0 of asset
 * a), global paths first .., through workspace w (of a plan of cfg), in odd chunks (the chunking
 * must not matter); o gets the outputs of its first path of every strategy, whose components
 * must add up. */
static inline void replay_block(mcr_hedge_work *w, const mcr_config *cfg, uint64_t first,
                                const double *const *paths, outputs *o)
{
    int na = cfg->n_assets, row = na * MCR_BLOCK_PATHS;
    size_t size = (size_t)cfg->steps * row;
    double *price = malloc(size * sizeof *price), *log_price = malloc(size * sizeof *price);
    for (int t = 0; t < cfg->steps; t++)
        for (int a = 0; a < na; a++)
            for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
                price[(size_t)t * row + a * MCR_BLOCK_PATHS + i] = paths[a][t + 1];
                log_price[(size_t)t * row + a * MCR_BLOCK_PATHS + i] = log(paths[a][t + 1]);
            }
    outputs_init(o);
    for (int s = 0; s < cfg->n_strategies; s++) /* path `first` lands at index 0 */
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (o->out[s].at[f])
                o->out[s].at[f] = (char *)o->out[s].at[f] -
                                  first * mcr_field_size((mcr_field_id)f);
    mcr_hedge_begin(w, first);
    for (int t = 0; t < cfg->steps; t += 7) {
        const double *s[MCR_MAX_SIM_ASSETS], *ls[MCR_MAX_SIM_ASSETS];
        for (int a = 0; a < na; a++) {
            s[a] = price + (size_t)t * row + a * MCR_BLOCK_PATHS;
            ls[a] = log_price + (size_t)t * row + a * MCR_BLOCK_PATHS;
        }
        mcr_hedge_steps(w, t, cfg->steps - t < 7 ? cfg->steps - t : 7, s, ls, row);
    }
    mcr_hedge_end(w, 1, o->out);
    for (int s = 0; s < cfg->n_strategies; s++) {
        double total = 0;
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            total += o->comp[s][c][0];
        cr_assert(fabs(total - o->pnl[s][0]) <= 1e-9 * (1 + fabs(o->pnl[s][0])),
                  "%s: components add to %.12g, pnl %.12g", cfg->strategies[s].name, total,
                  o->pnl[s][0]);
    }
    free(price);
    free(log_price);
}

/* Replay deterministic price paths through scenario `sc` of cfg on the scalar kernels, in a
 * fresh workspace (replay_block). */
static inline void replay_assets(const mcr_config *cfg, int sc, const double *const *paths,
                                 outputs *o)
{
    mcr_hedge_plan plan;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&plan, cfg, sc, &err), MCR_OK, "%s", err.msg);
    mcr_hedge_work *w = mcr_hedge_work_new(&plan, mcr_kernels_of(MCR_ISA_SCALAR));
    replay_block(w, cfg, 0, paths, o);
    mcr_hedge_work_free(w);
    mcr_hedge_plan_free(&plan);
}

/* One asset: path[t], t = 0 .. steps. */
static inline void replay(const mcr_config *cfg, const double *path, outputs *o)
{
    replay_assets(cfg, 0, (const double *const[]){path}, o);
}

/* The config of u replayed on one asset's path (path[t], t = 0 .. u.steps), then freed: the
 * shape of most hand-computed tests. */
static inline void replay_setup(setup u, const double *path, outputs *o)
{
    mcr_config c = config_of(u);
    replay(&c, path, o);
    mcr_config_free(&c);
}

/* A config spelled out as YAML text (venues, oracles, several assets: what setup does not
 * write), which must load. */
static inline mcr_config config_yaml(const char *yaml)
{
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "test.yaml", &c, &err), MCR_OK, "%s\n%s", err.msg,
                 yaml);
    return c;
}

/* A straight line from s0, `slope` a step. */
static inline void ramp(double *path, int steps, double s0, double slope)
{
    for (int t = 0; t <= steps; t++)
        path[t] = s0 + slope * t;
}

/* Every strategy's pnl, components and liquidation steps over cfg->paths simulated paths (or the
 * paths of a path file, with replay set: mcr_replay_load). */
typedef struct sim {
    mcr_config cfg;
    const mcr_replay *replay;
    double *pnl[MCR_MAX_STRATEGIES], *comp[MCR_MAX_STRATEGIES][MCR_N_COMPONENTS];
    double *book[MCR_MAX_STRATEGIES][MCR_N_BOOK_FIELDS]; /* book fields (I32: book_step()) */
    int32_t *liq[MCR_MAX_STRATEGIES];
} sim;

static inline void simulate_scenario(sim *s, int sc)
{
    mcr_hedge_out out[MCR_MAX_STRATEGIES];
    uint64_t n = s->cfg.paths;
    for (int k = 0; k < s->cfg.n_strategies; k++) {
        out[k] = (mcr_hedge_out){
            .at = {[MCR_FIELD_PNL] = s->pnl[k] = malloc(n * sizeof(double)),
                   [MCR_FIELD_LIQUIDATION_STEP] = s->liq[k] = malloc(n * sizeof(int32_t))}};
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            out[k].at[MCR_FIELD_COMPONENT + c] = s->comp[k][c] = malloc(n * sizeof(double));
        for (int f = 0; f < MCR_N_BOOK_FIELDS; f++)
            out[k].at[MCR_FIELD_BOOK_FIRST + f] = s->book[k][f] = malloc(n * sizeof(double));
    }
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()),
                           .threads = s->cfg.threads > 0 ? s->cfg.threads : 2,
                           .replay = s->replay};
    mcr_error err = {0};
    cr_assert_eq(mcr_simulate(&s->cfg, sc, &opt, out, &err), MCR_OK, "%s", err.msg);
}

static inline void simulate(sim *s) { simulate_scenario(s, 0); }

static inline void sim_free(sim *s)
{
    for (int k = 0; k < s->cfg.n_strategies; k++) {
        free(s->pnl[k]);
        free(s->liq[k]);
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            free(s->comp[k][c]);
        for (int f = 0; f < MCR_N_BOOK_FIELDS; f++)
            free(s->book[k][f]);
    }
    mcr_config_free(&s->cfg);
}

#endif
