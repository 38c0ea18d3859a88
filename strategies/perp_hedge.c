/* `perp_hedge`: at t0 open a perpetual (linear or inverse) whose delta is -hedge_ratio times the
 * book's delta, and hold it to the horizon (or its liquidation). An inverse perpetual's delta
 * counts the coin posted as its margin: the contract and the coin together hold the target. */
#include <stddef.h>

#include "hedge_params.h"

typedef struct perp_params {
    int contract; /* 0 linear, 1 inverse */
    mcr_hedge_params h;
} perp_params;

static const mcr_key_word contracts[] = {
    {"linear", 0, "USD-margined: P&L = q (S_exit - S_entry)"},
    {"inverse", 1, "coin-margined: P&L in coin = q_usd (1/S_entry - 1/S_exit)"},
    {NULL, 0, NULL},
};

static const mcr_key perp_keys[] = {
    {.name = "contract", .type = MCR_KEY_ENUM, .offset = offsetof(perp_params, contract),
     .words = contracts, .def = 0, .word_offset = (size_t)-1, .unit = "contract",
     .help = "the perpetual traded"},
    MCR_KEY_INC(perp_params, h, mcr_hedge_keys),
    MCR_KEY_END,
};

static mcr_status perp_check(void *entry, const mcr_config *cfg, const char *path, mcr_error *err)
{
    mcr_part *part = entry;
    return mcr_hedge_check(part, &((perp_params *)part->params)->h, cfg, path, err);
}

static void perp_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const perp_params *p = (const perp_params *)part->params;
    out->position = p->contract ? mcr_inverse_perp_instrument.ops : mcr_linear_perp_instrument.ops;
    mcr_hedge_plan_terms(part, &p->h, env, out);
}

const mcr_strategy_kind mcr_perp_hedge_strategy = {
    .spec = {.name = "perp_hedge", .help = "a static short perpetual opened at t0",
             .keys = perp_keys, .params_size = sizeof(perp_params), .check = perp_check},
    .flags = MCR_STRAT_HOLDS_POSITION | MCR_STRAT_OPENS_AT_T0 | MCR_STRAT_NEEDS_DELTA,
    .plan = perp_plan,
};
