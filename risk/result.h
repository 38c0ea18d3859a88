/* mcr_result: everything a run produces, in memory, in the shape of the HDF5 layout 1 contract:
 * provenance at the root, then per scenario and strategy the summary figures, the risk table
 * (one row per confidence level) and, when kept, the per-path P&L in global path order. */
#ifndef MCR_RESULT_H
#define MCR_RESULT_H

#include <stdint.h>

#include "config/config.h"
#include "core/fields.h"

typedef struct mcr_risk_row {
    double level;   /* confidence, e.g. 0.99 */
    double var;     /* VaR: positive number for a loss */
    double var_se;  /* standard error of var */
    double cvar;    /* CVaR (expected shortfall), positive for a loss */
    double cvar_se;
} mcr_risk_row;

typedef struct mcr_summary {
    double mean, std, mean_se;
    mcr_risk_row risk[MCR_MAX_LEVELS];
    int n_levels;
} mcr_summary;

/* A strategy against the run's baseline (run.baseline) on the same paths: figures of the strategy
 * minus the baseline's, with paired standard errors and those the same estimators would have on
 * independent paths (risk/compare.h). NaN where the sample is too small for the level. */
typedef struct mcr_diff_row {
    double level, var, var_se, var_se_unpaired, cvar, cvar_se, cvar_se_unpaired;
} mcr_diff_row;

/* run.tail (run/tail.h): VaR and CVaR from the importance-sampled pass with their standard
 * errors (risk/weighted.h), the shift used and the pass's effective sample size (a diagnostic:
 * the weights of paths far from the tail are large, so a tilted pass is for tail figures only). */
typedef struct mcr_tail_result {
    double level; /* 0: no tail pass */
    /* c[a], the mean of asset a's standardised terminal independent normal under the tilt; shift
     * is c[0] with one asset, |c| with several (the tail_shift attribute) */
    double shift, shifts[MCR_MAX_SIM_ASSETS];
    int pilot_rounds, pilot_reached; /* shift: auto (0 rounds when given) */
    double var, var_se, cvar, cvar_se, ess;
} mcr_tail_result;

/* hedge_ratio: optimize (run/optimize.h): the ratio chosen on the pilot, its 95% bootstrap
 * interval, the objective's value there on the pilot, and what was minimised. */
typedef struct mcr_ratio_choice {
    int optimized;   /* 0: the strategy's ratio was a number */
    int objective;   /* 0 cvar, 1 var, 2 variance (strategies/hedge_params.h) */
    double level;    /* of cvar and var */
    double ratio, lo, hi, pilot_value;
    int pilot_paths, evaluations;
} mcr_ratio_choice;

typedef struct mcr_diff {
    char baseline[MCR_NAME_MAX]; /* "" when there is no comparison (a single strategy) */
    double mean, mean_se, mean_se_unpaired;
    mcr_diff_row risk[MCR_MAX_LEVELS];
    int n_levels;
} mcr_diff;

/* A fixed-bin histogram of one cell's P&L, always computed (also when run.keep_pnl is false, when
 * it is what remains of the distribution): MCR_HIST_BINS equal bins between the 0.1% and 99.9%
 * sample quantiles, x_(ceil(0.001 n)) and x_(ceil(0.999 n)). counts[i] holds the values in
 * [edges[i], edges[i+1]), the last bin closed on the right; values below edges[0] (NaN included)
 * are underflow, above edges[bins] overflow, so underflow + sum(counts) + overflow = paths.
 * A function of the sorted sample only: deterministic. */
#define MCR_HIST_BINS 200
#define MCR_HIST_TAIL 0.001

typedef struct mcr_histogram {
    int bins; /* MCR_HIST_BINS, or 0 when absent (a file written without it) */
    double edges[MCR_HIST_BINS + 1];
    uint64_t counts[MCR_HIST_BINS];
    uint64_t underflow, overflow;
} mcr_histogram;

#define MCR_CONVERGENCE_ROWS 4

