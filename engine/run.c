/* Run orchestration: blocks of paths over OpenMP threads, P&L per path at its global index, then
 * risk figures per scenario and strategy in a fixed order. */
#include "run.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "risk.h"

/* Value at the horizon per unit of the asset's final price, and the initial value carried to the
 * horizon at `rate`: the P&L of a spot book is qty (S_T - S0 e^{rT}). */
static double spot_quantity(const mcr_config *cfg)
{
    double qty = 0.0;
    for (int i = 0; i < cfg->n_positions; i++)
        qty += cfg->portfolio[i].quantity;
    return qty;
}

mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        double *const *pnl, mcr_error *err)
{
    (void)scenario; /* scenarios carry no shocks yet: every scenario sees the base market */
    if (cfg->n_assets != 1)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "market.assets: %d assets given; this version simulates exactly one",
                        cfg->n_assets);
    const mcr_asset *asset = &cfg->assets[0];
    const mcr_gbm_step step = mcr_gbm_step_of(&asset->model.gbm, mcr_config_dt(cfg));
    const double horizon_years = cfg->horizon_days / 365.0;
    const double carried_s0 = asset->spot * exp(cfg->rate * horizon_years);
    const double qty = spot_quantity(cfg), log_s0 = log(asset->spot);
    const uint64_t paths = cfg->paths, seed = cfg->seed;
    const int64_t n_blocks = (int64_t)((paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
    const int n_strategies = cfg->n_strategies, steps = cfg->steps;
    const mcr_kernels *k = opt->kernels;

#pragma omp parallel for schedule(dynamic, 8) num_threads(opt->threads)
    for (int64_t b = 0; b < n_blocks; b++) {
        mcr_block block;
        uint64_t first = (uint64_t)b * MCR_BLOCK_PATHS;
        mcr_block_init(&block, seed, first, log_s0);
        k->gbm(&block, &step, steps, NULL);
        uint64_t count = paths - first < MCR_BLOCK_PATHS ? paths - first : MCR_BLOCK_PATHS;
        for (uint64_t i = 0; i < count; i++) {
            double book = qty * (exp(block.log_price[i]) - carried_s0);
            for (int s = 0; s < n_strategies; s++)
                pnl[s][first + i] = book; /* strategy `none`: the book alone */
        }
    }
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
    double *pnl[MCR_MAX_STRATEGIES] = {0};
    double *scratch = malloc(cfg->paths * sizeof *scratch);
    if (!out->cells || !scratch) {
        free(scratch);
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for %llu paths",
                        (unsigned long long)cfg->paths);
    }

    double start = omp_get_wtime();
    for (int sc = 0; sc < cfg->n_scenarios && st == MCR_OK; sc++) {
        for (int s = 0; s < cfg->n_strategies && st == MCR_OK; s++) {
            pnl[s] = malloc(cfg->paths * sizeof *pnl[s]);
            if (!pnl[s])
                st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the P&L of %llu paths",
                              (unsigned long long)cfg->paths);
        }
        if (st == MCR_OK)
            st = mcr_simulate(cfg, sc, opt, pnl, err);
        for (int s = 0; s < cfg->n_strategies; s++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, s);
            snprintf(cell->scenario, sizeof cell->scenario, "%s", cfg->scenarios[sc].name);
            snprintf(cell->strategy, sizeof cell->strategy, "%s", cfg->strategies[s].name);
            if (st == MCR_OK)
                mcr_risk_summarize(pnl[s], cfg->paths, cfg->levels, cfg->n_levels, scratch,
                                   &cell->summary);
            if (st == MCR_OK && cfg->keep_pnl) {
                cell->pnl = pnl[s]; /* ownership moves to the result */
            } else {
                free(pnl[s]);
            }
            pnl[s] = NULL;
        }
    }
    out->seconds = omp_get_wtime() - start;
    free(scratch);
    if (st != MCR_OK)
        mcr_result_free(out);
    return st;
}
