/* The model-type table: names and the per-type functions behind mcr_model. */
#include "model.h"

#include <complex.h>
#include <string.h>

static const char *const model_names[MCR_MODEL_COUNT] = {
    [MCR_MODEL_GBM] = "gbm",       [MCR_MODEL_MERTON] = "merton", [MCR_MODEL_KOU] = "kou",
    [MCR_MODEL_HESTON] = "heston", [MCR_MODEL_BATES] = "bates",
};

const char *mcr_model_name(mcr_model_type type)
{
    return (unsigned)type < MCR_MODEL_COUNT ? model_names[type] : "unknown";
}

const char *mcr_model_names(void) { return "gbm, merton, kou, heston, bates"; }

bool mcr_model_parse(const char *name, mcr_model_type *type)
{
    for (int t = 0; t < MCR_MODEL_COUNT; t++)
        if (strcmp(name, model_names[t]) == 0) {
            *type = (mcr_model_type)t;
            return true;
        }
    return false;
}

mcr_status mcr_model_check(const mcr_model *m, const char *where, mcr_error *err)
{
    switch (m->type) {
    case MCR_MODEL_GBM: return mcr_gbm_check(&m->gbm, where, err);
    case MCR_MODEL_MERTON: return mcr_merton_check(&m->merton, where, err);
    case MCR_MODEL_KOU: return mcr_kou_check(&m->kou, where, err);
    case MCR_MODEL_HESTON: return mcr_heston_check(&m->heston, where, err);
    case MCR_MODEL_BATES: return mcr_bates_check(&m->bates, where, err);
    default: return mcr_fail(err, MCR_ERR_INTERNAL, "%s.type: invalid model type %d", where,
                             (int)m->type);
    }
}

double mcr_model_mu(const mcr_model *m)
{
    switch (m->type) {
    case MCR_MODEL_GBM: return m->gbm.mu;
    case MCR_MODEL_MERTON: return m->merton.mu;
    case MCR_MODEL_KOU: return m->kou.mu;
    case MCR_MODEL_HESTON: return m->heston.mu;
    case MCR_MODEL_BATES: return m->bates.heston.mu;
    default: return 0.0;
    }
}

mcr_model mcr_model_with_mu(const mcr_model *m, double mu)
{
    mcr_model copy = *m;
    switch (copy.type) {
    case MCR_MODEL_GBM: copy.gbm.mu = mu; break;
    case MCR_MODEL_MERTON: copy.merton.mu = mu; break;
    case MCR_MODEL_KOU: copy.kou.mu = mu; break;
    case MCR_MODEL_HESTON: copy.heston.mu = mu; break;
    case MCR_MODEL_BATES: copy.bates.heston.mu = mu; break;
    default: break;
    }
    return copy;
}

/* GBM's characteristic function: exp(i u (drift - sigma^2/2) t - sigma^2 u^2 t / 2). */
static double complex gbm_cf(const void *ctx, double drift, double t, double complex u)
{
    double s2 = ((const mcr_gbm *)ctx)->sigma * ((const mcr_gbm *)ctx)->sigma;
    return cexp(I * u * (drift - 0.5 * s2) * t - 0.5 * s2 * u * u * t);
}

mcr_cf_model mcr_model_cf(const mcr_model *m)
{
    switch (m->type) {
    case MCR_MODEL_MERTON: return mcr_merton_cf_model(&m->merton);
    case MCR_MODEL_KOU: return mcr_kou_cf_model(&m->kou);
    case MCR_MODEL_HESTON: return mcr_heston_cf_model(&m->heston);
    case MCR_MODEL_BATES: return mcr_bates_cf_model(&m->bates);
    default: return (mcr_cf_model){.cf = gbm_cf, .ctx = &m->gbm};
    }
}

double mcr_model_price(const mcr_model *m, const mcr_euro *o)
{
    switch (m->type) {
    case MCR_MODEL_GBM: return mcr_bs_price(o, m->gbm.sigma);
    case MCR_MODEL_MERTON: return mcr_merton_price(&m->merton, o);
    case MCR_MODEL_KOU: return mcr_kou_price(&m->kou, o);
    case MCR_MODEL_HESTON: return mcr_heston_price(&m->heston, o);
    case MCR_MODEL_BATES: return mcr_bates_price(&m->bates, o);
    default: return 0.0;
    }
}
