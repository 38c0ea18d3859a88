/* VaR backtesting through the engine (`mcrisk backtest`): for every forecast day t of a range,
 * the config's model is refitted on the trailing window of daily log returns of a data file
 * ending at t (gbm, merton, kou by maximum likelihood; bootstrap, historical and fhs re-read
 * that window: see models/data_model.h), the config's book and strategies are simulated from
 * spot S_t over the next horizon_days (one step a day, the data's own grid), and VaR and ES at
 * the config's levels are compared with what the book and its hedges really made over those
 * days: the same strategies run on the file's prices S_t .. S_{t+h} (a replayed path). Then the
 * statistics of risk/backtest_stats.h per strategy and level. Calibration once per day, warm
 * started from the previous day's fit; buffers allocated once. Overlapping 10-day horizons make consecutive outcomes dependent: the tests'
 * p-values assume independence and are then only indicative (the output says so). */
#ifndef MCR_BACKTEST_H
#define MCR_BACKTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "risk/backtest_result.h"
#include "sim/sim.h"

typedef struct mcr_backtest_options {
    const char *data;       /* the daily price file */
    const char *column;     /* its price column; NULL: close */
    int32_t from, to;       /* forecast dates (days since 1970-01-01), inclusive */
    int horizon_days;       /* 1 or 10 */
    int window;             /* daily returns each refit uses */
    int z2_sims;            /* simulations of the Z2 p-value under the null */
    mcr_sim_options sim;    /* kernels and threads */
    bool quiet;             /* no progress on stderr */
    /* Numerical refits (merton, kou, fhs) start from the previous day's fit (a window moved by
     * one day has nearly the same optimum), the first day from the cold starts; cold: every day
     * from the cold starts, as `mcrisk calibrate` does. */
    bool cold;
} mcr_backtest_options;

/* cfg: one asset (the file's), its model refittable. Every input error (range outside the file,
 * a gap, a model that cannot be refitted, a refit the config refuses on some day) is one line
 * naming the flag, the file or the day. */
mcr_status mcr_backtest_run(const mcr_config *cfg, const mcr_backtest_options *opt,
                            mcr_backtest *out, mcr_error *err);

#endif
