/* The generated reference of every config key (`mcrisk config --reference`, docs/CONFIG.md):
 * one markdown table per section and per kind, straight from the key table, so the reference
 * cannot drift from what the loader accepts. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

static const char *type_text(const mcr_key *k)
{
    switch (k->type) {
    case MCR_KEY_BOOL: return "bool";
    case MCR_KEY_INT: return "integer";
    case MCR_KEY_FLOAT: return k->words ? "number or word" : "number";
    case MCR_KEY_STRING: return "string";
    case MCR_KEY_ENUM: return "word";
    case MCR_KEY_ASSET: return "asset name";
    case MCR_KEY_FLOATS: return "list of numbers";
    case MCR_KEY_MAP: return "mapping";
    case MCR_KEY_LIST: return "list of mappings";
    case MCR_KEY_KIND: return "mapping by type";
    default: return "see below";
    }
}

static void default_text(const mcr_key *k, char *buf, size_t cap)
{
    char num[40];
    buf[0] = '\0';
    switch (k->type) {
    case MCR_KEY_BOOL: snprintf(buf, cap, "%s", k->def != 0 ? "true" : "false"); break;
    case MCR_KEY_INT:
    case MCR_KEY_FLOAT:
        if (k->def_text)
            snprintf(buf, cap, "%s", k->def_text);
        else if (!(k->flags & MCR_KEY_REQUIRED))
            snprintf(buf, cap, "%s", mcr_key_number_text(k->def, num, sizeof num));
        break;
    case MCR_KEY_ENUM:
        for (const mcr_key_word *w = k->words; w && w->word; w++)
            if (w->value == (int)k->def)
                snprintf(buf, cap, "%s", w->word);
        break;
    case MCR_KEY_FLOATS: {
        size_t used = (size_t)snprintf(buf, cap, "[");
        for (int i = 0; i < k->def_count && used < cap; i++)
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                                     mcr_key_number_text(k->def_list[i], num, sizeof num));
        if (used < cap)
            snprintf(buf + used, cap - used, "]");
        break;
    }
    default:
        if (k->def_text)
            snprintf(buf, cap, "%s", k->def_text);
    }
    if (k->flags & MCR_KEY_REQUIRED)
        snprintf(buf, cap, "required");
}

static void allowed_text(const mcr_key *k, char *buf, size_t cap)
{
    char range[96], words[256];
    mcr_key_range_text(k, range, sizeof range);
    if (k->type == MCR_KEY_ENUM)
        snprintf(buf, cap, "%s", mcr_words_list(k->words, words, sizeof words));
    else if (k->type == MCR_KEY_FLOAT && k->words)
        snprintf(buf, cap, "%s%s%s", range, range[0] ? "; or " : "",
                 mcr_words_list(k->words, words, sizeof words));
    else if (k->type == MCR_KEY_LIST || k->type == MCR_KEY_FLOATS)
        snprintf(buf, cap, "%s%s1 to %d entries", range, range[0] ? "; " : "", k->max_count);
    else if (k->type == MCR_KEY_STRING && k->flags & MCR_KEY_NAME)
        snprintf(buf, cap, "[A-Za-z0-9_.-], at most %zu", k->size - 1);
    else
        snprintf(buf, cap, "%s", range);
    if (k->only_with) { /* "key=word" */
        const char *eq = strchr(k->only_with, '=');
        size_t used = strlen(buf);
        snprintf(buf + used, cap - used, "%sonly with %.*s: %s", used ? "; " : "",
                 (int)(eq - k->only_with), k->only_with, eq + 1);
    }
}

