/* Depth and tag limits of config YAML (yaml_guard.h), on libyaml's event stream: it stops at the
 * first event too deep, before the rest of the text is read. */
#include "yaml_guard.h"

#include <stdbool.h>
#include <yaml.h>

static const char *tag_of(const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        return e->data.scalar.plain_implicit || e->data.scalar.quoted_implicit
                   ? NULL : (const char *)e->data.scalar.tag;
    case YAML_SEQUENCE_START_EVENT:
        return e->data.sequence_start.implicit ? NULL : (const char *)e->data.sequence_start.tag;
    case YAML_MAPPING_START_EVENT:
        return e->data.mapping_start.implicit ? NULL : (const char *)e->data.mapping_start.tag;
    default:
        return NULL;
    }
}

mcr_status mcr_yaml_guard(const char *text, size_t len, const char *source, mcr_error *err)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: cannot initialise the YAML parser", source);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    mcr_status st = MCR_OK;
    int depth = 0;
    for (bool done = false; !done && st == MCR_OK;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e))
            break; /* a syntax error: the tree parser names it */
        int line = (int)e.start_mark.line + 1;
        const char *tag = tag_of(&e);
        if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT)
            depth--;
        if (tag)
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: YAML tag '%s' not allowed; a config holds "
                          "plain numbers, strings, lists and mappings", source, line, tag);
        else if (depth > MCR_YAML_MAX_DEPTH)
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: YAML nested more than %d levels deep; "
                          "allowed: at most %d", source, line, MCR_YAML_MAX_DEPTH,
                          MCR_YAML_MAX_DEPTH);
        done = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    return st;
}
