/* Perpetual basis: validation, per-step constants and the stationary moments of the
 * Ornstein-Uhlenbeck basis defined in basis.h. */
#include "basis.h"

#include "param_check.h"

mcr_status mcr_basis_params_check(const mcr_basis_params *p, const char *where, mcr_error *err)
{
    const mcr_param ps[] = {
        {"reversion", p->reversion, 0.0, 1e5, true},
        {"vol", p->vol, 0.0, 10.0, false},
        {"crash_beta", p->crash_beta, -10.0, 10.0, false},
    };
    return mcr_params_check(ps, sizeof ps / sizeof ps[0], where, err);
}

mcr_status mcr_premium_funding_check(const mcr_premium_funding *f, const char *where,
                                     mcr_error *err)
{
    const mcr_param ps[] = {
        {"interval_hours", f->interval_hours, 0.0, 720.0, true},
        {"interest", f->interest, -0.1, 0.1, false},
        {"cap", f->cap, 0.0, 1.0, false},
        {"damper", f->damper, 0.0, 1.0, false},
    };
    return mcr_params_check(ps, sizeof ps / sizeof ps[0], where, err);
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
