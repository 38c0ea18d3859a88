/* A scenario's view of the market: every asset's model with the scenario's volatility and
 * jump-intensity multipliers, and its implied-vol surface with the scenario's shifts. */
#ifndef MCR_SCENARIO_VIEW_H
#define MCR_SCENARIO_VIEW_H

#include "config/config.h"

/* Asset a's model in scenario s (scenarios[s].models' entry, else the market's): volatilities times vol_multiplier (sigma for gbm, merton, kou;
 * v0 and theta by its square and xi for heston and bates), jump_intensity times jump_multiplier. */
mcr_model mcr_scenario_model(const mcr_config *cfg, int s, int a);
/* Asset a's implied-vol surface in scenario s (market data: the asset's, also when the scenario
 * replaces its model, so options bought at t0 are priced the same in every scenario): atm and every term point's atm + implied_vol_shift,
 * skew + skew_shift. */
mcr_vol_surface mcr_scenario_surface(const mcr_config *cfg, int s, int a);

#endif
