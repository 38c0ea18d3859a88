/* The strategy engine: the book and every strategy evaluated path by path on the same simulated
 * prices (common random numbers). A plan is prepared once per scenario (option premiums on the
 * implied-vol surface, zero-cost strikes, funding times, growth factors); each thread then owns a
 * workspace and feeds it chunks of prices block by block. No allocation, I/O or dispatch per step.
 *
 * Accounting: every cash flow at step t is carried to the horizon at `rate` (growth factor
 * g_t = e^{r (T - t dt)}); flows in coin (inverse perpetuals) are held as coin and converted at
 * S_T. The P&L of a strategy is the book's P&L plus its components, which add up exactly. */
#ifndef MCR_HEDGE_H
#define MCR_HEDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernels.h"
#include "models/black_scholes.h"
#include "config/config.h"
#include "core/fields.h"

#define MCR_MAX_LEGS 3
/* Most steps mcr_hedge_steps takes at once. */
#define MCR_HEDGE_CHUNK 32


/* A European option held by the book or bought/sold by a strategy. */
typedef struct mcr_leg {
    int asset;
    mcr_payoff payoff;
    double strike;      /* absolute */
    double expiry;      /* years from t0 */
    int expiry_step;    /* settled at this step (payoff), or steps + 1 if it outlives the horizon */
    double quantity;    /* negative = sold */
    double price0;      /* value at t0 on the surface, per unit */
} mcr_leg;

/* Per scenario, read-only, shared by all threads. */
typedef struct mcr_hedge_plan {
    const mcr_config *cfg;
    int n_assets, steps;
    double dt, horizon, rate;
    double spot0[MCR_MAX_ASSETS];
    double book_spot[MCR_MAX_ASSETS]; /* spot quantity of the book per asset */
    mcr_leg book_legs[MCR_MAX_POSITIONS];
    int n_book_legs;
    double book_value0; /* initial mark-to-market of the book */
    struct mcr_overlay {
        const mcr_strategy *strategy;
        mcr_leg legs[MCR_MAX_LEGS];
        int n_legs;
        double premium0;     /* net premium paid at t0 (negative: received) */
        int every_steps;
    } overlays[MCR_MAX_STRATEGIES];
    int n_overlays;
    bool delta_needed[MCR_MAX_ASSETS]; /* a delta hedge needs the book's delta every step */
    int greek_every;  /* steps between samples of the net greeks (every strategy alike) */
    bool needs_path;  /* some strategy or option acts before the horizon: feed every step */
    double *growth;   /* [steps + 1]: g_t = e^{r (T - t dt)} */
    uint8_t *funding; /* [steps + 1]: 1 where a funding time falls in ((t-1) dt, t dt] */
    /* the scenario's view of the config (config.h, mcr_scenario) */
    double *funding_rate; /* [steps + 1]: funding.rate, shifted or from the funding path, at the
                           * funding time of step t */
    mcr_vol_surface surface[MCR_MAX_ASSETS]; /* options are priced, marked and hedged on it */
    mcr_costs costs;                         /* slippage and impact multiplied */
    int no_trade_from, no_trade_to;          /* delta hedges do not trade at steps in [from, to) */
    int depeg_from, depeg_to;                /* the depeg window in steps, [from, to) */
    double depeg_price;                      /* collateral value inside it (1: no depeg) */
} mcr_hedge_plan;

/* What a strategy produced for each path: its per-path fields (core/fields.h), written at the
 * path's global index. */
typedef mcr_field_set mcr_hedge_out;

mcr_status mcr_hedge_plan_init(mcr_hedge_plan *p, const mcr_config *cfg, int scenario,
                               mcr_error *err);
void mcr_hedge_plan_free(mcr_hedge_plan *p);

/* A thread's workspace for one block of paths (allocated once per thread). */
typedef struct mcr_hedge_work mcr_hedge_work;
/* k: the kernel table whose array functions (exp, norm_cdf) the greeks use. */
mcr_hedge_work *mcr_hedge_work_new(const mcr_hedge_plan *p, const mcr_kernels *k);
void mcr_hedge_work_free(mcr_hedge_work *w);

/* Start a block whose first path is global path `first`. */
void mcr_hedge_begin(mcr_hedge_work *w, uint64_t first);
/* Steps t0+1 .. t0+n (n <= MCR_HEDGE_CHUNK): price[a][k * stride + i] = S of asset a, path i
 * after step t0+k+1, and log_price the same for ln S. */
void mcr_hedge_steps(mcr_hedge_work *w, int t0, int n, const double *const *price,
                     const double *const *log_price, int stride);
/* When !plan->needs_path: skip to the horizon, price[a][i] = S_T of asset a, path i (after the
 * t = 0 actions, which mcr_hedge_steps(w, 0, 0, NULL) performs). */
void mcr_hedge_jump(mcr_hedge_work *w, const double *const *price);
/* Close the block at the horizon and write `count` paths of every strategy's outputs. */
void mcr_hedge_end(mcr_hedge_work *w, int count, mcr_hedge_out *out);

#endif
