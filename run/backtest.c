/* The engine's VaR backtest (backtest.h): one refit, one simulation and one replay of the
 * realised prices per forecast day, into buffers allocated once; then the statistics. */
#include "backtest.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "models/correlation.h"
#include "risk/risk.h"

/* The forecast distribution's tail kept per day, strategy and level set for the Z2 null: this
 * many quantiles of the losses beyond the lowest level's VaR. */
#define MCR_Z2_TAIL_POINTS 64
#define MCR_Z2_SEED 0x5a32u

/* The buffers of the whole run, allocated once. */
typedef struct work {
    mcr_data_file d;           /* col[a]: asset a's prices on the days every file has */
    int n_assets;
    int first;                 /* the file's row of the first forecast day */
    double *ret[MCR_MAX_SIM_ASSETS]; /* each asset's log returns from row first - window */
    double *pnl[MCR_MAX_STRATEGIES], *scratch;
    uint64_t capacity;         /* paths the buffers hold */
    double realised[MCR_MAX_STRATEGIES];
    double path[MCR_MAX_SIM_ASSETS][64]; /* the realised prices S_t .. S_{t+h} (h <= 63) */
    double *tail;              /* [(s * n_days + d) * POINTS]: forecast loss quantiles */
    double tail_from;          /* the lowest level: the tail is the losses beyond its VaR */
    mcr_model prev[MCR_MAX_SIM_ASSETS]; /* the previous day's fits: the next refits start there */
    bool has_prev;
    mcr_sim_work *pool; /* the simulation's per-thread workspaces, for every day */
} work;

static void work_free(work *w, int n_strategies)
{
    mcr_data_file_free(&w->d);
    for (int a = 0; a < w->n_assets; a++)
        free(w->ret[a]);
    for (int s = 0; s < n_strategies; s++)
        free(w->pnl[s]);
    free(w->scratch);
    free(w->tail);
    mcr_sim_work_free(w->pool);
}

