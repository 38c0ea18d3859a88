/* The market of one scenario as the kernels see it: every asset's model with the scenario's
 * adjustments (volatility multiplier), its per-step constants, the Cholesky factor of the
 * scenario's correlation, and the price shock. Prepared once per scenario, read by all threads. */
#ifndef MCR_MARKET_H
#define MCR_MARKET_H

#include <stdbool.h>

#include "../kernels/kernels.h"
#include "config.h"

typedef struct mcr_market {
    int n_assets;
    bool gbm_only;         /* one GBM asset: the fastest kernel */
    mcr_gbm_step gbm;      /* its constants */
    mcr_assets_step step;  /* every asset's model constants and the Cholesky factor */
    double log_s0[MCR_MAX_SIM_ASSETS];
    int shock_at;          /* the price shock lands before step shock_at + 1 is simulated, or -1 */
    double shock_log;      /* ln(1 + shock return) */
} mcr_market;

mcr_status mcr_market_init(mcr_market *mp, const mcr_config *cfg, int scenario,
                            mcr_error *err);

#endif
