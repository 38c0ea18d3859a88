/* Backtest statistics against hand computations, their edge cases, the Basel zones and the
 * Acerbi-Szekely Z2 (a hand vector, and its simulated null distribution with power against an
 * understated tail). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "risk/backtest_stats.h"
#include "models/normal.h"

/* Kupiec, n = 250, x = 5, p = 0.01 (phat = 0.02):
 *   -2 [245 ln 0.99 + 5 ln 0.01] = -2 [-2.462334 - 23.025851] = 50.976370
 *   +2 [245 ln 0.98 + 5 ln 0.02] = +2 [-4.949665 - 19.560115] = -49.019560
 *   LR = 1.956810; p = P(chi2_1 > LR) = erfc(sqrt(LR / 2)) = 0.161855. */
Test(backtest_stats, kupiec_by_hand)
{
    double lr = mcr_kupiec_lr(250, 5, 0.01);
    cr_assert(fabs(lr - 1.956809788230622) < 1e-12, "%.15g", lr);
    cr_assert(fabs(mcr_chi2_pvalue(lr, 1) - erfc(sqrt(lr / 2))) < 1e-14);
    cr_assert(fabs(mcr_chi2_pvalue(lr, 1) - 0.1618549171960387) < 1e-12);
    /* no exception: LR = -2 n ln(1 - p) = -500 ln 0.99 = 5.025168, p = 0.024982 */
    cr_assert(fabs(mcr_kupiec_lr(250, 0, 0.01) - 5.025167926750726) < 1e-12);
    cr_assert(fabs(mcr_chi2_pvalue(mcr_kupiec_lr(250, 0, 0.01), 1) - 0.02498150305344973) < 1e-12);
    /* only exceptions: LR = -2 n ln p */
    cr_assert(fabs(mcr_kupiec_lr(20, 20, 0.01) + 40 * log(0.01)) < 1e-12);
    /* exactly the expected rate: 0 */
    cr_assert_eq(mcr_kupiec_lr(300, 3, 0.01), 0.0);
}

/* hits 0 0 0 0 1 1 0 0 0 0, level 0.95 (p = 0.05). Pairs: 00 00 00 01 11 10 00 00 00, so
 * n00 = 6, n01 = 1, n10 = 1, n11 = 1; pi01 = 1/7, pi11 = 1/2, pi = 2/9.
 *   LR_ind = -2 [7 ln(7/9) + 2 ln(2/9)] + 2 [6 ln(6/7) + ln(1/7) + ln(1/2) + ln(1/2)]
 *          = -2 [-1.759201 - 3.008155] + 2 [-0.924906 - 1.945910 - 1.386294]
 *          = 9.534712 - 8.514220 = 1.020494 (p = 0.312402)
 *   LR_pof (n 10, x 2, p 0.05) = -2 [8 ln 0.95 + 2 ln 0.05] + 2 [8 ln 0.8 + 2 ln 0.2]
 *          = -2 [-0.410346 - 5.991465] + 2 [-1.785148 - 3.218876] = 2.795573 (p = 0.094525)
 *   LR_cc = 3.816068, p = P(chi2_2 > LR_cc) = exp(-LR_cc / 2) = 0.148372. */
Test(backtest_stats, christoffersen_by_hand)
{
    const unsigned char hit[10] = {0, 0, 0, 0, 1, 1, 0, 0, 0, 0};
    mcr_coverage c;
    mcr_error err = {0};
    cr_assert_eq(mcr_coverage_tests(hit, 10, 0.95, &c, &err), MCR_OK);
    cr_assert(c.n00 == 6 && c.n01 == 1 && c.n10 == 1 && c.n11 == 1 && c.exceptions == 2);
    cr_assert(fabs(c.lr_ind - 1.0204944047602726) < 1e-12, "%.15g", c.lr_ind);
    cr_assert(fabs(c.p_ind - 0.31240176365764505) < 1e-12);
    cr_assert(fabs(c.lr_pof - 2.7955733336530155) < 1e-12);
    cr_assert(fabs(c.p_pof - 0.09452495105441411) < 1e-12);
    cr_assert(fabs(c.lr_cc - 3.816067738413288) < 1e-12);
    cr_assert(fabs(c.p_cc - exp(-c.lr_cc / 2)) < 1e-14); /* chi2(2) tail in closed form */
    cr_assert(fabs(c.p_cc - 0.14837181840608676) < 1e-12);
    /* n00 4, n01 2, n10 2, n11 1: pi01 = pi11 = pi = 1/3, the two likelihoods are equal */
    cr_assert(mcr_christoffersen_lr_ind(4, 2, 2, 1) < 1e-14);
}

