/* Suite `peg`: the pegged-asset process of models/peg.h. Hand values of single updates (no jump,
 * one jump, two jumps, the crash loading moving the count), deterministic recovery with the
 * stated half-life, the one-step mean and variance by Monte Carlo within 4 se of the closed
 * form, a 60-step path mean against the scheme's closed form and the continuous one, the
 * scheme's long-run bias -(lambda J dt)(kappa dt)/12, the drawdown helper, extreme draws
 * without NaN, validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/peg.h"
#include "unit_mc.h"

static const double day = 1.0 / 365;

Test(peg, recovery_half_life)
{
    /* no jumps: the discount 0.1 halves in 30 days: peg 0.9 -> 0.95 after 30 daily steps,
     * 0.975 after 60, whatever the uniforms */
    mcr_peg_params p = {0, 0.1, 30, 0};
    mcr_peg_step c = mcr_peg_step_of(&p, day);
    um_close(mcr_peg_kappa(&p), M_LN2 * 365 / 30, 1e-12, "kappa");
    double peg = 0.9;
    for (int i = 0; i < 60; i++) {
        peg = mcr_peg_update(&c, peg, 0.0, 0.999, 0.3);
        if (i == 29)
            um_close(peg, 0.95, 1e-14, "30 days");
    }
    um_close(peg, 0.975, 1e-14, "60 days");
    /* at par it stays at par exactly */
    cr_expect(mcr_peg_update(&c, 1.0, 0.0, 0.999, 0.3) == 1.0);
}

Test(peg, single_updates_by_hand)
{
    /* lambda = 36.5 / yr, daily step: Lambda = 0.1; P(N = 0) = e^-0.1 = 0.904837,
     * P(N <= 1) = 1.1 e^-0.1 = 0.995321. J = 0.1, half-life 30 days: e^{-kappa dt} = 2^{-1/30},
     * e^{-kappa dt / 2} = 2^{-1/60}. From peg 0.98 (g = 0.02), u_time = 0.5: */
    mcr_peg_params p = {36.5, 0.1, 30, 2.0};
    mcr_peg_step c = mcr_peg_step_of(&p, day);
    double a = pow(2, -1.0 / 30), h = pow(2, -1.0 / 60);
    /* u = 0.5 < 0.904837: N = 0, g' = 0.02 a = 0.0195432 */
    um_close(mcr_peg_update(&c, 0.98, 0, 0.5, 0.5), 1 - 0.02 * a, 1e-15, "N = 0");
    /* u = 0.95: N = 1, g' = 0.02 a 0.9 + 0.1 h = 0.0175889 + 0.0988514 = 0.1164403 */
    um_close(mcr_peg_update(&c, 0.98, 0, 0.95, 0.5), 1 - (0.02 * a * 0.9 + 0.1 * h), 1e-15,
             "N = 1");
    um_close(mcr_peg_update(&c, 0.98, 0, 0.95, 0.5), 0.8835597, 1e-7, "N = 1, decimal");
    /* u = 0.999 > 0.995321: N = 2, q^2 = 0.81: g' = 0.02 a 0.81 + 0.19 h */
    um_close(mcr_peg_update(&c, 0.98, 0, 0.999, 0.5), 1 - (0.02 * a * 0.81 + 0.19 * h), 1e-15,
             "N = 2");
    /* a jump at the step's end (u_time -> 1) has not started to recover: g' ~ 0.02 a 0.9 + 0.1 */
    um_close(mcr_peg_update(&c, 0.98, 0, 0.95, 1 - 0x1p-33), 1 - (0.02 * a * 0.9 + 0.1), 1e-10,
             "jump at the end");
    /* crash loading c = 2 at drawdown D = 0.5: Lambda = 0.1 (1 + 1) = 0.2, P(N = 0) = e^-0.2
     * = 0.818731: u = 0.85 now means one jump, while without the drawdown it means none */
    um_close(mcr_peg_jump_mean(&c, 0.5), 0.2, 1e-15, "Lambda with loading");
    um_close(mcr_peg_update(&c, 0.98, 0.5, 0.85, 0.5), 1 - (0.02 * a * 0.9 + 0.1 * h), 1e-15,
             "loaded: N = 1");
    um_close(mcr_peg_update(&c, 0.98, 0.0, 0.85, 0.5), 1 - 0.02 * a, 1e-15, "unloaded: N = 0");
    /* a negative drawdown (never produced by mcr_peg_drawdown) does not lower the intensity */
    um_close(mcr_peg_jump_mean(&c, -1), 0.1, 1e-15, "D < 0 ignored");
}

