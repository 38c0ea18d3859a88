/* Pegged assets: validation, per-step constants and the closed-form moments of the peg process
 * defined in peg.h. */
#include "peg.h"

#include <stddef.h>

#include "model_keys.h" /* MCR_REQ_CLOSED */

const mcr_key mcr_peg_params_keys[] = {
    MCR_KEY_F("jump_intensity", mcr_peg_params, jump_intensity, MCR_REQ_CLOSED, 0, 1000, 0,
              "jumps per year", "depeg jumps per year while the reference asset is at its high"),
    MCR_KEY_F("jump_size", mcr_peg_params, jump_size, MCR_REQ_CLOSED, 0, 0.99, 0,
              "fraction of the peg", "a jump multiplies the peg by (1 - jump_size)"),
    MCR_KEY_F("recovery_days", mcr_peg_params, recovery_days, MCR_REQ_CLOSED | MCR_KEY_MIN_OPEN, 0,
              1e5, 0, "calendar days", "half-life of the discount 1 - peg"),
    MCR_KEY_F("crash_loading", mcr_peg_params, crash_loading, MCR_RANGE_CLOSED, 0, 1000, 0,
              "per unit of log drawdown",
              "intensity x (1 + crash_loading x D), D the reference's log drawdown from its "
              "running maximum"),
    MCR_KEY_END,
};

mcr_status mcr_peg_params_check(const mcr_peg_params *p, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_peg_params_keys, p, where, err);
}

double mcr_peg_kappa(const mcr_peg_params *p) { return M_LN2 * 365.0 / p->recovery_days; }

mcr_peg_step mcr_peg_step_of(const mcr_peg_params *p, double dt)
{
    double kappa_dt = mcr_peg_kappa(p) * dt;
    return (mcr_peg_step){
        .lambda_dt = p->jump_intensity * dt,
        .crash_loading = p->crash_loading,
        .keep = 1.0 - p->jump_size,
        .kappa_dt = kappa_dt,
        .decay = exp(-kappa_dt),
    };
}

/* (1 - e^{-x}) / x, 1 at x = 0. */
static double one_minus_exp_over(double x) { return x > 0.0 ? -expm1(-x) / x : 1.0; }

mcr_peg_moments mcr_peg_step_moments(const mcr_peg_step *c, double peg, double drawdown)
{
    double lambda = mcr_peg_jump_mean(c, drawdown), q = c->keep, a = c->decay, g = 1.0 - peg;
    double eq = exp(-lambda * (1.0 - q));         /* E q^N, Poisson pgf at q */
    double eq2 = exp(-lambda * (1.0 - q * q));    /* E q^{2N} */
    double m1 = one_minus_exp_over(c->kappa_dt);  /* E e^{-kappa (dt - tau)} */
    double m2 = one_minus_exp_over(2.0 * c->kappa_dt);
    double mean = g * a * eq + (1.0 - eq) * m1;
    double second = g * g * a * a * eq2 + 2.0 * g * a * (eq - eq2) * m1
                    + (1.0 - 2.0 * eq + eq2) * m2;
    return (mcr_peg_moments){1.0 - mean, fmax(second - mean * mean, 0.0)};
}

double mcr_peg_scheme_mean(const mcr_peg_step *c, double peg0, int n)
{
    double x = c->lambda_dt * (1.0 - c->keep); /* lambda J dt */
    double a = c->decay * exp(-x);
    double b = -expm1(-x) * one_minus_exp_over(c->kappa_dt);
    double g_s = b / (1.0 - a);
    return 1.0 - (g_s + ((1.0 - peg0) - g_s) * pow(a, n));
}

double mcr_peg_mean(const mcr_peg_params *p, double peg0, double t)
{
    double kappa = mcr_peg_kappa(p), lj = p->jump_intensity * p->jump_size;
    double g_inf = lj / (kappa + lj);
    double fade = isinf(t) ? 0.0 : exp(-(kappa + lj) * t);
    return 1.0 - (g_inf + ((1.0 - peg0) - g_inf) * fade);
}
