/* The jump-diffusion kernels (merton, kou): Monte Carlo prices against the published cases priced
 * by mcr_model_price (Haug's Merton table, Surkov's Merton and Kou cases; REFERENCE_VALUES 3, 4),
 * the martingale E[S_T] = S0 e^{mu T}, the law of the jump count and of ln S_T, the Poisson
 * tables, and every ISA against the scalar reference (1e-12), chunking and lane invariance and
 * the fixed draw count. */
#include <stdio.h>
#include <string.h>

#include "model_mc.h"
#include "models/model_step.h"

#define YEAR_STEPS 365

/* W2 (docs/DESIGN.md): sigma 0.6, 10 jumps a year, log-jump mean -0.05, std 0.10, E[S_T] = S0. */
static const mcr_model w2 = {.type = MCR_MODEL_MERTON,
                             .merton = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10.0,
                                        .jump_mean = -0.05, .jump_std = 0.10}};
/* A crypto-like Kou asset: 10 jumps a year, 40% up with mean size 0.10, down with mean 0.125. */
static const mcr_model kou10 = {.type = MCR_MODEL_KOU,
                                .kou = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10.0,
                                        .p_up = 0.4, .eta_up = 10.0, .eta_down = 8.0}};

/* Price calls (or puts) at strikes k[0..n-1] from one simulation under mu = r - q and compare
 * with the pricer: |MC - price| <= 4 se and se <= se_max. */
static void check_prices(const mcr_model *m, mcr_euro o, const double *strikes, int n,
                         int steps, int paths, double se_max, const char *label)
{
    mcr_model rn = mcr_model_with_mu(m, o.rate - o.yield);
    mcr_model_step c = mcr_model_step_of(&rn, o.expiry / steps);
    double *x = mc_terminal(&c, steps, paths, 2024, o.spot);
    for (int i = 0; i < n; i++) {
        o.strike = strikes[i];
        mc_mean mc = mc_option(x, paths, &o);
        double exact = mcr_model_price(m, &o);
        cr_expect_leq(mc.se, se_max, "%s K=%g: se %g", label, o.strike, mc.se);
        cr_expect_leq(fabs(mc.mean - exact), 4.0 * mc.se, "%s K=%g: MC %.5f +- %.5f vs %.5f",
                      label, o.strike, mc.mean, mc.se, exact);
    }
    free(x);
}

/* Haug (1998) via QuantLib testMerton76 (REFERENCE_VALUES 3b): total vol 25%, gamma = 0.25 of the
 * variance from jumps with E[J] = 0, every (T, lambda) column and strike, calls. */
Test(jumps, merton_haug_table)
{
    static const double strikes[] = {80, 90, 100, 110, 120};
    static const double ts[] = {0.1, 0.25, 0.5}, lambdas[] = {1, 5, 10};
    const double v = 0.25, gamma = 0.25;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double delta = v * sqrt(gamma / lambdas[j]);
            mcr_model m = {.type = MCR_MODEL_MERTON,
                           .merton = {.sigma = v * sqrt(1 - gamma), .jump_intensity = lambdas[j],
                                      .jump_mean = -0.5 * delta * delta, .jump_std = delta}};
            mcr_euro o = {MCR_CALL, 100.0, 0.0, ts[i], 0.08, 0.0};
            char label[64];
            snprintf(label, sizeof label, "Haug T=%g lambda=%g", ts[i], lambdas[j]);
            check_prices(&m, o, strikes, 5, 5, 1 << 17, 0.06, label);
        }
}

/* Andersen-Andreasen / Surkov Tab 2.2 (put, T = 10, q = 0.02) and Surkov Tab C.1 (call). */
Test(jumps, merton_surkov)
{
    static const double k100[] = {100};
    mcr_model aa = {.type = MCR_MODEL_MERTON,
                    .merton = {.sigma = 0.15, .jump_intensity = 0.1, .jump_mean = -1.08,
                               .jump_std = 0.40}};
    check_prices(&aa, (mcr_euro){MCR_PUT, 100, 0, 10, 0.05, 0.02}, k100, 1, 10, 1 << 17, 0.07,
                 "A&A put");
    mcr_model c1 = {.type = MCR_MODEL_MERTON,
                    .merton = {.sigma = 0.15, .jump_intensity = 0.1, .jump_mean = -0.90,
                               .jump_std = 0.45}};
    check_prices(&c1, (mcr_euro){MCR_CALL, 100, 0, 0.25, 0.05, 0.0}, k100, 1, 4, 1 << 17, 0.03,
                 "Surkov C.1 call");
}

