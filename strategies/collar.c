/* `collar`: buy a put and sell a call on the book's asset; the call's strike is given or solved
 * for a zero net premium (`auto`, the default). */
#include <stddef.h>

#include "collar_params.h"

typedef struct collar_params {
    mcr_option_params o;
    double put_strike, call_strike;
    int call_auto;
} collar_params;

static const mcr_key collar_keys[] = {
    MCR_STRIKE_KEY("put_strike", collar_params, put_strike, "the strike of the put bought"),
    MCR_CALL_STRIKE_KEY(collar_params, call_strike, call_auto),
    MCR_KEY_INC(collar_params, o, mcr_option_keys),
    MCR_KEY_END,
};

/* The puts' premium per unit of the asset covered. */
static double put_premium(const mcr_part *part, const mcr_config *cfg)
{
    const collar_params *p = (const collar_params *)part->params;
    mcr_leg_env env = mcr_leg_env_of(cfg);
    double s0 = cfg->assets[part->asset].spot;
    return mcr_leg_make(&env, part->asset, MCR_PUT, p->put_strike * s0,
                        mcr_option_days(&p->o, cfg), 1.0).price0;
}

static mcr_status collar_check(void *entry, const mcr_config *cfg, const char *path,
                               mcr_error *err)
{
    mcr_part *part = entry;
    collar_params *p = (collar_params *)part->params;
    double k;
    mcr_status st = mcr_option_check(part, &p->o, cfg, path, err);
    if (st == MCR_OK)
        st = mcr_collar_call_strike(part, cfg, p->put_strike, p->call_strike, p->call_auto,
                                    put_premium(part, cfg), &p->o, path, &k, err);
    return st;
}

static void collar_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const collar_params *p = (const collar_params *)part->params;
    mcr_leg put = mcr_option_leg(env, &p->o, part->asset, MCR_PUT, p->put_strike, 1.0);
    out->legs[out->n_legs++] = put;
    double k = p->call_auto
                   ? mcr_leg_call_strike_for(&env->legs, part->asset,
                                             mcr_option_days(&p->o, env->cfg), put.price0)
                   : p->call_strike;
    out->call_strike = k;
    out->legs[out->n_legs++] = mcr_option_leg(env, &p->o, part->asset, MCR_CALL, k, -1.0);
}

const mcr_strategy_kind mcr_collar_strategy = {
    .spec = {.name = "collar", .help = "buy a put and sell a call (zero cost by default)",
             .keys = collar_keys, .params_size = sizeof(collar_params), .check = collar_check},
    .plan = collar_plan,
};
