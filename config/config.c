/* YAML config loader, schema 1 (../shared/DESIGN.md "Config contract"): text -> validated
 * mcr_config, or one error line "FILE:LINE: KEY.PATH: what is wrong; allowed ...".
 *
 * Four passes over the text, each doing what it is good at:
 *  1. libyaml builds a node tree (syntax errors; lines of every key, see yaml_lines.h);
 *  2. a walk of that tree against the libcyaml schema checks number and bool spellings, because
 *     libcyaml 1.3 silently accepts "1.5" for an integer, "-3" for an unsigned and "maybe" for a
 *     bool, and takes "1e400" as inf; it also checks each model's keys against its model type
 *     and each strategy's keys against its strategy type, since the schema holds the keys of
 *     every model and every strategy type;
 *  3. libcyaml loads the values into raw_* structs; its log is captured to name the key that was
 *     unknown, repeated or of the wrong kind (it reports no line, so lines come from the tree);
 *  4. defaults, ranges, names and cross-references are checked while filling mcr_config;
 *     correlation matrices (lists of lists, which libcyaml cannot count per row) and call_strike
 *     (a number or `auto`) are read here from the tree, whose lines then name the offending
 *     entry; a scenario's `use` starts it from a built-in one (scenarios_builtin.h), its own
 *     keys override, and the merged scenario is checked against the models, surfaces and costs.
 * Every schema key is optional for libcyaml: required keys are checked in pass 4, where the
 * message can say which entry lacks what. */
#include "config.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/correlation.h"
#include "models/model_step.h"
#include "scenarios_builtin.h"
#include "yaml_lines.h"

#define MCR_PATHS_MAX 10000000000LL /* 1e10 */
#define MCR_STEPS_MAX 1000000
#define MCR_THREADS_MAX 4096
#define MCR_SAMPLE_PATHS_MAX 1000 /* each keeps steps+1 prices per asset in memory */
#define MCR_DAYS_MAX 36500.0      /* 100 years: beyond that a typo is likelier than a plan */
#define MCR_RATE_MAX 1.0          /* |rate| per year, continuously compounded */
#define MCR_KEYPATH_MAX 256

/* ---- raw values as libcyaml loads them (ranges not yet checked) ---- */

/* The keys of every model; which ones a model takes is in model_params below. */
typedef struct raw_model {
    char type[MCR_NAME_MAX];
    double mu, sigma;
    double jump_intensity, jump_mean, jump_std; /* merton, bates */
    double p_up, eta_up, eta_down;              /* kou (and jump_intensity) */
    double v0, kappa, theta, xi, rho;           /* heston, bates */
} raw_model;

typedef struct raw_vol_point {
    double days, atm;
} raw_vol_point;

typedef struct raw_vol {
    double atm, skew, smile;
    raw_vol_point term[MCR_VOL_TERM_MAX];
    uint32_t n_term;
} raw_vol;

typedef struct raw_asset {
    char name[MCR_NAME_MAX];
    double spot;
    raw_model model;
    raw_vol implied_vol;
    char path_file[MCR_PATH_MAX];
} raw_asset;

typedef struct raw_position {
    char asset[MCR_NAME_MAX];
    char instrument[MCR_NAME_MAX];
    double quantity, strike, expiry_days;
} raw_position;

typedef struct raw_rebalance {
    int64_t every_steps;
    double band;
} raw_rebalance;

/* The keys of every strategy type; which ones a type takes is in strategy_keys below.
 * call_strike (a number or `auto`) is read from the tree in pass 4. */
typedef struct raw_strategy {
    char name[MCR_NAME_MAX];
    char type[MCR_NAME_MAX];
    char asset[MCR_NAME_MAX];
    double strike, put_strike, lower_put_strike, expiry_days, quantity;
    char contract[MCR_NAME_MAX];
    char instrument[MCR_NAME_MAX];
    double hedge_ratio, collateral_yield;
    raw_rebalance rebalance;
} raw_strategy;

typedef struct raw_shock {
    double day, ret;
} raw_shock;

typedef struct raw_funding_piece {
    double from_day, rate;
} raw_funding_piece;

/* no_rebalance (from_day, to_day) and depeg (and price) */
typedef struct raw_window {
    double from_day, to_day, price;
} raw_window;

typedef struct raw_scenario {
    char name[MCR_NAME_MAX];
    char use[MCR_NAME_MAX];
    raw_shock shock;
    raw_shock shocks[MCR_MAX_SHOCKS];
    uint32_t n_shocks;
    double vol_multiplier, jump_multiplier, implied_vol_shift, skew_shift, funding_shift;
    raw_funding_piece funding_path[MCR_MAX_FUNDING_PIECES];
    uint32_t n_funding_path;
    double slippage_multiplier, impact_multiplier;
    raw_window no_rebalance, depeg;
} raw_scenario;

typedef struct raw_costs {
    double fee_bps, slippage_bps, impact, impact_notional;
} raw_costs;

typedef struct raw_funding {
    double interval_hours, rate;
    char mode[MCR_NAME_MAX];
    double beta, noise, cap;
} raw_funding;

typedef struct raw_margin {
    char mode[MCR_NAME_MAX];
    double initial, maintenance, liquidation_fee;
} raw_margin;

typedef struct raw_run {
    int64_t paths;
    uint64_t seed;
    int64_t threads;
    char output[MCR_PATH_MAX];
    bool keep_pnl;
    int64_t sample_paths;
    double levels[MCR_MAX_LEVELS];
    uint32_t n_levels;
} raw_run;

typedef struct raw_horizon {
    double days;
    int64_t steps;
} raw_horizon;

typedef struct raw_market {
    double rate;
    raw_asset assets[MCR_MAX_ASSETS];
    uint32_t n_assets;
} raw_market;

typedef struct raw_config {
    raw_run run;
    raw_horizon horizon;
    raw_market market;
    raw_position portfolio[MCR_MAX_POSITIONS];
    uint32_t n_portfolio;
    raw_strategy strategies[MCR_MAX_STRATEGIES];
    uint32_t n_strategies;
    raw_costs costs;
    raw_funding funding;
    raw_margin margin;
    raw_scenario scenarios[MCR_MAX_SCENARIOS];
    uint32_t n_scenarios;
} raw_config;

/* ---- schema 1 for libcyaml; also the source of every "allowed: ..." key list ---- */

#define OPT CYAML_FLAG_OPTIONAL

static const cyaml_schema_value_t level_schema = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};

