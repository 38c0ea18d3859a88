/* The scalar reference of the model kernels (merton, kou, heston, bates, several correlated
 * assets): one path at a time, one step at a time, straight from the draw contract in kernels.h
 * and the constants in models/model_step.h, with libm. The oracle of the vector kernels and the
 * scalar fallback, so it stays simple rather than fast. */
#include <math.h>
#include <stddef.h>

#include "models/normal.h"
#include "kernels/kernels.h"
#include "kernels/paths.h"
#include "kernels/pcg32.h"

/* The most outputs one step of one asset takes: kou's 2 + M. */
#define MCR_MAX_DRAWS (2 + MCR_KOU_MAX_JUMPS)

static double mcr_unit(uint32_t x) { return ((double)x + 0.5) * 0x1p-32; }

/* The jump count: the inverse Poisson CDF of u, saturating at the table's end. */
static int mcr_poisson_ref(const mcr_jump_step *j, double u)
{
    int n = 0;
    while (n < j->n_cdf && u > j->cdf[n])
        n++;
    return n;
}

/* Sum of the log-jumps of one step from its uniforms (u[0] the count, then the sizes). */
static double mcr_jumps_ref(const mcr_model_step *c, const double *u)
{
    const mcr_jump_step *j = &c->jump;
    int n = mcr_poisson_ref(j, u[0]);
    if (c->type != MCR_MODEL_KOU)
        return n > 0 ? n * j->mean + sqrt((double)n) * j->std * mcr_norm_quantile(u[1]) : 0.0;
    double sum = 0.0;
    for (int q = 0; q < n; q++) {
        double v = u[1 + q];
        sum += v < j->p_up ? j->scale_up * log(v * j->inv_p_up)
                           : j->scale_down * log((1.0 - v) * j->inv_p_down);
    }
    return sum;
}

/* One Heston QE step (model_step.h) of (ln S, v) with price shock z, own variance shock eta and
 * log-jump sum jump. */
static void mcr_heston_ref(const mcr_model_step *c, double z, double eta, double jump,
                           double *x, double *v)
{
    const mcr_heston_step *h = &c->heston;
    double zv = h->rho * z + h->rho_bar * eta, zp = h->rho_bar * z - h->rho * eta;
    double v0 = *v, m = h->m0 + v0 * h->e, s2 = h->c2 + v0 * h->c1;
    double vn, corr;
    if (s2 <= h->psi_c * (m * m)) {
        double t = 2.0 * (m * m) / s2;
        double b2 = t - 1.0 + sqrt(fmax(t * (t - 1.0), 0.0));
        double a = m / (1.0 + b2), b = sqrt(b2);
        vn = a * ((b + zv) * (b + zv));
        double arg = 1.0 - 2.0 * h->a * a;
        corr = arg > 0.0 ? h->a * b2 * a / arg - 0.5 * log(arg) : h->a * m;
    } else {
        double psi = s2 / (m * m), p = (psi - 1.0) / (psi + 1.0), beta = (1.0 - p) / m;
        double one_u = 0.5 * erfc(zv * M_SQRT1_2); /* 1 - U, accurate where U is near 1 */
        vn = one_u >= 1.0 - p ? 0.0 : log((1.0 - p) / one_u) / beta;
        corr = beta > h->a ? log(p + beta * (1.0 - p) / (beta - h->a)) : h->a * m;
    }
    *x += c->drift - 0.5 * h->k3 * v0 - corr + h->k2 * vn + sqrt(h->k3 * (v0 + vn)) * zp + jump;
    *v = vn;
}

/* One step of one asset from its uniforms u (draw contract order) and price shock z. */
static void mcr_step_ref(const mcr_model_step *c, const double *u, double z, double *x,
                         double *v)
{
    switch (c->type) {
    case MCR_MODEL_MERTON:
    case MCR_MODEL_KOU:
        *x += (c->drift + c->vol * z) + mcr_jumps_ref(c, u + 1);
        break;
    case MCR_MODEL_HESTON:
        mcr_heston_ref(c, z, mcr_norm_quantile(u[1]), 0.0, x, v);
        break;
    case MCR_MODEL_BATES:
        mcr_heston_ref(c, z, mcr_norm_quantile(u[1]), mcr_jumps_ref(c, u + 2), x, v);
        break;
    default:
        *x += c->drift + c->vol * z;
        break;
    }
}