/* Surkov (2009) Tab 6.2 (K = 110, T = 1) and Tab C.2 KJD-A (S = K = 1, T = 0.2), calls. */
Test(jumps, kou_surkov)
{
    mcr_model m = {.type = MCR_MODEL_KOU,
                   .kou = {.sigma = 0.2, .jump_intensity = 0.2, .p_up = 0.5, .eta_up = 3.0,
                           .eta_down = 2.0}};
    static const double k110[] = {110}, k1[] = {1};
    check_prices(&m, (mcr_euro){MCR_CALL, 100, 0, 1.0, 0.0, 0.0}, k110, 1, 4, 1 << 17, 0.15,
                 "Surkov 6.2");
    check_prices(&m, (mcr_euro){MCR_CALL, 1, 0, 0.2, 0.0, 0.0}, k1, 1, 4, 1 << 17, 0.0005,
                 "Surkov C.2 KJD-A");
}

/* E[e^{-mu T} S_T] = S0 with daily steps for W2, a Kou asset and two with many or large jumps
 * (several jumps in a step), GBM for reference; mu = r = 0.05. */
Test(jumps, martingale)
{
    const mcr_model models[] = {
        {.type = MCR_MODEL_GBM, .gbm = {.sigma = 0.8}},
        w2,
        kou10,
        {.type = MCR_MODEL_MERTON,
         .merton = {.sigma = 0.3, .jump_intensity = 400, .jump_mean = 0.01, .jump_std = 0.03}},
        {.type = MCR_MODEL_KOU,
         .kou = {.sigma = 0.3, .jump_intensity = 300, .p_up = 0.3, .eta_up = 40, .eta_down = 30}},
    };
    const int paths = 1 << 16;
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        mcr_model m = mcr_model_with_mu(&models[i], 0.05);
        mcr_model_step c = mcr_model_step_of(&m, 1.0 / YEAR_STEPS);
        double *x = mc_terminal(&c, YEAR_STEPS, paths, 77, 100.0);
        mc_mean r = mc_martingale(x, paths, 100.0, 0.05, 1.0);
        cr_expect_leq(r.se, 0.005, "%s: se %g", mcr_model_name(m.type), r.se);
        cr_expect_leq(fabs(r.mean), 4.0 * r.se, "%s: E[S_T]/(S0 e^muT) - 1 = %g +- %g",
                      mcr_model_name(m.type), r.mean, r.se);
        free(x);
    }
}

/* With a negligible diffusion, log-jumps of exactly 1 and no size noise, ln S_T - ln S0 - drift
 * counts the jumps: over 2 steps of 1.5 expected jumps each the count must be Poisson(3), and
 * the step's Poisson table is exercised past its first threshold. */
Test(jumps, merton_jump_count_is_poisson)
{
    enum { paths = 1 << 17, kmax = 12 };
    mcr_model m = {.type = MCR_MODEL_MERTON,
                   .merton = {.sigma = 1e-9, .jump_intensity = 3.0, .jump_mean = 1.0}};
    mcr_model_step c = mcr_model_step_of(&m, 0.5);
    double *x = mc_terminal(&c, 2, paths, 5, 1.0);
    int count[kmax + 1] = {0};
    for (int i = 0; i < paths; i++) {
        double n = x[i] - 2 * c.drift;
        cr_assert_leq(fabs(n - nearbyint(n)), 1e-6, "path %d: %.9g jumps", i, n);
        count[(int)fmin(nearbyint(n), kmax)]++;
    }
    for (int k = 0; k < kmax; k++) {
        double p = exp(-3.0 + k * log(3.0) - lgamma(k + 1.0)), f = (double)count[k] / paths;
        double se = sqrt(p * (1 - p) / paths);
        cr_expect_leq(fabs(f - p), 4 * se + 1e-9, "P(N = %d): %g vs %g (se %g)", k, f, p, se);
    }
    free(x);
}

/* Mean and variance of ln(S_T/S0) against the closed forms (exact in law per step), with the
 * variance's standard error from the sample fourth moment. */
Test(jumps, log_moments)
{
    const mcr_model models[] = {w2, kou10};
    enum { paths = 1 << 17, steps = 12 };
    for (int i = 0; i < 2; i++) {
        mcr_model_step c = mcr_model_step_of(&models[i], 1.0 / steps);
        double *x = mc_terminal(&c, steps, paths, 9, 1.0);
        mc_mean mean = mc_mean_of(x, paths);
        double m2 = 0, m4 = 0;
        for (int p = 0; p < paths; p++) {
            double d = x[p] - mean.mean;
            m2 += d * d / paths;
            m4 += d * d * d * d / paths;
        }
        double se_var = sqrt((m4 - m2 * m2) / paths);
        double want_mean = models[i].type == MCR_MODEL_MERTON
                               ? mcr_merton_log_mean(&models[i].merton, 0.0, 1.0)
                               : mcr_kou_log_mean(&models[i].kou, 0.0, 1.0);
        double want_var = models[i].type == MCR_MODEL_MERTON
                              ? mcr_merton_log_variance(&models[i].merton, 1.0)
                              : mcr_kou_log_variance(&models[i].kou, 1.0);
        const char *name = mcr_model_name(models[i].type);
        cr_expect_leq(mean.se, 0.003);
        cr_expect_leq(se_var, 0.004);
        cr_expect_leq(fabs(mean.mean - want_mean), 4 * mean.se, "%s E ln: %g vs %g", name,
                      mean.mean, want_mean);
        cr_expect_leq(fabs(m2 - want_var), 4 * se_var, "%s Var ln: %g vs %g", name, m2,
                      want_var);
        free(x);
    }
}

