/* The scalar reference of the pegged-asset kernel (models/peg.h): one path at a time, the peg
 * updated by mcr_peg_update with libm, two uniforms per step (u_count, u_time) from the asset's
 * own stream. The oracle of the vector kernel (kernels/simd/peg_simd.c). */
#include <math.h>
#include <stddef.h>

#include "kernels/kernels.h"
#include "kernels/paths.h"
#include "kernels/pcg32.h"

void mcr_peg_paths_ref(mcr_block *b, const mcr_peg_step *c, const double *ref, double *out,
                       int n_steps, int stride)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = {.state = b->rng_state[i], .inc = b->rng_inc[i]};
        double peg = b->peg[i], log_max = b->peg_log_max[i], x = b->log_price[i];
        for (int t = 0; t < n_steps; t++) {
            double log_ref = ref[(size_t)t * stride + i];
            double drawdown = mcr_peg_drawdown(&log_max, log_ref);
            double u_count = ((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32;
            double u_time = ((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32;
            peg = mcr_peg_update(c, peg, drawdown, u_count, u_time);
            x = log_ref + log(peg);
            out[(size_t)t * stride + i] = x;
        }
        b->rng_state[i] = g.state;
        b->peg[i] = peg;
        b->peg_log_max[i] = log_max;
        b->log_price[i] = x;
    }
}
