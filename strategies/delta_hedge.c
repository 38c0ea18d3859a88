/* `delta_hedge`: hold spot or a perpetual at -hedge_ratio times the book's delta, traded again
 * every k steps or when the net delta leaves a band. */
#include <stddef.h>

#include "hedge_params.h"

typedef struct rebalance_params {
    int every_steps;
    double band;
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
    MCR_KEY_I("every_steps", rebalance_params, every_steps, MCR_KEY_HAS_MIN, 1, 0, 1, NULL,
              "trade every k steps (at most horizon.steps)"),
    {.name = "band", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN,
     .offset = offsetof(rebalance_params, band), .def_text = "none (the schedule)",
     .word_offset = (size_t)-1, .unit = "units of the hedged asset's net delta",
     .help = "trade when |net delta| > band"},
    MCR_KEY_END,
};

static const mcr_key delta_keys[] = {
    {.name = "instrument", .type = MCR_KEY_ENUM, .offset = offsetof(delta_params, instrument),
     .words = instruments, .def = 1, .word_offset = (size_t)-1, .unit = "hedge instrument",
     .help = "what is traded"},
    {.name = "rebalance", .type = MCR_KEY_MAP, .flags = MCR_KEY_ONE_OF,
     .offset = offsetof(delta_params, rebalance), .size = sizeof(rebalance_params),
     .sub = rebalance_keys, .word_offset = (size_t)-1,
     .help = "{every_steps: k} or {band: x}; default every step"},
    MCR_KEY_INC(delta_params, h, mcr_hedge_keys),
    MCR_KEY_END,
};

static mcr_status delta_check(void *entry, const mcr_config *cfg, const char *path,
                              mcr_error *err)
{
    mcr_part *part = entry;
    const delta_params *p = (const delta_params *)part->params;
    const rebalance_params *r = &p->rebalance;
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
    out->every_steps = p->rebalance.every_steps;
    out->band = p->rebalance.band;
    mcr_hedge_plan_terms(part, &p->h, env, out);
}

const mcr_strategy_kind mcr_delta_hedge_strategy = {
    .spec = {.name = "delta_hedge",
             .help = "spot or a perpetual rebalanced to the book's delta on a schedule or a band",
             .keys = delta_keys, .params_size = sizeof(delta_params), .check = delta_check},
    .flags = MCR_STRAT_HOLDS_POSITION | MCR_STRAT_REBALANCES | MCR_STRAT_NEEDS_DELTA,
    .plan = delta_plan,
};
