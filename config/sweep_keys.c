/* The `sweep` section: each entry expands a strategy into one strategy per value of one number
 * key of its kind, named "put[strike=0.85]"; several entries on one strategy form their product
 * ("dh[rebalance.band=0.02,hedge_ratio=0.5]", the first entry varying slowest). The expanded
 * strategies take the swept strategy's place in the list, so they run on the same paths as every
 * other strategy, and each is checked by its kind exactly as the hand-written strategy would be.
 * A swept value is the double the loader reads for the same text, so a sweep gives bitwise the
 * figures of the strategies written out by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

const mcr_key mcr_sweep_keys[] = {
    MCR_KEY_S("strategy", mcr_sweep, strategy, MCR_KEY_REQUIRED, NULL,
              "the name of the strategy to expand (one kind, not combine)"),
    MCR_KEY_S("key", mcr_sweep, key, MCR_KEY_REQUIRED, NULL,
              "a number key of its kind: strike, hedge_ratio, rebalance.band, ..."),
    {.name = "values", .type = MCR_KEY_FLOATS, .flags = MCR_KEY_REQUIRED,
     .offset = offsetof(mcr_sweep, values), .count_offset = offsetof(mcr_sweep, n_values),
     .max_count = MCR_MAX_SWEEP_VALUES, .word_offset = (size_t)-1,
     .help = "one strategy per value, each in the key's own range"},
    MCR_KEY_END,
};

/* The shortest text that reads back as v: names show 0.85, not 0.84999999999999998. */
static void number_text(double v, char *buf, size_t cap)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, cap, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* "strike, rebalance.every_steps, ...": the number keys under rows, for messages. */
static void number_keys(const mcr_key *rows, const char *prefix, char *buf, size_t cap)
{
    mcr_row_ref r[MCR_MAX_ROWS];
    int n = mcr_keys_flatten(rows, 0, r, 0, MCR_MAX_ROWS);
    for (int i = 0; i < n; i++) {
        const mcr_key *k = r[i].k;
        size_t used = strlen(buf);
        if (k->type == MCR_KEY_FLOAT || k->type == MCR_KEY_INT) {
            snprintf(buf + used, cap - used, "%s%s%s", used ? ", " : "", prefix, k->name);
        } else if (k->type == MCR_KEY_MAP) {
            char sub[MCR_KEYPATH_MAX];
            snprintf(sub, sizeof sub, "%s%s.", prefix, k->name);
            number_keys(k->sub, sub, buf, cap);
        }
    }
}

static void set_number(const mcr_key *k, char *at, double v)
{
    if (k->type == MCR_KEY_FLOAT)
        *(double *)at = v;
    else if (k->size == sizeof(int))
        *(int *)at = (int)v;
    else
        *(long long *)at = (long long)v;
}

/* Key `key` of part p (params at `params`) set to v as the loader sets a written value: a
 * FLOAT's word (e.g. auto) cleared, and inside a one-of mapping ({every_steps: k} or
 * {band: x}) the other keys at their defaults, as when only this one is written. */
static void set_key(const mcr_key *rows, const char *key, char *params, double v)
{
    size_t off;
    const mcr_key *k = mcr_keys_find(rows, key, &off);
    set_number(k, params + off, v);
    if (k->type == MCR_KEY_FLOAT && k->words && k->word_offset != (size_t)-1)
        *(int *)(params + off - k->offset + k->word_offset) = 0;
    const char *dot = strrchr(key, '.');
    if (!dot)
        return;
    char parent[MCR_NAME_MAX];
    snprintf(parent, sizeof parent, "%.*s", (int)(dot - key), key);
    size_t poff;
    const mcr_key *m = mcr_keys_find(rows, parent, &poff);
    if (!(m->flags & MCR_KEY_ONE_OF))
        return;
    mcr_row_ref r[MCR_MAX_ROWS];
    int n = mcr_keys_flatten(m->sub, poff, r, 0, MCR_MAX_ROWS);
    for (int i = 0; i < n; i++)
        if (r[i].k != k && (r[i].k->type == MCR_KEY_FLOAT || r[i].k->type == MCR_KEY_INT))
            set_number(r[i].k, params + r[i].base + r[i].k->offset, r[i].k->def);
}

