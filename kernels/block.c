/* Block set-up: every path of a block gets its own PCG32 stream from (seed, global path index),
 * so a path's numbers do not depend on which block, lane or thread simulates it. */
#include "kernels.h"
#include "pcg32.h"

void mcr_block_init(mcr_block *b, uint64_t seed, uint64_t first_path, double log_s0)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(seed, first_path + (uint64_t)i);
        b->rng_state[i] = g.state;
        b->rng_inc[i] = g.inc;
        b->log_price[i] = log_s0;
    }
}
