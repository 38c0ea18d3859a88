/* The scalar reference of the data models' kernel (historical, bootstrap, fhs): one path at a
 * time, one step at a time, straight from the draw contract (kernels.h) and the day of
 * kernels/data_day.h. The oracle of the vector kernel. */
#include <stddef.h>

#include "models/normal.h"
#include "kernels/data_day.h"
#include "kernels/kernels.h"
#include "kernels/paths.h"
#include "kernels/pcg32.h"

static double mcr_unit(uint32_t x) { return ((double)x + 0.5) * 0x1p-32; }

void mcr_data_paths_ref(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace,
                        int stride)
{
    const mcr_data_step *d = &c->data;
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = {.state = b->rng_state[i], .inc = b->rng_inc[i]};
        double x = b->log_price[i], h = b->variance[i], left = b->data_left[i];
        double sd = b->data_sd[i];
        int32_t row = b->data_row[i];
        int phase = b->data_phase;
        for (int t = 0; t < n_steps; t++) {
            double u[2] = {0.5, 0.5};
            if (d->split == 1) {
                for (int q = 0; q < d->days; q++) {
                    for (int k = 0; !d->walk && k < 2; k++)
                        u[k] = mcr_unit(mcr_pcg32_next(&g));
                    x += mcr_data_day(d, u[0], u[1], &row, &h, &sd);
                }
            } else {
                for (int k = 0; !d->walk && k < 2; k++)
                    u[k] = mcr_unit(mcr_pcg32_next(&g));
                double w = mcr_norm_quantile(mcr_unit(mcr_pcg32_next(&g)));
                if (phase == 0)
                    left = mcr_data_day(d, u[0], u[1], &row, &h, &sd);
                double r = d->split - phase;
                double inc = left * (1.0 / r) + sd * mcr_data_bridge_coef(d->split, phase) * w;
                left -= inc;
                x += inc;
                phase = phase + 1 < d->split ? phase + 1 : 0;
            }
            if (trace)
                trace[(size_t)t * stride + i] = x;
        }
        b->rng_state[i] = g.state;
        b->log_price[i] = x;
        b->variance[i] = h;
        b->data_left[i] = left;
        b->data_sd[i] = sd;
        b->data_row[i] = row;
    }
    b->data_phase = (int)((b->data_phase + (long)n_steps) % d->split);
}
