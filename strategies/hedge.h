/* The strategy engine: the book and every strategy evaluated path by path on the same simulated
 * prices (common random numbers). A plan is prepared once per scenario (the book, every part's
 * legs and position rule from its kind, funding times, growth factors, the scenario's surfaces
 * and costs); each thread then owns a workspace and feeds it chunks of prices block by block. No
 * allocation, I/O or dispatch per step: the position kinds' operations (instruments/position.h)
 * are called once per part and step on a block of paths.
 *
 * Accounting: every cash flow at step t is carried to the horizon at `rate` (growth factor
 * g_t = e^{r (T - t dt)}); flows in coin (inverse perpetuals) are held as coin and converted at
 * the traded asset's S_T. The P&L of a strategy is the book's P&L plus every part's components,
 * which add up exactly. */
#ifndef MCR_HEDGE_H
#define MCR_HEDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fields.h"
#include "kernels/kernels.h"
#include "strategy.h"
#include "venue_failure.h"

/* Most steps mcr_hedge_steps takes at once. */
#define MCR_HEDGE_CHUNK 32
#define MCR_MAX_PLANNED_PARTS (MCR_MAX_STRATEGIES * MCR_MAX_PARTS)

/* A strategy as the engine runs it: its parts, in plan.parts[first .. first + n). */
typedef struct mcr_strategy_run {
    int first, n;
    int asset;  /* the primary asset (its first part's): net greeks are measured on it */
    bool cross; /* cross margin: its perpetual accounts and the book's spot are one account */
    unsigned venues; /* bit v: the book or one of its parts sits at venue v */
} mcr_strategy_run;

/* Per scenario, read-only, shared by all threads. */
typedef struct mcr_hedge_plan {
    const mcr_config *cfg;
    int n_assets, steps;
    double dt, horizon, rate;
    double spot0[MCR_MAX_ASSETS];
    mcr_book book;
    mcr_venue venue;
    mcr_vol_surface surface[MCR_MAX_ASSETS]; /* the scenario's: options are marked on it */
    mcr_part_plan *parts;                     /* [n_parts] */
    int n_parts;
    mcr_strategy_run strategies[MCR_MAX_STRATEGIES];
    int n_strategies;
    bool delta_needed[MCR_MAX_ASSETS]; /* a position hedge needs the book's delta every step */
    int greek_every;  /* steps between samples of the net greeks (every strategy alike) */
    bool needs_path;  /* some strategy or option acts before the horizon: feed every step */
    int no_trade_from, no_trade_to; /* rebalancing hedges do not trade at steps in [from, to) */
    mcr_venue_plan venues; /* venues that can fail; used: where the book or a part sits */
    unsigned book_venues;  /* bit v: a holding or an option of the book sits at venue v */
    unsigned book_leg_venues; /* bit v: an option of the book is held at venue v */
    /* owned by the plan: the venue's arrays */
    double *growth;
    uint8_t *funding_count;
    int *funding_first;
    double *funding_rate;
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
/* Point w at plan p (another call's plan of the same config, e.g. a backtest's next day) so its
 * buffers serve again; false, w unchanged, when p needs another layout (parts, strategies, rolled
 * generations, oracle rings). Every block starts with mcr_hedge_begin, which sets all state. */
bool mcr_hedge_work_rebind(mcr_hedge_work *w, const mcr_hedge_plan *p, const mcr_kernels *k);

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
