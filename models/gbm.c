/* GBM parameters, exact step constants and lognormal closed forms. */
#include "gbm.h"

#include <math.h>

#include "normal.h"

mcr_status mcr_gbm_check(const mcr_gbm *m, const char *where, mcr_error *err)
{
    if (!(isfinite(m->sigma) && m->sigma > 0.0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.sigma: must be a number > 0 (got %g)", where,
                        m->sigma);
    if (!(isfinite(m->mu) && fabs(m->mu) <= 10.0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.mu: must be a number in [-10, 10] (got %g)",
                        where, m->mu);
    return MCR_OK;
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
