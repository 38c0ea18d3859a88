/* Paired comparisons: a hand-computed case, identical strategies (difference and se exactly 0),
 * agreement with the engine's VaR/CVaR, and the se's against the spread over 200 independent
 * seeds, with and without antithetic pairs.
 * The model: S0 100 under GBM (mu 0, sigma 0.6) over two 15-day steps. Strategy A holds 1 unit;
 * strategy B holds 1 unit and cuts to 0.5 after the first step if the price fell (path-dependent,
 * so the two tails differ nonlinearly). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/normal.h"
#include "risk/paired.h"
#include "kernels/pcg32.h"
#include "risk/risk.h"

static double unit_normal(mcr_pcg32 *g)
{
    return mcr_norm_quantile(((double)mcr_pcg32_next(g) + 0.5) * 0x1p-32);
}

/* n paths of seed; antithetic: path 2k+1 uses the negated normals of path 2k. */
static void simulate(uint64_t seed, uint64_t n, int antithetic, double *a, double *b)
{
    const double s0 = 100, sigma = 0.6, dt = 15.0 / 365;
    const double drift = -0.5 * sigma * sigma * dt, vol = sigma * sqrt(dt);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t unit = antithetic ? i / 2 : i;
        double sign = antithetic && i % 2 ? -1.0 : 1.0;
        mcr_pcg32 g = mcr_pcg32_for_path(seed, unit);
        double z1 = sign * unit_normal(&g), z2 = sign * unit_normal(&g);
        double mid = s0 * exp(drift + vol * z1), end = mid * exp(drift + vol * z2);
        double hold = mid < s0 ? 0.5 : 1.0;
        a[i] = end - s0;
        b[i] = (mid - s0) + hold * (end - mid);
    }
}

Test(paired, hand_computed)
{
    /* losses a: 10, 4, 0, -1 ... ; b: 6, 5, 0, ...; level 0.8, p = 0.2, np = 2, k = 2.
     * VaR_a = 4, CVaR_a = 4 + 6 / 2 = 7; VaR_b = 5, CVaR_b = 5 + 1 / 2 = 5.5.
     * phi_a - phi_b = 27 - 4.5 = 22.5 on path 0 and -3 - (-0.5) = -2.5 on the other 9:
     * mean 0, sd^2 = (22.5^2 + 9 2.5^2) / 9 = 62.5, se = sqrt(62.5 / 10) = 2.5.
     * d = a - b = -4, 1, 0 x 8: mean -0.3, sd^2 = 16.1 / 9, se = sqrt(16.1 / 90).
     * VaR blocks (2 of 5 paths, k = 1): D_0 = 10 - 6 = 4, D_1 = -3 - (-3) = 0, D = -1:
     * se = sqrt((5^2 + 1^2) / (1 x 2)) = sqrt(13). */
    double a[10] = {-10, -4, 0, 1, 2, 3, 4, 5, 6, 7}, b[10] = {-6, -5, 0, 1, 2, 3, 4, 5, 6, 7};
    double scratch[10];
    mcr_paired_opts o = {0.8, 0, 2};
    mcr_paired_diff d;
    cr_assert_eq(mcr_paired_compare(a, b, 10, &o, scratch, &d, NULL), MCR_OK);
    cr_assert_float_eq(d.var, -1.0, 1e-15);
    cr_assert_float_eq(d.cvar, 1.5, 1e-14);
    cr_assert_float_eq(d.cvar_se, 2.5, 1e-14);
    cr_assert_float_eq(d.mean, -0.3, 1e-15);
    cr_assert_float_eq(d.mean_se, sqrt(16.1 / 90), 1e-15);
    cr_assert_float_eq(d.var_se, sqrt(13.0), 1e-14);
    cr_assert_eq(d.units, 10);
}

Test(paired, identical_strategies_give_zero)
{
    enum { n = 20000 };
    static double a[n], b[n], scratch[n];
    for (int anti = 0; anti < 2; anti++) {
        simulate(5, n, anti, a, b);
        mcr_paired_opts o = {0.99, anti, MCR_PAIRED_BLOCKS};
        mcr_paired_diff d;
        cr_assert_eq(mcr_paired_compare(b, b, n, &o, scratch, &d, NULL), MCR_OK);
        double all[6] = {d.mean, d.mean_se, d.var, d.var_se, d.cvar, d.cvar_se};
        for (int k = 0; k < 6; k++)
            cr_assert_eq(all[k], 0.0, "figure %d: %g", k, all[k]);
        cr_assert_gt(d.cvar_se_unpaired, 0.0); /* the unpaired se of the same sample is not 0 */
    }
}

Test(paired, tail_figures_match_the_engine)
{
    enum { n = 30001 };
    static double a[n], b[n], scratch[n];
    simulate(6, n, 0, a, b);
    double levels[] = {0.95, 0.99, 0.999};
    mcr_summary s;
    mcr_risk_summarize(a, n, levels, 3, scratch, &s);
    for (int l = 0; l < 3; l++) {
        double var, cvar;
        mcr_tail_var_cvar(a, n, levels[l], scratch, &var, &cvar);
        cr_assert_eq(var, s.risk[l].var);
        cr_assert_float_eq(cvar, s.risk[l].cvar, 1e-12 * fabs(cvar), "level %g", levels[l]);
    }
}

typedef struct spread {
    double sum, sum2, se_sum;
} spread;

