/* GBM parameters, exact step constants and lognormal closed forms. */
#include "gbm.h"

#include <complex.h>
#include <math.h>
#include <stddef.h>

#include "fit_gbm.h"
#include "model.h"
#include "model_keys.h"
#include "normal.h"

mcr_status mcr_gbm_check(const mcr_gbm *m, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_gbm_kind.spec.keys, m, where, err);
}

mcr_gbm_step mcr_gbm_step_of(const mcr_gbm *m, double dt)
{
    return (mcr_gbm_step){
        .drift = (m->mu - 0.5 * m->sigma * m->sigma) * dt,
        .vol = m->sigma * sqrt(dt),
    };
}

double mcr_gbm_mean(const mcr_gbm *m, double s0, double t) { return s0 * exp(m->mu * t); }

double mcr_gbm_variance(const mcr_gbm *m, double s0, double t)
{
    double mean = mcr_gbm_mean(m, s0, t);
    return mean * mean * expm1(m->sigma * m->sigma * t);
}

double mcr_gbm_quantile(const mcr_gbm *m, double s0, double t, double p)
{
    double sd = m->sigma * sqrt(t);
    return s0 * exp((m->mu - 0.5 * m->sigma * m->sigma) * t + sd * mcr_norm_quantile(p));
}

double mcr_gbm_var_long(const mcr_gbm *m, double s0, double t, double level)
{
    return s0 - mcr_gbm_quantile(m, s0, t, 1.0 - level);
}

/* E[S_T 1{S_T <= q}] / P(S_T <= q) with q at probability p: the lognormal partial expectation
 * E[S_T] Phi(z_p - sigma sqrt(T)) / p. */
double mcr_gbm_cvar_long(const mcr_gbm *m, double s0, double t, double level)
{
    double p = 1.0 - level;
    double sd = m->sigma * sqrt(t);
    double tail_mean = mcr_gbm_mean(m, s0, t) * mcr_norm_cdf(mcr_norm_quantile(p) - sd) / p;
    return s0 - tail_mean;
}

/* ---- the gbm model kind (model.h) ---- */

static const mcr_key gbm_keys[] = {MCR_MU_KEY(mcr_gbm), MCR_SIGMA_KEY(mcr_gbm), MCR_KEY_END};

static double gbm_total_variance(const void *p, double t)
{
    (void)t;
    double s = ((const mcr_gbm *)p)->sigma;
    return s * s;
}

static void gbm_scale_vol(void *p, double k) { ((mcr_gbm *)p)->sigma *= k; }

/* exp(i u (drift - sigma^2/2) t - sigma^2 u^2 t / 2) */
static double complex gbm_cf(const void *ctx, double drift, double t, double complex u)
{
    double s2 = ((const mcr_gbm *)ctx)->sigma * ((const mcr_gbm *)ctx)->sigma;
    return cexp(I * u * (drift - 0.5 * s2) * t - 0.5 * s2 * u * u * t);
}

static mcr_cf_model gbm_cf_model(const void *p) { return (mcr_cf_model){.cf = gbm_cf, .ctx = p}; }

static double gbm_price(const void *p, const mcr_euro *o)
{
    return mcr_bs_price(o, ((const mcr_gbm *)p)->sigma);
}

static mcr_status gbm_fit(void *p, const void *warm, const double *r, int n, double dt,
                          mcr_error *err)
{
    (void)warm; /* closed form */
    mcr_fit_result f;
    mcr_status st = mcr_fit_gbm(r, n, dt, &f, err);
    if (st == MCR_OK)
        *(mcr_gbm *)p = mcr_fit_gbm_model(&f);
    return st;
}

const mcr_model_kind mcr_gbm_kind = {
    .spec = {.name = "gbm", .help = "geometric Brownian motion: dS/S = mu dt + sigma dW",
             .keys = gbm_keys, .params_size = sizeof(mcr_gbm)},
    .total_variance = gbm_total_variance,
    .scale_vol = gbm_scale_vol,
    .cf = gbm_cf_model,
    .price = gbm_price,
    .fit = gbm_fit,
};
