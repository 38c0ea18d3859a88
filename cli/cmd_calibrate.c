/* `mcrisk calibrate` (cmd_calibrate.h): loads one price column, takes the daily log returns of
 * the window ending at --end, fits the chosen model and prints the estimates and a config block.
 * One table row per model. */
#include "cmd_calibrate.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "models/fit_garch.h"
#include "models/fit_gbm.h"
#include "models/fit_kou.h"
#include "models/fit_merton.h"
#include "models/fit_surface.h"

static const char usage[] =
    "usage: mcrisk calibrate DATA.csv --model gbm|merton|kou|garch|gjr [--window DAYS]\n"
    "                        [--end YYYY-MM-DD] [--column NAME]\n"
    "       mcrisk calibrate CHAIN.csv --surface --spot S [--rate R]\n"
    "Fits the model by maximum likelihood to the daily log returns of one price column\n"
    "(default: close) over the last DAYS returns up to --end (default: every row), and prints\n"
    "estimates with standard errors, log-likelihood, AIC, BIC and a config model block.\n"
    "--surface fits implied_vol {atm or term, skew, smile} to an option chain with columns\n"
    "strike, expiry_days, implied_vol by least squares (forward S e^{R T}, R default 0).\n";

#define DT (1.0 / MCR_FIT_DAYS_PER_YEAR)

typedef struct calib {
    const char *data;        /* the file as given */
    const char *column;      /* the price column */
    char start[11], end[11]; /* the window's first and last price dates */
    mcr_fit_result fit;
    mcr_garch_fit garch;
} calib;

typedef struct calib_model {
    const char *name;
    const char *method;      /* one line: what was maximised */
    const char *units;       /* the units of the estimates */
    mcr_status (*fit)(const double *r, int n, calib *c, mcr_error *err);
    void (*block)(FILE *out, const calib *c);
} calib_model;

static mcr_status fit_gbm(const double *r, int n, calib *c, mcr_error *err)
{
    return mcr_fit_gbm(r, n, DT, &c->fit, err);
}

static mcr_status fit_merton(const double *r, int n, calib *c, mcr_error *err)
{
    return mcr_fit_merton(r, n, DT, &c->fit, err);
}

static mcr_status fit_kou(const double *r, int n, calib *c, mcr_error *err)
{
    return mcr_fit_kou(r, n, DT, &c->fit, err);
}

static mcr_status fit_garch_kind(const double *r, int n, calib *c, mcr_garch_kind k,
                                 mcr_error *err)
{
    mcr_status st = mcr_fit_garch(r, n, k, &c->garch, err);
    if (st == MCR_OK)
        c->fit = c->garch.fit;
    return st;
}

static mcr_status fit_garch(const double *r, int n, calib *c, mcr_error *err)
{
    return fit_garch_kind(r, n, c, MCR_GARCH, err);
}

static mcr_status fit_gjr(const double *r, int n, calib *c, mcr_error *err)
{
    return fit_garch_kind(r, n, c, MCR_GJR, err);
}

/* model: {type: T, key: value, ...} with the fit's names, 6 significant digits */
static void block_flow(FILE *out, const calib *c, const char *type)
{
    fprintf(out, "model: {type: %s", type);
    for (int i = 0; i < c->fit.n_par; i++)
        fprintf(out, ", %s: %.6g", c->fit.names[i], c->fit.x[i]);
    fprintf(out, "}\n");
}

static void block_gbm(FILE *out, const calib *c) { block_flow(out, c, "gbm"); }
static void block_merton(FILE *out, const calib *c) { block_flow(out, c, "merton"); }
static void block_kou(FILE *out, const calib *c) { block_flow(out, c, "kou"); }

/* Filtered historical simulation refits the GARCH on the file itself, on the same window and so
 * to the same estimates; they are shown as a comment for the record. */
