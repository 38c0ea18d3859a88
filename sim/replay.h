/* Replayed paths (market.assets[].path_file): every asset's prices from its CSV file, which
 * replace the simulation in every scenario. */
#ifndef MCR_REPLAY_H
#define MCR_REPLAY_H

#include <stdint.h>

#include "config/config.h"
#include "core/sha256.h"

/* price[a][t * paths + p] for t = 0..steps. */
typedef struct mcr_replay {
    double *price[MCR_MAX_SIM_ASSETS];
    uint64_t paths; /* 0: no replay, the paths are simulated */
    char sha256[MCR_MAX_SIM_ASSETS][MCR_SHA256_HEX]; /* of each asset's file */
} mcr_replay;

/* Load the path files of cfg; r->paths stays 0 when no asset has one. Either every asset
 * replays a file or none does. */
mcr_status mcr_replay_load(const mcr_config *cfg, mcr_replay *r, mcr_error *err);
void mcr_replay_free(mcr_replay *r);

/* The input files of the replay as "<sha256>  <path>\n" lines (malloc'd; "" without a replay),
 * or NULL when out of memory. */
char *mcr_replay_inputs(const mcr_config *cfg, const mcr_replay *r);

#endif
