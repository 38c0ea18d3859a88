/* The reference VaR backtest, computed without the simulation engine, so that the engine's
 * `mcrisk backtest` can be checked against it: long `qty` units of one asset, 1-day horizon,
 * GBM refitted every day by maximum likelihood (fit_gbm.h) on the trailing `window` daily log
 * returns, VaR at `level` from the closed-form lognormal quantile (gbm.h):
 *   for each forecast day t with from <= date_t <= to (the close S_t known):
 *     (mu, sigma) = GBM MLE on ln(S_{t-window+1}/S_{t-window}) .. ln(S_t/S_{t-1}),
 *     VaR_t = qty (S_t - q_{1-level}(S_{t+1})) = qty S_t (1 - exp(m + s z_{1-level})),
 *     ES_t  = the lognormal CVaR (mcr_gbm_cvar_long),
 *     loss_t = qty (S_t - S_{t+1}),  exception when loss_t > VaR_t,
 * m = (mu - sigma^2/2) dt, s = sigma sqrt(dt), dt = 1/365 (one row a day). */
#ifndef MCR_REF_BACKTEST_H
#define MCR_REF_BACKTEST_H

#include <stdint.h>

#include "backtest_stats.h"
#include "core/data_file.h"

typedef struct mcr_ref_backtest {
    int n;                  /* forecast days */
    int32_t *day;           /* [n] forecast dates */
    double *var, *es, *loss;
    double *m, *s;          /* [n] the fitted daily log-return mean and standard deviation */
    unsigned char *hit;     /* [n] exceptions */
    mcr_coverage coverage;  /* Kupiec and Christoffersen over all n days */
    double z2;              /* Acerbi-Szekely Z2 of the ES forecasts */
    double min_margin;      /* min over days of |loss - VaR| / VaR: how far from a tie */
} mcr_ref_backtest;

/* Column `col` of d; every needed row (window before the first forecast day, one after the
 * last) must exist and be consecutive days, otherwise an input error names the date. */
mcr_status mcr_ref_backtest_gbm(const mcr_data_file *d, int col, int32_t from, int32_t to,
                                int window, double level, double qty, mcr_ref_backtest *out,
                                mcr_error *err);
void mcr_ref_backtest_free(mcr_ref_backtest *b);

#endif