static int strategy_named(const mcr_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->n_strategies; i++)
        if (strcmp(cfg->strategies[i].name, name) == 0)
            return i;
    return -1;
}

static const char *strategy_names(const mcr_config *cfg, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < cfg->n_strategies && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                                 cfg->strategies[i].name);
    return buf;
}

/* Whether the loaded params give the FLOAT key of only_with ("key=word") as that word. */
static bool word_given(const mcr_key *rows, const char *only_with, const char *params)
{
    char key[MCR_NAME_MAX];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(only_with, "="), only_with);
    size_t off;
    const mcr_key *k = mcr_keys_find(rows, key, &off);
    const mcr_key_word *w = k && k->words ? mcr_word_find(k->words, strchr(only_with, '=') + 1)
                                          : NULL;
    return w && k->word_offset != (size_t)-1 &&
           *(const int *)(const void *)(params + off - k->offset + k->word_offset) == w->value;
}

/* Entry i against the loaded strategies: *target gets the strategy it expands. */
static mcr_status check_entry(const mcr_load *c, const mcr_config *cfg, int i, int *target)
{
    const mcr_sweep *w = &cfg->sweeps[i];
    char path[MCR_KEYPATH_MAX], list[2048];
    snprintf(path, sizeof path, "sweep[%d].strategy", i);
    int s = *target = strategy_named(cfg, w->strategy);
    if (s < 0)
        return mcr_load_fail(c, path, "no strategy named \"%s\"; allowed: %s", w->strategy,
                             strategy_names(cfg, list, sizeof list));
    if (cfg->strategies[s].combined)
        return mcr_load_fail(c, path, "strategy \"%s\" combines parts; a sweep expands a "
                             "strategy of one type", w->strategy);
    const mcr_kind *kind = c->kinds->strategies->kinds[cfg->strategies[s].parts[0].kind];
    const mcr_key *k = mcr_keys_find(kind->keys, w->key, NULL);
    snprintf(path, sizeof path, "sweep[%d].key", i);
    if (!k || (k->type != MCR_KEY_FLOAT && k->type != MCR_KEY_INT)) {
        list[0] = '\0';
        number_keys(kind->keys, "", list, sizeof list);
        return mcr_load_fail(c, path, "\"%s\" is not a number key of strategy type %s; "
                             "allowed: %s", w->key, kind->name, list[0] ? list : "none");
    }
    const char *params = (const char *)&cfg->strategies[s].parts[0] +
                         c->kinds->strategies->params_offset;
    if (k->only_with && !word_given(kind->keys, k->only_with, params))
        return mcr_load_fail(c, path, "\"%s\" of strategy \"%s\" is used only with %.*s: %s, "
                             "which the strategy does not have", w->key, w->strategy,
                             (int)strcspn(k->only_with, "="), k->only_with,
                             strchr(k->only_with, '=') + 1);
    for (int j = 0; j < i; j++)
        if (!strcmp(cfg->sweeps[j].strategy, w->strategy) && !strcmp(cfg->sweeps[j].key, w->key))
            return mcr_load_fail(c, path, "\"%s\" of strategy \"%s\" is swept twice (also "
                                 "sweep[%d])", w->key, w->strategy, j);
    for (int v = 0; v < w->n_values; v++) {
        double x = w->values[v];
        char expected[256], got[40];
        snprintf(path, sizeof path, "sweep[%d].values[%d]", i, v);
        if (!mcr_key_in_range(k, x) || (k->type == MCR_KEY_INT && x != floor(x)))
            return mcr_load_fail(c, path, "must be %s%s, as %s's %s (got %s)",
                                 k->type == MCR_KEY_INT ? "a whole number " : "",
                                 mcr_key_expected(k, expected, sizeof expected), w->strategy,
                                 w->key, mcr_key_number_text(x, got, sizeof got));
        for (int u = 0; u < v; u++)
            if (w->values[u] == x)
                return mcr_load_fail(c, path, "repeats values[%d] (%s): each value gives one "
                                     "strategy", u, mcr_key_number_text(x, got, sizeof got));
    }
    return MCR_OK;
}

