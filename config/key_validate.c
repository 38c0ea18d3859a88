/* Pass 2 of the config loader (schema.h): the YAML tree against the key table. Everything one
 * key says about itself is checked here, on the text the user wrote, so each error names the
 * key, its line and what is allowed: unknown keys (or keys of another kind), the spelling of
 * numbers, integers and booleans, ranges, enumerations, asset names, string lengths, list
 * lengths and required keys. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema.h"

static const mcr_key *row_named(const mcr_row_ref *r, int n, const char *key, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(r[i].k->name) == len && memcmp(r[i].k->name, key, len) == 0)
            return r[i].k;
    return NULL;
}

/* Whether key (len bytes) is in a ", "-separated list. */
static bool listed(const char *list, const char *key, size_t len)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && memcmp(p, key, len) == 0)
            return true;
        p += n;
        p += strspn(p, ", ");
    }
    return false;
}

/* "extra, selector, row, row...": what a mapping accepts, for messages. */
static const char *allowed(const char *extra, const char *selector, const mcr_row_ref *r, int n,
                           char *buf, size_t cap)
{
    size_t used = (size_t)snprintf(buf, cap, "%s", extra ? extra : "");
    if (selector && used < cap)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", selector);
    for (int i = 0; i < n && used < cap; i++)
        if (!(r[i].k->flags & MCR_KEY_HIDDEN))
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
                                     r[i].k->name);
    return buf;
}

static bool is_integer(const char *s, bool allow_negative)
{
    /* Decimal only: libcyaml reads "010" as octal 8, which nobody means in a config. */
    const char *p = s;
    if (*p == '+' || (allow_negative && *p == '-'))
        p++;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || p[digits] != '\0' || (digits > 1 && *p == '0'))
        return false;
    errno = 0;
    if (allow_negative)
        (void)strtoll(s, NULL, 10);
    else
        (void)strtoull(s, NULL, 10);
    return errno == 0;
}

