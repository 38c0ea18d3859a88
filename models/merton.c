/* Merton (1976) jump-diffusion: validation, compensator, characteristic function, log-return
 * moments and the series price. */
#include "merton.h"

#include <math.h>

#include "fit_merton.h"
#include "model.h"
#include "model_keys.h"

mcr_status mcr_merton_check(const mcr_merton *m, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_merton_kind.spec.keys, m, where, err);
}

double mcr_merton_jump_compensator(double mean, double std)
{
    return expm1(mean + 0.5 * std * std);
}

double mcr_merton_compensator(const mcr_merton *m)
{
    return mcr_merton_jump_compensator(m->jump_mean, m->jump_std);
}

double complex mcr_merton_jump_exponent(double intensity, double mean, double std,
                                        double complex u)
{
    /* e^z - 1 for z = a + ib = i u nu - delta^2 u^2 / 2, as expm1(a) cos b - 2 sin^2(b/2)
     * + i e^a sin b: full relative accuracy for small |z| (small u), where cexp(z) - 1 has none. */
    double complex z = I * u * mean - 0.5 * std * std * u * u;
    double a = creal(z), b = cimag(z), h = sin(0.5 * b);
    double complex em1 = expm1(a) * cos(b) - 2.0 * h * h + I * exp(a) * sin(b);
    return intensity * em1;
}

double complex mcr_merton_cf(const mcr_merton *m, double drift, double t, double complex u)
{
    double s2 = m->sigma * m->sigma;
    double lk = m->jump_intensity * mcr_merton_compensator(m);
    double complex psi = I * u * (drift - 0.5 * s2 - lk) - 0.5 * s2 * u * u
                         + mcr_merton_jump_exponent(m->jump_intensity, m->jump_mean,
                                                    m->jump_std, u);
    return cexp(t * psi);
}

static double complex merton_cf_erased(const void *ctx, double drift, double t, double complex u)
{
    return mcr_merton_cf(ctx, drift, t, u);
}

mcr_cf_model mcr_merton_cf_model(const mcr_merton *m)
{
    return (mcr_cf_model){merton_cf_erased, m};
}

double mcr_merton_log_mean(const mcr_merton *m, double drift, double t)
{
    double lambda = m->jump_intensity;
    return (drift - 0.5 * m->sigma * m->sigma - lambda * mcr_merton_compensator(m)
            + lambda * m->jump_mean) * t;
}

double mcr_merton_log_variance(const mcr_merton *m, double t)
{
    double nu = m->jump_mean, delta = m->jump_std;
    return (m->sigma * m->sigma + m->jump_intensity * (nu * nu + delta * delta)) * t;
}

/* The n-th series term is the BS price given exactly n jumps by T, weighted by
 * P(N = n) under the measure where the intensity is lambda (1 + k) (L = lambda (1+k) T).
 * A call term is at most S e^{-qT} times that weight; a put term at most K e^{-rT} times the
 * Poisson(lambda T) weight, so the sum stops once both weights are past their modes and below
 * 1e-17. Weights are accumulated in log space (no overflow of L^n, no lgamma global state). */
double mcr_merton_price(const mcr_merton *m, const mcr_euro *o)
{
    double t = o->expiry, lambda = m->jump_intensity;
    if (!(t > 0.0) || lambda == 0.0)
        return mcr_bs_price(o, m->sigma);
    double k = mcr_merton_compensator(m);
    double log1k = m->jump_mean + 0.5 * m->jump_std * m->jump_std; /* ln(1 + k) */
    double big_l = lambda * (1.0 + k) * t, small_l = lambda * t;
    double log_w = -big_l, log_v = -small_l; /* ln P(N = n) for means L and lambda T */
    mcr_euro on = *o;
    double sum = 0.0;
    for (int n = 0;; n++) {
        if (n > 0) {
            log_w += log(big_l) - log(n);
            log_v += log(small_l) - log(n);
        }
        on.rate = o->rate - lambda * k + n * log1k / t;
        double sigma_n = sqrt(m->sigma * m->sigma + n * m->jump_std * m->jump_std / t);
        sum += exp(log_w) * mcr_bs_price(&on, sigma_n);
        if (n > big_l && n > small_l && log_w < -39.1 && log_v < -39.1) /* e^-39.1 < 1e-17 */
            break;
    }
    return sum;
}

/* ---- the merton model kind (model.h) ---- */

static const mcr_key merton_keys[] = {
    MCR_MU_KEY(mcr_merton), MCR_SIGMA_KEY(mcr_merton), MCR_JUMP_KEYS(mcr_merton), MCR_KEY_END};

static double merton_total_variance(const void *p, double t)
{
    (void)t;
    const mcr_merton *j = p;
    return j->sigma * j->sigma +
           j->jump_intensity * (j->jump_mean * j->jump_mean + j->jump_std * j->jump_std);
}

static void merton_scale_vol(void *p, double k) { ((mcr_merton *)p)->sigma *= k; }
static void merton_scale_jumps(void *p, double k) { ((mcr_merton *)p)->jump_intensity *= k; }
static mcr_cf_model merton_cf(const void *p) { return mcr_merton_cf_model(p); }
static double merton_price(const void *p, const mcr_euro *o) { return mcr_merton_price(p, o); }

static mcr_status merton_fit(void *p, const void *warm, const double *r, int n, double dt,
                             mcr_error *err)
{
    mcr_fit_result f;
    mcr_status st = mcr_fit_merton_from(r, n, dt, warm, &f, err);
    if (st == MCR_OK)
        *(mcr_merton *)p = mcr_fit_merton_model(&f);
    return st;
}

const mcr_model_kind mcr_merton_kind = {
    .spec = {.name = "merton",
             .help = "Merton (1976) jump-diffusion: GBM plus compound Poisson jumps of normal "
                     "log size",
             .keys = merton_keys, .params_size = sizeof(mcr_merton)},
    .total_variance = merton_total_variance,
    .scale_vol = merton_scale_vol,
    .scale_jumps = merton_scale_jumps,
    .cf = merton_cf,
    .price = merton_price,
    .fit = merton_fit,
};