static void block_garch(FILE *out, const calib *c)
{
    const mcr_garch_fit *g = &c->garch;
    fprintf(out, "# fitted (daily): mu %.6g, omega %.6g, alpha %.6g, beta %.6g", g->model.mu,
            g->model.omega, g->model.alpha, g->model.beta);
    if (c->fit.n_par == 5)
        fprintf(out, ", gamma %.6g", g->model.gamma);
    fprintf(out, "\n# persistence %.6g, long-run vol %.4g per year, next-day vol %.4g per year\n",
            g->persistence, g->long_run_vol, sqrt(g->next_variance * MCR_FIT_DAYS_PER_YEAR));
    fprintf(out, "model: {type: fhs, data: %s, column: %s, start: %s, end: %s%s}\n", c->data,
            c->column, c->start, c->end, c->fit.n_par == 5 ? ", variance: gjr" : "");
}

static const calib_model models[] = {
    {"gbm", "closed-form maximum likelihood (sample mean and standard deviation, divisor n)",
     "per year", fit_gbm, block_gbm},
    {"merton", "exact maximum likelihood: Poisson mixture of normals", "per year", fit_merton,
     block_merton},
    {"kou", "exact maximum likelihood: Poisson mixture, Kou's Hh-function density", "per year",
     fit_kou, block_kou},
    {"garch", "Gaussian quasi-maximum likelihood, GARCH(1,1), h_1 = sample variance",
     "per day, one row", fit_garch, block_garch},
    {"gjr", "Gaussian quasi-maximum likelihood, GJR-GARCH(1,1), h_1 = sample variance",
     "per day, one row", fit_gjr, block_garch},
};

static const calib_model *model_named(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof *models; i++)
        if (!strcmp(models[i].name, name))
            return &models[i];
    return NULL;
}

static int bad(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "mcrisk: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 2;
}

static int fail(const mcr_error *err)
{
    fprintf(stderr, "mcrisk: %s\n", err->msg);
    return mcr_exit_code(err->status);
}

/* The price column: --column, else close, else the only column. */
static mcr_status load(const char *path, const char *column, mcr_data_file *d, mcr_error *err)
{
    const char *cols[1] = {column ? column : "close"};
    mcr_status st = mcr_data_file_load(path, cols, 1, d, err);
    if (st == MCR_OK || column || !strstr(err->msg, "no column 'close'"))
        return st;
    st = mcr_data_file_load(path, NULL, 0, d, err);
    if (st == MCR_OK && d->n_cols > 1) {
        char list[512] = "";
        for (int j = 0; j < d->n_cols && strlen(list) + strlen(d->names[j]) + 3 < sizeof list; j++)
            strcat(strcat(list, j ? ", " : ""), d->names[j]);
        mcr_data_file_free(d);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no 'close' column; choose one with --column "
                        "(columns: %s)", path, list);
    }
    return st;
}

/* A positive finite number. */
static bool parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = s && *s ? strtod(s, &end) : NAN;
    return s && *s && !errno && !*end && isfinite(*v);
}