static const cyaml_schema_field_t run_fields[] = {
    CYAML_FIELD_INT("paths", OPT, raw_run, paths),
    CYAML_FIELD_UINT("seed", OPT, raw_run, seed),
    CYAML_FIELD_INT("threads", OPT, raw_run, threads),
    CYAML_FIELD_STRING("output", OPT, raw_run, output, 0),
    CYAML_FIELD_BOOL("keep_pnl", OPT, raw_run, keep_pnl),
    CYAML_FIELD_INT("sample_paths", OPT, raw_run, sample_paths),
    CYAML_FIELD_SEQUENCE_COUNT("levels", OPT, raw_run, levels, n_levels, &level_schema, 0,
                               MCR_MAX_LEVELS),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t horizon_fields[] = {
    CYAML_FIELD_FLOAT("days", OPT, raw_horizon, days),
    CYAML_FIELD_INT("steps", OPT, raw_horizon, steps),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t model_fields[] = {
    CYAML_FIELD_STRING("type", OPT, raw_model, type, 0),
    CYAML_FIELD_FLOAT("mu", OPT, raw_model, mu),
    CYAML_FIELD_FLOAT("sigma", OPT, raw_model, sigma),
    CYAML_FIELD_FLOAT("jump_intensity", OPT, raw_model, jump_intensity),
    CYAML_FIELD_FLOAT("jump_mean", OPT, raw_model, jump_mean),
    CYAML_FIELD_FLOAT("jump_std", OPT, raw_model, jump_std),
    CYAML_FIELD_FLOAT("p_up", OPT, raw_model, p_up),
    CYAML_FIELD_FLOAT("eta_up", OPT, raw_model, eta_up),
    CYAML_FIELD_FLOAT("eta_down", OPT, raw_model, eta_down),
    CYAML_FIELD_FLOAT("v0", OPT, raw_model, v0),
    CYAML_FIELD_FLOAT("kappa", OPT, raw_model, kappa),
    CYAML_FIELD_FLOAT("theta", OPT, raw_model, theta),
    CYAML_FIELD_FLOAT("xi", OPT, raw_model, xi),
    CYAML_FIELD_FLOAT("rho", OPT, raw_model, rho),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t vol_point_fields[] = {
    CYAML_FIELD_FLOAT("days", OPT, raw_vol_point, days),
    CYAML_FIELD_FLOAT("atm", OPT, raw_vol_point, atm),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t vol_point_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_vol_point, vol_point_fields)};

static const cyaml_schema_field_t vol_fields[] = {
    CYAML_FIELD_FLOAT("atm", OPT, raw_vol, atm),
    CYAML_FIELD_FLOAT("skew", OPT, raw_vol, skew),
    CYAML_FIELD_FLOAT("smile", OPT, raw_vol, smile),
    CYAML_FIELD_SEQUENCE_COUNT("term", OPT, raw_vol, term, n_term, &vol_point_schema, 0,
                               MCR_VOL_TERM_MAX),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t asset_fields[] = {
    CYAML_FIELD_STRING("name", OPT, raw_asset, name, 0),
    CYAML_FIELD_FLOAT("spot", OPT, raw_asset, spot),
    CYAML_FIELD_MAPPING("model", OPT, raw_asset, model, model_fields),
    CYAML_FIELD_MAPPING("implied_vol", OPT, raw_asset, implied_vol, vol_fields),
    CYAML_FIELD_STRING("path_file", OPT, raw_asset, path_file, 0),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t asset_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_asset, asset_fields)};

/* Correlation matrices are read from the tree in pass 4 (see the banner). */
static const cyaml_schema_field_t market_fields[] = {
    CYAML_FIELD_FLOAT("rate", OPT, raw_market, rate),
    CYAML_FIELD_SEQUENCE_COUNT("assets", OPT, raw_market, assets, n_assets, &asset_schema, 0,
                               MCR_MAX_SIM_ASSETS),
    CYAML_FIELD_IGNORE("correlation", OPT),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t position_fields[] = {
    CYAML_FIELD_STRING("asset", OPT, raw_position, asset, 0),
    CYAML_FIELD_STRING("instrument", OPT, raw_position, instrument, 0),
    CYAML_FIELD_FLOAT("quantity", OPT, raw_position, quantity),
    CYAML_FIELD_FLOAT("strike", OPT, raw_position, strike),
    CYAML_FIELD_FLOAT("expiry_days", OPT, raw_position, expiry_days),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t position_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_position, position_fields)};

static const cyaml_schema_field_t rebalance_fields[] = {
    CYAML_FIELD_INT("every_steps", OPT, raw_rebalance, every_steps),
    CYAML_FIELD_FLOAT("band", OPT, raw_rebalance, band),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t strategy_fields[] = {
    CYAML_FIELD_STRING("name", OPT, raw_strategy, name, 0),
    CYAML_FIELD_STRING("type", OPT, raw_strategy, type, 0),
    CYAML_FIELD_STRING("asset", OPT, raw_strategy, asset, 0),
    CYAML_FIELD_FLOAT("strike", OPT, raw_strategy, strike),
    CYAML_FIELD_FLOAT("put_strike", OPT, raw_strategy, put_strike),
    CYAML_FIELD_FLOAT("lower_put_strike", OPT, raw_strategy, lower_put_strike),
    CYAML_FIELD_IGNORE("call_strike", OPT),
    CYAML_FIELD_FLOAT("expiry_days", OPT, raw_strategy, expiry_days),
    CYAML_FIELD_FLOAT("quantity", OPT, raw_strategy, quantity),
    CYAML_FIELD_STRING("contract", OPT, raw_strategy, contract, 0),
    CYAML_FIELD_STRING("instrument", OPT, raw_strategy, instrument, 0),
    CYAML_FIELD_FLOAT("hedge_ratio", OPT, raw_strategy, hedge_ratio),
    CYAML_FIELD_MAPPING("rebalance", OPT, raw_strategy, rebalance, rebalance_fields),
    CYAML_FIELD_FLOAT("collateral_yield", OPT, raw_strategy, collateral_yield),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t strategy_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_strategy, strategy_fields)};

static const cyaml_schema_field_t costs_fields[] = {
    CYAML_FIELD_FLOAT("fee_bps", OPT, raw_costs, fee_bps),
    CYAML_FIELD_FLOAT("slippage_bps", OPT, raw_costs, slippage_bps),
    CYAML_FIELD_FLOAT("impact", OPT, raw_costs, impact),
    CYAML_FIELD_FLOAT("impact_notional", OPT, raw_costs, impact_notional),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t funding_fields[] = {
    CYAML_FIELD_FLOAT("interval_hours", OPT, raw_funding, interval_hours),
    CYAML_FIELD_FLOAT("rate", OPT, raw_funding, rate),
    CYAML_FIELD_STRING("mode", OPT, raw_funding, mode, 0),
    CYAML_FIELD_FLOAT("beta", OPT, raw_funding, beta),
    CYAML_FIELD_FLOAT("noise", OPT, raw_funding, noise),
    CYAML_FIELD_FLOAT("cap", OPT, raw_funding, cap),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t margin_fields[] = {
    CYAML_FIELD_STRING("mode", OPT, raw_margin, mode, 0),
    CYAML_FIELD_FLOAT("initial", OPT, raw_margin, initial),
    CYAML_FIELD_FLOAT("maintenance", OPT, raw_margin, maintenance),
    CYAML_FIELD_FLOAT("liquidation_fee", OPT, raw_margin, liquidation_fee),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t shock_fields[] = {
    CYAML_FIELD_FLOAT("day", OPT, raw_shock, day),
    CYAML_FIELD_FLOAT("return", OPT, raw_shock, ret),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t shock_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_shock, shock_fields)};

static const cyaml_schema_field_t funding_piece_fields[] = {
    CYAML_FIELD_FLOAT("from_day", OPT, raw_funding_piece, from_day),
    CYAML_FIELD_FLOAT("rate", OPT, raw_funding_piece, rate),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t funding_piece_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_funding_piece, funding_piece_fields)};

static const cyaml_schema_field_t no_rebalance_fields[] = {
    CYAML_FIELD_FLOAT("from_day", OPT, raw_window, from_day),
    CYAML_FIELD_FLOAT("to_day", OPT, raw_window, to_day),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t depeg_fields[] = {
    CYAML_FIELD_FLOAT("from_day", OPT, raw_window, from_day),
    CYAML_FIELD_FLOAT("to_day", OPT, raw_window, to_day),
    CYAML_FIELD_FLOAT("price", OPT, raw_window, price),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t scenario_fields[] = {
    CYAML_FIELD_STRING("name", OPT, raw_scenario, name, 0),
    CYAML_FIELD_STRING("use", OPT, raw_scenario, use, 0),
    CYAML_FIELD_IGNORE("correlation", OPT),
    CYAML_FIELD_MAPPING("shock", OPT, raw_scenario, shock, shock_fields),
    CYAML_FIELD_SEQUENCE_COUNT("shocks", OPT, raw_scenario, shocks, n_shocks, &shock_schema, 0,
                               MCR_MAX_SHOCKS),
    CYAML_FIELD_FLOAT("vol_multiplier", OPT, raw_scenario, vol_multiplier),
    CYAML_FIELD_FLOAT("jump_multiplier", OPT, raw_scenario, jump_multiplier),
    CYAML_FIELD_FLOAT("implied_vol_shift", OPT, raw_scenario, implied_vol_shift),
    CYAML_FIELD_FLOAT("skew_shift", OPT, raw_scenario, skew_shift),
    CYAML_FIELD_FLOAT("funding_shift", OPT, raw_scenario, funding_shift),
    CYAML_FIELD_SEQUENCE_COUNT("funding_path", OPT, raw_scenario, funding_path, n_funding_path,
                               &funding_piece_schema, 0, MCR_MAX_FUNDING_PIECES),
    CYAML_FIELD_FLOAT("slippage_multiplier", OPT, raw_scenario, slippage_multiplier),
    CYAML_FIELD_FLOAT("impact_multiplier", OPT, raw_scenario, impact_multiplier),
    CYAML_FIELD_MAPPING("no_rebalance", OPT, raw_scenario, no_rebalance, no_rebalance_fields),
    CYAML_FIELD_MAPPING("depeg", OPT, raw_scenario, depeg, depeg_fields),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t scenario_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_scenario, scenario_fields)};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_MAPPING("run", OPT, raw_config, run, run_fields),
    CYAML_FIELD_MAPPING("horizon", OPT, raw_config, horizon, horizon_fields),
    CYAML_FIELD_MAPPING("market", OPT, raw_config, market, market_fields),
    CYAML_FIELD_SEQUENCE_COUNT("portfolio", OPT, raw_config, portfolio, n_portfolio,
                               &position_schema, 0, MCR_MAX_POSITIONS),
    CYAML_FIELD_SEQUENCE_COUNT("strategies", OPT, raw_config, strategies, n_strategies,
                               &strategy_schema, 0, MCR_MAX_STRATEGIES),
    CYAML_FIELD_MAPPING("costs", OPT, raw_config, costs, costs_fields),
    CYAML_FIELD_MAPPING("funding", OPT, raw_config, funding, funding_fields),
    CYAML_FIELD_MAPPING("margin", OPT, raw_config, margin, margin_fields),
    CYAML_FIELD_SEQUENCE_COUNT("scenarios", OPT, raw_config, scenarios, n_scenarios,
                               &scenario_schema, 0, MCR_MAX_SCENARIOS),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_config, top_fields)};

#undef OPT

/* ---- allowed values of the enumerated keys ---- */

typedef struct name_value {
    const char *name;
    int value;
} name_value;

/* What a book may hold; perpetuals are hedges (see perp_names). */
static const name_value instruments[] = {
    {"spot", MCR_INSTRUMENT_SPOT}, {"call", MCR_INSTRUMENT_CALL}, {"put", MCR_INSTRUMENT_PUT}};
/* Spellings of a perpetual, recognised in the portfolio only to say where perpetuals belong. */
static const char *const perp_names[] = {"linear_perp", "inverse_perp", "perp", "perpetual"};
static const name_value strategy_types[] = {
    {"none", MCR_STRATEGY_NONE},
    {"protective_put", MCR_STRATEGY_PROTECTIVE_PUT},
    {"collar", MCR_STRATEGY_COLLAR},
    {"covered_call", MCR_STRATEGY_COVERED_CALL},
    {"put_spread_collar", MCR_STRATEGY_PUT_SPREAD_COLLAR},
    {"perp_hedge", MCR_STRATEGY_PERP_HEDGE},
    {"delta_hedge", MCR_STRATEGY_DELTA_HEDGE},
};
/* The keys each strategy type takes, in the order the README lists them. */
static const char *const strategy_keys[MCR_STRATEGY_COUNT] = {
    [MCR_STRATEGY_NONE] = "name, type, asset",
    [MCR_STRATEGY_PROTECTIVE_PUT] = "name, type, asset, strike, expiry_days, quantity",
    [MCR_STRATEGY_COLLAR] =
        "name, type, asset, put_strike, call_strike, expiry_days, quantity",
    [MCR_STRATEGY_COVERED_CALL] = "name, type, asset, strike, expiry_days, quantity",
    [MCR_STRATEGY_PUT_SPREAD_COLLAR] =
        "name, type, asset, put_strike, lower_put_strike, call_strike, expiry_days, quantity",
    [MCR_STRATEGY_PERP_HEDGE] = "name, type, asset, contract, hedge_ratio, collateral_yield",
    [MCR_STRATEGY_DELTA_HEDGE] =
        "name, type, asset, instrument, hedge_ratio, rebalance, collateral_yield",
};
static const name_value perp_contracts[] = {
    {"linear", MCR_INSTRUMENT_LINEAR_PERP}, {"inverse", MCR_INSTRUMENT_INVERSE_PERP}};
static const name_value hedge_instruments[] = {{"spot", MCR_INSTRUMENT_SPOT},
                                               {"linear_perp", MCR_INSTRUMENT_LINEAR_PERP},
                                               {"inverse_perp", MCR_INSTRUMENT_INVERSE_PERP}};
static const name_value funding_modes[] = {{"constant", MCR_FUNDING_CONSTANT},
                                           {"stochastic", MCR_FUNDING_STOCHASTIC}};
static const name_value margin_modes[] = {
    {"isolated", MCR_MARGIN_ISOLATED}, {"cross", MCR_MARGIN_CROSS}, {"none", MCR_MARGIN_NONE}};

#define MCR_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- model parameters: which keys each model takes, what they are, where they go ---- */

/* What a required key is, with its unit and range (the ranges are those the models check). */
static const char what_sigma[] = "volatility per sqrt(year), a number > 0";
static const char what_intensity[] = "expected number of jumps per year, a number in [0, 1000]";
static const char what_jump_mean[] =
    "mean of the log jump size ln(S after / S before), a number in [-5, 5]";
static const char what_jump_std[] =
    "standard deviation of the log jump size, a number in [0, 5]";
static const char what_p_up[] = "probability that a jump is upwards, a number in [0, 1]";
static const char what_eta_up[] =
    "rate of the upward log jump size (exponential, mean 1/eta_up), a number > 1";
static const char what_eta_down[] =
    "rate of the downward log jump size (exponential, mean 1/eta_down), a number > 0";
static const char what_v0[] =
    "initial variance per year (volatility squared: 0.64 for 80%), a number >= 0";
static const char what_kappa[] = "mean-reversion speed of the variance per year, a number > 0";
static const char what_theta[] =
    "long-run variance per year (volatility squared), a number > 0";
static const char what_xi[] = "volatility of the variance per sqrt(year), a number > 0";
static const char what_rho[] = "correlation of price and variance shocks, a number in [-1, 1]";

/* One key of one model: its offset in raw_model, its offset in mcr_model, and what it is;
 * what == NULL marks the one optional key, mu, which defaults to 0. */
typedef struct model_param {
    const char *key;
    size_t raw, dest;
    const char *what;
} model_param;

#define PARAM(key, dest, what) {#key, offsetof(raw_model, key), offsetof(mcr_model, dest), what}
#define JUMPS(m)                                                                                   \
    PARAM(jump_intensity, m.jump_intensity, what_intensity),                                       \
        PARAM(jump_mean, m.jump_mean, what_jump_mean),                                             \
        PARAM(jump_std, m.jump_std, what_jump_std)
#define HESTON(h)                                                                                  \
    PARAM(mu, h.mu, NULL), PARAM(v0, h.v0, what_v0), PARAM(kappa, h.kappa, what_kappa),            \
        PARAM(theta, h.theta, what_theta), PARAM(xi, h.xi, what_xi), PARAM(rho, h.rho, what_rho)

static const model_param gbm_params[] = {
    PARAM(mu, gbm.mu, NULL), PARAM(sigma, gbm.sigma, what_sigma), {0}};
static const model_param merton_params[] = {
    PARAM(mu, merton.mu, NULL), PARAM(sigma, merton.sigma, what_sigma), JUMPS(merton), {0}};
static const model_param kou_params[] = {
    PARAM(mu, kou.mu, NULL),
    PARAM(sigma, kou.sigma, what_sigma),
    PARAM(jump_intensity, kou.jump_intensity, what_intensity),
    PARAM(p_up, kou.p_up, what_p_up),
    PARAM(eta_up, kou.eta_up, what_eta_up),
    PARAM(eta_down, kou.eta_down, what_eta_down),
    {0}};
static const model_param heston_params[] = {HESTON(heston), {0}};
static const model_param bates_params[] = {HESTON(bates.heston), JUMPS(bates), {0}};

#undef HESTON
#undef JUMPS
#undef PARAM

static const model_param *const model_params[MCR_MODEL_COUNT] = {
    [MCR_MODEL_GBM] = gbm_params,       [MCR_MODEL_MERTON] = merton_params,
    [MCR_MODEL_KOU] = kou_params,       [MCR_MODEL_HESTON] = heston_params,
    [MCR_MODEL_BATES] = bates_params,
};

static const model_param *model_param_find(mcr_model_type type, const char *key, size_t len)
{
    for (const model_param *p = model_params[type]; p->key; p++)
        if (strlen(p->key) == len && memcmp(p->key, key, len) == 0)
            return p;
    return NULL;
}

/* "mu, sigma, jump_intensity, jump_mean, jump_std" */
static const char *model_keys(mcr_model_type type, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const model_param *p = model_params[type]; p->key && used < cap; p++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s",
                                 p == model_params[type] ? "" : ", ", p->key);
    return buf;
}

static int lookup_value(const name_value *table, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].value;
    return -1;
}

static const char *join_names(const name_value *table, int n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", table[i].name);
    return buf;
}

/* ---- error reporting ---- */

typedef struct load_ctx {
    const char *source;
    const mcr_yaml_doc *doc;
    mcr_error *err;
    int fallback_line; /* used when a path is not in the tree (libcyaml's own line), or 0 */
    const char *dir; /* the config file's directory (relative path_file names), or NULL */
} load_ctx;

/* "SOURCE:LINE: PATH: what": LINE is that of PATH's key, or of its deepest existing parent for a
 * missing key; it is left out only when not even the first step of PATH exists. */
