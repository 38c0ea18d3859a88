/* The `run` and `horizon` sections: their keys and the checks that span keys. */
#include <math.h>
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

static const mcr_key_word target_figures[] = {
    {"mean", MCR_TARGET_MEAN, "the mean P&L"},
    {"var", MCR_TARGET_VAR, "VaR at `level`"},
    {"cvar", MCR_TARGET_CVAR, "CVaR at `level`"},
    {NULL, 0, NULL},
};

static const mcr_key target_keys[] = {
    MCR_KEY_E("figure", mcr_target, figure, 0, target_figures, MCR_TARGET_CVAR,
              "the figure whose standard error is the target"),
    MCR_KEY_F("level", mcr_target, level, MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN | MCR_KEY_MAX_OPEN,
              0, 1, 0.99, "confidence level", "one of run.levels (var and cvar)"),
    MCR_KEY_S("strategy", mcr_target, strategy, 0, NULL,
              "the strategy whose figure it is; default: run.baseline"),
    MCR_KEY_F("se", mcr_target, se, MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN, 0, 0,
              0, "quote currency", "stop when the figure's standard error is at most this in "
              "every scenario"),
    MCR_KEY_F("max_paths", mcr_target, max_paths, MCR_RANGE_CLOSED, 2, MCR_PATHS_MAX, 1e8,
              "paths", "the last round's paths at most (a whole number >= run.paths)"),
    MCR_KEY_END,
};

static const mcr_key_word qmc_words[] = {
    {"none", MCR_QMC_NONE, "pseudo-random normals (PCG32)"},
    {"sobol", MCR_QMC_SOBOL, "scrambled Sobol points through a Brownian bridge"},
    {NULL, 0, NULL},
};

static const mcr_key_word cv_words[] = {
    {"none", MCR_CV_NONE, "no control variate"},
    {"terminal_spot", MCR_CV_TERMINAL_SPOT,
     "the first asset's spot at the horizon, E[S_T] = S0 e^{mu T} (times the scenario's shocks)"},
    {"book_option", MCR_CV_BOOK_OPTION,
     "the book's first option on the first asset (gbm), valued by Black-Scholes at the horizon "
     "at the model's volatility; its mean is Black's formula (README \"Variance reduction\")"},
    {NULL, 0, NULL},
};

static const mcr_key vr_keys[] = {
    MCR_KEY_B("antithetic", mcr_vr_config, antithetic, 0,
              "paths 2k and 2k+1 take negated Brownian price shocks; the pair is one sample "
              "in every standard error"),
    MCR_KEY_E("qmc", mcr_vr_config, qmc, 0, qmc_words, MCR_QMC_NONE,
              "randomised quasi-Monte Carlo for the Brownian price shocks"),
    MCR_KEY_I("randomisations", mcr_vr_config, randomisations, MCR_RANGE_CLOSED, 2,
              MCR_MAX_RANDOMISATIONS, 16, NULL,
              "qmc: independent scramblings (block b of 64 paths uses number b mod this); the "
              "standard errors come from their spread"),
    MCR_KEY_E("control_variate", mcr_vr_config, control_variate, 0, cv_words, MCR_CV_NONE,
              "a control variate for the mean P&L (VaR and CVaR are not changed)"),
    MCR_KEY_I("pilot_blocks", mcr_vr_config, pilot_blocks, MCR_RANGE_CLOSED, 1, 1000000, 16,
              "blocks of 64 paths", "control variate: its coefficient is fitted on the first "
              "this many blocks, and the mean is estimated on the paths after them"),
    MCR_KEY_END,
};

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
             "greeks (net_delta, net_gamma, net_vega), trades (trades, traded_notional, "
             "close_cost), liquidation (liquidation_step, insurance, liquidations, "
             "liquidation_price0), defi (defi/*)"},
    MCR_KEY_I("sample_paths", mcr_config, sample_paths, MCR_RANGE_CLOSED, 0, MCR_SAMPLE_PATHS_MAX,
              0, NULL, "price paths kept at every step, for fan charts"),
    {.name = "levels", .type = MCR_KEY_FLOATS, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN |
                                                        MCR_KEY_MAX_OPEN,
     .offset = offsetof(mcr_config, levels), .count_offset = offsetof(mcr_config, n_levels),
     .max_count = MCR_MAX_LEVELS, .min = 0, .max = 1, .def_list = default_levels,
     .def_count = 2, .word_offset = (size_t)-1, .unit = "confidence level",
     .help = "VaR and CVaR confidence levels, strictly increasing"},
    MCR_KEY_S("baseline", mcr_config, baseline, 0, NULL,
              "the strategy every other is compared with on the same paths (diff_* figures "
              "with paired standard errors); default: the first strategy"),
    MCR_KEY_M("target", mcr_config, target, target_keys,
              "run rounds of run.paths, then twice as many, ... until a figure's standard error "
              "is small enough (README \"Accuracy targets\")"),
    MCR_KEY_M("variance_reduction", mcr_config, vr, vr_keys,
              "antithetic pairs, Sobol quasi-Monte Carlo, a control variate (README "
              "\"Variance reduction\")"),
    MCR_KEY_M("tail", mcr_config, tail, mcr_tail_keys,
              "importance-sampled VaR and CVaR at one level, from an extra pass whose normals "
              "are shifted towards the losses (README \"Tail importance sampling\")"),
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

