/* What the three data-driven model kinds share (historical.c, bootstrap.c, fhs.c): their
 * parameter struct, the daily series they draw from, the per-step constants of their kernel, and
 * the model-kind operations that do not depend on the kind. The config loader reads the file
 * (config/data_sources.c: every data asset aligned on the dates they share) and hands the prices
 * to mcr_data_model_attach, which keeps what the kind needs in a series that lives until the
 * process ends; after that the model is read-only and every copy of it (scenario views, per-rank
 * configs) points at the same series. Pure math: no I/O here.
 *
 * One row of the data is one day (crypto trades every calendar day): a daily log return is
 * r_i = ln(P[i+1] / P[i]), and a time step of the horizon must be a whole number of days or a day
 * split into a whole number of steps (a Brownian bridge between the day's ends; README, "Real
 * data"). */
#ifndef MCR_DATA_MODEL_H
#define MCR_DATA_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "black_scholes.h"
#include "cf_pricer.h"
#include "fit_garch.h"
#include "core/keys.h"
#include "core/status.h"

#define MCR_DATA_NAME_MAX 1024
#define MCR_DATA_COLUMN_MAX 64
#define MCR_DATA_DATE_MAX 16

/* The series one data model draws from, built once by mcr_data_model_attach. */
typedef struct mcr_series {
    int n;              /* daily log returns (fhs: standardised residuals) drawn from */
    const double *ret;  /* [n]: ret[i] = ln(P[i+1] / P[i]); fhs: z_i = (r_i - mu) / sqrt(h_i) */
    int32_t first_day;  /* the day of P[0] (days since 1970-01-01) */
    double mean, sd;    /* of the returns, divisor n (fhs: of the returns, not of z) */
    /* historical: path p starts at price row first_row + p mod n_windows, and walks on */
    int first_row, n_windows;
    /* fhs: the daily GARCH or GJR fitted by maximum likelihood to the returns */
    mcr_garch garch;
    double next_variance; /* h_{n+1}: the variance of the first simulated day */
    double persistence;   /* alpha + beta + gamma / 2 */
    double loglik;
} mcr_series;

/* The parameters of every data kind: each kind's key rows fill the members it has. */
typedef struct mcr_data_model {
    double mu;          /* not a key: the data's drift, 365 ln(mean e^r) per year, set on attach */
    double vol_scale;   /* not a key: a scenario's vol_multiplier (1 after attach) */
    double block_days;  /* bootstrap, fhs: mean block length of the stationary bootstrap, days */
    int garch;          /* fhs: MCR_GARCH or MCR_GJR */
    char data[MCR_DATA_NAME_MAX];      /* the CSV file (the loader resolves a relative name) */
    char column[MCR_DATA_COLUMN_MAX];  /* the price column */
    char start[MCR_DATA_DATE_MAX], end[MCR_DATA_DATE_MAX]; /* YYYY-MM-DD, or "" */
    char sha256[65];                   /* of the file, set by the config loader (provenance) */
    const mcr_series *series;          /* attached by the config loader */
} mcr_data_model;

/* The keys every data kind has; what start and end mean is the kind's (help texts). */
#define MCR_DATA_KEYS(start_help, end_help)                                                        \
    MCR_KEY_S("data", mcr_data_model, data, MCR_KEY_REQUIRED | MCR_KEY_NONEMPTY, NULL,           \
              "a daily CSV file with a date column (YYYY-MM-DD, one row a day, no gaps; "          \
              "relative to the config file's directory)"),                                         \
        MCR_KEY_S("column", mcr_data_model, column, MCR_KEY_NONEMPTY, "close",                   \
                  "the price column of the file"),                                                 \
        MCR_KEY_S("start", mcr_data_model, start, 0, NULL, start_help),                          \
        MCR_KEY_S("end", mcr_data_model, end, 0, NULL, end_help)

/* How a kind reads its rows of the data: the range [start, end] is the window of returns
 * (bootstrap, fhs) or the range of start dates (historical). */
typedef enum mcr_data_kind { MCR_DATA_HISTORICAL, MCR_DATA_BOOTSTRAP, MCR_DATA_FHS } mcr_data_kind;

/* The prices of the model's column on consecutive days day0, day0 + 1, ... (n rows; the loader
 * checks there is no gap and aligns several assets on the same days), sliced by start/end as the
 * kind reads them, with its statistics (and for fhs the fit). horizon_days sizes the historical
 * windows. Errors name `where`.start / .end / .data: a date outside the file, too few rows. */
mcr_status mcr_data_model_attach(mcr_data_model *m, mcr_data_kind kind, const void *warm,
                                 int32_t day0, const double *price, int n, double horizon_days,
                                 const char *where, mcr_error *err);

/* The kinds' shared operations (model.h): the variance of ln S per year over [0, t] (the sample
 * variance of the daily returns times 365; fhs: the mean expected variance of the days of [0, t]
 * from the next day's variance), the volatility scaling, a lognormal cf and Black-Scholes price
 * at that variance (the default implied vol). */
double mcr_data_total_variance(const void *params, double t);
void mcr_data_scale_vol(void *params, double k);
double mcr_data_price(const void *params, const mcr_euro *o);
mcr_cf_model mcr_data_cf(const void *params);

/* The kernel's constants of one step (kernels/data_day.h has the day's arithmetic). A day
 * starts a new block with probability p_new (1 / block_days; always on a path's first day) at
 * row floor(u n), else takes the next row (wrapping). A day's return is
 *   bootstrap, historical: mean + scale (ret[row] - mean)
 *   fhs: mu + scale sqrt(h) z[row], then h = omega + (alpha + gamma 1{e < 0}) e^2 + beta h with
 *        the unscaled shock e = sqrt(h) z[row], from h = next_variance.
 * A step of `days` days adds that many day returns; a day split into `split` steps is walked by a
 * Brownian bridge from 0 to the day's return with the day's standard deviation (bridge_sd, fhs:
 * sqrt(h)) times scale: step j of the day (r = split - j steps left, `left` still to go) adds
 *   left / r + sd sqrt((r - 1) / (r split)) w,  w ~ N(0, 1). */
typedef struct mcr_data_step {
    const double *ret;
    int n;
    int split, days;    /* steps per day, days per step: one of them is 1 */
    bool walk;          /* historical: rows follow each other from the path's start row, no draws */
    double p_new;
    double mean, scale, bridge_sd;
    bool fhs;
    double mu, omega, alpha, beta, gamma, h0;
    int first_row, n_windows;
} mcr_data_step;

/* Steps of dt years are whole days or whole fractions of a day (to 1e-9). */
mcr_status mcr_data_step_check(double dt, const char *where, mcr_error *err);
/* The constants of a step of dt years; m passed attach and the step check. draws: PCG32 outputs
 * per step and path: bootstrap and fhs 2 per day (u_new, u_row) and a split day 3 (u_new, u_row,
 * w; the uniforms used on the day's first step only); historical 0, or 1 (w) on a split day. */
mcr_data_step mcr_data_step_of(const mcr_data_model *m, mcr_data_kind kind, double dt,
                               int *draws);

/* The path count a model imposes (historical: one path per start date), or 0. */
uint64_t mcr_data_paths(const mcr_data_model *m);

#endif
