/* The result of a VaR backtest in memory (run/backtest.h computes it, output/backtest_h5.h writes
 * it): per forecast day the spot, every strategy's realised P&L over the horizon and its VaR, ES
 * and exception at every level, then the statistics per strategy and level. */
#ifndef MCR_BACKTEST_RESULT_H
#define MCR_BACKTEST_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "backtest_stats.h"
#include "config/config.h"

#define MCR_BASEL_DAYS 250 /* the Basel traffic light's window */

/* The statistics of one strategy at one level. */
typedef struct mcr_backtest_stats {
    mcr_coverage coverage;    /* Kupiec, Christoffersen over every forecast day */
    mcr_basel_zone zone_all;  /* the zone of the exceptions over all days */
    mcr_basel_zone zone_last; /* over the last 250 days (fewer if the range is shorter) */
    int exceptions_last;      /* exceptions in those days */
    int windows[3];           /* consecutive 250-day windows from the first day, per zone */
    double z2, p_z2;          /* Acerbi-Szekely Z2 and its simulated p-value */
} mcr_backtest_stats;

typedef struct mcr_backtest {
    int n_days, n_strategies, n_levels;
    double levels[MCR_MAX_LEVELS];
    char strategy[MCR_MAX_STRATEGIES][MCR_NAME_MAX];
    uint64_t paths, seed;
    int horizon_days, window;
    bool cold;                 /* every refit from the cold starts (else from the previous day's) */
    char data[MCR_PATH_MAX], column[MCR_PATH_MAX], isa[16]; /* as given: comma-separated */
    char model[MCR_NAME_MAX]; /* the model kinds, "gbm" or "gbm+bootstrap" */
    /* of each data file, as sha256sum prints it, comma-separated */
    char data_sha256[MCR_MAX_SIM_ASSETS * 65];
    double *spot;              /* [n_days] S_t of the first asset */
    int32_t *day;              /* [n_days] forecast dates */
    double *realised;          /* [s * n_days + d]: realised P&L over the horizon from day d */
    double *var, *es;          /* [(s * n_levels + l) * n_days + d], positive for losses */
    unsigned char *hit;        /* same index: realised loss > VaR */
    mcr_backtest_stats *stats; /* [s * n_levels + l] */
    /* Several assets: the correlation of their shocks refitted every day on the window's daily
     * log returns, [(d * n_assets + i) * n_assets + j] (the identity's entries for an asset with
     * a data model: it takes no correlated shock); NULL for one asset. */
    int n_assets;
    double *correlation;
    double fit_seconds, sim_seconds, seconds;
} mcr_backtest;

void mcr_backtest_free(mcr_backtest *b);

#endif
