/* Kou (2002) double-exponential jump-diffusion: dS/S = (mu - lambda zeta) dt + sigma dW
 * + d(sum of (e^Y - 1)), jumps at Poisson rate lambda with log size Y = +Exp(eta_up) with
 * probability p_up and -Exp(eta_down) otherwise; zeta = E[e^Y - 1] compensates the jumps, so
 * E[S_T] = S0 exp(mu T). Parameters, validation, characteristic function, log-return moments
 * and the European price through the characteristic-function pricer. */
#ifndef MCR_KOU_H
#define MCR_KOU_H

#include <complex.h>

#include "black_scholes.h"
#include "cf_pricer.h"
#include "core/status.h"

typedef struct mcr_kou {
    double mu;             /* expected return per year: E[S_T] = S0 exp(mu T) */
    double sigma;          /* diffusion volatility, > 0 */
    double jump_intensity; /* lambda, expected jumps per year, in [0, 1000] */
    double p_up;           /* probability that a jump is upwards, in [0, 1] */
    double eta_up;         /* rate of the upward log-jump exponential (mean 1/eta_up), > 1 */
    double eta_down;       /* rate of the downward log-jump exponential, > 0 */
} mcr_kou;

/* Checks ranges; `where` prefixes the message. eta_up > 1 keeps E[e^Y] finite. */
mcr_status mcr_kou_check(const mcr_kou *m, const char *where, mcr_error *err);

/* zeta = E[e^Y] - 1 = p eta1 / (eta1 - 1) + (1 - p) eta2 / (eta2 + 1) - 1. */
double mcr_kou_compensator(const mcr_kou *m);

/* E[e^{iuX}], X = ln(S_T/S0) with E[S_T/S0] = e^{drift t} (Kou 2002; REFERENCE_VALUES 4):
 *   exp(t [i u (drift - sigma^2/2 - lambda zeta) - sigma^2 u^2 / 2
 *          + lambda (p eta1 / (eta1 - iu) + (1 - p) eta2 / (eta2 + iu) - 1)]). */
double complex mcr_kou_cf(const mcr_kou *m, double drift, double t, double complex u);
mcr_cf_model mcr_kou_cf_model(const mcr_kou *m);

/* Mean and variance of X = ln(S_T/S0) under `drift`, from E Y = p/eta1 - (1-p)/eta2 and
 * E Y^2 = 2p/eta1^2 + 2(1-p)/eta2^2:
 * E X = (drift - sigma^2/2 - lambda zeta + lambda E Y) t, Var X = (sigma^2 + lambda E Y^2) t. */
double mcr_kou_log_mean(const mcr_kou *m, double drift, double t);
double mcr_kou_log_variance(const mcr_kou *m, double t);

/* European price under drift r - q (m->mu is not used) by mcr_cf_price. */
double mcr_kou_price(const mcr_kou *m, const mcr_euro *o);

#endif
