/* Daily log returns simulated by mcrisk's own generators (PCG32 streams, the AS241 normal
 * quantile) from known parameters, for the calibration suites: GBM, Merton, Kou and
 * GARCH(1,1)/GJR. Header-only (static). Uniforms take 53 bits from two PCG32 outputs, so normal
 * tails reach 8 standard deviations. */
#ifndef MCR_TEST_SIM_RETURNS_H
#define MCR_TEST_SIM_RETURNS_H

#include <math.h>
#include <stdint.h>

#include "models/kou.h"
#include "models/merton.h"
#include "models/normal.h"
#include "kernels/pcg32.h"

static inline double sim_uniform(mcr_pcg32 *g) /* in (0, 1) */
{
    uint64_t a = mcr_pcg32_next(g) >> 5, b = mcr_pcg32_next(g) >> 6;
    return ((double)(a * 67108864u + b) + 0.5) / 9007199254740992.0;
}

static inline double sim_normal(mcr_pcg32 *g)
{
    return mcr_norm_quantile(sim_uniform(g));
}

static inline int sim_poisson(mcr_pcg32 *g, double mean) /* inversion: small means only */
{
    double u = sim_uniform(g), w = exp(-mean), c = w;
    int k = 0;
    while (u > c && k < 1000) {
        k++;
        w *= mean / k;
        c += w;
    }
    return k;
}

static inline void sim_gbm(double mu, double sigma, double dt, int n, uint64_t seed, double *r)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, seed, 1);
    for (int i = 0; i < n; i++)
        r[i] = (mu - 0.5 * sigma * sigma) * dt + sigma * sqrt(dt) * sim_normal(&g);
}

static inline void sim_merton(const mcr_merton *m, double dt, int n, uint64_t seed, double *r)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, seed, 2);
    double k = mcr_merton_compensator(m);
    for (int i = 0; i < n; i++) {
        double x = (m->mu - 0.5 * m->sigma * m->sigma - m->jump_intensity * k) * dt +
                   m->sigma * sqrt(dt) * sim_normal(&g);
        int jumps = sim_poisson(&g, m->jump_intensity * dt);
        for (int j = 0; j < jumps; j++)
            x += m->jump_mean + m->jump_std * sim_normal(&g);
        r[i] = x;
    }
}

static inline void sim_kou(const mcr_kou *m, double dt, int n, uint64_t seed, double *r)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, seed, 3);
    double zeta = mcr_kou_compensator(m);
    for (int i = 0; i < n; i++) {
        double x = (m->mu - 0.5 * m->sigma * m->sigma - m->jump_intensity * zeta) * dt +
                   m->sigma * sqrt(dt) * sim_normal(&g);
        int jumps = sim_poisson(&g, m->jump_intensity * dt);
        for (int j = 0; j < jumps; j++) {
            double up = sim_uniform(&g) < m->p_up, e = -log(sim_uniform(&g));
            x += up ? e / m->eta_up : -e / m->eta_down;
        }
        r[i] = x;
    }
}

/* GARCH(1,1) / GJR: r_t = mu + sqrt(h_t) z_t, h_t = omega + (alpha + gamma 1{e<0}) e_{t-1}^2
 * + beta h_{t-1}, started at the unconditional variance after `burn` discarded days. */
static inline void sim_garch(double mu, double omega, double alpha, double beta, double gamma,
                             int n, int burn, uint64_t seed, double *r)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, seed, 4);
    double h = omega / (1.0 - alpha - beta - 0.5 * gamma), e = 0.0;
    for (int i = -burn; i < n; i++) {
        if (i > -burn)
            h = omega + (alpha + (e < 0 ? gamma : 0.0)) * e * e + beta * h;
        e = sqrt(h) * sim_normal(&g);
        if (i >= 0)
            r[i] = mu + e;
    }
}

#endif
