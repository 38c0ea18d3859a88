/* The output field registry (fields.h): one row per per-path field, and the loops over it that
 * every layer shares (masks, allocation, the shift to global path indices). */
#include "fields.h"

#include "big_alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPONENT(c, n, h)                                                                      \
    [MCR_FIELD_COMPONENT + (c)] = {n, "components", MCR_FIELD_F64, "quote", h, MCR_SUMMARY_MEAN,  \
                                   "mean_" n, NULL, (c) == MCR_PNL_BOOK, "components"}

const mcr_field mcr_fields[MCR_N_FIELDS] = {
    [MCR_FIELD_PNL] = {"pnl", NULL, MCR_FIELD_F64, "quote",
                       "P&L at the horizon: the book plus every component of the strategy",
                       MCR_SUMMARY_NONE, NULL, NULL, false, "pnl"},
    COMPONENT(MCR_PNL_BOOK, "book", "the portfolio alone, marked at the horizon"),
    COMPONENT(MCR_PNL_HEDGE, "hedge", "gains of hedge positions: option payoffs and marks, spot "
              "and perpetual variation"),
    COMPONENT(MCR_PNL_PREMIUM, "premium", "option premiums paid (-) or received (+) at t0"),
    COMPONENT(MCR_PNL_FUNDING, "funding", "perpetual funding paid (-) or received (+)"),
    COMPONENT(MCR_PNL_FEES, "fees", "trading and liquidation fees"),
    COMPONENT(MCR_PNL_SLIPPAGE, "slippage", "fixed slippage and square-root impact"),
    COMPONENT(MCR_PNL_FINANCING, "financing", "interest on the cash that carries spot hedges"),
    COMPONENT(MCR_PNL_YIELD, "yield", "collateral_yield on posted margin and positive cash"),
    COMPONENT(MCR_PNL_VENUE_LOSS, "venue_loss", "what failed venues kept of the strategy's "
              "positions and accounts there: (1 - recovery) of their value at the failure, "
              "carried to the horizon (the book's own is in book: defi/book_venue_loss)"),
    COMPONENT(MCR_PNL_GAS, "gas", "gas paid for on-chain transactions (costs.gas_per_tx)"),
    [MCR_FIELD_LIQUIDATION_STEP] = {"liquidation_step", NULL, MCR_FIELD_I32, "step",
                                    "step of the first liquidation of the path's perpetual "
                                    "hedge, -1 if never", MCR_SUMMARY_EVENT, "p_liquidation",
                                    "P(liq)", false, "liquidation"},
    [MCR_FIELD_TRADES] = {"trades", NULL, MCR_FIELD_U32, "count",
                          "rebalancing trades of the path", MCR_SUMMARY_MEAN, "trades_mean", NULL,
                          false, "trades"},
    [MCR_FIELD_NET_DELTA] = {"net_delta", NULL, MCR_FIELD_F64, "asset units",
                             "delta of book and hedge, averaged over the horizon",
                             MCR_SUMMARY_MEAN, "net_delta", NULL, false, "greeks"},
    [MCR_FIELD_NET_GAMMA] = {"net_gamma", NULL, MCR_FIELD_F64, "1 / quote",
                             "gamma of book and hedge, averaged over the horizon",
                             MCR_SUMMARY_MEAN, "net_gamma", NULL, false, "greeks"},
    [MCR_FIELD_NET_VEGA] = {"net_vega", NULL, MCR_FIELD_F64, "quote per 1.00 of volatility",
                            "vega of book and hedge, averaged over the horizon",
                            MCR_SUMMARY_MEAN, "net_vega", NULL, false, "greeks"},
    [MCR_FIELD_TRADED_NOTIONAL] = {"traded_notional", NULL, MCR_FIELD_F64, "quote",
                                   "notional of every spot and perpetual trade of the path, "
                                   "summed (liquidations excluded)", MCR_SUMMARY_MEAN,
                                   "traded_notional_mean", NULL, false, "trades"},
    [MCR_FIELD_CLOSE_COST] = {"close_cost", NULL, MCR_FIELD_F64, "quote",
                              "cost of closing every hedge at the horizon (costs.close_at_horizon; "
                              "0 without), included in fees and slippage", MCR_SUMMARY_MEAN,
                              "close_cost_mean", "close", false, "trades"},
    [MCR_FIELD_INSURANCE] = {"insurance", NULL, MCR_FIELD_F64, "quote",
                             "deficits of liquidated perpetual accounts beyond what the account "
                             "(and under cross margin the book's coins) covered, paid by the "
                             "venue's insurance fund, summed over the path", MCR_SUMMARY_MEAN,
                             "insurance_mean", NULL, false, "liquidation"},
    [MCR_FIELD_LIQUIDATIONS] = {"liquidations", NULL, MCR_FIELD_U32, "count",
                                "liquidations of the path's perpetual positions (more than one "
                                "when a hedge re-opens: reopen)", MCR_SUMMARY_MEAN,
                                "liquidations_mean", NULL, false, "liquidation"},
    [MCR_FIELD_LIQUIDATION_PRICE0] = {"liquidation_price0", NULL, MCR_FIELD_F64, "quote",
                                      "the price at which the strategy's first perpetual, as "
                                      "opened at t0, is liquidated on its isolated account "
                                      "(margin.tiers or maintenance); 0 without", MCR_SUMMARY_MEAN,
                                      "liquidation_price0", NULL, false, "liquidation"},
    [MCR_FIELD_ADL_STEP] = {"adl_step", NULL, MCR_FIELD_I32, "step",
                            "step of the first auto-deleveraging of the path's perpetual hedge "
                            "(margin.adl), -1 if never", MCR_SUMMARY_EVENT, "p_adl", NULL, false,
                            "liquidation"},
    [MCR_FIELD_VENUE_DEFAULT_STEP] = {"venue_default_step", NULL, MCR_FIELD_I32, "step",
                                      "step of the first default of a venue holding the book's "
                                      "or the strategy's positions (venues), -1 if none",
                                      MCR_SUMMARY_EVENT, "p_venue_default", NULL, false,
                                      "liquidation"},
    [MCR_FIELD_ONCHAIN_TXS] = {"onchain_txs", NULL, MCR_FIELD_U32, "count",
                               "on-chain transactions of the path, each paying costs.gas_per_tx",
                               MCR_SUMMARY_MEAN, "onchain_txs_mean", NULL, false, "trades"},
    [MCR_FIELD_LP_FEES] = {"lp_fees", "defi", MCR_FIELD_F64, "quote",
                           "fees the book's AMM liquidity earned, carried to the horizon (part of "
                           "the book component)", MCR_SUMMARY_MEAN, "lp_fees_mean", NULL, false,
                           "defi"},
    [MCR_FIELD_IMPERMANENT_LOSS] = {"impermanent_loss", "defi", MCR_FIELD_F64, "quote",
                                    "the book's AMM liquidity at the horizon less the initial "
                                    "tokens held instead (part of the book component)",
                                    MCR_SUMMARY_MEAN, "impermanent_loss_mean", NULL, false,
                                    "defi"},
    [MCR_FIELD_TIME_IN_RANGE] = {"time_in_range", "defi", MCR_FIELD_F64, "fraction",
                                 "fraction of the steps the book's AMM liquidity was in range "
                                 "(averaged over its positions; 0 without any)", MCR_SUMMARY_MEAN,
                                 "time_in_range", NULL, false, "defi"},
    [MCR_FIELD_LOAN_LIQUIDATION_STEP] = {"loan_liquidation_step", "defi", MCR_FIELD_I32, "step",
                                         "step of the first liquidation of the book's loans, -1 "
                                         "if never", MCR_SUMMARY_EVENT, "p_loan_liquidation",
                                         NULL, false, "defi"},
    [MCR_FIELD_LIQUIDATION_BONUS_LOST] = {"liquidation_bonus_lost", "defi", MCR_FIELD_F64,
                                          "quote", "collateral the book's loans lost to "
                                          "liquidation bonuses, at the oracle price of each "
                                          "liquidation, carried to the horizon (part of the book "
                                          "component)", MCR_SUMMARY_MEAN,
                                          "liquidation_bonus_lost_mean", NULL, false, "defi"},
    [MCR_FIELD_MIN_HEALTH_FACTOR] = {"min_health_factor", "defi", MCR_FIELD_F64,
                                     "health factor", "lowest health factor of the book's loans "
                                     "over the path, on the oracle prices (0 without any)",
                                     MCR_SUMMARY_MEAN, "min_health_factor_mean", NULL, false,
                                     "defi"},
    [MCR_FIELD_BOOK_VENUE_LOSS] = {"book_venue_loss", "defi", MCR_FIELD_F64, "quote",
                                   "what failed venues kept of the book's positions there: (1 - "
                                   "recovery) of their value at the failure, carried to the "
                                   "horizon (part of the book component)", MCR_SUMMARY_MEAN,
                                   "book_venue_loss_mean", NULL, false, "defi"},
};

