/* Calibration recovers the parameters of paths the engine itself simulates: one GBM and one
 * Merton price path of 5,000 daily steps from mcr_sample_paths (the run's own kernels, streams
 * and step constants), fitted by maximum likelihood: every estimate within 3 of its standard
 * errors, and the standard errors bounded so the check has power. (GARCH has no parametric
 * path model in the engine; its recovery is tests/unit/models/test_fit_garch.c, on returns from
 * mcrisk's PCG32 and AS241.) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "config_expect.h"
#include "models/fit_gbm.h"
#include "models/fit_merton.h"
#include "sim/sim.h"

#define DAYS 5000

/* The daily log returns of the engine's first path of `model` over DAYS daily steps. */
static double *engine_returns(const char *model, uint64_t seed)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml, "run: {paths: 64, seed: %llu}\nhorizon: {days: %d, steps: %d}\n"
             "market:\n  assets:\n    - {name: X, spot: 100, model: %s}\n",
             (unsigned long long)seed, DAYS, DAYS, model);
    mcr_config cfg;
    load_ok(yaml, &cfg);
    double *s = malloc((DAYS + 1) * sizeof *s), *r = malloc(DAYS * sizeof *r);
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 1};
    mcr_error err = {0};
    cr_assert_eq(mcr_sample_paths(&cfg, 0, &opt, 1, s, &err), MCR_OK, "%s", err.msg);
    for (int t = 0; t < DAYS; t++)
        r[t] = log(s[t + 1] / s[t]);
    free(s);
    mcr_config_free(&cfg);
    return r;
}

static void within_3se(const mcr_fit_result *f, const double *truth, const double *se_max)
{
    for (int i = 0; i < f->n_par; i++) {
        cr_assert(fabs(f->x[i] - truth[i]) <= 3.0 * f->se[i], "%s: %.5g, true %.5g, se %.3g",
                  f->names[i], f->x[i], truth[i], f->se[i]);
        cr_assert(f->se[i] < se_max[i], "%s: se %.3g over %.3g", f->names[i], f->se[i],
                  se_max[i]);
    }
}

Test(calibrate_engine, gbm_from_engine_paths)
{
    double *r = engine_returns("{type: gbm, mu: 0.4, sigma: 0.7}", 11);
    mcr_fit_result f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_gbm(r, DAYS, 1.0 / 365, &f, &err), MCR_OK, "%s", err.msg);
    /* se(sigma) = sigma / sqrt(2n) ~ 0.0070, se(mu) = sigma / sqrt(n dt) ~ 0.189 */
    within_3se(&f, (const double[]){0.4, 0.7}, (const double[]){0.21, 0.008});
    free(r);
}

Test(calibrate_engine, merton_from_engine_paths)
{
    double *r = engine_returns("{type: merton, mu: 0.3, sigma: 0.5, jump_intensity: 20, "
                               "jump_mean: -0.04, jump_std: 0.08}", 21);
    mcr_fit_result f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_merton(r, DAYS, 1.0 / 365, &f, &err), MCR_OK, "%s", err.msg);
    within_3se(&f, (const double[]){0.3, 0.5, 20, -0.04, 0.08},
               (const double[]){0.3, 0.025, 10, 0.02, 0.024});
    free(r);
}
