/* GARCH(1,1) and GJR quasi-maximum likelihood: parameters recovered from 5,000 simulated days
 * (each within 3 standard errors, standard errors bounded), and the outputs filtered historical
 * simulation uses (variance path, last and next variance, standardised residuals) checked
 * against the recursion written out here. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "models/fit_garch.h"
#include "sim_returns.h"

#define N_DAYS 5000

static void check_fit(mcr_garch_kind kind, const double *truth, const double *se_max,
                      uint64_t seed)
{
    static double r[N_DAYS];
    sim_garch(truth[0], truth[1], truth[2], truth[3], kind == MCR_GJR ? truth[4] : 0.0, N_DAYS,
              500, seed, r);
    mcr_garch_fit f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_garch(r, N_DAYS, kind, &f, &err), MCR_OK, "%s", err.msg);
    int k = f.fit.n_par;
    cr_assert_eq(k, kind == MCR_GJR ? 5 : 4);
    for (int i = 0; i < k; i++)
        cr_log_info("%s %.5g se %.3g (true %.5g)", f.fit.names[i], f.fit.x[i], f.fit.se[i],
                    truth[i]);
    cr_assert(f.fit.has_se);
    for (int i = 0; i < k; i++) {
        cr_assert(fabs(f.fit.x[i] - truth[i]) <= 3.0 * f.fit.se[i], "%s: %.5g, true %.5g, se %.3g",
                  f.fit.names[i], f.fit.x[i], truth[i], f.fit.se[i]);
        cr_assert(f.fit.se[i] < se_max[i], "%s: se %.3g over %.3g", f.fit.names[i], f.fit.se[i],
                  se_max[i]);
    }
    mcr_garch g = {truth[0], truth[1], truth[2], truth[3], kind == MCR_GJR ? truth[4] : 0.0};
    cr_assert(f.fit.loglik >= -mcr_garch_nll(&g, r, N_DAYS, f.h1));
    /* the outputs against the recursion, written out */
    const mcr_garch *m = &f.model;
    double h = f.h1, s2 = 0;
    for (int t = 0; t < N_DAYS; t++) {
        if (t > 0) {
            double e = r[t - 1] - m->mu;
            h = m->omega + (m->alpha + (e < 0 ? m->gamma : 0)) * e * e + m->beta * h;
        }
        cr_assert(fabs(f.variance[t] / h - 1) < 1e-13, "t %d", t);
        cr_assert(fabs(m->mu + sqrt(h) * f.residual[t] - r[t]) < 1e-15, "t %d", t);
        s2 += f.residual[t] * f.residual[t];
    }
    double e = r[N_DAYS - 1] - m->mu;
    cr_assert_eq(f.last_variance, f.variance[N_DAYS - 1]);
    cr_assert(fabs(f.next_variance - (m->omega + (m->alpha + (e < 0 ? m->gamma : 0)) * e * e +
                                      m->beta * h)) < 1e-18);
    /* at the QMLE the standardised residuals have variance close to 1 */
    cr_assert(fabs(s2 / N_DAYS - 1) < 0.05, "%g", s2 / N_DAYS);
    cr_assert(f.persistence < 1);
    cr_assert_float_eq(f.long_run_vol, sqrt(365 * m->omega / (1 - f.persistence)), 1e-14);
    mcr_garch_fit_free(&f);
}

Test(fit_garch, recovers_garch11)
{
    /* a BTC-like day: 3% long-run vol (57% a year), persistence 0.97 */
    const double truth[4] = {5e-4, 2.7e-5, 0.1, 0.87};
    /* omega is the least precise at persistence near 1 (its se is about 40% of it here) */
    const double se_max[4] = {6e-4, 2e-5, 0.025, 0.04};
    check_fit(MCR_GARCH, truth, se_max, 41);
}

Test(fit_garch, recovers_gjr)
{
    const double truth[5] = {3e-4, 2e-5, 0.04, 0.88, 0.1};
    const double se_max[5] = {6e-4, 1e-5, 0.025, 0.03, 0.04};
    check_fit(MCR_GJR, truth, se_max, 42);
}
