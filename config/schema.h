/* The config loader's machinery over the key table (core/keys.h), shared by the section files
 * of config/ (run_keys.c, market_keys.c, ...). Config-internal.
 *
 * A config is loaded in passes, each doing what it is good at:
 *  1. libyaml builds a node tree (syntax errors; the line of every key, yaml_lines.h);
 *  2. mcr_keys_validate walks the tree against the rows: unknown keys (naming the kind whose key
 *     it is), the spelling of numbers, integers and booleans (libcyaml accepts "1.5" for an
 *     integer and "maybe" for a bool), ranges, enumerations, asset names, list lengths and
 *     required keys, each error naming the key, its line and what is allowed;
 *  3. libcyaml loads the values through a schema generated from the same rows (mcr_keys_load);
 *     a mapping whose keys depend on its kind (a model, a book position, a strategy part) is
 *     loaded on its own with its kind's schema;
 *  4. defaults fill what was not given, and each section's own code checks what one key alone
 *     cannot (names unique, levels increasing, a window inside the horizon, a kind's check). */
#ifndef MCR_CONFIG_SCHEMA_H
#define MCR_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "yaml_lines.h"

#define MCR_KEYPATH_MAX 256
#define MCR_MAX_ROWS 96 /* rows of one mapping, includes expanded */

/* A row of a mapping with INCLUDEs expanded: the row and the offset its struct starts at. */
typedef struct mcr_row_ref {
    const mcr_key *k;
    size_t base;
} mcr_row_ref;

int mcr_keys_flatten(const mcr_key *rows, size_t base, mcr_row_ref *out, int n, int cap);
/* The word `text` among w, or NULL. */
const mcr_key_word *mcr_word_find(const mcr_key_word *w, const char *text);

typedef struct mcr_load {
    const char *source;      /* the file name, for messages */
    const mcr_yaml_doc *doc;
    mcr_error *err;
    int fallback_line;       /* used when a path is not in the tree, or 0 */
    const char *dir;         /* the config file's directory (relative file names), or NULL */
    const mcr_config_kinds *kinds;
    /* the names under market.assets, known before the walk, for ASSET keys */
    int n_assets;
    char asset_names[MCR_MAX_ASSETS][MCR_NAME_MAX];
} mcr_load;

/* "SOURCE:LINE: PATH: what": LINE is that of PATH's key, or of its deepest existing parent for a
 * missing key; left out only when not even the first step of PATH exists. */
