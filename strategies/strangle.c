/* `strangle`: buy a put and a call on the book's asset at strikes relative to spot (put below
 * the call): protection on both sides, paid for with both premiums. */
#include <stddef.h>

#include "option_params.h"

typedef struct strangle_params {
    mcr_option_params o;
    double put_strike, call_strike;
} strangle_params;

static const mcr_key strangle_keys[] = {
    MCR_STRIKE_KEY("put_strike", strangle_params, put_strike, "the put's strike"),
    MCR_STRIKE_KEY("call_strike", strangle_params, call_strike,
                   "the call's strike, at or above put_strike"),
    MCR_KEY_INC(strangle_params, o, mcr_option_keys),
    MCR_KEY_END,
};

static mcr_status strangle_check(void *entry, const mcr_config *cfg, const char *path,
                                 mcr_error *err)
{
    mcr_part *part = entry;
    strangle_params *p = (strangle_params *)part->params;
    if (p->call_strike < p->put_strike)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.call_strike: must be a number in [put_strike = "
                        "%g, 10], relative to spot at t0 (got %g)", path, p->put_strike,
                        p->call_strike);
    return mcr_option_check(part, &p->o, cfg, path, err);
}

static void strangle_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const strangle_params *p = (const strangle_params *)part->params;
    out->legs[out->n_legs++] = mcr_option_leg(env, &p->o, part->asset, MCR_PUT, p->put_strike,
                                              1.0);
    out->legs[out->n_legs++] = mcr_option_leg(env, &p->o, part->asset, MCR_CALL,
                                              p->call_strike, 1.0);
}

const mcr_strategy_kind mcr_strangle_strategy = {
    .spec = {.name = "strangle", .help = "buy a put and a call on the book's asset",
             .keys = strangle_keys, .params_size = sizeof(strangle_params),
             .check = strangle_check},
    .plan = strangle_plan,
};