static bool is_bool(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

static const char *kind_word(mcr_key_type t)
{
    switch (t) {
    case MCR_KEY_BOOL: return "true or false";
    case MCR_KEY_INT: return "an integer";
    case MCR_KEY_FLOAT: return "a number";
    case MCR_KEY_FLOATS: return "a list of numbers";
    case MCR_KEY_MAP:
    case MCR_KEY_KIND: return "a mapping";
    case MCR_KEY_LIST: return "a list";
    default: return "a string";
    }
}

/* A number's range, on the text the user wrote. */
static mcr_status check_range(const mcr_load *c, const mcr_key *k, double v, const char *path)
{
    if (mcr_key_in_range(k, v))
        return MCR_OK;
    char expected[256];
    return mcr_load_fail(c, path, "must be %s (got %s)", mcr_key_expected(k, expected,
                                                                          sizeof expected),
                         MCR_GOT(c, path));
}

static mcr_status check_scalar(const mcr_load *c, const yaml_node_t *n, const mcr_key *k,
                               const char *path)
{
    char list[512];
    if (n->type != YAML_SCALAR_NODE) {
        if (k->type == MCR_KEY_FLOAT && k->words)
            return mcr_load_fail(c, path, "must be a number or %s (got %s)",
                                 mcr_words_list(k->words, list, sizeof list),
                                 MCR_GOT_QUOTED(c, path));
        return mcr_load_fail(c, path, "expected %s (got %s)", kind_word(k->type),
                             MCR_GOT_QUOTED(c, path));
    }
    const char *text = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    char *end;
    switch (k->type) {
    case MCR_KEY_BOOL:
        if (!is_bool(text))
            return mcr_load_fail(c, path, "expected true or false (got %s)",
                                 MCR_GOT_QUOTED(c, path));
        return MCR_OK;
    case MCR_KEY_INT: {
        bool sign = !(k->flags & MCR_KEY_UNSIGNED);
        if (!is_integer(text, sign))
            return mcr_load_fail(c, path, "expected %s (got %s)",
                                 sign ? "an integer" : "a non-negative integer",
                                 MCR_GOT_QUOTED(c, path));
        return sign ? check_range(c, k, strtod(text, NULL), path) : MCR_OK;
    }
    case MCR_KEY_FLOAT: {
        if (k->words && mcr_word_find(k->words, text))
            return MCR_OK;
        errno = 0;
        double v = strtod(text, &end);
        bool underflow = errno == ERANGE && fabs(v) < DBL_MIN;
        if (end == text || *end != '\0') {
            if (k->words)
                return mcr_load_fail(c, path, "must be a number or %s (got %s)",
                                     mcr_words_list(k->words, list, sizeof list),
                                     MCR_GOT_QUOTED(c, path));
            return mcr_load_fail(c, path, "expected a number (got %s)", MCR_GOT_QUOTED(c, path));
        }
        if (!isfinite(v))
            return mcr_load_fail(c, path, "must be a finite number (got %s)", MCR_GOT(c, path));
        if (underflow) /* 1e-400 would read as 0 (or a denormal): say so, not "got 0" */
            return mcr_load_fail(c, path, "%s underflows: it is below the smallest normal "
                                 "double (%g); give 0 or a larger number", MCR_GOT(c, path),
                                 DBL_MIN);
        return check_range(c, k, v, path);
    }
    case MCR_KEY_STRING:
        if (len + 1 > k->size)
            return mcr_load_fail(c, path, "too long (%zu characters); allowed: at most %zu", len,
                                 k->size - 1);
        if ((k->flags & MCR_KEY_NAME))
            return mcr_check_name(c, path, text);
        if ((k->flags & MCR_KEY_NONEMPTY) && len == 0)
            return mcr_load_fail(c, path, "must not be empty; allowed: %s", k->help);
        return MCR_OK;
    case MCR_KEY_ENUM:
        if (!mcr_word_find(k->words, text))
            return mcr_load_fail(c, path, "unknown %s %s; allowed: %s",
                                 k->unit ? k->unit : k->name, MCR_GOT_QUOTED(c, path),
                                 mcr_words_list(k->words, list, sizeof list));
        return MCR_OK;
    case MCR_KEY_ASSET:
        for (int a = 0; a < c->n_assets; a++)
            if (strcmp(c->asset_names[a], text) == 0)
                return MCR_OK;
        return mcr_load_fail(c, path, "unknown asset %s; allowed: %s (from market.assets)",
                             MCR_GOT_QUOTED(c, path), mcr_asset_list(c, list, sizeof list));
    default:
        return MCR_OK;
    }
}

static long seq_count(const yaml_node_t *n)
{
    return n->data.sequence.items.top - n->data.sequence.items.start;
}

static mcr_status walk_rows(const mcr_load *c, const yaml_node_t *n, const mcr_row_ref *r, int nr,
                            const char *extra, const char *selector,
                            const mcr_kind_table *kinds, const char *kind, const char *path);

/* A list's length: at least one entry, at most k->max_count. */
static mcr_status check_count(const mcr_load *c, const yaml_node_t *n, const mcr_key *k,
                              const char *path)
{
    long count = seq_count(n);
    const char *one = k->unit ? k->unit : "entry", *many = k->unit ? k->unit : "entrie";
    if (count == 0 && !(k->flags & MCR_KEY_EMPTY_OK))
        return mcr_load_fail(c, path, "must list at least one %s (got an empty list)", one);
    if (k->max_count > 0 && count > k->max_count)
        return mcr_load_fail(c, path, "too many %ss (got %ld); allowed: at most %d", many, count,
                             k->max_count);
    return MCR_OK;
}

static mcr_status check_value(const mcr_load *c, const yaml_node_t *n, const mcr_key *k,
                              const char *path)
{
    char list[512], at[MCR_KEYPATH_MAX];
    mcr_status st = MCR_OK;
    switch (k->type) {
    case MCR_KEY_CUSTOM: return MCR_OK;
    case MCR_KEY_KIND: {
        int kind;
        return mcr_kind_validate(c, n, k->kinds, NULL, path, &kind);
    }
    case MCR_KEY_MAP:
        if (n->type != YAML_MAPPING_NODE) {
            mcr_row_ref r[MCR_MAX_ROWS];
            int nr = mcr_keys_flatten(k->sub, 0, r, 0, MCR_MAX_ROWS);
            return mcr_load_fail(c, path, "expected a mapping (got %s); allowed keys: %s",
                                 MCR_GOT_QUOTED(c, path),
                                 allowed(NULL, NULL, r, nr, list, sizeof list));
        }
        if (k->flags & (MCR_KEY_ONE_OF | MCR_KEY_NONEMPTY)) {
            long given = n->data.mapping.pairs.top - n->data.mapping.pairs.start;
            mcr_row_ref r[MCR_MAX_ROWS];
            int nr = mcr_keys_flatten(k->sub, 0, r, 0, MCR_MAX_ROWS);
            if (given == 0 || (given > 1 && (k->flags & MCR_KEY_ONE_OF))) {
                size_t used = 0;
                char names[256];
                names[0] = list[0] = '\0';
                for (int i = 0; i < nr; i++) {
                    const char *sep = i == 0 ? "" : i + 1 < nr ? ", " : " and ";
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", sep,
                             r[i].k->name);
                    if (used < sizeof list)
                        used += (size_t)snprintf(list + used, sizeof list - used,
                                                 "%s{%s: ...} (%s)", i ? " or " : "",
                                                 r[i].k->name, r[i].k->help ? r[i].k->help : "");
                }
                if (given == 0)
                    return mcr_load_fail(c, path, "empty; allowed: %s", list);
                return mcr_load_fail(c, path, "give one of %s, not %s; allowed: %s", names,
                                     nr == 2 ? "both" : "several", list);
            }
        }
        return mcr_keys_validate(c, n, k->sub, NULL, path);
    case MCR_KEY_LIST:
    case MCR_KEY_FLOATS:
        if (n->type != YAML_SEQUENCE_NODE)
            return mcr_load_fail(c, path, "expected a list (got %s)", MCR_GOT_QUOTED(c, path));
        if ((st = check_count(c, n, k, path)))
            return st;
        for (long i = 0; st == MCR_OK && i < seq_count(n); i++) {
            const yaml_node_t *e = mcr_yaml_node(c->doc, n->data.sequence.items.start[i]);
            snprintf(at, sizeof at, "%s", path);
            mcr_path_push(at, sizeof at, NULL, i);
            if (k->type == MCR_KEY_FLOATS) {
                mcr_key one = *k;
                one.type = MCR_KEY_FLOAT;
                st = check_scalar(c, e, &one, at);
            } else if (e->type != YAML_MAPPING_NODE) {
                st = mcr_load_fail(c, at, "expected a mapping (got %s)", MCR_GOT_QUOTED(c, at));
            } else if (k->kinds) {
                int kind;
                st = mcr_kind_validate(c, e, k->kinds, NULL, at, &kind);
            } else {
                st = mcr_keys_validate(c, e, k->sub, NULL, at);
            }
        }
        return st;
    default: return check_scalar(c, n, k, path);
    }
}

