/* The data kinds' shared part (data_model.h): slicing the loaded prices into the series a kind
 * draws from, its statistics and the fhs fit; the model-kind operations; the step constants. */
#include "data_model.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"

/* Every series ever attached, so that configs (plain values, copied freely) can point at them:
 * they live until the process ends and stay reachable. Config loading is single-threaded. */
typedef struct series_node {
    struct series_node *next;
    mcr_series s;
    double ret[];
} series_node;
static series_node *all_series;

static mcr_series *series_new(int n)
{
    series_node *node = calloc(1, sizeof *node + (size_t)n * sizeof(double));
    if (!node)
        return NULL;
    node->next = all_series;
    all_series = node;
    node->s.n = n;
    node->s.ret = node->ret;
    return &node->s;
}

/* A date key: "" keeps `fallback`; otherwise a real date inside [first, last]. */
static mcr_status date_key(const char *text, int32_t fallback, int32_t first, int32_t last,
                           const mcr_data_model *m, const char *where, const char *key,
                           int32_t *day, mcr_error *err)
{
    char a[11], b[11];
    *day = fallback;
    if (!text[0])
        return MCR_OK;
    mcr_date_format(first, a);
    mcr_date_format(last, b);
    if (!mcr_date_parse(text, day))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.%s: must be a date YYYY-MM-DD (got \"%s\")",
                        where, key, text);
    if (*day < first || *day > last)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.%s: %s is outside the data of %s; allowed: "
                        "%s to %s", where, key, text, m->data, a, b);
    return MCR_OK;
}

static void moments(const double *r, int n, double *mean, double *sd)
{
    double s = 0.0, q = 0.0;
    for (int i = 0; i < n; i++)
        s += r[i];
    *mean = s / n;
    for (int i = 0; i < n; i++)
        q += (r[i] - *mean) * (r[i] - *mean);
    *sd = sqrt(q / n);
}

/* 365 ln(mean e^r): the drift per year with which E[S] grows under iid daily draws of r. */
static double data_mu(const double *r, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += exp(r[i]);
    return 365.0 * log(s / n);
}

mcr_status mcr_data_model_attach(mcr_data_model *m, mcr_data_kind kind, const void *warm,
                                 int32_t day0, const double *price, int n, double horizon_days,
                                 const char *where, mcr_error *err)
{
    int32_t last = day0 + n - 1, from, to;
    mcr_status st = date_key(m->start, day0, day0, last, m, where, "start", &from, err);
    if (st == MCR_OK)
        st = date_key(m->end, last, day0, last, m, where, "end", &to, err);
    if (st != MCR_OK)
        return st;
    if (to < from)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.end: %s is before start %s; allowed: a date on "
                        "or after start", where, m->end, m->start);
    int r0 = from - day0, r1 = to - day0; /* price rows */
    int horizon = (int)ceil(horizon_days - 1e-9);
    int first = r0, count;                 /* the returns kept: rows first .. first + count */
    int windows = 0;
    if (kind == MCR_DATA_HISTORICAL) {
        /* start dates r0 .. r1 whose whole horizon is in the file */
        int last_start = r1 < n - 1 - horizon ? r1 : n - 1 - horizon;
        windows = last_start - r0 + 1;
        if (windows < 1)
            return mcr_fail(err, MCR_ERR_INPUT, "%s.start: no start date from %s has %d days of "
                            "%s after it; allowed: a start at least %d days before the data's "
                            "end", where, m->start[0] ? m->start : "the first row", horizon,
                            m->data, horizon);
        count = windows - 1 + horizon;
    } else {
        count = r1 - r0;
    }
    int min_returns = kind == MCR_DATA_FHS ? 250 : 2;
    if (count < min_returns)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.start: %d daily returns between start and end "
                        "of %s; allowed: at least %d (%s)", where, count, m->data, min_returns,
                        kind == MCR_DATA_FHS ? "to fit the variance recursion" : "two days");
    mcr_series *s = series_new(kind == MCR_DATA_HISTORICAL ? n - 1 : count);
    if (!s)
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory for %s", where, m->data);
    double *ret = (double *)s->ret;
    s->first_day = day0;
    if (kind == MCR_DATA_HISTORICAL) {
        mcr_log_returns(price, n, ret);
        s->first_row = r0;
        s->n_windows = windows;
        moments(ret + r0, count, &s->mean, &s->sd);
        m->mu = data_mu(ret + r0, count);
    } else {
        mcr_log_returns(price + first, count + 1, ret);
        moments(ret, count, &s->mean, &s->sd);
        m->mu = data_mu(ret, count);
    }
    if (kind == MCR_DATA_FHS) {
        /* warm: the fit of the same kind of variance on a neighbouring window */
        const mcr_data_model *w = warm;
        const mcr_series *prev = w ? w->series : NULL;
        bool same = prev && prev->garch.omega > 0 && w->garch == m->garch;
        mcr_garch_fit fit;
        st = mcr_fit_garch_from(ret, count, m->garch == MCR_GJR ? MCR_GJR : MCR_GARCH,
                                same ? &prev->garch : NULL, &fit, err);
        if (st != MCR_OK)
            return st;
        s->garch = fit.model;
        s->next_variance = fit.next_variance;
        s->persistence = fit.persistence;
        s->loglik = fit.fit.loglik;
        memcpy(ret, fit.residual, (size_t)count * sizeof *ret);
        mcr_garch_fit_free(&fit);
    }
    if (!(s->sd > 0.0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.data: the prices of %s do not move between "
                        "start and end; allowed: a series with some variation", where, m->data);
    m->vol_scale = 1.0;
    m->series = s;
    return MCR_OK;
}