static int calibrate_surface(const char *path, const char *spot_s, const char *rate_s)
{
    double spot, rate = 0.0;
    if (!spot_s)
        return bad("--surface needs --spot S, the underlying's price that the strikes refer "
                   "to%s%s", "", "");
    if (!parse_number(spot_s, &spot) || !(spot > 0))
        return bad("--spot: expected a number > 0 (got '%s')%s", spot_s, "");
    if (rate_s && (!parse_number(rate_s, &rate) || fabs(rate) > 1))
        return bad("--rate: expected a number in [-1, 1] (got '%s')%s", rate_s, "");
    static const char *const cols[3] = {"strike", "expiry_days", "implied_vol"};
    mcr_data_file d;
    mcr_error err = {0};
    if (mcr_table_load(path, cols, 3, &d, &err) != MCR_OK)
        return fail(&err);
    mcr_option_quote *q = malloc(sizeof *q * (size_t)d.n_rows);
    if (!q) {
        mcr_data_file_free(&d);
        fprintf(stderr, "mcrisk: out of memory\n");
        return 1;
    }
    for (int i = 0; i < d.n_rows; i++)
        q[i] = (mcr_option_quote){d.col[0][i], d.col[1][i], d.col[2][i]};
    mcr_surface_fit f;
    mcr_status st = mcr_fit_vol_surface(q, d.n_rows, spot, rate, &f, &err);
    free(q);
    mcr_data_file_free(&d);
    if (st != MCR_OK) {
        /* name the file: the fit's messages name the quote, not where it came from */
        fprintf(stderr, "mcrisk: %s: %s\n", path, err.msg);
        return mcr_exit_code(st);
    }
    const mcr_vol_surface *s = &f.surface;
    printf("chain:  %s, %d quotes over %d expiries, spot %g, rate %g (forward S e^{rate T})\n",
           path, f.n_quotes, f.n_expiries, spot, rate);
    printf("model:  implied_vol = atm(T) + skew x + smile x^2, x = ln(K/F)/sqrt(T); least "
           "squares\n\n%-16s %14s %14s\n", "parameter", "estimate", "std error");
    char name[32];
    for (int e = 0; e < (s->n_term ? s->n_term : 1); e++) {
        if (s->n_term)
            snprintf(name, sizeof name, "atm %gd", s->term[e].days);
        printf("%-16s %14.6g %14.4g\n", s->n_term ? name : "atm",
               s->n_term ? s->term[e].atm : s->atm, f.se_atm[e]);
    }
    printf("%-16s %14.6g %14.4g\n", "skew", s->skew, f.se_skew);
    if (f.smile_at_zero)
        printf("%-16s %14.6g %14s   (held at 0: the fit wanted a negative smile)\n", "smile",
               0.0, "n/a");
    else
        printf("%-16s %14.6g %14.4g\n", "smile", s->smile, f.se_smile);
    printf("\nrms residual    %.4g vol points\n", 100 * f.rmse);
    printf("\n# paste under market.assets[i]:\n");
    if (!s->n_term) {
        printf("implied_vol: {atm: %.6g, skew: %.6g, smile: %.6g}\n", s->atm, s->skew, s->smile);
        return 0;
    }
    printf("implied_vol:\n  skew: %.6g\n  smile: %.6g\n  term: [", s->skew, s->smile);
    for (int e = 0; e < s->n_term; e++)
        printf("%s{days: %g, atm: %.6g}", e ? ", " : "", s->term[e].days, s->term[e].atm);
    printf("]\n");
    return 0;
}

