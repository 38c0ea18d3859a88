/* Passes 3 and 4 of the config loader (schema.h): libcyaml loads the values through a schema
 * generated from the key table, then the defaults of the rows fill the keys that were not given.
 * A mapping whose keys depend on its kind is loaded on its own (its subtree re-emitted as a YAML
 * text) with a schema of its selector, its table's common rows and its kind's rows. A few keys
 * are converted here rather than by libcyaml: an asset name into its index, a word given for a
 * number (`call_strike: auto`), and a section's custom keys (left to the section). Pass 2 has
 * checked every value, so libcyaml is not expected to fail; if it does, its message is passed
 * on. */
#include <cyaml/cyaml.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ---- the libcyaml schema of a table ---- */

/* Every block a generated schema allocates, freed together. */
typedef struct pool {
    void *block[512];
    int n;
    bool failed;
} pool;

static void *pool_alloc(pool *p, size_t size)
{
    void *m = p->n < (int)(sizeof p->block / sizeof p->block[0]) ? calloc(1, size) : NULL;
    if (!m)
        p->failed = true;
    else
        p->block[p->n++] = m;
    return m;
}

static void pool_free(pool *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->block[i]);
    p->n = 0;
}

static const cyaml_strval_t *strvals(pool *p, const mcr_key_word *w, uint32_t *count)
{
    uint32_t n = 0;
    while (w && w[n].word)
        n++;
    cyaml_strval_t *s = pool_alloc(p, (n + 1) * sizeof *s);
    for (uint32_t i = 0; s && i < n; i++)
        s[i] = (cyaml_strval_t){.str = w[i].word, .val = w[i].value};
    *count = n;
    return s;
}

static const cyaml_schema_field_t *fields_of(pool *p, const mcr_row_ref *r, int nr,
                                             const char *const *ignore, int n_ignore,
                                             const cyaml_schema_field_t *first);

static cyaml_schema_field_t ignored(const char *key)
{
    return (cyaml_schema_field_t){.key = key,
                                  .value = {.type = CYAML_IGNORE, .flags = CYAML_FLAG_OPTIONAL}};
}

/* The field libcyaml loads row k into, at `offset` bytes into the struct being loaded. */
static cyaml_schema_field_t field_of(pool *p, const mcr_key *k, size_t offset)
{
    cyaml_schema_field_t f = {.key = k->name, .data_offset = (uint32_t)offset};
    cyaml_schema_value_t *v = &f.value;
    v->flags = CYAML_FLAG_OPTIONAL;
    switch (k->type) {
    case MCR_KEY_BOOL: v->type = CYAML_BOOL; v->data_size = sizeof(bool); break;
    case MCR_KEY_INT:
        v->type = k->flags & MCR_KEY_UNSIGNED ? CYAML_UINT : CYAML_INT;
        v->data_size = (uint32_t)k->size;
        break;
    case MCR_KEY_FLOAT:
        if (k->words)
            return ignored(k->name); /* a number or a word: converted in pass 4 */
        v->type = CYAML_FLOAT;
        v->data_size = sizeof(double);
        break;
    case MCR_KEY_STRING:
        v->type = CYAML_STRING;
        v->data_size = 1;
        v->string.min = 0;
        v->string.max = (uint32_t)k->size - 1;
        break;
    case MCR_KEY_ENUM:
        v->type = CYAML_ENUM;
        v->flags |= CYAML_FLAG_STRICT;
        v->data_size = sizeof(int);
        v->enumeration.strings = strvals(p, k->words, &v->enumeration.count);
        break;
    case MCR_KEY_MAP: {
        mcr_row_ref r[MCR_MAX_ROWS];
        int nr = mcr_keys_flatten(k->sub, 0, r, 0, MCR_MAX_ROWS);
        v->type = CYAML_MAPPING;
        v->data_size = (uint32_t)k->size;
        v->mapping.fields = fields_of(p, r, nr, NULL, 0, NULL);
        break;
    }
    case MCR_KEY_FLOATS:
    case MCR_KEY_LIST: {
        if (k->kinds)
            return ignored(k->name); /* entries loaded one by one with their kinds */
        cyaml_schema_value_t *entry = pool_alloc(p, sizeof *entry);
        if (!entry)
            return ignored(k->name);
        if (k->type == MCR_KEY_FLOATS) {
            *entry = (cyaml_schema_value_t){.type = CYAML_FLOAT, .data_size = sizeof(double)};
        } else {
            mcr_row_ref r[MCR_MAX_ROWS];
            int nr = mcr_keys_flatten(k->sub, 0, r, 0, MCR_MAX_ROWS);
            *entry = (cyaml_schema_value_t){.type = CYAML_MAPPING, .data_size = (uint32_t)k->size};
            entry->mapping.fields = fields_of(p, r, nr, NULL, 0, NULL);
        }
        v->type = CYAML_SEQUENCE;
        v->data_size = entry->data_size;
        v->sequence.entry = entry;
        v->sequence.min = 0;
        v->sequence.max = (uint32_t)k->max_count;
        f.count_offset = (uint32_t)(offset - k->offset + k->count_offset);
        f.count_size = sizeof(int);
        break;
    }
    default: return ignored(k->name); /* ASSET, KIND, CUSTOM: pass 4 or the section */
    }
    return f;
}

