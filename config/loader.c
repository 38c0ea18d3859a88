/* The config loader's entry points (config.h): the top-level key table, the passes of schema.h in
 * order, the sections' checks, and command-line overrides of single keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* The whole config. Sections whose keys live in mcr_config itself (run, horizon, market) are
 * mappings over the config struct; portfolio entries are instrument kinds (the registry is
 * handed to the load: see top_rows); strategies are read by their section (book_keys.c). */
const mcr_key mcr_config_keys[] = {
    {.name = "run", .type = MCR_KEY_MAP, .size = sizeof(mcr_config), .sub = mcr_run_keys,
     .word_offset = (size_t)-1, .help = "Paths, seed, threads, the output file and what it keeps"},
    {.name = "horizon", .type = MCR_KEY_MAP, .size = sizeof(mcr_config), .sub = mcr_horizon_keys,
     .word_offset = (size_t)-1, .help = "How long the run looks ahead, in how many steps"},
    {.name = "market", .type = MCR_KEY_MAP, .flags = MCR_KEY_REQUIRED, .size = sizeof(mcr_config),
     .sub = mcr_market_keys, .word_offset = (size_t)-1,
     .help = "The assets (at least one), their price models and implied-vol surfaces, the cash "
             "rate and the correlation of their price shocks"},
    {.name = "portfolio", .type = MCR_KEY_LIST, .offset = offsetof(mcr_config, portfolio),
     .size = sizeof(mcr_position), .count_offset = offsetof(mcr_config, n_positions),
     .max_count = MCR_MAX_POSITIONS, .word_offset = (size_t)-1, .unit = "position",
     .help = "The book at risk (default: one unit of spot of the first asset)"},
    {.name = "strategies", .type = MCR_KEY_CUSTOM, .word_offset = (size_t)-1,
     .help = "Hedges compared on the same paths (default: [{name: unhedged, type: none}])"},
    {.name = "sweep", .type = MCR_KEY_LIST, .offset = offsetof(mcr_config, sweeps),
     .size = sizeof(mcr_sweep), .count_offset = offsetof(mcr_config, n_sweeps),
     .max_count = MCR_MAX_SWEEPS, .sub = mcr_sweep_keys, .word_offset = (size_t)-1,
     .unit = "sweep", .help = "Strategies expanded over values of one of their keys, named "
     "put[strike=0.85]; entries on one strategy form their product (README \"Comparing "
     "strategies\")"},
    MCR_KEY_M("costs", mcr_config, costs, mcr_costs_keys, "Trading costs of every trade"),
    MCR_KEY_M("funding", mcr_config, funding, mcr_funding_keys,
              "Perpetual funding, paid at every interval after t0"),
    MCR_KEY_M("margin", mcr_config, margin, mcr_margin_keys, "Margin of perpetual hedges"),
    MCR_KEY_M("perp", mcr_config, perp, mcr_perp_keys,
              "The perpetual's own (mark) price: its basis to spot"),
    {.name = "venues", .type = MCR_KEY_LIST, .flags = MCR_KEY_EMPTY_OK,
     .offset = offsetof(mcr_config, venues), .size = sizeof(mcr_venue_entry),
     .count_offset = offsetof(mcr_config, n_venues), .max_count = MCR_MAX_VENUES,
     .sub = mcr_venue_entry_keys, .word_offset = (size_t)-1, .unit = "venue",
     .help = "Venues and protocols that can fail: a default time per path (Poisson), what sits "
             "there loses 1 - recovery (README \"DeFi positions\"; default: none)"},
    {.name = "scenarios", .type = MCR_KEY_LIST, .offset = offsetof(mcr_config, scenarios),
     .size = sizeof(mcr_scenario), .count_offset = offsetof(mcr_config, n_scenarios),
     .max_count = MCR_MAX_SCENARIOS, .sub = mcr_scenario_keys, .word_offset = (size_t)-1,
     .unit = "scenario", .help = "Stress scenarios, all on the same random numbers (default: [{name: base}])"},
    MCR_KEY_END,
};

