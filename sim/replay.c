/* Loading the replayed paths of a config (replay.h). */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/path_file.h"

mcr_status mcr_replay_load(const mcr_config *cfg, mcr_replay *r, mcr_error *err)
{
    memset(r, 0, sizeof *r);
    int replayed = 0;
    for (int a = 0; a < cfg->n_assets; a++)
        replayed += cfg->assets[a].path_file[0] != 0;
    if (replayed == 0)
        return MCR_OK;
    int first = -1; /* the first file's asset */
    for (int a = 0; a < cfg->n_assets; a++) {
        if (cfg->assets[a].peg.on) /* simulated on its reference's replayed path */
            continue;
        if (!cfg->assets[a].path_file[0]) {
            mcr_replay_free(r);
            return mcr_fail(err, MCR_ERR_INPUT, "market.assets[%d].path_file: missing; when one "
                            "asset replays a path file every asset must", a);
        }
        uint64_t n;
        mcr_status st = mcr_path_file_load(cfg->assets[a].path_file, cfg->steps,
                                           cfg->assets[a].spot, &r->price[a], &n, r->sha256[a],
                                           err);
        if (st == MCR_OK && first >= 0 && n != r->paths)
            st = mcr_fail(err, MCR_ERR_INPUT, "%s: %llu paths (columns), but %s has %llu; every "
                          "path file must have as many", cfg->assets[a].path_file,
                          (unsigned long long)n, cfg->assets[first].path_file,
                          (unsigned long long)r->paths);
        if (st != MCR_OK) {
            mcr_replay_free(r);
            return st;
        }
        r->paths = n;
        first = first < 0 ? a : first;
    }
    return MCR_OK;
}

void mcr_replay_free(mcr_replay *r)
{
    for (int a = 0; a < MCR_MAX_SIM_ASSETS; a++)
        free(r->price[a]);
    memset(r, 0, sizeof *r);
}

char *mcr_replay_inputs(const mcr_config *cfg, const mcr_replay *r)
{
    size_t size = 1;
    for (int a = 0; r && r->paths && a < cfg->n_assets; a++)
        if (!cfg->assets[a].peg.on)
            size += MCR_SHA256_HEX + 2 + strlen(cfg->assets[a].path_file) + 1;
    char *text = malloc(size), *at = text;
    if (!text)
        return NULL;
    *at = '\0';
    for (int a = 0; r && r->paths && a < cfg->n_assets; a++)
        if (!cfg->assets[a].peg.on)
            at += sprintf(at, "%s  %s\n", r->sha256[a], cfg->assets[a].path_file);
    return text;
}
