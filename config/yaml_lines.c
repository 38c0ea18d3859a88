/* Key-path lookup in a libyaml node tree: the line numbers and raw texts behind config errors. */
#include "yaml_lines.h"
#include "yaml_guard.h"

#include <stdlib.h>
#include <string.h>

static int line_of_offset(const char *text, size_t len, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        line += text[i] == '\n';
    return line;
}

static mcr_status syntax_error(const yaml_parser_t *p, const char *text, size_t len,
                               const char *source, mcr_error *err)
{
    const char *problem = p->problem ? p->problem : "unknown error";
    if (p->error == YAML_MEMORY_ERROR)
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory while parsing YAML", source);
    /* The reader (encoding) stage reports a byte offset instead of a mark. */
    if (p->error == YAML_READER_ERROR)
        return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: invalid YAML: %s", source,
                        line_of_offset(text, len, p->problem_offset), problem);
    /* At the end of the text the mark is one line past the last one; point at the last one. */
    int line = (int)p->problem_mark.line + 1;
    int last = line_of_offset(text, len, len && text[len - 1] == '\n' ? len - 1 : len);
    int context_line = (int)p->context_mark.line + 1;
    line = line < last ? line : last;
    context_line = context_line < last ? context_line : last;
    const char *hint = p->problem_mark.index < len && text[p->problem_mark.index] == '\t'
                           ? "; indent with spaces, not tabs"
                           : "";
    if (p->context)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "%s:%d: invalid YAML: %s (%s that starts at line %d)%s", source, line,
                        problem, p->context, context_line, hint);
    return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: invalid YAML: %s%s", source, line, problem, hint);
}

mcr_status mcr_yaml_doc_parse(mcr_yaml_doc *d, const char *text, size_t len, const char *source,
                              mcr_error *err)
{
    memset(d, 0, sizeof *d);
    mcr_status guarded = mcr_yaml_guard(text, len, source, err);
    if (guarded != MCR_OK)
        return guarded;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: cannot initialise the YAML parser", source);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    mcr_status st = MCR_OK;
    if (!yaml_parser_load(&parser, &d->doc)) {
        st = syntax_error(&parser, text, len, source, err);
    } else {
        d->loaded = true;
        /* A second document would be silently ignored by the loader: refuse it instead. */
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            st = syntax_error(&parser, text, len, source, err);
        } else {
            yaml_node_t *root = yaml_document_get_root_node(&next);
            if (root)
                st = mcr_fail(err, MCR_ERR_INPUT,
                              "%s:%d: a config is one YAML document; found a second one", source,
                              mcr_yaml_node_line(root));
            yaml_document_delete(&next);
        }
    }
    yaml_parser_delete(&parser);
    if (st != MCR_OK)
        mcr_yaml_doc_free(d);
    return st;
}

void mcr_yaml_doc_free(mcr_yaml_doc *d)
{
    if (d->loaded)
        yaml_document_delete(&d->doc);
    d->loaded = false;
}

yaml_node_t *mcr_yaml_root(const mcr_yaml_doc *d)
{
    /* libyaml's accessors take a non-const document but do not modify it. */
    return d->loaded ? yaml_document_get_root_node((yaml_document_t *)&d->doc) : NULL;
}

yaml_node_t *mcr_yaml_node(const mcr_yaml_doc *d, int index)
{
    return d->loaded ? yaml_document_get_node((yaml_document_t *)&d->doc, index) : NULL;
}