static mcr_status fail_at(const load_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static mcr_status fail_at(const load_ctx *c, const char *path, const char *fmt, ...)
{
    char what[sizeof c->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);

    int line = 0;
    if (*path) {
        mcr_yaml_find(c->doc, path, &line);
    } else {
        const yaml_node_t *root = mcr_yaml_root(c->doc);
        line = root ? mcr_yaml_node_line(root) : 0;
    }
    if (line == 0)
        line = c->fallback_line;
    char where[MCR_PATH_MAX + 16];
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d", c->source, line);
    else
        snprintf(where, sizeof where, "%s", c->source);
    mcr_status st = *path ? mcr_fail(c->err, MCR_ERR_INPUT, "%s: %s: %s", where, path, what)
                          : mcr_fail(c->err, MCR_ERR_INPUT, "%s: %s", where, what);
    /* One line, whatever the user's keys and values contained. */
    if (c->err)
        for (char *p = c->err->msg; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = ' ';
    return st;
}

/* The text the user wrote at PATH, shortened for a message: quoted ("many") or bare (-0.2). */
static const char *got(const load_ctx *c, const char *path, bool quoted, char *buf, size_t cap)
{
    const yaml_node_t *n = mcr_yaml_find(c->doc, path, NULL);
    if (!n)
        snprintf(buf, cap, "nothing");
    else if (n->type == YAML_SEQUENCE_NODE)
        snprintf(buf, cap, "a list");
    else if (n->type == YAML_MAPPING_NODE)
        snprintf(buf, cap, "a mapping");
    else {
        const char *text = (const char *)n->data.scalar.value;
        int len = (int)n->data.scalar.length, shown = len > 40 ? 40 : len;
        snprintf(buf, cap, quoted ? "\"%.*s%s\"" : "%.*s%s", shown, text, shown < len ? "..." : "");
    }
    return buf;
}

#define GOT(path) got(c, (path), false, (char[64]){0}, 64)
#define GOT_QUOTED(path) got(c, (path), true, (char[64]){0}, 64)

/* ---- paths and the schema ---- */

static const cyaml_schema_field_t *field_in(const cyaml_schema_field_t *f, const char *key,
                                            size_t len)
{
    for (; f->key; f++)
        if (strlen(f->key) == len && memcmp(f->key, key, len) == 0)
            return f;
    return NULL;
}

static const cyaml_schema_field_t *find_field(const cyaml_schema_value_t *s, const char *key,
                                              size_t len)
{
    return s->type == CYAML_MAPPING ? field_in(s->mapping.fields, key, len) : NULL;
}

/* The schema value describing PATH, or NULL when PATH leaves the schema. */
static const cyaml_schema_value_t *schema_at(const char *path)
{
    const cyaml_schema_value_t *s = &top_schema;
    mcr_yaml_step step;
    while (s && mcr_yaml_path_next(&path, &step)) {
        if (step.is_index) {
            s = s->type == CYAML_SEQUENCE ? s->sequence.entry : NULL;
        } else {
            const cyaml_schema_field_t *f = find_field(s, step.key, step.key_len);
            s = f ? &f->value : NULL;
        }
    }
    return s;
}

static const char *allowed_keys(const cyaml_schema_value_t *s, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    if (s && s->type == CYAML_MAPPING)
        for (const cyaml_schema_field_t *f = s->mapping.fields; f->key && used < cap; f++)
            used += (size_t)snprintf(buf + used, cap - used, "%s%s",
                                     f == s->mapping.fields ? "" : ", ", f->key);
    return buf;
}

static const char *expected(const cyaml_schema_value_t *s)
{
    switch (s ? s->type : CYAML_IGNORE) {
    case CYAML_MAPPING: return "a mapping";
    case CYAML_SEQUENCE: return "a list";
    case CYAML_STRING: return "a string";
    case CYAML_INT: return "an integer";
    case CYAML_UINT: return "a non-negative integer";
    case CYAML_FLOAT: return "a number";
    case CYAML_BOOL: return "true or false";
    default: return "something else";
    }
}

/* Append ".key" or "[index]" to a key path held in buf (of size cap). */
static void path_push(char *buf, size_t cap, const char *key, size_t key_len, long index)
{
    size_t used = strlen(buf);
    if (key)
        snprintf(buf + used, cap - used, "%s%.*s", used ? "." : "", (int)key_len, key);
    else
        snprintf(buf + used, cap - used, "[%ld]", index);
}

/* ---- pass 2: number and bool spellings ---- */

static bool is_integer(const char *s, bool allow_negative)
{
    /* Decimal only: libcyaml reads "010" as octal 8, which nobody means in a config. */
    const char *p = s;
    if (*p == '+' || (allow_negative && *p == '-'))
        p++;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || p[digits] != '\0' || (digits > 1 && *p == '0'))
        return false;
    errno = 0;
    if (allow_negative)
        (void)strtoll(s, NULL, 10);
    else
        (void)strtoull(s, NULL, 10);
    return errno == 0;
}

static bool is_bool(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off"};
    for (int i = 0; i < MCR_COUNT(words); i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

static mcr_status check_scalar(const load_ctx *c, const yaml_node_t *n,
                               const cyaml_schema_value_t *s, const char *path)
{
    const char *text = (const char *)n->data.scalar.value;
    char *end;
    bool ok = true;
    switch (s->type) {
    case CYAML_INT: ok = is_integer(text, true); break;
    case CYAML_UINT: ok = is_integer(text, false); break;
    case CYAML_FLOAT:
        ok = isfinite(strtod(text, &end));
        if (end != text && *end == '\0' && !ok)
            return fail_at(c, path, "must be a finite number (got %s)", GOT(path));
        ok = ok && end != text && *end == '\0';
        break;
    case CYAML_BOOL: ok = is_bool(text); break;
    default: break;
    }
    if (ok)
        return MCR_OK;
    return fail_at(c, path, "expected %s (got %s)", expected(s), GOT_QUOTED(path));
}

/* The keys of the model mapping `n` at PATH, against its type: a key of another model is named as
 * such, an unknown key gets this model's list. An absent or unknown type is left to pass 4. */
static mcr_status check_model_keys(const load_ctx *c, const yaml_node_t *n, char *path, size_t cap)
{
    size_t used = strlen(path);
    path_push(path, cap, "type", 4, 0);
    const yaml_node_t *t = mcr_yaml_find(c->doc, path, NULL);
    path[used] = '\0';
    mcr_model_type type;
    if (!t || t->type != YAML_SCALAR_NODE || !mcr_model_parse((const char *)t->data.scalar.value,
                                                              &type))
        return MCR_OK;
    for (yaml_node_pair_t *pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
         pair++) {
        const yaml_node_t *k = mcr_yaml_node(c->doc, pair->key);
        if (k->type != YAML_SCALAR_NODE)
            continue; /* reported by check_tree */
        const char *key = (const char *)k->data.scalar.value;
        size_t len = k->data.scalar.length;
        if ((len == 4 && memcmp(key, "type", 4) == 0) || model_param_find(type, key, len))
            continue;
        char list[256];
        path_push(path, cap, key, len, 0);
        if (field_in(model_fields, key, len))
            return fail_at(c, path, "not a parameter of model %s; allowed: %s",
                           mcr_model_name(type), model_keys(type, list, sizeof list));
        return fail_at(c, path, "unknown key; allowed: type, %s",
                       model_keys(type, list, sizeof list));
    }
    return MCR_OK;
}

/* Whether KEY (len bytes) is in a ", "-separated list. */
static bool key_listed(const char *list, const char *key, size_t len)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && memcmp(p, key, len) == 0)
            return true;
        p += n;
        p += strspn(p, ", ");
    }
    return false;
}

/* The keys of the strategy mapping `n` at PATH, against its type, as for models: a key of
 * another type is named as such, an unknown key gets this type's list. */
static mcr_status check_strategy_keys(const load_ctx *c, const yaml_node_t *n, char *path,
                                      size_t cap)
{
    size_t used = strlen(path);
    path_push(path, cap, "type", 4, 0);
    const yaml_node_t *t = mcr_yaml_find(c->doc, path, NULL);
    path[used] = '\0';
    int type = t && t->type == YAML_SCALAR_NODE
                   ? lookup_value(strategy_types, MCR_COUNT(strategy_types),
                                  (const char *)t->data.scalar.value)
                   : -1;
    if (type < 0)
        return MCR_OK;
    const char *keys = strategy_keys[type];
    for (yaml_node_pair_t *pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
         pair++) {
        const yaml_node_t *k = mcr_yaml_node(c->doc, pair->key);
        if (k->type != YAML_SCALAR_NODE)
            continue; /* reported by check_tree */
        const char *key = (const char *)k->data.scalar.value;
        size_t len = k->data.scalar.length;
        if (key_listed(keys, key, len))
            continue;
        path_push(path, cap, key, len, 0);
        if (field_in(strategy_fields, key, len))
            return fail_at(c, path, "not a key of strategy type %s; allowed: %s",
                           (const char *)t->data.scalar.value, keys);
        return fail_at(c, path, "unknown key; allowed: %s", keys);
    }
    return MCR_OK;
}

/* Walk the tree where it follows the schema; what does not (unknown keys, wrong kinds) is left to
 * libcyaml, which reports it in pass 3. */
static mcr_status check_tree(const load_ctx *c, const yaml_node_t *n,
                             const cyaml_schema_value_t *s, char *path, size_t cap)
{
    size_t used = strlen(path);
    mcr_status st = MCR_OK;
    if (n->type == YAML_SCALAR_NODE)
        return check_scalar(c, n, s, path);
    if (n->type == YAML_SEQUENCE_NODE && s->type == CYAML_SEQUENCE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             st == MCR_OK && it < n->data.sequence.items.top; it++) {
            path_push(path, cap, NULL, 0, it - n->data.sequence.items.start);
            st = check_tree(c, mcr_yaml_node(c->doc, *it), s->sequence.entry, path, cap);
            path[used] = '\0';
        }
    } else if (n->type == YAML_MAPPING_NODE && s->type == CYAML_MAPPING) {
        if (s->mapping.fields == model_fields && (st = check_model_keys(c, n, path, cap)))
            return st;
        if (s->mapping.fields == strategy_fields && (st = check_strategy_keys(c, n, path, cap)))
            return st;
        for (yaml_node_pair_t *pair = n->data.mapping.pairs.start;
             st == MCR_OK && pair < n->data.mapping.pairs.top; pair++) {
            const yaml_node_t *k = mcr_yaml_node(c->doc, pair->key);
            if (k->type != YAML_SCALAR_NODE) {
                return mcr_fail(c->err, MCR_ERR_INPUT, "%s:%d: %s%skeys must be plain names",
                                c->source, mcr_yaml_node_line(k), path, used ? ": " : "");
            }
            const cyaml_schema_field_t *f =
                find_field(s, (const char *)k->data.scalar.value, k->data.scalar.length);
            if (!f)
                continue;
            path_push(path, cap, f->key, strlen(f->key), 0);
            st = check_tree(c, mcr_yaml_node(c->doc, pair->value), &f->value, path, cap);
            path[used] = '\0';
        }
    }
    return st;
}

/* ---- pass 3: libcyaml, with its log turned into a key path ---- */

#define MCR_TRACE_MAX 16

typedef struct cyaml_capture {
    char msg[256]; /* first error, without the "Load: " prefix */
    char trace[MCR_TRACE_MAX][256]; /* its backtrace, innermost first */
    int n_trace;
    bool in_trace;
} cyaml_capture;

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    cyaml_capture *cap = ctx;
    if (level < CYAML_LOG_ERROR)
        return;
    char line[256];
    vsnprintf(line, sizeof line, fmt, args);
    size_t len = strlen(line);
    if (len && line[len - 1] == '\n')
        line[len - 1] = '\0';
    const char *body = strncmp(line, "Load: ", 6) == 0 ? line + 6 : line;
    if (strcmp(body, "Backtrace:") == 0) {
        cap->in_trace = cap->n_trace == 0;
    } else if (cap->in_trace && strncmp(line, "  in ", 5) == 0) {
        if (cap->n_trace < MCR_TRACE_MAX)
            snprintf(cap->trace[cap->n_trace++], sizeof cap->trace[0], "%s", line);
    } else if (!cap->msg[0]) {
        snprintf(cap->msg, sizeof cap->msg, "%s", body);
    }
}

/* Backtrace lines are "  in mapping field 'run' (...)", "  in sequence entry '2' (...)" (counted
 * from 1) or "  in mapping (...)" (a mapping before its first known key, adding nothing). */
static void trace_path(const cyaml_capture *cap, char *path, size_t cap_len)
{
    path[0] = '\0';
    for (int i = cap->n_trace - 1; i >= 0; i--) {
        char key[128];
        unsigned entry;
        if (sscanf(cap->trace[i], "  in mapping field '%127[^']'", key) == 1)
            path_push(path, cap_len, key, strlen(key), 0);
        else if (sscanf(cap->trace[i], "  in sequence entry '%u'", &entry) == 1 && entry > 0)
            path_push(path, cap_len, NULL, 0, (long)entry - 1);
    }
}

static mcr_status cyaml_failure(const load_ctx *ctx, const cyaml_capture *cap, cyaml_err_t e)
{
    char path[MCR_KEYPATH_MAX], list[256];
    const char *m = cap->msg;
    unsigned max;
    trace_path(cap, path, sizeof path);
    /* libcyaml's innermost line, for a key the tree lookup cannot find (e.g. a multi-line key) */
    load_ctx fallback = *ctx;
    const char *at = cap->n_trace ? strstr(cap->trace[0], "(line: ") : NULL;
    fallback.fallback_line = at ? atoi(at + 7) : 0;
    const load_ctx *c = &fallback;
    if (e == CYAML_ERR_OOM)
        return mcr_fail(c->err, MCR_ERR_NOMEM, "%s: out of memory while loading the config",
                        c->source);
    if (strncmp(m, "Unexpected key: ", 16) == 0) {
        const cyaml_schema_value_t *s = schema_at(path);
        path_push(path, sizeof path, m + 16, strlen(m + 16), 0);
        return fail_at(c, path, "unknown key; allowed: %s", allowed_keys(s, list, sizeof list));
    }
    if (strncmp(m, "Mapping field already seen: ", 28) == 0)
        return fail_at(c, path, "repeated key; each key may appear once per mapping");
    if (strncmp(m, "Expecting ", 10) == 0) {
        const cyaml_schema_value_t *s = schema_at(path);
        if (s && s->type == CYAML_MAPPING)
            return fail_at(c, path, "expected a mapping (got %s); allowed keys: %s",
                           GOT_QUOTED(path), allowed_keys(s, list, sizeof list));
        return fail_at(c, path, "expected %s (got %s)", expected(s), GOT_QUOTED(path));
    }
    if (sscanf(m, "Excessive entries (%u max)", &max) == 1) {
        char *last = strrchr(path, '[');
        if (last)
            *last = '\0';
        const yaml_node_t *n = mcr_yaml_find(c->doc, path, NULL);
        long count = n && n->type == YAML_SEQUENCE_NODE
                         ? n->data.sequence.items.top - n->data.sequence.items.start
                         : 0;
        if (strcmp(path, "market.assets") == 0)
            return fail_at(c, path, "too many assets (got %ld); allowed: at most %u simulated "
                           "together", count, max);
        return fail_at(c, path, "too many entries (got %ld); allowed: at most %u", count, max);
    }
    if (sscanf(m, "STRING length > %u", &max) == 1) {
        const yaml_node_t *n = mcr_yaml_find(c->doc, path, NULL);
        size_t len = n && n->type == YAML_SCALAR_NODE ? n->data.scalar.length : 0;
        return fail_at(c, path, "too long (%zu characters); allowed: at most %u", len, max);
    }
    return fail_at(c, path, "%s", m[0] ? m : cyaml_strerror(e));
}

