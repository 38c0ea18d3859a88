/* GARCH(1,1) (Bollerslev 1986) and GJR-GARCH(1,1) (Glosten, Jagannathan, Runkle 1993) fitted to
 * daily log returns by Gaussian quasi-maximum likelihood:
 *   r_t = mu + e_t,  e_t = sqrt(h_t) z_t,
 *   h_t = omega + (alpha + gamma 1{e_{t-1} < 0}) e_{t-1}^2 + beta h_{t-1}   (gamma = 0: GARCH),
 *   -ln L = (1/2) sum_t [ln(2 pi) + ln h_t + e_t^2 / h_t],
 * started at h_1 = the sample variance of r (divisor n), which does not depend on the
 * parameters. Constraints, held at every trial point by the parametrisation: omega > 0,
 * alpha >= 0, alpha + gamma >= 0, beta >= 0 and persistence alpha + beta + gamma/2 < 1 (the
 * variance is stationary for symmetric z). Units are daily (one row of the data file), as the
 * variance recursion is: filtered historical simulation runs it forward day by day from
 * next_variance with bootstrapped standardised residuals. Standard errors are the inverse
 * Hessian of the Gaussian likelihood (exact for Gaussian z; under other z the QMLE sandwich
 * errors of Bollerslev-Wooldridge 1992 would be larger). */
#ifndef MCR_FIT_GARCH_H
#define MCR_FIT_GARCH_H

#include "fit.h"

typedef enum mcr_garch_kind { MCR_GARCH, MCR_GJR } mcr_garch_kind;

typedef struct mcr_garch {
    double mu;    /* mean daily log return */
    double omega; /* daily variance, > 0 */
    double alpha; /* weight of yesterday's squared shock, >= 0 */
    double beta;  /* weight of yesterday's variance, >= 0 */
    double gamma; /* GJR: extra weight of negative shocks, alpha + gamma >= 0; 0 for GARCH */
} mcr_garch;

extern const char *const mcr_fit_garch_names[5]; /* mu, omega, alpha, beta, gamma */

/* The variance path h[0..n-1] from h[0] = h1 and the standardised residuals
 * z[t] = (r[t] - mu) / sqrt(h[t]) (z may be NULL); returns h_{n+1}, the next day's variance. */
double mcr_garch_filter(const mcr_garch *g, const double *r, int n, double h1, double *h,
                        double *z);

/* Gaussian negative log-likelihood (+inf if a variance is not positive). */
double mcr_garch_nll(const mcr_garch *g, const double *r, int n, double h1);

typedef struct mcr_garch_fit {
    mcr_fit_result fit;   /* x = (mu, omega, alpha, beta[, gamma]), daily */
    mcr_garch model;
    double h1;            /* the starting variance (sample variance) */
    double *variance;     /* [n] h_t: the variance of r_t given r_1 .. r_{t-1} */
    double *residual;     /* [n] z_t = (r_t - mu) / sqrt(h_t), what FHS bootstraps */
    double last_variance; /* h_n, the last fitted variance */
    double next_variance; /* h_{n+1} = omega + (alpha + gamma 1{e_n<0}) e_n^2 + beta h_n */
    double persistence;   /* alpha + beta + gamma / 2 */
    double long_run_vol;  /* sqrt(365 omega / (1 - persistence)), per sqrt(year) */
} mcr_garch_fit;

/* n >= 50 returns. The caller frees with mcr_garch_fit_free. */
mcr_status mcr_fit_garch(const double *r, int n, mcr_garch_kind kind, mcr_garch_fit *out,
                         mcr_error *err);
/* The same with `warm` (a fit of a neighbouring window) as one more start beside the cold ones,
 * when the likelihood is finite there: the variance surface of a one-year window has several
 * basins, and a window moved by a day can move the best one away from yesterday's, so the warm
 * start alone can stop in a worse one; with it the fit is never worse than the cold starts'. */
mcr_status mcr_fit_garch_from(const double *r, int n, mcr_garch_kind kind,
                              const mcr_garch *warm, mcr_garch_fit *out, mcr_error *err);
void mcr_garch_fit_free(mcr_garch_fit *f);

#endif
