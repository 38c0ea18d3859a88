/* The fhs model kind: filtered historical simulation (Barone-Adesi, Giannopoulos and Vosper
 * 1999). A GARCH(1,1) or GJR is fitted by maximum likelihood to the daily log returns between
 * start and end (fit_garch.h); its standardised residuals are bootstrapped (blocks as in
 * bootstrap.c, default 1 day: independent draws) and the variance recursion runs forward from the
 * next day's variance h_{n+1}, so today's volatility, not the sample's, sets the first days. */
#include <stddef.h>

#include "data_model.h"
#include "model.h"

static const mcr_key_word garch_words[] = {
    {"garch", MCR_GARCH, "GARCH(1,1): symmetric response to shocks"},
    {"gjr", MCR_GJR, "GJR-GARCH(1,1): falls raise the variance more than rises"},
    {NULL, 0, NULL},
};

static const mcr_key fhs_keys[] = {
    MCR_DATA_KEYS("first day of the fitted sample (default: the file's first date)",
                  "last day of the fitted sample, the day before the simulation starts "
                  "(default: the file's last date)"),
    MCR_KEY_F("block_days", mcr_data_model, block_days, MCR_KEY_HAS_MIN | MCR_KEY_HAS_MAX, 1,
              1000, 1, "days",
              "mean block length of the residuals' stationary bootstrap (1: independent draws)"),
    MCR_KEY_E("variance", mcr_data_model, garch, 0, garch_words, MCR_GARCH,
              "the variance recursion fitted and run forward"),
    MCR_KEY_END,
};

static mcr_status fhs_attach(void *p, const void *warm, int32_t day0, const double *price, int n,
                             double horizon_days, const char *where, mcr_error *err)
{
    return mcr_data_model_attach(p, MCR_DATA_FHS, warm, day0, price, n, horizon_days, where,
                                 err);
}

static mcr_data_step fhs_step(const void *p, double dt, int *draws)
{
    return mcr_data_step_of(p, MCR_DATA_FHS, dt, draws);
}

const mcr_model_kind mcr_fhs_kind = {
    .spec = {.name = "fhs",
             .help = "filtered historical simulation: GARCH or GJR fitted to the data, its "
                     "standardised residuals bootstrapped",
             .keys = fhs_keys, .params_size = sizeof(mcr_data_model)},
    .total_variance = mcr_data_total_variance,
    .scale_vol = mcr_data_scale_vol,
    .cf = mcr_data_cf,
    .price = mcr_data_price,
    .attach = fhs_attach,
    .data_step = fhs_step,
};
