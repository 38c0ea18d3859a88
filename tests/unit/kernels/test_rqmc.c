/* Randomised QMC against plain Monte Carlo on the case: a European call under GBM (S0 100,
 * K 100, sigma 0.8, r 0, T 1) simulated over 365 daily steps, every path built by the Brownian
 * bridge, from scrambled Sobol normals (2^16 points x 16 randomisations) or from PCG32 normals. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/black_scholes.h"
#include "models/brownian_bridge.h"
#include "models/normal.h"
#include "kernels/pcg32.h"
#include "kernels/sobol.h"

enum { steps = 365, points = 1 << 16, randomisations = 16, mc_paths = 1 << 15 };
static const double s0 = 100, strike = 100, sigma = 0.8, horizon = 1.0;

/* The call's payoff on the path whose Brownian increments come from z by the bridge: the log price
 * is stepped through all 365 increments, as a path-dependent strategy would see them. */
static double call_payoff(const mcr_bridge *b, const double *z, double *dw)
{
    mcr_bridge_increments(b, z, dw);
    double dt = horizon / steps, x = log(s0), drift = -0.5 * sigma * sigma * dt;
    for (int k = 0; k < steps; k++)
        x += drift + sigma * dw[k];
    double s = exp(x);
    return s > strike ? s - strike : 0.0;
}

/* 3.8e8 inverse normal CDFs: about 8 CPU-seconds optimised, the suite's longest test.
 * Suite name RQMC, upper case on purpose: Criterion starts suites in strcmp order, so it starts
 * first and runs beside the rest of the suite instead of alone at its end.
 * In unoptimised builds (the Debug sanitizer build of .ci/run) it would take minutes, so it is
 * skipped there; the Sobol and bridge code still runs there in the sobol and brownian_bridge
 * suites. Criterion lists skips only with --verbose, so the skip is also said on stderr. */
#define MCR_RQMC_SKIP                                                                             \
    "skipped: unoptimised build (no __OPTIMIZE__), where 2^20 paths x 365 steps take minutes; "   \
    "the Sobol and bridge code is tested here by sobol/* and brownian_bridge/*; run it in a "     \
    "Release build"
Test(RQMC, sobol_bridge_beats_plain_mc_on_a_call, .timeout = 120)
{
#ifndef __OPTIMIZE__
    fprintf(stderr, "[SKIP] RQMC::sobol_bridge_beats_plain_mc_on_a_call: %s\n", MCR_RQMC_SKIP);
    cr_skip_test(MCR_RQMC_SKIP);
#endif
    mcr_bridge b;
    cr_assert_eq(mcr_bridge_init(&b, steps, horizon / steps, NULL), MCR_OK);
    mcr_euro call = {MCR_CALL, s0, strike, horizon, 0.0, 0.0};
    double exact = mcr_bs_price(&call, sigma);

    /* RQMC: one estimate per randomisation; their spread is the error of the average (Owen 1997;
     * L'Ecuyer & Lemieux 2002): se = sd over the 16 / sqrt(16). */
    double est[randomisations];
#pragma omp parallel for schedule(static, 1)
    for (int r = 0; r < randomisations; r++) {
        mcr_sobol s;
        mcr_sobol_init(&s, steps, 1, 20240601, (uint64_t)r, NULL);
        uint32_t x[steps];
        double z[steps], dw[steps], sum = 0.0;
        mcr_sobol_point(&s, 0, x);
        for (uint64_t n = 0; n < points; n++) {
            if (n > 0)
                mcr_sobol_next(&s, n - 1, x);
            mcr_sobol_normals(x, steps, z);
            sum += call_payoff(&b, z, dw);
        }
        est[r] = sum / points;
        mcr_sobol_free(&s);
    }
    double mean = 0.0, ss = 0.0;
    for (int r = 0; r < randomisations; r++)
        mean += est[r] / randomisations;
    for (int r = 0; r < randomisations; r++)
        ss += (est[r] - mean) * (est[r] - mean);
    double rqmc_se = sqrt(ss / (randomisations - 1) / randomisations);

    /* Plain MC, same bridge, PCG32 normals (one stream per path). Its se at the RQMC's total of
     * 2^20 paths is sd / sqrt(2^20) for iid paths; sd is measured on 2^15 paths (to ~4% for this
     * payoff, whose kurtosis is about 20), which keeps the test fast. */
    double sum = 0.0, sum2 = 0.0;
#pragma omp parallel for reduction(+ : sum, sum2) schedule(static)
    for (int p = 0; p < mc_paths; p++) {
        mcr_pcg32 g = mcr_pcg32_for_path(777, (uint64_t)p);
        double z[steps], dw[steps];
        for (int k = 0; k < steps; k++)
            z[k] = mcr_norm_quantile(((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
        double y = call_payoff(&b, z, dw);
        sum += y;
        sum2 += y * y;
    }
    double mc_mean = sum / mc_paths;
    double mc_sd = sqrt((sum2 - sum * sum / mc_paths) / (mc_paths - 1));
    double mc_se_total = mc_sd / sqrt((double)points * randomisations);

    cr_log_info("call %.6f: RQMC %.6f se %.2e, plain MC (2^15) %.4f, its se at 2^20 paths %.2e, "
                "ratio %.1f",
                exact, mean, rqmc_se, mc_mean, mc_se_total, mc_se_total / rqmc_se);
    cr_assert_leq(fabs(mc_mean - exact), 4 * mc_sd / sqrt((double)mc_paths), "plain MC %g",
                  mc_mean);
    cr_assert_leq(fabs(mean - exact), 4 * rqmc_se, "RQMC %.6f vs %.6f, se %.2e", mean, exact,
                  rqmc_se);
    cr_assert_geq(mc_se_total / rqmc_se, 5.0, "RQMC se %.3e, plain MC se %.3e", rqmc_se,
                  mc_se_total);
    mcr_bridge_free(&b);
}
