/* The output field registry (fields.h): one row per per-path field. */
#include "fields.h"

#include <stdint.h>

#define COMPONENT(c, n, h) [MCR_FIELD_COMPONENT + (c)] = {n, "components", MCR_FIELD_F64, "quote", h}

const mcr_field mcr_fields[MCR_N_FIELDS] = {
    [MCR_FIELD_PNL] = {"pnl", NULL, MCR_FIELD_F64, "quote",
                       "P&L at the horizon: the book plus every component of the strategy"},
    COMPONENT(MCR_PNL_BOOK, "book", "the portfolio alone, marked at the horizon"),
    COMPONENT(MCR_PNL_HEDGE, "hedge", "gains of hedge positions: option payoffs and marks, spot "
              "and perpetual variation"),
    COMPONENT(MCR_PNL_PREMIUM, "premium", "option premiums paid (-) or received (+) at t0"),
    COMPONENT(MCR_PNL_FUNDING, "funding", "perpetual funding paid (-) or received (+)"),
    COMPONENT(MCR_PNL_FEES, "fees", "trading and liquidation fees"),
    COMPONENT(MCR_PNL_SLIPPAGE, "slippage", "fixed slippage and square-root impact"),
    COMPONENT(MCR_PNL_FINANCING, "financing", "interest on the cash that carries spot hedges"),
    COMPONENT(MCR_PNL_YIELD, "yield", "collateral_yield on posted margin and positive cash"),
    [MCR_FIELD_LIQUIDATION_STEP] = {"liquidation_step", NULL, MCR_FIELD_I32, "step",
                                    "step of the liquidation of the path's perpetual hedge, -1 "
                                    "if never"},
    [MCR_FIELD_TRADES] = {"trades", NULL, MCR_FIELD_U32, "count",
                          "rebalancing trades of the path"},
    [MCR_FIELD_NET_DELTA] = {"net_delta", NULL, MCR_FIELD_F64, "asset units",
                             "delta of book and hedge, averaged over the horizon"},
    [MCR_FIELD_NET_GAMMA] = {"net_gamma", NULL, MCR_FIELD_F64, "1 / quote",
                             "gamma of book and hedge, averaged over the horizon"},
    [MCR_FIELD_NET_VEGA] = {"net_vega", NULL, MCR_FIELD_F64, "quote per 1.00 of volatility",
                            "vega of book and hedge, averaged over the horizon"},
};

#undef COMPONENT

const char *const mcr_component_names[MCR_N_COMPONENTS] = {
    [MCR_PNL_BOOK] = "book",         [MCR_PNL_HEDGE] = "hedge",
    [MCR_PNL_PREMIUM] = "premium",   [MCR_PNL_FUNDING] = "funding",
    [MCR_PNL_FEES] = "fees",         [MCR_PNL_SLIPPAGE] = "slippage",
    [MCR_PNL_FINANCING] = "financing", [MCR_PNL_YIELD] = "yield",
};

size_t mcr_field_size(mcr_field_id f)
{
    return mcr_fields[f].type == MCR_FIELD_F64 ? sizeof(double) : sizeof(int32_t);
}