#undef COMPONENT

const char *const mcr_component_names[MCR_N_COMPONENTS] = {
    [MCR_PNL_BOOK] = "book",         [MCR_PNL_HEDGE] = "hedge",
    [MCR_PNL_PREMIUM] = "premium",   [MCR_PNL_FUNDING] = "funding",
    [MCR_PNL_FEES] = "fees",         [MCR_PNL_SLIPPAGE] = "slippage",
    [MCR_PNL_FINANCING] = "financing", [MCR_PNL_YIELD] = "yield",
    [MCR_PNL_VENUE_LOSS] = "venue_loss", [MCR_PNL_GAS] = "gas",
};

size_t mcr_field_size(mcr_field_id f)
{
    return mcr_fields[f].type == MCR_FIELD_F64 ? sizeof(double) : sizeof(int32_t);
}

uint64_t mcr_field_set_mask(const mcr_field_set *s)
{
    uint64_t mask = 0;
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (s->at[f])
            mask |= MCR_FIELD_BIT(f);
    return mask;
}

bool mcr_field_set_alloc(mcr_field_set *s, uint64_t n, uint64_t mask)
{
    bool ok = true;
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        s->at[f] = NULL;
        if (mask & MCR_FIELD_BIT(f))
            ok = (s->at[f] = mcr_alloc_big(n * mcr_field_size((mcr_field_id)f))) && ok;
    }
    if (!ok)
        mcr_field_set_free(s);
    return ok;
}

void mcr_field_set_free(mcr_field_set *s)
{
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        free(s->at[f]);
        s->at[f] = NULL;
    }
}

mcr_field_set mcr_field_set_shift(const mcr_field_set *s, uint64_t first)
{
    mcr_field_set out;
    for (int f = 0; f < MCR_N_FIELDS; f++)
        out.at[f] = s->at[f] ? (void *)((uintptr_t)s->at[f] -
                                        (uintptr_t)first * mcr_field_size((mcr_field_id)f))
                             : NULL;
    return out;
}

uint64_t mcr_field_keep_mask(const char *word)
{
    uint64_t mask = 0;
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (!strcmp(mcr_fields[f].keep, word))
            mask |= MCR_FIELD_BIT(f);
    return mask;
}

const char *mcr_field_keep_words(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        const char *w = mcr_fields[f].keep;
        if (mcr_field_keep_mask(w) & (MCR_FIELD_BIT(f) - 1)) /* an earlier field has it */
            continue;
        int n = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", w);
        if (n < 0 || (size_t)n >= cap - len)
            break;
        len += (size_t)n;
    }
    return buf;
}