/* ---- pass 4: defaults, ranges, names, references ---- */

/* Re-reports a models/ message "KEY.PATH: what" at the line of KEY.PATH (of `fallback` when the
 * message names no key). */
static mcr_status fail_keyed(const load_ctx *c, const char *fallback, const mcr_error *merr)
{
    char path[MCR_KEYPATH_MAX];
    const char *sep = strstr(merr->msg, ": ");
    if (!sep || (size_t)(sep - merr->msg) >= sizeof path)
        return fail_at(c, fallback, "%s", merr->msg);
    snprintf(path, sizeof path, "%.*s", (int)(sep - merr->msg), merr->msg);
    return fail_at(c, path, "%s", sep + 2);
}

static bool has(const load_ctx *c, const char *path)
{
    return mcr_yaml_find(c->doc, path, NULL) != NULL;
}

static mcr_status require(const load_ctx *c, const char *path, const char *hint)
{
    return has(c, path) ? MCR_OK : fail_at(c, path, "required key missing%s", hint);
}

/* Names become HDF5 group names: a safe character set, and not "." or "..". */
static mcr_status check_name(const load_ctx *c, const char *path, const char *name)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
    if (name[0] == '\0')
        return fail_at(c, path, "must not be empty; allowed: 1-%d characters from [A-Za-z0-9_.-]",
                       MCR_NAME_MAX - 1);
    if (name[strspn(name, set)] != '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return fail_at(c, path,
                       "invalid name %s; allowed: characters [A-Za-z0-9_.-], not \".\" or \"..\"",
                       GOT_QUOTED(path));
    return MCR_OK;
}

/* `name` must differ from the n names already accepted, found `stride` bytes apart from `first`
 * and known to the user as "prefix[j].name". */
static mcr_status check_unique(const load_ctx *c, const char *path, const char *name,
                               const char *prefix, const char *first, size_t stride, int n)
{
    for (int j = 0; j < n; j++) {
        const char *other = first + (size_t)j * stride;
        if (strcmp(other, name) == 0)
            return fail_at(c, path,
                           "duplicate name \"%s\" (also %s[%d].name); names must be unique", name,
                           prefix, j);
    }
    return MCR_OK;
}

static mcr_status check_enum(const load_ctx *c, const char *path, const char *what,
                             const name_value *table, int n, const char *name, int *value)
{
    char list[256];
    *value = lookup_value(table, n, name);
    if (*value < 0)
        return fail_at(c, path, "unknown %s %s; allowed: %s", what, GOT_QUOTED(path),
                       join_names(table, n, list, sizeof list));
    return MCR_OK;
}

static mcr_status check_count(const load_ctx *c, const char *path, uint32_t n, const char *what)
{
    if (n == 0)
        return fail_at(c, path, "must list at least one %s (got an empty list)", what);
    return MCR_OK;
}

static mcr_status fill_run(const load_ctx *c, raw_run *r, mcr_config *cfg)
{
    if (!has(c, "run.paths"))
        r->paths = 100000;
    if (!has(c, "run.seed"))
        r->seed = 42;
    if (!has(c, "run.output"))
        snprintf(r->output, sizeof r->output, "out.h5");
    if (!has(c, "run.keep_pnl"))
        r->keep_pnl = true;
    if (!has(c, "run.levels")) {
        r->levels[0] = 0.95;
        r->levels[1] = 0.99;
        r->n_levels = 2;
    }
    /* threads and sample_paths default to 0, which libcyaml leaves in place. */
    if (r->paths < 1 || r->paths > MCR_PATHS_MAX)
        return fail_at(c, "run.paths", "must be an integer in [1, 1e10] (got %s)",
                       GOT("run.paths"));
    if (r->threads < 0 || r->threads > MCR_THREADS_MAX)
        return fail_at(c, "run.threads", "must be an integer in [0, %d], 0 = all cores (got %s)",
                       MCR_THREADS_MAX, GOT("run.threads"));
    if (r->output[0] == '\0')
        return fail_at(c, "run.output", "must not be empty; allowed: a file name");
    if (r->sample_paths < 0 || r->sample_paths > MCR_SAMPLE_PATHS_MAX)
        return fail_at(c, "run.sample_paths", "must be an integer in [0, %d] (got %s)",
                       MCR_SAMPLE_PATHS_MAX, GOT("run.sample_paths"));
    mcr_status st = check_count(c, "run.levels", r->n_levels, "confidence level");
    for (uint32_t i = 0; st == MCR_OK && i < r->n_levels; i++) {
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "run.levels[%u]", i);
        double v = r->levels[i];
        if (!(v > 0.0 && v < 1.0))
            st = fail_at(c, path, "must be a number in (0, 1), e.g. 0.99 (got %s)", GOT(path));
        else if (i > 0 && v <= r->levels[i - 1]) {
            char prev[MCR_KEYPATH_MAX];
            snprintf(prev, sizeof prev, "run.levels[%u]", i - 1);
            st = fail_at(c, path,
                         "levels must be strictly increasing; allowed: a number in (%s, 1) "
                         "(got %s)", has(c, prev) ? GOT(prev) : "0", GOT(path));
        }
    }
    if (st != MCR_OK)
        return st;
    cfg->paths = (uint64_t)r->paths;
    cfg->seed = r->seed;
    cfg->threads = (int)r->threads;
    snprintf(cfg->output, sizeof cfg->output, "%s", r->output);
    cfg->keep_pnl = r->keep_pnl;
    cfg->sample_paths = (int)r->sample_paths;
    cfg->n_levels = (int)r->n_levels;
    memcpy(cfg->levels, r->levels, r->n_levels * sizeof r->levels[0]);
    return MCR_OK;
}

static mcr_status fill_horizon(const load_ctx *c, raw_horizon *h, mcr_config *cfg)
{
    if (!has(c, "horizon.days"))
        h->days = 30.0;
    if (!has(c, "horizon.steps"))
        h->steps = 720;
    if (!(h->days > 0.0 && h->days <= MCR_DAYS_MAX))
        return fail_at(c, "horizon.days", "must be a number in (0, %g] (got %s)", MCR_DAYS_MAX,
                       GOT("horizon.days"));
    if (h->steps < 1 || h->steps > MCR_STEPS_MAX)
        return fail_at(c, "horizon.steps", "must be an integer in [1, 1000000] (got %s)",
                       GOT("horizon.steps"));
    cfg->horizon_days = h->days;
    cfg->steps = (int)h->steps;
    return MCR_OK;
}

/* Heston's expected variance averaged over [0, t]: theta + (v0 - theta)(1 - e^{-kappa t})/(kappa t)
 * (E[v_s] = theta + (v0 - theta) e^{-kappa s}, integrated). */
static double heston_mean_variance(const mcr_heston *h, double t)
{
    double kt = h->kappa * t;
    double decay = kt > 1e-12 ? -expm1(-kt) / kt : 1.0;
    return h->theta + (h->v0 - h->theta) * decay;
}

/* The variance of ln S per year that the model produces over t years: the diffusion's, plus
 * lambda E[Y^2] for jumps of log size Y (compound Poisson). It is the flat implied vol a user
 * who knows the model would quote for an option of that expiry, near the money. */
static double model_total_variance(const mcr_model *m, double t)
{
    switch (m->type) {
    case MCR_MODEL_GBM: return m->gbm.sigma * m->gbm.sigma;
    case MCR_MODEL_MERTON: {
        const mcr_merton *j = &m->merton;
        return j->sigma * j->sigma +
               j->jump_intensity * (j->jump_mean * j->jump_mean + j->jump_std * j->jump_std);
    }
    case MCR_MODEL_KOU: {
        const mcr_kou *k = &m->kou;
        return k->sigma * k->sigma +
               k->jump_intensity * (2 * k->p_up / (k->eta_up * k->eta_up) +
                                    2 * (1 - k->p_up) / (k->eta_down * k->eta_down));
    }
    case MCR_MODEL_HESTON: return heston_mean_variance(&m->heston, t);
    case MCR_MODEL_BATES: {
        const mcr_bates *b = &m->bates;
        return heston_mean_variance(&b->heston, t) +
               b->jump_intensity * (b->jump_mean * b->jump_mean + b->jump_std * b->jump_std);
    }
    default: return NAN;
    }
}

#define MCR_VOL_MAX 10.0 /* the surface's own limit on atm (vol_surface.h) */

/* market.assets[i].implied_vol -> out->implied_vol. With neither atm nor term points the ATM
 * vol is flat at the model's total volatility over the horizon (model_total_variance). */
static mcr_status fill_implied_vol(const load_ctx *c, const raw_vol *v, const char *base,
                                   double horizon_years, mcr_asset *out)
{
    char path[MCR_KEYPATH_MAX], at[MCR_KEYPATH_MAX + 32];
    mcr_status st;
    mcr_vol_surface *s = &out->implied_vol;
    memset(s, 0, sizeof *s);
    snprintf(path, sizeof path, "%s.implied_vol", base);
    s->skew = v->skew;
    s->smile = v->smile;
    s->atm = v->atm;
    s->n_term = (int)v->n_term;
    for (uint32_t k = 0; k < v->n_term; k++) {
        static const char *const keys[2] = {"days", "atm"};
        static const char *const what[2] = {
            "; the expiry in calendar days, a number > 0",
            "; the ATM implied vol at that expiry, a number in (0, 10]"};
        for (int j = 0; j < 2; j++) {
            snprintf(at, sizeof at, "%s.term[%u].%s", path, k, keys[j]);
            if ((st = require(c, at, what[j])))
                return st;
        }
        s->term[k] = (mcr_vol_point){.days = v->term[k].days, .atm = v->term[k].atm};
    }
    snprintf(at, sizeof at, "%s.atm", path);
    if (!has(c, at) && s->n_term == 0) {
        double vol = sqrt(model_total_variance(&out->model, horizon_years));
        if (!(vol <= MCR_VOL_MAX))
            return fail_at(c, path, "required here: the model's total volatility over the "
                           "horizon (%g) is above the surface's limit of %g; give "
                           "implied_vol: {atm: ...}", vol, MCR_VOL_MAX);
        s->atm = vol;
    }
    mcr_error merr = {0};
    if (mcr_vol_surface_check(s, path, &merr) != MCR_OK)
        return fail_keyed(c, path, &merr);
    return MCR_OK;
}

/* market.assets[i].path_file: only checked to be readable here; the engine loads it
 * (path_file.h). A relative name is relative to the config file's directory. */
static mcr_status fill_path_file(const load_ctx *c, const char *name, const char *base,
                                 mcr_asset *out)
{
    char path[MCR_KEYPATH_MAX];
    snprintf(path, sizeof path, "%s.path_file", base);
    if (!has(c, path))
        return MCR_OK;
    if (name[0] == '\0')
        return fail_at(c, path, "must not be empty; allowed: the name of a CSV file of prices, "
                       "one row per step and one column per path");
    int len = c->dir && name[0] != '/'
                  ? snprintf(out->path_file, sizeof out->path_file, "%s/%s", c->dir, name)
                  : snprintf(out->path_file, sizeof out->path_file, "%s", name);
    if (len < 0 || (size_t)len >= sizeof out->path_file)
        return fail_at(c, path, "file name too long; allowed: at most %d characters",
                       MCR_PATH_MAX - 1);
    errno = 0;
    FILE *f = fopen(out->path_file, "r");
    int e = errno;
    if (f) { /* a directory opens but cannot be read */
        (void)getc(f);
        e = ferror(f) ? (errno ? errno : EIO) : 0;
        fclose(f);
    }
    if (!f || e)
        return fail_at(c, path, "cannot read \"%s\": %s; allowed: a readable CSV file of prices "
                       "(a relative name is relative to the config file's directory)",
                       out->path_file, strerror(e ? e : EIO));
    return MCR_OK;
}

