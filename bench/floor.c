/* The floor workload: nothing but the unavoidable work of a single-asset spot workload (W1, W2),
 * written in the project: seed each block's PCG32 streams, run the model's path kernel to the
 * horizon (PCG32 + AS241 normal + step, + jumps), exp of ln S_T and the P&L, over blocks on the
 * OpenMP threads. No config, market, scenario, strategy, buffers or callbacks: the distance of a
 * workload's rate from this one is what the engine around the kernel costs (issue 11's goal:
 * >= 0.85 of the floor), measured in the same run on the same machine. Its P&L is the engine's to
 * the last bit on the same kernels (the draw contract), which bench checks before timing it. */
#include "floor.h"

#include <math.h>

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
