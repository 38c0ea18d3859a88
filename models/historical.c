/* The historical model kind: the horizon replayed from every start date of a range (rolling
 * windows over the daily data), one path per start date, each rescaled to the asset's spot. Path
 * p starts at the (p mod windows)-th start date; the run has exactly one path per window. */
#include <stddef.h>

#include "data_model.h"
#include "model.h"

static const mcr_key historical_keys[] = {
    MCR_DATA_KEYS("first start date of a path (default: the file's first date)",
                  "last start date of a path (default: the last date that still has the whole "
                  "horizon in the file)"),
    MCR_KEY_END,
};

static mcr_status historical_attach(void *p, const void *warm, int32_t day0,
                                    const double *price, int n, double horizon_days,
                                    const char *where, mcr_error *err)
{
    return mcr_data_model_attach(p, MCR_DATA_HISTORICAL, warm, day0, price, n, horizon_days,
                                 where, err);
}

static mcr_data_step historical_step(const void *p, double dt, int *draws)
{
    return mcr_data_step_of(p, MCR_DATA_HISTORICAL, dt, draws);
}

const mcr_model_kind mcr_historical_kind = {
    .spec = {.name = "historical",
             .help = "the horizon replayed from every start date of the data (rolling windows), "
                     "one path per start date, rescaled to spot",
             .keys = historical_keys, .params_size = sizeof(mcr_data_model)},
    .total_variance = mcr_data_total_variance,
    .scale_vol = mcr_data_scale_vol,
    .cf = mcr_data_cf,
    .price = mcr_data_price,
    .attach = historical_attach,
    .data_step = historical_step,
};
