/* The scalar reference kernels: one path at a time, straight from the definitions, with libm and
 * the models' AS241 quantile. They are the fallback ISA and the oracle every vector kernel is
 * tested against, so they stay simple rather than fast. */
#include <math.h>
#include <stddef.h>

#include "models/normal.h"
#include "kernels/kernels.h"
#include "kernels/paths.h"
#include "kernels/pcg32.h"

static mcr_pcg32 mcr_path_rng(const mcr_block *b, int i)
{
    return (mcr_pcg32){.state = b->rng_state[i], .inc = b->rng_inc[i]};
}

/* A 32-bit output as a uniform in (0, 1): the midpoint of its cell, never 0 or 1. */
static double mcr_unit(uint32_t x) { return ((double)x + 0.5) * 0x1p-32; }

static double mcr_normal_draw(mcr_pcg32 *g)
{
    return mcr_norm_quantile(mcr_unit(mcr_pcg32_next(g)));
}

void mcr_uniform32_ref(mcr_block *b, uint32_t *out, int per_path)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_path_rng(b, i);
        for (int k = 0; k < per_path; k++)
            out[(size_t)k * MCR_BLOCK_PATHS + i] = mcr_pcg32_next(&g);
        b->rng_state[i] = g.state;
    }
}

void mcr_uniform_ref(mcr_block *b, double *out, int per_path)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_path_rng(b, i);
        for (int k = 0; k < per_path; k++)
            out[(size_t)k * MCR_BLOCK_PATHS + i] = mcr_unit(mcr_pcg32_next(&g));
        b->rng_state[i] = g.state;
    }
}

void mcr_normal_icdf_ref(mcr_block *b, double *out, int per_path)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_path_rng(b, i);
        for (int k = 0; k < per_path; k++)
            out[(size_t)k * MCR_BLOCK_PATHS + i] = mcr_normal_draw(&g);
        b->rng_state[i] = g.state;
    }
}

void mcr_normal_bm_ref(mcr_block *b, double *out, int per_path)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_path_rng(b, i);
        for (int k = 0; k < per_path; k += 2) {
            double u1 = mcr_unit(mcr_pcg32_next(&g)), u2 = mcr_unit(mcr_pcg32_next(&g));
            double r = sqrt(-2.0 * log(u1));
            out[(size_t)k * MCR_BLOCK_PATHS + i] = r * cos(2.0 * M_PI * u2);
            out[(size_t)(k + 1) * MCR_BLOCK_PATHS + i] = r * sin(2.0 * M_PI * u2);
        }
        b->rng_state[i] = g.state;
    }
}

void mcr_gbm_paths_ref(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_path_rng(b, i);
        double x = b->log_price[i], sum = b->tilt_sum[i];
        for (int t = 0; t < n_steps; t++) {
            double w = mcr_normal_draw(&g);
            if (b->shocks)
                w = b->shocks[(size_t)t * MCR_BLOCK_PATHS + i];
            w += b->tilt; /* the normal-shift hook (kernels.h): + 0 when off */
            sum += w;
            x += c->drift + c->vol * w;
            if (trace)
                trace[(size_t)t * MCR_BLOCK_PATHS + i] = x;
        }
        b->rng_state[i] = g.state;
        b->log_price[i] = x;
        b->tilt_sum[i] = sum;
    }
    if (b->shocks)
        b->shocks += (size_t)n_steps * MCR_BLOCK_PATHS;
}
