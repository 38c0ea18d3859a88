/* The `portfolio` and `strategies` sections. A position's keys are its instrument kind's, a
 * strategy part's keys its strategy kind's: both registries live above this layer and come with
 * the load (mcr_config_kinds). A strategy is one kind mapping with a `name`, or a `name` and
 * `combine: [...]` of kind mappings, each with its own asset and account. */
#include <stdio.h>
#include <string.h>

#include "schema.h"

/* The keys a strategy entry has besides its kind's (the kind's are in strategies/). */
const mcr_key mcr_strategy_entry_keys[] = {
    MCR_KEY_S("name", mcr_strategy, name, MCR_KEY_REQUIRED | MCR_KEY_NAME, NULL,
              "the strategy's name ([A-Za-z0-9_.-]), unique"),
    {.name = "combine", .type = MCR_KEY_CUSTOM, .word_offset = (size_t)-1,
     .help = "instead of a type: a list of strategy parts, each with its own type, asset and "
             "margin account; the P&L is the book's plus every part's"},
    MCR_KEY_END,
};

/* Entries loaded from a YAML text of the config's own (a default), with the kind machinery. */
static mcr_status load_default(const mcr_load *c, const char *yaml, const mcr_kind_table *t,
                               void *dest, size_t stride, int *count)
{
    mcr_yaml_doc doc;
    mcr_status st = mcr_yaml_doc_parse(&doc, yaml, strlen(yaml), "<default>", c->err);
    if (st != MCR_OK)
        return st;
    mcr_load d = *c;
    d.doc = &doc;
    const yaml_node_t *list = mcr_yaml_root(&doc);
    *count = 0;
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         st == MCR_OK && it < list->data.sequence.items.top; it++)
        st = mcr_kind_load(&d, mcr_yaml_node(&doc, *it), t, "name",
                           c->source, (char *)dest + (size_t)(*count)++ * stride);
    mcr_yaml_doc_free(&doc);
    return st;
}

mcr_status mcr_book_check(const mcr_load *c, mcr_config *cfg)
{
    const mcr_kind_table *t = c->kinds->instruments;
    mcr_status st;
    if (!mcr_load_has(c, "portfolio")) {
        /* one unit long spot of the first asset: the simplest book worth a risk number */
        char yaml[128 + MCR_NAME_MAX];
        snprintf(yaml, sizeof yaml, "- {asset: \"%s\", instrument: spot, quantity: 1}\n",
                 cfg->assets[0].name);
        if ((st = load_default(c, yaml, t, cfg->portfolio, sizeof cfg->portfolio[0],
                               &cfg->n_positions)))
            return st;
    }
    for (int i = 0; i < cfg->n_positions; i++) {
        const mcr_kind *k = t->kinds[cfg->portfolio[i].kind];
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "portfolio[%d]", i);
        mcr_error merr = {0};
        if (k->check && k->check(&cfg->portfolio[i], cfg, path, &merr) != MCR_OK)
            return mcr_load_keyed(c, path, &merr);
        if (cfg->portfolio[i].asset < 0) { /* no kind's check set it either */
            char at[MCR_KEYPATH_MAX + 8], list[512];
            snprintf(at, sizeof at, "%s.asset", path);
            return mcr_load_fail(c, at, "required key missing; allowed: %s",
                                 mcr_asset_list(c, list, sizeof list));
        }
    }
    return MCR_OK;
}

static long seq_count(const yaml_node_t *n)
{
    return n->data.sequence.items.top - n->data.sequence.items.start;
}