Test(peg, drawdown_helper)
{
    /* ETH 2000 -> 2500 -> 2000 -> 1250: drawdowns 0, 0, ln(2500/2000), ln(2500/1250) = ln 2 */
    double m = log(2000.0);
    um_close(mcr_peg_drawdown(&m, log(2500.0)), 0, 0, "new high");
    um_close(mcr_peg_drawdown(&m, log(2000.0)), log(1.25), 1e-15, "-20%");
    um_close(mcr_peg_drawdown(&m, log(1250.0)), M_LN2, 1e-15, "-50%");
    um_close(m, log(2500.0), 0, "running max");
}

/* One step from peg 0.97 with Lambda = 0.6 (lambda dt = 0.3 loaded by c D = 1), J = 0.1,
 * kappa dt = 0.3: a busy step where N >= 2 happens 12% of the time. */
Test(peg, step_moments_mc)
{
    const double kappa_dt = 0.3;
    mcr_peg_params p = {0.3 / day, 0.1, M_LN2 / kappa_dt, 1.0}; /* recovery_days = ln2 / 0.3 */
    mcr_peg_step c = mcr_peg_step_of(&p, day);
    um_close(c.kappa_dt, kappa_dt, 1e-15, "kappa dt");
    mcr_peg_moments m = mcr_peg_step_moments(&c, 0.97, 1.0);
    const int n = 400000;
    mcr_pcg32 g = mcr_pcg32_for_path(7, 0);
    um_stats mean = {0}, sq = {0};
    double pegs_min = 1;
    for (int i = 0; i < n; i++) {
        double u1 = um_uniform(&g), u2 = um_uniform(&g);
        double peg = mcr_peg_update(&c, 0.97, 1.0, u1, u2);
        um_add(&mean, peg);
        um_add(&sq, (peg - m.mean) * (peg - m.mean));
        pegs_min = fmin(pegs_min, peg);
    }
    /* se bounds: sqrt(Var / n) from the closed form, and for the squared deviations about twice
     * Var / sqrt(n) (their sd is below 2 Var for this skewed two-point-like law) */
    um_within_4se(&mean, m.mean, 1.05 * sqrt(m.var / n), "E[peg']");
    um_within_4se(&sq, m.var, 2 * m.var / sqrt(n), "Var[peg']");
    cr_expect(pegs_min > 0.0);
    /* the moments differ from those without the loading by many se: the loading is seen */
    mcr_peg_moments m0 = mcr_peg_step_moments(&c, 0.97, 0.0);
    cr_expect(fabs(m0.mean - mean.mean) > 20 * um_se(&mean));
}

/* 60 daily steps from par, lambda = 10 / yr, J = 0.1, 30-day half-life, c = 0: the Monte Carlo
 * mean against the scheme's closed form, and the scheme against continuous time. */
