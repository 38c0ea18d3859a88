/* The multi-asset backtest refits the correlation of the assets' shocks every day (run/
 * backtest.c, models/correlation.h mcr_correlation_fit): on two GBM price series simulated with
 * a known correlation, the recorded estimate is the sample correlation of the window's daily log
 * returns (checked by hand), within 4 standard errors of the truth, and the simulation uses it
 * (long-long against long-short VaR); a data asset takes no correlated shock. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/data_file.h"
#include "models/correlation.h"
#include "run/backtest.h"
#include "sim_returns.h"
#include "strategies/strategy.h"
#include "test_dir.h"

static void setup(void) { test_dir_make("/tmp/mcr-backtest-corr-XXXXXX"); }
static void teardown(void) { test_dir_remove(); }

TestSuite(backtest_corr, .init = setup, .fini = teardown);

#define DAYS 620
#define RHO 0.6
#define WINDOW 500

/* pair.csv: date, A, B from 2020-01-01, daily log returns of vol 0.8 and 0.5 a year with
 * correlation rho (B's normal = rho zA + sqrt(1 - rho^2) zB); A and B's returns into ra, rb. */
static void write_pair(double rho, double *ra, double *rb)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, 2026, 9);
    int32_t day0;
    mcr_date_parse("2020-01-01", &day0);
    char path[512];
    in_dir("pair.csv", path, sizeof path);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("date,A,B\n", f);
    double a = 100, b = 10, dt = 1.0 / 365;
    for (int t = 0; t < DAYS; t++) {
        char day[11];
        mcr_date_format(day0 + t, day);
        fprintf(f, "%s,%.17g,%.17g\n", day, a, b);
        double za = sim_normal(&g), zb = rho * za + sqrt(1 - rho * rho) * sim_normal(&g);
        ra[t] = 0.8 * sqrt(dt) * za - 0.32 * dt;
        rb[t] = 0.5 * sqrt(dt) * zb - 0.125 * dt;
        a *= exp(ra[t]);
        b *= exp(rb[t]);
    }
    fclose(f);
}

static void backtest(const char *b_model, double qb, mcr_backtest *b)
{
    char yaml[1024], path[512];
    in_dir("pair.csv", path, sizeof path);
    snprintf(yaml, sizeof yaml, "run: {paths: 4000, seed: 5, levels: [0.95]}\n"
             "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
             "    - {name: A, spot: 100, model: {type: gbm, sigma: 0.3}}\n"
             "    - {name: B, spot: 10, model: %s}\n"
             "portfolio: [{asset: A, quantity: 1}, {asset: B, quantity: %.17g}]\n", b_model, qb);
    for (char *p; (p = strstr(yaml, "PAIR"));) {
        char rest[1024];
        snprintf(rest, sizeof rest, "%s", p + 4);
        snprintf(p, sizeof yaml - (size_t)(p - yaml), "%s%s", path, rest);
    }
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "c.yaml", &cfg, &err), MCR_OK, "%s", err.msg);
    mcr_backtest_options o = {.data = path, .column = "A,B", .horizon_days = 1, .window = WINDOW,
                              .quiet = true,
                              .sim = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2}};
    mcr_date_parse("2021-05-20", &o.from); /* row 505 of the file */
    mcr_date_parse("2021-05-29", &o.to);
    cr_assert_eq(mcr_backtest_run(&cfg, &o, b, &err), MCR_OK, "%s", err.msg);
    mcr_config_free(&cfg);
}

/* The sample correlation by hand (two passes) of n returns. */
static double pearson(const double *x, const double *y, int n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int t = 0; t < n; t++) {
        mx += x[t] / n;
        my += y[t] / n;
    }
    for (int t = 0; t < n; t++) {
        sxy += (x[t] - mx) * (y[t] - my);
        sxx += (x[t] - mx) * (x[t] - mx);
        syy += (y[t] - my) * (y[t] - my);
    }
    return sxy / sqrt(sxx * syy);
}

static double sd(const double *x, int n)
{
    double m = 0, q = 0;
    for (int t = 0; t < n; t++)
        m += x[t] / n;
    for (int t = 0; t < n; t++)
        q += (x[t] - m) * (x[t] - m);
    return sqrt(q / (n - 1));
}

Test(backtest_corr, refitted_daily_on_a_known_correlation)
{
    static double ra[DAYS], rb[DAYS];
    write_pair(RHO, ra, rb);
    /* B's quantity makes both legs equally volatile on the first day: long-long and long-short
     * books then differ only through the correlation */
    double a = 100, bb = 10;
    for (int t = 0; t < 505; t++) {
        a *= exp(ra[t]);
        bb *= exp(rb[t]);
    }
    double q = a * sd(ra + 5, WINDOW) / (bb * sd(rb + 5, WINDOW));
    mcr_backtest b, s;
    backtest("{type: gbm, sigma: 0.3}", q, &b);
    backtest("{type: gbm, sigma: 0.3}", -q, &s);
    cr_assert_eq(b.n_days, 10);
    cr_assert_eq(b.n_assets, 2);
    cr_assert_not_null(b.correlation);
    /* the first forecast day is row 505: its window is the returns into rows 6 .. 505 */
    for (int d = 0; d < b.n_days; d++) {
        const double *c = b.correlation + 4 * d;
        double want = pearson(ra + 5 + d, rb + 5 + d, WINDOW);
        cr_assert(c[0] == 1 && c[3] == 1 && c[1] == c[2], "day %d", d);
        cr_assert(fabs(c[1] - want) <= 1e-12, "day %d: %.15g vs %.15g by hand", d, c[1], want);
        cr_assert(s.correlation[4 * d + 1] == c[1]);
    }
    /* the estimate's standard error (1 - rho^2) / sqrt(n) */
    double se = (1 - RHO * RHO) / sqrt(WINDOW), est = b.correlation[1];
    cr_assert(se < 0.03, "se %g", se);
    cr_assert(fabs(est - RHO) <= 4 * se, "estimate %g vs %g (se %g)", est, RHO, se);
    /* the simulation uses it: with equal legs the VaR of long-long over long-short is
     * sqrt((1 + rho) / (1 - rho)), about 2 (1 under independent shocks). Over 10 days of 4000
     * paths the Monte Carlo error of the ratio is about 1.5%; a 1-day 95% VaR of lognormal legs
     * is a few % off the normal one: 10% separates the two cases by far. */
    double sum = 0, sum_s = 0;
    for (int d = 0; d < b.n_days; d++) {
        sum += b.var[d];
        sum_s += s.var[d];
    }
    double want = sqrt((1 + est) / (1 - est)), got = sum / sum_s;
    cr_assert(fabs(got - want) <= 0.1 * want, "VaR ratio %g vs %g", got, want);
    mcr_backtest_free(&s);
    mcr_backtest_free(&b);
}

/* A data asset takes no correlated shock: its row and column stay the identity's. */
Test(backtest_corr, data_assets_stay_uncorrelated)
{
    static double ra[DAYS], rb[DAYS];
    write_pair(RHO, ra, rb);
    mcr_backtest b;
    backtest("{type: bootstrap, data: PAIR, column: B}", 10, &b);
    for (int d = 0; d < b.n_days; d++)
        cr_assert(b.correlation[4 * d + 1] == 0 && b.correlation[4 * d + 2] == 0, "day %d", d);
    mcr_backtest_free(&b);
}
