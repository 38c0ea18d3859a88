/* The strategy registry (strategy.h): one line per kind, the table the config loader selects
 * from, and the config loaded with every registered kind. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "roll.h"
#include "strategy.h"

extern const mcr_strategy_kind mcr_none_strategy, mcr_protective_put_strategy,
    mcr_collar_strategy, mcr_covered_call_strategy, mcr_put_spread_collar_strategy,
    mcr_strangle_strategy, mcr_perp_hedge_strategy, mcr_delta_hedge_strategy,
    mcr_lp_rebalance_strategy, mcr_deleverage_strategy;

const mcr_strategy_kind *const mcr_strategy_kinds[] = {
    &mcr_none_strategy,           &mcr_protective_put_strategy,
    &mcr_collar_strategy,         &mcr_covered_call_strategy,
    &mcr_put_spread_collar_strategy, &mcr_strangle_strategy,
    &mcr_perp_hedge_strategy,     &mcr_delta_hedge_strategy,
    &mcr_lp_rebalance_strategy,   &mcr_deleverage_strategy,
};
const int mcr_n_strategy_kinds = sizeof mcr_strategy_kinds / sizeof mcr_strategy_kinds[0];

/* The kinds as the config loader sees them: their first member. */
static const mcr_kind *const specs[] = {
    &mcr_none_strategy.spec,           &mcr_protective_put_strategy.spec,
    &mcr_collar_strategy.spec,         &mcr_covered_call_strategy.spec,
    &mcr_put_spread_collar_strategy.spec, &mcr_strangle_strategy.spec,
    &mcr_perp_hedge_strategy.spec,     &mcr_delta_hedge_strategy.spec,
    &mcr_lp_rebalance_strategy.spec, &mcr_deleverage_strategy.spec,
};
_Static_assert(sizeof specs / sizeof specs[0] ==
                   sizeof mcr_strategy_kinds / sizeof mcr_strategy_kinds[0],
               "one spec per strategy kind");

static const mcr_key common_keys[] = {
    MCR_KEY_A("asset", mcr_part, asset, 0, "the asset of the book's first position",
              "the book's asset hedged (a name from market.assets)"),
    MCR_KEY_END,
};

const mcr_kind_table mcr_strategy_kind_table = {
    .what = "strategy type",
    .selector = "type",
    .kinds = specs,
    .n_kinds = sizeof specs / sizeof specs[0],
    .common = common_keys,
    .size = sizeof(mcr_part),
    .params_offset = offsetof(mcr_part, params),
    .kind_offset = offsetof(mcr_part, kind),
};

const mcr_config_kinds *mcr_registry(void)
{
    static const mcr_config_kinds kinds = {.instruments = &mcr_instrument_kind_table,
                                           .strategies = &mcr_strategy_kind_table};
    return &kinds;
}

const mcr_strategy_kind *mcr_strategy_kind_of(const mcr_part *part)
{
    return mcr_strategy_kinds[part->kind];
}

const mcr_strategy_kind *mcr_strategy_kind_find(const char *name)
{
    for (int i = 0; i < mcr_n_strategy_kinds; i++)
        if (strcmp(mcr_strategy_kinds[i]->spec.name, name) == 0)
            return mcr_strategy_kinds[i];
    return NULL;
}

void mcr_part_plan_of(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const mcr_strategy_kind *k = mcr_strategy_kind_of(part);
    memset(out, 0, sizeof *out);
    out->asset = out->hedge_asset = part->asset;
    out->hedge_ratio = out->beta = 1.0;
    out->every_steps = 1;
    out->venue = -1;
    out->flags = k->flags;
    k->plan(part, env, out);
    if (out->n_legs > 0) /* an option part's account is where its legs are held */
        out->venue = out->legs[0].venue;
    out->pp.pooled = env->cfg->margin.mode == MCR_MARGIN_CROSS;
    mcr_roll_plan(part, env->cfg, out);
    if (out->rolls_per_step > 0) {
        for (int l = 0; l < out->n_legs; l++)
            out->rel_strike[l] = out->legs[l].strike / env->cfg->assets[out->legs[l].asset].spot;
    }
    const mcr_option_fee *fee = &env->cfg->costs.option_fee;
    for (int l = 0; l < out->n_legs; l++) {
        const mcr_leg *leg = &out->legs[l];
        if (!leg->coin) {
            out->premium0 += leg->quantity * leg->price0;
            out->fee0 += mcr_option_trade_fee(fee, leg->quantity * env->cfg->assets[leg->asset].spot,
                                              leg->quantity * leg->price0);
            continue;
        }
        double coin = leg->price0 / env->cfg->assets[leg->asset].spot; /* Deribit: BS / S0 */
        out->coin_legs = true;
        out->premium0_coin += leg->quantity * coin;
        out->fee0_coin += mcr_option_trade_fee(fee, leg->quantity, leg->quantity * coin);
    }
}

mcr_status mcr_config_load_file(const char *path, mcr_config *cfg, mcr_error *err)
{
    return mcr_config_parse_file(path, mcr_registry(), cfg, err);
}

mcr_status mcr_config_load_string(const char *yaml, const char *source, mcr_config *cfg,
                                  mcr_error *err)
{
    return mcr_config_parse_string(yaml, source, mcr_registry(), cfg, err);
}

/* A number or word at `offset` of a kind's params, by its row's type. */
static double value_at(const mcr_key *k, const unsigned char *params, size_t offset)
{
    if (!k)
        return NAN;
    const unsigned char *at = params + offset;
    switch (k->type) {
    case MCR_KEY_FLOAT: return *(const double *)at;
    case MCR_KEY_INT: return k->size == sizeof(int) ? *(const int *)at : *(const long long *)at;
    case MCR_KEY_ENUM:
    case MCR_KEY_ASSET: return *(const int *)at;
    case MCR_KEY_BOOL: return *(const bool *)at;
    default: return NAN;
    }
}

double mcr_part_value(const mcr_part *part, const char *key)
{
    size_t offset;
    const mcr_key *k = mcr_keys_find(mcr_strategy_kind_of(part)->spec.keys, key, &offset);
    return value_at(k, part->params, offset);
}

double mcr_position_value(const mcr_position *pos, const char *key)
{
    size_t offset;
    const mcr_key *k = mcr_keys_find(mcr_instrument_of(pos)->spec.keys, key, &offset);
    return value_at(k, pos->params, offset);
}

const char *mcr_position_text(const mcr_position *pos, const char *key)
{
    size_t offset;
    const mcr_key *k = mcr_keys_find(mcr_instrument_of(pos)->spec.keys, key, &offset);
    return k && k->type == MCR_KEY_STRING ? (const char *)(pos->params + offset) : NULL;
}

const char *mcr_part_word(const mcr_part *part, const char *key)
{
    size_t offset;
    const mcr_key *k = mcr_keys_find(mcr_strategy_kind_of(part)->spec.keys, key, &offset);
    if (!k || !k->words)
        return NULL;
    int v;
    if (k->type == MCR_KEY_ENUM)
        v = *(const int *)(part->params + offset);
    else if (k->word_offset != (size_t)-1) /* word_offset is relative to the key's struct */
        v = *(const int *)(part->params + offset - k->offset + k->word_offset);
    else
        return NULL;
    for (const mcr_key_word *w = k->words; w->word; w++)
        if (w->value == v && (k->type == MCR_KEY_ENUM || v != 0))
            return w->word;
    return NULL;
}
