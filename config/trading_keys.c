/* The `costs`, `funding` and `margin` sections (trading.h): their keys and the checks that span
 * keys. */
#include <math.h>
#include <stddef.h>

#include "schema.h"

#define MCR_BPS_MAX 10000.0 /* 100% of the notional */

const mcr_key mcr_costs_keys[] = {
    MCR_KEY_F("fee_bps", mcr_costs, fee_bps, MCR_RANGE_CLOSED, 0, MCR_BPS_MAX, 0,
              "basis points of traded notional", "taker fee"),
    MCR_KEY_F("slippage_bps", mcr_costs, slippage_bps, MCR_RANGE_CLOSED, 0, MCR_BPS_MAX, 0,
              "basis points of traded notional", "fixed slippage"),
    MCR_KEY_F("impact", mcr_costs, impact, MCR_KEY_HAS_MIN, 0, 0, 0,
              "the impact fraction at a trade of impact_notional",
              "square-root impact: extra slippage impact x sqrt(notional / impact_notional)"),
    MCR_KEY_F("impact_notional", mcr_costs, impact_notional, MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN,
              0, 0, 1e6, "quote currency", "the reference notional N0 of the impact law"),
    MCR_KEY_M("option_fee", mcr_costs, option_fee, mcr_option_fee_keys,
              "option fees of every option a strategy trades (Deribit: fraction_of_underlying "
              "0.0003, cap_of_premium 0.125, delivery_fraction 0.00015, delivery_cap 0.125)"),
    MCR_KEY_END,
};

static const mcr_key_word funding_modes[] = {
    {"constant", MCR_FUNDING_CONSTANT, "the rate of funding.rate (or the scenario's)"},
    {"stochastic", MCR_FUNDING_STOCHASTIC,
     "rate + beta x (log return over the interval) + noise x N(0, 1), clamped to [-cap, cap]"},
    {NULL, 0, NULL},
};

const mcr_key mcr_funding_keys[] = {
    MCR_KEY_F("interval_hours", mcr_funding, interval_hours, MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
              0, 36500 * 24, 8, "hours between funding payments",
              "funding is paid at every multiple of the interval after t0"),
    MCR_KEY_F("rate", mcr_funding, rate, MCR_RANGE_CLOSED, -1, 1, 0.0001,
              "the rate per interval (0.0001 = 0.01%)", "positive: longs pay shorts"),
    {.name = "mode", .type = MCR_KEY_ENUM, .offset = offsetof(mcr_funding, mode),
     .words = funding_modes, .def = MCR_FUNDING_CONSTANT, .word_offset = (size_t)-1,
     .unit = "funding mode", .help = "how the rate of each interval is set"},
    MCR_KEY_F("beta", mcr_funding, beta, 0, 0, 0, 0, NULL,
              "stochastic: the rate's loading on the log return over the interval"),
    MCR_KEY_F("noise", mcr_funding, noise, MCR_KEY_HAS_MIN, 0, 0, 0,
              "standard deviation of the rate per interval",
              "stochastic: the independent part of the rate"),
    MCR_KEY_F("cap", mcr_funding, cap, MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0, 1, 0.0075,
              "the largest |rate| per interval", "stochastic: the rate is clamped to [-cap, cap]"),
    MCR_KEY_END,
};

static const mcr_key_word margin_modes[] = {
    {"isolated", MCR_MARGIN_ISOLATED, "each perpetual hedge has its own account"},
    {"cross", MCR_MARGIN_CROSS,
     "a strategy's perpetual accounts and the book's spot (its net value when positive) are one "
     "account"},
    {"none", MCR_MARGIN_NONE, "no margin: perpetual hedges are never liquidated"},
    {NULL, 0, NULL},
};

const mcr_key mcr_margin_keys[] = {
    {.name = "mode", .type = MCR_KEY_ENUM, .offset = offsetof(mcr_margin, mode),
     .words = margin_modes, .def = MCR_MARGIN_ISOLATED, .word_offset = (size_t)-1,
     .unit = "margin mode", .help = "how perpetual hedges are margined"},
    MCR_KEY_F("initial", mcr_margin, initial, MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0, 1, 0.1,
              "the margin posted per unit of notional",
              "initial margin, topped up at every rebalance"),
    MCR_KEY_F("maintenance", mcr_margin, maintenance, MCR_RANGE_CLOSED | MCR_KEY_MAX_OPEN, 0, 1,
              0.005, "per unit of notional",
              "liquidation when equity < maintenance x notional; below initial"),
    MCR_KEY_F("liquidation_fee", mcr_margin, liquidation_fee, MCR_RANGE_CLOSED | MCR_KEY_MAX_OPEN,
              0, 1, 0.005, "fraction of notional",
              "charged on liquidation, out of the margin account"),
    MCR_KEY_END,
};

mcr_status mcr_trading_check(const mcr_load *c, mcr_config *cfg)
{
    if (cfg->funding.mode == MCR_FUNDING_CONSTANT) {
        static const char *const stochastic_only[] = {"funding.beta", "funding.noise",
                                                      "funding.cap"};
        for (int k = 0; k < 3; k++)
            if (mcr_load_has(c, stochastic_only[k]))
                return mcr_load_fail(c, stochastic_only[k], "only used with mode: stochastic; "
                                     "allowed with mode constant: interval_hours, rate, mode");
    }
    const mcr_margin *m = &cfg->margin;
    if (!(m->maintenance < m->initial)) {
        if (mcr_load_has(c, "margin.maintenance"))
            return mcr_load_fail(c, "margin.maintenance", "must be a number in [0, initial = %g) "
                                 "(got %s)", m->initial, MCR_GOT(c, "margin.maintenance"));
        return mcr_load_fail(c, "margin.initial", "must be above margin.maintenance = %g (its "
                             "default; give a lower maintenance) (got %s)", m->maintenance,
                             MCR_GOT(c, "margin.initial"));
    }
    return MCR_OK;
}
