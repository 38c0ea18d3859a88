/* `covered_call`: sell a call on the book's asset at a strike relative to spot. */
#include <stddef.h>

#include "option_params.h"

typedef struct call_params {
    mcr_option_params o;
    double strike;
} call_params;

static const mcr_key call_keys[] = {
    MCR_STRIKE_KEY("strike", call_params, strike, "the call's strike"),
    MCR_KEY_INC(call_params, o, mcr_option_keys),
    MCR_KEY_END,
};

static mcr_status call_check(void *entry, const mcr_config *cfg, const char *path,
                             mcr_error *err)
{
    mcr_part *part = entry;
    return mcr_option_check(part, &((call_params *)part->params)->o, cfg, path, err);
}

static void call_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const call_params *p = (const call_params *)part->params;
    out->legs[out->n_legs++] = mcr_option_leg(env, &p->o, part->asset, MCR_CALL, p->strike, -1.0);
}

const mcr_strategy_kind mcr_covered_call_strategy = {
    .spec = {.name = "covered_call", .help = "sell a call on the book's asset", .keys = call_keys,
             .params_size = sizeof(call_params), .check = call_check},
    .plan = call_plan,
};
