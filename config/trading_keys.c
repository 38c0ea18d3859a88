/* The `costs`, `funding` and `margin` sections (trading.h): their keys and the checks that span
 * keys. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

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
    MCR_KEY_B("close_at_horizon", mcr_costs, close_at_horizon, 0,
              "charge fees, slippage and impact (and option fees on options still open) to close "
              "every hedge at the horizon; the cost is the output close_cost"),
    MCR_KEY_F("borrow_rate", mcr_costs, borrow_rate, MCR_RANGE_CLOSED, 0, 10, 0, "per year",
              "borrow fee on the value of short spot hedges, in the financing component"),
    MCR_KEY_F("gas_per_tx", mcr_costs, gas_per_tx, MCR_KEY_HAS_MIN, 0, 0, 0,
              "quote currency per transaction",
              "gas of every on-chain action (a hedge with onchain: true, LP adjustments, loan "
              "repayments): the component gas, the count onchain_txs"),
    MCR_KEY_M("option_fee", mcr_costs, option_fee, mcr_option_fee_keys,
              "option fees of every option a strategy trades (Deribit: fraction_of_underlying "
              "0.0003, cap_of_premium 0.125, delivery_fraction 0.00015, delivery_cap 0.125)"),
    MCR_KEY_END,
};

static const mcr_key_word funding_modes[] = {
    {"constant", MCR_FUNDING_CONSTANT, "the rate of funding.rate (or the scenario's)"},
    {"premium", MCR_FUNDING_PREMIUM,
     "from the perpetual's basis b (perp.basis): clamp(b x interval_hours / 8 + rate, -cap, cap), "
     "rate as the interest term"},
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
              "the largest |rate| per interval",
              "stochastic and premium: the rate is clamped to [-cap, cap]"),
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

static const mcr_key tier_keys[] = {
    MCR_KEY_F("notional_max", mcr_margin_tier, notional_max,
              MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN, 0, 0, 0,
              "position notional, the margin currency (USD linear, coin inverse)",
              "the tier holds notionals up to this (above the previous tier's)"),
    MCR_KEY_F("maintenance", mcr_margin_tier, maintenance,
              MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MAX_OPEN, 0, 1, 0,
              "per unit of notional", "the tier's maintenance rate"),
    {.name = "amount", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HAS_MIN, .min = 0,
     .offset = offsetof(mcr_margin_tier, amount), .def = NAN,
     .def_text = "the continuity rule: A_0 = 0, A_i = A_i-1 + notional_max_i-1 (m_i - m_i-1)",
     .word_offset = (size_t)-1, .unit = "the margin currency",
     .help = "the maintenance amount: the requirement is notional x maintenance - amount"},
    MCR_KEY_END,
};

static const mcr_key_word liquidation_styles[] = {
    {"fee", MCR_LIQ_FEE,
     "closed at the step's price less liquidation_fee; the rest of the account is returned"},
    {"exchange", MCR_LIQ_EXCHANGE,
     "taken over at the bankruptcy price: the whole isolated account is lost"},
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
    {.name = "tiers", .type = MCR_KEY_LIST, .offset = offsetof(mcr_margin, tiers),
     .size = sizeof(mcr_margin_tier), .count_offset = offsetof(mcr_margin, n_tiers),
     .max_count = MCR_MAX_MARGIN_TIERS, .sub = tier_keys, .word_offset = (size_t)-1,
     .unit = "tier",
     .help = "tiered maintenance instead of maintenance: {notional_max, maintenance, amount} by "
             "increasing notional (Binance USD(S)-M)"},
    {.name = "liquidation", .type = MCR_KEY_ENUM, .offset = offsetof(mcr_margin, liquidation),
     .words = liquidation_styles, .def = MCR_LIQ_FEE, .word_offset = (size_t)-1,
     .unit = "liquidation style", .help = "what a liquidation costs"},
    MCR_KEY_B("adl", mcr_margin, adl, 0,
              "auto-deleveraging: in a scenario's adl window a profitable perpetual is closed at "
              "the mark; false: the insurance fund absorbs every deficit"),
    MCR_KEY_END,
};

const mcr_key mcr_perp_keys[] = {
    MCR_KEY_M("basis", mcr_perp_market, basis, mcr_basis_params_keys,
              "{reversion, vol, crash_beta}: the perpetual trades at S (1 + b), b an "
              "Ornstein-Uhlenbeck process loading on the asset's log return; default: at spot"),
    MCR_KEY_END,
};

/* margin.tiers as the model's table (models/margin_tiers.h); without tiers, one tier of rate
 * margin.maintenance and amount 0, whose requirement is maintenance x notional exactly. */