Test(backtest_stats, edge_cases_are_finite)
{
    unsigned char none[250] = {0}, all[250];
    for (int i = 0; i < 250; i++)
        all[i] = 1;
    mcr_coverage c;
    mcr_error err = {0};
    cr_assert_eq(mcr_coverage_tests(none, 250, 0.99, &c, &err), MCR_OK);
    cr_assert(c.exceptions == 0 && c.n00 == 249);
    cr_assert(isfinite(c.lr_pof) && isfinite(c.p_pof) && c.lr_ind == 0 && c.p_ind == 1.0);
    cr_assert(isfinite(c.lr_cc) && isfinite(c.p_cc));
    cr_assert_eq(mcr_coverage_tests(all, 250, 0.99, &c, &err), MCR_OK);
    cr_assert(c.exceptions == 250 && c.n11 == 249 && c.lr_ind == 0);
    cr_assert(fabs(c.lr_pof + 500 * log(0.01)) < 1e-9 && c.p_pof < 1e-100 && c.p_pof >= 0);
    cr_assert(isfinite(c.lr_cc) && isfinite(c.p_cc));
    /* one exception on the last day: no transition out of an exception */
    none[249] = 1;
    cr_assert_eq(mcr_coverage_tests(none, 250, 0.99, &c, &err), MCR_OK);
    cr_assert(c.n10 == 0 && c.n11 == 0 && c.n01 == 1 && isfinite(c.lr_ind));
    cr_assert_eq(mcr_coverage_tests(none, 1, 0.99, &c, &err), MCR_ERR_INPUT);
    cr_assert_eq(mcr_coverage_tests(none, 250, 1.0, &c, &err), MCR_ERR_INPUT);
}

Test(backtest_stats, basel_zones)
{
    /* the Basel table: 250 days at 99%: P(X <= 4) = 0.8922, P(X <= 5) = 0.9588,
     * P(X <= 9) = 0.99975, P(X <= 10) = 0.99995 */
    double cp;
    for (int x = 0; x <= 4; x++)
        cr_assert_eq(mcr_basel_zone_of(x, 250, 0.99, NULL), MCR_ZONE_GREEN, "x %d", x);
    for (int x = 5; x <= 9; x++)
        cr_assert_eq(mcr_basel_zone_of(x, 250, 0.99, NULL), MCR_ZONE_YELLOW, "x %d", x);
    for (int x = 10; x <= 250; x++)
        cr_assert_eq(mcr_basel_zone_of(x, 250, 0.99, NULL), MCR_ZONE_RED, "x %d", x);
    mcr_basel_zone_of(4, 250, 0.99, &cp);
    cr_assert(fabs(cp - 0.8921876269036252) < 1e-12);
    mcr_basel_zone_of(10, 250, 0.99, &cp);
    cr_assert(fabs(cp - 0.999946101370953) < 1e-12);
    int y, r;
    mcr_basel_thresholds(250, 0.99, &y, &r);
    cr_assert(y == 5 && r == 10, "%d %d", y, r);
    /* other windows and levels follow the same probabilities: 500 days at 99% (mean 5) */
    mcr_basel_thresholds(500, 0.99, &y, &r);
    cr_assert(mcr_basel_zone_of(y - 1, 500, 0.99, &cp) == MCR_ZONE_GREEN && cp < 0.95);
    cr_assert(mcr_basel_zone_of(y, 500, 0.99, &cp) == MCR_ZONE_YELLOW && cp >= 0.95);
    cr_assert(mcr_basel_zone_of(r, 500, 0.99, &cp) == MCR_ZONE_RED && cp >= 0.9999);
    cr_assert(y > 5 && r > y);
    cr_assert_str_eq(mcr_basel_zone_name(MCR_ZONE_YELLOW), "yellow");
}