/* run.variance_reduction against the rest of the config: the transforms act on simulated
 * Brownian price shocks, which replayed paths and data models do not have. */
static mcr_status vr_check(const mcr_load *c, const mcr_config *cfg)
{
    const mcr_vr_config *v = &cfg->vr;
    bool on = v->antithetic || v->qmc != MCR_QMC_NONE || v->control_variate != MCR_CV_NONE;
    if (!on)
        return MCR_OK;
    if (v->control_variate != MCR_CV_NONE && (v->antithetic || v->qmc != MCR_QMC_NONE))
        return mcr_load_fail(c, "run.variance_reduction.control_variate", "not with antithetic "
                             "or qmc (its se assumes independent paths)");
    if (v->control_variate != MCR_CV_NONE &&
        cfg->paths < ((uint64_t)v->pilot_blocks + 2) * 64)
        return mcr_load_fail(c, "run.paths", "must be at least 64 x (run.variance_reduction."
                             "pilot_blocks + 2) = %llu with a control variate (got %llu)",
                             ((unsigned long long)v->pilot_blocks + 2) * 64,
                             (unsigned long long)cfg->paths);
    if (v->antithetic && v->qmc != MCR_QMC_NONE)
        return mcr_load_fail(c, "run.variance_reduction.qmc", "choose one of antithetic: true "
                             "and qmc: sobol (got both)");
    if (v->antithetic && (cfg->paths % 2 || cfg->paths < 4))
        return mcr_load_fail(c, "run.paths", "must be even and >= 4 with antithetic pairs (got "
                             "%llu)", (unsigned long long)cfg->paths);
    if (v->qmc != MCR_QMC_NONE && cfg->paths < 64 * (uint64_t)v->randomisations)
        return mcr_load_fail(c, "run.paths", "must be at least 64 x run.variance_reduction."
                             "randomisations = %d with qmc (got %llu)", 64 * v->randomisations,
                             (unsigned long long)cfg->paths);
    double tail = (double)cfg->paths / v->randomisations * (1 - cfg->levels[cfg->n_levels - 1]);
    if (v->qmc != MCR_QMC_NONE && cfg->n_levels > 0 && tail < 1)
        return mcr_load_fail(c, "run.variance_reduction.randomisations", "too many for run.paths "
                             "(%llu) at level %g: each randomisation needs at least "
                             "1 / (1 - level) paths for its own VaR",
                             (unsigned long long)cfg->paths, cfg->levels[cfg->n_levels - 1]);
    if (cfg->target.se > 0)
        return mcr_load_fail(c, "run.variance_reduction", "not with run.target (its rounds' "
                             "standard errors assume independent paths)");
    for (int a = 0; a < cfg->n_assets; a++) {
        if (cfg->assets[a].path_file[0])
            return mcr_load_fail(c, "run.variance_reduction", "not with replayed paths "
                                 "(market.assets[%d].path_file)", a);
        if (mcr_model_has_data(&cfg->assets[a].model))
            return mcr_load_fail(c, "run.variance_reduction", "not with a data model "
                                 "(market.assets[%d].model.type %s); allowed: gbm, merton, kou, "
                                 "heston, bates", a, mcr_model_name(cfg->assets[a].model.type));
    }
    return MCR_OK;
}

