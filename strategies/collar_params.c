/* The call strike of collars (collar_params.h). */
#include <stddef.h>

#include "collar_params.h"

const mcr_key_word mcr_auto_word[] = {
    {"auto", 1, "solved for a zero net premium"},
    {NULL, 0, NULL},
};

mcr_status mcr_collar_call_strike(const mcr_part *part, const mcr_config *cfg, double put_strike,
                                  double call_strike, bool call_auto, double premium,
                                  const mcr_option_params *o, const char *path, double *out,
                                  mcr_error *err)
{
    if (!call_auto) {
        if (!(call_strike > put_strike))
            return mcr_fail(err, MCR_ERR_INPUT, "%s.call_strike: must be a number in (put_strike "
                            "= %g, 10], relative to spot at t0, or auto (solved for a zero net "
                            "premium) (got %g)", path, put_strike, call_strike);
        *out = call_strike;
        return MCR_OK;
    }
    mcr_leg_env env = mcr_leg_env_of(cfg);
    *out = mcr_leg_call_strike_for(&env, part->asset, mcr_option_days(o, cfg), premium);
    if (!(*out > put_strike))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.call_strike: auto solves to %.4g, not above "
                        "put_strike = %g: on this surface no call above the put pays for it; "
                        "give call_strike as a number (the collar then costs a net premium) or "
                        "a lower put_strike", path, *out, put_strike);
    return MCR_OK;
}