mcr_status mcr_load_fail(const mcr_load *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A message "KEY.PATH: what" from a lower layer (a model's or a kind's check) at KEY.PATH's line
 * (`fallback`'s when the message names no key). */
mcr_status mcr_load_keyed(const mcr_load *c, const char *fallback, const mcr_error *merr);
/* The text written at PATH, shortened: quoted ("many") or bare (-0.2); "a list", "a mapping",
 * "nothing". */
const char *mcr_load_got(const mcr_load *c, const char *path, bool quoted, char *buf, size_t cap);
#define MCR_GOT(c, path) mcr_load_got((c), (path), false, (char[64]){0}, 64)
#define MCR_GOT_QUOTED(c, path) mcr_load_got((c), (path), true, (char[64]){0}, 64)
bool mcr_load_has(const mcr_load *c, const char *path);
const yaml_node_t *mcr_load_node(const mcr_load *c, const char *path);
/* Append ".key" or "[index]" to a key path held in buf. */
void mcr_path_push(char *buf, size_t cap, const char *key, long index);

/* Pass 2: the mapping n at `path` against `rows` (and, for a kind mapping, see below). `extra`
 * lists keys the section handles itself (", "-separated), accepted and not walked. */
mcr_status mcr_keys_validate(const mcr_load *c, const yaml_node_t *n, const mcr_key *rows,
                             const char *extra, const char *path);
/* The kind mapping n at `path` (selector, common rows and the kind's rows); *kind gets its
 * index. */
mcr_status mcr_kind_validate(const mcr_load *c, const yaml_node_t *n, const mcr_kind_table *t,
                             const char *extra, const char *path, int *kind);

/* Passes 3 and 4 for the whole document: libcyaml loads every key of `rows` into dest (a struct
 * of `size` bytes), then defaults fill the absent keys and kind mappings are loaded with their
 * kinds' schemas. */
mcr_status mcr_keys_load_root(const mcr_load *c, const char *text, size_t len,
                              const mcr_key *rows, void *dest, size_t size);
/* The same for one kind mapping n at `path` into dest (a struct of t->size bytes). */
mcr_status mcr_kind_load(const mcr_load *c, const yaml_node_t *n, const mcr_kind_table *t,
                         const char *extra, const char *path, void *dest);


/* Checks and conversions the sections share. */
mcr_status mcr_check_name(const mcr_load *c, const char *path, const char *name);
mcr_status mcr_check_unique(const mcr_load *c, const char *path, const char *name,
                            const char *prefix, const char *first, size_t stride, int n);
/* "BTC, ETH" */
const char *mcr_asset_list(const mcr_load *c, char *buf, size_t cap);
/* "a, b, c": the names of a NULL-ended word list or of a kind table. */
const char *mcr_words_list(const mcr_key_word *w, char *buf, size_t cap);
const char *mcr_kinds_list(const mcr_kind_table *t, char *buf, size_t cap);

/* The sections: their rows (for the walk, the load and the reference) and their checks, run in
 * this order once the values are in cfg. */
mcr_status mcr_run_check(const mcr_load *c, mcr_config *cfg);
mcr_status mcr_market_check(const mcr_load *c, mcr_config *cfg);
/* data_sources.c: read and attach the data models' files (before anything asks a data model
 * for its variance), and check that a correlation matrix leaves data assets uncorrelated. */
mcr_status mcr_data_sources_load(const mcr_load *c, mcr_config *cfg);
/* The same for n models (a scenario's, scenario_models.c), keys[i] naming models[i] in
 * messages; resolved[i]: its file name is already resolved (a copy of a loaded model). */
mcr_status mcr_data_sources_load_models(const mcr_load *c, const mcr_config *cfg,
                                        mcr_model *const *models, const char *const *keys,
                                        const bool *resolved, int n);
/* corr leaves the data assets of scenario `scenario` (-1: the market's models) uncorrelated. */
mcr_status mcr_data_sources_check_correlation(const mcr_load *c, const mcr_config *cfg,
                                              int scenario, const double corr[][MCR_MAX_ASSETS],
                                              const char *key);
/* scenarios[i].models (scenario_models.c): each entry checked, data models attached, the list
 * completed to one model per asset. */
mcr_status mcr_scenario_models_check(const mcr_load *c, int i, mcr_config *cfg);
mcr_status mcr_book_check(const mcr_load *c, mcr_config *cfg);
/* After the book: what run.variance_reduction needs of it (run_keys.c): book_option's option. */
mcr_status mcr_vr_book_check(const mcr_load *c, const mcr_config *cfg);
mcr_status mcr_strategies_validate(const mcr_load *c);
mcr_status mcr_strategies_load(const mcr_load *c, mcr_config *cfg);
mcr_status mcr_trading_check(const mcr_load *c, mcr_config *cfg);
/* After the strategies: the sweeps expanded (sweep_keys.c), then run.baseline and run.target's
 * strategy and level found among the final strategies and levels (run_keys.c). */
mcr_status mcr_sweeps_expand(const mcr_load *c, mcr_config *cfg);
mcr_status mcr_baseline_check(const mcr_load *c, mcr_config *cfg);
/* *index = the index of the strategy named `name` (left alone when name is ""); an error at
 * `path` when there is none (run_keys.c). */
mcr_status mcr_strategy_named(const mcr_load *c, const mcr_config *cfg, const char *path,
                              const char *name, int *index);
/* run.tail (tail_keys.c), after run.baseline: its strategy, and a market it can tilt. */
mcr_status mcr_tail_check(const mcr_load *c, mcr_config *cfg);
mcr_status mcr_scenarios_check(const mcr_load *c, mcr_config *cfg);
/* venue_keys.c: names unique (before the book and strategies, whose kinds look venues up). */
mcr_status mcr_venues_check(const mcr_load *c, mcr_config *cfg);

/* A correlation matrix at PATH (market.correlation, scenarios[].correlation): n rows of n
 * numbers, factored; absent or [] leaves corr and chol alone with *given false. */
mcr_status mcr_read_correlation(const mcr_load *c, const char *path, int n,
                                double corr[][MCR_MAX_ASSETS], double chol[][MCR_MAX_ASSETS],
                                bool *given);

/* The section tables mcr_config_keys is made of (each in its section's file). */
extern const mcr_key mcr_run_keys[], mcr_horizon_keys[], mcr_market_keys[],
    mcr_costs_keys[], mcr_funding_keys[], mcr_margin_keys[], mcr_perp_keys[],
    mcr_scenario_keys[], mcr_sweep_keys[], mcr_tail_keys[], mcr_venue_entry_keys[];
/* The strategy entry's own keys (strategies[].name, combine) before its kind's. */
extern const mcr_key mcr_strategy_entry_keys[];

#endif
