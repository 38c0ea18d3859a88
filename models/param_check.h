/* Table-driven range checks for model parameters, so every model reports a bad key the same way:
 * "WHERE.KEY: must be a number > 0 (got -1)". */
#ifndef MCR_PARAM_CHECK_H
#define MCR_PARAM_CHECK_H

#include <stdbool.h>

#include "core/status.h"

/* One key and its allowed range: [lo, hi], or (lo, hi] when lo_open; hi may be INFINITY. */
typedef struct mcr_param {
    const char *key;
    double value;
    double lo, hi;
    bool lo_open;
} mcr_param;

/* The first parameter that is not finite or out of its range fails with MCR_ERR_INPUT. */
mcr_status mcr_params_check(const mcr_param *p, int n, const char *where, mcr_error *err);

#endif
