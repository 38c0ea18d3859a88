/* The reference backtest (BTC, 2016-01-01 to 2024-12-31, long 1 BTC, 1 day, 99%, GBM on 250
 * trailing returns): the figures stated in docs/REAL_DATA.md, and the same backtest computed
 * independently by tests/support/ref_backtest.py (its own CSV parsing, numpy moments, Python's
 * normal quantile). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/normal.h"
#include "risk/ref_backtest.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

/* docs/REAL_DATA.md, "The reference backtest" */
#define DOC_DAYS 3288
#define DOC_EXCEPTIONS 68
#define DOC_KUPIEC 28.963752
#define DOC_ZONE MCR_ZONE_RED
#define DOC_Z2 (-1.6369)

static void run(mcr_ref_backtest *b)
{
    mcr_data_file d;
    mcr_error err = {0};
    const char *cols[] = {"close"};
    cr_assert_eq(mcr_data_file_load(BTC, cols, 1, &d, &err), MCR_OK, "%s", err.msg);
    int32_t from, to;
    mcr_date_parse("2016-01-01", &from);
    mcr_date_parse("2024-12-31", &to);
    cr_assert_eq(mcr_ref_backtest_gbm(&d, 0, from, to, 250, 0.99, 1.0, b, &err), MCR_OK, "%s",
                 err.msg);
    mcr_data_file_free(&d);
}

Test(ref_backtest, btc_figures)
{
    mcr_ref_backtest b;
    run(&b);
    const mcr_coverage *c = &b.coverage;
    cr_log_info("n %d exceptions %d rate %.5f LR_pof %.6f p %.3g LR_ind %.6f p %.3g LR_cc %.6f "
                "p %.3g z2 %.4f margin %.3g", b.n, c->exceptions, c->rate, c->lr_pof, c->p_pof,
                c->lr_ind, c->p_ind, c->lr_cc, c->p_cc, b.z2, b.min_margin);
    cr_assert_eq(b.n, DOC_DAYS);
    cr_assert_eq(c->exceptions, DOC_EXCEPTIONS);
    cr_assert(fabs(c->lr_pof - DOC_KUPIEC) < 5e-7, "%.7f", c->lr_pof);
    double cp;
    cr_assert_eq(mcr_basel_zone_of(c->exceptions, b.n, 0.99, &cp), DOC_ZONE, "P(X <= x) %.10g", cp);
    /* no forecast within 1e-6 of a tie, so the count cannot depend on rounding */
    cr_assert(b.min_margin > 1e-6, "%g", b.min_margin);
    mcr_ref_backtest_free(&b);
}

Test(ref_backtest, independent_python_computation)
{
    mcr_ref_backtest b;
    run(&b);
    FILE *p = popen("/usr/bin/python3 " MCR_SOURCE_DIR "/tests/support/ref_backtest.py " BTC
                    " 2016-01-01 2024-12-31 250 0.99", "r");
    cr_assert_not_null(p);
    int n, x;
    double lr, pv, ind, v0, v1;
    int got = fscanf(p, "%d %d %lf %lf %lf %lf %lf", &n, &x, &lr, &pv, &ind, &v0, &v1);
    cr_assert_eq(pclose(p), 0);
    cr_assert_eq(got, 7);
    cr_assert_eq(n, b.n);
    cr_assert_eq(x, b.coverage.exceptions);
    cr_assert(fabs(lr - b.coverage.lr_pof) < 1e-9, "%.12g vs %.12g", lr, b.coverage.lr_pof);
    cr_assert(fabs(pv - b.coverage.p_pof) < 1e-9);
    cr_assert(fabs(ind - b.coverage.lr_ind) < 1e-9);
    cr_assert(fabs(v0 / b.var[0] - 1) < 1e-10 && fabs(v1 / b.var[b.n - 1] - 1) < 1e-10,
              "%.12g %.12g vs %.12g %.12g", v0, v1, b.var[0], b.var[b.n - 1]);
    mcr_ref_backtest_free(&b);
}

/* Z2 of the ES forecasts and its p-value, simulating each day's loss from that day's fitted
 * lognormal (the null). GBM's thin tails understate BTC's: Z2 must be far below the null. */
typedef struct gbm_days {
    const mcr_ref_backtest *b;
    const double *close; /* S_t of each forecast day */
} gbm_days;

static double draw_gbm_loss(int t, mcr_pcg32 *g, void *ctx)
{
    const gbm_days *d = ctx;
    uint64_t a = mcr_pcg32_next(g) >> 5, c = mcr_pcg32_next(g) >> 6;
    double u = ((double)(a * 67108864u + c) + 0.5) / 9007199254740992.0;
    return d->close[t] * (1.0 - exp(d->b->m[t] + d->b->s[t] * mcr_norm_quantile(u)));
}

Test(ref_backtest, z2_rejects_gbm_tails)
{
    mcr_ref_backtest b;
    run(&b);
    double *close = malloc(sizeof(double) * (size_t)b.n);
    for (int t = 0; t < b.n; t++) /* loss_t = S_t - S_{t+1} and VaR_t / S_t = 1 - e^(m + s z) */
        close[t] = b.var[t] / (1.0 - exp(b.m[t] + b.s[t] * mcr_norm_quantile(0.01)));
    gbm_days d = {&b, close};
    double p = mcr_as_z2_pvalue(b.z2, b.var, b.es, b.n, 0.99, draw_gbm_loss, &d, 2000, 3);
    cr_log_info("z2 %.6f p %.4g", b.z2, p);
    cr_assert(fabs(b.z2 - DOC_Z2) < 5e-5, "%.6f", b.z2);
    cr_assert(p < 0.001, "p %g", p);
    free(close);
    mcr_ref_backtest_free(&b);
}