/* Z2 by hand, level 0.975 (alpha = 0.025), T = 4:
 *   losses 1, 5, 2, 8; VaR 3 each day; ES 4, 4, 4, 5 -> exceptions on days 2 and 4:
 *   Z2 = 1 - (5/4 + 8/5) / (4 x 0.025) = 1 - 2.85 / 0.1 = -27.5. No exception: Z2 = 1. */
Test(backtest_stats, z2_by_hand)
{
    const double loss[4] = {1, 5, 2, 8}, var[4] = {3, 3, 3, 3}, es[4] = {4, 4, 4, 5};
    cr_assert(fabs(mcr_as_z2(loss, var, es, 4, 0.975) + 27.5) < 1e-12);
    const double calm[4] = {1, 1, 1, 1};
    cr_assert_eq(mcr_as_z2(calm, var, es, 4, 0.975), 1.0);
}

/* Normal losses with sd sd_t: VaR = sd z, ES = sd phi(z) / alpha. */
typedef struct normal_days {
    const double *sd;
    double scale; /* the realised losses' sd / the forecast's (1: the null holds) */
} normal_days;

static double draw_normal(int t, mcr_pcg32 *g, void *ctx)
{
    const normal_days *d = ctx;
    uint64_t a = mcr_pcg32_next(g) >> 5, b = mcr_pcg32_next(g) >> 6;
    double u = ((double)(a * 67108864u + b) + 0.5) / 9007199254740992.0;
    return d->scale * d->sd[t] * mcr_norm_quantile(u);
}

Test(backtest_stats, z2_null_distribution_and_power)
{
    enum { T = 250, SIMS = 4000 };
    double sd[T], var[T], es[T], loss[T], level = 0.975, alpha = 0.025;
    double z = mcr_norm_quantile(level);
    for (int t = 0; t < T; t++) {
        sd[t] = 1.0 + 0.5 * sin(t / 20.0);
        var[t] = sd[t] * z;
        es[t] = sd[t] * mcr_norm_pdf(z) / alpha;
    }
    /* under the null E Z2 = 0: the mean of simulated Z2 within 4 se of 0, se bounded */
    normal_days null = {sd, 1.0};
    double s = 0, s2 = 0;
    for (int k = 0; k < SIMS; k++) {
        mcr_pcg32 g = mcr_pcg32_for_path(7, (uint64_t)k);
        for (int t = 0; t < T; t++)
            loss[t] = draw_normal(t, &g, &null);
        double v = mcr_as_z2(loss, var, es, T, level);
        s += v;
        s2 += v * v;
    }
    double mean = s / SIMS, se = sqrt((s2 / SIMS - mean * mean) / SIMS);
    cr_assert(fabs(mean) <= 4 * se && se < 0.02, "mean %g se %g", mean, se);
    /* realised losses 1.5x the forecast's sd: Z2 far in the left tail of the null */
    normal_days wide = {sd, 1.5};
    mcr_pcg32 g = mcr_pcg32_for_path(99, 0);
    for (int t = 0; t < T; t++)
        loss[t] = draw_normal(t, &g, &wide);
    double z2 = mcr_as_z2(loss, var, es, T, level);
    double p = mcr_as_z2_pvalue(z2, var, es, T, level, draw_normal, &null, SIMS, 5);
    cr_assert(z2 < -0.7 && p < 0.005, "z2 %g p %g", z2, p);
    /* a sample from the null itself is not rejected at 5% */
    g = mcr_pcg32_for_path(98, 0);
    for (int t = 0; t < T; t++)
        loss[t] = draw_normal(t, &g, &null);
    z2 = mcr_as_z2(loss, var, es, T, level);
    p = mcr_as_z2_pvalue(z2, var, es, T, level, draw_normal, &null, SIMS, 5);
    cr_assert(p > 0.05, "z2 %g p %g", z2, p);
    /* the p-value is the share of the null at or below: at Z2 = 1 (no exception) it is 1 */
    cr_assert_eq(mcr_as_z2_pvalue(1.0, var, es, T, level, draw_normal, &null, 200, 5), 1.0);
}
