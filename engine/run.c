/* Run orchestration: blocks of paths over OpenMP threads; in each block the model kernel advances
 * the prices a chunk of steps at a time and the strategy engine (hedge.c) consumes the chunk, so
 * memory stays O(paths x strategies) whatever the number of steps. Every output is written at the
 * path's global index and reduced in a fixed order: bitwise identical at any thread count. */
#include "run.h"

#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hedge.h"
#include "market.h"
#include "path_file.h"
#include "risk.h"

/* Steps per chunk: the price trace of a chunk (32 steps x 64 paths per asset) stays in L2. */
#define MCR_CHUNK_STEPS MCR_HEDGE_CHUNK

typedef struct thread_work {
    mcr_assets_block blocks;
    /* ln S and S of a chunk: row k (step t0 + k + 1) holds n_assets x 64 values */
    _Alignas(64) double trace[MCR_CHUNK_STEPS * MCR_MAX_SIM_ASSETS * MCR_BLOCK_PATHS];
    _Alignas(64) double price[MCR_CHUNK_STEPS * MCR_MAX_SIM_ASSETS * MCR_BLOCK_PATHS];
} thread_work;

/* Advance every asset of the block n steps (trace may be NULL): one kernel call. */
static void advance(const mcr_kernels *k, const mcr_market *mp, thread_work *tw, int n,
                    double *trace)
{
    if (mp->gbm_only)
        k->gbm(&tw->blocks.asset[0], &mp->gbm, n, trace);
    else if (mp->n_assets == 1)
        k->model(&tw->blocks.asset[0], &mp->step.model[0], n, trace);
    else
        k->assets(&tw->blocks, &mp->step, n, trace);
}

static void apply_shock(const mcr_market *mp, thread_work *tw)
{
    for (int a = 0; a < mp->n_assets; a++)
        for (int i = 0; i < MCR_BLOCK_PATHS; i++)
            tw->blocks.asset[a].log_price[i] += mp->shock_log;
}

/* One block, step by step: a chunk never spans the shock, which lands between two steps. */
static void block_with_path(const mcr_kernels *k, const mcr_market *mp, thread_work *tw,
                            mcr_hedge_work *hw, int steps)
{
    int na = mp->n_assets, row = na * MCR_BLOCK_PATHS;
    const double *prices[MCR_MAX_SIM_ASSETS], *logs[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < na; a++) {
        prices[a] = tw->price + a * MCR_BLOCK_PATHS;
        logs[a] = tw->trace + a * MCR_BLOCK_PATHS;
    }
    for (int t = 0; t < steps;) {
        int n = steps - t < MCR_CHUNK_STEPS ? steps - t : MCR_CHUNK_STEPS;
        if (t == mp->shock_at)
            apply_shock(mp, tw);
        if (t < mp->shock_at && t + n > mp->shock_at)
            n = mp->shock_at - t;
        advance(k, mp, tw, n, tw->trace);
        k->exp(tw->trace, tw->price, n * row);
        mcr_hedge_steps(hw, t, n, prices, logs, row);
        t += n;
    }
}

/* One block of replayed paths: the file's prices in chunks, as the kernels would give them. */
static void block_replayed(const mcr_replay *r, const mcr_market *mp, thread_work *tw,
                           mcr_hedge_work *hw, uint64_t first, int steps)
{
    int na = mp->n_assets, row = na * MCR_BLOCK_PATHS;
    const double *prices[MCR_MAX_SIM_ASSETS], *logs[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < na; a++) {
        prices[a] = tw->price + a * MCR_BLOCK_PATHS;
        logs[a] = tw->trace + a * MCR_BLOCK_PATHS;
    }
    for (int t = 0; t < steps; t += MCR_CHUNK_STEPS) {
        int n = steps - t < MCR_CHUNK_STEPS ? steps - t : MCR_CHUNK_STEPS;
        for (int k = 0; k < n; k++)
            for (int a = 0; a < na; a++)
                for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
                    /* a short last block repeats its last path: outputs beyond it are dropped */
                    uint64_t path = first + i < r->paths ? first + i : r->paths - 1;
                    double s = r->price[a][(size_t)(t + k + 1) * r->paths + path];
                    tw->price[k * row + a * MCR_BLOCK_PATHS + i] = s;
                    tw->trace[k * row + a * MCR_BLOCK_PATHS + i] = log(s);
                }
        mcr_hedge_steps(hw, t, n, prices, logs, row);
    }
}

