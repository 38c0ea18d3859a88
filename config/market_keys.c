/* The `market` section: the cash rate, the assets (name, spot, model, implied-vol surface, path
 * file) and the correlation of their price shocks. The keys of each model are the model's own
 * (models/), selected by its `type`. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/correlation.h"
#include "schema.h"

#define MCR_RATE_MAX 1.0 /* |rate| per year, continuously compounded */
#define MCR_VOL_MAX 10.0 /* the surface's own limit on atm (vol_surface.h) */

/* market.assets[].peg: the reference asset and the peg process's own keys (models/peg.c). */
static const mcr_key peg_keys[] = {
    MCR_KEY_A("to", mcr_asset_peg, to, MCR_KEY_REQUIRED, NULL,
              "the reference asset (stETH: ETH); the price is the reference's x peg_t"),
    MCR_KEY_INC(mcr_asset_peg, params, mcr_peg_params_keys),
    MCR_KEY_END,
};

static const mcr_key asset_keys[] = {
    MCR_KEY_S("name", mcr_asset, name, MCR_KEY_REQUIRED | MCR_KEY_NAME, NULL,
              "every asset needs a name ([A-Za-z0-9_.-])"),
    MCR_KEY_F("spot", mcr_asset, spot, MCR_KEY_REQUIRED | MCR_RANGE_CLOSED, MCR_PRICE_MIN,
              MCR_PRICE_MAX, 0, "quote currency", "the price at time 0"),
    {.name = "model", .type = MCR_KEY_KIND, .offset = offsetof(mcr_asset, model),
     .kinds = &mcr_model_kind_table, .word_offset = (size_t)-1,
     .help = "the price process, e.g. {type: gbm, sigma: 0.8}; required unless `peg` is given"},
    {.name = "peg", .type = MCR_KEY_MAP, .offset = offsetof(mcr_asset, peg),
     .size = sizeof(mcr_asset_peg), .sub = peg_keys, .word_offset = (size_t)-1,
     .help = "instead of `model`: pegged to another asset, price = the reference's x peg_t, "
             "peg_t jumping down and recovering (README \"Pegged assets\")"},
    {.name = "implied_vol", .type = MCR_KEY_MAP, .offset = offsetof(mcr_asset, implied_vol),
     .size = sizeof(mcr_vol_surface), .sub = mcr_vol_surface_keys, .word_offset = (size_t)-1,
     .help = "the surface options are priced, marked and hedged on"},
    MCR_KEY_S("path_file", mcr_asset, path_file, 0, NULL,
              "a CSV of prices replayed instead of simulating the model (relative to the config "
              "file's directory)"),
    {.name = "oracle", .type = MCR_KEY_MAP, .flags = MCR_KEY_ONE_OF,
     .offset = offsetof(mcr_asset, oracle), .size = sizeof(mcr_oracle), .sub = mcr_oracle_keys,
     .word_offset = (size_t)-1,
     .help = "the price DeFi rules (a loan's health factor) see: {lag_steps: k} or "
             "{twap_steps: k}; absent: the market price"},
    MCR_KEY_END,
};

const mcr_key mcr_market_keys[] = {
    MCR_KEY_S("currency", mcr_config, currency, MCR_KEY_NONEMPTY, "USD",
              "the quote currency every price, P&L and notional is in: a label for the table, "
              "plots and report (no conversion)"),
    MCR_KEY_F("rate", mcr_config, rate, MCR_RANGE_CLOSED, -MCR_RATE_MAX, MCR_RATE_MAX, 0,
              "per year", "the cash rate, continuously compounded"),
    {.name = "assets", .type = MCR_KEY_LIST, .flags = MCR_KEY_REQUIRED,
     .offset = offsetof(mcr_config, assets), .size = sizeof(mcr_asset),
     .count_offset = offsetof(mcr_config, n_assets), .max_count = MCR_MAX_SIM_ASSETS,
     .sub = asset_keys, .word_offset = (size_t)-1, .unit = "asset",
     .help = "the assets simulated together (at most 8), each with name, spot and model"},
    {.name = "correlation", .type = MCR_KEY_CUSTOM, .word_offset = (size_t)-1,
     .help = "correlation of the assets' Brownian price shocks: a list of n rows of n numbers "
             "(default: the identity)"},
    MCR_KEY_END,
};

static long seq_count(const yaml_node_t *n)
{
    return n->data.sequence.items.top - n->data.sequence.items.start;
}

/* Reads the n x n correlation matrix at PATH, a list of n rows of n numbers, and factors it.
 * Absent or [] (a placeholder) means not given: *given = false, and corr and chol are left
 * alone. Shared with scenarios[].correlation. */
