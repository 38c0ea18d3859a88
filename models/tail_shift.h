/* Importance sampling of a diffusion's tail by a mean shift of its normals: the shift that centres
 * the tilted terminal distribution on a target quantile, spread over the time steps, and the
 * likelihood ratio of a path (Glasserman 2004, Monte Carlo Methods in Financial Engineering,
 * sec. 4.6 and ch. 9; Glasserman, Heidelberger & Shahabuddin 2000, Math. Finance 10). The
 * estimators that use the weights are in risk/weighted.h; the pilot-based shift for models
 * without a closed form is mcr_weighted_pilot_shift there.
 *
 * Convention: the independent standard normals Z_k of a path (before any correlation) are drawn as
 * Z_k = eps_k + theta_k with eps_k ~ N(0, 1), and the path's weight is
 *   w = prod_k phi(Z_k) / phi(Z_k - theta_k) = exp(-sum_k theta_k Z_k + |theta|^2 / 2),
 * so E_shifted[w f] = E[f] for any payoff f. With theta_k = c sqrt(dt_k / T) the shift moves the
 * standardised terminal value zeta = W_T / sqrt(T) = sum_k Z_k sqrt(dt_k / T) by c, |theta| = |c|,
 * and w = exp(-c zeta + c^2 / 2): the weight depends on the path through zeta alone. Under a
 * Brownian bridge, whose first normal is zeta, the same measure change is a shift of that normal
 * by c and no other. */
#ifndef MCR_TAIL_SHIFT_H
#define MCR_TAIL_SHIFT_H

/* The shift c of zeta that puts the median of the tilted S_T on the quantile of S_T that decides
 * the loss at `level` (in (0, 1)), for GBM or any model whose loss is monotone in S_T:
 * c = Phi^-1(1 - level) when the loss grows as the price falls (long spot),
 * c = Phi^-1(level) when it grows as the price rises (short spot). */
double mcr_tail_shift_gbm(double level, int loss_when_price_falls);

/* theta_k = c sqrt(dt_k / T), T = sum of dt_k, for `steps` steps. */
void mcr_tail_shift_steps(double c, const double *dt, int steps, double *theta);

/* The log weight of one shifted draw z (= eps + theta): -theta z + theta^2 / 2. A path's log
 * weight is the sum over its steps (and assets); exponentiate once at the end. */
static inline double mcr_tail_log_lr_step(double theta, double z)
{
    return -theta * z + 0.5 * theta * theta;
}

/* sum_k mcr_tail_log_lr_step(theta[k], z[k]) over n draws. */
double mcr_tail_log_lr(const double *theta, const double *z, int n);

#endif