static mcr_status fill_asset(const load_ctx *c, const raw_asset *a, int i, mcr_config *cfg)
{
    char base[64], path[MCR_KEYPATH_MAX];
    mcr_status st;
    mcr_asset *out = &cfg->assets[i];
    snprintf(base, sizeof base, "market.assets[%d]", i);

    snprintf(path, sizeof path, "%s.name", base);
    if ((st = require(c, path, "; every asset needs a name")) ||
        (st = check_name(c, path, a->name)) ||
        (st = check_unique(c, path, a->name, "market.assets", cfg->assets[0].name,
                           sizeof cfg->assets[0], i)))
        return st;
    snprintf(out->name, sizeof out->name, "%s", a->name);

    snprintf(path, sizeof path, "%s.spot", base);
    if ((st = require(c, path, "; the price at time 0, a number > 0")))
        return st;
    if (!(a->spot > 0.0))
        return fail_at(c, path, "must be a number > 0 (got %s)", GOT(path));
    out->spot = a->spot;

    snprintf(path, sizeof path, "%s.model", base);
    if ((st = require(c, path, "; e.g. model: {type: gbm, sigma: 0.8}")))
        return st;
    snprintf(path, sizeof path, "%s.model.type", base);
    if (!has(c, path))
        return fail_at(c, path, "required key missing; allowed: %s", mcr_model_names());
    mcr_model_type type;
    if (!mcr_model_parse(a->model.type, &type))
        return fail_at(c, path, "unknown model type %s; allowed: %s", GOT_QUOTED(path),
                       mcr_model_names());
    out->model = (mcr_model){.type = type};
    for (const model_param *p = model_params[type]; p->key; p++) {
        snprintf(path, sizeof path, "%s.model.%s", base, p->key);
        if (p->what && !has(c, path))
            return fail_at(c, path, "required key missing; %s", p->what);
        /* mu, when absent, is the 0 libcyaml left in the raw struct */
        memcpy((char *)&out->model + p->dest, (const char *)&a->model + p->raw, sizeof(double));
    }

    /* The model checks its own ranges; its message starts with the key path. */
    mcr_error merr = {0};
    snprintf(path, sizeof path, "%s.model", base);
    if (mcr_model_check(&out->model, path, &merr) != MCR_OK)
        return fail_keyed(c, path, &merr);
    if ((st = fill_implied_vol(c, &a->implied_vol, base, cfg->horizon_days / 365.0, out)))
        return st;
    return fill_path_file(c, a->path_file, base, out);
}

static long seq_count(const yaml_node_t *n)
{
    return n->data.sequence.items.top - n->data.sequence.items.start;
}

/* Reads the n x n correlation matrix at PATH, a list of n rows of n numbers, and factors it.
 * Absent or [] (the DESIGN example's placeholder) means not given: *given = false, and corr and
 * chol are left alone. */
static mcr_status read_correlation(const load_ctx *c, const char *path, int n,
                                   double corr[][MCR_MAX_ASSETS], double chol[][MCR_MAX_ASSETS],
                                   bool *given)
{
    static const cyaml_schema_value_t number = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};
    const yaml_node_t *m = mcr_yaml_find(c->doc, path, NULL);
    *given = m && !(m->type == YAML_SEQUENCE_NODE && seq_count(m) == 0);
    if (!*given)
        return MCR_OK;
    char got_rows[32];
    if (m->type == YAML_SEQUENCE_NODE)
        snprintf(got_rows, sizeof got_rows, "%ld row%s", seq_count(m),
                 seq_count(m) == 1 ? "" : "s");
    else
        snprintf(got_rows, sizeof got_rows, "%s", GOT_QUOTED(path));
    if (m->type != YAML_SEQUENCE_NODE || seq_count(m) != n)
        return fail_at(c, path, "must be a list of %d lists of %d numbers, one row and one column "
                       "per asset (got %s)", n, n, got_rows);
    for (int i = 0; i < n; i++) {
        char row_path[MCR_KEYPATH_MAX], entry_path[MCR_KEYPATH_MAX + 16];
        snprintf(row_path, sizeof row_path, "%s[%d]", path, i);
        const yaml_node_t *row = mcr_yaml_node(c->doc, m->data.sequence.items.start[i]);
        if (row->type != YAML_SEQUENCE_NODE)
            return fail_at(c, row_path, "must be a list of %d numbers, one per asset (got %s)", n,
                           GOT_QUOTED(row_path));
        if (seq_count(row) != n)
            return fail_at(c, row_path, "must be a list of %d numbers, one per asset (got %ld)", n,
                           seq_count(row));
        for (int j = 0; j < n; j++) {
            snprintf(entry_path, sizeof entry_path, "%s[%d]", row_path, j);
            const yaml_node_t *e = mcr_yaml_node(c->doc, row->data.sequence.items.start[j]);
            mcr_status st = e->type == YAML_SCALAR_NODE
                                ? check_scalar(c, e, &number, entry_path)
                                : fail_at(c, entry_path, "expected a number (got %s)",
                                          GOT_QUOTED(entry_path));
            if (st)
                return st;
            corr[i][j] = strtod((const char *)e->data.scalar.value, NULL);
        }
    }
    mcr_error merr = {0};
    if (mcr_correlation_cholesky(&corr[0][0], n, MCR_MAX_ASSETS, &chol[0][0], path, &merr))
        return fail_keyed(c, path, &merr);
    return MCR_OK;
}

static mcr_status fill_market(const load_ctx *c, raw_market *m, mcr_config *cfg)
{
    mcr_status st;
    if ((st = require(c, "market", "; it must list at least one asset under market.assets")) ||
        (st = require(c, "market.assets", "; list at least one asset with name, spot and model")) ||
        (st = check_count(c, "market.assets", m->n_assets, "asset")))
        return st;
    if (!(fabs(m->rate) <= MCR_RATE_MAX))
        return fail_at(c, "market.rate", "must be a number in [-1, 1] per year (got %s)",
                       GOT("market.rate"));
    cfg->rate = m->rate;
    for (uint32_t i = 0; i < m->n_assets; i++)
        if ((st = fill_asset(c, &m->assets[i], (int)i, cfg)))
            return st;
    cfg->n_assets = (int)m->n_assets;
    bool given;
    mcr_correlation_identity(&cfg->correlation[0][0], cfg->n_assets, MCR_MAX_ASSETS);
    mcr_correlation_identity(&cfg->cholesky[0][0], cfg->n_assets, MCR_MAX_ASSETS);
    return read_correlation(c, "market.correlation", cfg->n_assets, cfg->correlation,
                            cfg->cholesky, &given);
}

/* "BTC, ETH": the asset names, for messages. */
static const char *asset_names(const mcr_config *cfg, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int a = 0; a < cfg->n_assets && used < cap; a++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", a ? ", " : "",
                                 cfg->assets[a].name);
    return buf;
}

#define MCR_ASSET_LIST_MAX (MCR_MAX_ASSETS * (MCR_NAME_MAX + 2))

/* The asset named at PATH (required when `required`, else *index is left alone). */
static mcr_status read_asset(const load_ctx *c, const char *path, const char *name,
                             const mcr_config *cfg, bool required, int *index)
{
    char list[MCR_ASSET_LIST_MAX];
    if (!has(c, path))
        return required ? fail_at(c, path, "required key missing; allowed: %s",
                                  asset_names(cfg, list, sizeof list))
                        : MCR_OK;
    for (int a = 0; a < cfg->n_assets; a++)
        if (strcmp(cfg->assets[a].name, name) == 0) {
            *index = a;
            return MCR_OK;
        }
    return fail_at(c, path, "unknown asset %s; allowed: %s (from market.assets)",
                   GOT_QUOTED(path), asset_names(cfg, list, sizeof list));
}

/* An optional number at PATH: `ok` is its range test, `allowed` says the range and unit. */
static mcr_status check_number(const load_ctx *c, const char *path, bool ok, const char *allowed)
{
    return ok ? MCR_OK : fail_at(c, path, "must be %s (got %s)", allowed, GOT(path));
}

static mcr_status fill_position(const load_ctx *c, const raw_position *p, uint32_t i,
                                mcr_config *cfg)
{
    mcr_position *out = &cfg->portfolio[i];
    char path[MCR_KEYPATH_MAX], list[128];
    mcr_status st;

    snprintf(path, sizeof path, "portfolio[%u].asset", i);
    if ((st = read_asset(c, path, p->asset, cfg, true, &out->asset)))
        return st;

    snprintf(path, sizeof path, "portfolio[%u].instrument", i);
    int instrument = MCR_INSTRUMENT_SPOT;
    if (has(c, path)) {
        for (int k = 0; k < MCR_COUNT(perp_names); k++)
            if (strcmp(p->instrument, perp_names[k]) == 0)
                return fail_at(c, path, "perpetuals are hedges, not part of the book: use a "
                               "strategy of type perp_hedge or delta_hedge; allowed here: %s",
                               join_names(instruments, MCR_COUNT(instruments), list,
                                          sizeof list));
        if ((st = check_enum(c, path, "instrument", instruments, MCR_COUNT(instruments),
                             p->instrument, &instrument)))
            return st;
    }
    out->instrument = (mcr_instrument)instrument;

    snprintf(path, sizeof path, "portfolio[%u].quantity", i);
    if ((st = require(c, path, "; units held, negative for a short")))
        return st;
    out->quantity = p->quantity;

    bool option = out->instrument != MCR_INSTRUMENT_SPOT;
    static const char *const keys[2] = {"strike", "expiry_days"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "portfolio[%u].%s", i, keys[k]);
        if (!option && has(c, path))
            return fail_at(c, path, "only options (instrument call or put) take a %s; allowed "
                           "for spot: asset, instrument, quantity", keys[k]);
    }
    if (!option)
        return MCR_OK;
    snprintf(path, sizeof path, "portfolio[%u].strike", i);
    if ((st = require(c, path, "; an option's absolute strike in the quote currency, a number "
                               "> 0")) ||
        (st = check_number(c, path, p->strike > 0, "a number > 0, the absolute strike in the "
                                                   "quote currency")))
        return st;
    out->strike = p->strike;
    snprintf(path, sizeof path, "portfolio[%u].expiry_days", i);
    if ((st = require(c, path, "; calendar days from t0 to the option's expiry, a number > 0")) ||
        (st = check_number(c, path, p->expiry_days > 0 && p->expiry_days <= MCR_DAYS_MAX,
                           "a number in (0, 36500], calendar days from t0")))
        return st;
    out->expiry_days = p->expiry_days;
    return MCR_OK;
}

static mcr_status fill_portfolio(const load_ctx *c, const raw_config *r, mcr_config *cfg)
{
    mcr_status st;
    if (!has(c, "portfolio")) {
        /* One unit long spot of the first asset: the simplest book worth a risk number. */
        cfg->portfolio[0] = (mcr_position){
            .asset = 0, .instrument = MCR_INSTRUMENT_SPOT, .quantity = 1.0};
        cfg->n_positions = 1;
        return MCR_OK;
    }
    if ((st = check_count(c, "portfolio", r->n_portfolio, "position")))
        return st;
    for (uint32_t i = 0; i < r->n_portfolio; i++)
        if ((st = fill_position(c, &r->portfolio[i], i, cfg)))
            return st;
    cfg->n_positions = (int)r->n_portfolio;
    return MCR_OK;
}

#define MCR_STRIKE_MAX 10.0 /* relative strikes: ten times spot is a typo, not a hedge */

static const char what_relative[] =
    "a number in (0, 10], relative to spot at t0 (0.9: 10% below spot)";

/* A required strike relative to spot at PATH. */
static mcr_status read_strike(const load_ctx *c, const char *path, double v, double *out)
{
    if (!has(c, path))
        return fail_at(c, path, "required key missing; %s", what_relative);
    if (!(v > 0 && v <= MCR_STRIKE_MAX))
        return fail_at(c, path, "must be %s (got %s)", what_relative, GOT(path));
    *out = v;
    return MCR_OK;
}

/* call_strike: a relative strike above put_strike, or `auto` (the default): solved by the engine
 * for a zero net premium. */
static mcr_status read_call_strike(const load_ctx *c, const char *path, double put_strike,
                                   mcr_strategy *out)
{
    const yaml_node_t *n = mcr_yaml_find(c->doc, path, NULL);
    out->call_strike_auto = true;
    if (!n)
        return MCR_OK;
    if (n->type == YAML_SCALAR_NODE) {
        const char *text = (const char *)n->data.scalar.value;
        if (strcmp(text, "auto") == 0)
            return MCR_OK;
        char *end;
        double v = strtod(text, &end);
        if (end != text && *end == '\0' && v > put_strike && v <= MCR_STRIKE_MAX) {
            out->call_strike = v;
            out->call_strike_auto = false;
            return MCR_OK;
        }
    }
    return fail_at(c, path, "must be a number in (put_strike = %g, 10], relative to spot at t0, "
                   "or auto (solved for a zero net premium) (got %s)", put_strike,
                   GOT_QUOTED(path));
}

/* The spot quantity of the book in asset a: what option overlays cover by default. */
static double book_spot(const mcr_config *cfg, int a)
{
    double q = 0;
    for (int i = 0; i < cfg->n_positions; i++)
        if (cfg->portfolio[i].asset == a && cfg->portfolio[i].instrument == MCR_INSTRUMENT_SPOT)
            q += cfg->portfolio[i].quantity;
    return q;
}

/* expiry_days and quantity of an option overlay. */
static mcr_status fill_option_overlay(const load_ctx *c, const raw_strategy *s, const char *base,
                                      const mcr_config *cfg, mcr_strategy *out)
{
    char path[MCR_KEYPATH_MAX];
    mcr_status st;
    snprintf(path, sizeof path, "%s.expiry_days", base);
    if (has(c, path)) {
        if ((st = check_number(c, path, s->expiry_days > 0 && s->expiry_days <= MCR_DAYS_MAX,
                               "a number in (0, 36500], calendar days from t0")))
            return st;
        out->expiry_days = s->expiry_days;
    }
    snprintf(path, sizeof path, "%s.quantity", base);
    if (has(c, path) && (st = check_number(c, path, s->quantity >= 0,
                                           "a number >= 0, units of the asset covered (0: the "
                                           "book's spot quantity)")))
        return st;
    out->quantity = s->quantity;
    double spot_qty = book_spot(cfg, out->asset);
    if (out->quantity == 0 && !(spot_qty > 0))
        return fail_at(c, path, "required here: the portfolio holds no long spot %s for the "
                       "options to cover (spot quantity %g); give the units covered, a number "
                       "> 0", cfg->assets[out->asset].name, spot_qty);
    return MCR_OK;
}

