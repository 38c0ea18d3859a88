/* `none`: the book alone, unhedged: the baseline every hedge is compared with. */
#include "strategy.h"

static const mcr_key none_keys[] = {MCR_KEY_END};

static void none_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    (void)part, (void)env, (void)out;
}

const mcr_strategy_kind mcr_none_strategy = {
    .spec = {.name = "none", .help = "the book alone, unhedged", .keys = none_keys},
    .plan = none_plan,
};
