/* Suite `basis`: the perpetual's OU basis of models/basis.h. Step constants and one update by
 * hand, a crash step (the 2020-03-12 picture), the one-step and the stationary moments by Monte
 * Carlo within 4 se, the scheme's stationary variance against continuous time (exact for the own
 * noise, tanh(k dt/2)/(k dt/2) for the loading), the mark and its floor, the premium funding rate
 * (issue rule and Binance rule) with its clamps and interval scaling, validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/basis.h"
#include "unit_mc.h"

static const double day = 1.0 / 365;
/* k = 36.5 / yr: k dt = 0.1 at daily steps (half-life ln 2 / 0.1 = 6.9 days) */
static const mcr_basis_params base = {36.5, 0.5, 0.2};

Test(basis, step_constants_and_update)
{
    mcr_basis_step c = mcr_basis_step_of(&base, day);
    /* a = e^-0.1 = 0.904837; n = 0.5 sqrt((1 - e^-0.2) / 73) = 0.5 sqrt(0.00248314) = 0.0249156;
     * loading = 0.2 (1 - e^-0.1) / 0.1 = 0.2 x 0.951626 = 0.190325 */
    um_close(c.decay, exp(-0.1), 1e-16, "decay");
    um_close(c.noise, 0.5 * sqrt((1 - exp(-0.2)) / 73), 1e-16, "noise");
    um_close(c.noise, 0.0249156, 1e-7, "noise, decimal");
    um_close(c.loading, 0.2 * (1 - exp(-0.1)) / 0.1, 1e-15, "loading");
    /* b = 0.01, z = 1, r = -0.3: 0.00904837 + 0.02491559 - 0.05709755 = -0.02313359 */
    um_close(mcr_basis_update(&c, 0.01, 1, -0.3),
             exp(-0.1) * 0.01 + 0.5 * sqrt((1 - exp(-0.2)) / 73) - 0.3 * 2 * (1 - exp(-0.1)),
             1e-16, "update");
    um_close(mcr_basis_update(&c, 0.01, 1, -0.3), -0.0231336, 1e-7, "update, decimal");
    /* a crash day like 2020-03-12: log return -0.48 from b = 0, z = 0:
     * b = -0.48 x 0.190325 = -0.091356; at S = 5,000 the perp marks 5,000 x 0.908644 = 4,543.22,
     * 457 USD below spot */
    double b = mcr_basis_update(&c, 0, 0, -0.48);
    um_close(b, -0.48 * 0.2 * (1 - exp(-0.1)) / 0.1, 1e-16, "crash basis");
    um_close(mcr_basis_mark(5000, b), 4543.22, 0.01, "crash mark");
}

Test(basis, mark_floor_and_limits)
{
    um_close(mcr_basis_mark(40000, 0.001), 40040, 1e-9, "premium");
    cr_expect(mcr_basis_mark(40000, -3.0) == 40000 * MCR_BASIS_MIN_FACTOR);
    /* a very slow reversion is a random walk: a -> 1, loading -> beta, n -> s sqrt(dt) */
    mcr_basis_params slow = {1e-12, 0.5, 0.2};
    mcr_basis_step c = mcr_basis_step_of(&slow, day);
    um_close(c.decay, 1, 1e-13, "a");
    um_close(c.loading, 0.2, 1e-13, "loading");
    um_close(c.noise, 0.5 * sqrt(day), 1e-13, "noise");
    /* a very fast one forgets b within the step; no NaN */
    mcr_basis_params fast = {1e5, 0.5, 0.2};
    c = mcr_basis_step_of(&fast, 7 * day);
    cr_expect(isfinite(c.decay) && isfinite(c.noise) && isfinite(c.loading));
    cr_expect(c.decay < 1e-300);
}

/* One step from b = 0.02 with a fixed return r = -0.1: mean a b + beta w r, variance n^2. */
Test(basis, one_step_moments_mc)
{
    mcr_basis_step c = mcr_basis_step_of(&base, day);
    const int n = 200000;
    double mean = c.decay * 0.02 + c.loading * -0.1, var = c.noise * c.noise;
    mcr_pcg32 g = mcr_pcg32_for_path(5, 0);
    um_stats s = {0}, sq = {0};
    for (int i = 0; i < n; i++) {
        double b = mcr_basis_update(&c, 0.02, um_normal(&g), -0.1);
        um_add(&s, b);
        um_add(&sq, (b - mean) * (b - mean));
    }
    um_within_4se(&s, mean, 1.05 * sqrt(var / n), "E[b']");
    um_within_4se(&sq, var, 1.6 * var / sqrt(n), "Var[b']"); /* sd of (Z^2 - 1) var: sqrt 2 var */
}

/* Stationarity: 20,000 independent chains of 150 daily steps (a^150 = e^-15) with normal step
 * returns of mean m = -0.005 and variance v = 0.64 / 365, beta = 0.5 so the mean
 * beta m / (k dt) = -0.025 is resolved. Var = 0.25/73 + 0.25 w^2 v / (1 - a^2) = 0.005614. */