mcr_margin_tiers mcr_margin_tiers_of(const mcr_margin *m)
{
    mcr_margin_tiers t = {.n = m->n_tiers > 0 ? m->n_tiers : 1, .amounts_given = true};
    if (m->n_tiers == 0) {
        t.notional_max[0] = INFINITY;
        t.maintenance[0] = m->maintenance;
        return t;
    }
    for (int i = 0; i < m->n_tiers; i++) {
        t.notional_max[i] = m->tiers[i].notional_max;
        t.maintenance[i] = m->tiers[i].maintenance;
        t.amount[i] = m->tiers[i].amount;
        t.amounts_given &= !isnan(m->tiers[i].amount);
    }
    if (!t.amounts_given)
        mcr_margin_tiers_fill_amounts(&t);
    return t;
}

/* The tiers: amounts all given or none, the model's rules, and a first rate below initial. */
static mcr_status tiers_check(const mcr_load *c, const mcr_margin *m)
{
    if (m->n_tiers == 0)
        return MCR_OK;
    if (mcr_load_has(c, "margin.maintenance"))
        return mcr_load_fail(c, "margin.maintenance", "give maintenance or tiers, not both");
    for (int i = 1; i < m->n_tiers; i++)
        if (isnan(m->tiers[i].amount) != isnan(m->tiers[0].amount)) {
            char at[64];
            snprintf(at, sizeof at, "margin.tiers[%d].amount", i);
            return mcr_load_fail(c, at, "give the amount of every tier or of none (none: from the "
                                 "continuity rule)");
        }
    mcr_margin_tiers t = mcr_margin_tiers_of(m);
    t.amounts_given = !isnan(m->tiers[0].amount);
    mcr_error merr = {0};
    if (mcr_margin_tiers_check(&t, "margin.tiers", &merr) != MCR_OK)
        return mcr_load_keyed(c, "margin.tiers", &merr);
    if (!(m->tiers[0].maintenance < m->initial))
        return mcr_load_fail(c, "margin.tiers[0].maintenance", "must be below margin.initial = %g "
                             "(got %g)", m->initial, m->tiers[0].maintenance);
    return MCR_OK;
}

mcr_status mcr_trading_check(const mcr_load *c, mcr_config *cfg)
{
    if (cfg->funding.mode == MCR_FUNDING_PREMIUM) {
        if (!(cfg->perp.basis.reversion > 0))
            return mcr_load_fail(c, "funding.mode", "premium sets the rate from the perpetual's "
                                 "basis: give perp.basis {reversion, vol, crash_beta}, or another "
                                 "mode (constant, stochastic)");
        static const char *const stochastic_only[] = {"funding.beta", "funding.noise"};
        for (int k = 0; k < 2; k++)
            if (mcr_load_has(c, stochastic_only[k]))
                return mcr_load_fail(c, stochastic_only[k], "only used with mode: stochastic; "
                                     "allowed with mode premium: interval_hours, rate, mode, cap");
    }
    if (cfg->funding.mode == MCR_FUNDING_CONSTANT) {
        static const char *const stochastic_only[] = {"funding.beta", "funding.noise",
                                                      "funding.cap"};
        for (int k = 0; k < 3; k++)
            if (mcr_load_has(c, stochastic_only[k]))
                return mcr_load_fail(c, stochastic_only[k], "only used with mode: stochastic; "
                                     "allowed with mode constant: interval_hours, rate, mode");
    }
    const mcr_margin *m = &cfg->margin;
    mcr_status st = tiers_check(c, m);
    if (st != MCR_OK)
        return st;
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