Test(peg, path_mean_mc)
{
    mcr_peg_params p = {10, 0.1, 30, 0};
    mcr_peg_step c = mcr_peg_step_of(&p, day);
    const int n = 100000, steps = 60;
    mcr_pcg32 g = mcr_pcg32_for_path(11, 0);
    um_stats s = {0};
    for (int i = 0; i < n; i++) {
        double peg = 1.0;
        for (int k = 0; k < steps; k++) {
            double u1 = um_uniform(&g), u2 = um_uniform(&g);
            peg = mcr_peg_update(&c, peg, 0.0, u1, u2);
        }
        um_add(&s, peg);
    }
    double scheme = mcr_peg_scheme_mean(&c, 1.0, steps);
    double cont = mcr_peg_mean(&p, 1.0, steps * day);
    um_within_4se(&s, scheme, 2.5e-4, "E[peg_60]"); /* sd of peg_60 ~ 0.067 */
    /* continuous: 1 - g_inf (1 - e^{-(kappa + lambda J) t}), kappa = 8.433, lambda J = 1:
     * g_inf = 1 / 9.4335 = 0.106007; t = 60/365: e^{-9.4335 t} = e^{-1.55072} = 0.21212,
     * 1 - 0.106007 (1 - 0.21212) = 0.916479 */
    um_close(cont, 0.916479, 5e-6, "continuous mean, decimal");
    um_close(scheme, cont, 1e-6, "scheme vs continuous");
    /* the one-step scheme mean map agrees with the moments function */
    um_close(mcr_peg_step_moments(&c, 0.97, 0).mean, mcr_peg_scheme_mean(&c, 0.97, 1), 1e-15,
             "one step");
}

/* The long-run mean discount of the scheme against continuous time: relative error
 * -(lambda J dt)(kappa dt)/12 to leading order, at hourly, daily and weekly steps. */
Test(peg, scheme_long_run_bias)
{
    mcr_peg_params p = {10, 0.1, 30, 0};
    double g_cont = 1 - mcr_peg_mean(&p, 1.0, INFINITY);
    um_close(g_cont, 1.0 / (1 + M_LN2 * 365 / 30), 1e-15, "g_inf = lambda J / (kappa + lambda J)");
    const double dts[] = {day / 24, day, 7 * day};
    const double tol[] = {1e-4, 1e-4, 2e-3}; /* next order: relative O(dt) of the leading term */
    for (int i = 0; i < 3; i++) {
        mcr_peg_step c = mcr_peg_step_of(&p, dts[i]);
        double g_s = 1 - mcr_peg_scheme_mean(&c, 1.0, 1000000000);
        double x = c.lambda_dt * 0.1, y = c.kappa_dt;
        double ratio = ((g_s - g_cont) / g_cont) / (-x * y / 12);
        cr_expect(fabs(ratio - 1) < tol[i], "dt %g: bias ratio %.8f", dts[i], ratio);
    }
}

Test(peg, extremes_finite)
{
    mcr_peg_params p = {1000, 0.99, 0.01, 1000};
    mcr_peg_step c = mcr_peg_step_of(&p, 7 * day);
    const double us[] = {0x1p-33, 0.5, 1 - 0x1p-33};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (double d = 0; d < 100; d = d * 10 + 1) {
                double peg = mcr_peg_update(&c, 0.5, d, us[i], us[j]);
                cr_expect(isfinite(peg) && peg >= 0.0 && peg <= 1.0, "peg %g", peg);
            }
    /* the cap: with Lambda enormous every uniform gives N = MCR_PEG_MAX_JUMPS */
    um_close(mcr_peg_keep_power(0.5, 1e4, 0.5), pow(0.5, MCR_PEG_MAX_JUMPS), 0, "cap");
    /* J = 0: jumps change nothing */
    mcr_peg_params flat = {50, 0, 10, 0};
    mcr_peg_step cf = mcr_peg_step_of(&flat, day);
    cr_expect(mcr_peg_update(&cf, 1.0, 0, 0.999999, 0.5) == 1.0);
}

Test(peg, validation)
{
    mcr_error err = {0};
    mcr_peg_params p = {2, 0.05, 20, 3};
    cr_expect(mcr_peg_params_check(&p, "market.assets[1].peg", &err) == MCR_OK);
    p.jump_size = 1.0;
    cr_expect(mcr_peg_params_check(&p, "market.assets[1].peg", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "market.assets[1].peg.jump_size: must be a number in [0, 0.99], "
                              "fraction of the peg (got 1)") != NULL, "%s", err.msg);
    p.jump_size = 0.05;
    p.recovery_days = 0;
    cr_expect(mcr_peg_params_check(&p, "x", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "x.recovery_days: must be a number in (0, 100000], calendar days "
                              "(got 0)") != NULL, "%s", err.msg);
}
