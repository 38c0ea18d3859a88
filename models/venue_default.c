/* Venue default: validation and the closed forms of the default probability and the mean loss
 * (venue_default.h). */
#include "venue_default.h"

#include <stddef.h>

#include "model_keys.h" /* MCR_REQ_CLOSED */

const mcr_key mcr_venue_keys[] = {
    MCR_KEY_F("default_intensity", mcr_venue_failure, default_intensity, MCR_REQ_CLOSED, 0, 100, 0,
              "defaults per year",
              "Poisson intensity: P(default by T) = 1 - exp(-default_intensity T)"),
    MCR_KEY_F("recovery", mcr_venue_failure, recovery, MCR_REQ_CLOSED, 0, 1, 0, "fraction recovered",
              "what is recovered of the holdings at the venue on default"),
    MCR_KEY_END,
};

/* forced_time is not a row: it comes from a scenario's forced default day, and its "none" is
 * INFINITY, which no row's range admits. */
mcr_status mcr_venue_check(const mcr_venue_failure *v, const char *where, mcr_error *err)
{
    mcr_status s = mcr_keys_check(mcr_venue_keys, v, where, err);
    if (s != MCR_OK)
        return s;
    if (isnan(v->forced_time) || v->forced_time < 0.0)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "%s.forced_time: must be >= 0 years, or infinite for none (got %g)", where,
                        v->forced_time);
    return MCR_OK;
}

double mcr_venue_default_probability(const mcr_venue_failure *v, double t)
{
    return t >= v->forced_time ? 1.0 : -expm1(-v->default_intensity * t);
}

/* lambda int_0^T e^{-lambda s} e^{g s} e^{a (T - s)} ds = e^{aT} lambda (1 - e^{-cT}) / c with
 * c = lambda - g + a, written with expm1 so that c -> 0 gives e^{aT} lambda T. */
double mcr_venue_mean_loss(const mcr_venue_failure *v, double h0, double g, double a, double t)
{
    double lambda = v->default_intensity, c = lambda - g + a;
    double integral = c != 0.0 ? -expm1(-c * t) / c : t;
    return (1.0 - v->recovery) * h0 * exp(a * t) * lambda * integral;
}

/* sum_{n=1..N} rho^n = rho (rho^N - 1) / (rho - 1) = e^x expm1(N x) / expm1(x), x = ln rho. */
double mcr_venue_mean_loss_grid(const mcr_venue_failure *v, double h0, double g, double a, double dt,
                                int n_steps)
{
    double lambda = v->default_intensity, x = (g - a - lambda) * dt;
    double sum = x != 0.0 ? exp(x) * expm1(n_steps * x) / expm1(x) : (double)n_steps;
    return (1.0 - v->recovery) * h0 * exp(a * n_steps * dt) * expm1(lambda * dt) * sum;
}