/* Strategy s of cfg swept by the entries e[0..m) (the sweep entries on it, in order) into
 * out[*n ...]: combination `combo` sets entry k to value idx[k], the last entry varying fastest. */
static mcr_status expand(const mcr_load *c, const mcr_config *cfg, int s, const int *e, int m,
                         mcr_strategy *out, int *n)
{
    const mcr_strategy *src = &cfg->strategies[s];
    const mcr_kind_table *t = c->kinds->strategies;
    const mcr_kind *kind = t->kinds[src->parts[0].kind];
    int total = 1;
    for (int k = 0; k < m; k++)
        total *= cfg->sweeps[e[k]].n_values;
    if (*n + total + (cfg->n_strategies - s - 1) > MCR_MAX_STRATEGIES)
        return mcr_load_fail(c, "sweep", "the sweeps expand the strategies to more than %d; "
                             "allowed: at most %d strategies in all", MCR_MAX_STRATEGIES,
                             MCR_MAX_STRATEGIES);
    for (int combo = 0; combo < total; combo++) {
        mcr_strategy *x = &out[(*n)++];
        *x = *src;
        snprintf(x->swept.from, sizeof x->swept.from, "%s", src->name);
        x->swept.n = m;
        char name[4 * MCR_NAME_MAX];
        int used = snprintf(name, sizeof name, "%s[", src->name);
        for (int k = m - 1, rest = combo; k >= 0; k--) {
            const mcr_sweep *w = &cfg->sweeps[e[k]];
            x->swept.value[k] = w->values[rest % w->n_values];
            rest /= w->n_values;
            snprintf(x->swept.key[k], sizeof x->swept.key[k], "%s", w->key);
        }
        for (int k = 0; k < m; k++) {
            char v[40];
            number_text(x->swept.value[k], v, sizeof v);
            used += snprintf(name + used, sizeof name - (size_t)used, "%s=%s%s", x->swept.key[k],
                             v, k + 1 < m ? "," : "]");
            set_key(kind->keys, x->swept.key[k], (char *)&x->parts[0] + t->params_offset,
                    x->swept.value[k]);
        }
        if (strlen(name) >= MCR_NAME_MAX)
            return mcr_load_fail(c, "sweep", "the expanded name \"%s\" is longer than %d "
                                 "characters; shorten the strategy's name", name,
                                 MCR_NAME_MAX - 1);
        memcpy(x->name, name, strlen(name) + 1); /* fits: checked just above */
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "strategies[%d]", s);
        mcr_error merr = {0};
        if (kind->check && kind->check(&x->parts[0], cfg, path, &merr) != MCR_OK) {
            mcr_status st = mcr_load_keyed(c, path, &merr);
            size_t len = strlen(c->err->msg);
            snprintf(c->err->msg + len, sizeof c->err->msg - len, " (in sweep strategy %s)",
                     x->name);
            return st;
        }
    }
    return MCR_OK;
}

mcr_status mcr_sweeps_expand(const mcr_load *c, mcr_config *cfg)
{
    int target[MCR_MAX_SWEEPS];
    mcr_status st = MCR_OK;
    for (int i = 0; st == MCR_OK && i < cfg->n_sweeps; i++)
        st = check_entry(c, cfg, i, &target[i]);
    if (st != MCR_OK || cfg->n_sweeps == 0)
        return st;
    mcr_strategy *out = malloc(MCR_MAX_STRATEGIES * sizeof *out);
    if (!out)
        return mcr_fail(c->err, MCR_ERR_NOMEM, "%s: out of memory expanding the sweeps",
                        c->source);
    int n = 0;
    for (int s = 0; st == MCR_OK && s < cfg->n_strategies; s++) {
        int e[MCR_MAX_SWEEPS], m = 0;
        for (int i = 0; i < cfg->n_sweeps; i++)
            if (target[i] == s)
                e[m++] = i;
        if (m == 0)
            out[n++] = cfg->strategies[s];
        else
            st = expand(c, cfg, s, e, m, out, &n);
    }
    if (st == MCR_OK) {
        memcpy(cfg->strategies, out, (size_t)n * sizeof *out);
        cfg->n_strategies = n;
    }
    free(out);
    return st;
}
