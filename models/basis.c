/* Perpetual basis: validation, per-step constants and the stationary moments of the
 * Ornstein-Uhlenbeck basis defined in basis.h. */
#include "basis.h"

#include <stddef.h>

#include "model_keys.h" /* MCR_REQ_CLOSED */

const mcr_key mcr_basis_params_keys[] = {
    MCR_KEY_F("reversion", mcr_basis_params, reversion, MCR_REQ_CLOSED | MCR_KEY_MIN_OPEN, 0,
              1e5, 0, "per year", "mean-reversion speed k of the basis (half-life ln 2 / k years)"),
    MCR_KEY_F("vol", mcr_basis_params, vol, MCR_REQ_CLOSED, 0, 10, 0, "per sqrt(year)",
              "volatility of the basis's own shocks, independent of the asset"),
    MCR_KEY_F("crash_beta", mcr_basis_params, crash_beta, MCR_RANGE_CLOSED, -10, 10, 0,
              "basis per unit of log return",
              "loading of the basis on the asset's log return (> 0: the perp falls below spot "
              "in a crash)"),
    MCR_KEY_END,
};

const mcr_key mcr_premium_funding_keys[] = {
    MCR_KEY_F("interval_hours", mcr_premium_funding, interval_hours,
              MCR_REQ_CLOSED | MCR_KEY_MIN_OPEN, 0, 720, 0, "hours between funding payments",
              "funding interval N; the premium term is b x N / 8"),
    MCR_KEY_F("interest", mcr_premium_funding, interest, MCR_REQ_CLOSED, -0.1, 0.1, 0,
              "rate per interval", "interest component (Binance: 0.0001 at 8 hours)"),
    MCR_KEY_F("cap", mcr_premium_funding, cap, MCR_REQ_CLOSED, 0, 1, 0, "rate per interval",
              "the rate is clamped to [-cap, cap]"),
    MCR_KEY_F("damper", mcr_premium_funding, damper, MCR_RANGE_CLOSED, 0, 1, 0,
              "rate per interval",
              "Binance's clamp of interest - premium (0.0005 at 8 hours); not used by the "
              "premium rule"),
    MCR_KEY_END,
};

mcr_status mcr_basis_params_check(const mcr_basis_params *p, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_basis_params_keys, p, where, err);
}

mcr_status mcr_premium_funding_check(const mcr_premium_funding *f, const char *where,
                                     mcr_error *err)
{
    return mcr_keys_check(mcr_premium_funding_keys, f, where, err);
}

/* (1 - e^{-x}) / x without cancellation, 1 at x = 0. */
static double one_minus_exp_over(double x) { return x > 0.0 ? -expm1(-x) / x : 1.0; }

mcr_basis_step mcr_basis_step_of(const mcr_basis_params *p, double dt)
{
    double kdt = p->reversion * dt;
    /* n^2 = s^2 (1 - e^{-2 k dt}) / (2k) = s^2 dt (1 - e^{-2 k dt}) / (2 k dt) */
    return (mcr_basis_step){
        .decay = exp(-kdt),
        .noise = p->vol * sqrt(dt * one_minus_exp_over(2.0 * kdt)),
        .loading = p->crash_beta * one_minus_exp_over(kdt),
    };
}

mcr_basis_moments mcr_basis_stationary(const mcr_basis_step *c, double m, double v)
{
    double a = c->decay;
    return (mcr_basis_moments){
        c->loading * m / (1.0 - a),
        (c->noise * c->noise + c->loading * c->loading * v) / (1.0 - a * a),
    };
}

mcr_basis_moments mcr_basis_stationary_continuous(const mcr_basis_params *p, double mu_x,
                                                  double sigma_x)
{
    double k = p->reversion, b = p->crash_beta, s = p->vol;
    return (mcr_basis_moments){b * mu_x / k, (s * s + b * b * sigma_x * sigma_x) / (2.0 * k)};
}
