/* Failure of a venue or protocol (an exchange like FTX, an exploited lending pool): a default
 * time per path, common to every position at that venue, and the loss of what sits there.
 *
 * The default time tau is exponential with intensity lambda (a Poisson process's first event):
 * drawn ONCE per path from one uniform u in (0, 1) as tau = -ln(u) / lambda, so
 *     P(tau <= T) = 1 - e^{-lambda T}.
 * A scenario can force the default at a given time t_f: tau = min(tau, t_f).
 * At default the holdings H at the venue lose a fraction (1 - recovery) of their value:
 *     loss = (1 - R) max(H_tau, 0)
 * (a negative balance is a debt to the venue and is not forgiven). On a time grid of step dt the
 * engine realises the default at the end of the step containing tau, (n-1) dt < tau <= n dt.
 *
 * Closed forms of the mean loss, for tests of the Monte Carlo (a holding growing at rate g in
 * expectation, H_t = H_0 e^{g t}: cash at the rate r, or coin under GBM with drift mu; the loss
 * is carried to the horizon T at the accrual rate a, the P&L convention's rate):
 *   continuous:  E[loss at T] = (1 - R) H_0 e^{a T} lambda (1 - e^{-(lambda - g + a) T})
 *                                                            / (lambda - g + a),
 *                with the limit (1 - R) H_0 e^{a T} lambda T when lambda - g + a = 0;
 *   on the grid: E = (1 - R) H_0 e^{a T} (e^{lambda dt} - 1) sum_{n=1..N} rho^n,
 *                rho = e^{(g - a - lambda) dt}, N = T / dt
 *                (P(tau in step n) = e^{-lambda (n-1) dt} - e^{-lambda n dt}).
 * A constant USD holding carried at its own rate (g = a) gives (1 - R) H_0 e^{a T}
 * (1 - e^{-lambda T}) in both. */
#ifndef MCR_VENUE_DEFAULT_H
#define MCR_VENUE_DEFAULT_H

#include <math.h>

#include "core/keys.h"
#include "core/status.h"

typedef struct mcr_venue_failure {
    double default_intensity; /* lambda per year, [0, 100] */
    double recovery;          /* R, fraction recovered, [0, 1] */
    double forced_time;       /* years from t0: default no later than this (a scenario's forced
                               * default day / 365); INFINITY = none */
} mcr_venue_failure;

/* The config keys of a venue (default_intensity, recovery; its name is the config's, and
 * forced_time comes from a scenario); their rows hold the ranges above. */
extern const mcr_key mcr_venue_keys[];

/* Ranges above (the rows; forced_time >= 0 or INFINITY); the error names WHERE.KEY. */
mcr_status mcr_venue_check(const mcr_venue_failure *v, const char *where, mcr_error *err);

/* tau from the path's uniform u in (0, 1): min(-ln(u) / lambda, forced_time); INFINITY when
 * lambda = 0 and nothing is forced. */
static inline double mcr_venue_default_time(const mcr_venue_failure *v, double u)
{
    double tau = v->default_intensity > 0.0 ? -log(u) / v->default_intensity : INFINITY;
    return fmin(tau, v->forced_time);
}

/* 1 if the venue has defaulted by time t (tau <= t), else 0. */
static inline double mcr_venue_defaulted(double tau, double t) { return tau <= t ? 1.0 : 0.0; }

/* 1 if the default falls in the step ((n-1) dt, n dt] ending at t_end = n dt, else 0. */
static inline double mcr_venue_defaults_in_step(double tau, double t_start, double t_end)
{
    return ((tau > t_start) & (tau <= t_end)) ? 1.0 : 0.0;
}

/* (1 - R) max(holding, 0). */
static inline double mcr_venue_loss(const mcr_venue_failure *v, double holding)
{
    return (1.0 - v->recovery) * fmax(holding, 0.0);
}

/* P(tau <= t) = 1 - e^{-lambda t} (1 from the forced time on). */
double mcr_venue_default_probability(const mcr_venue_failure *v, double t);

/* The mean loss carried to T (header comment), continuous tau, no forced default. */
double mcr_venue_mean_loss(const mcr_venue_failure *v, double h0, double g, double a, double t);

/* The same with the default realised at the end of its step, n_steps steps of dt. */
double mcr_venue_mean_loss_grid(const mcr_venue_failure *v, double h0, double g, double a, double dt,
                                int n_steps);

#endif