void mcr_model_paths_ref(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace)
{
    if (c->data.ret) {
        mcr_data_paths_ref(b, c, n_steps, trace, MCR_BLOCK_PATHS);
        return;
    }
    if (c->type == MCR_MODEL_GBM) {
        mcr_gbm_paths_ref(b, &(mcr_gbm_step){.drift = c->drift, .vol = c->vol}, n_steps, trace);
        return;
    }
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = {.state = b->rng_state[i], .inc = b->rng_inc[i]};
        double x = b->log_price[i], v = b->variance[i], sum = b->tilt_sum[i], u[MCR_MAX_DRAWS];
        for (int t = 0; t < n_steps; t++) {
            for (int k = 0; k < c->draws; k++)
                u[k] = mcr_unit(mcr_pcg32_next(&g));
            double w = mcr_norm_quantile(u[0]);
            if (b->shocks)
                w = b->shocks[(size_t)t * MCR_BLOCK_PATHS + i];
            w += b->tilt; /* the normal-shift hook (kernels.h): + 0 when off */
            sum += w;
            mcr_step_ref(c, u, w, &x, &v);
            if (trace)
                trace[(size_t)t * MCR_BLOCK_PATHS + i] = x;
        }
        b->rng_state[i] = g.state;
        b->log_price[i] = x;
        b->variance[i] = v;
        b->tilt_sum[i] = sum;
    }
    if (b->shocks)
        b->shocks += (size_t)n_steps * MCR_BLOCK_PATHS;
}

/* Steps of one traced pass when the caller keeps no trace but pegged assets need the
 * reference's. */
#define MCR_PEG_PASS 8

void mcr_assets_paths_ref(mcr_assets_block *b, const mcr_assets_step *c, int n_steps,
                          double *trace)
{
    int n = c->n_assets;
    if (c->n_pegs > 0 && !trace) {
        double local[MCR_PEG_PASS * MCR_KERNEL_MAX_ASSETS * MCR_BLOCK_PATHS];
        for (int t = 0; t < n_steps; t += MCR_PEG_PASS)
            mcr_assets_paths_ref(b, c, n_steps - t < MCR_PEG_PASS ? n_steps - t : MCR_PEG_PASS,
                                 local);
        return;
    }
    /* data assets draw from their own (shared) stream and take no correlated shock: each runs
     * its own kernel, and offers w = 0 to the correlation (its rows of L are the identity's);
     * pegged assets offer w = 0 too and move after the others */
    for (int a = 0; a < n; a++)
        if (c->model[a].data.ret && !c->pegged[a])
            mcr_data_paths_ref(&b->asset[a], &c->model[a], n_steps, trace ? trace + (size_t)a *
                               MCR_BLOCK_PATHS : NULL, n * MCR_BLOCK_PATHS);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g[MCR_KERNEL_MAX_ASSETS];
        double x[MCR_KERNEL_MAX_ASSETS], v[MCR_KERNEL_MAX_ASSETS], sum[MCR_KERNEL_MAX_ASSETS];
        for (int a = 0; a < n; a++) {
            g[a] = (mcr_pcg32){.state = b->asset[a].rng_state[i], .inc = b->asset[a].rng_inc[i]};
            x[a] = b->asset[a].log_price[i];
            v[a] = b->asset[a].variance[i];
            sum[a] = b->asset[a].tilt_sum[i];
        }
        for (int t = 0; t < n_steps; t++) {
            double u[MCR_KERNEL_MAX_ASSETS][MCR_MAX_DRAWS], w[MCR_KERNEL_MAX_ASSETS];
            for (int a = 0; a < n; a++) {
                w[a] = 0.0;
                if (c->model[a].data.ret || c->pegged[a])
                    continue;
                for (int k = 0; k < c->model[a].draws; k++)
                    u[a][k] = mcr_unit(mcr_pcg32_next(&g[a]));
                w[a] = mcr_norm_quantile(u[a][0]);
                if (b->asset[a].shocks)
                    w[a] = b->asset[a].shocks[(size_t)t * MCR_BLOCK_PATHS + i];
                w[a] += b->asset[a].tilt; /* the normal-shift hook, before the correlation */
                sum[a] += w[a];
            }
            for (int a = 0; a < n; a++) {
                if (c->model[a].data.ret || c->pegged[a])
                    continue;
                double z = c->chol[a][0] * w[0];
                for (int j = 1; j <= a; j++)
                    z += c->chol[a][j] * w[j];
                mcr_step_ref(&c->model[a], u[a], z, &x[a], &v[a]);
                if (trace)
                    trace[((size_t)t * n + a) * MCR_BLOCK_PATHS + i] = x[a];
            }
        }
        for (int a = 0; a < n; a++) {
            if (c->model[a].data.ret || c->pegged[a])
                continue;
            b->asset[a].rng_state[i] = g[a].state;
            b->asset[a].log_price[i] = x[a];
            b->asset[a].variance[i] = v[a];
            b->asset[a].tilt_sum[i] = sum[a];
        }
    }
    for (int a = 0; a < n; a++)
        if (b->asset[a].shocks && !c->model[a].data.ret && !c->pegged[a])
            b->asset[a].shocks += (size_t)n_steps * MCR_BLOCK_PATHS;
    for (int a = 0; a < n; a++)
        if (c->pegged[a])
            mcr_peg_paths_ref(&b->asset[a], &c->peg[a], trace + (size_t)c->peg_to[a] *
                              MCR_BLOCK_PATHS, trace + (size_t)a * MCR_BLOCK_PATHS, n_steps,
                              n * MCR_BLOCK_PATHS);
}
