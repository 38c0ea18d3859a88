/* The strategy engine's workspace as its files share it (hedge.c: the workspace and the steps of
 * a block; hedge_step.c: one strategy's step; net_greeks.c: the net greeks' samples; hedge_end.c:
 * the horizon's components and outputs). Internal to strategies/. */
#ifndef MCR_HEDGE_WORK_H
#define MCR_HEDGE_WORK_H

#include "book_greeks.h"
#include "hedge.h"
#include "holdings.h"
#include "venue_legs.h"

#define NP MCR_NP

/* A strategy's own state beyond its parts': the net greeks' running sums. */
typedef struct strategy_state {
    double greek[3][NP];
    int greek_samples;
} strategy_state;

/* What a workspace's layout depends on: a plan of the same shape can reuse it. */
typedef struct work_shape {
    int n_parts, n_strategies, window[MCR_MAX_SIM_ASSETS];
    int rolls[MCR_MAX_STRATEGIES * MCR_MAX_PARTS]; /* each part's roll_slots */
} work_shape;

struct mcr_hedge_work {
    work_shape shape;                    /* of the plan it was made for */
    const mcr_hedge_plan *plan;          /* &own */
    mcr_hedge_plan own; /* the plan as this workspace runs it: its venue has the ISA's kernels */
    const mcr_kernels *k;
    uint64_t first;
    double last[MCR_MAX_SIM_ASSETS][NP]; /* S at the previous step */
    double book_cash[NP];                /* book option settlements carried to T */
    double book_coin[MCR_MAX_SIM_ASSETS][NP]; /* coin-settled book options' payoffs, coin */
    double book_fee[NP], book_fee_coin[MCR_MAX_SIM_ASSETS][NP]; /* their delivery fees (<= 0) */
    mcr_book_greeks greeks;              /* the book's delta per chunk, greeks scratch */
    double s0[MCR_MAX_SIM_ASSETS][NP], log_s0[MCR_MAX_SIM_ASSETS][NP]; /* prices at t = 0 */
    mcr_holdings hold;                   /* the book's path-dependent positions, oracles */
    mcr_venue_paths venue_paths;         /* each venue's default step per path */
    bool fused[MCR_MAX_PLANNED_PARTS];   /* the part runs fused (hedge_run.c) after t = 0 */
    bool any_fused;
    bool quiet[MCR_MAX_STRATEGIES]; /* after t = 0 it only settles option legs at their expiry */
    strategy_state *strategies;          /* [n_strategies] */
    mcr_part_state parts[];              /* [n_parts], then every part's rolled generations */
};
/* Prices of asset a at the step under way: this step's, the previous, ln S. */
typedef struct step_prices {
    const double *s[MCR_MAX_SIM_ASSETS], *prev[MCR_MAX_SIM_ASSETS], *log_s[MCR_MAX_SIM_ASSETS];
    const double *delta[MCR_MAX_SIM_ASSETS]; /* the book's delta this step */
    const double *oracle[MCR_MAX_SIM_ASSETS]; /* what DeFi rules read (holdings.h) */
} step_prices;

/* The price a part's position trades, is marked and margined at: the perpetual's mark with a
 * basis (perp.basis), else the hedge asset's spot; and the same at the previous step. */
static inline const double *mcr_price_of(const mcr_part_plan *pp, const mcr_part_state *o,
                                         const step_prices *x)
{
    return pp->marked ? o->mark : x->s[pp->hedge_asset];
}

static inline const double *mcr_prev_price_of(const mcr_part_plan *pp, const mcr_part_state *o,
                                              const step_prices *x)
{
    return pp->marked ? o->mark_prev : x->prev[pp->hedge_asset];
}

/* Step t of strategy r: legs, carry and isolated margin of each part, the pooled margin under
 * cross margin, then each part's trades (hedge_step.c). */
void mcr_strategy_step(mcr_hedge_work *w, const mcr_strategy_run *r, int t, const step_prices *x);
/* An on-chain part's trades since `before` (its trade counts then), one transaction each. */
void mcr_pay_gas(const mcr_hedge_plan *p, mcr_part_state *o, int t, const uint32_t *before);
/* Whether part pp of strategy r trades on its schedule at step t >= 1 (hedge_step.c). */
bool mcr_rebalances_at(const mcr_hedge_plan *p, const mcr_part_plan *pp, int t);
/* Whether part pp of strategy r is stepped by fused runs (hedge_run.c). */
bool mcr_part_fuses(const mcr_hedge_plan *p, const mcr_strategy_run *r, const mcr_part_plan *pp);
/* The fused parts' steps t0 + k0 + 1 .. t0 + k0 + n of a chunk (mcr_hedge_steps' rows). */
void mcr_hedge_runs(mcr_hedge_work *w, int t0, int k0, int n, const double *const *price,
                    const double *const *log_price, int stride);
/* The net greeks of every strategy sampled at step t (net_greeks.c). */
void mcr_sample_greeks(mcr_hedge_work *w, int t, const step_prices *x);

#endif
