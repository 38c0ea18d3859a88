/* The files of the data models (historical, bootstrap, fhs: models/data_model.h), read once when
 * the config is loaded so that a bad file, column, date or window is an error before any work:
 * every data asset's price column, aligned on the dates all of them have (one file per asset, or
 * several columns of one file), handed to its model kind. The assets that draw days (bootstrap,
 * fhs) share one stream and so the same days on every path; this needs the same window and block
 * length, and no correlation of their shocks with the other assets'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "core/sha256.h"
#include "models/model_step.h"
#include "schema.h"

static bool draws_days(const mcr_model *m)
{
    return mcr_model_has_data(m) && m->type != MCR_MODEL_HISTORICAL;
}

/* A relative name is relative to the config file's directory. */
static mcr_status resolve(const mcr_load *c, const char *key, mcr_data_model *d)
{
    char name[MCR_DATA_NAME_MAX];
    snprintf(name, sizeof name, "%s", d->data);
    int len = c->dir && name[0] != '/' ? snprintf(d->data, sizeof d->data, "%s/%s", c->dir, name)
                                       : snprintf(d->data, sizeof d->data, "%s", name);
    if (len < 0 || (size_t)len >= sizeof d->data)
        return mcr_load_fail(c, key, "file name too long; allowed: at most %d characters",
                             MCR_DATA_NAME_MAX - 1);
    return MCR_OK;
}

static void free_files(mcr_data_file *files, int n)
{
    for (int i = 0; i < n; i++)
        mcr_data_file_free(&files[i]);
}

/* Load, align, check for gaps, attach: models[i] named keys[i] in messages; a file name is
 * resolved unless resolved[i] (a copy of a model already loaded). */
static mcr_status load_all(const mcr_load *c, const mcr_config *cfg, mcr_data_file *files,
                           mcr_model *const *models, const char *const *keys,
                           const bool *resolved, int n)
{
    char key[MCR_KEYPATH_MAX + 8];
    mcr_error merr = {0};
    for (int i = 0; i < n; i++) {
        mcr_data_model *d = &models[i]->data;
        snprintf(key, sizeof key, "%s.data", keys[i]);
        const char *col = d->column;
        mcr_status st = resolved[i] ? MCR_OK : resolve(c, key, d);
        if (st == MCR_OK && mcr_sha256_file(d->data, d->sha256, &merr) != MCR_OK)
            st = mcr_load_fail(c, key, "%s", merr.msg);
        if (st == MCR_OK && mcr_data_file_load(d->data, &col, 1, &files[i], &merr) != MCR_OK)
            st = mcr_load_fail(c, key, "%s", merr.msg);
        if (st != MCR_OK)
            return st;
    }
    const mcr_data_file *fp[MCR_MAX_ASSETS];
    int *rows[MCR_MAX_ASSETS] = {0};
    int32_t *days = NULL;
    int n_days = 0;
    for (int i = 0; i < n; i++)
        fp[i] = &files[i];
    snprintf(key, sizeof key, "%s.data", keys[0]);
    if (mcr_data_align(fp, n, &days, &n_days, rows, &merr) != MCR_OK)
        return mcr_load_fail(c, key, "%s", merr.msg);
    mcr_status st = MCR_OK;
    double *price = malloc((size_t)n_days * sizeof *price);
    if (!price)
        st = mcr_load_fail(c, key, "out of memory for %d days", n_days);
    for (int k = 1; st == MCR_OK && k < n_days; k++)
        if (days[k] - days[k - 1] != 1) {
            char a[11], b[11];
            mcr_date_format(days[k - 1], a);
            mcr_date_format(days[k], b);
            st = mcr_load_fail(c, key, "%s%s: no data between %s and %s; allowed: one row a "
                               "day without gaps", files[0].path, n > 1 ? " (and the other "
                               "data files, on the dates they share)" : "", a, b);
        }
    for (int i = 0; st == MCR_OK && i < n; i++) {
        mcr_model *m = models[i];
        for (int k = 0; k < n_days; k++)
            price[k] = files[i].col[0][rows[i][k]];
        if (mcr_model_kind_of(m)->attach(mcr_model_params(m), NULL, days[0], price, n_days,
                                         cfg->horizon_days, keys[i], &merr) != MCR_OK ||
            mcr_model_step_check(m, mcr_config_dt(cfg), keys[i], &merr) != MCR_OK)
            st = mcr_load_keyed(c, keys[i], &merr);
    }
    free(price);
    free(days);
    for (int i = 0; i < n; i++)
        free(rows[i]);
    return st;
}

