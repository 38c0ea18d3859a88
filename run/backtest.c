/* The engine's VaR backtest (backtest.h): one refit, one simulation and one replay of the
 * realised prices per forecast day, into buffers allocated once; then the statistics. */
#include "backtest.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "risk/risk.h"

/* The forecast distribution's tail kept per day, strategy and level set for the Z2 null: this
 * many quantiles of the losses beyond the lowest level's VaR. */
#define MCR_Z2_TAIL_POINTS 64
#define MCR_Z2_SEED 0x5a32u

/* The buffers of the whole run, allocated once. */
typedef struct work {
    mcr_data_file d;
    int first;                 /* the file's row of the first forecast day */
    double *ret;               /* the log returns of the file from row first - window */
    double *pnl[MCR_MAX_STRATEGIES], *scratch;
    uint64_t capacity;         /* paths the buffers hold */
    double realised[MCR_MAX_STRATEGIES];
    double path[64];           /* the realised prices S_t .. S_{t+h} (h <= 63) */
    double *tail;              /* [(s * n_days + d) * POINTS]: forecast loss quantiles */
    double tail_from;          /* the lowest level: the tail is the losses beyond its VaR */
    mcr_model prev;            /* the previous day's fitted model: the next refit starts there */
    bool has_prev;
} work;

static void work_free(work *w, int n_strategies)
{
    mcr_data_file_free(&w->d);
    free(w->ret);
    for (int s = 0; s < n_strategies; s++)
        free(w->pnl[s]);
    free(w->scratch);
    free(w->tail);
}

/* The file, the range and the rows it needs: window returns before the first day, h after the
 * last, no gap. */
static mcr_status load_data(const mcr_backtest_options *opt, work *w, int *n_days,
                            mcr_error *err)
{
    const char *col = opt->column ? opt->column : "close";
    mcr_status st = mcr_data_file_load(opt->data, &col, 1, &w->d, err);
    if (st != MCR_OK)
        return st;
    const mcr_data_file *d = &w->d;
    char a[11], b[11];
    mcr_date_format(opt->from, a);
    mcr_date_format(opt->to, b);
    mcr_data_file_range(d, opt->from, opt->to, &w->first, n_days);
    if (*n_days < 2)
        return mcr_fail(err, MCR_ERR_INPUT, "--from %s --to %s: %d day%s of %s in the range; "
                        "allowed: at least 2", a, b, *n_days, *n_days == 1 ? "" : "s", d->path);
    if (w->first < opt->window) {
        mcr_date_format(d->day[0], b);
        return mcr_fail(err, MCR_ERR_INPUT, "--window %d: the first forecast day %s needs %d "
                        "days of %s before it (the file starts %s); allowed: a later --from or a "
                        "shorter --window", opt->window, a, opt->window, d->path, b);
    }
    int last = w->first + *n_days - 1;
    if (last + opt->horizon_days >= d->n_rows) {
        mcr_date_format(d->day[d->n_rows - 1], a);
        return mcr_fail(err, MCR_ERR_INPUT, "--to %s: the last forecast needs %d day%s of %s "
                        "after it (the file ends %s); allowed: an earlier --to", b,
                        opt->horizon_days, opt->horizon_days == 1 ? "" : "s", d->path, a);
    }
    int from_row = w->first - opt->window, rows = last + opt->horizon_days - from_row + 1;
    int gap = mcr_data_file_gap(d, from_row, rows);
    if (gap >= 0) {
        mcr_date_format(d->day[gap - 1], a);
        mcr_date_format(d->day[gap], b);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no data between %s and %s, inside the days the "
                        "backtest needs; allowed: one row a day", d->path, a, b);
    }
    w->ret = malloc((size_t)rows * sizeof *w->ret);
    if (!w->ret)
        return mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory");
    mcr_log_returns(d->col[0] + from_row, rows, w->ret);
    return MCR_OK;
}

/* Day i's config: spot S_t, the horizon in daily steps, the model refitted on the window, the
 * default implied vol following the refitted model. */
