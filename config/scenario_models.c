/* scenarios[].models: a scenario that replaces assets' models, so one book runs under several
 * models in one config (one scenario per model, on the same strategies, costs and seed). Each
 * entry is checked like a market model, in the scenario's context (no pegged or replayed asset,
 * no run.tail, no variance reduction with a data model), the scenario's data models are read and
 * attached as the market's are (data_sources.c), and the list is completed to one model per asset
 * so the engine asks one question: mcr_config_model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model_step.h"
#include "schema.h"

/* An entry's keys, for the walk of pass 2 (the values are read below). */
static const mcr_key entry_keys[] = {
    MCR_KEY_A("asset", mcr_model_override, asset, 0, "the first asset",
              "the asset whose model this scenario replaces"),
    {.name = "model", .type = MCR_KEY_KIND, .offset = offsetof(mcr_model_override, model),
     .kinds = &mcr_model_kind_table, .word_offset = (size_t)-1,
     .help = "its model in this scenario: the keys of market.assets[].model"},
    MCR_KEY_END,
};

#define ENTRY(buf, i, k, key)                                                                      \
    (snprintf((buf), sizeof(buf), "scenarios[%d].models[%d]%s%s", (i), (k), *(key) ? "." : "",    \
              (key)),                                                                              \
     (buf))

/* Entry k read: its keys walked (unknown keys, the asset's name, the model's keys), the asset's
 * index and the model loaded. */
static mcr_status read_entry(const mcr_load *c, int i, int k, mcr_model_override *o)
{
    char path[MCR_KEYPATH_MAX];
    const yaml_node_t *e = mcr_load_node(c, ENTRY(path, i, k, ""));
    mcr_status st = mcr_keys_validate(c, e, entry_keys, NULL, path);
    if (st != MCR_OK)
        return st;
    if (!mcr_load_has(c, ENTRY(path, i, k, "model")))
        return mcr_load_fail(c, path, "required key missing; the asset's model in this "
                             "scenario, e.g. {type: gbm, sigma: 0.8} (same keys as "
                             "market.assets[].model)");
    const yaml_node_t *a = mcr_load_node(c, ENTRY(path, i, k, "asset"));
    o->asset = a ? -1 : 0;
    for (int j = 0; a && a->type == YAML_SCALAR_NODE && j < c->n_assets; j++)
        if (strcmp(c->asset_names[j], (const char *)a->data.scalar.value) == 0)
            o->asset = j;
    return mcr_kind_load(c, mcr_load_node(c, ENTRY(path, i, k, "model")), &mcr_model_kind_table,
                         NULL, path, &o->model);
}

/* One entry: a known asset, given once, that simulates a model of its own. */
static mcr_status check_entry(const mcr_load *c, int i, int k, mcr_config *cfg,
                              mcr_model_override *o, const bool *seen)
{
    char path[MCR_KEYPATH_MAX], names[256];
    (void)ENTRY(path, i, k, "asset");
    if (o->asset < 0 || o->asset >= cfg->n_assets)
        return mcr_load_fail(c, path, "unknown asset %s; allowed: %s", MCR_GOT_QUOTED(c, path),
                             mcr_asset_list(c, names, sizeof names));
    const mcr_asset *a = &cfg->assets[o->asset];
    if (seen[o->asset])
        return mcr_load_fail(c, path, "%s is given twice in this scenario's models; allowed: "
                             "one model per asset", a->name);
    if (a->peg.on)
        return mcr_load_fail(c, path, "%s is pegged (its price is its reference's x peg_t); "
                             "allowed: an asset with a model of its own", a->name);
    if (a->path_file[0])
        return mcr_load_fail(c, path, "%s replays market.assets[%d].path_file, not a model; "
                             "allowed: an asset that is simulated", a->name, o->asset);
    for (int j = 0; j < cfg->n_assets; j++)
        if (cfg->assets[j].peg.on && cfg->assets[j].peg.to == o->asset &&
            mcr_model_has_data(&o->model))
            return mcr_load_fail(c, ENTRY(path, i, k, "model.type"), "%s is the reference of "
                                 "pegged %s; allowed: a simulated model (gbm, merton, kou, "
                                 "heston, bates)", a->name, cfg->assets[j].name);
    if (cfg->tail.level > 0)
        return mcr_load_fail(c, ENTRY(path, i, k, "model"), "not with run.tail (its pilot "
                             "finds the shift for market.assets' models); allowed: no "
                             "run.tail");
    bool vr = cfg->vr.antithetic || cfg->vr.qmc != MCR_QMC_NONE ||
              cfg->vr.control_variate != MCR_CV_NONE;
    if (vr && mcr_model_has_data(&o->model))
        return mcr_load_fail(c, ENTRY(path, i, k, "model.type"), "%s: not with "
                             "run.variance_reduction; allowed: gbm, merton, kou, heston, bates",
                             mcr_model_name(o->model.type));
    mcr_error merr = {0};
    (void)ENTRY(path, i, k, "model");
    if (!mcr_model_has_data(&o->model) && mcr_model_check(&o->model, path, &merr) != MCR_OK)
        return mcr_load_keyed(c, path, &merr);
    return MCR_OK;
}

/* The scenario's data models, read and attached as a set (they share dates and days drawn):
 * its own entries' files, and copies of the market's data models beside them. */
