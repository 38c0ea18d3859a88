/* Run orchestration: blocks of paths over OpenMP threads; in each block the model kernel advances
 * the prices a chunk of steps at a time and the strategy engine (hedge.c) consumes the chunk, so
 * memory stays O(paths x strategies) whatever the number of steps. Every output is written at the
 * path's global index and reduced in a fixed order: bitwise identical at any thread count. */
#include "run.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hedge.h"
#include "risk.h"

/* Steps per chunk: the price trace of a chunk (32 x 64 doubles per asset) stays in L1/L2. */
#define MCR_CHUNK_STEPS 32

typedef struct thread_work {
    mcr_block block;
    _Alignas(64) double trace[MCR_CHUNK_STEPS * MCR_BLOCK_PATHS];
    _Alignas(64) double price[MCR_CHUNK_STEPS * MCR_BLOCK_PATHS];
} thread_work;

mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        mcr_hedge_out *out, mcr_error *err)
{
    if (cfg->n_assets != 1)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "market.assets: %d assets given; this version simulates exactly one",
                        cfg->n_assets);
    if (cfg->assets[0].model.type != MCR_MODEL_GBM)
        return mcr_fail(err, MCR_ERR_INPUT, "market.assets[0].model.type: %s is not simulated "
                        "yet; allowed: gbm", mcr_model_name(cfg->assets[0].model.type));
    mcr_hedge_plan plan;
    mcr_status st = mcr_hedge_plan_init(&plan, cfg, scenario, err);
    if (st != MCR_OK)
        return st;

    const mcr_gbm_step step = mcr_gbm_step_of(&cfg->assets[0].model.gbm, mcr_config_dt(cfg));
    const double log_s0 = log(cfg->assets[0].spot);
    const uint64_t paths = cfg->paths, seed = cfg->seed;
    const int64_t n_blocks = (int64_t)((paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
    const int steps = cfg->steps;
    const mcr_kernels *k = opt->kernels;
    int failed = 0;

#pragma omp parallel num_threads(opt->threads) reduction(| : failed)
    {
        thread_work *tw = aligned_alloc(64, sizeof *tw);
        mcr_hedge_work *hw = mcr_hedge_work_new(&plan);
        if (!tw || !hw)
            failed = 1;
        const double *prices[1] = {tw ? tw->price : NULL};
#pragma omp for schedule(dynamic, 4)
        for (int64_t b = 0; b < n_blocks; b++) {
            if (failed)
                continue;
            uint64_t first = (uint64_t)b * MCR_BLOCK_PATHS;
            mcr_block_init(&tw->block, seed, first, log_s0);
            mcr_hedge_begin(hw, first);
            if (plan.needs_path) {
                for (int t = 0; t < steps; t += MCR_CHUNK_STEPS) {
                    int n = steps - t < MCR_CHUNK_STEPS ? steps - t : MCR_CHUNK_STEPS;
                    k->gbm(&tw->block, &step, n, tw->trace);
                    for (int i = 0; i < n * MCR_BLOCK_PATHS; i++)
                        tw->price[i] = exp(tw->trace[i]);
                    mcr_hedge_steps(hw, t, n, prices);
                }
            } else { /* only the horizon matters: no trace, no per-step work */
                mcr_hedge_steps(hw, 0, 0, NULL);
                k->gbm(&tw->block, &step, steps, NULL);
                for (int i = 0; i < MCR_BLOCK_PATHS; i++)
                    tw->price[i] = exp(tw->block.log_price[i]);
                mcr_hedge_jump(hw, prices);
            }
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

/* Summaries of one cell from its per-path arrays, in path order. */
static void summarize(const mcr_config *cfg, mcr_strategy_result *c, double *scratch)
{
    uint64_t n = cfg->paths, liquidated = 0, trades = 0;
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

mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, mcr_result *out,
                   mcr_error *err)
{
    memset(out, 0, sizeof *out);
    mcr_status st = fill_provenance(cfg, opt, &out->prov, err);
    if (st != MCR_OK)
        return st;
    out->n_scenarios = cfg->n_scenarios;
    out->n_strategies = cfg->n_strategies;
    out->cells = calloc((size_t)cfg->n_scenarios * (size_t)cfg->n_strategies, sizeof *out->cells);
    double *scratch = malloc(cfg->paths * sizeof *scratch);
    if (!out->cells || !scratch) {
        free(scratch);
        mcr_result_free(out);
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for %llu paths",
                        (unsigned long long)cfg->paths);
    }

    double start = omp_get_wtime();
    for (int sc = 0; sc < cfg->n_scenarios && st == MCR_OK; sc++) {
        mcr_hedge_out hout[MCR_MAX_STRATEGIES];
        for (int s = 0; s < cfg->n_strategies && st == MCR_OK; s++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, s);
            snprintf(cell->scenario, sizeof cell->scenario, "%s", cfg->scenarios[sc].name);
            snprintf(cell->strategy, sizeof cell->strategy, "%s", cfg->strategies[s].name);
            if (!alloc_detail(cell, cfg->paths))
                st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the P&L of %llu paths",
                              (unsigned long long)cfg->paths);
            hout[s] = (mcr_hedge_out){.pnl = cell->pnl, .liquidation_step = cell->liquidation_step,
                                      .trades = cell->trades};
            memcpy(hout[s].component, cell->component, sizeof hout[s].component);
            memcpy(hout[s].greeks, cell->greeks, sizeof hout[s].greeks);
        }
        if (st == MCR_OK)
            st = mcr_simulate(cfg, sc, opt, hout, err);
        for (int s = 0; s < cfg->n_strategies && st == MCR_OK; s++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, s);
            summarize(cfg, cell, scratch);
            if (!cfg->keep_pnl) /* memory stays O(paths x strategies) for one scenario */
                mcr_strategy_result_free_detail(cell);
        }
    }
    out->seconds = omp_get_wtime() - start;
    free(scratch);
    if (st != MCR_OK)
        mcr_result_free(out);
    return st;
}