mcr_status mcr_strategies_validate(const mcr_load *c)
{
    const yaml_node_t *list = mcr_load_node(c, "strategies");
    const mcr_kind_table *t = c->kinds->strategies;
    if (!list)
        return MCR_OK;
    if (list->type != YAML_SEQUENCE_NODE)
        return mcr_load_fail(c, "strategies", "expected a list (got %s); e.g. [{name: put90, "
                             "type: protective_put, strike: 0.9}]",
                             MCR_GOT_QUOTED(c, "strategies"));
    if (seq_count(list) == 0)
        return mcr_load_fail(c, "strategies", "must list at least one strategy (got an empty "
                             "list)");
    if (seq_count(list) > MCR_MAX_STRATEGIES)
        return mcr_load_fail(c, "strategies", "too many entries (got %ld); allowed: at most %d",
                             seq_count(list), MCR_MAX_STRATEGIES);
    mcr_status st = MCR_OK;
    for (long i = 0; st == MCR_OK && i < seq_count(list); i++) {
        char path[64], at[96];
        snprintf(path, sizeof path, "strategies[%ld]", i);
        const yaml_node_t *e = mcr_yaml_node(c->doc, list->data.sequence.items.start[i]);
        const yaml_node_t *parts = e->type == YAML_MAPPING_NODE
                                       ? mcr_yaml_get(c->doc, e, "combine")
                                       : NULL;
        int kind;
        if (!parts) {
            st = mcr_kind_validate(c, e, t, "name", path, &kind);
        } else if ((st = mcr_keys_validate(c, e, mcr_strategy_entry_keys, NULL, path))) {
        } else {
            snprintf(at, sizeof at, "%s.combine", path);
            if (parts->type != YAML_SEQUENCE_NODE || seq_count(parts) == 0)
                return mcr_load_fail(c, at, "expected a list of strategy parts, each a mapping "
                                     "with its own type (got %s)", MCR_GOT_QUOTED(c, at));
            if (seq_count(parts) > MCR_MAX_PARTS)
                return mcr_load_fail(c, at, "too many parts (got %ld); allowed: at most %d",
                                     seq_count(parts), MCR_MAX_PARTS);
            for (long j = 0; st == MCR_OK && j < seq_count(parts); j++) {
                char part[128];
                snprintf(part, sizeof part, "%s[%ld]", at, j);
                st = mcr_kind_validate(c, mcr_yaml_node(c->doc, parts->data.sequence.items.start[j]),
                                       t, NULL, part, &kind);
            }
        }
        /* the name, a key of the entry rather than of its kind */
        const yaml_node_t *name = e->type == YAML_MAPPING_NODE ? mcr_yaml_get(c->doc, e, "name")
                                                               : NULL;
        snprintf(at, sizeof at, "%s.name", path);
        if (st == MCR_OK && !name)
            st = mcr_load_fail(c, at, "required key missing; the strategy's name");
        else if (st == MCR_OK && name->type != YAML_SCALAR_NODE)
            st = mcr_load_fail(c, at, "expected a string (got %s)", MCR_GOT_QUOTED(c, at));
        else if (st == MCR_OK && name->data.scalar.length >= MCR_NAME_MAX)
            st = mcr_load_fail(c, at, "too long (%zu characters); allowed: at most %d",
                               name->data.scalar.length, MCR_NAME_MAX - 1);
        else if (st == MCR_OK)
            st = mcr_check_name(c, at, (const char *)name->data.scalar.value);
    }
    return st;
}

/* The strategy at `path` from node e (already validated). */
static mcr_status load_strategy(const mcr_load *c, const yaml_node_t *e, const char *path,
                                mcr_strategy *s)
{
    const mcr_kind_table *t = c->kinds->strategies;
    const yaml_node_t *name = mcr_yaml_get(c->doc, e, "name");
    const yaml_node_t *parts = mcr_yaml_get(c->doc, e, "combine");
    memset(s, 0, sizeof *s);
    if (name)
        snprintf(s->name, sizeof s->name, "%s", (const char *)name->data.scalar.value);
    if (!parts) {
        s->n_parts = 1;
        return mcr_kind_load(c, e, t, "name", path, &s->parts[0]);
    }
    s->combined = true;
    s->n_parts = (int)seq_count(parts);
    for (int j = 0; j < s->n_parts; j++) {
        char at[MCR_KEYPATH_MAX + 32];
        snprintf(at, sizeof at, "%s.combine[%d]", path, j);
        mcr_status st = mcr_kind_load(c, mcr_yaml_node(c->doc, parts->data.sequence.items.start[j]),
                                      t, NULL, at, &s->parts[j]);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

mcr_status mcr_strategies_load(const mcr_load *c, mcr_config *cfg)
{
    const mcr_kind_table *t = c->kinds->strategies;
    const yaml_node_t *list = mcr_load_node(c, "strategies");
    mcr_status st = MCR_OK;
    if (!list) {
        int n;
        st = load_default(c, "- {name: unhedged, type: none}\n", t, &cfg->strategies[0].parts[0],
                          sizeof cfg->strategies[0], &n);
        snprintf(cfg->strategies[0].name, sizeof cfg->strategies[0].name, "unhedged");
        cfg->strategies[0].n_parts = 1;
        cfg->n_strategies = 1;
    } else {
        cfg->n_strategies = (int)seq_count(list);
        for (int i = 0; st == MCR_OK && i < cfg->n_strategies; i++) {
            char path[MCR_KEYPATH_MAX];
            snprintf(path, sizeof path, "strategies[%d]", i);
            st = load_strategy(c, mcr_yaml_node(c->doc, list->data.sequence.items.start[i]), path,
                               &cfg->strategies[i]);
        }
    }
    for (int i = 0; st == MCR_OK && i < cfg->n_strategies; i++) {
        mcr_strategy *s = &cfg->strategies[i];
        char path[96];
        snprintf(path, sizeof path, "strategies[%d].name", i);
        if (list && (st = mcr_check_unique(c, path, s->name, "strategies", cfg->strategies[0].name,
                                           sizeof cfg->strategies[0], i)))
            break;
        for (int j = 0; st == MCR_OK && j < s->n_parts; j++) {
            mcr_part *p = &s->parts[j];
            if (s->combined)
                snprintf(path, sizeof path, "strategies[%d].combine[%d]", i, j);
            else
                snprintf(path, sizeof path, "strategies[%d]", i);
            if (p->asset < 0) /* default: the asset of the book's first position */
                p->asset = cfg->portfolio[0].asset;
            const mcr_kind *k = t->kinds[p->kind];
            mcr_error merr = {0};
            if (k->check && k->check(p, cfg, path, &merr) != MCR_OK)
                st = mcr_load_keyed(c, path, &merr);
        }
    }
    return st;
}