mcr_status mcr_vr_book_check(const mcr_load *c, const mcr_config *cfg)
{
    if (cfg->vr.control_variate != MCR_CV_BOOK_OPTION)
        return MCR_OK;
    bool option = false; /* a call or put on the first asset (sim/control.h prices the first) */
    for (int i = 0; i < cfg->n_positions && !option; i++)
        option = cfg->portfolio[i].asset == 0 &&
                 (c->kinds->instruments->kinds[cfg->portfolio[i].kind]->traits &
                  MCR_KIND_EUROPEAN_OPTION);
    const mcr_model_type type = cfg->assets[0].model.type;
    if (option && type == MCR_MODEL_GBM)
        return MCR_OK;
    char words[256];
    return mcr_load_fail(c, "run.variance_reduction.control_variate",
                         "book_option needs a call or put on the first asset (%s) in the "
                         "portfolio, and that asset with model gbm (got %s%s); allowed: %s",
                         cfg->assets[0].name, option ? "model " : "no such option",
                         option ? mcr_model_name(type) : "",
                         mcr_words_list(cv_words, words, sizeof words));
}

/* run.target's strategy and level among the final strategies and run.levels. */
static mcr_status target_check(const mcr_load *c, mcr_config *cfg)
{
    mcr_status st = vr_check(c, cfg);
    if (st != MCR_OK)
        return st;
    mcr_target *t = &cfg->target;
    t->strategy_index = cfg->baseline_index;
    t->level_index = -1;
    if (t->se <= 0)
        return MCR_OK;
    for (int l = 0; l < cfg->n_levels; l++)
        if (cfg->levels[l] == t->level)
            t->level_index = l;
    if (t->figure != MCR_TARGET_MEAN && t->level_index < 0)
        return mcr_load_fail(c, "run.target.level", "must be one of run.levels (got %s)",
                             MCR_GOT(c, "run.target.level"));
    if (t->max_paths != floor(t->max_paths) || t->max_paths < (double)cfg->paths)
        return mcr_load_fail(c, "run.target.max_paths", "must be a whole number >= run.paths "
                             "(%llu) (got %s)", (unsigned long long)cfg->paths,
                             MCR_GOT(c, "run.target.max_paths"));
    for (int a = 0; a < cfg->n_assets; a++)
        if (cfg->assets[a].path_file[0])
            return mcr_load_fail(c, "run.target", "not with replayed paths (market.assets[%d]."
                                 "path_file): their count is the file's", a);
    return mcr_strategy_named(c, cfg, "run.target.strategy", t->strategy, &t->strategy_index);
}

mcr_status mcr_strategy_named(const mcr_load *c, const mcr_config *cfg, const char *path,
                              const char *name, int *index)
{
    if (!name[0])
        return MCR_OK;
    for (int i = 0; i < cfg->n_strategies; i++)
        if (strcmp(cfg->strategies[i].name, name) == 0) {
            *index = i;
            return MCR_OK;
        }
    return mcr_load_fail(c, path, "no strategy named \"%s\"", name);
}

mcr_status mcr_baseline_check(const mcr_load *c, mcr_config *cfg)
{
    cfg->baseline_index = 0;
    if (!cfg->baseline[0])
        return target_check(c, cfg);
    char names[2048];
    size_t used = 0;
    names[0] = '\0';
    for (int i = 0; i < cfg->n_strategies; i++) {
        if (strcmp(cfg->strategies[i].name, cfg->baseline) == 0) {
            cfg->baseline_index = i;
            return target_check(c, cfg);
        }
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     cfg->strategies[i].name);
    }
    return mcr_load_fail(c, "run.baseline", "no strategy named \"%s\"; allowed: %s",
                         cfg->baseline, names);
}
