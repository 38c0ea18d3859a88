/* The oracle's config keys (oracle.h). */
#include "oracle.h"

#include <stddef.h>

const mcr_key mcr_oracle_keys[] = {
    MCR_KEY_I("lag_steps", mcr_oracle, lag_steps, MCR_RANGE_CLOSED, 1, MCR_ORACLE_MAX_STEPS, 0,
              "steps", "the oracle reports the price this many steps ago"),
    MCR_KEY_I("twap_steps", mcr_oracle, twap_steps, MCR_RANGE_CLOSED, 1, MCR_ORACLE_MAX_STEPS, 0,
              "steps", "the oracle reports the mean of the last this many step prices"),
    MCR_KEY_END,
};