/* Key k of mapping n (at `path`), given: refused unless its sibling is given as k->only_with
 * says, since without it the key would be silently unused. */
static mcr_status check_only_with(const mcr_load *c, const yaml_node_t *n, const mcr_key *k,
                                  const char *path)
{
    const char *eq = strchr(k->only_with, '=');
    char key[MCR_KEYPATH_MAX];
    snprintf(key, sizeof key, "%.*s", (int)(eq - k->only_with), k->only_with);
    const yaml_node_t *v = mcr_yaml_get(c->doc, n, key);
    const char *got = v && v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : NULL;
    if (got && strcmp(got, eq + 1) == 0)
        return MCR_OK;
    return mcr_load_fail(c, path, "only with %s: %s, which uses it (got %s%s%s)", key, eq + 1,
                         got ? key : "no ", got ? ": " : key, got ? got : "");
}

/* The keys of mapping n: each one known (a row, or listed in `extra`), each value valid, then
 * every required row present. A key of another kind of `kinds` is named as such. */
static mcr_status walk_rows(const mcr_load *c, const yaml_node_t *n, const mcr_row_ref *r, int nr,
                            const char *extra, const char *selector,
                            const mcr_kind_table *kinds, const char *kind, const char *path)
{
    char list[512], at[MCR_KEYPATH_MAX];
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *kn = mcr_yaml_node(c->doc, p->key);
        if (kn->type != YAML_SCALAR_NODE)
            return mcr_fail(c->err, MCR_ERR_INPUT, "%s:%d: %s%skeys must be plain names",
                            c->source, mcr_yaml_node_line(kn), path, *path ? ": " : "");
        const char *key = (const char *)kn->data.scalar.value;
        size_t len = kn->data.scalar.length;
        snprintf(at, sizeof at, "%s", path);
        mcr_path_push(at, sizeof at, key, 0);
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
            const yaml_node_t *prev = mcr_yaml_node(c->doc, q->key);
            if (prev->type == YAML_SCALAR_NODE && prev->data.scalar.length == len &&
                memcmp(prev->data.scalar.value, key, len) == 0)
                return mcr_fail(c->err, MCR_ERR_INPUT, "%s:%d: %s: repeated key; each key may "
                                "appear once per mapping", c->source, mcr_yaml_node_line(kn), at);
        }
        if (listed(extra, key, len) || (selector && strlen(selector) == len &&
                                        memcmp(selector, key, len) == 0))
            continue;
        const mcr_key *k = row_named(r, nr, key, len);
        if (!k) {
            allowed(extra, selector, r, nr, list, sizeof list);
            for (int i = 0; kinds && i < kinds->n_kinds; i++) {
                mcr_row_ref other[MCR_MAX_ROWS];
                int no = mcr_keys_flatten(kinds->kinds[i]->keys, 0, other, 0, MCR_MAX_ROWS);
                if (row_named(other, no, key, len))
                    return mcr_load_fail(c, at, "not a key of %s %s; allowed: %s", kinds->what,
                                         kind, list);
            }
            return mcr_load_fail(c, at, "unknown key; allowed: %s", list);
        }
        mcr_status st = check_value(c, mcr_yaml_node(c->doc, p->value), k, at);
        if (st == MCR_OK && k->only_with)
            st = check_only_with(c, n, k, at);
        if (st != MCR_OK)
            return st;
    }
    for (int i = 0; i < nr; i++) {
        const mcr_key *k = r[i].k;
        if (!(k->flags & MCR_KEY_REQUIRED) || mcr_yaml_get(c->doc, n, k->name))
            continue;
        snprintf(at, sizeof at, "%s", path);
        mcr_path_push(at, sizeof at, k->name, 0);
        char expected[256];
        if (k->type == MCR_KEY_FLOAT || k->type == MCR_KEY_INT)
            return mcr_load_fail(c, at, "required key missing; %s%s%s%s",
                                 mcr_key_expected(k, expected, sizeof expected),
                                 k->help ? " (" : "", k->help ? k->help : "", k->help ? ")" : "");
        if (k->type == MCR_KEY_ASSET)
            return mcr_load_fail(c, at, "required key missing; allowed: %s",
                                 mcr_asset_list(c, list, sizeof list));
        if (k->type == MCR_KEY_ENUM)
            return mcr_load_fail(c, at, "required key missing; allowed: %s",
                                 mcr_words_list(k->words, list, sizeof list));
        return mcr_load_fail(c, at, "required key missing%s%s", k->help ? "; " : "",
                             k->help ? k->help : "");
    }
    return MCR_OK;
}

