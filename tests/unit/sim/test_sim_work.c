/* Workspaces kept across calls (sim/sim_work.c, mcr_sim_options.work): a pool used for a
 * sequence of "days" (the same config with other spots and parameters, as a backtest makes
 * them), across a change of shape (fewer strategies, variance reduction on) and back, gives every
 * path's outputs bitwise as fresh workspaces do, at 1 and 2 threads. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_expect.h"
#include "sim/sim.h"

#define N 700

static const char *const book =
    "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1}\n"
    "  - {asset: BTC, instrument: put, strike: 90, expiry_days: 10, quantity: 1}\n";

static void load(double spot, double sigma, bool wide, bool antithetic, mcr_config *cfg)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "run: {paths: %d, seed: 3%s}\nhorizon: {days: 3, steps: 72}\n"
             "market:\n  assets:\n    - {name: BTC, spot: %g, model: {type: merton, sigma: %g, "
             "jump_intensity: 20, jump_mean: -0.05, jump_std: 0.1}}\n%s"
             "strategies:\n  - {name: none, type: none}\n"
             "  - {name: delta, type: delta_hedge, instrument: linear_perp, "
             "rebalance: {every_steps: 6}}\n%s",
             N, antithetic ? ", variance_reduction: {antithetic: true}" : "", spot, sigma, book,
             wide ? "  - {name: collar, type: collar, put_strike: 0.9, call_strike: auto}\n"
                    "  - {name: roll, type: protective_put, strike: 0.95, expiry_days: 1.5, "
                    "roll: {every_days: 0.5}}\n"
                  : "");
    load_ok(yaml, cfg);
}

/* Every strategy's P&L and liquidation step of scenario 0. */
static double *simulate(const mcr_config *cfg, mcr_sim_work *pool, int threads)
{
    double *pnl = malloc((size_t)cfg->n_strategies * N * sizeof *pnl);
    mcr_field_set out[MCR_MAX_STRATEGIES];
    memset(out, 0, sizeof out);
    for (int s = 0; s < cfg->n_strategies; s++)
        out[s].at[MCR_FIELD_PNL] = pnl + (size_t)s * N;
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = threads,
                           .work = pool};
    mcr_error err = {0};
    cr_assert_eq(mcr_simulate(cfg, 0, &opt, out, &err), MCR_OK, "%s", err.msg);
    return pnl;
}

Test(sim_work, pooled_equals_fresh)
{
    static const struct {
        double spot, sigma;
        bool wide, antithetic;
    } days[] = {{100, 0.5, true, false},  {101, 0.55, true, false}, {99, 0.6, false, false},
                {98, 0.5, false, true},   {97, 0.45, true, true},   {100, 0.5, true, false}};
    for (int threads = 1; threads <= 2; threads++) {
        mcr_sim_work *pool = mcr_sim_work_new();
        cr_assert_not_null(pool);
        for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
            mcr_config cfg;
            load(days[d].spot, days[d].sigma, days[d].wide, days[d].antithetic, &cfg);
            double *fresh = simulate(&cfg, NULL, threads), *pooled = simulate(&cfg, pool, threads);
            size_t n = (size_t)cfg.n_strategies * N;
            cr_assert(memcmp(fresh, pooled, n * sizeof *fresh) == 0,
                      "day %zu, %d threads: pooled workspaces change the P&L", d, threads);
            double spread = 0; /* a P&L that could differ */
            for (size_t i = 1; i < n; i++)
                spread += fresh[i] != fresh[i - 1];
            cr_assert(spread > n / 2);
            free(fresh);
            free(pooled);
            mcr_config_free(&cfg);
        }
        mcr_sim_work_free(pool);
    }
}