/* One row per key under `prefix`, and the keys of nested mappings and lists after it. */
static void rows_of(FILE *out, const mcr_key *rows, const char *prefix)
{
    for (const mcr_key *k = rows; k && k->name; k++) {
        if (k->type == MCR_KEY_INCLUDE) {
            rows_of(out, k->sub, prefix);
            continue;
        }
        if (k->flags & MCR_KEY_HIDDEN)
            continue;
        char path[MCR_KEYPATH_MAX], def[128], allowed[256];
        snprintf(path, sizeof path, "%s%s%s%s", prefix, *prefix ? "." : "", k->name,
                 k->type == MCR_KEY_LIST ? "[]" : "");
        default_text(k, def, sizeof def);
        allowed_text(k, allowed, sizeof allowed);
        fprintf(out, "| `%s` | %s | %s | %s | %s | %s |\n", path, type_text(k), def, allowed,
                k->unit ? k->unit : "", k->help ? k->help : "");
        if ((k->type == MCR_KEY_MAP || k->type == MCR_KEY_LIST) && k->sub)
            rows_of(out, k->sub, path);
    }
}

/* "text." with a capital, then a blank line. */
static void sentence(FILE *out, const char *text)
{
    if (text && *text)
        fprintf(out, "%c%s.\n\n", toupper((unsigned char)text[0]), text + 1);
}

static void table_head(FILE *out)
{
    fputs("| key | type | default | allowed | unit | meaning |\n", out);
    fputs("|---|---|---|---|---|---|\n", out);
}

/* One table per kind of t, its common keys first; `prefix` is where its mappings sit. */
static void kinds_of(FILE *out, const mcr_kind_table *t, const char *prefix, const char *extra)
{
    for (int i = 0; i < t->n_kinds; i++) {
        const mcr_kind *k = t->kinds[i];
        fprintf(out, "\n#### %s `%s`\n\n", t->what, k->name);
        sentence(out, k->help);
        table_head(out);
        if (extra)
            fprintf(out, "%s", extra);
        fprintf(out, "| `%s.%s` | word | %s | %s | | the %s |\n", prefix, t->selector,
                t->def_kind ? t->def_kind : "required", k->name, t->what);
        rows_of(out, t->common, prefix);
        rows_of(out, k->keys, prefix);
    }
}

void mcr_config_reference(FILE *out, const mcr_config_kinds *kinds)
{
    fputs("# mcrisk config reference (schema 1)\n\n"
          "Generated by `mcrisk config --reference` from the key table the loader validates "
          "against; do not edit by hand (a test checks that this file is up to date).\n\n"
          "Every key is optional unless marked required; unknown keys are errors that name the "
          "key, its line and what is allowed. Days are calendar days (365 a year), rates are per "
          "year and continuously compounded, volatilities per sqrt(year).\n", out);
    for (const mcr_key *k = mcr_config_keys; k->name; k++) {
        fprintf(out, "\n## `%s`\n\n", k->name);
        sentence(out, k->help);
        if (strcmp(k->name, "portfolio") == 0) {
            fputs("Each position is a mapping selected by its `instrument`:\n", out);
            kinds_of(out, kinds->instruments, "portfolio[]", NULL);
            continue;
        }
        if (strcmp(k->name, "strategies") == 0) {
            fputs("Each strategy is a mapping with a `name` and either a `type` (one strategy "
                  "kind) or `combine` (a list of parts, each a strategy kind with its own asset "
                  "and margin account):\n\n", out);
            table_head(out);
            rows_of(out, mcr_strategy_entry_keys, "strategies[]");
            kinds_of(out, kinds->strategies, "strategies[]",
                     "| `strategies[].name` | string | required | [A-Za-z0-9_.-] | | the "
                     "strategy's name (not in a combine part) |\n");
            continue;
        }
        table_head(out);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%s", k->name, k->type == MCR_KEY_LIST ? "[]" : "");
        if (k->type == MCR_KEY_MAP || k->type == MCR_KEY_LIST)
            rows_of(out, k->sub, prefix);
        if (strcmp(k->name, "market") == 0)
            kinds_of(out, &mcr_model_kind_table, "market.assets[].model", NULL);
    }
}