/* hedge_ratio and collateral_yield of a perpetual or delta hedge. */
static mcr_status fill_position_hedge(const load_ctx *c, const raw_strategy *s, const char *base,
                                      mcr_strategy *out)
{
    char path[MCR_KEYPATH_MAX];
    mcr_status st;
    snprintf(path, sizeof path, "%s.hedge_ratio", base);
    if (has(c, path)) {
        if ((st = check_number(c, path, s->hedge_ratio > 0 && s->hedge_ratio <= 10,
                               "a number in (0, 10], the fraction of the book's delta hedged")))
            return st;
        out->hedge_ratio = s->hedge_ratio;
    }
    snprintf(path, sizeof path, "%s.collateral_yield", base);
    if ((st = check_number(c, path, s->collateral_yield >= 0 && s->collateral_yield <= 1,
                           "a number in [0, 1], yield per year on posted margin and cash")))
        return st;
    out->collateral_yield = s->collateral_yield;
    return MCR_OK;
}

static mcr_status fill_rebalance(const load_ctx *c, const raw_rebalance *r, const char *base,
                                 const mcr_config *cfg, mcr_strategy *out)
{
    char path[MCR_KEYPATH_MAX], every[MCR_KEYPATH_MAX + 16], band[MCR_KEYPATH_MAX + 16];
    snprintf(path, sizeof path, "%s.rebalance", base);
    if (!has(c, path))
        return MCR_OK;
    snprintf(every, sizeof every, "%s.every_steps", path);
    snprintf(band, sizeof band, "%s.band", path);
    bool has_every = has(c, every), has_band = has(c, band);
    if (has_every == has_band)
        return fail_at(c, path, "%s; allowed: {every_steps: k} (every k steps) or {band: x} "
                       "(when |net delta| > x units of the asset)",
                       has_every ? "give one of every_steps and band, not both" : "empty");
    if (has_every) {
        if (r->every_steps < 1 || r->every_steps > cfg->steps)
            return fail_at(c, every, "must be an integer in [1, %d] (horizon.steps) (got %s)",
                           cfg->steps, GOT(every));
        out->every_steps = (int)r->every_steps;
        return MCR_OK;
    }
    if (!(r->band > 0))
        return fail_at(c, band, "must be a number > 0, units of the asset's net delta (got %s)",
                       GOT(band));
    out->band = r->band;
    return MCR_OK;
}

static mcr_status fill_strategy(const load_ctx *c, const raw_strategy *s, uint32_t i,
                                mcr_config *cfg)
{
    mcr_strategy *out = &cfg->strategies[i];
    char base[32], path[MCR_KEYPATH_MAX], list[160];
    mcr_status st;
    snprintf(base, sizeof base, "strategies[%u]", i);

    snprintf(path, sizeof path, "%s.name", base);
    if ((st = require(c, path, "")) || (st = check_name(c, path, s->name)) ||
        (st = check_unique(c, path, s->name, "strategies", cfg->strategies[0].name,
                           sizeof cfg->strategies[0], (int)i)))
        return st;
    snprintf(out->name, sizeof out->name, "%s", s->name);

    snprintf(path, sizeof path, "%s.type", base);
    int type;
    if (!has(c, path))
        return fail_at(c, path, "required key missing; allowed: %s",
                       join_names(strategy_types, MCR_COUNT(strategy_types), list, sizeof list));
    if ((st = check_enum(c, path, "strategy type", strategy_types, MCR_COUNT(strategy_types),
                         s->type, &type)))
        return st;
    out->type = (mcr_strategy_type)type;
    /* the defaults of keys a type does not take, too, so the engine may read any field */
    out->hedge_ratio = 1.0;
    out->every_steps = 1;
    out->expiry_days = cfg->horizon_days;
    out->instrument = MCR_INSTRUMENT_SPOT;

    snprintf(path, sizeof path, "%s.asset", base);
    out->asset = cfg->portfolio[0].asset;
    if ((st = read_asset(c, path, s->asset, cfg, false, &out->asset)))
        return st;

    switch (out->type) {
    case MCR_STRATEGY_NONE:
    case MCR_STRATEGY_COUNT: break;
    case MCR_STRATEGY_PROTECTIVE_PUT:
    case MCR_STRATEGY_COVERED_CALL:
        snprintf(path, sizeof path, "%s.strike", base);
        if ((st = read_strike(c, path, s->strike, &out->strike)))
            return st;
        return fill_option_overlay(c, s, base, cfg, out);
    case MCR_STRATEGY_COLLAR:
    case MCR_STRATEGY_PUT_SPREAD_COLLAR:
        snprintf(path, sizeof path, "%s.put_strike", base);
        if ((st = read_strike(c, path, s->put_strike, &out->put_strike)))
            return st;
        if (out->type == MCR_STRATEGY_PUT_SPREAD_COLLAR) {
            snprintf(path, sizeof path, "%s.lower_put_strike", base);
            if (!has(c, path))
                return fail_at(c, path, "required key missing; the strike of the put sold, "
                               "relative to spot, a number in (0, put_strike = %g)",
                               out->put_strike);
            if (!(s->lower_put_strike > 0 && s->lower_put_strike < out->put_strike))
                return fail_at(c, path, "must be a number in (0, put_strike = %g), relative to "
                               "spot at t0 (got %s)", out->put_strike, GOT(path));
            out->lower_put_strike = s->lower_put_strike;
        }
        snprintf(path, sizeof path, "%s.call_strike", base);
        if ((st = read_call_strike(c, path, out->put_strike, out)))
            return st;
        return fill_option_overlay(c, s, base, cfg, out);
    case MCR_STRATEGY_PERP_HEDGE: {
        int contract = MCR_INSTRUMENT_LINEAR_PERP;
        snprintf(path, sizeof path, "%s.contract", base);
        if (has(c, path) && (st = check_enum(c, path, "contract", perp_contracts,
                                             MCR_COUNT(perp_contracts), s->contract, &contract)))
            return st;
        out->instrument = (mcr_instrument)contract;
        return fill_position_hedge(c, s, base, out);
    }
    case MCR_STRATEGY_DELTA_HEDGE: {
        int instrument = MCR_INSTRUMENT_LINEAR_PERP;
        snprintf(path, sizeof path, "%s.instrument", base);
        if (has(c, path) &&
            (st = check_enum(c, path, "hedge instrument", hedge_instruments,
                             MCR_COUNT(hedge_instruments), s->instrument, &instrument)))
            return st;
        out->instrument = (mcr_instrument)instrument;
        if ((st = fill_position_hedge(c, s, base, out)))
            return st;
        return fill_rebalance(c, &s->rebalance, base, cfg, out);
    }
    }
    return MCR_OK;
}

static mcr_status fill_strategies(const load_ctx *c, const raw_config *r, mcr_config *cfg)
{
    mcr_status st;
    if (!has(c, "strategies")) {
        cfg->strategies[0] = (mcr_strategy){.name = "unhedged", .type = MCR_STRATEGY_NONE,
                                            .asset = cfg->portfolio[0].asset, .hedge_ratio = 1.0,
                                            .every_steps = 1,
                                            .expiry_days = cfg->horizon_days};
        cfg->n_strategies = 1;
        return MCR_OK;
    }
    if ((st = check_count(c, "strategies", r->n_strategies, "strategy")))
        return st;
    for (uint32_t i = 0; i < r->n_strategies; i++)
        if ((st = fill_strategy(c, &r->strategies[i], i, cfg)))
            return st;
    cfg->n_strategies = (int)r->n_strategies;
    return MCR_OK;
}

#define MCR_BPS_MAX 10000.0 /* 100% of the notional */

static mcr_status fill_costs(const load_ctx *c, raw_costs *k, mcr_config *cfg)
{
    mcr_status st;
    if (!has(c, "costs.impact_notional"))
        k->impact_notional = 1e6;
    if ((st = check_number(c, "costs.fee_bps", k->fee_bps >= 0 && k->fee_bps <= MCR_BPS_MAX,
                           "a number in [0, 10000], basis points of traded notional")) ||
        (st = check_number(c, "costs.slippage_bps",
                           k->slippage_bps >= 0 && k->slippage_bps <= MCR_BPS_MAX,
                           "a number in [0, 10000], basis points of traded notional")) ||
        (st = check_number(c, "costs.impact", k->impact >= 0,
                           "a number >= 0, the impact fraction at a trade of impact_notional")) ||
        (st = check_number(c, "costs.impact_notional", k->impact_notional > 0,
                           "a number > 0, in the quote currency")))
        return st;
    cfg->costs = (mcr_costs){.fee_bps = k->fee_bps, .slippage_bps = k->slippage_bps,
                             .impact = k->impact, .impact_notional = k->impact_notional};
    return MCR_OK;
}

static mcr_status fill_funding(const load_ctx *c, raw_funding *f, mcr_config *cfg)
{
    mcr_status st;
    if (!has(c, "funding.interval_hours"))
        f->interval_hours = 8;
    if (!has(c, "funding.rate"))
        f->rate = 0.0001;
    if (!has(c, "funding.cap"))
        f->cap = 0.0075;
    int mode = MCR_FUNDING_CONSTANT;
    if (has(c, "funding.mode") &&
        (st = check_enum(c, "funding.mode", "funding mode", funding_modes,
                         MCR_COUNT(funding_modes), f->mode, &mode)))
        return st;
    if ((st = check_number(c, "funding.interval_hours",
                           f->interval_hours > 0 && f->interval_hours <= MCR_DAYS_MAX * 24,
                           "a number > 0, hours between funding payments")) ||
        (st = check_number(c, "funding.rate", fabs(f->rate) <= 1,
                           "a number in [-1, 1], the rate per interval (0.0001 = 0.01%)")))
        return st;
    if (mode == MCR_FUNDING_CONSTANT) {
        static const char *const stochastic_only[] = {"funding.beta", "funding.noise",
                                                      "funding.cap"};
        for (int k = 0; k < MCR_COUNT(stochastic_only); k++)
            if (has(c, stochastic_only[k]))
                return fail_at(c, stochastic_only[k], "only used with mode: stochastic; allowed "
                               "with mode constant: interval_hours, rate, mode");
    }
    if ((st = check_number(c, "funding.noise", f->noise >= 0,
                           "a number >= 0, standard deviation of the rate per interval")) ||
        (st = check_number(c, "funding.cap", f->cap > 0 && f->cap <= 1,
                           "a number in (0, 1], the largest |rate| per interval")))
        return st;
    cfg->funding = (mcr_funding){.interval_hours = f->interval_hours, .rate = f->rate,
                                 .mode = (mcr_funding_mode)mode, .beta = f->beta,
                                 .noise = f->noise, .cap = f->cap};
    return MCR_OK;
}

static mcr_status fill_margin(const load_ctx *c, raw_margin *m, mcr_config *cfg)
{
    mcr_status st;
    if (!has(c, "margin.initial"))
        m->initial = 0.1;
    if (!has(c, "margin.maintenance"))
        m->maintenance = 0.005;
    if (!has(c, "margin.liquidation_fee"))
        m->liquidation_fee = 0.005;
    int mode = MCR_MARGIN_ISOLATED;
    if (has(c, "margin.mode") &&
        (st = check_enum(c, "margin.mode", "margin mode", margin_modes, MCR_COUNT(margin_modes),
                         m->mode, &mode)))
        return st;
    if ((st = check_number(c, "margin.initial", m->initial > 0 && m->initial <= 1,
                           "a number in (0, 1], the margin posted per unit of notional")))
        return st;
    if (!(m->maintenance >= 0 && m->maintenance < m->initial)) {
        if (has(c, "margin.maintenance"))
            return fail_at(c, "margin.maintenance", "must be a number in [0, initial = %g) "
                           "(got %s)", m->initial, GOT("margin.maintenance"));
        return fail_at(c, "margin.initial", "must be above margin.maintenance = %g (its default; "
                       "give a lower maintenance) (got %s)", m->maintenance, GOT("margin.initial"));
    }
    if ((st = check_number(c, "margin.liquidation_fee",
                           m->liquidation_fee >= 0 && m->liquidation_fee < 1,
                           "a number in [0, 1), the fraction of notional charged on "
                           "liquidation")))
        return st;
    cfg->margin = (mcr_margin){.mode = (mcr_margin_mode)mode, .initial = m->initial,
                               .maintenance = m->maintenance,
                               .liquidation_fee = m->liquidation_fee};
    return MCR_OK;
}

/* A scenario without its own correlation takes the market's. */
static void inherit_correlation(const mcr_config *cfg, mcr_scenario *out)
{
    memcpy(out->correlation, cfg->correlation, sizeof out->correlation);
    memcpy(out->cholesky, cfg->cholesky, sizeof out->cholesky);
}

#define MCR_VOL_MULTIPLIER_MAX 10.0
#define MCR_SHOCK_RETURN_MAX 10.0
#define MCR_JUMP_MULTIPLIER_MAX 100.0
#define MCR_COST_MULTIPLIER_MAX 1000.0
#define MCR_VOL_SHIFT_MAX 5.0
#define MCR_SKEW_SHIFT_MAX 10.0

