/* Error messages of the config loader (schema.h): every one is a single line naming the file,
 * the line of the key, the key path and what is allowed; and the small checks and lists the
 * section files share. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

mcr_status mcr_load_fail(const mcr_load *c, const char *path, const char *fmt, ...)
{
    char what[sizeof c->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);

    int line = 0;
    if (*path) {
        mcr_yaml_find(c->doc, path, &line);
    } else {
        const yaml_node_t *root = mcr_yaml_root(c->doc);
        line = root ? mcr_yaml_node_line(root) : 0;
    }
    if (line == 0)
        line = c->fallback_line;
    char where[MCR_PATH_MAX + 16];
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d", c->source, line);
    else
        snprintf(where, sizeof where, "%s", c->source);
    mcr_status st = *path ? mcr_fail(c->err, MCR_ERR_INPUT, "%s: %s: %s", where, path, what)
                          : mcr_fail(c->err, MCR_ERR_INPUT, "%s: %s", where, what);
    /* One line, whatever the user's keys and values contained. */
    if (c->err)
        for (char *p = c->err->msg; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = ' ';
    return st;
}

mcr_status mcr_load_keyed(const mcr_load *c, const char *fallback, const mcr_error *merr)
{
    char path[MCR_KEYPATH_MAX];
    const char *sep = strstr(merr->msg, ": ");
    if (!sep || (size_t)(sep - merr->msg) >= sizeof path || memchr(merr->msg, ' ',
                                                                   (size_t)(sep - merr->msg)))
        return mcr_load_fail(c, fallback, "%s", merr->msg);
    snprintf(path, sizeof path, "%.*s", (int)(sep - merr->msg), merr->msg);
    return mcr_load_fail(c, path, "%s", sep + 2);
}

const yaml_node_t *mcr_load_node(const mcr_load *c, const char *path)
{
    return mcr_yaml_find(c->doc, path, NULL);
}

bool mcr_load_has(const mcr_load *c, const char *path) { return mcr_load_node(c, path) != NULL; }

const char *mcr_load_got(const mcr_load *c, const char *path, bool quoted, char *buf, size_t cap)
{
    const yaml_node_t *n = mcr_load_node(c, path);
    if (!n)
        snprintf(buf, cap, "nothing");
    else if (n->type == YAML_SEQUENCE_NODE)
        snprintf(buf, cap, "a list");
    else if (n->type == YAML_MAPPING_NODE)
        snprintf(buf, cap, "a mapping");
    else {
        const char *text = (const char *)n->data.scalar.value;
        int len = (int)n->data.scalar.length, shown = len > 40 ? 40 : len;
        snprintf(buf, cap, quoted ? "\"%.*s%s\"" : "%.*s%s", shown, text, shown < len ? "..." : "");
    }
    return buf;
}

void mcr_path_push(char *buf, size_t cap, const char *key, long index)
{
    size_t used = strlen(buf);
    if (used >= cap)
        return;
    if (key)
        snprintf(buf + used, cap - used, "%s%s", used ? "." : "", key);
    else
        snprintf(buf + used, cap - used, "[%ld]", index);
}

mcr_status mcr_check_name(const mcr_load *c, const char *path, const char *name)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
    if (name[0] == '\0')
        return mcr_load_fail(c, path, "must not be empty; allowed: 1-%d characters from "
                             "[A-Za-z0-9_.-]", MCR_NAME_MAX - 1);
    if (name[strspn(name, set)] != '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return mcr_load_fail(c, path, "invalid name %s; allowed: characters [A-Za-z0-9_.-], not "
                             "\".\" or \"..\"", MCR_GOT_QUOTED(c, path));
    return MCR_OK;
}

mcr_status mcr_check_unique(const mcr_load *c, const char *path, const char *name,
                            const char *prefix, const char *first, size_t stride, int n)
{
    for (int j = 0; j < n; j++)
        if (strcmp(first + (size_t)j * stride, name) == 0)
            return mcr_load_fail(c, path, "duplicate name \"%s\" (also %s[%d].name); names must "
                                 "be unique", name, prefix, j);
    return MCR_OK;
}

const char *mcr_asset_list(const mcr_load *c, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int a = 0; a < c->n_assets && used < cap; a++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", a ? ", " : "", c->asset_names[a]);
    return buf;
}

const char *mcr_words_list(const mcr_key_word *w, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; w && w[i].word && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", w[i].word);
    return buf;
}

const char *mcr_kinds_list(const mcr_kind_table *t, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->n_kinds && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                                 t->kinds[i]->name);
    return buf;
}

int mcr_keys_flatten(const mcr_key *rows, size_t base, mcr_row_ref *out, int n, int cap)
{
    for (const mcr_key *k = rows; k && k->name && n < cap; k++) {
        if (k->type == MCR_KEY_INCLUDE)
            n = mcr_keys_flatten(k->sub, base + k->offset, out, n, cap);
        else
            out[n++] = (mcr_row_ref){k, base};
    }
    return n;
}

const mcr_key_word *mcr_word_find(const mcr_key_word *w, const char *text)
{
    for (; w && w->word; w++)
        if (strcmp(w->word, text) == 0)
            return w;
    return NULL;
}
