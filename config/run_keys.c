/* The `run` and `horizon` sections: their keys and the checks that span keys. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/fields.h"
#include "schema.h"

#define MCR_PATHS_MAX 1e10
#define MCR_STEPS_MAX 1000000
#define MCR_THREADS_MAX 4096
#define MCR_SAMPLE_PATHS_MAX 1000 /* each keeps steps + 1 prices per asset in memory */
#define MCR_DAYS_MAX 36500.0      /* 100 years: beyond that a typo is likelier than a plan */

static const double default_levels[] = {0.95, 0.99};

/* The run keys live in mcr_config itself (cfg->paths, ...): the section's struct is the config. */
const mcr_key mcr_run_keys[] = {
    MCR_KEY_I("paths", mcr_config, paths, MCR_RANGE_CLOSED, 1, MCR_PATHS_MAX, 100000, NULL,
              "simulated paths (a path file gives its own count)"),
    {.name = "seed", .type = MCR_KEY_INT, .flags = MCR_KEY_UNSIGNED | MCR_KEY_HAS_MIN,
     .offset = offsetof(mcr_config, seed), .size = sizeof(uint64_t), .def = 42,
     .word_offset = (size_t)-1,
     .help = "the same seed gives bitwise-identical results at any thread or rank count"},
    MCR_KEY_I("threads", mcr_config, threads, MCR_RANGE_CLOSED, 0, MCR_THREADS_MAX, 0, NULL,
              "OpenMP threads; 0 = all cores"),
    MCR_KEY_S("output", mcr_config, output, MCR_KEY_NONEMPTY, "out.h5",
              "the HDF5 result file (a file name)"),
    MCR_KEY_B("keep_pnl", mcr_config, keep_pnl, 1,
              "write the per-path datasets (false: summaries and histograms only)"),
    {.name = "keep", .type = MCR_KEY_CUSTOM, .word_offset = (size_t)-1,
     .def_text = "[pnl, components, greeks, trades, liquidation, defi]",
     .help = "what is written per path, with keep_pnl: any of pnl, components (components/*), "
             "greeks (net_delta, net_gamma, net_vega), trades (trades, traded_notional), "
             "liquidation (liquidation_step), defi (defi/*)"},
    MCR_KEY_I("sample_paths", mcr_config, sample_paths, MCR_RANGE_CLOSED, 0, MCR_SAMPLE_PATHS_MAX,
              0, NULL, "price paths kept at every step, for fan charts"),
    {.name = "levels", .type = MCR_KEY_FLOATS, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN |
                                                        MCR_KEY_MAX_OPEN,
     .offset = offsetof(mcr_config, levels), .count_offset = offsetof(mcr_config, n_levels),
     .max_count = MCR_MAX_LEVELS, .min = 0, .max = 1, .def_list = default_levels,
     .def_count = 2, .word_offset = (size_t)-1, .unit = "confidence level",
     .help = "VaR and CVaR confidence levels, strictly increasing"},
    MCR_KEY_END,
};

const mcr_key mcr_horizon_keys[] = {
    MCR_KEY_F("days", mcr_config, horizon_days, MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0,
              MCR_DAYS_MAX, 30, "calendar days", "the horizon; may be fractional"),
    MCR_KEY_I("steps", mcr_config, steps, MCR_RANGE_CLOSED, 1, MCR_STEPS_MAX, 720, NULL,
              "time steps over the horizon: dt = days / 365 / steps years"),
    MCR_KEY_END,
};

/* run.keep: a list of the registry's keep words (core/fields.h), into cfg->keep_fields. */
static mcr_status read_keep(const mcr_load *c, mcr_config *cfg)
{
    char words[128];
    const yaml_node_t *n = mcr_load_node(c, "run.keep");
    cfg->keep_fields = MCR_FIELDS_ALL;
    if (!n)
        return MCR_OK;
    if (n->type != YAML_SEQUENCE_NODE)
        return mcr_load_fail(c, "run.keep", "expected a list of words; allowed: any of %s "
                             "(got %s)", mcr_field_keep_words(words, sizeof words),
                             MCR_GOT_QUOTED(c, "run.keep"));
    cfg->keep_fields = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        const yaml_node_t *w = mcr_yaml_node(c->doc, *it);
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "run.keep[%ld]", (long)(it - n->data.sequence.items.start));
        uint64_t m = w->type == YAML_SCALAR_NODE
                         ? mcr_field_keep_mask((const char *)w->data.scalar.value)
                         : 0;
        if (!m)
            return mcr_load_fail(c, path, "unknown output; allowed: %s (got %s)",
                                 mcr_field_keep_words(words, sizeof words),
                                 MCR_GOT_QUOTED(c, path));
        if (cfg->keep_fields & m)
            return mcr_load_fail(c, path, "%s named twice", (const char *)w->data.scalar.value);
        cfg->keep_fields |= m;
    }
    /* keep_pnl: false writes nothing per path; a list of what to write contradicts it */
    if (!cfg->keep_pnl && cfg->keep_fields)
        return mcr_load_fail(c, "run.keep", "per-path outputs are off (run.keep_pnl: false); "
                             "allowed: remove run.keep, or [] (got %s)",
                             MCR_GOT_QUOTED(c, "run.keep"));
    return MCR_OK;
}

mcr_status mcr_run_check(const mcr_load *c, mcr_config *cfg)
{
    mcr_status st = read_keep(c, cfg);
    if (st != MCR_OK)
        return st;
    if (!cfg->keep_pnl)
        cfg->keep_fields = 0;
    for (int i = 1; i < cfg->n_levels; i++) {
        if (cfg->levels[i] > cfg->levels[i - 1])
            continue;
        char path[MCR_KEYPATH_MAX], prev[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "run.levels[%d]", i);
        snprintf(prev, sizeof prev, "run.levels[%d]", i - 1);
        return mcr_load_fail(c, path, "levels must be strictly increasing; allowed: a number in "
                             "(%s, 1) (got %s)", MCR_GOT(c, prev), MCR_GOT(c, path));
    }
    return MCR_OK;
}