/* "scenarios[i].KEY" into buf */
static const char *scenario_key(char *buf, size_t cap, uint32_t i, const char *key)
{
    snprintf(buf, cap, "scenarios[%u].%s", i, key);
    return buf;
}

#define SKEY(key) scenario_key((char[MCR_KEYPATH_MAX]){0}, MCR_KEYPATH_MAX, i, (key))

/* A day of the horizon at PATH (required): in [lo, horizon.days], or (lo, horizon.days] when
 * open; `what` says what the day is. */
static mcr_status read_day(const load_ctx *c, const char *path, double v, double lo, bool open,
                           double horizon, const char *what)
{
    if (!has(c, path))
        return fail_at(c, path, "required key missing; %s, a number in [0, horizon.days = %g]",
                       what, horizon);
    if ((open ? v > lo : v >= lo) && v <= horizon)
        return MCR_OK;
    return fail_at(c, path, "must be a number in %s%g, %g], %s (horizon.days) (got %s)",
                   open ? "(" : "[", lo, horizon, what, GOT(path));
}

/* One leg {day, return} at PATH, after the leg at prev_day (< 0: the first leg). */
static mcr_status read_leg(const load_ctx *c, const char *path, const raw_shock *r,
                           double prev_day, double horizon, mcr_shock *out)
{
    char day[MCR_KEYPATH_MAX + 8], ret[MCR_KEYPATH_MAX + 8], what[96];
    mcr_status st;
    snprintf(day, sizeof day, "%s.day", path);
    snprintf(ret, sizeof ret, "%s.return", path);
    if (prev_day < 0)
        snprintf(what, sizeof what, "the day of the move");
    else
        snprintf(what, sizeof what, "the day of the move, after the previous leg's (%g): legs "
                 "are in time order", prev_day);
    if ((st = read_day(c, day, r->day, prev_day < 0 ? 0 : prev_day, prev_day >= 0, horizon,
                       what)) ||
        (st = require(c, ret, "; the price move of every asset, a number in (-1, 10] "
                              "(-0.3: a 30% fall)")) ||
        (st = check_number(c, ret, r->ret > -1 && r->ret <= MCR_SHOCK_RETURN_MAX,
                           "a number in (-1, 10], the simple return of every asset (-0.3: a "
                           "30% fall)")))
        return st;
    *out = (mcr_shock){.day = r->day, .ret = r->ret};
    return MCR_OK;
}

/* shock (one leg) or shocks (a list of legs), replacing the built-in's legs */
static mcr_status read_shocks(const load_ctx *c, const raw_scenario *r, uint32_t i,
                              const mcr_config *cfg, mcr_scenario *out)
{
    bool one = has(c, SKEY("shock")), list = has(c, SKEY("shocks"));
    if (one && list)
        return fail_at(c, SKEY("shocks"), "give shock (one leg) or shocks (a list of legs), not "
                       "both");
    if (!one && !list)
        return MCR_OK;
    if (one) {
        out->n_shocks = 1;
        return read_leg(c, SKEY("shock"), &r->shock, -1, cfg->horizon_days, &out->shocks[0]);
    }
    out->n_shocks = 0;
    for (uint32_t k = 0; k < r->n_shocks; k++) {
        char path[MCR_KEYPATH_MAX];
        snprintf(path, sizeof path, "scenarios[%u].shocks[%u]", i, k);
        mcr_status st = read_leg(c, path, &r->shocks[k], k ? out->shocks[k - 1].day : -1,
                                 cfg->horizon_days, &out->shocks[k]);
        if (st)
            return st;
        out->n_shocks++;
    }
    return MCR_OK;
}

/* funding_shift or funding_path, replacing the built-in's funding */
static mcr_status read_funding(const load_ctx *c, const raw_scenario *r, uint32_t i,
                               const mcr_config *cfg, mcr_scenario *out)
{
    bool shift = has(c, SKEY("funding_shift")), path = has(c, SKEY("funding_path"));
    mcr_status st;
    if (shift && path)
        return fail_at(c, SKEY("funding_path"), "give funding_shift or funding_path, not both");
    if (shift) {
        if ((st = check_number(c, SKEY("funding_shift"), fabs(r->funding_shift) <= 1,
                               "a number in [-1, 1], added to funding.rate per interval "
                               "(-0.001: shorts receive 0.1% less)")))
            return st;
        out->funding_shift = r->funding_shift;
        out->n_funding_path = 0;
    }
    if (!path)
        return MCR_OK;
    out->funding_shift = 0;
    out->n_funding_path = 0;
    for (uint32_t k = 0; k < r->n_funding_path; k++) {
        char base[MCR_KEYPATH_MAX], day[MCR_KEYPATH_MAX + 16], rate[MCR_KEYPATH_MAX + 16];
        char what[96];
        snprintf(base, sizeof base, "scenarios[%u].funding_path[%u]", i, k);
        snprintf(day, sizeof day, "%s.from_day", base);
        snprintf(rate, sizeof rate, "%s.rate", base);
        double prev = k ? out->funding_path[k - 1].from_day : 0;
        if (k)
            snprintf(what, sizeof what, "the day the rate starts, after the previous piece's "
                     "(%g)", prev);
        else
            snprintf(what, sizeof what, "the day the rate starts");
        if ((st = read_day(c, day, r->funding_path[k].from_day, prev, k > 0, cfg->horizon_days,
                           what)) ||
            (st = require(c, rate, "; the funding rate per interval from from_day on, a number "
                                   "in [-1, 1]")) ||
            (st = check_number(c, rate, fabs(r->funding_path[k].rate) <= 1,
                               "a number in [-1, 1], the funding rate per interval (0.0001 = "
                               "0.01%; positive: longs pay shorts)")))
            return st;
        out->funding_path[k] = (mcr_funding_piece){.from_day = r->funding_path[k].from_day,
                                                   .rate = r->funding_path[k].rate};
        out->n_funding_path++;
    }
    return MCR_OK;
}

/* no_rebalance or depeg at KEY: {from_day, to_day (default: the horizon)} and depeg's price */
static mcr_status read_window(const load_ctx *c, uint32_t i, const char *key, const raw_window *r,
                              const mcr_config *cfg, mcr_day_window *out, double *price)
{
    char from[MCR_KEYPATH_MAX], to[MCR_KEYPATH_MAX], at[32];
    mcr_status st;
    snprintf(at, sizeof at, "%s.from_day", key);
    scenario_key(from, sizeof from, i, at);
    snprintf(at, sizeof at, "%s.to_day", key);
    scenario_key(to, sizeof to, i, at);
    double horizon = cfg->horizon_days;
    if ((st = read_day(c, from, r->from_day, 0, false, horizon, "the day the window opens")))
        return st;
    if (has(c, to)) {
        if (!(r->to_day > r->from_day && r->to_day <= horizon))
            return fail_at(c, to, "must be a number in (from_day = %g, %g], the day the window "
                           "closes (horizon.days; default: the horizon) (got %s)", r->from_day,
                           horizon, GOT(to));
    } else if (!(r->from_day < horizon)) {
        return fail_at(c, from, "must be a number in [0, %g), before the horizon (horizon.days) "
                       "(got %s)", horizon, GOT(from));
    }
    *out = (mcr_day_window){.from_day = r->from_day, .to_day = has(c, to) ? r->to_day : horizon};
    if (!price)
        return MCR_OK;
    snprintf(at, sizeof at, "%s.price", key);
    const char *p = SKEY(at);
    if ((st = require(c, p, "; the collateral's value in dollars inside the window, a number in "
                            "(0, 1] (0.9: 10% below its peg)")) ||
        (st = check_number(c, p, r->price > 0 && r->price <= 1,
                           "a number in (0, 1], the collateral's value in dollars (0.9: 10% "
                           "below its peg)")))
        return st;
    *price = r->price;
    return MCR_OK;
}

/* The scenario's multipliers and shifts given in the config. */
static mcr_status read_adjustments(const load_ctx *c, const raw_scenario *r, uint32_t i,
                                   mcr_scenario *out)
{
    mcr_status st;
    static const char cost[] = "a number in (0, 1000], multiplying costs.%s in this scenario";
    char what[96];
    if (has(c, SKEY("vol_multiplier"))) {
        if ((st = check_number(c, SKEY("vol_multiplier"), r->vol_multiplier > 0 &&
                                   r->vol_multiplier <= MCR_VOL_MULTIPLIER_MAX,
                               "a number in (0, 10], scaling every volatility of the models")))
            return st;
        out->vol_multiplier = r->vol_multiplier;
    }
    if (has(c, SKEY("jump_multiplier"))) {
        if ((st = check_number(c, SKEY("jump_multiplier"), r->jump_multiplier >= 0 &&
                                   r->jump_multiplier <= MCR_JUMP_MULTIPLIER_MAX,
                               "a number in [0, 100], scaling the jump intensity of merton, kou "
                               "and bates (0: no jumps)")))
            return st;
        out->has_jump_multiplier = true;
        out->jump_multiplier = r->jump_multiplier;
    }
    if (has(c, SKEY("implied_vol_shift"))) {
        if ((st = check_number(c, SKEY("implied_vol_shift"),
                               fabs(r->implied_vol_shift) <= MCR_VOL_SHIFT_MAX,
                               "a number in [-5, 5], added to every ATM implied vol (0.2: 20 "
                               "vol points)")))
            return st;
        out->implied_vol_shift = r->implied_vol_shift;
    }
    if (has(c, SKEY("skew_shift"))) {
        if ((st = check_number(c, SKEY("skew_shift"), fabs(r->skew_shift) <= MCR_SKEW_SHIFT_MAX,
                               "a number in [-10, 10], added to every surface's skew (< 0: "
                               "puts dearer)")))
            return st;
        out->skew_shift = r->skew_shift;
    }
    if (has(c, SKEY("slippage_multiplier"))) {
        snprintf(what, sizeof what, cost, "slippage_bps");
        if ((st = check_number(c, SKEY("slippage_multiplier"), r->slippage_multiplier > 0 &&
                                   r->slippage_multiplier <= MCR_COST_MULTIPLIER_MAX, what)))
            return st;
        out->slippage_multiplier = r->slippage_multiplier;
    }
    if (has(c, SKEY("impact_multiplier"))) {
        snprintf(what, sizeof what, cost, "impact");
        if ((st = check_number(c, SKEY("impact_multiplier"), r->impact_multiplier > 0 &&
                                   r->impact_multiplier <= MCR_COST_MULTIPLIER_MAX, what)))
            return st;
        out->impact_multiplier = r->impact_multiplier;
    }
    return MCR_OK;
}

/* The last day a built-in scenario acts on, over the keys the config did not override: its
 * horizon must reach it. */
static double builtin_last_day(const load_ctx *c, uint32_t i, const mcr_scenario *b)
{
    double last = 0;
    if (!has(c, SKEY("shock")) && !has(c, SKEY("shocks")) && b->n_shocks)
        last = fmax(last, b->shocks[b->n_shocks - 1].day);
    if (!has(c, SKEY("funding_shift")) && !has(c, SKEY("funding_path")) && b->n_funding_path)
        last = fmax(last, b->funding_path[b->n_funding_path - 1].from_day);
    const mcr_day_window *w[2] = {b->has_no_rebalance && !has(c, SKEY("no_rebalance"))
                                      ? &b->no_rebalance : NULL,
                                  b->has_depeg && !has(c, SKEY("depeg")) ? &b->depeg : NULL};
    for (int k = 0; k < 2; k++)
        if (w[k])
            last = fmax(last, fmax(w[k]->from_day, w[k]->to_day));
    return last;
}

/* `use`: start from the built-in scenario (keys beside `use` then override its keys). */
static mcr_status read_use(const load_ctx *c, const raw_scenario *r, uint32_t i,
                           const mcr_config *cfg, mcr_scenario *out)
{
    if (!has(c, SKEY("use")))
        return MCR_OK;
    const mcr_builtin_scenario *b = mcr_builtin_scenario_find(r->use);
    if (!b)
        return fail_at(c, SKEY("use"), "unknown built-in scenario %s; allowed: %s",
                       GOT_QUOTED(SKEY("use")), mcr_builtin_scenario_names());
    double last = builtin_last_day(c, i, &b->s);
    if (last > cfg->horizon_days)
        return fail_at(c, SKEY("use"), "%s acts until day %g (a price leg, funding change or "
                       "window), beyond horizon.days = %g; allowed: a horizon of at least %g "
                       "days, or override those keys beside use", b->name, last,
                       cfg->horizon_days, last);
    char name[MCR_NAME_MAX];
    memcpy(name, out->name, sizeof name);
    *out = b->s;
    memcpy(out->name, name, sizeof name);
    snprintf(out->use, sizeof out->use, "%s", b->name);
    if (out->has_no_rebalance && out->no_rebalance.to_day == MCR_TO_HORIZON)
        out->no_rebalance.to_day = cfg->horizon_days;
    if (out->has_depeg && out->depeg.to_day == MCR_TO_HORIZON)
        out->depeg.to_day = cfg->horizon_days;
    return MCR_OK;
}

/* Where a check of the merged scenario points: the key if the config gave it, else `use`. */
static const char *blame(const load_ctx *c, uint32_t i, const char *key, char *buf, size_t cap)
{
    scenario_key(buf, cap, i, key);
    return has(c, buf) ? buf : scenario_key(buf, cap, i, "use");
}

/* The merged scenario against the rest of the config: every asset's scaled model and shifted
 * surface stay valid, scaled slippage stays within 100%, shifted funding within [-1, 1]. */
