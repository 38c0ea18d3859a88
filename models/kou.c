/* Kou (2002) double-exponential jump-diffusion: validation, compensator, characteristic
 * function, log-return moments and pricing. */
#include "kou.h"

#include <math.h>
#include <stddef.h>

#include "param_check.h"

mcr_status mcr_kou_check(const mcr_kou *m, const char *where, mcr_error *err)
{
    const mcr_param p[] = {
        {"mu", m->mu, -10.0, 10.0, false},
        {"sigma", m->sigma, 0.0, INFINITY, true},
        {"jump_intensity", m->jump_intensity, 0.0, 1000.0, false},
        {"p_up", m->p_up, 0.0, 1.0, false},
        {"eta_up", m->eta_up, 1.0, INFINITY, true},
        {"eta_down", m->eta_down, 0.0, INFINITY, true},
    };
    return mcr_params_check(p, sizeof p / sizeof p[0], where, err);
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