/* Item k of a comma-separated list (the last one when the list is shorter). */
static void item(const char *list, int k, char *out, size_t size)
{
    const char *p = list, *comma;
    for (; k > 0 && (comma = strchr(p, ',')); k--)
        p = comma + 1;
    comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static int count_items(const char *list)
{
    int n = 1;
    for (const char *p = list; (p = strchr(p, ',')); p++)
        n++;
    return n;
}

/* Every asset's prices, each from its file and column (--data, --column: one for all assets or
 * one per asset, in market.assets' order), aligned on the dates all files have: w->d holds one
 * column per asset (one file and column: that file as read). */
static mcr_status load_prices(const mcr_backtest_options *opt, int n, work *w, mcr_error *err)
{
    const char *columns = opt->column ? opt->column : "close";
    int nf = count_items(opt->data), nc = count_items(columns);
    if ((nf != 1 && nf != n) || (nc != 1 && nc != n) || (n > 1 && nf == 1 && nc == 1))
        return mcr_fail(err, MCR_ERR_INPUT, "--data %s --column %s: %d file%s and %d column%s "
                        "for %d asset%s; allowed: one file and column, or for several assets "
                        "one file per asset (--data A.csv,B.csv) or one column per asset "
                        "(--column A,B), in market.assets' order", opt->data, columns, nf,
                        nf == 1 ? "" : "s", nc, nc == 1 ? "" : "s", n, n == 1 ? "" : "s");
    mcr_data_file f[MCR_MAX_SIM_ASSETS];
    memset(f, 0, sizeof f);
    mcr_status st = MCR_OK;
    for (int a = 0; a < n && st == MCR_OK; a++) {
        char file[MCR_PATH_MAX], col[MCR_DATA_MAX_NAME];
        item(opt->data, a, file, sizeof file);
        item(columns, a, col, sizeof col);
        const char *c = col;
        st = mcr_data_file_load(file, &c, 1, &f[a], err);
    }
    if (st != MCR_OK || n == 1) {
        for (int a = 1; a < n; a++)
            mcr_data_file_free(&f[a]);
        w->d = f[0]; /* freed by work_free */
        return st;
    }
    const mcr_data_file *fp[MCR_MAX_SIM_ASSETS];
    int *rows[MCR_MAX_SIM_ASSETS] = {0};
    for (int a = 0; a < n; a++)
        fp[a] = &f[a];
    mcr_data_file *d = &w->d;
    st = mcr_data_align(fp, n, &d->day, &d->n_rows, rows, err);
    d->col = calloc((size_t)n, sizeof *d->col);
    d->names = calloc((size_t)n, sizeof *d->names);
    if (st == MCR_OK && !(d->col && d->names))
        st = mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory");
    for (int a = 0; st == MCR_OK && a < n; a++, d->n_cols = a) {
        if (!(d->col[a] = malloc((size_t)d->n_rows * sizeof **d->col)))
            st = mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory");
        for (int k = 0; st == MCR_OK && k < d->n_rows; k++)
            d->col[a][k] = f[a].col[0][rows[a][k]];
        snprintf(d->names[a], sizeof d->names[a], "%s", f[a].names[0]);
    }
    snprintf(d->path, sizeof d->path, "%s (the dates every file has)", opt->data);
    for (int a = 0; a < n; a++) {
        free(rows[a]);
        mcr_data_file_free(&f[a]);
    }
    return st;
}

/* The files, the range and the rows it needs: window returns before the first day, h after the
 * last, no gap. */
static mcr_status load_data(const mcr_backtest_options *opt, work *w, int *n_days,
                            mcr_error *err)
{
    mcr_status st = load_prices(opt, w->n_assets, w, err);
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
    for (int k = 0; k < w->n_assets; k++) {
        if (!(w->ret[k] = malloc((size_t)rows * sizeof *w->ret[k])))
            return mcr_fail(err, MCR_ERR_NOMEM, "backtest: out of memory");
        mcr_log_returns(d->col[k] + from_row, rows, w->ret[k]);
    }
    return MCR_OK;
}

/* Several assets: the correlation of the shocks of those whose models take one (not data
 * models, not pegged) refitted on day i's window of daily log returns, for the market and the
 * simulated scenario, and recorded. */
static mcr_status day_correlation(const work *w, int i, int window, mcr_config *dc,
                                  double *record, mcr_error *err)
{
    const double *r[MCR_MAX_SIM_ASSETS];
    bool use[MCR_MAX_SIM_ASSETS];
    int n = w->n_assets;
    for (int a = 0; a < n; a++) {
        r[a] = w->ret[a] + i;
        use[a] = !mcr_model_has_data(&dc->assets[a].model) && !dc->assets[a].peg.on;
    }
    mcr_correlation_fit(r, n, use, window, &dc->correlation[0][0], MCR_MAX_ASSETS);
    char where[64], date[11];
    mcr_date_format(w->d.day[w->first + i], date);
    snprintf(where, sizeof where, "backtest %s: the refitted correlation", date);
    mcr_status st = mcr_correlation_cholesky(&dc->correlation[0][0], n, MCR_MAX_ASSETS,
                                             &dc->cholesky[0][0], where, err);
    memcpy(dc->scenarios[0].correlation, dc->correlation, sizeof dc->correlation);
    memcpy(dc->scenarios[0].cholesky, dc->cholesky, sizeof dc->cholesky);
    for (int a = 0; a < n; a++)
        for (int j = 0; j < n; j++)
            record[a * n + j] = dc->correlation[a][j];
    return st;
}

/* Day i's config: every asset's spot S_t and model refitted on its window, the correlation of
 * several assets' shocks too (day_correlation), the horizon in daily steps, the default implied
 * vol following the refitted model. */
static mcr_status day_config(const mcr_config *cfg, const mcr_backtest_options *opt,
                             const work *w, int i, mcr_config *dc, mcr_backtest *b,
                             mcr_error *err)
{
    int t = w->first + i;
    *dc = *cfg;
    dc->yaml = NULL;
    dc->horizon_days = opt->horizon_days;
    dc->steps = opt->horizon_days;
    dc->seed = cfg->seed + (uint64_t)i;
    dc->n_scenarios = 1;
    mcr_status st = MCR_OK;
    for (int j = 0; j < w->n_assets && st == MCR_OK; j++) {
        const double *S = w->d.col[j];
        mcr_asset *a = &dc->assets[j];
        a->spot = S[t];
        mcr_model *m = &a->model;
        const mcr_model_kind *k = mcr_model_kind_of(m);
        char where[64], date[11];
        mcr_date_format(w->d.day[t], date);
        snprintf(where, sizeof where, "backtest %s: market.assets[%d].model", date, j);
        const void *warm = w->has_prev && !opt->cold ? mcr_model_params_c(&w->prev[j]) : NULL;
        if (k->attach) { /* the data kinds read the window's prices */
            m->data.start[0] = m->data.end[0] = '\0';
            st = k->attach(mcr_model_params(m), warm, w->d.day[t - opt->window],
                           S + t - opt->window, opt->window + 1, opt->horizon_days, where, err);
        } else {
            st = k->fit(mcr_model_params(m), warm, w->ret[j] + i, opt->window, 1.0 / 365.0, err);
        }
        if (st == MCR_OK)
            st = mcr_model_check(m, where, err);
        if (st == MCR_OK)
            st = mcr_model_step_check(m, 1.0 / 365.0, where, err);
        if (st == MCR_OK && a->implied_vol_from_model)
            a->implied_vol.atm = sqrt(mcr_model_total_variance(m, opt->horizon_days / 365.0));
    }
    if (st == MCR_OK && b->correlation)
        st = day_correlation(w, i, opt->window, dc,
                             b->correlation + (size_t)i * w->n_assets * w->n_assets, err);
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
    sim.work = w->pool;
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
    mcr_replay rp = {.paths = 1};
    for (int a = 0; a < w->n_assets; a++) {
        for (int k = 0; k <= opt->horizon_days; k++)
            w->path[a][k] = w->d.col[a][t + k];
        rp.price[a] = w->path[a];
    }
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
    w->pool = mcr_sim_work_new();
    b->n_assets = w->n_assets;
    if (w->n_assets > 1)
        b->correlation = malloc(nd * (size_t)(w->n_assets * w->n_assets) * sizeof(double));
    bool ok = b->day && b->spot && b->realised && b->var && b->es && b->hit && b->stats &&
              w->scratch && w->tail && w->pool && (w->n_assets == 1 || b->correlation);
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
    for (int a = 0; a < cfg->n_assets; a++) {
        const mcr_model_kind *k = mcr_model_kind_of(&cfg->assets[a].model);
        if (!k->attach && !k->fit)
            return mcr_fail(err, MCR_ERR_INPUT, "backtest: market.assets[%d].model.type %s "
                            "cannot be refitted to the data; allowed: gbm, merton, kou, "
                            "bootstrap, historical, fhs", a, k->spec.name);
        size_t n = strlen(b->model); /* the kinds, "gbm" or "gbm+bootstrap" */
        if (!strstr(b->model, k->spec.name))
            snprintf(b->model + n, sizeof b->model - n, "%s%s", n ? "+" : "", k->spec.name);
    }
    if (cfg->scenarios[0].n_models)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: scenarios[0] (%s) has models of its own; "
                        "the backtest refits market.assets' models in the first scenario; "
                        "allowed: a first scenario without models", cfg->scenarios[0].name);
    w.n_assets = cfg->n_assets;
    if (opt->horizon_days < 1 || opt->horizon_days > 63 || opt->window < 2)
        return mcr_fail(err, MCR_ERR_INPUT, "backtest: --horizon-days must be in [1, 63] and "
                        "--window >= 2");
    mcr_status st = load_data(opt, &w, &b->n_days, err);
    b->n_strategies = cfg->n_strategies;
    b->n_levels = cfg->n_levels;
    memcpy(b->levels, cfg->levels, sizeof b->levels);
    for (int s = 0; s < cfg->n_strategies; s++)
        snprintf(b->strategy[s], sizeof b->strategy[s], "%s", cfg->strategies[s].name);
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
        st = day_config(cfg, opt, &w, i, &dc, b, err);
        for (int a = 0; a < w.n_assets; a++)
            w.prev[a] = dc.assets[a].model;
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