/* The models that draw days draw the same ones: same window, same block length. */
static mcr_status check_shared_days(const mcr_load *c, mcr_model *const *models,
                                    const char *const *keys, int n)
{
    int first = -1;
    for (int a = 0; a < n; a++) {
        const mcr_model *m = models[a];
        if (!draws_days(m))
            continue;
        if (first < 0) {
            first = a;
            continue;
        }
        const mcr_data_model *d0 = &models[first]->data, *d = &m->data;
        if (d->block_days != d0->block_days)
            return mcr_load_fail(c, keys[a], "block_days %g differs from %s's %g; allowed: the "
                                 "same block length for every bootstrap and fhs asset (they "
                                 "draw the same days)", d->block_days, keys[first],
                                 d0->block_days);
        if (d->series->n != d0->series->n || strcmp(d->start, d0->start) != 0)
            return mcr_load_fail(c, keys[a], "its window (start, end) differs from %s's; "
                                 "allowed: the same window for every bootstrap and fhs asset "
                                 "(they draw the same days)", keys[first]);
    }
    return MCR_OK;
}

mcr_status mcr_data_sources_load_models(const mcr_load *c, const mcr_config *cfg,
                                        mcr_model *const *models, const char *const *keys,
                                        const bool *resolved, int n)
{
    mcr_data_file files[MCR_MAX_ASSETS];
    memset(files, 0, sizeof files);
    if (n == 0)
        return MCR_OK;
    mcr_status st = load_all(c, cfg, files, models, keys, resolved, n);
    free_files(files, n);
    return st ? st : check_shared_days(c, models, keys, n);
}

mcr_status mcr_data_sources_load(const mcr_load *c, mcr_config *cfg)
{
    mcr_model *models[MCR_MAX_ASSETS];
    char key[MCR_MAX_ASSETS][MCR_KEYPATH_MAX];
    const char *keys[MCR_MAX_ASSETS];
    bool resolved[MCR_MAX_ASSETS] = {0};
    int n = 0;
    for (int a = 0; a < cfg->n_assets; a++)
        if (mcr_model_has_data(&cfg->assets[a].model)) {
            snprintf(key[n], sizeof key[n], "market.assets[%d].model", a);
            keys[n] = key[n];
            models[n++] = &cfg->assets[a].model;
        }
    return mcr_data_sources_load_models(c, cfg, models, keys, resolved, n);
}

mcr_status mcr_data_sources_check_correlation(const mcr_load *c, const mcr_config *cfg,
                                              int scenario, const double corr[][MCR_MAX_ASSETS],
                                              const char *key)
{
    for (int a = 0; a < cfg->n_assets; a++)
        for (int j = 0; j < cfg->n_assets; j++) {
            if (j == a || corr[a][j] == 0.0)
                continue;
            if (mcr_model_has_data(scenario < 0 ? &cfg->assets[a].model
                                                : mcr_config_model(cfg, scenario, a)))
                return mcr_load_fail(c, key, "[%d][%d] is %g, but %s has a data model; allowed: "
                                     "0 (a data asset takes no correlated shock: assets that "
                                     "draw the same days keep the data's own correlation)", a,
                                     j, corr[a][j], cfg->assets[a].name);
            if (cfg->assets[a].peg.on)
                return mcr_load_fail(c, key, "[%d][%d] is %g, but %s is pegged; allowed: 0 (a "
                                     "pegged asset takes no shock of its own: it moves with %s)",
                                     a, j, corr[a][j], cfg->assets[a].name,
                                     cfg->assets[cfg->assets[a].peg.to].name);
        }
    return MCR_OK;
}