mcr_status mcr_read_correlation(const mcr_load *c, const char *path, int n,
                                double corr[][MCR_MAX_ASSETS], double chol[][MCR_MAX_ASSETS],
                                bool *given)
{
    const yaml_node_t *m = mcr_load_node(c, path);
    *given = m && !(m->type == YAML_SEQUENCE_NODE && seq_count(m) == 0);
    if (!*given)
        return MCR_OK;
    char got_rows[32];
    if (m->type == YAML_SEQUENCE_NODE)
        snprintf(got_rows, sizeof got_rows, "%ld row%s", seq_count(m),
                 seq_count(m) == 1 ? "" : "s");
    else
        snprintf(got_rows, sizeof got_rows, "%s", MCR_GOT_QUOTED(c, path));
    if (m->type != YAML_SEQUENCE_NODE || seq_count(m) != n)
        return mcr_load_fail(c, path, "must be a list of %d lists of %d numbers, one row and one "
                             "column per asset (got %s)", n, n, got_rows);
    for (int i = 0; i < n; i++) {
        char row_path[MCR_KEYPATH_MAX], entry_path[MCR_KEYPATH_MAX + 16];
        snprintf(row_path, sizeof row_path, "%s[%d]", path, i);
        const yaml_node_t *row = mcr_yaml_node(c->doc, m->data.sequence.items.start[i]);
        if (row->type != YAML_SEQUENCE_NODE)
            return mcr_load_fail(c, row_path, "must be a list of %d numbers, one per asset (got "
                                 "%s)", n, MCR_GOT_QUOTED(c, row_path));
        if (seq_count(row) != n)
            return mcr_load_fail(c, row_path, "must be a list of %d numbers, one per asset (got "
                                 "%ld)", n, seq_count(row));
        for (int j = 0; j < n; j++) {
            snprintf(entry_path, sizeof entry_path, "%s[%d]", row_path, j);
            const yaml_node_t *e = mcr_yaml_node(c->doc, row->data.sequence.items.start[j]);
            char *end = NULL;
            double v = e->type == YAML_SCALAR_NODE
                           ? strtod((const char *)e->data.scalar.value, &end)
                           : 0;
            if (e->type != YAML_SCALAR_NODE || end == (const char *)e->data.scalar.value ||
                *end != '\0')
                return mcr_load_fail(c, entry_path, "expected a number (got %s)",
                                     MCR_GOT_QUOTED(c, entry_path));
            if (!isfinite(v))
                return mcr_load_fail(c, entry_path, "must be a finite number (got %s)",
                                     MCR_GOT(c, entry_path));
            corr[i][j] = v;
        }
    }
    mcr_error merr = {0};
    if (mcr_correlation_cholesky(&corr[0][0], n, MCR_MAX_ASSETS, &chol[0][0], path, &merr))
        return mcr_load_keyed(c, path, &merr);
    return MCR_OK;
}

/* implied_vol: with neither atm nor term points the ATM vol is flat at the model's total
 * volatility over the horizon (models/: mcr_model_total_variance). */
static mcr_status check_surface(const mcr_load *c, int i, double horizon_years, mcr_asset *a)
{
    char path[MCR_KEYPATH_MAX], at[MCR_KEYPATH_MAX + 8];
    snprintf(path, sizeof path, "market.assets[%d].implied_vol", i);
    snprintf(at, sizeof at, "%s.atm", path);
    if (!mcr_load_has(c, at) && a->implied_vol.n_term == 0) {
        double vol = sqrt(mcr_model_total_variance(&a->model, horizon_years));
        if (!(vol <= MCR_VOL_MAX))
            return mcr_load_fail(c, path, "required here: the model's total volatility over the "
                                 "horizon (%g) is above the surface's limit of %g; give "
                                 "implied_vol: {atm: ...}", vol, MCR_VOL_MAX);
        a->implied_vol.atm = vol;
        a->implied_vol_from_model = true;
    }
    mcr_error merr = {0};
    if (mcr_vol_surface_check(&a->implied_vol, path, &merr) != MCR_OK)
        return mcr_load_keyed(c, path, &merr);
    return MCR_OK;
}

/* path_file: only checked to be readable here; the engine loads it (scenario/path_file.h). A
 * relative name is relative to the config file's directory. */
static mcr_status check_path_file(const mcr_load *c, int i, mcr_asset *a)
{
    char path[MCR_KEYPATH_MAX], name[MCR_PATH_MAX];
    snprintf(path, sizeof path, "market.assets[%d].path_file", i);
    if (!mcr_load_has(c, path))
        return MCR_OK;
    snprintf(name, sizeof name, "%s", a->path_file);
    if (name[0] == '\0')
        return mcr_load_fail(c, path, "must not be empty; allowed: the name of a CSV file of "
                             "prices, one row per step and one column per path");
    int len = c->dir && name[0] != '/'
                  ? snprintf(a->path_file, sizeof a->path_file, "%s/%s", c->dir, name)
                  : snprintf(a->path_file, sizeof a->path_file, "%s", name);
    if (len < 0 || (size_t)len >= sizeof a->path_file)
        return mcr_load_fail(c, path, "file name too long; allowed: at most %d characters",
                             MCR_PATH_MAX - 1);
    errno = 0;
    FILE *f = fopen(a->path_file, "r");
    int e = errno;
    if (f) { /* a directory opens but cannot be read */
        (void)getc(f);
        e = ferror(f) ? (errno ? errno : EIO) : 0;
        fclose(f);
    }
    if (!f || e)
        return mcr_load_fail(c, path, "cannot read \"%s\": %s; allowed: a readable CSV file of "
                             "prices (a relative name is relative to the config file's "
                             "directory)", a->path_file, strerror(e ? e : EIO));
    return MCR_OK;
}