/* One block when nothing acts before the horizon: the kernel runs the whole horizon untraced. */
static void block_to_horizon(const mcr_kernels *k, const mcr_market *mp, thread_work *tw,
                             mcr_hedge_work *hw, int steps)
{
    const double *prices[MCR_MAX_SIM_ASSETS];
    mcr_hedge_steps(hw, 0, 0, NULL, NULL, 0);
    advance(k, mp, tw, steps, NULL);
    if (mp->shock_at >= 0) /* increments are independent of the level: the shock commutes */
        apply_shock(mp, tw);
    for (int a = 0; a < mp->n_assets; a++) {
        k->exp(tw->blocks.asset[a].log_price, tw->price + a * MCR_BLOCK_PATHS, MCR_BLOCK_PATHS);
        prices[a] = tw->price + a * MCR_BLOCK_PATHS;
    }
    mcr_hedge_jump(hw, prices);
}

mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        mcr_hedge_out *out, mcr_error *err)
{
    mcr_market mp;
    mcr_hedge_plan plan;
    mcr_status st = mcr_market_init(&mp, cfg, scenario, err);
    if (st == MCR_OK)
        st = mcr_hedge_plan_init(&plan, cfg, scenario, err);
    if (st != MCR_OK)
        return st;

    const mcr_replay *replay = opt->replay && opt->replay->paths ? opt->replay : NULL;
    const uint64_t paths = replay ? replay->paths : cfg->paths, seed = cfg->seed;
    const int64_t n_blocks = (int64_t)((paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
    const mcr_kernels *k = opt->kernels;
    int failed = 0;

#pragma omp parallel num_threads(opt->threads) reduction(| : failed)
    {
        thread_work *tw = aligned_alloc(64, sizeof *tw);
        mcr_hedge_work *hw = mcr_hedge_work_new(&plan, k);
        if (!tw || !hw)
            failed = 1;
#pragma omp for schedule(dynamic, 4)
        for (int64_t b = 0; b < n_blocks; b++) {
            if (failed)
                continue;
            uint64_t first = (uint64_t)b * MCR_BLOCK_PATHS;
            mcr_assets_block_init(&tw->blocks, &mp.step, seed, first, mp.log_s0);
            mcr_hedge_begin(hw, first);
            if (replay)
                block_replayed(replay, &mp, tw, hw, first, cfg->steps);
            else if (plan.needs_path)
                block_with_path(k, &mp, tw, hw, cfg->steps);
            else
                block_to_horizon(k, &mp, tw, hw, cfg->steps);
            uint64_t left = paths - first;
            mcr_hedge_end(hw, left < MCR_BLOCK_PATHS ? (int)left : MCR_BLOCK_PATHS, out);
        }
        mcr_hedge_work_free(hw);
        free(tw);
    }
    mcr_hedge_plan_free(&plan);
    if (failed)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the per-thread workspaces");
    return MCR_OK;
}

mcr_status mcr_replay_load(const mcr_config *cfg, mcr_replay *r, mcr_error *err)
{
    memset(r, 0, sizeof *r);
    int replayed = 0;
    for (int a = 0; a < cfg->n_assets; a++)
        replayed += cfg->assets[a].path_file[0] != 0;
    if (replayed == 0)
        return MCR_OK;
    for (int a = 0; a < cfg->n_assets; a++) {
        if (!cfg->assets[a].path_file[0]) {
            mcr_replay_free(r);
            return mcr_fail(err, MCR_ERR_INPUT, "market.assets[%d].path_file: missing; when one "
                            "asset replays a path file every asset must", a);
        }
        uint64_t n;
        mcr_status st = mcr_path_file_load(cfg->assets[a].path_file, cfg->steps,
                                           cfg->assets[a].spot, &r->price[a], &n, err);
        if (st == MCR_OK && a > 0 && n != r->paths)
            st = mcr_fail(err, MCR_ERR_INPUT, "%s: %llu paths (columns), but %s has %llu; every "
                          "path file must have as many", cfg->assets[a].path_file,
                          (unsigned long long)n, cfg->assets[0].path_file,
                          (unsigned long long)r->paths);
        if (st != MCR_OK) {
            mcr_replay_free(r);
            return st;
        }
        r->paths = n;
    }
    return MCR_OK;
}

void mcr_replay_free(mcr_replay *r)
{
    for (int a = 0; a < MCR_MAX_SIM_ASSETS; a++)
        free(r->price[a]);
    memset(r, 0, sizeof *r);
}

static void utc_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static mcr_status fill_provenance(const mcr_config *cfg, const mcr_run_options *opt,
                                  mcr_provenance *p, mcr_error *err)
{
    snprintf(p->mcrisk_version, sizeof p->mcrisk_version, "%s", MCR_VERSION);
    snprintf(p->git_revision, sizeof p->git_revision, "%s", MCR_GIT_REVISION);
    utc_now(p->created_utc, sizeof p->created_utc);
    p->config_yaml = strdup(cfg->yaml ? cfg->yaml : "");
    if (!p->config_yaml)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory copying the config text");
    p->seed = cfg->seed;
    p->paths = cfg->paths;
    p->steps = cfg->steps;
    p->horizon_days = cfg->horizon_days;
    p->threads = opt->threads;
    snprintf(p->isa, sizeof p->isa, "%s", opt->kernels->name);
    snprintf(p->rng, sizeof p->rng, "pcg32-xsh-rr-64/32 stream=path state=splitmix64(seed,path)");
    snprintf(p->compiler, sizeof p->compiler, "%s", MCR_COMPILER);
    snprintf(p->flags, sizeof p->flags, "%s", MCR_C_FLAGS);
    return MCR_OK;
}

/* Allocate the per-path arrays of one cell (all of them: the summaries need them). */
static bool alloc_detail(mcr_strategy_result *c, uint64_t n)
{
    c->pnl = malloc(n * sizeof *c->pnl);
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        c->component[k] = malloc(n * sizeof *c->component[k]);
    c->liquidation_step = malloc(n * sizeof *c->liquidation_step);
    c->trades = malloc(n * sizeof *c->trades);
    for (int k = 0; k < 3; k++)
        c->greeks[k] = malloc(n * sizeof *c->greeks[k]);
    bool ok = c->pnl && c->liquidation_step && c->trades;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        ok = ok && c->component[k];
    for (int k = 0; k < 3; k++)
        ok = ok && c->greeks[k];
    return ok;
}

static double mean_of(const double *x, uint64_t n)
{
    double s = 0;
    for (uint64_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

static double variance_of(const double *x, uint64_t n)
{
    double m = mean_of(x, n), ss = 0;
    for (uint64_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    return ss / (double)(n > 1 ? n - 1 : 1);
}

/* Summaries of one cell from its n per-path values, in path order. */
static void summarize(const mcr_config *cfg, uint64_t n, mcr_strategy_result *c, double *scratch)
{
    uint64_t liquidated = 0, trades = 0;
    mcr_risk_summarize(c->pnl, n, cfg->levels, cfg->n_levels, scratch, &c->summary);
    for (uint64_t i = 0; i < n; i++) {
        liquidated += c->liquidation_step[i] >= 0;
        trades += c->trades[i];
    }
    double p = (double)liquidated / (double)n;
    c->summary.p_liquidation = p;
    c->summary.p_liquidation_se = sqrt(p * (1 - p) / (double)n);
    c->trades_mean = (double)trades / (double)n;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        c->component_mean[k] = mean_of(c->component[k], n);
    for (int k = 0; k < 3; k++)
        c->greeks_mean[k] = mean_of(c->greeks[k], n);
    double book_var = variance_of(c->component[MCR_PNL_BOOK], n);
    c->hedge_effectiveness = book_var > 0 ? 1.0 - c->summary.std * c->summary.std / book_var : 0;
}

/* Every scenario and strategy, one scenario at a time (the per-path arrays of a scenario are
 * freed after summarising unless keep_pnl). */
static mcr_status run_scenarios(const mcr_config *cfg, const mcr_run_options *opt, uint64_t n,
                                mcr_result *out, double *scratch, mcr_error *err)
{
    mcr_status st = MCR_OK;
    for (int sc = 0; sc < cfg->n_scenarios && st == MCR_OK; sc++) {
        mcr_hedge_out hout[MCR_MAX_STRATEGIES];
        for (int s = 0; s < cfg->n_strategies && st == MCR_OK; s++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, s);
            snprintf(cell->scenario, sizeof cell->scenario, "%s", cfg->scenarios[sc].name);
            snprintf(cell->strategy, sizeof cell->strategy, "%s", cfg->strategies[s].name);
            if (!alloc_detail(cell, n))
                st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the P&L of %llu paths",
                              (unsigned long long)n);
            hout[s] = (mcr_hedge_out){.pnl = cell->pnl, .liquidation_step = cell->liquidation_step,
                                      .trades = cell->trades};
            memcpy(hout[s].component, cell->component, sizeof hout[s].component);
            memcpy(hout[s].greeks, cell->greeks, sizeof hout[s].greeks);
        }
        if (st == MCR_OK)
            st = mcr_simulate(cfg, sc, opt, hout, err);
        for (int s = 0; s < cfg->n_strategies && st == MCR_OK; s++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, s);
            summarize(cfg, n, cell, scratch);
            if (!cfg->keep_pnl) /* memory stays O(paths x strategies) for one scenario */
                mcr_strategy_result_free_detail(cell);
        }
    }
    return st;
}

mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, mcr_result *out,
                   mcr_error *err)
{
    memset(out, 0, sizeof *out);
    mcr_replay replay;
    mcr_status st = mcr_replay_load(cfg, &replay, err);
    if (st != MCR_OK)
        return st;
    mcr_run_options run_opt = *opt;
    run_opt.replay = replay.paths ? &replay : NULL;
    uint64_t n = replay.paths ? replay.paths : cfg->paths;
    if (n < 2) {
        mcr_replay_free(&replay);
        return mcr_fail(err, MCR_ERR_INPUT, "run.paths: risk figures need at least 2 paths "
                        "(got %llu)", (unsigned long long)n);
    }

    st = fill_provenance(cfg, &run_opt, &out->prov, err);
    out->prov.paths = n;
    out->n_scenarios = cfg->n_scenarios;
    out->n_strategies = cfg->n_strategies;
    out->cells = calloc((size_t)cfg->n_scenarios * (size_t)cfg->n_strategies, sizeof *out->cells);
    double *scratch = malloc(n * sizeof *scratch);
    if (st == MCR_OK && (!out->cells || !scratch))
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for %llu paths", (unsigned long long)n);
    double start = omp_get_wtime();
    if (st == MCR_OK)
        st = run_scenarios(cfg, &run_opt, n, out, scratch, err);
    out->seconds = omp_get_wtime() - start;
    free(scratch);
    mcr_replay_free(&replay);
    if (st != MCR_OK)
        mcr_result_free(out);
    return st;
}
