/* The market of one scenario as the kernels see it: every asset's model with the scenario's
 * adjustments (volatility and jump-intensity multipliers), its per-step constants, the Cholesky
 * factor of the scenario's correlation, and the price shocks. Prepared once per scenario, read by
 * all threads. */
#ifndef MCR_MARKET_H
#define MCR_MARKET_H

#include <stdbool.h>

#include "kernels/kernels.h"
#include "config/config.h"

typedef struct mcr_market {
    int n_assets;
    bool gbm_only;         /* one GBM asset: the fastest kernel */
    mcr_gbm_step gbm;      /* its constants */
    mcr_assets_step step;  /* every asset's model constants and the Cholesky factor */
    double log_s0[MCR_MAX_SIM_ASSETS];
    /* The price shocks: shock_logs[k] = ln of the product of (1 + return) of the legs that land
     * before step shock_steps[k] + 1 is simulated; shock_steps strictly increasing. */
    int n_shocks;
    int shock_steps[MCR_MAX_SHOCKS];
    double shock_logs[MCR_MAX_SHOCKS];
    double shock_total; /* the sum of shock_logs: the shift of ln S_T */
} mcr_market;

mcr_status mcr_market_init(mcr_market *mp, const mcr_config *cfg, int scenario,
                            mcr_error *err);

/* The shift of every asset's ln S to apply before step t + 1 is simulated (0 if none). */
double mcr_market_shock_at_step(const mcr_market *mp, int t);

/* How many of the n steps after step t a chunk may advance without passing a shock: a chunk
 * starting at t stops where the next shock lands. */
int mcr_market_chunk(const mcr_market *mp, int t, int n);

#endif