/* model or peg, exactly one; peg.on says which. */
static mcr_status check_model_or_peg(const mcr_load *c, int i, mcr_asset *a)
{
    char model[MCR_KEYPATH_MAX], peg[MCR_KEYPATH_MAX];
    snprintf(model, sizeof model, "market.assets[%d].model", i);
    snprintf(peg, sizeof peg, "market.assets[%d].peg", i);
    bool has_model = mcr_load_has(c, model), has_peg = mcr_load_has(c, peg);
    if (!has_model && !has_peg)
        return mcr_load_fail(c, model, "required key missing; the price process, e.g. {type: "
                             "gbm, sigma: 0.8} (or peg: {to: ASSET, ...} for a pegged asset)");
    if (has_model && has_peg)
        return mcr_load_fail(c, peg, "not allowed with model; allowed: one of model and peg (a "
                             "pegged asset's price is its reference's x peg_t)");
    a->peg.on = has_peg;
    return MCR_OK;
}

/* A pegged asset: its reference is another asset, not pegged, with a simulated model; peg_0 =
 * spot / the reference's spot is in (0, 1]; it replays no file (its price follows the
 * reference's). Its model becomes a GBM at the reference's total volatility over the horizon,
 * which only prices its options (the default implied vol). */
static mcr_status check_peg(const mcr_load *c, mcr_config *cfg, int i)
{
    mcr_asset *a = &cfg->assets[i];
    char path[MCR_KEYPATH_MAX];
    snprintf(path, sizeof path, "market.assets[%d].peg.to", i);
    const mcr_asset *ref = &cfg->assets[a->peg.to];
    if (a->peg.to == i || ref->peg.on || mcr_model_has_data(&ref->model))
        return mcr_load_fail(c, path, "%s cannot be the reference; allowed: another asset with "
                             "a simulated model (gbm, merton, kou, heston, bates), not pegged "
                             "itself", ref->name);
    snprintf(path, sizeof path, "market.assets[%d].path_file", i);
    if (mcr_load_has(c, path))
        return mcr_load_fail(c, path, "not allowed for a pegged asset: its price is its "
                             "reference's x peg_t, simulated on the reference's replayed path");
    snprintf(path, sizeof path, "market.assets[%d].spot", i);
    if (!(a->spot <= ref->spot))
        return mcr_load_fail(c, path, "must be at most %s's spot %g for an asset pegged to it "
                             "(got %g): the peg at t0 is spot / %g, in (0, 1]", ref->name,
                             ref->spot, a->spot, ref->spot);
    double var = mcr_model_total_variance(&ref->model, cfg->horizon_days / 365.0);
    a->model = (mcr_model){.type = MCR_MODEL_GBM,
                           .gbm = {.mu = mcr_model_mu(&ref->model), .sigma = sqrt(var)}};
    return MCR_OK;
}

mcr_status mcr_market_check(const mcr_load *c, mcr_config *cfg)
{
    mcr_status st;
    if (!mcr_load_has(c, "market"))
        return mcr_load_fail(c, "market", "required key missing; it must list at least one asset "
                             "under market.assets");
    for (int i = 0; i < cfg->n_assets; i++)
        if ((st = check_model_or_peg(c, i, &cfg->assets[i])))
            return st;
    if ((st = mcr_data_sources_load(c, cfg)))
        return st;
    for (int i = 0; i < cfg->n_assets; i++) {
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "market.assets[%d].name", i);
        if ((st = mcr_check_unique(c, path, cfg->assets[i].name, "market.assets",
                                   cfg->assets[0].name, sizeof cfg->assets[0], i)))
            return st;
        mcr_error merr = {0};
        snprintf(path, sizeof path, "market.assets[%d].model", i);
        if (!cfg->assets[i].peg.on &&
            mcr_model_check(&cfg->assets[i].model, path, &merr) != MCR_OK)
            return mcr_load_keyed(c, path, &merr);
    }
    for (int i = 0; i < cfg->n_assets; i++) {
        if (cfg->assets[i].peg.on && (st = check_peg(c, cfg, i)))
            return st;
        if ((st = check_surface(c, i, cfg->horizon_days / 365.0, &cfg->assets[i])) ||
            (st = check_path_file(c, i, &cfg->assets[i])))
            return st;
    }
    bool given;
    mcr_correlation_identity(&cfg->correlation[0][0], cfg->n_assets, MCR_MAX_ASSETS);
    mcr_correlation_identity(&cfg->cholesky[0][0], cfg->n_assets, MCR_MAX_ASSETS);
    if ((st = mcr_read_correlation(c, "market.correlation", cfg->n_assets, cfg->correlation,
                                   cfg->cholesky, &given)))
        return st;
    return mcr_data_sources_check_correlation(c, cfg, -1, cfg->correlation,
                                              "market.correlation");
}
