/* Names of the per-path output fields (fields.h). */
#include "fields.h"

const char *const mcr_component_names[MCR_N_COMPONENTS] = {
    [MCR_PNL_BOOK] = "book",         [MCR_PNL_HEDGE] = "hedge",
    [MCR_PNL_PREMIUM] = "premium",   [MCR_PNL_FUNDING] = "funding",
    [MCR_PNL_FEES] = "fees",         [MCR_PNL_SLIPPAGE] = "slippage",
    [MCR_PNL_FINANCING] = "financing", [MCR_PNL_YIELD] = "yield",
};
