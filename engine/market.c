/* The scenario's market for the kernels: adjusted models, step constants, correlation, shock. */
#include "market.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../models/model_step.h"

/* Every volatility of a model scaled by m (variances by m^2): the scenario's vol_multiplier. */
static mcr_model scale_volatility(mcr_model model, double m)
{
    switch (model.type) {
    case MCR_MODEL_GBM: model.gbm.sigma *= m; break;
    case MCR_MODEL_MERTON: model.merton.sigma *= m; break;
    case MCR_MODEL_KOU: model.kou.sigma *= m; break;
    case MCR_MODEL_HESTON:
    case MCR_MODEL_BATES: {
        mcr_heston *h = model.type == MCR_MODEL_HESTON ? &model.heston : &model.bates.heston;
        h->v0 *= m * m;
        h->theta *= m * m;
        h->xi *= m;
        break;
    }
    default: break;
    }
    return model;
}

mcr_status mcr_market_init(mcr_market *mp, const mcr_config *cfg, int scenario,
                            mcr_error *err)
{
    const mcr_scenario *sc = &cfg->scenarios[scenario];
    double dt = mcr_config_dt(cfg);
    mcr_model_step steps[MCR_KERNEL_MAX_ASSETS];
    memset(mp, 0, sizeof *mp);
    mp->n_assets = cfg->n_assets;
    if (cfg->n_assets > MCR_KERNEL_MAX_ASSETS)
        return mcr_fail(err, MCR_ERR_INPUT, "market.assets: %d assets; allowed: at most %d "
                        "simulated together", cfg->n_assets, MCR_KERNEL_MAX_ASSETS);
    for (int a = 0; a < cfg->n_assets; a++) {
        char where[64];
        snprintf(where, sizeof where, "market.assets[%d].model", a);
        mcr_model m = scale_volatility(cfg->assets[a].model,
                                       sc->vol_multiplier > 0 ? sc->vol_multiplier : 1.0);
        mcr_status st = mcr_model_check(&m, where, err);
        if (st == MCR_OK)
            st = mcr_model_step_check(&m, dt, where, err);
        if (st != MCR_OK)
            return st;
        steps[a] = mcr_model_step_of(&m, dt);
        mp->log_s0[a] = log(cfg->assets[a].spot);
        if (a == 0 && m.type == MCR_MODEL_GBM)
            mp->gbm = mcr_gbm_step_of(&m.gbm, dt);
    }
    mp->gbm_only = cfg->n_assets == 1 && cfg->assets[0].model.type == MCR_MODEL_GBM;
    mcr_assets_step_init(&mp->step, cfg->n_assets, steps, &sc->cholesky[0][0], MCR_MAX_ASSETS);
    /* A shock at day d moves the prices of step round(d / dt) on (step 1 for d = 0: the book is
     * bought at S0, then the market gaps). */
    mp->shock_at = -1;
    if (sc->has_shock) {
        long step = lround(sc->shock_day / 365.0 / dt);
        mp->shock_at = (int)(step < 1 ? 0 : (step > cfg->steps ? cfg->steps : step) - 1);
        mp->shock_log = log1p(sc->shock_return);
    }
    return MCR_OK;
}
