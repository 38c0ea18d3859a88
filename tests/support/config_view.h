/* Reading a loaded config's positions and strategy parts by key name in tests (their values
 * live in their kinds' own structs). */
#ifndef MCR_TEST_CONFIG_VIEW_H
#define MCR_TEST_CONFIG_VIEW_H

#include "config/config.h"
#include "strategies/strategy.h"

static inline const char *pos_kind(const mcr_config *c, int i)
{
    return mcr_instrument_of(&c->portfolio[i])->spec.name;
}
static inline double pos_num(const mcr_config *c, int i, const char *key)
{
    return mcr_position_value(&c->portfolio[i], key);
}
static inline const char *strat_kind(const mcr_config *c, int s)
{
    return mcr_strategy_kind_of(&c->strategies[s].parts[0])->spec.name;
}
static inline double strat_num(const mcr_config *c, int s, const char *key)
{
    return mcr_part_value(&c->strategies[s].parts[0], key);
}
static inline const char *strat_word(const mcr_config *c, int s, const char *key)
{
    return mcr_part_word(&c->strategies[s].parts[0], key);
}

#endif
