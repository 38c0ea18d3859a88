/* `protective_put`: buy a put on the book's asset at a strike relative to spot. */
#include <stddef.h>

#include "option_params.h"

typedef struct put_params {
    mcr_option_params o;
    double strike;
} put_params;

static const mcr_key put_keys[] = {
    MCR_STRIKE_KEY("strike", put_params, strike, "the put's strike"),
    MCR_KEY_INC(put_params, o, mcr_option_keys),
    MCR_KEY_END,
};

static mcr_status put_check(void *entry, const mcr_config *cfg, const char *path, mcr_error *err)
{
    mcr_part *part = entry;
    return mcr_option_check(part, &((put_params *)part->params)->o, cfg, path, err);
}

static void put_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const put_params *p = (const put_params *)part->params;
    out->legs[out->n_legs++] = mcr_option_leg(env, &p->o, part->asset, MCR_PUT, p->strike, 1.0);
}

const mcr_strategy_kind mcr_protective_put_strategy = {
    .spec = {.name = "protective_put", .help = "buy a put on the book's asset", .keys = put_keys,
             .params_size = sizeof(put_params), .check = put_check},
    .plan = put_plan,
};
