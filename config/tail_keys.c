/* The `run.tail` keys (importance sampling of the tails, run/tail.h) and their check: a market
 * whose every simulated asset draws Brownian price normals for the kernels' shift hook to tilt
 * (gbm, merton, kou, heston, bates; pegged assets ride on their reference), and the strategy
 * whose loss chooses the shift. */
#include <stddef.h>

#include "schema.h"

#define MCR_TAIL_PILOT_MAX 1000000

static const mcr_key_word methods[] = {
    {"shift", MCR_TAIL_SHIFT, "a mean shift of every step's normal, likelihood-ratio weights"},
    {NULL, 0, NULL},
};

static const mcr_key_word auto_word[] = {
    {"auto", 1, "from a pilot of pilot_paths paths (its own seed): the standardised terminal "
                "normals (one per asset) at which the strategy's loss reaches its VaR"},
    {NULL, 0, NULL},
};

const mcr_key mcr_tail_keys[] = {
    MCR_KEY_F("level", mcr_tail, level,
              MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN | MCR_KEY_MAX_OPEN, 0, 1, 0,
              "confidence level", "the level of the importance-sampled VaR and CVaR"),
    MCR_KEY_E("method", mcr_tail, method, 0, methods, MCR_TAIL_SHIFT, "how the paths are tilted"),
    {.name = "shift", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED, .min = -10, .max = 10,
     .def = 0, .def_text = "auto", .offset = offsetof(mcr_tail, shift), .words = auto_word,
     .word_offset = offsetof(mcr_tail, shift_auto), .unit = "standard deviations",
     .help = "c: the terminal normal's mean under the tilt (< 0 towards falling prices); "
             "0 gives plain Monte Carlo with weights 1; a number only with one asset"},
    MCR_KEY_S("strategy", mcr_tail, strategy, 0, NULL,
              "the strategy whose loss the pilot tilts towards; default: run.baseline"),
    MCR_KEY_I("pilot_paths", mcr_tail, pilot_paths, MCR_RANGE_CLOSED, 1000, MCR_TAIL_PILOT_MAX,
              4096, "paths", "the pilot's paths (shift: auto)"),
    MCR_KEY_END,
};

mcr_status mcr_tail_check(const mcr_load *c, mcr_config *cfg)
{
    mcr_tail *t = &cfg->tail;
    t->strategy_index = cfg->baseline_index;
    if (t->level <= 0)
        return MCR_OK;
    if (!mcr_load_has(c, "run.tail.shift"))
        t->shift_auto = 1;
    for (int a = 0; a < cfg->n_assets; a++) {
        const mcr_asset *as = &cfg->assets[a];
        if (mcr_model_has_data(&as->model))
            return mcr_load_fail(c, "run.tail", "needs Brownian price normals to shift: models "
                                 "gbm, merton, kou, heston, bates (got market.assets[%d] %s "
                                 "with model %s, which draws days of its data)", a, as->name,
                                 mcr_model_name(as->model.type));
        if (as->path_file[0])
            return mcr_load_fail(c, "run.tail", "not with replayed paths (market.assets[%d]."
                                 "path_file): they have no normals to shift", a);
    }
    if (!t->shift_auto && cfg->n_assets > 1)
        return mcr_load_fail(c, "run.tail.shift", "a number only with one asset (the shift of "
                             "its normal); with %d assets use auto (the default): the pilot "
                             "finds the shift of every asset's independent normal (got %g)",
                             cfg->n_assets, t->shift);
    /* The weighted VaR and CVaR standard errors take the pass's paths as independent; antithetic
     * pairs and Sobol randomisations are not (README "Tail importance sampling"). A control
     * variate changes only the plain mean, not the pass. */
    if (cfg->vr.antithetic)
        return mcr_load_fail(c, "run.tail", "not with run.variance_reduction.antithetic: the "
                             "tail pass's standard errors assume independent paths, antithetic "
                             "pairs are not; allowed with run.tail: control_variate");
    if (cfg->vr.qmc != MCR_QMC_NONE)
        return mcr_load_fail(c, "run.tail", "not with run.variance_reduction.qmc: the tail "
                             "pass's standard errors assume independent paths, Sobol points are "
                             "not; allowed with run.tail: control_variate");
    return mcr_strategy_named(c, cfg, "run.tail.strategy", t->strategy, &t->strategy_index);
}