static mcr_status day_config(const mcr_config *cfg, const mcr_backtest_options *opt,
                             const work *w, int i, mcr_config *dc, mcr_error *err)
{
    int t = w->first + i;
    const double *S = w->d.col[0];
    *dc = *cfg;
    dc->yaml = NULL;
    dc->horizon_days = opt->horizon_days;
    dc->steps = opt->horizon_days;
    dc->seed = cfg->seed + (uint64_t)i;
    dc->n_scenarios = 1;
    mcr_asset *a = &dc->assets[0];
    a->spot = S[t];
    mcr_model *m = &a->model;
    const mcr_model_kind *k = mcr_model_kind_of(m);
    char where[64], date[11];
    mcr_date_format(w->d.day[t], date);
    snprintf(where, sizeof where, "backtest %s: market.assets[0].model", date);
    mcr_status st;
    const void *warm = w->has_prev && !opt->cold ? mcr_model_params_c(&w->prev) : NULL;
    if (k->attach) { /* the data kinds read the window's prices */
        m->data.start[0] = m->data.end[0] = '\0';
        st = k->attach(mcr_model_params(m), warm, w->d.day[t - opt->window], S + t - opt->window,
                       opt->window + 1, opt->horizon_days, where, err);
    } else {
        st = k->fit(mcr_model_params(m), warm, w->ret + i, opt->window, 1.0 / 365.0, err);
    }
    if (st == MCR_OK)
        st = mcr_model_check(m, where, err);
    if (st == MCR_OK)
        st = mcr_model_step_check(m, 1.0 / 365.0, where, err);
    if (st == MCR_OK && a->implied_vol_from_model)
        a->implied_vol.atm = sqrt(mcr_model_total_variance(m, opt->horizon_days / 365.0));
    return st;
}

/* The forecast's tail losses beyond the lowest level's VaR as MCR_Z2_TAIL_POINTS quantiles. */
static void keep_tail(const double *pnl, uint64_t n, double from, double *scratch, double *q)
{
    int64_t m = (int64_t)ceil((1.0 - from) * (double)n);
    memcpy(scratch, pnl, n * sizeof *scratch);
    mcr_select_smallest(scratch, (int64_t)n, m);
    for (int64_t i = 1; i < m; i++) { /* m is a few hundred: insertion sort, ascending */
        double x = scratch[i];
        int64_t j = i - 1;
        for (; j >= 0 && scratch[j] > x; j--)
            scratch[j + 1] = scratch[j];
        scratch[j + 1] = x;
    }
    for (int k = 0; k < MCR_Z2_TAIL_POINTS; k++) /* worst loss first */
        q[k] = -scratch[(int64_t)((k + 0.5) / MCR_Z2_TAIL_POINTS * m)];
}

/* One forecast day: simulate, take the risk figures, replay the realised prices. */
static mcr_status one_day(const mcr_config *dc, const mcr_backtest_options *opt, work *w, int i,
                          mcr_backtest *b, mcr_error *err)
{
    mcr_field_set out[MCR_MAX_STRATEGIES];
    memset(out, 0, sizeof out);
    for (int s = 0; s < b->n_strategies; s++)
        out[s].at[MCR_FIELD_PNL] = w->pnl[s];
    mcr_sim_options sim = opt->sim;
    sim.replay = NULL;
    uint64_t n = mcr_sim_paths(dc, &sim); /* cfg->paths; historical: its windows */
    if (n < 2 || n > w->capacity)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: %llu paths a day; allowed: 2 to %llu",
                        (unsigned long long)n, (unsigned long long)w->capacity);
    if (i == 0)
        b->paths = n;
    mcr_status st = mcr_simulate(dc, 0, &sim, out, err);
    if (st != MCR_OK)
        return st;
    int t = w->first + i;
    for (int k = 0; k <= opt->horizon_days; k++)
        w->path[k] = w->d.col[0][t + k];
    mcr_replay rp = {.paths = 1};
    rp.price[0] = w->path;
    sim.replay = &rp;
    for (int s = 0; s < b->n_strategies; s++)
        out[s].at[MCR_FIELD_PNL] = &w->realised[s];
    if ((st = mcr_simulate(dc, 0, &sim, out, err)) != MCR_OK)
        return st;
    for (int s = 0; s < b->n_strategies; s++) {
        mcr_summary sum;
        mcr_risk_summarize(w->pnl[s], n, b->levels, b->n_levels, w->scratch, &sum);
        b->realised[(size_t)s * b->n_days + i] = w->realised[s];
        for (int l = 0; l < b->n_levels; l++) {
            size_t at = ((size_t)s * b->n_levels + l) * b->n_days + i;
            b->var[at] = sum.risk[l].var;
            b->es[at] = sum.risk[l].cvar;
            b->hit[at] = -w->realised[s] > sum.risk[l].var;
        }
        keep_tail(w->pnl[s], n, w->tail_from, w->scratch,
                  w->tail + ((size_t)s * b->n_days + i) * MCR_Z2_TAIL_POINTS);
    }
    return MCR_OK;
}