mcr_status mcr_keys_validate(const mcr_load *c, const yaml_node_t *n, const mcr_key *rows,
                             const char *extra, const char *path)
{
    mcr_row_ref r[MCR_MAX_ROWS];
    int nr = mcr_keys_flatten(rows, 0, r, 0, MCR_MAX_ROWS);
    if (n->type != YAML_MAPPING_NODE) {
        char list[512];
        return mcr_load_fail(c, path, "expected a mapping (got %s); allowed keys: %s",
                             MCR_GOT_QUOTED(c, path), allowed(extra, NULL, r, nr, list,
                                                              sizeof list));
    }
    return walk_rows(c, n, r, nr, extra, NULL, NULL, NULL, path);
}

mcr_status mcr_kind_validate(const mcr_load *c, const yaml_node_t *n, const mcr_kind_table *t,
                             const char *extra, const char *path, int *kind)
{
    char list[512], at[MCR_KEYPATH_MAX];
    snprintf(at, sizeof at, "%s", path);
    mcr_path_push(at, sizeof at, t->selector, 0);
    if (n->type != YAML_MAPPING_NODE)
        return mcr_load_fail(c, path, "expected a mapping (got %s); e.g. {%s: %s, ...}",
                             MCR_GOT_QUOTED(c, path), t->selector, t->kinds[0]->name);
    const yaml_node_t *sel = mcr_yaml_get(c->doc, n, t->selector);
    const char *name = t->def_kind;
    if (sel && sel->type != YAML_SCALAR_NODE)
        return mcr_load_fail(c, at, "expected a %s (got %s); allowed: %s", t->what,
                             MCR_GOT_QUOTED(c, at), mcr_kinds_list(t, list, sizeof list));
    if (sel)
        name = (const char *)sel->data.scalar.value;
    if (!name)
        return mcr_load_fail(c, at, "required key missing; allowed: %s",
                             mcr_kinds_list(t, list, sizeof list));
    *kind = -1;
    for (int i = 0; i < t->n_kinds; i++)
        if (strcmp(t->kinds[i]->name, name) == 0)
            *kind = i;
    if (*kind < 0)
        return mcr_load_fail(c, at, "unknown %s %s; allowed: %s", t->what,
                             MCR_GOT_QUOTED(c, at), mcr_kinds_list(t, list, sizeof list));
    mcr_row_ref r[MCR_MAX_ROWS];
    int nr = mcr_keys_flatten(t->common, 0, r, 0, MCR_MAX_ROWS);
    nr = mcr_keys_flatten(t->kinds[*kind]->keys, t->params_offset, r, nr, MCR_MAX_ROWS);
    return walk_rows(c, n, r, nr, extra, t->selector, t, name, path);
}
