/* mcr_result: everything a run produces, in memory, in the shape of the HDF5 layout 1 contract:
 * provenance at the root, then per scenario and strategy the summary figures, the risk table
 * (one row per confidence level) and, when kept, the per-path P&L in global path order. */
#ifndef MCR_RESULT_H
#define MCR_RESULT_H

#include <stdint.h>

#include "config.h"

typedef struct mcr_risk_row {
    double level;   /* confidence, e.g. 0.99 */
    double var;     /* VaR: positive number for a loss */
    double var_se;  /* standard error of var */
    double cvar;    /* CVaR (expected shortfall), positive for a loss */
    double cvar_se;
} mcr_risk_row;

typedef struct mcr_summary {
    double mean, std, mean_se;
    double p_liquidation, p_liquidation_se;
    mcr_risk_row risk[MCR_MAX_LEVELS];
    int n_levels;
} mcr_summary;

typedef struct mcr_strategy_result {
    char scenario[MCR_NAME_MAX];
    char strategy[MCR_NAME_MAX];
    mcr_summary summary;
    double *pnl; /* [paths], owned; NULL when keep_pnl is false or when read back without it */
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
    char compiler[64], flags[128];
} mcr_provenance;

typedef struct mcr_result {
    mcr_provenance prov;
    int n_scenarios, n_strategies;
    mcr_strategy_result *cells; /* [scenario * n_strategies + strategy], owned */
    double seconds;             /* wall time of the simulation */
} mcr_result;

static inline mcr_strategy_result *mcr_result_cell(const mcr_result *r, int scenario, int strategy)
{
    return &r->cells[scenario * r->n_strategies + strategy];
}

void mcr_result_free(mcr_result *r);

#endif
