/* Heston (1993) stochastic volatility and Bates (1996) = Heston + Merton lognormal jumps:
 *   dS/S = (mu - lambda k) dt + sqrt(v) dW1 + d(sum of (e^Y - 1)),
 *   dv = kappa (theta - v) dt + xi sqrt(v) dW2,  d<W1, W2> = rho dt,
 * with Y ~ N(nu, delta^2) at rate lambda and k = E[e^Y - 1] (Heston: lambda = 0), so
 * E[S_T] = S0 exp(mu T). Parameters, validation, characteristic functions in the "little Heston
 * trap" form (Albrecher, Mayer, Schoutens & Tistaert 2007) and European prices. */
#ifndef MCR_HESTON_H
#define MCR_HESTON_H

#include <complex.h>

#include "black_scholes.h"
#include "cf_pricer.h"
#include "core/status.h"

typedef struct mcr_heston {
    double mu;    /* expected return per year: E[S_T] = S0 exp(mu T) */
    double v0;    /* initial variance, >= 0 */
    double kappa; /* speed of mean reversion of the variance, > 0 */
    double theta; /* long-run variance, > 0 */
    double xi;    /* volatility of the variance, > 0 (2 kappa theta >= xi^2 is not required) */
    double rho;   /* correlation of price and variance shocks, in [-1, 1] */
} mcr_heston;

/* Config keys: the Heston keys plus Merton's jump_intensity, jump_mean, jump_std. */
typedef struct mcr_bates {
    mcr_heston heston; /* heston.mu is the total expected return (jumps compensated) */
    double jump_intensity, jump_mean, jump_std;
} mcr_bates;

/* Check ranges; `where` prefixes the message; keys are named flat ("WHERE.v0",
 * "WHERE.jump_std"). */
mcr_status mcr_heston_check(const mcr_heston *m, const char *where, mcr_error *err);
mcr_status mcr_bates_check(const mcr_bates *m, const char *where, mcr_error *err);

/* k = exp(nu + delta^2/2) - 1, as mcr_merton_jump_compensator. */
double mcr_bates_compensator(const mcr_bates *m);

/* E[e^{iuX}], X = ln(S_T/S0) with E[S_T/S0] = e^{drift t}:  exp(i u drift t + C + D v0),
 *   d = sqrt((rho xi iu - kappa)^2 + xi^2 (iu + u^2)),  Re d >= 0,
 *   g = (kappa - rho xi iu - d) / (kappa - rho xi iu + d),
 *   C = kappa theta / xi^2 [(kappa - rho xi iu - d) t - 2 ln((1 - g e^{-dt}) / (1 - g))],
 *   D = (kappa - rho xi iu - d) / xi^2 (1 - e^{-dt}) / (1 - g e^{-dt}),
 * evaluated without cancellation, so it stays accurate for xi -> 0. */
double complex mcr_heston_cf(const mcr_heston *m, double drift, double t, double complex u);
/* Heston's CF at drift - lambda k times exp(t lambda (e^{iu nu - delta^2 u^2/2} - 1)). */
double complex mcr_bates_cf(const mcr_bates *m, double drift, double t, double complex u);
mcr_cf_model mcr_heston_cf_model(const mcr_heston *m);
mcr_cf_model mcr_bates_cf_model(const mcr_bates *m);

/* E[ln(S_T/S0)] under `drift`:
 * drift t - (theta t + (v0 - theta)(1 - e^{-kappa t}) / kappa) / 2. */
double mcr_heston_log_mean(const mcr_heston *m, double drift, double t);

/* European prices under drift r - q (mu is not used) by mcr_cf_price. */
double mcr_heston_price(const mcr_heston *m, const mcr_euro *o);
double mcr_bates_price(const mcr_bates *m, const mcr_euro *o);

#endif