static mcr_status check_scenario(const load_ctx *c, uint32_t i, mcr_config *cfg)
{
    mcr_scenario *sc = &cfg->scenarios[i];
    char where[MCR_KEYPATH_MAX], path[MCR_KEYPATH_MAX];
    mcr_error merr = {0};
    double dt = mcr_config_dt(cfg);
    for (int a = 0; a < cfg->n_assets; a++) {
        snprintf(where, sizeof where, "market.assets[%d].model", a);
        /* the volatility scaling alone first, so the right key is named */
        bool jumps = sc->has_jump_multiplier;
        sc->has_jump_multiplier = false;
        mcr_model m = mcr_scenario_model(cfg, (int)i, a);
        sc->has_jump_multiplier = jumps;
        const char *key = "vol_multiplier";
        mcr_status st = mcr_model_check(&m, where, &merr);
        if (st == MCR_OK) {
            m = mcr_scenario_model(cfg, (int)i, a);
            key = "jump_multiplier";
            st = mcr_model_check(&m, where, &merr);
            if (st == MCR_OK)
                st = mcr_model_step_check(&m, dt, where, &merr);
        }
        if (st != MCR_OK)
            return fail_at(c, blame(c, i, key, path, sizeof path), "makes %s's model invalid: %s",
                           cfg->assets[a].name, merr.msg);

        snprintf(where, sizeof where, "market.assets[%d].implied_vol", a);
        double skew = sc->skew_shift;
        sc->skew_shift = 0;
        mcr_vol_surface s = mcr_scenario_surface(cfg, (int)i, a);
        sc->skew_shift = skew;
        key = "implied_vol_shift";
        st = mcr_vol_surface_check(&s, where, &merr);
        if (st == MCR_OK) {
            s = mcr_scenario_surface(cfg, (int)i, a);
            key = "skew_shift";
            st = mcr_vol_surface_check(&s, where, &merr);
        }
        if (st != MCR_OK)
            return fail_at(c, blame(c, i, key, path, sizeof path), "makes %s's implied-vol "
                           "surface invalid: %s", cfg->assets[a].name, merr.msg);
    }
    double slippage = cfg->costs.slippage_bps * sc->slippage_multiplier;
    if (!(slippage <= MCR_BPS_MAX))
        return fail_at(c, blame(c, i, "slippage_multiplier", path, sizeof path),
                       "makes slippage %g bps (costs.slippage_bps = %g x %g); allowed: at most "
                       "10000 bps", slippage, cfg->costs.slippage_bps, sc->slippage_multiplier);
    double rate = cfg->funding.rate + sc->funding_shift;
    if (!(fabs(rate) <= 1))
        return fail_at(c, blame(c, i, "funding_shift", path, sizeof path),
                       "makes the funding rate %g per interval (funding.rate = %g + %g); "
                       "allowed: a rate in [-1, 1]", rate, cfg->funding.rate, sc->funding_shift);
    return MCR_OK;
}

static mcr_status fill_scenario(const load_ctx *c, const raw_scenario *r, uint32_t i,
                                mcr_config *cfg)
{
    mcr_scenario *out = &cfg->scenarios[i];
    mcr_status st;
    const char *path = SKEY("name");
    if ((st = require(c, path, "")) || (st = check_name(c, path, r->name)) ||
        (st = check_unique(c, path, r->name, "scenarios", cfg->scenarios[0].name,
                           sizeof cfg->scenarios[0], (int)i)))
        return st;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", r->name);
    out->vol_multiplier = out->slippage_multiplier = out->impact_multiplier = 1.0;
    if ((st = read_use(c, r, i, cfg, out)))
        return st;
    inherit_correlation(cfg, out);
    if ((st = read_correlation(c, SKEY("correlation"), cfg->n_assets, out->correlation,
                               out->cholesky, &out->has_correlation)) ||
        (st = read_adjustments(c, r, i, out)) || (st = read_shocks(c, r, i, cfg, out)) ||
        (st = read_funding(c, r, i, cfg, out)))
        return st;
    if (has(c, SKEY("no_rebalance"))) {
        out->has_no_rebalance = true;
        if ((st = read_window(c, i, "no_rebalance", &r->no_rebalance, cfg, &out->no_rebalance,
                              NULL)))
            return st;
    }
    if (has(c, SKEY("depeg"))) {
        out->has_depeg = true;
        if ((st = read_window(c, i, "depeg", &r->depeg, cfg, &out->depeg, &out->depeg_price)))
            return st;
    }
    return check_scenario(c, i, cfg);
}

#undef SKEY

static mcr_status fill_scenarios(const load_ctx *c, const raw_config *r, mcr_config *cfg)
{
    mcr_status st;
    if (!has(c, "scenarios")) {
        snprintf(cfg->scenarios[0].name, sizeof cfg->scenarios[0].name, "base");
        cfg->scenarios[0].vol_multiplier = 1.0;
        cfg->scenarios[0].slippage_multiplier = cfg->scenarios[0].impact_multiplier = 1.0;
        cfg->n_scenarios = 1;
        inherit_correlation(cfg, &cfg->scenarios[0]);
        return MCR_OK;
    }
    if ((st = check_count(c, "scenarios", r->n_scenarios, "scenario")))
        return st;
    for (uint32_t i = 0; i < r->n_scenarios; i++)
        if ((st = fill_scenario(c, &r->scenarios[i], i, cfg)))
            return st;
    cfg->n_scenarios = (int)r->n_scenarios;
    return MCR_OK;
}

/* ---- entry points ---- */

/* dir: the config file's directory, for relative path_file names (NULL: the working one). */
static mcr_status load_text(const char *text, size_t len, const char *source, const char *dir,
                            mcr_config *cfg, mcr_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    mcr_yaml_doc doc;
    mcr_status st = mcr_yaml_doc_parse(&doc, text, len, source, err);
    if (st != MCR_OK)
        return st;
    const load_ctx c = {.source = source, .doc = &doc, .err = err, .dir = dir};
    const yaml_node_t *root = mcr_yaml_root(&doc);
    raw_config *raw = NULL;
    cyaml_capture cap = {0};
    const cyaml_config_t cc = {
        .log_fn = capture_log,
        .log_ctx = &cap,
        .mem_fn = cyaml_mem,
        .log_level = CYAML_LOG_ERROR,
        .flags = CYAML_CFG_DEFAULT,
    };

    if (root && root->type != YAML_MAPPING_NODE) {
        char list[256];
        st = fail_at(&c, "", "a config is a mapping of sections (got %s); allowed: %s",
                     got(&c, "", true, (char[64]){0}, 64),
                     allowed_keys(&top_schema, list, sizeof list));
    } else if (root) {
        char path[MCR_KEYPATH_MAX] = "";
        st = check_tree(&c, root, &top_schema, path, sizeof path);
        if (st == MCR_OK) {
            cyaml_err_t e = cyaml_load_data((const uint8_t *)text, len, &cc, &top_schema,
                                            (cyaml_data_t **)&raw, NULL);
            if (e != CYAML_OK) {
                st = cyaml_failure(&c, &cap, e);
                raw = NULL;
            }
        }
    }
    /* An empty text is an empty mapping: it fails below for lack of market.assets. */
    raw_config *r = raw ? raw : calloc(1, sizeof *r);
    if (st == MCR_OK && !r)
        st = mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", source);
    if (st == MCR_OK)
        st = fill_run(&c, &r->run, cfg);
    if (st == MCR_OK)
        st = fill_horizon(&c, &r->horizon, cfg);
    if (st == MCR_OK)
        st = fill_market(&c, &r->market, cfg);
    if (st == MCR_OK)
        st = fill_portfolio(&c, r, cfg);
    if (st == MCR_OK)
        st = fill_strategies(&c, r, cfg);
    if (st == MCR_OK)
        st = fill_costs(&c, &r->costs, cfg);
    if (st == MCR_OK)
        st = fill_funding(&c, &r->funding, cfg);
    if (st == MCR_OK)
        st = fill_margin(&c, &r->margin, cfg);
    if (st == MCR_OK)
        st = fill_scenarios(&c, r, cfg);
    if (raw)
        cyaml_free(&cc, &top_schema, raw, 0);
    else
        free(r);
    mcr_yaml_doc_free(&doc);

    if (st == MCR_OK) {
        cfg->yaml = malloc(len + 1);
        if (!cfg->yaml)
            st = mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", source);
        else {
            memcpy(cfg->yaml, text, len);
            cfg->yaml[len] = '\0';
            snprintf(cfg->source, sizeof cfg->source, "%s", source);
        }
    }
    if (st != MCR_OK)
        mcr_config_free(cfg);
    return st;
}

mcr_status mcr_config_load_string(const char *yaml, const char *source, mcr_config *cfg,
                                  mcr_error *err)
{
    if (!source)
        source = "<string>";
    if (!yaml) {
        memset(cfg, 0, sizeof *cfg);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no config text", source);
    }
    return load_text(yaml, strlen(yaml), source, NULL, cfg, err);
}

mcr_status mcr_config_load_file(const char *path, mcr_config *cfg, mcr_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    FILE *f = fopen(path, "rb");
    if (!f)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot read config: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    int read_errno = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? 2 * cap : 16384;
            char *bigger = realloc(text, cap);
            if (!bigger) {
                free(text);
                fclose(f);
                return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory reading the config", path);
            }
            text = bigger;
        }
        size_t got_bytes = fread(text + len, 1, cap - len - 1, f);
        len += got_bytes;
        if (got_bytes == 0) {
            if (ferror(f))
                read_errno = errno ? errno : EIO;
            break;
        }
    }
    fclose(f);
    if (read_errno) {
        free(text);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot read config: %s", path,
                        strerror(read_errno));
    }
    text[len] = '\0';
    /* "configs/x.yaml" -> "configs"; a bare name is in the working directory already */
    char dir[MCR_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    mcr_status st = load_text(text, len, path, slash ? dir : NULL, cfg, err);
    free(text);
    return st;
}

mcr_status mcr_config_check(const mcr_config *cfg, mcr_error *err)
{
    if (cfg->paths < 1 || cfg->paths > (uint64_t)MCR_PATHS_MAX)
        return mcr_fail(err, MCR_ERR_INPUT, "run.paths: must be an integer in [1, 1e10] (got %llu)",
                        (unsigned long long)cfg->paths);
    /* Every uint64 is a valid seed, so there is nothing to check for it. */
    if (cfg->threads < 0 || cfg->threads > MCR_THREADS_MAX)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "run.threads: must be an integer in [0, %d], 0 = all cores (got %d)",
                        MCR_THREADS_MAX, cfg->threads);
    if (cfg->output[0] == '\0' || !memchr(cfg->output, '\0', sizeof cfg->output))
        return mcr_fail(err, MCR_ERR_INPUT, "run.output: must be a non-empty file name");
    return MCR_OK;
}

void mcr_config_free(mcr_config *cfg)
{
    free(cfg->yaml);
    cfg->yaml = NULL;
}

double mcr_config_dt(const mcr_config *cfg) { return cfg->horizon_days / 365.0 / cfg->steps; }

/* Every volatility of a model scaled by m (variances by m^2). */
static mcr_model scale_volatility(mcr_model model, double m)
{
    switch (model.type) {
    case MCR_MODEL_GBM: model.gbm.sigma *= m; break;
    case MCR_MODEL_MERTON: model.merton.sigma *= m; break;
    case MCR_MODEL_KOU: model.kou.sigma *= m; break;
    case MCR_MODEL_HESTON:
    case MCR_MODEL_BATES: {
        mcr_heston *h = model.type == MCR_MODEL_HESTON ? &model.heston : &model.bates.heston;
        h->v0 *= m * m;
        h->theta *= m * m;
        h->xi *= m;
        break;
    }
    default: break;
    }
    return model;
}

/* The jump intensity of a model scaled by m (gbm and heston have none). */
static mcr_model scale_jumps(mcr_model model, double m)
{
    switch (model.type) {
    case MCR_MODEL_MERTON: model.merton.jump_intensity *= m; break;
    case MCR_MODEL_KOU: model.kou.jump_intensity *= m; break;
    case MCR_MODEL_BATES: model.bates.jump_intensity *= m; break;
    default: break;
    }
    return model;
}

mcr_model mcr_scenario_model(const mcr_config *cfg, int s, int a)
{
    const mcr_scenario *sc = &cfg->scenarios[s];
    mcr_model m = scale_volatility(cfg->assets[a].model,
                                   sc->vol_multiplier > 0 ? sc->vol_multiplier : 1.0);
    return sc->has_jump_multiplier ? scale_jumps(m, sc->jump_multiplier) : m;
}

mcr_vol_surface mcr_scenario_surface(const mcr_config *cfg, int s, int a)
{
    const mcr_scenario *sc = &cfg->scenarios[s];
    mcr_vol_surface v = cfg->assets[a].implied_vol;
    if (v.n_term == 0)
        v.atm += sc->implied_vol_shift;
    for (int k = 0; k < v.n_term; k++)
        v.term[k].atm += sc->implied_vol_shift;
    v.skew += sc->skew_shift;
    return v;
}

int mcr_config_step_at(const mcr_config *cfg, double day)
{
    if (day >= cfg->horizon_days * (1 - 1e-12))
        return cfg->steps + 1;
    double k = day / (cfg->horizon_days / cfg->steps);
    int step = (int)ceil(k - 1e-9); /* a day on the grid is that step */
    return step < 0 ? 0 : step;
}
