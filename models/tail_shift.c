/* Mean-shift importance sampling of a diffusion's tail: the closed-form shift for GBM, its split
 * over the steps and the likelihood ratio. See tail_shift.h for the convention.
 * Why the quantile: the zero-variance density for P(L > VaR) is the original one restricted to
 * {L > VaR}; for a loss monotone in zeta that set is {zeta < z_(1-level)} (long), and shifting zeta
 * to its boundary puts about half the paths in the tail while keeping the weights there below
 * exp(-c^2 / 2) (Glasserman 2004, ch. 9, makes the same kind of choice for delta-gamma
 * portfolios). */
#include "tail_shift.h"

#include <math.h>

#include "normal.h"

double mcr_tail_shift_gbm(double level, int loss_when_price_falls)
{
    return loss_when_price_falls ? mcr_norm_quantile(1.0 - level) : mcr_norm_quantile(level);
}

void mcr_tail_shift_steps(double c, const double *dt, int steps, double *theta)
{
    double total = 0.0;
    for (int k = 0; k < steps; k++)
        total += dt[k];
    for (int k = 0; k < steps; k++)
        theta[k] = c * sqrt(dt[k] / total);
}

double mcr_tail_log_lr(const double *theta, const double *z, int n)
{
    double s = 0.0;
    for (int k = 0; k < n; k++)
        s += mcr_tail_log_lr_step(theta[k], z[k]);
    return s;
}
