/* The bootstrap model kind: the stationary block bootstrap (Politis and Romano 1994) of the daily
 * log returns between start and end. Each day continues the current block with the next day of
 * the data, or with probability 1 / block_days starts a new block at a uniformly drawn day, so
 * blocks have geometric lengths of mean block_days and the resampled series is stationary. */
#include <stddef.h>

#include "data_model.h"
#include "model.h"
#include "model_keys.h"

static const mcr_key bootstrap_keys[] = {
    MCR_DATA_KEYS("first day of the sample (default: the file's first date)",
                  "last day of the sample (default: the file's last date)"),
    MCR_KEY_F("block_days", mcr_data_model, block_days, MCR_KEY_HAS_MIN | MCR_KEY_HAS_MAX, 1,
              1000, 5, "days",
              "mean block length: a day starts a new block with probability 1 / block_days (1: "
              "days drawn independently)"),
    MCR_KEY_END,
};

static mcr_status bootstrap_attach(void *p, const void *warm, int32_t day0, const double *price,
                                   int n, double horizon_days, const char *where, mcr_error *err)
{
    return mcr_data_model_attach(p, MCR_DATA_BOOTSTRAP, warm, day0, price, n, horizon_days,
                                 where, err);
}

static mcr_data_step bootstrap_step(const void *p, double dt, int *draws)
{
    return mcr_data_step_of(p, MCR_DATA_BOOTSTRAP, dt, draws);
}

const mcr_model_kind mcr_bootstrap_kind = {
    .spec = {.name = "bootstrap",
             .help = "stationary block bootstrap of the data's daily log returns",
             .keys = bootstrap_keys, .params_size = sizeof(mcr_data_model)},
    .total_variance = mcr_data_total_variance,
    .scale_vol = mcr_data_scale_vol,
    .cf = mcr_data_cf,
    .price = mcr_data_price,
    .attach = bootstrap_attach,
    .data_step = bootstrap_step,
};