static mcr_status attach_data(const mcr_load *c, int i, mcr_config *cfg, const int *entry)
{
    mcr_model_override *own = cfg->overrides + cfg->scenarios[i].model_at;
    mcr_model *models[MCR_MAX_ASSETS];
    char key[MCR_MAX_ASSETS][MCR_KEYPATH_MAX];
    const char *keys[MCR_MAX_ASSETS];
    bool resolved[MCR_MAX_ASSETS], given = false;
    int n = 0;
    for (int a = 0; a < cfg->n_assets; a++) {
        if (!mcr_model_has_data(&own[a].model))
            continue;
        resolved[n] = entry[a] < 0;
        given |= entry[a] >= 0;
        if (entry[a] >= 0)
            (void)ENTRY(key[n], i, entry[a], "model");
        else
            snprintf(key[n], sizeof key[n], "market.assets[%d].model", a);
        keys[n] = key[n];
        models[n++] = &own[a].model;
    }
    /* the market's data models alone: their attachment already holds (the same set) */
    bool same = !given;
    for (int a = 0; same && a < cfg->n_assets; a++)
        same = mcr_model_has_data(&own[a].model) == mcr_model_has_data(&cfg->assets[a].model);
    return same ? MCR_OK : mcr_data_sources_load_models(c, cfg, models, keys, resolved, n);
}

mcr_status mcr_scenario_models_check(const mcr_load *c, int i, mcr_config *cfg)
{
    mcr_scenario *s = &cfg->scenarios[i];
    char path[MCR_KEYPATH_MAX];
    snprintf(path, sizeof path, "scenarios[%d].models", i);
    const yaml_node_t *list = mcr_load_node(c, path);
    s->n_models = 0;
    if (!list)
        return MCR_OK;
    long n = list->type == YAML_SEQUENCE_NODE
                 ? list->data.sequence.items.top - list->data.sequence.items.start
                 : -1;
    if (n < 1 || n > MCR_MAX_SIM_ASSETS) {
        char got[32];
        snprintf(got, sizeof got, "%ld entries", n);
        return mcr_load_fail(c, path, "must be a list of 1 to %d {asset, model} entries, one "
                             "per asset (got %s)", MCR_MAX_SIM_ASSETS,
                             n < 0 ? MCR_GOT_QUOTED(c, path) : got);
    }
    mcr_model_override given[MCR_MAX_SIM_ASSETS];
    memset(given, 0, sizeof given);
    bool seen[MCR_MAX_ASSETS] = {0};
    int entry[MCR_MAX_ASSETS];
    for (int k = 0; k < n; k++) {
        mcr_status st = read_entry(c, i, k, &given[k]);
        if (st == MCR_OK)
            st = check_entry(c, i, k, cfg, &given[k], seen);
        if (st != MCR_OK)
            return st;
        seen[given[k].asset] = true;
    }
    /* one entry per asset, in market.assets' order, at the end of cfg->overrides */
    mcr_model_override *all = realloc(cfg->overrides, (size_t)(cfg->n_overrides + cfg->n_assets) *
                                                          sizeof *all);
    if (!all)
        return mcr_load_fail(c, path, "out of memory");
    cfg->overrides = all;
    s->model_at = cfg->n_overrides;
    cfg->n_overrides += cfg->n_assets;
    mcr_model_override *own = all + s->model_at;
    for (int a = 0; a < cfg->n_assets; a++) {
        entry[a] = -1;
        own[a] = (mcr_model_override){.asset = a, .model = cfg->assets[a].model};
    }
    for (int k = 0; k < n; k++) {
        entry[given[k].asset] = k;
        own[given[k].asset].model = given[k].model;
    }
    s->n_models = cfg->n_assets;
    mcr_status st = attach_data(c, i, cfg, entry);
    mcr_error merr = {0};
    for (int a = 0; st == MCR_OK && a < cfg->n_assets; a++) {
        if (entry[a] < 0)
            continue;
        const mcr_model *m = &own[a].model;
        (void)ENTRY(path, i, entry[a], "model");
        if (mcr_model_check(m, path, &merr) != MCR_OK ||
            mcr_model_step_check(m, mcr_config_dt(cfg), path, &merr) != MCR_OK)
            st = mcr_load_keyed(c, path, &merr);
    }
    /* historical models fix the run's path count: one path per start date, the same in every
     * scenario that has one */
    uint64_t paths = 0;
    for (int s2 = -1; st == MCR_OK && s2 <= i; s2++)
        for (int a = 0; a < cfg->n_assets; a++) {
            const mcr_model *m = s2 < 0 ? &cfg->assets[a].model : mcr_config_model(cfg, s2, a);
            uint64_t n = mcr_model_paths(m);
            if (!n)
                continue;
            if (paths && n != paths && s2 == i && entry[a] >= 0)
                return mcr_load_fail(c, ENTRY(path, i, entry[a], "model"), "%llu start dates, "
                                     "but another historical model of this config has %llu (one "
                                     "path per start date, the same paths in every scenario); "
                                     "allowed: the same range of start dates (start, end)",
                                     (unsigned long long)n, (unsigned long long)paths);
            paths = paths ? paths : n;
        }
    return st;
}