int mcr_cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, 0, 'm'},
                                         {"window", required_argument, 0, 'w'},
                                         {"end", required_argument, 0, 'e'},
                                         {"column", required_argument, 0, 'c'},
                                         {"surface", no_argument, 0, 's'},
                                         {"spot", required_argument, 0, 'S'},
                                         {"rate", required_argument, 0, 'r'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *model_name = NULL, *window_s = NULL, *end_s = NULL, *column = NULL;
    const char *spot_s = NULL, *rate_s = NULL;
    bool surface = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'm': model_name = optarg; break;
        case 'w': window_s = optarg; break;
        case 'e': end_s = optarg; break;
        case 'c': column = optarg; break;
        case 's': surface = true; break;
        case 'S': spot_s = optarg; break;
        case 'r': rate_s = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (argc - optind != 1)
        return bad("calibrate takes one data file (got %s); see mcrisk calibrate --help%s",
                   argc - optind ? "several" : "none", "");
    if (surface && (model_name || window_s || end_s || column))
        return bad("--surface fits an option chain: --model, --window, --end and --column do "
                   "not apply%s%s", "", "");
    if (!surface && (spot_s || rate_s))
        return bad("--spot and --rate apply to --surface only%s%s", "", "");
    if (surface)
        return calibrate_surface(argv[optind], spot_s, rate_s);
    if (!model_name)
        return bad("calibrate: --model is required; allowed: gbm, merton, kou, garch, gjr%s%s",
                   "", "");
    const calib_model *model = model_named(model_name);
    if (!model)
        return bad("--model: unknown model '%s'; allowed: gbm, merton, kou, garch, gjr%s",
                   model_name, "");
    long window = 0;
    if (window_s) {
        char *end;
        errno = 0;
        window = strtol(window_s, &end, 10);
        if (errno || *end || !*window_s || window < 2 || window > 10000000)
            return bad("--window: expected a whole number of days >= 2 (got '%s')%s", window_s,
                       "");
    }
    int32_t end_day = INT32_MAX;
    if (end_s && !mcr_date_parse(end_s, &end_day))
        return bad("--end: expected a date YYYY-MM-DD (got '%s')%s", end_s, "");

    const char *path = argv[optind];
    mcr_data_file d;
    mcr_error err = {0};
    if (load(path, column, &d, &err) != MCR_OK)
        return fail(&err);
    int last = mcr_data_file_row_at_or_before(&d, end_day);
    char a[11], b[11];
    if (last < 1) {
        mcr_date_format(d.day[0], a);
        mcr_data_file_free(&d);
        return bad("--end: %s is before the file's second row (%s)", end_s, a);
    }
    int n = window ? (int)window : last; /* returns */
    if (n > last) {
        mcr_date_format(d.day[last], a);
        mcr_data_file_free(&d);
        fprintf(stderr, "mcrisk: --window: %d returns need %d rows up to %s; %s has %d\n", n,
                n + 1, a, path, last + 1);
        return 2;
    }
    int first = last - n;
    int gap = mcr_data_file_gap(&d, first, n + 1);
    if (gap >= 0) {
        mcr_date_format(d.day[gap - 1], a);
        mcr_date_format(d.day[gap], b);
        fprintf(stderr, "mcrisk: %s: %s follows %s: calibration needs consecutive daily rows "
                "(shorten --window or move --end)\n", path, b, a);
        mcr_data_file_free(&d);
        return 2;
    }
    double *r = malloc(sizeof(double) * (size_t)n);
    if (!r) {
        mcr_data_file_free(&d);
        fprintf(stderr, "mcrisk: out of memory\n");
        return 1;
    }
    mcr_log_returns(d.col[0] + first, n + 1, r);
    calib cal = {.data = path, .column = d.names[0]};
    mcr_date_format(d.day[first], cal.start);
    mcr_date_format(d.day[last], cal.end);
    mcr_status st = model->fit(r, n, &cal, &err);
    if (st != MCR_OK) {
        free(r);
        mcr_data_file_free(&d);
        return fail(&err);
    }
    const mcr_fit_result *f = &cal.fit;
    mcr_date_format(d.day[first], a);
    mcr_date_format(d.day[last], b);
    printf("data:   %s, column %s, %s to %s (%d daily log returns, dt = 1/365 year)\n", path,
           d.names[0], a, b, n);
    printf("model:  %s, %s\n", model->name, model->method);
    if (f->jump_terms)
        printf("        jump counts 0..%d kept; truncation error <= %.1e of any fitted density "
               "value\n", f->jump_terms, f->truncation_bound);
    printf("\n%-16s %14s %14s   (%s)\n", "parameter", "estimate", "std error", model->units);
    for (int i = 0; i < f->n_par; i++) {
        if (f->has_se)
            printf("%-16s %14.6g %14.4g\n", f->names[i], f->x[i], f->se[i]);
        else
            printf("%-16s %14.6g %14s\n", f->names[i], f->x[i], "n/a");
    }
    if (!f->has_se)
        printf("(no standard errors: the Hessian is not positive definite at the optimum, which "
               "is at or near a boundary)\n");
    printf("\nlog-likelihood  %.6f\nAIC             %.6f\nBIC             %.6f\n", f->loglik,
           f->aic, f->bic);
    printf("\n# paste under market.assets[i]:\n");
    model->block(stdout, &cal);
    mcr_garch_fit_free(&cal.garch);
    free(r);
    mcr_data_file_free(&d);
    return 0;
}
