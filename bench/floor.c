/* The floor workload: nothing but the unavoidable work of a single-asset spot workload (W1, W2),
 * written in the project: seed each block's PCG32 streams, run the model's path kernel to the
 * horizon (PCG32 + AS241 normal + step, + jumps), exp of ln S_T and the P&L, over blocks on the
 * OpenMP threads. No config, market, scenario, strategy, buffers or callbacks: the distance of a
 * workload's rate from this one is what the engine around the kernel costs (issue 11's goal:
 * >= 0.85 of the floor), measured in the same run on the same machine. Its P&L is the engine's to
 * the last bit on the same kernels (the draw contract), which bench checks before timing it.
 * W3's floor (mcr_bench_floor_hedge_run) adds its delta hedge's bare arithmetic with a table
 * normal CDF; its P&L is the engine's within the table's error. */
#include "floor.h"

#include <math.h>
#include <stdlib.h>

#include "kernels/ncdf.h"
#include "models/black_scholes.h"
#include "models/model_step.h"

bool mcr_bench_floor_fits(const mcr_config *cfg)
{
    return cfg->n_assets == 1 && cfg->n_scenarios <= 1;
}

void mcr_bench_floor_run(const mcr_config *cfg, const mcr_kernels *k, int threads, double *pnl)
{
    const double s0 = cfg->assets[0].spot, log_s0 = log(s0);
    const mcr_model_step c = mcr_model_step_of(&cfg->assets[0].model,
                                                cfg->horizon_days / 365.0 / cfg->steps);
    const int64_t n_blocks = (int64_t)((cfg->paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t j = 0; j < n_blocks; j++) {
        mcr_block b;
        _Alignas(64) double s[MCR_BLOCK_PATHS];
        uint64_t first = (uint64_t)j * MCR_BLOCK_PATHS, left = cfg->paths - first;
        int count = left < MCR_BLOCK_PATHS ? (int)left : MCR_BLOCK_PATHS;
        mcr_block_init_asset(&b, &c, cfg->seed, 0, first, log_s0);
        k->model(&b, &c, cfg->steps, NULL);
        k->exp(b.log_price, s, MCR_BLOCK_PATHS);
        for (int i = 0; i < count; i++)
            pnl[first + i] = s[i] - s0;
    }
}

/* W3's floor: the GBM kernel in chunks of steps as the engine runs it (exp of the prices
 * included), then per step the hedge's arithmetic (kernels/hedge_floor.h, compiled per ISA): the
 * perpetual's variation margin and funding, N(d1) from a table, the trade and its fee. No book,
 * venue, plan, scheduling or output: what is left is the unavoidable work. */
void mcr_bench_floor_hedge_run(const mcr_config *cfg, const mcr_hedge_floor *h,
                               const mcr_kernels *k, int threads, double *pnl)
{
    enum { CHUNK = 32 };
    static double table[MCR_FLOOR_CDF_POINTS]; /* the engine's CDF nodes (kernels/ncdf.h) */
    _Static_assert(MCR_FLOOR_CDF_POINTS == 2 * MCR_NCDF_NODES - 1, "N at -8 .. 8");
    const double lo = -MCR_NCDF_TOP, scale = MCR_NCDF_SCALE;
    for (int j = 0; j < MCR_FLOOR_CDF_POINTS; j++)
        table[j] = mcr_ncdf_node(j - (MCR_NCDF_NODES - 1));
    const int steps = cfg->steps;
    const double s0 = cfg->assets[0].spot, log_s0 = log(s0), step_hours = 24 * cfg->horizon_days / steps;
    const double expiry = h->expiry_days / 365.0, dt = cfg->horizon_days / 365.0 / steps;
    const mcr_model_step c = mcr_model_step_of(&cfg->assets[0].model, dt);
    mcr_euro call = {.payoff = MCR_CALL, .spot = s0, .strike = h->strike, .expiry = expiry};
    const double premium = mcr_bs_price(&call, h->vol); /* received for the short call */
    mcr_floor_terms *terms = malloc((size_t)(steps + 1) * sizeof *terms);
    if (!terms)
        return;
    for (int t = 0; t <= steps; t++) { /* every step's constants, once */
        double tau = expiry - t * dt, sq = sqrt(tau > 0 ? tau : 0);
        double falls = floor(t * step_hours / h->funding_hours + 1e-9) -
                       (t ? floor((t - 1) * step_hours / h->funding_hours + 1e-9) : 0);
        terms[t] = (mcr_floor_terms){
            .rate = falls * h->funding_rate, .fee_rate = h->fee_bps * 1e-4, .trade = t < steps,
            .log_k = log(h->strike), .drift = 0.5 * h->vol * h->vol * tau,
            .inv_vol_sq = 1.0 / (h->vol * sq), .table = table, .table_lo = lo,
            .table_scale = scale, .table_n = MCR_FLOOR_CDF_POINTS};
    }
    const int64_t n_blocks = (int64_t)((cfg->paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t j = 0; j < n_blocks; j++) {
        enum { NP = MCR_BLOCK_PATHS };
        mcr_block b;
        _Alignas(64) double trace[CHUNK * NP], price[CHUNK * NP], s_prev[NP], q[NP], gains[NP],
            costs[NP];
        uint64_t first = (uint64_t)j * NP, left = cfg->paths - first;
        int count = left < NP ? (int)left : NP;
        mcr_block_init_asset(&b, &c, cfg->seed, 0, first, log_s0);
        for (int i = 0; i < NP; i++) { /* t = 0: open at S0 */
            s_prev[i] = price[i] = s0;
            trace[i] = log_s0;
            q[i] = gains[i] = costs[i] = 0.0;
        }
        k->strat->hedge_floor(&terms[0], price, trace, s_prev, q, gains, costs);
        for (int t = 0; t < steps; t += CHUNK) {
            int n = steps - t < CHUNK ? steps - t : CHUNK;
            k->model(&b, &c, n, trace);
            k->exp(trace, price, n * NP);
            for (int r = 0; r < n; r++)
                k->strat->hedge_floor(&terms[t + r + 1], price + r * NP, trace + r * NP, s_prev,
                                      q, gains, costs);
        }
        for (int i = 0; i < count; i++) {
            double payoff = s_prev[i] > h->strike ? s_prev[i] - h->strike : 0.0;
            pnl[first + i] = premium - payoff + gains[i] + costs[i];
        }
    }
    free(terms);
}
