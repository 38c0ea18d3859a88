/* mcr_model: one asset's price process, whichever of the five it is, as a tagged union, and the
 * registry of model kinds: each model's file declares its config keys (with ranges, units and
 * help), its validation, expected return, total variance, the scenario scalings of its
 * volatilities and jump intensity, characteristic function and European price, so the config
 * loader, the scenarios, the engine and the tests never switch on the type themselves. Adding a
 * model is its file, its member of the union and one line of the registry (model.c). */
#ifndef MCR_MODEL_H
#define MCR_MODEL_H

#include <stdbool.h>

#include "black_scholes.h"
#include "cf_pricer.h"
#include "data_model.h"
#include "gbm.h"
#include "heston.h"
#include "kou.h"
#include "merton.h"
#include "core/keys.h"
#include "core/status.h"

typedef enum mcr_model_type {
    MCR_MODEL_GBM,
    MCR_MODEL_MERTON,
    MCR_MODEL_KOU,
    MCR_MODEL_HESTON,
    MCR_MODEL_BATES,
    MCR_MODEL_HISTORICAL,
    MCR_MODEL_BOOTSTRAP,
    MCR_MODEL_FHS,
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
        mcr_data_model data; /* historical, bootstrap, fhs */
    };
} mcr_model;

/* What a model kind is: the operations of its parameter struct (the union member). */
typedef struct mcr_model_kind {
    mcr_kind spec; /* name, help and keys; offsets are within the model's parameter struct */
    /* The variance of ln S per year the model produces over [0, t]: the diffusion's plus
     * lambda E[Y^2] for jumps of log size Y. The flat implied vol a user who knows the model would
     * quote near the money, and the default implied-vol surface. */
    double (*total_variance)(const void *params, double t);
    /* Every volatility times k (variances times k^2): scenarios' vol_multiplier. */
    void (*scale_vol)(void *params, double k);
    /* The jump intensity times k (scenarios' jump_multiplier); NULL for models without jumps. */
    void (*scale_jumps)(void *params, double k);
    /* The characteristic function of ln(S_T/S0) and the European price (pricing drift
     * o->rate - o->yield; mu is not used). */
    mcr_cf_model (*cf)(const void *params);
    double (*price)(const void *params, const mcr_euro *o);
    /* Data kinds (historical, bootstrap, fhs; NULL for the others): take the prices of the
     * model's data file, which the config loader reads (data_model.h), and the constants of a
     * step of dt years with the PCG32 outputs it draws. */
    mcr_status (*attach)(void *params, const void *warm, int32_t day0, const double *price,
                         int n, double horizon_days, const char *where, mcr_error *err);
    mcr_data_step (*data_step)(const void *params, double dt, int *draws);
    /* Maximum likelihood on n daily log returns r over dt years each (gbm, merton, kou; NULL for
     * the others): the fitted parameters replace the model's (a backtest's daily refit).
     * attach and fit take `warm`, NULL or the same kind's parameters fitted to a neighbouring
     * window (the backtest's previous day), from which a numerical fit starts (fit.h). */
    mcr_status (*fit)(void *params, const void *warm, const double *r, int n, double dt,
                      mcr_error *err);
} mcr_model_kind;

/* The registry, indexed by mcr_model_type, and the table the config loader selects from by
 * `type`. */
extern const mcr_model_kind *const mcr_model_kinds[MCR_MODEL_COUNT];
/* Each defined in its model's file. */
extern const mcr_model_kind mcr_gbm_kind, mcr_merton_kind, mcr_kou_kind, mcr_heston_kind,
    mcr_bates_kind, mcr_historical_kind, mcr_bootstrap_kind, mcr_fhs_kind;
extern const mcr_kind_table mcr_model_kind_table;

/* The parameter struct of m (its union member). */
static inline void *mcr_model_params(mcr_model *m) { return &m->gbm; }
static inline const void *mcr_model_params_c(const mcr_model *m) { return &m->gbm; }

const char *mcr_model_name(mcr_model_type type); /* "gbm", "merton", ..., "fhs" */
bool mcr_model_parse(const char *name, mcr_model_type *type);
/* "gbm, merton, kou, heston, bates, historical, bootstrap, fhs": for error messages. */
const char *mcr_model_names(void);

/* Every parameter against its key's range: "WHERE.KEY: must be a number > 0, ... (got -1)". */
mcr_status mcr_model_check(const mcr_model *m, const char *where, mcr_error *err);
/* The model's total variance of ln S per year over [0, t] (mcr_model_kind.total_variance). */
double mcr_model_total_variance(const mcr_model *m, double t);
/* A copy with every volatility times vol (variances times vol^2) and the jump intensity times
 * jumps: a scenario's view of the model. */
mcr_model mcr_model_scaled(const mcr_model *m, double vol, double jumps);

/* The kind of m, and whether it is a data kind (it reads a file: historical, bootstrap, fhs). */
const mcr_model_kind *mcr_model_kind_of(const mcr_model *m);
static inline bool mcr_model_has_data(const mcr_model *m)
{
    return mcr_model_kind_of(m) && mcr_model_kind_of(m)->attach;
}
/* The path count the model imposes (historical: one path per start date), or 0: any. */
uint64_t mcr_model_paths(const mcr_model *m);

/* The expected return mu (E[S_T] = S0 e^{mu T}) and a copy with another mu (e.g. mu = rate for
 * risk-neutral paths). */
double mcr_model_mu(const mcr_model *m);
mcr_model mcr_model_with_mu(const mcr_model *m, double mu);

/* Characteristic function of ln(S_T/S0), and the European price under the model (pricing drift
 * o->rate - o->yield; mu is not used): Black-Scholes, the Merton series, or the Lewis CF pricer. */
mcr_cf_model mcr_model_cf(const mcr_model *m);
double mcr_model_price(const mcr_model *m, const mcr_euro *o);

#endif