Test(basis, stationary_moments_mc)
{
    mcr_basis_params p = {36.5, 0.5, 0.5};
    mcr_basis_step c = mcr_basis_step_of(&p, day);
    const double m = -0.005, v = 0.64 * day;
    mcr_basis_moments st = mcr_basis_stationary(&c, m, v);
    um_close(st.mean, 0.5 * m / 0.1, 1e-15, "mean = beta m / (k dt)");
    um_close(st.var, 0.25 / 73 + c.loading * c.loading * v / (1 - exp(-0.2)), 1e-15, "var");
    const int chains = 20000, steps = 150;
    mcr_pcg32 g = mcr_pcg32_for_path(8, 0);
    um_stats s = {0}, sq = {0};
    for (int i = 0; i < chains; i++) {
        double b = 0;
        for (int k = 0; k < steps; k++) {
            double r = m + sqrt(v) * um_normal(&g);
            b = mcr_basis_update(&c, b, um_normal(&g), r);
        }
        um_add(&s, b);
        um_add(&sq, (b - st.mean) * (b - st.mean));
    }
    um_within_4se(&s, st.mean, 1.05 * sqrt(st.var / chains), "stationary mean");
    um_within_4se(&sq, st.var, 1.6 * st.var / sqrt(chains), "stationary variance");
    cr_expect(fabs(s.mean) > 20 * um_se(&s), "the loading's mean is resolved");
}

/* The scheme against continuous time for Brownian X: the own-noise part is exact, the loading
 * part is smaller by tanh(k dt / 2) / (k dt / 2) = 1 - (k dt)^2 / 12 + ..., and the mean is
 * exact. */
Test(basis, scheme_vs_continuous)
{
    const double sigma = 0.8, mu_x = -0.22;
    const double dts[] = {day / 24, day, 7 * day};
    for (int i = 0; i < 3; i++) {
        double dt = dts[i], kdt = base.reversion * dt;
        mcr_basis_params own = {base.reversion, base.vol, 0};
        mcr_basis_step c0 = mcr_basis_step_of(&own, dt);
        um_close(mcr_basis_stationary(&c0, 0, 0).var,
                 mcr_basis_stationary_continuous(&own, 0, 0).var, 1e-15, "own noise exact");
        mcr_basis_params load = {base.reversion, 0, base.crash_beta};
        mcr_basis_step c1 = mcr_basis_step_of(&load, dt);
        mcr_basis_moments sch = mcr_basis_stationary(&c1, mu_x * dt, sigma * sigma * dt);
        mcr_basis_moments con = mcr_basis_stationary_continuous(&load, mu_x, sigma);
        um_close(sch.var / con.var, tanh(kdt / 2) / (kdt / 2), 1e-12, "loading factor");
        um_close(sch.mean, con.mean, 1e-15, "mean exact");
    }
    /* at daily steps the factor is 1 - 0.01/12 = 0.99917 */
    mcr_basis_params load = {base.reversion, 0, base.crash_beta};
    mcr_basis_step c = mcr_basis_step_of(&load, day);
    double ratio = mcr_basis_stationary(&c, 0, sigma * sigma * day).var /
                   mcr_basis_stationary_continuous(&load, 0, sigma).var;
    um_close(ratio, 1 - 0.01 / 12, 1e-5, "daily factor");
}

Test(basis, premium_funding)
{
    /* 8 h: clamp(b + 0.0001, +-0.0075) */
    mcr_premium_funding f = {8, 0.0001, 0.0075, 0.0005};
    um_close(mcr_funding_premium_rate(&f, 0.001), 0.0011, 1e-18, "premium 0.1%");
    um_close(mcr_funding_premium_rate(&f, 0.02), 0.0075, 0, "capped above");
    um_close(mcr_funding_premium_rate(&f, -0.05), -0.0075, 0, "capped below");
    /* 4 h: b x 4/8 + interest: 0.001 / 2 + 0.0001 = 0.0006 (so twice a day as often, half each) */
    mcr_premium_funding f4 = {4, 0.0001, 0.0075, 0.0005};
    um_close(mcr_funding_premium_rate(&f4, 0.001), 0.0006, 1e-18, "4 h interval");
    /* Binance: P = 0.0003 -> I - P = -0.0002 within +-0.0005 -> F = I = 0.0001;
     * P = 0.001 -> clamp(-0.0009) = -0.0005 -> F = 0.0005; P = -0.002 -> 0.0021 -> 0.0005 ->
     * F = -0.0015; P = 0.03 -> 0.0295 -> capped 0.0075 */
    um_close(mcr_funding_binance_rate(&f, 0.0003), 0.0001, 1e-18, "Binance: interest");
    um_close(mcr_funding_binance_rate(&f, 0.001), 0.0005, 1e-18, "Binance: damped");
    um_close(mcr_funding_binance_rate(&f, -0.002), -0.0015, 1e-18, "Binance: negative");
    um_close(mcr_funding_binance_rate(&f, 0.03), 0.0075, 0, "Binance: capped");
}

Test(basis, validation)
{
    mcr_error err = {0};
    cr_expect(mcr_basis_params_check(&base, "perp.basis", &err) == MCR_OK);
    mcr_basis_params bad = base;
    bad.reversion = 0;
    cr_expect(mcr_basis_params_check(&bad, "perp.basis", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "perp.basis.reversion: must be a number in (0, 100000], per year "
                              "(got 0)") != NULL, "%s", err.msg);
    bad = base;
    bad.crash_beta = 11;
    cr_expect(mcr_basis_params_check(&bad, "perp.basis", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "perp.basis.crash_beta: must be a number in [-10, 10], basis "
                              "per unit of log return (got 11)") != NULL, "%s", err.msg);
    mcr_premium_funding f = {0, 0.0001, 0.0075, 0.0005};
    cr_expect(mcr_premium_funding_check(&f, "funding", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "funding.interval_hours: must be a number in (0, 720], hours "
                              "between funding payments (got 0)") != NULL, "%s", err.msg);
}
