/* The scenario's market for the kernels: adjusted models, step constants, correlation, shocks. */
#include "market.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/model_step.h"
#include "view.h"

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
        mcr_model m = mcr_scenario_model(cfg, scenario, a);
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
    mp->gbm_only = cfg->n_assets == 1 && mcr_config_model(cfg, scenario, 0)->type == MCR_MODEL_GBM;
    mcr_assets_step_init(&mp->step, cfg->n_assets, steps, &sc->cholesky[0][0], MCR_MAX_ASSETS);
    for (int a = 0; a < cfg->n_assets; a++) { /* a scenario's jump_multiplier scales depegs too */
        const mcr_asset *as = &cfg->assets[a];
        if (!as->peg.on)
            continue;
        mcr_peg_params pp = as->peg.params;
        pp.jump_intensity *= sc->has_jump_multiplier ? sc->jump_multiplier : 1.0;
        mcr_peg_step ps = mcr_peg_step_of(&pp, dt);
        mcr_assets_step_peg(&mp->step, a, as->peg.to, &ps, as->spot / cfg->assets[as->peg.to].spot);
    }
    /* A leg at day d moves the prices of step round(d / dt) on (step 1 for d = 0: the book is
     * bought at S0, then the market gaps). Legs that round to the same step add up. */
    for (int k = 0; k < sc->n_shocks && k < MCR_MAX_SHOCKS; k++) {
        long step = lround(sc->shocks[k].day / 365.0 / dt);
        int at = (int)(step < 1 ? 0 : (step > cfg->steps ? cfg->steps : step) - 1);
        double shift = log1p(sc->shocks[k].ret);
        if (mp->n_shocks > 0 && mp->shock_steps[mp->n_shocks - 1] == at) {
            mp->shock_logs[mp->n_shocks - 1] += shift;
        } else {
            mp->shock_steps[mp->n_shocks] = at;
            mp->shock_logs[mp->n_shocks++] = shift;
        }
        mp->shock_total += shift;
    }
    return MCR_OK;
}

double mcr_market_shock_at_step(const mcr_market *mp, int t)
{
    for (int k = 0; k < mp->n_shocks; k++)
        if (mp->shock_steps[k] == t)
            return mp->shock_logs[k];
    return 0.0;
}

int mcr_market_chunk(const mcr_market *mp, int t, int n)
{
    for (int k = 0; k < mp->n_shocks; k++)
        if (mp->shock_steps[k] > t)
            return mp->shock_steps[k] - t < n ? mp->shock_steps[k] - t : n;
    return n;
}
