/* Risk estimators: exact values on hand-computable samples, and standard errors that match the
 * spread of the estimators over independent samples. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "models/normal.h"
#include "kernels/pcg32.h"
#include "risk/risk.h"

Test(risk, ladder_exact)
{
    /* pnl = 1..1000 in shuffled order: at 99%, n p = 10, VaR = -x_(10) = -10 and
     * CVaR = -(1 + ... + 10)/10 = -5.5; at 95%, np = 50: VaR = -50, CVaR = -25.5. */
    enum { n = 1000 };
    static double pnl[n], scratch[n];
    for (int i = 0; i < n; i++)
        pnl[(i * 617) % n] = i + 1; /* 617 is coprime with 1000: a permutation */
    double levels[] = {0.95, 0.99};
    mcr_summary s;
    mcr_risk_summarize(pnl, n, levels, 2, scratch, &s);
    cr_assert_float_eq(s.mean, 500.5, 1e-12);
    cr_assert_float_eq(s.std, sqrt((double)n * (n + 1) / 12.0), 1e-9);
    cr_assert_eq(s.risk[0].var, -50.0);
    cr_assert_float_eq(s.risk[0].cvar, -25.5, 1e-12);
    cr_assert_eq(s.risk[1].var, -10.0);
    cr_assert_float_eq(s.risk[1].cvar, -5.5, 1e-12);
    /* rank sd at 99%: sqrt(10 * 0.99) -> d = 4, se = (x_14 - x_6) / 2 = 4 */
    cr_assert_float_eq(s.risk[1].var_se, 4.0, 1e-12);
}

Test(risk, fractional_tail_weight)
{
    /* n = 250 at 99%: np = 2.5, CVaR = -(x1 + x2 + 0.5 x3) / 2.5 with x = -100, -50, -10. */
    enum { n = 250 };
    static double pnl[n], scratch[n];
    for (int i = 0; i < n; i++)
        pnl[i] = (double)i;
    pnl[7] = -100;
    pnl[100] = -50;
    pnl[200] = -10;
    double level = 0.99;
    mcr_summary s;
    mcr_risk_summarize(pnl, n, &level, 1, scratch, &s);
    cr_assert_eq(s.risk[0].var, 10.0); /* k = ceil(2.5) = 3 */
    cr_assert_float_eq(s.risk[0].cvar, (100 + 50 + 5) / 2.5, 1e-12);
}

/* Standard normal draws from the scalar reference generator and the exact quantile function. */
static void normals(mcr_pcg32 *g, double *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = mcr_norm_quantile(((double)mcr_pcg32_next(g) + 0.5) * 0x1p-32);
}

Test(risk, standard_errors_match_spread)
{
    /* 400 independent samples of 20000 normals: the reported se of VaR99, CVaR99 and the mean
     * must match the observed spread of the estimates (within 15%: the spread itself is measured
     * to ~3.5% with 400 samples), and the estimates must centre on the exact values. */
    enum { reps = 400, n = 20000 };
    static double x[n], scratch[n];
    double level = 0.99, z = mcr_norm_quantile(0.01);
    double exact_var = -z, exact_cvar = mcr_norm_pdf(z) / 0.01;
    double sum[3] = {0}, sum2[3] = {0}, se_sum[3] = {0};
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, 2024, 7);
    for (int r = 0; r < reps; r++) {
        normals(&g, x, n);
        mcr_summary s;
        mcr_risk_summarize(x, n, &level, 1, scratch, &s);
        double est[3] = {s.risk[0].var, s.risk[0].cvar, s.mean};
        double se[3] = {s.risk[0].var_se, s.risk[0].cvar_se, s.mean_se};
        for (int k = 0; k < 3; k++) {
            sum[k] += est[k];
            sum2[k] += est[k] * est[k];
            se_sum[k] += se[k];
        }
    }
    double exact[3] = {exact_var, exact_cvar, 0.0};
    for (int k = 0; k < 3; k++) {
        double mean = sum[k] / reps, spread = sqrt(sum2[k] / reps - mean * mean);
        double se = se_sum[k] / reps;
        cr_expect(fabs(se / spread - 1.0) < 0.15, "figure %d: se %g vs spread %g", k, se, spread);
        cr_expect(fabs(mean - exact[k]) <= 4.0 * spread / sqrt(reps) + 0.01 * spread,
                  "figure %d: mean estimate %g vs exact %g", k, mean, exact[k]);
    }
}
