/* Geometric Brownian motion: dS/S = mu dt + sigma dW, so E[S_T] = S0 exp(mu T).
 * Parameters, validation, the exact log-space step, and closed forms for S_T and for the
 * risk of a long spot position (the oracle of tests and of bench W1). */
#ifndef MCR_GBM_H
#define MCR_GBM_H

#include "core/status.h"

typedef struct mcr_gbm {
    double mu;    /* expected return per year (continuous) */
    double sigma; /* volatility per sqrt(year), > 0 */
} mcr_gbm;

/* Exact step in log space: ln S(t+dt) = ln S(t) + drift + vol * Z, Z ~ N(0,1). */
typedef struct mcr_gbm_step {
    double drift; /* (mu - sigma^2/2) dt */
    double vol;   /* sigma sqrt(dt) */
} mcr_gbm_step;

/* Checks ranges; `where` prefixes the message (e.g. "market.assets[0].model"). */
mcr_status mcr_gbm_check(const mcr_gbm *m, const char *where, mcr_error *err);
mcr_gbm_step mcr_gbm_step_of(const mcr_gbm *m, double dt);

/* S_T is lognormal: ln S_T ~ N(ln S0 + (mu - sigma^2/2) T, sigma^2 T). */
double mcr_gbm_mean(const mcr_gbm *m, double s0, double t);
double mcr_gbm_variance(const mcr_gbm *m, double s0, double t);
double mcr_gbm_quantile(const mcr_gbm *m, double s0, double t, double p);

/* Loss of `qty` > 0 units long spot, loss = qty (S0 - S_T), at confidence `level` (0.99):
 * VaR = qty (S0 - q_{1-level}(S_T)), CVaR = qty (S0 - E[S_T | S_T <= q_{1-level}]). */
double mcr_gbm_var_long(const mcr_gbm *m, double s0, double t, double level);
double mcr_gbm_cvar_long(const mcr_gbm *m, double s0, double t, double level);

#endif
