/* mcr_model: one asset's price process, whichever of the five it is, as a tagged union; the one
 * place that maps a model type to its name, validation, expected return, characteristic function
 * and European price, so the engine and the tests never switch on the type themselves. */
#ifndef MCR_MODEL_H
#define MCR_MODEL_H

#include <stdbool.h>

#include "black_scholes.h"
#include "cf_pricer.h"
#include "gbm.h"
#include "heston.h"
#include "kou.h"
#include "merton.h"
#include "core/status.h"

typedef enum mcr_model_type {
    MCR_MODEL_GBM,
    MCR_MODEL_MERTON,
    MCR_MODEL_KOU,
    MCR_MODEL_HESTON,
    MCR_MODEL_BATES,
    MCR_MODEL_COUNT
} mcr_model_type;

typedef struct mcr_model {
    mcr_model_type type;
    union {
        mcr_gbm gbm;
        mcr_merton merton;
        mcr_kou kou;
        mcr_heston heston;
        mcr_bates bates;
    };
} mcr_model;

const char *mcr_model_name(mcr_model_type type); /* "gbm", "merton", "kou", "heston", "bates" */
bool mcr_model_parse(const char *name, mcr_model_type *type);
/* "gbm, merton, kou, heston, bates": for error messages. */
const char *mcr_model_names(void);

mcr_status mcr_model_check(const mcr_model *m, const char *where, mcr_error *err);

/* The expected return mu (E[S_T] = S0 e^{mu T}) and a copy with another mu (e.g. mu = rate for
 * risk-neutral paths). */
double mcr_model_mu(const mcr_model *m);
mcr_model mcr_model_with_mu(const mcr_model *m, double mu);

/* Characteristic function of ln(S_T/S0), and the European price under the model (pricing drift
 * o->rate - o->yield; mu is not used): Black-Scholes, the Merton series, or the Lewis CF pricer. */
mcr_cf_model mcr_model_cf(const mcr_model *m);
double mcr_model_price(const mcr_model *m, const mcr_euro *o);

#endif
