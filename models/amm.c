/* AMM liquidity: pool validation and opening a position worth a USD value (the liquidity L and
 * the initial split). The per-step evaluations are inline in amm.h. */
#include "amm.h"

#include <stddef.h>

#include "model_keys.h" /* MCR_REQ_CLOSED */

/* An ENUM row stores the word's value as an int. */
_Static_assert(sizeof(mcr_amm_type) == sizeof(int), "mcr_amm_type is stored as int");

static const mcr_key_word amm_types[] = {
    {"constant_product", MCR_AMM_CONSTANT_PRODUCT, "Uniswap v2: x y = k over all prices"},
    {"concentrated", MCR_AMM_CONCENTRATED,
     "Uniswap v3: one range [lower, upper] x the spot at t0"},
    {NULL, 0, NULL},
};

/* Rows by index, so the check can take the range keys only for a concentrated pool. */
enum { AMM_TYPE, AMM_FEE, AMM_VOLUME, AMM_LOWER, AMM_UPPER, AMM_END };

const mcr_key mcr_amm_pool_keys[] = {
    [AMM_TYPE] = {.name = "type", .type = MCR_KEY_ENUM, .flags = MCR_KEY_REQUIRED,
                  .offset = offsetof(mcr_amm_pool, type), .words = amm_types,
                  .word_offset = (size_t)-1, .unit = "pool type",
                  .help = "the pool's invariant: constant product or one concentrated range"},
    [AMM_FEE] = MCR_KEY_F("fee", mcr_amm_pool, fee, MCR_REQ_CLOSED, 0, 0.1, 0,
                          "fraction of traded volume", "the pool's fee tier (0.003 = 0.3%)"),
    [AMM_VOLUME] = MCR_KEY_F("volume_per_day", mcr_amm_pool, volume_per_day, MCR_REQ_CLOSED, 0,
                             1000, 0, "fraction of the position's value per day",
                             "volume the position earns fees on, while in range"),
    /* no default: a concentrated pool needs both (the check), a constant-product one reads
     * neither */
    [AMM_LOWER] = {.name = "lower", .type = MCR_KEY_FLOAT,
                   .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
                   .offset = offsetof(mcr_amm_pool, lower), .max = 1e6,
                   .def_text = "required when concentrated", .word_offset = (size_t)-1,
                   .unit = "relative to spot at t0",
                   .help = "concentrated: the range's lower price"},
    [AMM_UPPER] = {.name = "upper", .type = MCR_KEY_FLOAT,
                   .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
                   .offset = offsetof(mcr_amm_pool, upper), .max = 1e6,
                   .def_text = "required when concentrated", .word_offset = (size_t)-1,
                   .unit = "relative to spot at t0",
                   .help = "concentrated: the range's upper price, above lower"},
    [AMM_END] = MCR_KEY_END,
};

mcr_status mcr_amm_pool_check(const mcr_amm_pool *pool, const char *where, mcr_error *err)
{
    if (pool->type != MCR_AMM_CONSTANT_PRODUCT && pool->type != MCR_AMM_CONCENTRATED)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.type: must be constant_product or concentrated",
                        where);
    const mcr_key *rows = mcr_amm_pool_keys;
    mcr_status s = mcr_key_check_value(&rows[AMM_FEE], pool->fee, where, err);
    if (s == MCR_OK)
        s = mcr_key_check_value(&rows[AMM_VOLUME], pool->volume_per_day, where, err);
    if (s != MCR_OK || pool->type == MCR_AMM_CONSTANT_PRODUCT)
        return s; /* a constant-product pool does not read the range keys */
    s = mcr_key_check_value(&rows[AMM_LOWER], pool->lower, where, err);
    if (s == MCR_OK)
        s = mcr_key_check_value(&rows[AMM_UPPER], pool->upper, where, err);
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
