/* Small questions about a loaded config (config.h). */
#include "config.h"

#include "core/timegrid.h"

double mcr_config_dt(const mcr_config *cfg) { return cfg->horizon_days / 365.0 / cfg->steps; }

int mcr_config_step_at(const mcr_config *cfg, double day)
{
    return mcr_timegrid_step_at((mcr_timegrid){cfg->horizon_days, cfg->steps}, day);
}
