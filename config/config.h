/* mcr_config: the validated form of a YAML config (schema 1, docs/CONFIG.md). Every value is
 * checked once, at load time, against the key table (core/keys.h; the rows of each section are in
 * the config/ section files, those of models, instruments and strategies in their layers), so the rest of
 * the engine never re-validates. Fixed-size arrays keep the struct a plain value (no ownership
 * rules) except for the config text, kept for provenance. */
#ifndef MCR_CONFIG_H
#define MCR_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/keys.h"
#include "core/status.h"
#include "models/model.h"
#include "models/oracle.h"
#include "models/venue_default.h"
#include "models/peg.h"
#include "models/vol_surface.h"
#include "trading.h"

#define MCR_MAX_ASSETS 16
#define MCR_MAX_SIM_ASSETS 8 /* assets simulated together (correlated shocks per step) */
#define MCR_MAX_LEVELS 16
#define MCR_MAX_POSITIONS 32
#define MCR_MAX_STRATEGIES 32
#define MCR_MAX_SCENARIOS 32
#define MCR_NAME_MAX 64
#define MCR_MAX_PARTS 8      /* parts of a combined strategy */
#define MCR_PARAMS_MAX 256   /* bytes of a kind's own keys (instrument or strategy) */
#define MCR_PATH_MAX 4096
#define MCR_MAX_VENUES 8     /* venues and protocols that can fail (the venues section) */
/* Prices (spot, replayed paths): within these, a book's P&L and its moments stay finite doubles
 * (README, Safety: limits); 1e300 or 5e-324 give inf and NaN. */
#define MCR_PRICE_MIN 1e-12
#define MCR_PRICE_MAX 1e12


/* market.assets[].peg: the asset is pegged to another (stETH to ETH, models/peg.h); its price is
 * the reference's times peg_t, simulated on the reference's path. */
typedef struct mcr_asset_peg {
    bool on; /* pegged (a zeroed asset is not) */
    int to;  /* the reference asset's index */
    mcr_peg_params params;
} mcr_asset_peg;

typedef struct mcr_asset {
    char name[MCR_NAME_MAX];
    double spot; /* S0 > 0, quote currency */
    mcr_model model;
    /* prices options; default: flat ATM at the model's total volatility over the horizon, the
     * square root of its variance of ln S per year (diffusion plus lambda E[Y^2] for jumps;
     * Heston's expected variance averaged over the horizon) */
    mcr_vol_surface implied_vol;
    bool implied_vol_from_model; /* implied_vol was not given: the flat default above */
    /* a CSV of prices replayed instead of simulating the model ("" = simulate); relative names
     * are resolved against the config file's directory at load time (path_file.h) */
    char path_file[MCR_PATH_MAX];
    mcr_oracle oracle; /* the price DeFi rules see (models/oracle.h); zero: the market's */
    /* pegged (peg.on): the price is the reference's x peg_t with peg_0 = spot / the
     * reference's spot; `model` is then set by the loader to a GBM at the reference's total
     * volatility over the horizon (it only prices the asset's options) */
    mcr_asset_peg peg;
} mcr_asset;


#define MCR_MAX_SHOCKS 8          /* legs of a multi-leg price shock */
#define MCR_MAX_FUNDING_PIECES 16 /* pieces of a scenario's funding path */

/* One leg of a price shock: every asset's price is multiplied by (1 + ret) at `day`. */
typedef struct mcr_shock {
    double day; /* in [0, horizon] */
    double ret; /* simple return, in (-1, 10] */
} mcr_shock;

/* From from_day on (until the next piece or the horizon) the funding rate per interval is
 * `rate`. */
typedef struct mcr_funding_piece {
    double from_day, rate;
} mcr_funding_piece;

/* A scenario's forced default: venue `venue` (a name under `venues`) fails at `day`. */
typedef struct mcr_forced_default {
    char venue[MCR_NAME_MAX];
    double day; /* in (0, horizon] */
} mcr_forced_default;

/* One entry of the `venues` section: a venue or protocol that can fail (an exchange, a lending
 * pool), its default intensity and recovery (models/venue_default.h; forced_time unused here:
 * scenarios force defaults). Positions and hedges name it with their `venue` key. */
typedef struct mcr_venue_entry {
    char name[MCR_NAME_MAX];
    mcr_venue_failure failure;
} mcr_venue_entry;

/* Days [from_day, to_day) of the horizon; to_day = the horizon includes the last step. */
typedef struct mcr_day_window {
    double from_day, to_day;
} mcr_day_window;

