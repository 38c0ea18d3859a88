/* `delta_hedge`: hold spot or a perpetual at -hedge_ratio times the book's delta, traded again
 * on a schedule (every k steps, or every h hours), when the net delta leaves a band (in units, or
 * in percent of the book's delta), or on a schedule only where it is beyond the band. */
#include <stddef.h>

#include "hedge_params.h"

typedef struct rebalance_params {
    int every_steps; /* 0: not given */
    double band, every_hours, band_pct;
} rebalance_params;

typedef struct delta_params {
    int instrument; /* 0 spot, 1 linear perp, 2 inverse perp */
    rebalance_params rebalance;
    mcr_hedge_params h;
} delta_params;

static const mcr_key_word instruments[] = {
    {"spot", 0, "the asset itself, financed at market.rate"},
    {"linear_perp", 1, "a USD-margined perpetual"},
    {"inverse_perp", 2, "a coin-margined perpetual"},
    {NULL, 0, NULL},
};

static const mcr_key rebalance_keys[] = {
    {.name = "every_steps", .type = MCR_KEY_INT, .flags = MCR_KEY_HAS_MIN,
     .offset = offsetof(rebalance_params, every_steps), .size = sizeof(int), .min = 1,
     .def_text = "1, without every_hours", .word_offset = (size_t)-1,
     .help = "trade every k steps (at most horizon.steps)"},
    {.name = "every_hours", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN,
     .offset = offsetof(rebalance_params, every_hours), .def_text = "none (every_steps)",
     .word_offset = (size_t)-1, .unit = "hours",
     .help = "trade at the first step at or after every multiple of h hours (steps 0, 8, 16 ... "
             "for 8 on hourly steps)"},
    {.name = "band", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN,
     .offset = offsetof(rebalance_params, band), .def_text = "none (the schedule)",
     .word_offset = (size_t)-1, .unit = "units of the hedged asset's net delta",
     .help = "trade when |net delta| > band"},
    {.name = "band_pct", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
     .offset = offsetof(rebalance_params, band_pct), .max = 10, .def_text = "none",
     .word_offset = (size_t)-1, .unit = "fraction of the book's delta (0.05: 5%)",
     .help = "trade when |net delta| > band_pct x |the book's delta| (both beta-weighted in "
             "units of the hedged asset)"},
    MCR_KEY_END,
};

static const mcr_key delta_keys[] = {
    {.name = "instrument", .type = MCR_KEY_ENUM, .offset = offsetof(delta_params, instrument),
     .words = instruments, .def = 1, .word_offset = (size_t)-1, .unit = "hedge instrument",
     .help = "what is traded"},
    {.name = "rebalance", .type = MCR_KEY_MAP, .flags = MCR_KEY_NONEMPTY,
     .offset = offsetof(delta_params, rebalance), .size = sizeof(rebalance_params),
     .sub = rebalance_keys, .word_offset = (size_t)-1,
     .help = "a schedule ({every_steps: k} or {every_hours: h}), a band ({band: x} or "
             "{band_pct: x}), or both: on the schedule, trade where beyond the band; default "
             "every step"},
    MCR_KEY_INC(delta_params, h, mcr_hedge_keys),
    MCR_KEY_END,
};

static mcr_status delta_check(void *entry, const mcr_config *cfg, const char *path,
                              mcr_error *err)
{
    mcr_part *part = entry;
    delta_params *p = (delta_params *)part->params;
    rebalance_params *r = &p->rebalance;
    if (r->every_steps > 0 && r->every_hours > 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.rebalance: give one schedule, every_steps or "
                        "every_hours, not both (a band may go with either)", path);
    if (r->band > 0 && r->band_pct > 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.rebalance: give one band, band or band_pct, not "
                        "both (a schedule may go with either)", path);
    if (r->every_steps == 0 && r->every_hours == 0) /* the default: every step */
        r->every_steps = 1;
    if (r->every_steps > cfg->steps)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.rebalance.every_steps: must be an integer in [1, "
                        "%d] (horizon.steps) (got %d)", path, cfg->steps, r->every_steps);
    return mcr_hedge_check(part, &p->h, cfg, path, err);
}

static void delta_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    static const mcr_instrument_kind *const kinds[3] = {
        &mcr_spot_instrument, &mcr_linear_perp_instrument, &mcr_inverse_perp_instrument};
    const delta_params *p = (const delta_params *)part->params;
    out->position = kinds[p->instrument]->ops;
    const rebalance_params *r = &p->rebalance;
    out->every_steps = r->every_steps > 0 ? r->every_steps : 1;
    /* every_hours: a multiple of h hours falls in step t when floor(t x steps per h) grows */
    double step_hours = env->cfg->horizon_days * 24.0 / env->cfg->steps;
    out->schedules_per_step = r->every_hours > 0 ? step_hours / r->every_hours : 0.0;
    out->band = r->band;
    out->band_pct = r->band_pct;
    mcr_hedge_plan_terms(part, &p->h, env, out);
}

const mcr_strategy_kind mcr_delta_hedge_strategy = {
    .spec = {.name = "delta_hedge",
             .help = "spot or a perpetual rebalanced to the book's delta on a schedule or a band",
             .keys = delta_keys, .params_size = sizeof(delta_params), .check = delta_check},
    .flags = MCR_STRAT_HOLDS_POSITION | MCR_STRAT_REBALANCES | MCR_STRAT_NEEDS_DELTA,
    .plan = delta_plan,
};
