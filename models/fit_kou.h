/* Kou (2002) calibrated to daily log returns by exact maximum likelihood: the density of
 * kou_density.h (a Poisson mixture over the jump count, each count an exact mixture of a normal
 * plus one-sided Gamma laws through Kou's Hh functions). Truncation: jump counts 0..N with N the
 * fewest such that P(K > N) <= MCR_KOU_FIT_TAIL, so each density value is low by at most
 * MCR_KOU_FIT_TAIL / (sigma sqrt(2 pi dt)); the fit reports that bound relative to the smallest
 * fitted density value. x = (mu, sigma, jump_intensity, p_up, eta_up, eta_down), per year, the
 * config's keys; E[S_T] = S0 exp(mu T) with the jumps compensated. */
#ifndef MCR_FIT_KOU_H
#define MCR_FIT_KOU_H

#include "fit.h"
#include "kou.h"

#define MCR_KOU_FIT_TAIL 1e-20

extern const char *const mcr_fit_kou_names[6];

double mcr_kou_nll(const mcr_kou *m, double dt, const double *r, int n);

/* n >= 20 returns. */
mcr_status mcr_fit_kou(const double *r, int n, double dt, mcr_fit_result *res, mcr_error *err);

static inline mcr_kou mcr_fit_kou_model(const mcr_fit_result *res)
{
    return (mcr_kou){.mu = res->x[0], .sigma = res->x[1], .jump_intensity = res->x[2],
                     .p_up = res->x[3], .eta_up = res->x[4], .eta_down = res->x[5]};
}

#endif
