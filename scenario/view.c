/* A scenario's view of the market (view.h), through the models' own scalings. */
#include "view.h"

mcr_model mcr_scenario_model(const mcr_config *cfg, int s, int a)
{
    const mcr_scenario *sc = &cfg->scenarios[s];
    return mcr_model_scaled(mcr_config_model(cfg, s, a),
                            sc->vol_multiplier > 0 ? sc->vol_multiplier : 1.0,
                            sc->has_jump_multiplier ? sc->jump_multiplier : 1.0);
}

mcr_vol_surface mcr_scenario_surface(const mcr_config *cfg, int s, int a)
{
    const mcr_scenario *sc = &cfg->scenarios[s];
    return mcr_vol_surface_shifted(&cfg->assets[a].implied_vol, sc->implied_vol_shift,
                                   sc->skew_shift);
}