typedef struct mcr_strategy_result {
    char scenario[MCR_NAME_MAX];
    char strategy[MCR_NAME_MAX];
    mcr_summary summary;        /* of pnl: mean, std, mean_se, the risk table */
    /* Per field with a summary (core/fields.h): stat[f] its mean, or the probability of its event
     * with stat_se[f] the standard error (0 for a mean); 0 for the other fields. NaN when read
     * from a file that does not have the attribute. */
    double stat[MCR_N_FIELDS], stat_se[MCR_N_FIELDS];
    double hedge_effectiveness; /* 1 - Var(pnl) / Var(the baseline field: the book alone) */
    mcr_histogram hist;         /* of pnl (always present) */
    mcr_diff diff;              /* against the baseline strategy */
    mcr_tail_result tail;       /* run.tail's importance-sampled figures (level 0: none) */
    mcr_ratio_choice ratio;     /* hedge_ratio: optimize's choice in this scenario */
    /* With run.target (run/target.h): the standard errors on the first 1/64, 1/16, 1/4 and all
     * of the paths, row r = {paths, mean_se, then var_se and cvar_se per level}; NaN where a
     * prefix is too small. n_convergence: 4, or 0 without a target. */
    double convergence[MCR_CONVERGENCE_ROWS][2 + 2 * MCR_MAX_LEVELS];
    int n_convergence;
    mcr_swept swept;            /* the sweep it came from, if any (config.h) */
    /* The per-path arrays, owned, NULL where not kept (pnl too with keep_pnl false or when read
     * back without it). A run over several ranks holds this rank's share of the paths only. */
    mcr_field_set fields;
    /* run.tail with keep_pnl: on rank 0 (the writer) the P&L of every path of the tail pass
     * (owned), else NULL. */
    double *tail_pnl;
} mcr_strategy_result;

typedef struct mcr_provenance {
    char mcrisk_version[32];
    char git_revision[48];
    char created_utc[32];  /* ISO 8601, e.g. 2026-11-23T22:58:00Z */
    char *config_yaml;     /* owned copy */
    uint64_t seed, paths;
    int steps;
    double horizon_days;
    int threads;
    char isa[16];          /* "scalar" | "avx2" | "avx512" */
    char rng[64];          /* e.g. "pcg32-xsh-rr stream=path" */
    char compiler[64], flags[256];
    int resumed;           /* 1: continued from a checkpoint (mcrisk run --resume), else 0 */
    /* the data files the models read: "market.assets[i].model.data: PATH sha256:HEX", one a
     * line ("" when none) */
    char input_files[2048];
} mcr_provenance;

/* What run.target did: rounds run (0: no target), whether the last met it, and the figure's
 * largest standard error over the scenarios in the last round. */
typedef struct mcr_target_result {
    int rounds, met;
    double se;
} mcr_target_result;

typedef struct mcr_result {
    mcr_provenance prov;
    mcr_target_result target;
    int n_scenarios, n_strategies;
    mcr_strategy_result *cells; /* [scenario * n_strategies + strategy], owned */
    double seconds;             /* wall time of the simulation (summed over resumed sessions) */
    /* mcr_run was stopped (mcr_run_options.stop) before the end: no cell is filled, only
     * prov.paths and paths_done are set, and the checkpoint holds the work done. */
    int stopped;
    uint64_t paths_done; /* when stopped: paths finished, summed over the scenarios */
    /* run.sample_paths: the prices of the first n_sample paths at every step, per scenario,
     * sample_paths[scenario][(asset * n_sample + path) * (steps + 1) + t]; NULL when none. */
    int n_sample, sample_assets;
    double *sample_paths[MCR_MAX_SCENARIOS];
    /* run.tail with keep_pnl: on rank 0 each scenario's likelihood-ratio weights of every path
     * of the tail pass (owned), else NULL. */
    double *tail_weight[MCR_MAX_SCENARIOS];
} mcr_result;

static inline mcr_strategy_result *mcr_result_cell(const mcr_result *r, int scenario, int strategy)
{
    return &r->cells[scenario * r->n_strategies + strategy];
}

/* A cell's P&L per path (NULL when not kept). */
static inline double *mcr_cell_pnl(const mcr_strategy_result *c)
{
    return (double *)c->fields.at[MCR_FIELD_PNL];
}

void mcr_result_free(mcr_result *r);
/* Free a cell's per-path arrays (pnl and detail), leaving its summaries. */
void mcr_strategy_result_free_detail(mcr_strategy_result *c);

#endif
