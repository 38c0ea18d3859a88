/* `put_spread_collar`: buy a put, sell a lower put and sell a call on the book's asset; the call's
 * strike is given or solved for a zero net premium (`auto`, the default). */
#include <stddef.h>
#include <stdio.h>

#include "collar_params.h"

typedef struct psc_params {
    mcr_option_params o;
    double put_strike, lower_put_strike, call_strike;
    int call_auto;
} psc_params;

static const mcr_key psc_keys[] = {
    MCR_STRIKE_KEY("put_strike", psc_params, put_strike, "the strike of the put bought"),
    MCR_STRIKE_KEY("lower_put_strike", psc_params, lower_put_strike,
                   "the strike of the put sold, below put_strike"),
    MCR_CALL_STRIKE_KEY(psc_params, call_strike, call_auto),
    MCR_KEY_INC(psc_params, o, mcr_option_keys),
    MCR_KEY_END,
};

/* The net premium of the two puts per unit of the asset covered. */
static double puts_premium(const mcr_part *part, const mcr_config *cfg)
{
    const psc_params *p = (const psc_params *)part->params;
    mcr_leg_env env = mcr_leg_env_of(cfg);
    double s0 = cfg->assets[part->asset].spot, days = mcr_option_days(&p->o, cfg);
    return mcr_leg_make(&env, part->asset, MCR_PUT, p->put_strike * s0, days, 1.0).price0 -
           mcr_leg_make(&env, part->asset, MCR_PUT, p->lower_put_strike * s0, days, 1.0).price0;
}

static mcr_status psc_check(void *entry, const mcr_config *cfg, const char *path, mcr_error *err)
{
    mcr_part *part = entry;
    psc_params *p = (psc_params *)part->params;
    if (!(p->lower_put_strike < p->put_strike))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.lower_put_strike: must be a number in (0, "
                        "put_strike = %g), relative to spot at t0 (got %g)", path, p->put_strike,
                        p->lower_put_strike);
    double k;
    mcr_status st = mcr_option_check(part, &p->o, cfg, path, err);
    if (st == MCR_OK)
        st = mcr_collar_call_strike(part, cfg, p->put_strike, p->call_strike, p->call_auto,
                                    puts_premium(part, cfg), &p->o, path, &k, err);
    return st;
}

static void psc_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const psc_params *p = (const psc_params *)part->params;
    mcr_leg put = mcr_option_leg(env, &p->o, part->asset, MCR_PUT, p->put_strike, 1.0);
    mcr_leg low = mcr_option_leg(env, &p->o, part->asset, MCR_PUT, p->lower_put_strike, -1.0);
    out->legs[out->n_legs++] = put;
    out->legs[out->n_legs++] = low;
    double net = put.price0 - low.price0; /* per unit, paid */
    double k = p->call_auto
                   ? mcr_leg_call_strike_for(&env->legs, part->asset,
                                             mcr_option_days(&p->o, env->cfg), net)
                   : p->call_strike;
    out->call_strike = k;
    out->legs[out->n_legs++] = mcr_option_leg(env, &p->o, part->asset, MCR_CALL, k, -1.0);
}

const mcr_strategy_kind mcr_put_spread_collar_strategy = {
    .spec = {.name = "put_spread_collar",
             .help = "buy a put, sell a lower put and a call (zero cost by default)",
             .keys = psc_keys, .params_size = sizeof(psc_params), .check = psc_check},
    .plan = psc_plan,
};