/* The tables: cdf[i] = P(N <= i), n the smallest count with P(N > n) < tail; the kou cap and the
 * draw counts follow; too many jumps per step are rejected with the limit named. */
Test(jumps, poisson_tables)
{
    static const double means[] = {0.0, 1e-6, 10.0 / 365, 0.5, 3.0, 7.5};
    for (size_t j = 0; j < sizeof means / sizeof means[0]; j++) {
        double mu = means[j], cdf[MCR_POISSON_MAX];
        int n = mcr_poisson_table(mu, 0x1p-34, cdf, MCR_POISSON_MAX);
        cr_assert(n >= 1 && n <= MCR_POISSON_MAX, "mean %g: %d thresholds", mu, n);
        double f = 0.0;
        for (int i = 0; i <= n; i++) {
            f += mu > 0 ? exp(-mu + i * log(mu) - lgamma(i + 1.0)) : (i == 0);
            if (i < n)
                cr_expect_leq(fabs(cdf[i] - f), 1e-15, "mean %g: cdf[%d] %.17g vs %.17g", mu, i,
                              cdf[i], f);
            else
                cr_expect(1 - f < 0x1p-33, "mean %g: a uniform may pass the table", mu);
        }
    }
    mcr_model_step c = mcr_model_step_of(&kou10, 1.0 / YEAR_STEPS);
    cr_expect_eq(c.jump.cap, 7, "P(N > 6) = 2.3e-15 >= 1e-16 > P(N > 7) at 10/365 a step");
    cr_expect_eq(c.draws, 9);
    cr_expect_eq(mcr_model_step_of(&w2, 1.0 / YEAR_STEPS).draws, 3);

    mcr_error err;
    mcr_model busy = w2;
    busy.merton.jump_intensity = 1000.0;
    cr_expect_eq(mcr_model_step_check(&busy, 1.0 / YEAR_STEPS, "m", &err), MCR_OK);
    cr_expect_eq(mcr_model_step_check(&busy, 0.5, "m", &err), MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "m.jump_intensity") && strstr(err.msg, "500"), "%s", err.msg);
    cr_expect_eq(mcr_model_step_check(&w2, 0.0, "m", &err), MCR_ERR_INPUT);
}

ParameterizedTestParameters(jumps, isa_matches_reference) { return mc_all_isas(); }
ParameterizedTestParameters(jumps, chunks_and_lanes) { return mc_all_isas(); }

/* A year of daily steps of W2, the Kou asset and a busy Merton asset (0.55 jumps a step): the
 * whole trace within 1e-12 of the reference, and every generator exactly draws x steps outputs
 * further. */
ParameterizedTest(mcr_isa *isa, jumps, isa_matches_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    mcr_model busy = w2;
    busy.merton.jump_intensity = 200.0;
    const mcr_model models[] = {w2, kou10, busy};
    double *trace = malloc(sizeof(double) * YEAR_STEPS * MCR_BLOCK_PATHS);
    double *want = malloc(sizeof(double) * YEAR_STEPS * MCR_BLOCK_PATHS);
    cr_assert(trace && want);
    for (int i = 0; i < 3; i++) {
        mcr_model_step c = mcr_model_step_of(&models[i], 1.0 / YEAR_STEPS);
        mcr_block b, r, start;
        mcr_block_init_asset(&b, &c, 42, 0, 640, log(100.0));
        start = r = b;
        k->model(&b, &c, YEAR_STEPS, trace);
        mcr_model_paths_ref(&r, &c, YEAR_STEPS, want);
        double d = mc_max_rel(trace, want, YEAR_STEPS * MCR_BLOCK_PATHS);
        cr_expect_leq(d, 1e-12, "%s %s: max relative difference %g", k->name,
                      mcr_model_name(c.type), d);
        cr_expect(mc_draws_exact(&start, &b, (int64_t)c.draws * YEAR_STEPS), "%s %s", k->name,
                  mcr_model_name(c.type));
        cr_expect_eq(memcmp(b.rng_state, r.rng_state, sizeof b.rng_state), 0);
        cr_expect_eq(memcmp(&trace[(YEAR_STEPS - 1) * MCR_BLOCK_PATHS], b.log_price,
                            sizeof b.log_price), 0, "the last trace row is the final state");
    }
    free(trace);
    free(want);
}

/* Bitwise: a horizon split into uneven calls equals one call, and a path's result does not depend
 * on its block or lane. */
ParameterizedTest(mcr_isa *isa, jumps, chunks_and_lanes)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    const mcr_model models[] = {w2, kou10};
    for (int m = 0; m < 2; m++)
        mc_check_chunks_and_lanes(k, &models[m]);
}
