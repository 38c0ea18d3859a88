/* The jump-diffusion kernels (merton, kou), compiled once per ISA: per step
 * ln S += drift + vol z + (the step's log-jump sum). A pass over a chunk of steps draws the price
 * uniforms and the jump counts' uniforms (the size uniforms are skipped, and replayed later for
 * the few lanes with a jump), transforms the price normals, computes the packed jumps and folds
 * them into the normals of the vectors that have one, then advances the prices as GBM's. With
 * W2's 10 jumps a year and daily steps, 2.7% of lanes jump per step, so the jumps cost little
 * beyond their count's PCG32 output. */
#include <string.h>

#include "draws_simd.h"

/* merton and kou: one asset, n_steps, in passes of MCR_CHUNK steps. */
void MCR_SUFFIX(mcr_jumps_paths)(mcr_block *b, const mcr_model_step *c, int n_steps,
                                 double *trace)
{
    _Alignas(64) double z[MCR_ROWS];
    _Alignas(64) uint64_t start[MCR_BLOCK_PATHS];
    mcr_sparse_buf tails, jumps;
    mcr_sparse zt = mcr_sparse_of(&tails), jm = mcr_sparse_of(&jumps);
    mcr_jump_list list;
    mcr_lcg_skip skip = mcr_lcg_skip_of(1 + mcr_jump_sizes(c));
    for (int t = 0; t < n_steps; t += MCR_CHUNK) {
        int n = n_steps - t < MCR_CHUNK ? n_steps - t : MCR_CHUNK;
        memcpy(start, b->rng_state, sizeof start);
        mcr_fill_steps(b, n, z, NULL, &skip, c->jump.cdf[0], jm.mask);
        mcr_inverse_cdf(z, n * MCR_BLOCK_PATHS, zt);
        mcr_take_shocks(b, z, n, zt.mask);
        mcr_take_tilt(b, z, n, &zt);
        mcr_jumps_of_chunk(b, start, c, n, jm, &list);
        mcr_fold_jumps(z, zt, jm, &list, c->vol);
        MCR_SUFFIX(mcr_gbm_advance)(b, c, n, z, zt,
                                    trace ? trace + (size_t)t * MCR_BLOCK_PATHS : NULL,
                                    MCR_BLOCK_PATHS);
    }
}
