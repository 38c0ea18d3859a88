/* Merton (1976) jump-diffusion: dS/S = (mu - lambda k) dt + sigma dW + d(sum of (e^Y - 1)),
 * jumps at Poisson rate lambda with log size Y ~ N(nu, delta^2) and k = E[e^Y - 1], so jumps are
 * compensated and E[S_T] = S0 exp(mu T). Parameters, validation, the characteristic function of
 * the log return, its moments and the Merton series price of European options. The lognormal
 * jump part is exported on its own because Bates (heston.h) adds the same jumps. */
#ifndef MCR_MERTON_H
#define MCR_MERTON_H

#include <complex.h>

#include "black_scholes.h"
#include "cf_pricer.h"
#include "core/status.h"

typedef struct mcr_merton {
    double mu;             /* expected return per year: E[S_T] = S0 exp(mu T) */
    double sigma;          /* diffusion volatility, > 0 */
    double jump_intensity; /* lambda, expected jumps per year, in [0, 1000] */
    double jump_mean;      /* nu, mean of the log jump size, in [-5, 5] */
    double jump_std;       /* delta, standard deviation of the log jump size, in [0, 5] */
} mcr_merton;

/* Checks ranges; `where` prefixes the message (e.g. "market.assets[0].model"). */
mcr_status mcr_merton_check(const mcr_merton *m, const char *where, mcr_error *err);

/* k = E[e^Y] - 1 = exp(nu + delta^2 / 2) - 1. */
double mcr_merton_jump_compensator(double mean, double std);
double mcr_merton_compensator(const mcr_merton *m);
/* Jump part of the characteristic exponent per year, lambda (E[e^{iuY}] - 1)
 * = lambda (exp(i u nu - delta^2 u^2 / 2) - 1); the compensating drift is not included. */
double complex mcr_merton_jump_exponent(double intensity, double mean, double std,
                                        double complex u);

/* E[e^{iuX}], X = ln(S_T/S0) with E[S_T/S0] = e^{drift t} (drift = mu for the real world,
 * r - q for pricing):
 *   exp(t [i u (drift - sigma^2/2 - lambda k) - sigma^2 u^2 / 2 + lambda (e^{iu nu - delta^2
 *   u^2/2} - 1)]). */
double complex mcr_merton_cf(const mcr_merton *m, double drift, double t, double complex u);
mcr_cf_model mcr_merton_cf_model(const mcr_merton *m);

/* Mean and variance of X = ln(S_T/S0) under `drift`:
 * E X = (drift - sigma^2/2 - lambda k + lambda nu) t, Var X = (sigma^2 + lambda (nu^2 +
 * delta^2)) t. */
double mcr_merton_log_mean(const mcr_merton *m, double drift, double t);
double mcr_merton_log_variance(const mcr_merton *m, double t);

/* Merton (1976) series (m->mu is not used; pricing is under drift r - q), summed until the
 * Poisson weights of both the call and the put bound fall below 1e-17:
 *   V = sum_n e^{-L} L^n / n! BS(S, K, T; r_n, q, sigma_n),  L = lambda (1 + k) T,
 *   sigma_n^2 = sigma^2 + n delta^2 / T,  r_n = r - lambda k + n ln(1 + k) / T. */
double mcr_merton_price(const mcr_merton *m, const mcr_euro *o);

#endif
