/* The perpetual's basis and the premium-index funding rate. The perpetual (mark) trades at
 * S (1 + b_t), with b_t an Ornstein-Uhlenbeck process whose shocks also load on the asset's log
 * return (a crash drags the perp below spot, as BitMEX's XBTUSD traded about $400 below spot on
 * 2020-03-12), and funding can be set from the basis.
 *
 * The process, in continuous time, with X = ln S the asset's log price:
 *     db = -k b dt + s dW + beta dX,     W a Brownian motion independent of the asset,
 * k the reversion per year (half-life ln 2 / k), s the basis's own volatility per sqrt(year) and
 * beta = crash_beta the loading on the asset's log return.
 * Exact solution over a step of dt: b' = e^{-k dt} b + s int e^{-k(dt-u)} dW_u
 *                                         + beta int e^{-k(dt-u)} dX_u.
 * The per-step update (ONE normal z per step; the asset's step log return r comes from the
 * asset's own draws):
 *     b' = e^{-k dt} b + s sqrt((1 - e^{-2 k dt}) / (2 k)) z + beta w r,
 *     w = (1 - e^{-k dt}) / (k dt).
 * The W part is exact in law. The X part is the exact conditional mean of beta int e^{-k(dt-u)}
 * dX_u given r: the increments of a Levy process (GBM, Merton, Kou) are exchangeable, so
 * E[dX_u | X_dt - X_0 = r] = r du / dt. What is left out is the within-step variance of that
 * integral given r, (for Brownian X of volatility sigma) beta^2 sigma^2 (k dt)^3 / (12 k) + ...,
 * which makes the beta-part of the stationary variance smaller than continuous time's by the
 * factor tanh(k dt / 2) / (k dt / 2) = 1 - (k dt)^2 / 12 + ... (0.08% at k dt = 0.1).
 *
 * Moments of the update with i.i.d. step returns of mean m and variance v, independent of z
 * (a = e^{-k dt}, n^2 = s^2 (1 - a^2) / (2k)):
 *     one step:    E[b' | b, r] = a b + beta w r,   Var[b' | b, r] = n^2;
 *     stationary:  E b = beta w m / (1 - a) = beta m / (k dt),
 *                  Var b = (n^2 + beta^2 w^2 v) / (1 - a^2) = s^2 / (2k) + beta^2 w^2 v / (1 - a^2).
 * Continuous time (X Brownian with drift mu_X and variance sigma^2 per year):
 *     E b = beta mu_X / k,   Var b = (s^2 + beta^2 sigma^2) / (2k).
 *
 * Funding from the premium. Binance ("Introduction to Binance Futures Funding Rates") computes a
 * premium index P from the perp's impact prices against the index and, for an N-hour interval,
 *     F = [P + clamp(I - P, -0.05%, 0.05%)] / (8 / N),
 * then clamps F to the contract's cap. With b_t standing for P:
 *   mcr_funding_premium_rate: the rule, clamp(b N/8 + interest, -cap, cap);
 *   mcr_funding_binance_rate: Binance's, clamp(b N/8 + clamp(interest - b N/8, -damper,
 *   damper), -cap, cap).
 * All rates, interest, damper and cap are per funding interval. The premium enters per interval
 * as b N / 8 = b x 3 / intervals_per_day: at the 8-hour interval that is b itself, and shorter
 * intervals charge proportionally less each, so the funding paid per day does not depend on the
 * interval. */
#ifndef MCR_BASIS_H
#define MCR_BASIS_H

#include <math.h>

#include "core/keys.h"
#include "core/status.h"

/* The mark never falls below this fraction of spot (only absurd parameters reach it). */
#define MCR_BASIS_MIN_FACTOR 1e-6

typedef struct mcr_basis_params {
    double reversion;  /* k per year, (0, 1e5] */
    double vol;        /* s per sqrt(year), [0, 10] */
    double crash_beta; /* beta, loading on the asset's log return, [-10, 10] */
} mcr_basis_params;

/* Per-step constants for a step of dt years. */
typedef struct mcr_basis_step {
    double decay;   /* a = e^{-k dt} */
    double noise;   /* n = s sqrt((1 - a^2) / (2k)) */
    double loading; /* beta w, w = (1 - a) / (k dt) */
} mcr_basis_step;

typedef struct mcr_basis_moments {
    double mean, var;
} mcr_basis_moments;

typedef struct mcr_premium_funding {
    double interval_hours; /* N, (0, 720] */
    double interest;       /* interest component per interval, [-0.1, 0.1] (Binance 0.0001 at 8 h) */
    double cap;            /* |rate| <= cap per interval, [0, 1] */
    double damper;         /* Binance's clamp of interest - premium per interval (0.0005 at 8 h),
                            * [0, 1]; not used by the rule */
} mcr_premium_funding;

/* The config keys of `perp.basis` and of premium funding; their rows hold the ranges above. */
extern const mcr_key mcr_basis_params_keys[];
extern const mcr_key mcr_premium_funding_keys[];

/* Ranges above; the error names WHERE.KEY, the range and the unit (the rows' format). */
mcr_status mcr_basis_params_check(const mcr_basis_params *p, const char *where, mcr_error *err);
mcr_status mcr_premium_funding_check(const mcr_premium_funding *f, const char *where,
                                     mcr_error *err);

/* dt > 0, years. */
mcr_basis_step mcr_basis_step_of(const mcr_basis_params *p, double dt);

/* b' from b, the step's standard normal z and the asset's log return r over the step. */
static inline double mcr_basis_update(const mcr_basis_step *c, double b, double z,
                                      double log_return)
{
    return c->decay * b + c->noise * z + c->loading * log_return;
}

/* The perpetual's (mark) price S (1 + b), floored at MCR_BASIS_MIN_FACTOR S. */
static inline double mcr_basis_mark(double spot, double b)
{
    return spot * fmax(1.0 + b, MCR_BASIS_MIN_FACTOR);
}

/* Stationary mean and variance of the update for i.i.d. step returns of mean m, variance v. */
mcr_basis_moments mcr_basis_stationary(const mcr_basis_step *c, double m, double v);

/* Continuous time, X Brownian with drift mu_x and volatility sigma_x per year. */
mcr_basis_moments mcr_basis_stationary_continuous(const mcr_basis_params *p, double mu_x,
                                                  double sigma_x);

static inline double mcr_clamp(double x, double lo, double hi) { return fmin(fmax(x, lo), hi); }

/* clamp(b N/8 + interest, -cap, cap), per interval. */
static inline double mcr_funding_premium_rate(const mcr_premium_funding *f, double b)
{
    return mcr_clamp(b * f->interval_hours / 8.0 + f->interest, -f->cap, f->cap);
}

/* Binance: clamp(P + clamp(interest - P, -damper, damper), -cap, cap) with P = b N/8. */
static inline double mcr_funding_binance_rate(const mcr_premium_funding *f, double b)
{
    double p = b * f->interval_hours / 8.0;
    return mcr_clamp(p + mcr_clamp(f->interest - p, -f->damper, f->damper), -f->cap, f->cap);
}

#endif