static void add(spread *s, double est, double se)
{
    s->sum += est;
    s->sum2 += est * est;
    s->se_sum += se;
}

/* |mean se / sd of the estimates - 1| over `reps` seeds */
static double se_error(const spread *s, int reps, double *sd_out)
{
    double mean = s->sum / reps, sd = sqrt((s->sum2 - reps * mean * mean) / (reps - 1));
    *sd_out = sd;
    return fabs(s->se_sum / reps / sd - 1.0);
}

/* 200 seeds of n paths: the mean reported se of each difference must match the observed spread
 * of the difference within 15% (the spread itself is measured to 1 / sqrt(2 x 199) = 5% with 200
 * seeds: 15% is 3 of its sd). The paired se's must also be below the unpaired ones (by 1.5x at
 * least in this model). With antithetic pairs, A is also compared with cash (P&L 0): there the
 * pairs cut the mean's se several-fold, and the se that ignores them (same data, antithetic 0) must
 * miss the spread by more than 25%, so the test can tell the two apart. */
static void check_against_seeds(int antithetic, double level)
{
    enum { reps = 200, n = 16384 };
    static double a[n], b[n], cash[n], scratch[n];
    spread s[3] = {{0}}, vs_cash[2] = {{0}}, naive = {0};
    double gain[3] = {0};
    for (int r = 0; r < reps; r++) {
        simulate(1000 + (uint64_t)r, n, antithetic, a, b);
        mcr_paired_opts o = {level, antithetic, 16};
        mcr_paired_diff d;
        cr_assert_eq(mcr_paired_compare(a, b, n, &o, scratch, &d, NULL), MCR_OK);
        add(&s[0], d.mean, d.mean_se);
        add(&s[1], d.var, d.var_se);
        add(&s[2], d.cvar, d.cvar_se);
        gain[0] += d.mean_se_unpaired / d.mean_se / reps;
        gain[1] += d.var_se_unpaired / d.var_se / reps;
        gain[2] += d.cvar_se_unpaired / d.cvar_se / reps;
        if (antithetic) {
            mcr_paired_opts flat = {level, 0, 16};
            mcr_paired_compare(a, cash, n, &o, scratch, &d, NULL);
            add(&vs_cash[0], d.mean, d.mean_se);
            add(&vs_cash[1], d.cvar, d.cvar_se);
            mcr_paired_compare(a, cash, n, &flat, scratch, &d, NULL);
            add(&naive, d.mean, d.mean_se);
        }
    }
    const char *name[3] = {"mean", "VaR", "CVaR"};
    for (int k = 0; k < 3; k++) {
        double sd, e = se_error(&s[k], reps, &sd);
        cr_log_info("antithetic %d level %g: d%s se %.4g (mean over seeds), spread %.4g, "
                    "unpaired/paired %.2f",
                    antithetic, level, name[k], s[k].se_sum / reps, sd, gain[k]);
        cr_assert_leq(e, 0.15, "d%s: se %.4g vs spread %.4g", name[k], s[k].se_sum / reps, sd);
        cr_assert_geq(gain[k], 1.5, "d%s: pairing gained only %.2f", name[k], gain[k]);
    }
    if (!antithetic)
        return;
    for (int k = 0; k < 2; k++) {
        double sd, e = se_error(&vs_cash[k], reps, &sd);
        cr_log_info("A vs cash, pairs used: %s se %.4g, spread %.4g", k ? "CVaR" : "mean",
                    vs_cash[k].se_sum / reps, sd);
        cr_assert_leq(e, 0.15, "A vs cash %s: se %.4g vs spread %.4g", k ? "CVaR" : "mean",
                      vs_cash[k].se_sum / reps, sd);
    }
    double sd, e = se_error(&naive, reps, &sd);
    cr_log_info("A vs cash, pairs ignored: mean se %.4g, spread %.4g", naive.se_sum / reps, sd);
    cr_assert_geq(e, 0.25, "ignoring the pairs should misstate the se (got within %.0f%%)",
                  100 * e);
}

Test(paired, se_matches_spread_over_seeds, .timeout = 60)
{
    check_against_seeds(0, 0.99);
    check_against_seeds(0, 0.95);
}

Test(paired, antithetic_pairs_in_the_se, .timeout = 60)
{
    check_against_seeds(1, 0.99);
}

Test(paired, bad_options_fail)
{
    double a[64] = {0}, scratch[64];
    mcr_paired_diff d;
    mcr_error err = {0};
    mcr_paired_opts o = {1.0, 0, 4};
    cr_assert_eq(mcr_paired_compare(a, a, 64, &o, scratch, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "level") != NULL, "%s", err.msg);
    o = (mcr_paired_opts){0.9, 0, 1};
    cr_assert_eq(mcr_paired_compare(a, a, 64, &o, scratch, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "blocks") != NULL, "%s", err.msg);
    o = (mcr_paired_opts){0.9, 1, 4};
    cr_assert_eq(mcr_paired_compare(a, a, 63, &o, scratch, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "even") != NULL, "%s", err.msg);
    o = (mcr_paired_opts){0.99, 0, 4}; /* 16 paths per block, 1 / (1 - 0.99) = 100 needed */
    cr_assert_eq(mcr_paired_compare(a, a, 64, &o, scratch, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "per block") != NULL, "%s", err.msg);
}
