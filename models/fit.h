/* The maximum-likelihood core shared by every calibrated model (fit_*.h): minimise a negative
 * log-likelihood over unconstrained parameters theta (GSL's Nelder-Mead simplex from each start,
 * restarted until it stops improving, then GSL's BFGS on a central-difference gradient from the
 * best point), take the numerical Hessian at the optimum, and turn its inverse into
 * standard errors of the model's natural parameters x = g(theta) by the delta method
 * (Cov x = J H^-1 J', J = dx/dtheta). At an interior optimum this equals the inverse Hessian in
 * x itself, and theta keeps every trial point inside the constraints. Plus the information
 * criteria and the transforms that map R onto constrained ranges. Math only: no I/O. */
#ifndef MCR_FIT_H
#define MCR_FIT_H

#include <math.h>
#include <stdbool.h>

#include "core/status.h"

#define MCR_FIT_MAX_PAR 8
#define MCR_FIT_WARM_SCALE 0.5   /* mcr_fit_problem.scale of a warm start */
#define MCR_FIT_DAYS_PER_YEAR 365.0 /* crypto trades every calendar day: dt = 1/365 per row */

typedef struct mcr_fit_problem {
    int n_par;                /* 1..MCR_FIT_MAX_PAR */
    int n_obs;                /* observations in the likelihood (for BIC) */
    /* Negative log-likelihood at theta; +inf (or NaN) for a point the model cannot evaluate. */
    double (*nll)(const double *theta, void *ctx);
    /* theta -> the natural parameters x (the units that are reported). */
    void (*to_natural)(const double *theta, double *x, void *ctx);
    void *ctx;
    const double *step;       /* initial simplex step per coordinate of theta, > 0 */
    /* The first simplex's size relative to step (0: 1). A warm start, one start at yesterday's
     * optimum (a backtest's daily refit on a window moved by one day), is near the new optimum:
     * a small first simplex finds it in a fraction of the evaluations. */
    double scale;
} mcr_fit_problem;

typedef struct mcr_fit_result {
    int n_par, n_obs;
    const char *const *names;       /* names of x (config keys), set by the model's fit */
    double theta[MCR_FIT_MAX_PAR];  /* the optimum in the optimiser's coordinates */
    double x[MCR_FIT_MAX_PAR];      /* natural parameters at the optimum */
    double se[MCR_FIT_MAX_PAR];     /* standard errors of x; 0 where unavailable (see has_se) */
    double cov[MCR_FIT_MAX_PAR * MCR_FIT_MAX_PAR]; /* covariance of x, row-major */
    bool has_se;                    /* false: the Hessian was not positive definite */
    double loglik, aic, bic;
    int evaluations;                /* likelihood evaluations by the optimiser */
    /* Jump models: the largest relative error bound, over the observations, that truncating the
     * Poisson mixture puts on a density value at the optimum; 0 for models with no truncation. */
    double truncation_bound;
    int jump_terms;                 /* jump counts 0..jump_terms kept in the mixture */
} mcr_fit_result;

/* Minimise p->nll from each of the n_start starting points (theta, n_start x n_par, row-major)
 * and keep the best; then the Hessian, covariance and criteria. Fails (MCR_ERR_INPUT) when no
 * start gives a finite likelihood. */
mcr_status mcr_fit_run(const mcr_fit_problem *p, const double *starts, int n_start,
                       mcr_fit_result *r, mcr_error *err);

/* Central-difference Hessian of f at theta (n x n, row-major) with steps
 * h_i = 1e-4 (1 + |theta_i|): truncation O(h^2), rounding ~ eps |f| / h^2. */
void mcr_fit_hessian(double (*f)(const double *, void *), void *ctx, const double *theta, int n,
                     double *hess);

/* Fill r's covariance, se and has_se from the Hessian of the negative log-likelihood in theta
 * (r->theta, r->n_par set), through the Jacobian of p->to_natural. */
void mcr_fit_covariance(const mcr_fit_problem *p, const double *hess, mcr_fit_result *r);

/* The mean and standard deviation (divisor n) of the n returns, where every fit starts: an input
 * error naming `model` when there are fewer than min_n returns or they do not vary. */
mcr_status mcr_fit_moments(const char *model, const double *r, int n, int min_n, double *mean,
                           double *sd, mcr_error *err);

/* Information criteria from the maximised log-likelihood: AIC = 2k - 2 lnL,
 * BIC = k ln(n) - 2 lnL. */
void mcr_fit_criteria(mcr_fit_result *r);

/* Truncating a Poisson(mean) mixture after `terms` counts: an upper bound on the weight left out,
 * P(K > terms) <= w_{terms+1} / (1 - mean / (terms + 2)) (a geometric series, valid when
 * terms + 2 > mean; +inf otherwise), w_k = e^-mean mean^k / k!. */
double mcr_fit_poisson_tail(double mean, int terms);
/* The fewest terms (>= 1) whose left-out weight is <= tail, at most cap. */
int mcr_fit_poisson_terms(double mean, double tail, int cap);

/* Constraint transforms: exp maps R onto (0, inf) (log back); the logistic maps R onto (lo, hi)
 * and the logit back. */
static inline double mcr_fit_logistic(double t, double lo, double hi)
{
    return lo + (hi - lo) / (1.0 + exp(-t));
}

static inline double mcr_fit_logit(double x, double lo, double hi)
{
    double u = (x - lo) / (hi - lo);
    return log(u / (1.0 - u));
}

#endif
