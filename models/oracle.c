/* The oracle's config keys (oracle.h). */
#include "oracle.h"

#include <stddef.h>

/* No default: absent, the oracle is the market price. */
const mcr_key mcr_oracle_keys[] = {
    {.name = "lag_steps", .type = MCR_KEY_INT, .flags = MCR_RANGE_CLOSED,
     .offset = offsetof(mcr_oracle, lag_steps), .size = sizeof(int), .min = 1,
     .max = MCR_ORACLE_MAX_STEPS, .def_text = "none (the market price)",
     .word_offset = (size_t)-1, .unit = "steps",
     .help = "the oracle reports the price this many steps ago"},
    {.name = "twap_steps", .type = MCR_KEY_INT, .flags = MCR_RANGE_CLOSED,
     .offset = offsetof(mcr_oracle, twap_steps), .size = sizeof(int), .min = 1,
     .max = MCR_ORACLE_MAX_STEPS, .def_text = "none (the market price)",
     .word_offset = (size_t)-1, .unit = "steps",
     .help = "the oracle reports the mean of the last this many step prices"},
    MCR_KEY_END,
};