/* A day's loss under the null: a draw from its forecast distribution; only the tail beyond the
 * lowest level's VaR matters to Z2, so a draw outside it returns a loss below any VaR. */
typedef struct z2_ctx {
    const double *tail; /* one strategy's [day][POINTS] */
    const double *var;  /* its VaR at the tested level, [day] */
    double from;
} z2_ctx;

static double z2_draw(int t, mcr_pcg32 *g, void *ctx)
{
    const z2_ctx *c = ctx;
    double u = ((double)mcr_pcg32_next(g) + 0.5) * 0x1p-32;
    if (u < c->from)
        return c->var[t] - fabs(c->var[t]) - 1.0;
    int k = (int)((1.0 - u) / (1.0 - c->from) * MCR_Z2_TAIL_POINTS);
    return c->tail[(size_t)t * MCR_Z2_TAIL_POINTS + (k < MCR_Z2_TAIL_POINTS ? k : MCR_Z2_TAIL_POINTS - 1)];
}

static mcr_status statistics(mcr_backtest *b, const work *w, const mcr_backtest_options *opt,
                             mcr_error *err)
{
    for (int s = 0; s < b->n_strategies; s++)
        for (int l = 0; l < b->n_levels; l++) {
            size_t at = ((size_t)s * b->n_levels + l) * b->n_days;
            mcr_backtest_stats *x = &b->stats[s * b->n_levels + l];
            double level = b->levels[l], *loss = malloc((size_t)b->n_days * sizeof *loss);
            if (!loss)
                return mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory");
            mcr_status st = mcr_coverage_tests(b->hit + at, b->n_days, level, &x->coverage, err);
            if (st != MCR_OK) {
                free(loss);
                return st;
            }
            x->zone_all = mcr_basel_zone_of(x->coverage.exceptions, b->n_days, level, NULL);
            int last = b->n_days < MCR_BASEL_DAYS ? b->n_days : MCR_BASEL_DAYS;
            x->exceptions_last = 0;
            for (int d = b->n_days - last; d < b->n_days; d++)
                x->exceptions_last += b->hit[at + d];
            x->zone_last = mcr_basel_zone_of(x->exceptions_last, last, level, NULL);
            memset(x->windows, 0, sizeof x->windows);
            for (int d0 = 0; d0 + MCR_BASEL_DAYS <= b->n_days; d0 += MCR_BASEL_DAYS) {
                int e = 0;
                for (int d = d0; d < d0 + MCR_BASEL_DAYS; d++)
                    e += b->hit[at + d];
                x->windows[mcr_basel_zone_of(e, MCR_BASEL_DAYS, level, NULL)]++;
            }
            for (int d = 0; d < b->n_days; d++)
                loss[d] = -b->realised[(size_t)s * b->n_days + d];
            x->z2 = mcr_as_z2(loss, b->var + at, b->es + at, b->n_days, level);
            z2_ctx zc = {.tail = w->tail + (size_t)s * b->n_days * MCR_Z2_TAIL_POINTS,
                         .var = b->var + at, .from = w->tail_from};
            x->p_z2 = opt->z2_sims > 0
                          ? mcr_as_z2_pvalue(x->z2, b->var + at, b->es + at, b->n_days, level,
                                             z2_draw, &zc, opt->z2_sims, MCR_Z2_SEED)
                          : NAN;
            free(loss);
        }
    return MCR_OK;
}