int mcr_yaml_node_line(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

bool mcr_yaml_path_next(const char **path, mcr_yaml_step *step)
{
    const char *p = *path;
    if (*p == '.')
        p++;
    if (*p == '\0')
        return false;
    if (*p == '[') {
        char *end;
        step->is_index = true;
        step->index = strtol(p + 1, &end, 10);
        step->key = NULL;
        step->key_len = 0;
        *path = *end == ']' ? end + 1 : end;
        return true;
    }
    size_t n = strcspn(p, ".[");
    step->is_index = false;
    step->index = 0;
    step->key = p;
    step->key_len = n;
    *path = p + n;
    return true;
}

/* The value under `key` in mapping `m` (the last one if repeated); *line gets the key's line. */
static yaml_node_t *mapping_get(const mcr_yaml_doc *d, const yaml_node_t *m, const char *key,
                                size_t key_len, int *line)
{
    yaml_node_t *found = NULL;
    for (yaml_node_pair_t *pair = m->data.mapping.pairs.start; pair < m->data.mapping.pairs.top;
         pair++) {
        yaml_node_t *k = mcr_yaml_node(d, pair->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == key_len &&
            memcmp(k->data.scalar.value, key, key_len) == 0) {
            found = mcr_yaml_node(d, pair->value);
            *line = mcr_yaml_node_line(k);
        }
    }
    return found;
}

yaml_node_t *mcr_yaml_find(const mcr_yaml_doc *d, const char *path, int *line)
{
    int deepest = 0;
    yaml_node_t *n = mcr_yaml_root(d);
    mcr_yaml_step step;
    while (n && mcr_yaml_path_next(&path, &step)) {
        int step_line = 0;
        yaml_node_t *next = NULL;
        if (step.is_index && n->type == YAML_SEQUENCE_NODE) {
            long count = n->data.sequence.items.top - n->data.sequence.items.start;
            if (step.index >= 0 && step.index < count) {
                next = mcr_yaml_node(d, n->data.sequence.items.start[step.index]);
                step_line = next ? mcr_yaml_node_line(next) : 0;
            }
        } else if (!step.is_index && n->type == YAML_MAPPING_NODE) {
            next = mapping_get(d, n, step.key, step.key_len, &step_line);
        }
        if (next)
            deepest = step_line;
        n = next;
    }
    if (line)
        *line = deepest;
    return n;
}

yaml_node_t *mcr_yaml_get(const mcr_yaml_doc *d, const yaml_node_t *m, const char *key)
{
    int line;
    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    return mapping_get(d, m, key, strlen(key), &line);
}

/* Copy node n of document d, with everything under it, into document out; its index there. */
static int copy_node(const mcr_yaml_doc *d, const yaml_node_t *n, yaml_document_t *out)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return yaml_document_add_scalar(out, NULL, n->data.scalar.value,
                                        (int)n->data.scalar.length, n->data.scalar.style);
    case YAML_SEQUENCE_NODE: {
        int seq = yaml_document_add_sequence(out, NULL, YAML_ANY_SEQUENCE_STYLE);
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             seq && it < n->data.sequence.items.top; it++) {
            int item = copy_node(d, mcr_yaml_node(d, *it), out);
            if (!item || !yaml_document_append_sequence_item(out, seq, item))
                return 0;
        }
        return seq;
    }
    case YAML_MAPPING_NODE: {
        int map = yaml_document_add_mapping(out, NULL, YAML_ANY_MAPPING_STYLE);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             map && p < n->data.mapping.pairs.top; p++) {
            int k = copy_node(d, mcr_yaml_node(d, p->key), out);
            int v = k ? copy_node(d, mcr_yaml_node(d, p->value), out) : 0;
            if (!v || !yaml_document_append_mapping_pair(out, map, k, v))
                return 0;
        }
        return map;
    }
    default: return 0;
    }
}

typedef struct text_sink {
    char *buf;
    size_t len, cap;
    bool failed;
} text_sink;

static int sink_write(void *ctx, unsigned char *bytes, size_t size)
{
    text_sink *s = ctx;
    if (s->len + size + 1 > s->cap) {
        size_t cap = (s->len + size + 1) * 2;
        char *bigger = realloc(s->buf, cap);
        if (!bigger) {
            s->failed = true;
            return 0;
        }
        s->buf = bigger;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, bytes, size);
    s->len += size;
    s->buf[s->len] = '\0';
    return 1;
}

mcr_status mcr_yaml_subtree_text(const mcr_yaml_doc *d, const yaml_node_t *n, char **text,
                                 size_t *len)
{
    yaml_document_t out;
    yaml_emitter_t em;
    text_sink sink = {0};
    *text = NULL;
    *len = 0;
    if (!yaml_document_initialize(&out, NULL, NULL, NULL, 1, 1))
        return MCR_ERR_NOMEM;
    if (!copy_node(d, n, &out) || !yaml_emitter_initialize(&em)) {
        yaml_document_delete(&out);
        return MCR_ERR_NOMEM;
    }
    yaml_emitter_set_output(&em, sink_write, &sink);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    /* yaml_emitter_dump takes the document and deletes it */
    int ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, &out) && yaml_emitter_close(&em) &&
             yaml_emitter_flush(&em);
    yaml_emitter_delete(&em);
    if (!ok || sink.failed) {
        free(sink.buf);
        return MCR_ERR_NOMEM;
    }
    *text = sink.buf;
    *len = sink.len;
    return MCR_OK;
}
