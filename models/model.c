/* The model registry (model.h): the kinds in mcr_model_type order, and the operations of mcr_model
 * dispatched through it. */
#include "model.h"

#include <stddef.h>
#include <string.h>

const mcr_model_kind *const mcr_model_kinds[MCR_MODEL_COUNT] = {
    [MCR_MODEL_GBM] = &mcr_gbm_kind,       [MCR_MODEL_MERTON] = &mcr_merton_kind,
    [MCR_MODEL_KOU] = &mcr_kou_kind,       [MCR_MODEL_HESTON] = &mcr_heston_kind,
    [MCR_MODEL_BATES] = &mcr_bates_kind,   [MCR_MODEL_HISTORICAL] = &mcr_historical_kind,
    [MCR_MODEL_BOOTSTRAP] = &mcr_bootstrap_kind, [MCR_MODEL_FHS] = &mcr_fhs_kind,
};

static const mcr_kind *const model_specs[MCR_MODEL_COUNT] = {
    &mcr_gbm_kind.spec, &mcr_merton_kind.spec, &mcr_kou_kind.spec, &mcr_heston_kind.spec,
    &mcr_bates_kind.spec, &mcr_historical_kind.spec, &mcr_bootstrap_kind.spec,
    &mcr_fhs_kind.spec,
};

const mcr_kind_table mcr_model_kind_table = {
    .what = "model type",
    .selector = "type",
    .kinds = model_specs,
    .n_kinds = MCR_MODEL_COUNT,
    .size = sizeof(mcr_model),
    .params_offset = offsetof(mcr_model, gbm),
    .kind_offset = offsetof(mcr_model, type),
};

/* mu is the first member of every model's parameters, so it is read and set in one place. */
_Static_assert(offsetof(mcr_gbm, mu) == 0 && offsetof(mcr_merton, mu) == 0 &&
                   offsetof(mcr_kou, mu) == 0 && offsetof(mcr_heston, mu) == 0 &&
                   offsetof(mcr_bates, heston.mu) == 0 && offsetof(mcr_data_model, mu) == 0,
               "mu first in every model");

const mcr_model_kind *mcr_model_kind_of(const mcr_model *m)
{
    return (unsigned)m->type < MCR_MODEL_COUNT ? mcr_model_kinds[m->type] : NULL;
}

uint64_t mcr_model_paths(const mcr_model *m)
{
    return mcr_model_has_data(m) ? mcr_data_paths(&m->data) : 0;
}

const char *mcr_model_name(mcr_model_type type)
{
    return (unsigned)type < MCR_MODEL_COUNT ? mcr_model_kinds[type]->spec.name : "unknown";
}

const char *mcr_model_names(void)
{
    return "gbm, merton, kou, heston, bates, historical, bootstrap, fhs";
}

bool mcr_model_parse(const char *name, mcr_model_type *type)
{
    for (int t = 0; t < MCR_MODEL_COUNT; t++)
        if (strcmp(name, mcr_model_kinds[t]->spec.name) == 0) {
            *type = (mcr_model_type)t;
            return true;
        }
    return false;
}

mcr_status mcr_model_check(const mcr_model *m, const char *where, mcr_error *err)
{
    const mcr_model_kind *k = mcr_model_kind_of(m);
    if (!k)
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s.type: invalid model type %d", where,
                        (int)m->type);
    return mcr_keys_check(k->spec.keys, mcr_model_params_c(m), where, err);
}

double mcr_model_total_variance(const mcr_model *m, double t)
{
    return mcr_model_kind_of(m)->total_variance(mcr_model_params_c(m), t);
}

mcr_model mcr_model_scaled(const mcr_model *m, double vol, double jumps)
{
    mcr_model copy = *m;
    const mcr_model_kind *k = mcr_model_kind_of(m);
    if (vol != 1.0)
        k->scale_vol(mcr_model_params(&copy), vol);
    if (jumps != 1.0 && k->scale_jumps)
        k->scale_jumps(mcr_model_params(&copy), jumps);
    return copy;
}

double mcr_model_mu(const mcr_model *m) { return *(const double *)mcr_model_params_c(m); }

mcr_model mcr_model_with_mu(const mcr_model *m, double mu)
{
    mcr_model copy = *m;
    *(double *)mcr_model_params(&copy) = mu;
    return copy;
}

mcr_cf_model mcr_model_cf(const mcr_model *m) { return mcr_model_kind_of(m)->cf(mcr_model_params_c(m)); }

double mcr_model_price(const mcr_model *m, const mcr_euro *o)
{
    return mcr_model_kind_of(m)->price(mcr_model_params_c(m), o);
}