static mcr_status allocate(const mcr_config *cfg, mcr_backtest *b, work *w, mcr_error *err)
{
    size_t nd = (size_t)b->n_days, ns = (size_t)b->n_strategies, nl = (size_t)b->n_levels;
    b->day = malloc(nd * sizeof *b->day);
    b->spot = malloc(nd * sizeof *b->spot);
    b->realised = malloc(ns * nd * sizeof *b->realised);
    b->var = malloc(ns * nl * nd * sizeof *b->var);
    b->es = malloc(ns * nl * nd * sizeof *b->es);
    b->hit = malloc(ns * nl * nd);
    b->stats = calloc(ns * nl, sizeof *b->stats);
    w->scratch = malloc(w->capacity * sizeof *w->scratch);
    w->tail = malloc(ns * nd * MCR_Z2_TAIL_POINTS * sizeof *w->tail);
    bool ok = b->day && b->spot && b->realised && b->var && b->es && b->hit && b->stats &&
              w->scratch && w->tail;
    for (int s = 0; s < cfg->n_strategies; s++)
        ok = (w->pnl[s] = malloc(w->capacity * sizeof(double))) && ok;
    return ok ? MCR_OK : mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory for %d days",
                                  b->n_days);
}

static void progress(const mcr_backtest_options *opt, const mcr_backtest *b, int i, double t0,
                     bool *shown)
{
    if (opt->quiet || (i + 1) % 100 != 0)
        return;
    *shown = true;
    double el = omp_get_wtime() - t0;
    fprintf(stderr, "\rbacktest: day %d of %d, %.0f s, about %.0f s left ", i + 1, b->n_days, el,
            el / (i + 1) * (b->n_days - i - 1));
}

mcr_status mcr_backtest_run(const mcr_config *cfg, const mcr_backtest_options *opt,
                            mcr_backtest *b, mcr_error *err)
{
    memset(b, 0, sizeof *b);
    work w;
    memset(&w, 0, sizeof w);
    const mcr_model *m = &cfg->assets[0].model;
    const mcr_model_kind *k = mcr_model_kind_of(m);
    if (cfg->n_assets != 1)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: the config has %d assets; allowed: one, "
                        "the data file's", cfg->n_assets);
    if (!k->attach && !k->fit)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: market.assets[0].model.type %s cannot be "
                        "refitted to the data; allowed: gbm, merton, kou, bootstrap, historical, "
                        "fhs", k->spec.name);
    if (opt->horizon_days < 1 || opt->horizon_days > 63 || opt->window < 2)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: --horizon-days must be in [1, 63] and "
                        "--window >= 2");
    mcr_status st = load_data(opt, &w, &b->n_days, err);
    b->n_strategies = cfg->n_strategies;
    b->n_levels = cfg->n_levels;
    memcpy(b->levels, cfg->levels, sizeof b->levels);
    for (int s = 0; s < cfg->n_strategies; s++)
        snprintf(b->strategy[s], sizeof b->strategy[s], "%s", cfg->strategies[s].name);
    snprintf(b->model, sizeof b->model, "%s", k->spec.name);
    snprintf(b->data, sizeof b->data, "%s", opt->data);
    snprintf(b->column, sizeof b->column, "%s", opt->column ? opt->column : "close");
    snprintf(b->isa, sizeof b->isa, "%s", opt->sim.kernels->name);
    b->seed = cfg->seed;
    b->horizon_days = opt->horizon_days;
    b->window = opt->window;
    b->cold = opt->cold;
    w.capacity = cfg->paths > (uint64_t)opt->window + 1 ? cfg->paths : (uint64_t)opt->window + 1;
    w.tail_from = cfg->levels[0];
    if (st == MCR_OK)
        st = allocate(cfg, b, &w, err);
    double t0 = omp_get_wtime();
    bool shown = false;
    for (int i = 0; st == MCR_OK && i < b->n_days; i++) {
        mcr_config dc;
        double f0 = omp_get_wtime();
        st = day_config(cfg, opt, &w, i, &dc, err);
        w.prev = dc.assets[0].model;
        w.has_prev = st == MCR_OK;
        double f1 = omp_get_wtime();
        b->fit_seconds += f1 - f0;
        if (st == MCR_OK)
            st = one_day(&dc, opt, &w, i, b, err);
        b->sim_seconds += omp_get_wtime() - f1;
        b->day[i] = w.d.day[w.first + i];
        b->spot[i] = w.d.col[0][w.first + i];
        progress(opt, b, i, t0, &shown);
    }
    if (shown) /* the progress line ends before any message */
        fputc('\n', stderr);
    if (st == MCR_OK)
        st = statistics(b, &w, opt, err);
    b->seconds = omp_get_wtime() - t0;
    work_free(&w, cfg->n_strategies);
    if (st != MCR_OK)
        mcr_backtest_free(b);
    return st;
}
