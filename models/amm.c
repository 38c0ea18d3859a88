/* AMM liquidity: pool validation and opening a position worth a USD value (the liquidity L and
 * the initial split). The per-step evaluations are inline in amm.h. */
#include "amm.h"

#include "param_check.h"

mcr_status mcr_amm_pool_check(const mcr_amm_pool *pool, const char *where, mcr_error *err)
{
    if (pool->type != MCR_AMM_CONSTANT_PRODUCT && pool->type != MCR_AMM_CONCENTRATED)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.type: must be constant_product or concentrated",
                        where);
    const mcr_param p[] = {
        {"fee", pool->fee, 0.0, 0.1, false},
        {"volume_per_day", pool->volume_per_day, 0.0, 1000.0, false},
    };
    mcr_status s = mcr_params_check(p, sizeof p / sizeof p[0], where, err);
    if (s != MCR_OK || pool->type == MCR_AMM_CONSTANT_PRODUCT)
        return s;
    const mcr_param range[] = {
        {"lower", pool->lower, 0.0, 1e6, true},
        {"upper", pool->upper, 0.0, 1e6, true},
    };
    s = mcr_params_check(range, 2, where, err);
    if (s != MCR_OK)
        return s;
    if (!(pool->upper > pool->lower))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.upper: must be greater than lower = %g (got %g)",
                        where, pool->lower, pool->upper);
    return MCR_OK;
}

/* v(P0) = P0 (1/s0 - 1/sqrt(Pb)) + (s0 - sqrt(Pa)) is the value of one unit of liquidity, > 0
 * whenever Pa < Pb. */
mcr_amm_lp mcr_amm_lp_open(const mcr_amm_pool *pool, double value, double p0)
{
    mcr_amm_lp lp = {.liquidity = 1.0};
    if (pool->type == MCR_AMM_CONCENTRATED) {
        lp.lower = pool->lower * p0;
        lp.upper = pool->upper * p0;
        lp.sqrt_lower = sqrt(lp.lower);
        lp.sqrt_upper = sqrt(lp.upper);
        lp.inv_sqrt_upper = 1.0 / lp.sqrt_upper;
    } else {
        lp.lower = 0.0;
        lp.upper = INFINITY;
        lp.sqrt_lower = 0.0;
        lp.sqrt_upper = INFINITY;
        lp.inv_sqrt_upper = 0.0;
    }
    lp.liquidity = value / mcr_amm_value(&lp, p0);
    mcr_amm_holdings h = mcr_amm_holdings_at(&lp, p0);
    lp.x0 = h.x;
    lp.y0 = h.y;
    return lp;
}
