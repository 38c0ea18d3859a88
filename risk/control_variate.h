/* Control variates for a mean: E[Y] estimated as mean(Y - beta (X - E[X])) with a control X of
 * known mean (terminal spot, a Black-Scholes-priceable option of the book) and the coefficient
 * beta fitted on a pilot of independent paths, so the estimate stays unbiased and its se is the
 * plain se of the adjusted values. Formulas and sources: risk/control_variate.c and
 * docs/COMPARING.md. */
#ifndef MCR_CONTROL_VARIATE_H
#define MCR_CONTROL_VARIATE_H

#include <stdint.h>

#include "core/status.h"

typedef struct mcr_cv_estimate {
    double mean, se;             /* the control-variate estimate of E[Y] and its se */
    double plain_mean, plain_se; /* the plain estimate of E[Y] on the same paths */
    double variance_ratio;       /* (se / plain_se)^2: below 1 when the control helps */
    uint64_t units;              /* independent samples: n, or n / 2 antithetic pairs */
} mcr_cv_estimate;

/* beta = Cov(Y, X) / Var(X) over a pilot of n >= 2 paths (independent of the main run's).
 * Fails with MCR_ERR_INPUT when X is constant on the pilot. */
mcr_status mcr_cv_coefficient(const double *y, const double *x, uint64_t n, double *beta,
                              mcr_error *err);

/* The estimate of E[Y] from n paths of (y, x) with E[X] = x_mean and a pilot's beta.
 * antithetic: paths 2k and 2k+1 form one unit (n even). Fails with MCR_ERR_INPUT on fewer than
 * 2 units, an odd n with antithetic pairs, or a beta that is not finite. */
mcr_status mcr_cv_mean(const double *y, const double *x, uint64_t n, double x_mean, double beta,
                       int antithetic, mcr_cv_estimate *out, mcr_error *err);

#endif