/* scenarios[].models[]: asset `asset`'s model in one scenario, replacing market.assets[asset]'s
 * (README "Real data": one book under several models, one scenario per model). */
typedef struct mcr_model_override {
    int asset; /* index into market.assets */
    mcr_model model;
} mcr_model_override;

/* A stress scenario (README "Scenarios"). A scenario zeroed apart from its name is neutral except
 * for the correlation matrices, which the loader copies from the market. */
typedef struct mcr_scenario {
    char name[MCR_NAME_MAX];
    char use[MCR_NAME_MAX]; /* the built-in scenario it starts from (scenarios_builtin.h), or "" */
    /* scenarios[].correlation was given; otherwise both matrices below are copies of the
     * market's, so the engine can always use the scenario's. Same layout as in mcr_config. */
    bool has_correlation;
    /* models: n_models = 0, the market's models; else (n_models = n_assets) asset a's model in
     * this scenario is mcr_config.overrides[model_at + a] (mcr_config_model): the entry given,
     * or the market's model, data models attached for this scenario's set of data assets */
    int n_models, model_at;
    double correlation[MCR_MAX_ASSETS][MCR_MAX_ASSETS];
    double cholesky[MCR_MAX_ASSETS][MCR_MAX_ASSETS];
    /* price shocks (`shock` is the one-leg form of `shocks`): days strictly increasing */
    int n_shocks;
    mcr_shock shocks[MCR_MAX_SHOCKS];
    mcr_shock shock; /* the one-leg form as given (copied into shocks[0] by the loader) */
    double vol_multiplier;    /* (0, 10]; 0 (unset) = 1: scales every volatility of the models */
    bool has_jump_multiplier; /* else jumps as the models say */
    double jump_multiplier;   /* [0, 100]: scales jump_intensity (merton, kou, bates) */
    /* the implied-vol surface of every asset: atm (and every term point) + implied_vol_shift,
     * skew + skew_shift; prices, marks and deltas of options use it */
    double implied_vol_shift, skew_shift;
    /* funding: funding.rate + funding_shift, or funding_path (before its first piece:
     * funding.rate); never both */
    double funding_shift;
    int n_funding_path;
    mcr_funding_piece funding_path[MCR_MAX_FUNDING_PIECES];
    /* liquidity: costs.slippage_bps and costs.impact multiplied; (0, 1000], 0 (unset) = 1 */
    double slippage_multiplier, impact_multiplier;
    /* venue outage: delta hedges do not trade at steps inside the window */
    bool has_no_rebalance;
    mcr_day_window no_rebalance;
    /* depeg of the quote collateral: inside the window a linear perpetual's margin account counts
     * at depeg_price for the liquidation test; if the window reaches the horizon, the account
     * still posted then loses (1 - depeg_price) of its value */
    bool has_depeg;
    mcr_day_window depeg;
    double depeg_price; /* (0, 1] */
    /* a venue's default forced on every path at `day` (or earlier, by its own default time) */
    bool has_venue_default;
    mcr_forced_default venue_default;
    /* auto-deleveraging (margin.adl): inside the window the venue's insurance fund is short, so
     * a perpetual whose ADL score (profit % x leverage) is at least adl_min_score is closed */
    bool has_adl;
    mcr_day_window adl;
    double adl_min_score; /* >= 0 */
} mcr_scenario;

/* One position of the book: an instrument kind (spot, call, put, ...: instruments/) on an
 * asset, with the kind's own keys in params (the kind's struct). */
typedef struct mcr_position {
    int kind;  /* index in the instrument registry */
    int asset; /* index into market.assets */
    _Alignas(16) unsigned char params[MCR_PARAMS_MAX];
} mcr_position;

/* One part of a strategy: a strategy kind (protective_put, delta_hedge, ...: strategies/) on the
 * asset it hedges, with the kind's own keys in params. */
typedef struct mcr_part {
    int kind;  /* index in the strategy registry */
    int asset; /* the book's asset it hedges */
    _Alignas(16) unsigned char params[MCR_PARAMS_MAX];
} mcr_part;

#define MCR_MAX_SWEEPS 8        /* entries of the sweep section */
#define MCR_MAX_SWEEP_VALUES 32 /* values of one entry */

/* One entry of the `sweep` section: strategy `strategy` expanded into one strategy per value of
 * its kind's number key `key` ("strike", or "rebalance.band" inside a mapping). */
typedef struct mcr_sweep {
    char strategy[MCR_NAME_MAX];
    char key[MCR_NAME_MAX];
    double values[MCR_MAX_SWEEP_VALUES];
    int n_values;
} mcr_sweep;