/* ---- the model-kind operations ---- */

static double day_variance(const mcr_data_model *m, double t)
{
    const mcr_series *s = m->series;
    if (!s)
        return NAN;
    if (s->garch.omega <= 0.0) /* historical, bootstrap */
        return s->sd * s->sd;
    /* fhs: E[h_k] = hbar + phi^k (h_next - hbar), averaged over the days of [0, t] */
    double phi = s->persistence, hbar = s->garch.omega / (1.0 - phi);
    int days = (int)ceil(t * 365.0 - 1e-9);
    if (days < 1)
        days = 1;
    double sum = 0.0, p = 1.0;
    for (int k = 0; k < days; k++, p *= phi)
        sum += hbar + p * (s->next_variance - hbar);
    return sum / days;
}

double mcr_data_total_variance(const void *params, double t)
{
    const mcr_data_model *m = params;
    return 365.0 * day_variance(m, t) * m->vol_scale * m->vol_scale;
}

void mcr_data_scale_vol(void *params, double k) { ((mcr_data_model *)params)->vol_scale *= k; }

/* The lognormal with the model's total variance: what the default implied vol quotes. */
static double complex data_cf(const void *ctx, double drift, double t, double complex u)
{
    double v = mcr_data_total_variance(ctx, t);
    return cexp(I * u * (drift - 0.5 * v) * t - 0.5 * v * u * u * t);
}

mcr_cf_model mcr_data_cf(const void *params) { return (mcr_cf_model){.cf = data_cf, .ctx = params}; }

double mcr_data_price(const void *params, const mcr_euro *o)
{
    return mcr_bs_price(o, sqrt(mcr_data_total_variance(params, o->expiry)));
}

uint64_t mcr_data_paths(const mcr_data_model *m)
{
    return m->series ? (uint64_t)m->series->n_windows : 0;
}

/* ---- the step ---- */

#define MCR_DAY_TOL 1e-9

mcr_status mcr_data_step_check(double dt, const char *where, mcr_error *err)
{
    double d = dt * 365.0;
    if (d >= 1.0 ? fabs(d - round(d)) <= MCR_DAY_TOL * d
                 : d > 0.0 && fabs(1.0 / d - round(1.0 / d)) <= MCR_DAY_TOL / d)
        return MCR_OK;
    return mcr_fail(err, MCR_ERR_INPUT, "%s: a data model steps whole days or a day split into "
                    "whole steps (horizon.days / horizon.steps = %g days); allowed: steps = days "
                    "x k or days / k for a whole number k", where, d);
}

mcr_data_step mcr_data_step_of(const mcr_data_model *m, mcr_data_kind kind, double dt,
                               int *draws)
{
    const mcr_series *s = m->series;
    double d = dt * 365.0;
    mcr_data_step c = {
        .ret = s->ret,
        .n = s->n,
        .split = d < 1.0 ? (int)lround(1.0 / d) : 1,
        .days = d >= 1.0 ? (int)lround(d) : 1,
        .walk = kind == MCR_DATA_HISTORICAL,
        .p_new = kind == MCR_DATA_HISTORICAL ? 0.0 : 1.0 / m->block_days,
        .mean = s->mean,
        .scale = m->vol_scale,
        .bridge_sd = s->sd * m->vol_scale,
        .fhs = kind == MCR_DATA_FHS,
        .mu = s->garch.mu,
        .omega = s->garch.omega,
        .alpha = s->garch.alpha,
        .beta = s->garch.beta,
        .gamma = s->garch.gamma,
        .h0 = s->next_variance,
        .first_row = s->first_row,
        .n_windows = s->n_windows,
    };
    if (c.walk)
        *draws = c.split > 1 ? 1 : 0;
    else
        *draws = c.split > 1 ? 3 : 2 * c.days;
    return c;
}
