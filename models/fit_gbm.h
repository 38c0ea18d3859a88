/* GBM calibrated to daily log returns by maximum likelihood, in closed form. The returns
 * r_i = ln(S_{i+1}/S_i) over dt years are iid N(m, s^2) with m = (mu - sigma^2/2) dt and
 * s = sigma sqrt(dt), so the MLE is the sample mean and the sample standard deviation with
 * divisor n:
 *   m = (1/n) sum r_i,  s^2 = (1/n) sum (r_i - m)^2,  sigma = s / sqrt(dt),
 *   mu = m / dt + sigma^2 / 2  (E[S_T] = S0 exp(mu T), the config's meaning of mu),
 *   ln L = -(n/2) (ln(2 pi s^2) + 1).
 * Standard errors from the inverse Fisher information (m and s independent, Var m = s^2 / n,
 * Var s = s^2 / (2n)) mapped by the delta method:
 *   se(sigma) = s / sqrt(2 n dt),  se(mu) = s / (dt sqrt(n)) sqrt(1 + s^2 / 2). */
#ifndef MCR_FIT_GBM_H
#define MCR_FIT_GBM_H

#include "fit.h"
#include "gbm.h"

extern const char *const mcr_fit_gbm_names[2]; /* "mu", "sigma" */

/* x = (mu, sigma) per year. n >= 2 returns, not all equal. */
mcr_status mcr_fit_gbm(const double *r, int n, double dt, mcr_fit_result *res, mcr_error *err);

/* Negative log-likelihood of returns r under N(m, s^2) (for tests and profile checks). */
double mcr_fit_gbm_nll(const double *r, int n, double m, double s);

static inline mcr_gbm mcr_fit_gbm_model(const mcr_fit_result *res)
{
    return (mcr_gbm){.mu = res->x[0], .sigma = res->x[1]};
}

#endif
