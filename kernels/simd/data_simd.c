/* The data models' kernel (historical, bootstrap, fhs), compiled once per ISA. The uniforms and
 * the bridge normals are drawn a pass of steps at a time for the whole block in vector lanes (the
 * PCG32 lanes and the AS241 inverse CDF shared with every kernel); a day's row and return are
 * picked per lane by the arithmetic of kernels/data_day.h (a table lookup the vector units cannot
 * gather faster), and a split day's Brownian-bridge step is vector arithmetic again. Rows and day
 * returns are bitwise those of the scalar reference; bridge normals agree to ~1e-15. */
#include <string.h>

#include "draws_simd.h"
#include "kernels/data_day.h"

/* Days of whole-day steps drawn per pass: 2 uniforms a day fill MCR_CHUNK rows. */
#define MCR_DATA_DAYS (MCR_CHUNK / 2)

/* Whole-day steps: `days` day returns per step, added lane by lane. */
static void mcr_data_whole_days(mcr_block *b, const mcr_data_step *d, int n_steps, double *trace,
                                int stride)
{
    _Alignas(64) double u[MCR_ROWS];
    int total = n_steps * d->days, done = 0;
    while (done < total) {
        int nd = total - done < MCR_DATA_DAYS ? total - done : MCR_DATA_DAYS;
        if (!d->walk)
            mcr_fill_unit(b, u, 2 * nd);
        for (int q = 0; q < nd; q++) {
            const double *un = u + (size_t)2 * q * MCR_BLOCK_PATHS, *ur = un + MCR_BLOCK_PATHS;
            for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
                double sd;
                b->log_price[i] += mcr_data_day(d, d->walk ? 0.5 : un[i], d->walk ? 0.5 : ur[i],
                                                &b->data_row[i], &b->variance[i], &sd);
            }
            int day = done + q + 1;
            if (trace && day % d->days == 0)
                memcpy(trace + (size_t)(day / d->days - 1) * stride, b->log_price,
                       sizeof b->log_price);
        }
        done += nd;
    }
}

/* Split days: each step draws (u_new, u_row, w), or w alone when walking. */
static void mcr_data_split_days(mcr_block *b, const mcr_data_step *d, int n_steps, double *trace,
                                int stride)
{
    _Alignas(64) double u[MCR_ROWS], w[MCR_ROWS];
    mcr_sparse_buf tails;
    const int draws = d->walk ? 1 : 3, per_pass = MCR_CHUNK / draws;
    for (int t = 0; t < n_steps; t += per_pass) {
        int n = n_steps - t < per_pass ? n_steps - t : per_pass;
        mcr_fill_unit(b, u, n * draws);
        for (int k = 0; k < n; k++)
            memcpy(w + (size_t)k * MCR_BLOCK_PATHS, u + (size_t)(k * draws + draws - 1) *
                   MCR_BLOCK_PATHS, MCR_BLOCK_PATHS * sizeof(double));
        mcr_inverse_cdf_merged(w, n * MCR_BLOCK_PATHS, mcr_sparse_of(&tails));
        for (int k = 0; k < n; k++) {
            int phase = b->data_phase;
            if (phase == 0) {
                const double *un = u + (size_t)k * draws * MCR_BLOCK_PATHS;
                const double *ur = un + MCR_BLOCK_PATHS;
                for (int i = 0; i < MCR_BLOCK_PATHS; i++)
                    b->data_left[i] = mcr_data_day(d, d->walk ? 0.5 : un[i],
                                                   d->walk ? 0.5 : ur[i], &b->data_row[i],
                                                   &b->variance[i], &b->data_sd[i]);
            }
            mcr_vd inv_r = mcr_vd_set(1.0 / (d->split - phase));
            mcr_vd coef = mcr_vd_set(mcr_data_bridge_coef(d->split, phase));
            for (int v = 0; v < MCR_VECS; v++) {
                int o = v * MCR_LANES;
                mcr_vd left = mcr_vd_loadu(b->data_left + o);
                mcr_vd inc = mcr_vd_fma(mcr_vd_mul(mcr_vd_loadu(b->data_sd + o), coef),
                                        mcr_vd_loadu(w + (size_t)k * MCR_BLOCK_PATHS + o),
                                        mcr_vd_mul(left, inv_r));
                mcr_vd_storeu(b->data_left + o, mcr_vd_sub(left, inc));
                mcr_vd x = mcr_vd_add(mcr_vd_loadu(b->log_price + o), inc);
                mcr_vd_storeu(b->log_price + o, x);
                if (trace)
                    mcr_vd_storeu(trace + (size_t)(t + k) * stride + o, x);
            }
            b->data_phase = phase + 1 < d->split ? phase + 1 : 0;
        }
    }
}

void MCR_SUFFIX(mcr_data_paths)(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace,
                                int stride)
{
    if (c->data.split == 1)
        mcr_data_whole_days(b, &c->data, n_steps, trace, stride);
    else
        mcr_data_split_days(b, &c->data, n_steps, trace, stride);
}
