/* Weighted (importance sampling) estimators: mean, VaR and CVaR of losses drawn under a tilted
 * measure with likelihood-ratio weights, with standard errors, and the pilot-based choice of the
 * mean shift for models without a closed form. Estimators, se's and sources: risk/weighted.c and
 * docs/COMPARING.md; the shift and the weights themselves: models/tail_shift.h. */
#ifndef MCR_WEIGHTED_H
#define MCR_WEIGHTED_H

#include <stdint.h>

#include "core/status.h"

typedef struct mcr_weighted_tail {
    double var, var_se;   /* VaR at the level and its se */
    double cvar, cvar_se; /* CVaR (expected shortfall) and its se */
    double tail_prob_se;  /* se of the weighted estimate of P(L >= VaR), the VaR se's window */
    double ess;           /* effective sample size (sum w)^2 / sum w^2: a diagnostic */
} mcr_weighted_tail;

/* One path in a sorted view of the sample. */
typedef struct mcr_weighted_loss {
    double loss, w;
    uint64_t index;
} mcr_weighted_loss;

/* Weighted mean (1/n) sum w_i x_i of an importance sample and its se sd(w x) / sqrt(n); n >= 2. */
void mcr_weighted_mean(const double *x, const double *w, uint64_t n, double *mean, double *se);

/* VaR and CVaR at `level` of losses loss[0 .. n) (L = -P&L) with likelihood-ratio weights w
 * (all 1: plain Monte Carlo, and then VaR is the engine's and CVaR equals it to rounding).
 * scratch: n entries. Fails with MCR_ERR_INPUT on a level outside (0, 1), n < 2, or a weight that
 * is negative or not finite. */
mcr_status mcr_weighted_tail_of(const double *loss, const double *w, uint64_t n, double level,
                                mcr_weighted_loss *scratch, mcr_weighted_tail *out,
                                mcr_error *err);

/* The pilot-based mean shift: from a pilot of n paths (drawn with the current shift, weights w;
 * unshifted: all 1) with losses `loss` and standardised terminal normals zeta[i * assets + a]
 * (zeta = sum_k Z_k sqrt(dt_k / T) of asset a's independent normals, as drawn), shift[a] is the
 * weighted mean of zeta over the `window` pilot paths nearest in loss rank to the weighted VaR at
 * `level`: the terminal value at which the loss reaches the quantile, which for GBM is the closed
 * form's c. If the pilot's tail beyond that VaR holds fewer than `window` paths, the window is
 * centred on the window-th largest loss instead and *reached = 0: shift by the result, run the
 * pilot again and repeat (each round moves the tilted tail further out; see docs/COMPARING.md).
 * scratch: n entries. Fails on a bad level, window < 2 or window > n. */
mcr_status mcr_weighted_pilot_shift(const double *zeta, int assets, const double *loss,
                                    const double *w, uint64_t n, double level, int window,
                                    mcr_weighted_loss *scratch, double *shift, int *reached,
                                    mcr_error *err);

#endif