/* What a strategy expanded by sweeps was: the strategy it came from (`from`, "" when it was not
 * swept) and the value of each swept key. */
typedef struct mcr_swept {
    char from[MCR_NAME_MAX];
    int n;
    char key[MCR_MAX_SWEEPS][MCR_NAME_MAX];
    double value[MCR_MAX_SWEEPS];
} mcr_swept;

/* A strategy: one part, or several (`combine:`), each with its own asset and margin account; its
 * P&L is the book's plus every part's components. */
typedef struct mcr_strategy {
    char name[MCR_NAME_MAX];
    int n_parts;
    bool combined; /* given as combine: [...] */
    mcr_part parts[MCR_MAX_PARTS];
    mcr_swept swept;
} mcr_strategy;

/* The kinds a config may name beyond its models: book instruments and strategies, whose
 * registries live above this layer (instruments/, strategies/) and are handed to the loader. */
typedef struct mcr_config_kinds {
    const mcr_kind_table *instruments; /* portfolio[] entries, selected by `instrument` */
    const mcr_kind_table *strategies;  /* strategies[] entries and combine parts, by `type` */
} mcr_config_kinds;

/* run.target: rounds of doubling path counts until one figure's standard error is small enough
 * (run/target.h). se = 0: no target. */
enum { MCR_TARGET_MEAN, MCR_TARGET_VAR, MCR_TARGET_CVAR };
typedef struct mcr_target {
    int figure;                  /* MCR_TARGET_* */
    double level;                /* one of run.levels (var, cvar) */
    char strategy[MCR_NAME_MAX]; /* "" = the baseline */
    double se;                   /* > 0, quote currency; 0: no target */
    double max_paths;            /* a whole number >= run.paths */
    int strategy_index, level_index; /* resolved by the loader */
} mcr_target;

/* run.variance_reduction (sim/vr.h, risk/vr_se.h, README "Variance reduction"). */
enum { MCR_QMC_NONE, MCR_QMC_SOBOL };
enum { MCR_CV_NONE, MCR_CV_TERMINAL_SPOT, MCR_CV_BOOK_OPTION };
typedef struct mcr_vr_config {
    bool antithetic;    /* paths 2k and 2k+1 take price shocks w and -w */
    int qmc;            /* MCR_QMC_* */
    int randomisations; /* qmc: independent scramblings, 2 .. MCR_MAX_RANDOMISATIONS */
    int control_variate; /* MCR_CV_* */
    int pilot_blocks;    /* control variate: the coefficient's pilot, the first blocks */
} mcr_vr_config;
#define MCR_MAX_RANDOMISATIONS 256

/* run.tail: importance sampling of the tails by a mean shift of the diffusion's normals, an
 * extra pass over each scenario after its plain summary (run/tail.h). level = 0: none. */
enum { MCR_TAIL_SHIFT };
typedef struct mcr_tail {
    double level;                /* in (0, 1); 0: no tail pass */
    int method;                  /* MCR_TAIL_SHIFT */
    double shift;                /* c, the shift of the standardised terminal normal */
    int shift_auto;              /* 1: c found by the pilot (the default) */
    char strategy[MCR_NAME_MAX]; /* whose loss the pilot tilts towards; "" = the baseline */
    int pilot_paths;
    int strategy_index;          /* resolved by the loader */
} mcr_tail;

