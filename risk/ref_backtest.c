/* The engine-free GBM VaR backtest (ref_backtest.h). */
#include "ref_backtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/fit_gbm.h"
#include "models/gbm.h"

void mcr_ref_backtest_free(mcr_ref_backtest *b)
{
    free(b->day);
    free(b->var);
    free(b->es);
    free(b->loss);
    free(b->hit);
    free(b->m);
    free(b->s);
    memset(b, 0, sizeof *b);
}

mcr_status mcr_ref_backtest_gbm(const mcr_data_file *d, int col, int32_t from, int32_t to,
                                int window, double level, double qty, mcr_ref_backtest *out,
                                mcr_error *err)
{
    memset(out, 0, sizeof *out);
    if (window < 2)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: window must be >= 2 days (got %d)",
                        window);
    int first, count;
    mcr_data_file_range(d, from, to, &first, &count);
    char a[11], b[11];
    mcr_date_format(from, a);
    mcr_date_format(to, b);
    if (count == 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no row from %s to %s", d->path, a, b);
    if (first - window < 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: %d days of history before %s are needed, the "
                        "file has %d", d->path, window, a, first);
    if (first + count >= d->n_rows)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: the day after %s is not in the file (the last "
                        "forecast needs it)", d->path, b);
    int gap = mcr_data_file_gap(d, first - window, count + window + 1);
    if (gap >= 0) {
        mcr_date_format(d->day[gap], a);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: the rows before %s are not consecutive days",
                        d->path, a);
    }
    const double *S = d->col[col], dt = 1.0 / MCR_FIT_DAYS_PER_YEAR;
    int n = count;
    out->day = malloc(sizeof(int32_t) * (size_t)n);
    out->var = malloc(sizeof(double) * (size_t)n);
    out->es = malloc(sizeof(double) * (size_t)n);
    out->loss = malloc(sizeof(double) * (size_t)n);
    out->hit = malloc((size_t)n);
    out->m = malloc(sizeof(double) * (size_t)n);
    out->s = malloc(sizeof(double) * (size_t)n);
    double *r = malloc(sizeof(double) * (size_t)(count + window));
    if (!out->day || !out->var || !out->es || !out->loss || !out->hit || !out->m || !out->s ||
        !r) {
        free(r);
        mcr_ref_backtest_free(out);
        return mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory");
    }
    /* r[k] = ln(S[first - window + k + 1] / S[first - window + k]) */
    mcr_log_returns(S + first - window, count + window, r);
    out->n = n;
    out->min_margin = INFINITY;
    for (int i = 0; i < n; i++) {
        int t = first + i;
        mcr_fit_result f;
        mcr_status st = mcr_fit_gbm(r + i, window, dt, &f, err);
        if (st != MCR_OK) {
            free(r);
            mcr_ref_backtest_free(out);
            return st;
        }
        mcr_gbm m = mcr_fit_gbm_model(&f);
        out->day[i] = d->day[t];
        out->m[i] = f.theta[0];
        out->s[i] = f.theta[1];
        out->var[i] = qty * mcr_gbm_var_long(&m, S[t], dt, level);
        out->es[i] = qty * mcr_gbm_cvar_long(&m, S[t], dt, level);
        out->loss[i] = qty * (S[t] - S[t + 1]);
        out->hit[i] = out->loss[i] > out->var[i];
        double margin = fabs(out->loss[i] - out->var[i]) / out->var[i];
        if (margin < out->min_margin)
            out->min_margin = margin;
    }
    free(r);
    mcr_status st = mcr_coverage_tests(out->hit, n, level, &out->coverage, err);
    if (st != MCR_OK) {
        mcr_ref_backtest_free(out);
        return st;
    }
    out->z2 = mcr_as_z2(out->loss, out->var, out->es, n, level);
    return MCR_OK;
}