/* mcr_config_keys with the book's kinds of this load. */
static void top_rows(const mcr_config_kinds *kinds, mcr_key *rows)
{
    int n = mcr_keys_count(mcr_config_keys);
    memcpy(rows, mcr_config_keys, (size_t)(n + 1) * sizeof *rows);
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].name, "portfolio") == 0)
            rows[i].kinds = kinds->instruments;
}

/* The names under market.assets, for ASSET keys, before anything is loaded. */
static void collect_assets(mcr_load *c)
{
    const yaml_node_t *list = mcr_load_node(c, "market.assets");
    c->n_assets = 0;
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return;
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top && c->n_assets < MCR_MAX_ASSETS; it++) {
        const yaml_node_t *name = mcr_yaml_get(c->doc, mcr_yaml_node(c->doc, *it), "name");
        if (name && name->type == YAML_SCALAR_NODE)
            snprintf(c->asset_names[c->n_assets++], MCR_NAME_MAX, "%s",
                     (const char *)name->data.scalar.value);
    }
}

/* dir: the config file's directory, for relative file names (NULL: the working one). */
static mcr_status load_text(const char *text, size_t len, const char *source, const char *dir,
                            const mcr_config_kinds *kinds, mcr_config *cfg, mcr_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    mcr_yaml_doc doc;
    mcr_status st = mcr_yaml_doc_parse(&doc, text, len, source, err);
    if (st != MCR_OK)
        return st;
    mcr_load c = {.source = source, .doc = &doc, .err = err, .dir = dir, .kinds = kinds};
    collect_assets(&c);
    mcr_key rows[16];
    top_rows(kinds, rows);
    const yaml_node_t *root = mcr_yaml_root(&doc);
    char list[256];
    if (root && root->type != YAML_MAPPING_NODE)
        st = mcr_load_fail(&c, "", "a config is a mapping of sections (got %s); allowed: %s",
                           MCR_GOT_QUOTED(&c, ""), "run, horizon, market, portfolio, "
                           "strategies, sweep, costs, funding, margin, perp, venues, scenarios");
    else if (!root || !mcr_load_has(&c, "market"))
        st = mcr_load_fail(&c, "market", "required key missing; it must list at least one asset "
                           "under market.assets");
    (void)list;
    if (st == MCR_OK)
        st = mcr_keys_validate(&c, root, rows, NULL, "");
    if (st == MCR_OK)
        st = mcr_strategies_validate(&c);
    if (st == MCR_OK)
        st = mcr_keys_load_root(&c, text, len, rows, cfg, sizeof *cfg);
    if (st == MCR_OK)
        st = mcr_run_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_market_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_venues_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_book_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_vr_book_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_trading_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_strategies_load(&c, cfg);
    if (st == MCR_OK)
        st = mcr_sweeps_expand(&c, cfg);
    if (st == MCR_OK)
        st = mcr_baseline_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_tail_check(&c, cfg);
    if (st == MCR_OK)
        st = mcr_scenarios_check(&c, cfg);
    mcr_yaml_doc_free(&doc);
    if (st == MCR_OK) {
        cfg->kinds = *kinds;
        cfg->yaml = malloc(len + 1);
        if (!cfg->yaml) {
            st = mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", source);
        } else {
            memcpy(cfg->yaml, text, len);
            cfg->yaml[len] = '\0';
            snprintf(cfg->source, sizeof cfg->source, "%s", source);
        }
    }
    if (st != MCR_OK)
        mcr_config_free(cfg);
    return st;
}

mcr_status mcr_config_parse_string(const char *yaml, const char *source,
                                   const mcr_config_kinds *kinds, mcr_config *cfg, mcr_error *err)
{
    if (!source)
        source = "<string>";
    if (!yaml) {
        memset(cfg, 0, sizeof *cfg);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no config text", source);
    }
    return load_text(yaml, strlen(yaml), source, NULL, kinds, cfg, err);
}

