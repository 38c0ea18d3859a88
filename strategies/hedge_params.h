/* The keys of the position hedges (perp_hedge, delta_hedge): how much of the book's delta is
 * hedged, on which asset's market (a cross hedge), with which beta, and the yield on posted
 * margin. */
#ifndef MCR_HEDGE_PARAMS_H
#define MCR_HEDGE_PARAMS_H

#include "strategy.h"

typedef struct mcr_hedge_params {
    double hedge_ratio;      /* fraction of the book's delta hedged */
    double collateral_yield; /* per year on posted margin */
    int hedge_asset;         /* the asset traded; -1: the part's asset */
    double beta;             /* the hedge asset's units per unit of the asset, value for value */
    int beta_auto;           /* beta: auto, the minimum-variance ratio at t0 */
    struct {
        double after_hours;  /* -1 (the default): never */
    } reopen;                /* a liquidated perpetual re-opens after_hours later */
    int ratio_optimize;      /* hedge_ratio: optimize (run/optimize.h) */
    int objective;           /* MCR_OBJECTIVE_*: what the optimized ratio minimises */
    double level;            /* of the var and cvar objectives */
    int pilot_paths;         /* the search's paths */
    double max_ratio;        /* the search's bracket: (0, max_ratio) */
    char venue[MCR_NAME_MAX]; /* where the position and its account sit ("": nowhere that fails) */
    int venue_index;          /* set by the check: an index into cfg->venues, -1 none */
    bool onchain;             /* every trade is an on-chain transaction paying gas */
} mcr_hedge_params;

enum { MCR_OBJECTIVE_CVAR, MCR_OBJECTIVE_VAR, MCR_OBJECTIVE_VARIANCE };

extern const mcr_key mcr_hedge_keys[];

/* The book must hold the part's asset: a hedge of an asset it does not hold, without a
 * hedge_asset, would silently do nothing. Resolves the venue (h->venue_index). */
mcr_status mcr_hedge_check(const mcr_part *part, mcr_hedge_params *h, const mcr_config *cfg,
                           const char *path, mcr_error *err);

/* The position's target terms in `out`: hedge asset, ratio, beta (auto: rho sigma_a / sigma_h
 * from the models' total volatilities over the horizon and market.correlation), yield, venue,
 * on-chain trading. */
void mcr_hedge_plan_terms(const mcr_part *part, const mcr_hedge_params *h,
                          const mcr_plan_env *env, mcr_part_plan *out);

/* beta: auto of asset a on hedge asset h. */
double mcr_hedge_beta_auto(const mcr_config *cfg, int a, int h);

#endif