static const cyaml_schema_field_t *fields_of(pool *p, const mcr_row_ref *r, int nr,
                                             const char *const *ignore, int n_ignore,
                                             const cyaml_schema_field_t *first)
{
    cyaml_schema_field_t *f = pool_alloc(p, (size_t)(nr + n_ignore + 2) * sizeof *f);
    int n = 0;
    if (!f)
        return NULL;
    if (first)
        f[n++] = *first;
    for (int i = 0; i < n_ignore; i++)
        f[n++] = ignored(ignore[i]);
    for (int i = 0; i < nr; i++)
        f[n++] = field_of(p, r[i].k, r[i].base + r[i].k->offset);
    f[n] = (cyaml_schema_field_t){.key = NULL}; /* CYAML_FIELD_END */
    return f;
}

/* ---- libcyaml's log, kept for the one-line message of an unexpected failure ---- */

typedef struct capture {
    char msg[256];
} capture;

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    capture *cap = ctx;
    if (level < CYAML_LOG_ERROR || cap->msg[0])
        return;
    vsnprintf(cap->msg, sizeof cap->msg, fmt, args);
    cap->msg[strcspn(cap->msg, "\n")] = '\0';
}

/* Load `text` (one mapping) with `fields` into dest (a struct of `size` bytes). */
static mcr_status cyaml_into(const mcr_load *c, const char *path, const char *text, size_t len,
                             const cyaml_schema_field_t *fields, void *dest, size_t size)
{
    capture cap = {0};
    const cyaml_config_t cc = {.log_fn = capture_log, .log_ctx = &cap, .mem_fn = cyaml_mem,
                               .log_level = CYAML_LOG_ERROR, .flags = CYAML_CFG_DEFAULT};
    const cyaml_schema_value_t top = {.type = CYAML_MAPPING, .flags = CYAML_FLAG_POINTER,
                                      .data_size = (uint32_t)size, .mapping.fields = fields};
    void *loaded = NULL;
    cyaml_err_t e = cyaml_load_data((const uint8_t *)text, len, &cc, &top, &loaded, NULL);
    if (e != CYAML_OK) {
        if (e == CYAML_ERR_OOM)
            return mcr_fail(c->err, MCR_ERR_NOMEM, "%s: out of memory loading the config",
                            c->source);
        return mcr_load_fail(c, path, "cannot load: %s", cap.msg[0] ? cap.msg
                                                                     : cyaml_strerror(e));
    }
    if (loaded)
        memcpy(dest, loaded, size);
    cyaml_free(&cc, &top, loaded, 0);
    return MCR_OK;
}

/* ---- pass 4: defaults and the keys converted here ---- */

static void set_int(char *at, size_t size, long long v)
{
    if (size == sizeof(int))
        *(int *)at = (int)v;
    else
        *(long long *)at = v;
}

static mcr_status apply(const mcr_load *c, const yaml_node_t *n, const mcr_row_ref *r, int nr,
                        char *dest, const char *path);

static mcr_status apply_row(const mcr_load *c, const yaml_node_t *child, const mcr_key *k,
                            char *base, const char *path)
{
    char *at = base + k->offset;
    const char *text = child && child->type == YAML_SCALAR_NODE
                           ? (const char *)child->data.scalar.value
                           : NULL;
    switch (k->type) {
    case MCR_KEY_BOOL:
        if (!child)
            *(bool *)at = k->def != 0;
        break;
    case MCR_KEY_INT:
        if (!child)
            set_int(at, k->size, (long long)k->def);
        break;
    case MCR_KEY_FLOAT: {
        const mcr_key_word *w = k->words && text ? mcr_word_find(k->words, text) : NULL;
        if (!child && k->words && k->def_text) /* a word as the default, e.g. auto */
            w = mcr_word_find(k->words, k->def_text);
        if (k->words && k->word_offset != (size_t)-1)
            *(int *)(base + k->word_offset) = w ? w->value : 0;
        if (text && k->words && !w)
            *(double *)at = strtod(text, NULL);
        else if (!child)
            *(double *)at = k->def;
        break;
    }
    case MCR_KEY_STRING:
        if (!child && k->def_text)
            snprintf(at, k->size, "%s", k->def_text);
        break;
    case MCR_KEY_ENUM:
        if (!child)
            *(int *)at = (int)k->def;
        break;
    case MCR_KEY_ASSET:
        *(int *)at = -1;
        for (int a = 0; text && a < c->n_assets; a++)
            if (strcmp(c->asset_names[a], text) == 0)
                *(int *)at = a;
        break;
    case MCR_KEY_FLOATS:
        if (!child) {
            for (int i = 0; i < k->def_count; i++)
                ((double *)at)[i] = k->def_list[i];
            *(int *)(base + k->count_offset) = k->def_count;
        }
        break;
    case MCR_KEY_MAP: {
        mcr_row_ref r[MCR_MAX_ROWS];
        int nr = mcr_keys_flatten(k->sub, 0, r, 0, MCR_MAX_ROWS);
        return apply(c, child, r, nr, at, path);
    }
    case MCR_KEY_KIND:
        return child ? mcr_kind_load(c, child, k->kinds, NULL, path, at) : MCR_OK;
    case MCR_KEY_LIST: {
        long count = child && child->type == YAML_SEQUENCE_NODE
                         ? child->data.sequence.items.top - child->data.sequence.items.start
                         : 0;
        mcr_row_ref r[MCR_MAX_ROWS];
        int nr = k->kinds ? 0 : mcr_keys_flatten(k->sub, 0, r, 0, MCR_MAX_ROWS);
        for (long i = 0; i < count; i++) {
            const yaml_node_t *e = mcr_yaml_node(c->doc, child->data.sequence.items.start[i]);
            char at_path[MCR_KEYPATH_MAX];
            snprintf(at_path, sizeof at_path, "%s", path);
            mcr_path_push(at_path, sizeof at_path, NULL, i);
            char *entry = at + (size_t)i * k->size;
            mcr_status st = k->kinds ? mcr_kind_load(c, e, k->kinds, NULL, at_path, entry)
                                     : apply(c, e, r, nr, entry, at_path);
            if (st != MCR_OK)
                return st;
        }
        *(int *)(base + k->count_offset) = (int)count;
        break;
    }
    default: break; /* CUSTOM: the section's */
    }
    return MCR_OK;
}