mcr_status mcr_config_parse_file(const char *path, const mcr_config_kinds *kinds, mcr_config *cfg,
                                 mcr_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    FILE *f = fopen(path, "rb");
    if (!f)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot read config: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    int read_errno = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? 2 * cap : 16384;
            char *bigger = realloc(text, cap);
            if (!bigger) {
                free(text);
                fclose(f);
                return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory reading the config", path);
            }
            text = bigger;
        }
        size_t got_bytes = fread(text + len, 1, cap - len - 1, f);
        len += got_bytes;
        if (got_bytes == 0) {
            if (ferror(f))
                read_errno = errno ? errno : EIO;
            break;
        }
    }
    fclose(f);
    if (read_errno) {
        free(text);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot read config: %s", path,
                        strerror(read_errno));
    }
    text[len] = '\0';
    /* "configs/x.yaml" -> "configs"; a bare name is in the working directory already */
    char dir[MCR_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    mcr_status st = load_text(text, len, path, slash ? dir : NULL, kinds, cfg, err);
    free(text);
    return st;
}

mcr_status mcr_config_override(mcr_config *cfg, const char *key, const char *value,
                               const char *flag, mcr_error *err)
{
    size_t offset;
    const mcr_key *k = mcr_keys_find(mcr_config_keys, key, &offset);
    if (!k)
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s: no config key %s", flag, key);
    char *at = (char *)cfg + offset, *end, expected[256];
    errno = 0;
    switch (k->type) {
    case MCR_KEY_INT: {
        if (k->flags & MCR_KEY_UNSIGNED) {
            unsigned long long v = strtoull(value, &end, 10);
            if (!*value || *value == '-' || *end || errno)
                return mcr_fail(err, MCR_ERR_INPUT, "%s: expected a whole number >= 0 (got '%s')",
                                flag, value);
            *(unsigned long long *)at = v;
            return MCR_OK;
        }
        long long v = strtoll(value, &end, 10);
        if (!*value || *end || errno || !mcr_key_in_range(k, (double)v))
            return mcr_fail(err, MCR_ERR_INPUT, "%s: must be %s (got '%s')", flag,
                            mcr_key_expected(k, expected, sizeof expected), value);
        if (k->size == sizeof(int))
            *(int *)at = (int)v;
        else
            *(long long *)at = v;
        return MCR_OK;
    }
    case MCR_KEY_FLOAT: {
        double v = strtod(value, &end);
        if (!*value || *end || !mcr_key_in_range(k, v))
            return mcr_fail(err, MCR_ERR_INPUT, "%s: must be %s (got '%s')", flag,
                            mcr_key_expected(k, expected, sizeof expected), value);
        *(double *)at = v;
        return MCR_OK;
    }
    case MCR_KEY_STRING:
        if (strlen(value) + 1 > k->size || (k->flags & MCR_KEY_NONEMPTY && !*value))
            return mcr_fail(err, MCR_ERR_INPUT, "%s: must be a non-empty %s of at most %zu "
                            "characters", flag, k->help ? k->help : "string", k->size - 1);
        snprintf(at, k->size, "%s", value);
        return MCR_OK;
    default:
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s: %s cannot be set from the command line", flag,
                        key);
    }
}

mcr_status mcr_config_check(const mcr_config *cfg, mcr_error *err)
{
    static const char *const keys[] = {"run.paths", "run.threads"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t offset;
        const mcr_key *k = mcr_keys_find(mcr_config_keys, keys[i], &offset);
        const char *at = (const char *)cfg + offset;
        double v = k->size == sizeof(int) ? *(const int *)at : (double)*(const long long *)at;
        char expected[256], got[40];
        if (!mcr_key_in_range(k, v))
            return mcr_fail(err, MCR_ERR_INPUT, "%s: must be %s (got %s)", keys[i],
                            mcr_key_expected(k, expected, sizeof expected),
                            mcr_key_number_text(v, got, sizeof got));
    }
    if (cfg->output[0] == '\0' || !memchr(cfg->output, '\0', sizeof cfg->output))
        return mcr_fail(err, MCR_ERR_INPUT, "run.output: must be a non-empty file name");
    return MCR_OK;
}

void mcr_config_free(mcr_config *cfg)
{
    free(cfg->yaml);
    cfg->yaml = NULL;
    free(cfg->overrides);
    cfg->overrides = NULL;
    cfg->n_overrides = 0;
}
