/* Backtest statistics (backtest_stats.h): likelihood ratios with 0 ln 0 = 0, chi-square and
 * binomial tails from GSL, and Z2 with its simulated null distribution. */
#include "backtest_stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>

/* k ln(q), with 0 ln 0 = 0 (the limit used by every likelihood ratio here). */
static double xlogy(double k, double q)
{
    return k == 0.0 ? 0.0 : k * log(q);
}

double mcr_kupiec_lr(int n, int x, double p)
{
    double phat = (double)x / n;
    double lr = -2.0 * (xlogy(n - x, 1.0 - p) + xlogy(x, p)) +
                2.0 * (xlogy(n - x, 1.0 - phat) + xlogy(x, phat));
    return lr > 0.0 ? lr : 0.0; /* >= 0 exactly; rounding can leave -1e-16 */
}

double mcr_christoffersen_lr_ind(int n00, int n01, int n10, int n11)
{
    int total = n00 + n01 + n10 + n11;
    if (total == 0)
        return 0.0;
    double pi = (double)(n01 + n11) / total;
    double pi01 = n00 + n01 > 0 ? (double)n01 / (n00 + n01) : 0.0;
    double pi11 = n10 + n11 > 0 ? (double)n11 / (n10 + n11) : 0.0;
    double l0 = xlogy(n00 + n10, 1.0 - pi) + xlogy(n01 + n11, pi);
    double l1 = xlogy(n00, 1.0 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1.0 - pi11) +
                xlogy(n11, pi11);
    double lr = -2.0 * (l0 - l1);
    return lr > 0.0 ? lr : 0.0;
}

double mcr_chi2_pvalue(double lr, int k)
{
    return gsl_cdf_chisq_Q(lr, k);
}

mcr_status mcr_coverage_tests(const unsigned char *hit, int n, double level, mcr_coverage *out,
                              mcr_error *err)
{
    if (n < 2)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: needs at least 2 days (got %d)", n);
    if (!(level > 0 && level < 1))
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: level must be in (0, 1) (got %g)", level);
    mcr_coverage c = {.n = n, .level = level};
    for (int t = 0; t < n; t++) {
        c.exceptions += hit[t] != 0;
        if (t > 0) {
            int a = hit[t - 1] != 0, b = hit[t] != 0;
            c.n00 += !a && !b;
            c.n01 += !a && b;
            c.n10 += a && !b;
            c.n11 += a && b;
        }
    }
    c.rate = (double)c.exceptions / n;
    c.lr_pof = mcr_kupiec_lr(n, c.exceptions, 1.0 - level);
    c.p_pof = mcr_chi2_pvalue(c.lr_pof, 1);
    c.lr_ind = mcr_christoffersen_lr_ind(c.n00, c.n01, c.n10, c.n11);
    c.p_ind = mcr_chi2_pvalue(c.lr_ind, 1);
    c.lr_cc = c.lr_pof + c.lr_ind;
    c.p_cc = mcr_chi2_pvalue(c.lr_cc, 2);
    *out = c;
    return MCR_OK;
}

mcr_basel_zone mcr_basel_zone_of(int x, int n, double level, double *cum_prob)
{
    double cp = x >= n ? 1.0 : gsl_cdf_binomial_P((unsigned)x, 1.0 - level, (unsigned)n);
    if (cum_prob)
        *cum_prob = cp;
    return cp < MCR_BASEL_YELLOW ? MCR_ZONE_GREEN : cp < MCR_BASEL_RED ? MCR_ZONE_YELLOW
                                                                      : MCR_ZONE_RED;
}

const char *mcr_basel_zone_name(mcr_basel_zone z)
{
    static const char *const names[] = {"green", "yellow", "red"};
    return names[z];
}

void mcr_basel_thresholds(int n, double level, int *yellow_from, int *red_from)
{
    *yellow_from = *red_from = n + 1;
    for (int x = n; x >= 0; x--) {
        mcr_basel_zone z = mcr_basel_zone_of(x, n, level, NULL);
        if (z >= MCR_ZONE_YELLOW)
            *yellow_from = x;
        if (z == MCR_ZONE_RED)
            *red_from = x;
    }
}

double mcr_as_z2(const double *loss, const double *var, const double *es, int n, double level)
{
    double s = 0.0;
    for (int t = 0; t < n; t++)
        if (loss[t] > var[t])
            s += loss[t] / es[t];
    return 1.0 - s / (n * (1.0 - level));
}

double mcr_as_z2_pvalue(double z2, const double *var, const double *es, int n, double level,
                        mcr_loss_draw draw, void *ctx, int sims, uint64_t seed)
{
    int below = 0;
    for (int k = 0; k < sims; k++) {
        mcr_pcg32 g = mcr_pcg32_for_path(seed, (uint64_t)k);
        double s = 0.0;
        for (int t = 0; t < n; t++) {
            double l = draw(t, &g, ctx);
            if (l > var[t])
                s += l / es[t];
        }
        below += 1.0 - s / (n * (1.0 - level)) <= z2;
    }
    return (below + 1.0) / (sims + 1.0);
}