static mcr_status apply(const mcr_load *c, const yaml_node_t *n, const mcr_row_ref *r, int nr,
                        char *dest, const char *path)
{
    for (int i = 0; i < nr; i++) {
        const yaml_node_t *child = n ? mcr_yaml_get(c->doc, n, r[i].k->name) : NULL;
        char at[MCR_KEYPATH_MAX];
        snprintf(at, sizeof at, "%s", path);
        mcr_path_push(at, sizeof at, r[i].k->name, 0);
        mcr_status st = apply_row(c, child, r[i].k, dest + r[i].base, at);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

mcr_status mcr_keys_load_root(const mcr_load *c, const char *text, size_t len,
                              const mcr_key *rows, void *dest, size_t size)
{
    mcr_row_ref r[MCR_MAX_ROWS];
    int nr = mcr_keys_flatten(rows, 0, r, 0, MCR_MAX_ROWS);
    pool p = {0};
    const cyaml_schema_field_t *fields = fields_of(&p, r, nr, NULL, 0, NULL);
    mcr_status st = p.failed ? mcr_fail(c->err, MCR_ERR_NOMEM, "%s: out of memory", c->source)
                             : MCR_OK;
    const yaml_node_t *root = mcr_yaml_root(c->doc);
    if (st == MCR_OK && root)
        st = cyaml_into(c, "", text, len, fields, dest, size);
    pool_free(&p);
    return st == MCR_OK ? apply(c, root, r, nr, dest, "") : st;
}

mcr_status mcr_kind_load(const mcr_load *c, const yaml_node_t *n, const mcr_kind_table *t,
                         const char *extra, const char *path, void *dest)
{
    const yaml_node_t *sel = mcr_yaml_get(c->doc, n, t->selector);
    const char *name = sel && sel->type == YAML_SCALAR_NODE
                           ? (const char *)sel->data.scalar.value
                           : t->def_kind;
    int kind = -1;
    for (int i = 0; name && i < t->n_kinds; i++)
        if (strcmp(t->kinds[i]->name, name) == 0)
            kind = i;
    if (kind < 0) /* pass 2 refuses it first */
        return mcr_load_fail(c, path, "unknown %s", t->what);
    mcr_row_ref r[MCR_MAX_ROWS];
    int nr = mcr_keys_flatten(t->common, 0, r, 0, MCR_MAX_ROWS);
    nr = mcr_keys_flatten(t->kinds[kind]->keys, t->params_offset, r, nr, MCR_MAX_ROWS);
    /* the selector and the section's own keys are not loaded here */
    const char *ignore[16];
    int n_ignore = 0;
    ignore[n_ignore++] = t->selector;
    char keys[256];
    snprintf(keys, sizeof keys, "%s", extra ? extra : "");
    for (char *k = strtok(keys, ", "); k && n_ignore < 16; k = strtok(NULL, ", "))
        ignore[n_ignore++] = k;

    pool p = {0};
    const cyaml_schema_field_t *fields = fields_of(&p, r, nr, ignore, n_ignore, NULL);
    char *text = NULL;
    size_t len = 0;
    mcr_status st = p.failed ? MCR_ERR_NOMEM : mcr_yaml_subtree_text(c->doc, n, &text, &len);
    if (st != MCR_OK)
        st = mcr_fail(c->err, MCR_ERR_NOMEM, "%s: out of memory", c->source);
    else
        st = cyaml_into(c, path, text, len, fields, dest, t->size);
    free(text);
    pool_free(&p);
    if (st != MCR_OK)
        return st;
    *(int *)((char *)dest + t->kind_offset) = kind;
    return apply(c, n, r, nr, dest, path);
}
