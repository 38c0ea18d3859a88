/* Small questions about a loaded config (config.h). */
#include "config.h"

#include "core/timegrid.h"

double mcr_config_dt(const mcr_config *cfg) { return cfg->horizon_days / 365.0 / cfg->steps; }

int mcr_config_step_at(const mcr_config *cfg, double day)
{
    return mcr_timegrid_step_at((mcr_timegrid){cfg->horizon_days, cfg->steps}, day);
}

const mcr_model *mcr_config_model(const mcr_config *cfg, int s, int a)
{
    const mcr_scenario *sc = &cfg->scenarios[s];
    return sc->n_models ? &cfg->overrides[sc->model_at + a].model : &cfg->assets[a].model;
}

uint64_t mcr_config_model_paths(const mcr_config *cfg)
{
    for (int s = -1; s < cfg->n_scenarios; s++)
        for (int a = 0; a < cfg->n_assets; a++) {
            uint64_t n = mcr_model_paths(s < 0 ? &cfg->assets[a].model : mcr_config_model(cfg, s, a));
            if (n)
                return n;
        }
    return 0;
}
