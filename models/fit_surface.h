/* The implied-vol surface of vol_surface.h fitted to an option chain by least squares:
 *   sigma_i = atm(T_i) + skew x_i + smile x_i^2,   x_i = ln(K_i / F_i) / sqrt(T_i),
 *   F_i = spot e^{rate T_i}  (the config's forward), T_i = days_i / 365,
 * with one ATM vol per distinct expiry (the surface's term points; a single expiry gives a flat
 * atm) and skew and smile shared. That is linear in (atm_1..atm_E, skew, smile): ordinary least
 * squares (GSL gsl_multifit_linear), standard errors s^2 (X'X)^-1 with s^2 the residual variance
 * over n - E - 2 degrees of freedom. smile must be >= 0 (the config's range): a negative
 * unconstrained smile is refitted with smile = 0. The vol floor is not part of the fit. A chain
 * whose fitted ATM total variance atm^2 T decreases between expiries (calendar arbitrage) is an
 * input error, as the config would refuse that surface. */
#ifndef MCR_FIT_SURFACE_H
#define MCR_FIT_SURFACE_H

#include <stdbool.h>

#include "core/status.h"
#include "vol_surface.h"

typedef struct mcr_option_quote {
    double strike, days, vol; /* > 0 each */
} mcr_option_quote;

typedef struct mcr_surface_fit {
    mcr_vol_surface surface;
    double se_atm[MCR_VOL_TERM_MAX]; /* per expiry (one when the surface is flat) */
    double se_skew, se_smile;        /* se_smile 0 when smile was held at 0 */
    bool smile_at_zero;
    int n_quotes, n_expiries;
    double rmse;                     /* root mean square residual, vol units */
} mcr_surface_fit;

mcr_status mcr_fit_vol_surface(const mcr_option_quote *q, int n, double spot, double rate,
                               mcr_surface_fit *out, mcr_error *err);

#endif