typedef struct mcr_config {
    /* run */
    uint64_t paths;   /* >= 1 */
    uint64_t seed;
    int threads;      /* 0 = all cores */
    char output[MCR_PATH_MAX];
    bool keep_pnl;
    /* run.keep: the fields (core/fields.h mask) written per path; 0 when keep_pnl is false */
    uint64_t keep_fields;
    int sample_paths; /* full price paths to keep (0 = none) */
    double levels[MCR_MAX_LEVELS]; /* in (0,1), strictly increasing */
    int n_levels;
    /* run.baseline: the strategy every other is compared with on the same paths ("" = the
     * first); baseline_index is its index once the strategies (and sweeps) are loaded */
    char baseline[MCR_NAME_MAX];
    int baseline_index;
    mcr_target target;
    mcr_vr_config vr;
    mcr_tail tail;
    /* horizon */
    double horizon_days; /* > 0, may be fractional */
    int steps;           /* >= 1; dt = horizon_days / 365 / steps */
    /* market */
    char currency[16]; /* the quote currency's name: a label for reports and plots */
    double rate;
    mcr_asset assets[MCR_MAX_ASSETS];
    int n_assets; /* 1..MCR_MAX_SIM_ASSETS */
    /* market.correlation of the assets' Brownian price shocks (dW; dW1 for heston and bates),
     * n_assets x n_assets, row-major, the identity when absent or for one asset; and its
     * Cholesky factor L, lower-triangular with zeros above the diagonal: correlation = L L^T.
     * Entries beyond n_assets are 0. */
    double correlation[MCR_MAX_ASSETS][MCR_MAX_ASSETS];
    double cholesky[MCR_MAX_ASSETS][MCR_MAX_ASSETS];
    mcr_position portfolio[MCR_MAX_POSITIONS];
    int n_positions;
    mcr_strategy strategies[MCR_MAX_STRATEGIES]; /* sweeps expanded */
    int n_strategies;
    mcr_sweep sweeps[MCR_MAX_SWEEPS];
    int n_sweeps;
    mcr_scenario scenarios[MCR_MAX_SCENARIOS];
    int n_scenarios;
    mcr_venue_entry venues[MCR_MAX_VENUES];
    int n_venues;
    /* trading costs, perpetual funding, margin (trading.h) */
    mcr_costs costs;
    mcr_funding funding;
    mcr_margin margin;
    mcr_perp_market perp;
    /* the scenarios' models (scenarios[].models, one entry per asset of each scenario that has
     * them), owned: freed by mcr_config_free (a copy of the struct shares them) */
    mcr_model_override *overrides;
    int n_overrides;
    /* the registries the config was loaded with (kinds of positions and parts) */
    mcr_config_kinds kinds;
    /* provenance */
    char *yaml; /* the config text exactly as read (owned; freed by mcr_config_free) */
    char source[MCR_PATH_MAX]; /* the file it came from, or "<built-in default>" */
} mcr_config;

/* The config `mcrisk run` uses when given none. */
extern const char mcr_default_config_yaml[];

/* Parse and validate against the key table, with the given registries of instruments and
 * strategies (strategies/registry.h has the engine's, and mcr_config_load_file/_string that use
 * them). On failure err->msg is one line "FILE:LINE: KEY: what is wrong; allowed ..." (the line
 * when it can be found) and cfg holds nothing to free. */
mcr_status mcr_config_parse_file(const char *path, const mcr_config_kinds *kinds, mcr_config *cfg,
                                 mcr_error *err);
mcr_status mcr_config_parse_string(const char *yaml, const char *source,
                                   const mcr_config_kinds *kinds, mcr_config *cfg,
                                   mcr_error *err);
/* A command-line override of one key (e.g. "run.paths" from --paths), checked against the key's
 * row as the config's value would be: "FLAG: must be ..." names the flag. */
mcr_status mcr_config_override(mcr_config *cfg, const char *key, const char *value,
                               const char *flag, mcr_error *err);
/* Re-check the values the command line may override (paths, seed, threads, output). */
mcr_status mcr_config_check(const mcr_config *cfg, mcr_error *err);
void mcr_config_free(mcr_config *cfg);

/* The top-level key table (the sections; their rows are in the config/ section files). Book
 * positions and strategies are selected from the registries handed to the load. */
extern const mcr_key mcr_config_keys[];

/* The markdown reference of every key (mcrisk config --reference, docs/CONFIG.md). */
void mcr_config_reference(FILE *out, const mcr_config_kinds *kinds);

double mcr_config_dt(const mcr_config *cfg); /* years per step */

/* Asset a's model in scenario s before the scenario's multipliers: scenarios[s].models' entry,
 * else market.assets[a].model. */
const mcr_model *mcr_config_model(const mcr_config *cfg, int s, int a);

/* The path count the run's models impose (historical: one path per start date; the loader
 * checks all of them agree), or 0: run.paths. */
uint64_t mcr_config_model_paths(const mcr_config *cfg);

/* The first step at or after `day` (t dt >= day, on the step grid), and steps + 1 for a day at or
 * beyond the horizon: window [from, to) covers the steps first_step(from) .. first_step(to) - 1. */
int mcr_config_step_at(const mcr_config *cfg, double day);

/* The index of the venue named `name` under `venues`, or -1. */
int mcr_config_venue(const mcr_config *cfg, const char *name);
/* A kind's `venue` key at PATH.venue: its index into cfg->venues in *index (-1 for "", none),
 * or an error naming the venues allowed. */
mcr_status mcr_config_venue_check(const mcr_config *cfg, const char *name, const char *path,
                                  int *index, mcr_error *err);

#endif
