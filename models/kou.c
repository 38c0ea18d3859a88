/* Kou (2002) double-exponential jump-diffusion: validation, compensator, characteristic
 * function, log-return moments and pricing. */
#include "kou.h"

#include <math.h>
#include <stddef.h>

#include "fit_kou.h"
#include "model.h"
#include "model_keys.h"

mcr_status mcr_kou_check(const mcr_kou *m, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_kou_kind.spec.keys, m, where, err);
}

/* p eta1/(eta1 - 1) + (1 - p) eta2/(eta2 + 1) - 1 = p/(eta1 - 1) - (1 - p)/(eta2 + 1), the
 * second form without cancellation. */
double mcr_kou_compensator(const mcr_kou *m)
{
    double p = m->p_up;
    return p / (m->eta_up - 1.0) - (1.0 - p) / (m->eta_down + 1.0);
}

/* The jump part lambda (E[e^{iuY}] - 1) is written as
 * lambda (p iu / (eta1 - iu) - (1 - p) iu / (eta2 + iu)), equal to the textbook form but free of
 * the cancellation of "- 1" at small u. */
double complex mcr_kou_cf(const mcr_kou *m, double drift, double t, double complex u)
{
    double s2 = m->sigma * m->sigma, p = m->p_up;
    double complex iu = I * u;
    double complex jumps = p * iu / (m->eta_up - iu) - (1.0 - p) * iu / (m->eta_down + iu);
    double complex psi = iu * (drift - 0.5 * s2 - m->jump_intensity * mcr_kou_compensator(m))
                         - 0.5 * s2 * u * u + m->jump_intensity * jumps;
    return cexp(t * psi);
}

static double complex kou_cf_erased(const void *ctx, double drift, double t, double complex u)
{
    return mcr_kou_cf(ctx, drift, t, u);
}

mcr_cf_model mcr_kou_cf_model(const mcr_kou *m) { return (mcr_cf_model){kou_cf_erased, m}; }

double mcr_kou_log_mean(const mcr_kou *m, double drift, double t)
{
    double ey = m->p_up / m->eta_up - (1.0 - m->p_up) / m->eta_down;
    double lambda = m->jump_intensity;
    return (drift - 0.5 * m->sigma * m->sigma - lambda * mcr_kou_compensator(m) + lambda * ey) * t;
}

double mcr_kou_log_variance(const mcr_kou *m, double t)
{
    double e1 = m->eta_up, e2 = m->eta_down;
    double ey2 = 2.0 * m->p_up / (e1 * e1) + 2.0 * (1.0 - m->p_up) / (e2 * e2);
    return (m->sigma * m->sigma + m->jump_intensity * ey2) * t;
}

double mcr_kou_price(const mcr_kou *m, const mcr_euro *o)
{
    return mcr_cf_price(mcr_kou_cf_model(m), o, NULL);
}

/* ---- the kou model kind (model.h) ---- */

static const mcr_key kou_keys[] = {
    MCR_MU_KEY(mcr_kou),
    MCR_SIGMA_KEY(mcr_kou),
    MCR_KEY_F("jump_intensity", mcr_kou, jump_intensity, MCR_REQ_CLOSED, 0, 1000, 0,
              "jumps per year", "expected number of jumps per year"),
    MCR_KEY_F("p_up", mcr_kou, p_up, MCR_REQ_CLOSED, 0, 1, 0, NULL,
              "probability that a jump is upwards"),
    MCR_KEY_F("eta_up", mcr_kou, eta_up, MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN, 1,
              0, 0, NULL,
              "rate of the upward log jump size (exponential, mean 1/eta_up; > 1 keeps E[S] "
              "finite)"),
    MCR_KEY_F("eta_down", mcr_kou, eta_down, MCR_REQ_POSITIVE, 0, 0, 0, NULL,
              "rate of the downward log jump size (exponential, mean 1/eta_down)"),
    MCR_KEY_END,
};

/* E[Y^2] of a double-exponential log jump: 2 p / eta_up^2 + 2 (1 - p) / eta_down^2. */
static double kou_total_variance(const void *p, double t)
{
    (void)t;
    const mcr_kou *k = p;
    return k->sigma * k->sigma +
           k->jump_intensity * (2 * k->p_up / (k->eta_up * k->eta_up) +
                                2 * (1 - k->p_up) / (k->eta_down * k->eta_down));
}

static void kou_scale_vol(void *p, double k) { ((mcr_kou *)p)->sigma *= k; }
static void kou_scale_jumps(void *p, double k) { ((mcr_kou *)p)->jump_intensity *= k; }
static mcr_cf_model kou_cf(const void *p) { return mcr_kou_cf_model(p); }
static double kou_price(const void *p, const mcr_euro *o) { return mcr_kou_price(p, o); }

static mcr_status kou_fit(void *p, const void *warm, const double *r, int n, double dt,
                          mcr_error *err)
{
    /* always from the cold starts: on BTC windows a warm start saved few evaluations (the
     * likelihood is flat in the jump parameters) and stopped lower */
    (void)warm;
    mcr_fit_result f;
    mcr_status st = mcr_fit_kou(r, n, dt, &f, err);
    if (st == MCR_OK)
        *(mcr_kou *)p = mcr_fit_kou_model(&f);
    return st;
}

const mcr_model_kind mcr_kou_kind = {
    .spec = {.name = "kou",
             .help = "Kou (2002) jump-diffusion: GBM plus compound Poisson jumps of "
                     "double-exponential log size",
             .keys = kou_keys, .params_size = sizeof(mcr_kou)},
    .total_variance = kou_total_variance,
    .scale_vol = kou_scale_vol,
    .scale_jumps = kou_scale_jumps,
    .cf = kou_cf,
    .price = kou_price,
    .fit = kou_fit,
};
