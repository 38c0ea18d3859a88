/* The key table and the registries: docs/CONFIG.md is the generated reference (no drift), every
 * registered model, instrument and strategy kind is in it, and every row of every table is
 * well formed (help text, defaults inside their ranges, enumeration defaults among their words,
 * no key declared twice in one mapping). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "strategies/strategy.h"

/* The reference as `mcrisk config --reference` prints it. */
static char *reference(size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    cr_assert_not_null(f);
    mcr_config_reference(f, mcr_registry());
    fclose(f);
    return text;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return text;
}

Test(reference, docs_config_md_is_up_to_date)
{
    size_t n_gen, n_doc;
    char *gen = reference(&n_gen), *doc = read_file(MCR_SOURCE_DIR "/docs/CONFIG.md", &n_doc);
    size_t i = 0;
    while (i < n_gen && i < n_doc && gen[i] == doc[i])
        i++;
    cr_assert(i == n_gen && i == n_doc,
              "docs/CONFIG.md differs from `mcrisk config --reference` at byte %zu: regenerate "
              "it with build/mcrisk config --reference > docs/CONFIG.md", i);
    free(gen);
    free(doc);
}

static void expect_heading(const char *text, const char *what, const char *name)
{
    char heading[160];
    snprintf(heading, sizeof heading, "#### %s `%s`\n", what, name);
    cr_assert_not_null(strstr(text, heading), "the reference lacks %s", heading);
}

Test(reference, every_registered_kind_is_listed)
{
    size_t n;
    char *text = reference(&n);
    for (int i = 0; i < MCR_MODEL_COUNT; i++)
        expect_heading(text, "model type", mcr_model_kinds[i]->spec.name);
    for (int i = 0; i < mcr_n_instruments; i++)
        expect_heading(text, "instrument", mcr_instruments[i]->spec.name);
    for (int i = 0; i < mcr_n_strategy_kinds; i++)
        expect_heading(text, "strategy type", mcr_strategy_kinds[i]->spec.name);
    /* and the kind tables the loader selects from hold the same kinds, in registry order */
    const mcr_config_kinds *k = mcr_registry();
    cr_assert_eq(k->strategies->n_kinds, mcr_n_strategy_kinds);
    for (int i = 0; i < mcr_n_strategy_kinds; i++)
        cr_assert_eq(k->strategies->kinds[i], &mcr_strategy_kinds[i]->spec);
    cr_assert_eq(k->instruments->n_kinds, mcr_n_instruments);
    for (int i = 0; i < mcr_n_instruments; i++)
        cr_assert_eq(k->instruments->kinds[i], &mcr_instruments[i]->spec);
    free(text);
}

/* One table's rows (and nested ones): help on every key, defaults inside their range, words. */
static void check_rows(const mcr_key *rows, const char *where)
{
    for (const mcr_key *k = rows; k && k->name; k++) {
        if (k->type == MCR_KEY_INCLUDE) {
            check_rows(k->sub, where);
            continue;
        }
        cr_assert(k->help && *k->help, "%s.%s: no help text", where, k->name);
        for (const mcr_key *j = rows; j < k; j++)
            cr_assert(j->type == MCR_KEY_INCLUDE || strcmp(j->name, k->name) != 0,
                      "%s.%s declared twice", where, k->name);
        bool number = k->type == MCR_KEY_FLOAT || k->type == MCR_KEY_INT;
        if (number && !(k->flags & MCR_KEY_REQUIRED) && !k->def_text &&
            !(k->flags & MCR_KEY_UNSIGNED))
            cr_assert(mcr_key_in_range(k, k->def), "%s.%s: default %g outside its range", where,
                      k->name, k->def);
        if (k->type == MCR_KEY_ENUM) {
            bool found = false;
            for (const mcr_key_word *w = k->words; w && w->word; w++)
                found |= w->value == (int)k->def;
            cr_assert(found, "%s.%s: default is none of its words", where, k->name);
        }
        if (k->type == MCR_KEY_FLOATS)
            for (int i = 0; i < k->def_count; i++)
                cr_assert(mcr_key_in_range(k, k->def_list[i]), "%s.%s: default out of range",
                          where, k->name);
        if ((k->type == MCR_KEY_MAP || k->type == MCR_KEY_LIST) && k->sub) {
            char inner[256];
            snprintf(inner, sizeof inner, "%s.%s", where, k->name);
            check_rows(k->sub, inner);
        }
    }
}

static void check_kinds(const mcr_kind_table *t)
{
    for (int i = 0; i < t->n_kinds; i++) {
        cr_assert(t->kinds[i]->help && *t->kinds[i]->help, "%s %s: no help", t->what,
                  t->kinds[i]->name);
        check_rows(t->kinds[i]->keys, t->kinds[i]->name);
        cr_assert(t->kinds[i]->params_size <= MCR_PARAMS_MAX || t == &mcr_model_kind_table,
                  "%s %s: its keys do not fit the %d bytes of a part's params", t->what,
                  t->kinds[i]->name, MCR_PARAMS_MAX);
    }
    check_rows(t->common, t->what);
}

Test(reference, every_row_is_well_formed)
{
    check_rows(mcr_config_keys, "config");
    check_kinds(&mcr_model_kind_table);
    check_kinds(mcr_registry()->instruments);
    check_kinds(mcr_registry()->strategies);
}

/* A key declared once drives the command-line override too: its range and message. */
Test(reference, overrides_use_the_key_rows)
{
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string("market: {assets: [{name: A, spot: 1, model: {type: gbm, "
                                        "sigma: 0.5}}]}\n", "x.yaml", &cfg, &err), MCR_OK,
                 "%s", err.msg);
    cr_assert_eq(mcr_config_override(&cfg, "run.paths", "5000", "--paths", &err), MCR_OK);
    cr_assert_eq(cfg.paths, 5000u);
    cr_assert_eq(mcr_config_override(&cfg, "run.paths", "0", "--paths", &err), MCR_ERR_INPUT);
    cr_assert_str_eq(err.msg, "--paths: must be an integer in [1, 1e10] (got '0')");
    cr_assert_eq(mcr_config_override(&cfg, "run.threads", "5000", "--threads", &err),
                 MCR_ERR_INPUT);
    cr_assert_str_eq(err.msg, "--threads: must be an integer in [0, 4096] (got '5000')");
    cr_assert_eq(mcr_config_override(&cfg, "run.seed", "18446744073709551615", "--seed", &err),
                 MCR_OK);
    cr_assert_eq(cfg.seed, UINT64_MAX);
    cr_assert_eq(mcr_config_override(&cfg, "run.seed", "-1", "--seed", &err), MCR_ERR_INPUT);
    cr_assert_eq(mcr_config_override(&cfg, "run.output", "x.h5", "--output", &err), MCR_OK);
    cr_assert_str_eq(cfg.output, "x.h5");
    mcr_config_free(&cfg);
}
