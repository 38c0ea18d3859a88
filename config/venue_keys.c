/* The `venues` section: venues and protocols that can fail (an exchange like FTX, an exploited
 * lending pool), each with a Poisson default intensity and a recovery (models/venue_default.h),
 * and the lookup of a `venue` key that positions and hedges give. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

const mcr_key mcr_venue_entry_keys[] = {
    MCR_KEY_S("name", mcr_venue_entry, name, MCR_KEY_REQUIRED | MCR_KEY_NAME, NULL,
              "the venue's name ([A-Za-z0-9_.-]), unique; positions and hedges name it with "
              "their `venue` key"),
    MCR_KEY_INC(mcr_venue_entry, failure, mcr_venue_keys),
    MCR_KEY_END,
};

mcr_status mcr_venues_check(const mcr_load *c, mcr_config *cfg)
{
    for (int v = 0; v < cfg->n_venues; v++) {
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "venues[%d].name", v);
        mcr_status st = mcr_check_unique(c, path, cfg->venues[v].name, "venues",
                                         cfg->venues[0].name, sizeof cfg->venues[0], v);
        if (st != MCR_OK)
            return st;
        cfg->venues[v].failure.forced_time = INFINITY; /* scenarios force defaults */
    }
    return MCR_OK;
}

int mcr_config_venue(const mcr_config *cfg, const char *name)
{
    for (int v = 0; v < cfg->n_venues; v++)
        if (strcmp(cfg->venues[v].name, name) == 0)
            return v;
    return -1;
}

mcr_status mcr_config_venue_check(const mcr_config *cfg, const char *name, const char *path,
                                  int *index, mcr_error *err)
{
    *index = name[0] ? mcr_config_venue(cfg, name) : -1;
    if (!name[0] || *index >= 0)
        return MCR_OK;
    char list[MCR_MAX_VENUES * (MCR_NAME_MAX + 2)] = "";
    for (int v = 0; v < cfg->n_venues; v++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", v ? ", " : "",
                 cfg->venues[v].name);
    return mcr_fail(err, MCR_ERR_INPUT, "%s.venue: unknown venue '%s'; allowed: %s", path, name,
                    cfg->n_venues ? list : "none (declare it under venues: [{name, "
                                           "default_intensity, recovery}])");
}
