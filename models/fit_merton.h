/* Merton (1976) calibrated to daily log returns by exact maximum likelihood. Over dt years a log
 * return is a Poisson(L = lambda dt) mixture of normals:
 *   f(x) = sum_{n>=0} e^-L L^n / n!  phi(x; a + n nu, sigma^2 dt + n delta^2),
 *   a = (mu - sigma^2/2 - lambda k) dt,  k = exp(nu + delta^2/2) - 1  (jumps compensated, so
 *   E[S_T] = S0 exp(mu T) as in the config).
 * Truncation: the sum stops after N jumps, N the fewest with P(K > N) <= MCR_MERTON_FIT_TAIL by
 * the bound of mcr_fit_poisson_tail; every left-out term is a normal density of variance
 * >= sigma^2 dt, so each density value is low by at most MCR_MERTON_FIT_TAIL / (sigma sqrt(2 pi
 * dt)) (absolute). The fit reports the largest such bound relative to the fitted density values.
 * x = (mu, sigma, jump_intensity, jump_mean, jump_std), per year, the config's keys. */
#ifndef MCR_FIT_MERTON_H
#define MCR_FIT_MERTON_H

#include "fit.h"
#include "merton.h"

#define MCR_MERTON_FIT_TAIL 1e-20
#define MCR_MERTON_FIT_MAX_TERMS 200

extern const char *const mcr_fit_merton_names[5];

/* Log density of one log return x over dt with jump counts 0..terms. */
double mcr_merton_log_density(const mcr_merton *m, double dt, double x, int terms);

/* Negative log-likelihood of n returns (terms chosen as above). */
double mcr_merton_nll(const mcr_merton *m, double dt, const double *r, int n);

/* n >= 20 returns. */
mcr_status mcr_fit_merton(const double *r, int n, double dt, mcr_fit_result *res,
                          mcr_error *err);
/* The same from one warm start, `warm` (a fit of a neighbouring window), when the likelihood is
 * finite there; from the cold starts otherwise or when warm is NULL. */
mcr_status mcr_fit_merton_from(const double *r, int n, double dt, const mcr_merton *warm,
                               mcr_fit_result *res, mcr_error *err);

static inline mcr_merton mcr_fit_merton_model(const mcr_fit_result *res)
{
    return (mcr_merton){.mu = res->x[0], .sigma = res->x[1], .jump_intensity = res->x[2],
                        .jump_mean = res->x[3], .jump_std = res->x[4]};
}

#endif
