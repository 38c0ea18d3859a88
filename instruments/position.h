/* What instruments operate on, path by path: the venue of a scenario (costs, funding schedule,
 * margin rules, carry factors), the state of one strategy part over the paths of a block
 * (structure of arrays, so every per-step loop is straight-line code over the paths), and the
 * operations of a position kind (spot, linear or inverse perpetual) on that state.
 *
 * Accounting (every kind): a cash flow at step t is carried to the horizon at the cash rate
 * (growth factor g_t = e^{r (T - t dt)}) into comp[component]; flows in coin (inverse
 * perpetuals) are held as coin in coin[component] and converted at the hedge asset's S_T. */
#ifndef MCR_POSITION_H
#define MCR_POSITION_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "core/fields.h"
#include "kernels/kernels.h"
#include "kernels/pcg32.h"

#define MCR_NP MCR_BLOCK_PATHS
#define MCR_ROLL_LEGS 4 /* legs of one generation (strategy.h's MCR_MAX_LEGS) */
/* liq_step of a path whose position's venue failed: like a liquidated path it trades no more,
 * and it never re-opens (reopen counts steps from liq_step) */
#define MCR_LEFT_VENUE INT32_MAX
#define MCR_POSITION_VARS 5   /* per-path variables of a position kind's own */
#define MCR_POSITION_CONSTS 16 /* constants of a position kind's own */

/* A scenario's trading environment, shared read-only by every part and path. */
typedef struct mcr_venue {
    int steps;
    double dt, rate;
    const double *growth;          /* [steps + 1]: g_t = e^{r (T - t dt)} */
    /* Funding: the funding times falling in step t ((t - 1) dt, t dt] are funding_count[t] of
     * them, from index funding_first[t] of funding_rate (the scenario's rate per interval at
     * each funding time: funding.rate shifted, or its funding path). */
    const uint8_t *funding_count;  /* [steps + 1] */
    const int *funding_first;      /* [steps + 1] */
    const double *funding_rate;    /* [funding times] */
    mcr_funding funding;           /* mode, beta, noise, cap */
    mcr_costs costs;               /* with the scenario's slippage and impact multipliers */
    mcr_margin margin;
    mcr_margin_tiers tiers;        /* the maintenance requirement (margin.tiers, or one tier) */
    bool basis;                    /* perp.basis: perpetuals trade at their mark */
    mcr_basis_step basis_step;
    int depeg_from, depeg_to;      /* the scenario's depeg window in steps, [from, to) */
    double depeg_price;            /* the quote collateral's value inside it (1: none) */
    int adl_from, adl_to;          /* the scenario's adl window in steps, [from, to) (margin.adl) */
    double adl_min_score;          /* the ADL score from which a position is deleveraged */
    uint64_t seed;
    /* The strategy kernels the position kinds run their per-step loops with: the scalar
     * reference in the plan, each thread's ISA's in its workspace (strategies/hedge.c). */
    const mcr_strat_kernels *k;
} mcr_venue;

/* One generation of a rolling option programme over the paths of a block (strategies/roll.c):
 * opened at step `open`, settled at step `expiry` (steps + 1: it outlives the horizon; 0: the
 * slot is free), struck path by path (strikes are relative to each path's spot at `open`). */
typedef struct mcr_roll_gen {
    int32_t open, expiry;
    double strike[MCR_ROLL_LEGS][MCR_NP];
} mcr_roll_gen;

/* One strategy part over the paths of a block: its option legs' and position's flows, the
 * position and its margin account. Every row starts on a cache line (the _Alignas below; the
 * workspace's parts[] follow from the struct's alignment): the strategy kernels load whole
 * vectors of a row, and an AVX-512 load straddling two lines costs about as much as two, which
 * took AVX-512's lead over AVX2 away in the carry and band kernels. */
typedef struct mcr_part_state {
    _Alignas(64) double q[MCR_NP]; /* position: units (spot, linear perp) or USD notional
                                   * (inverse) */
    double account[MCR_NP];   /* margin account: quote (linear) or coin (inverse) */
    double coin_held[MCR_NP]; /* coin owned (inverse): collateral plus coin flows */
    double comp[MCR_N_COMPONENTS][MCR_NP]; /* quote flows carried to the horizon */
    double coin[MCR_N_COMPONENTS][MCR_NP]; /* coin flows by component, converted at S_T */
    double seized[MCR_NP];    /* book coins seized by a cross-margin liquidation (valued at S_T) */
    double traded[MCR_NP];    /* traded notional, quote currency */
    double interval_log[MCR_NP]; /* ln S at the last funding time (stochastic funding) */
    double leg_coin[MCR_NP];  /* coin-settled option legs: payoffs less delivery fees, in coin
                               * of the part's asset (valued at its S_T) */
    double leg_fee_coin[MCR_NP]; /* their delivery fees, coin (<= 0) */
    double close_cost[MCR_NP]; /* costs.close_at_horizon: the cost of closing, quote at T */
    double insurance[MCR_NP];  /* deficits beyond the account the insurance fund paid, quote */
    double liq_price0[MCR_NP]; /* the isolated liquidation price of the position opened at t0 */
    double basis[MCR_NP], mark[MCR_NP], mark_prev[MCR_NP]; /* perp.basis: b_t, S (1 + b_t) */
    double roll_premium_coin[MCR_NP]; /* coin premiums of rolled coin-settled legs (<= 0 paid) */
    double posted[MCR_NP];    /* margin posted since the position opened (margin.adl's profit) */
    int32_t rolls;       /* generations of the rolling programme opened so far */
    int32_t legs_closed; /* t0's option legs were sold at a roll (close_on_roll) */
    /* a position kind's own per-path variables (zero at the block's start), e.g. a re-centred
     * LP range (strategies/lp_rebalance.c) */
    _Alignas(64) double var[MCR_POSITION_VARS][MCR_NP];
    int32_t liq_step[MCR_NP]; /* step of the liquidation, -1: none (or re-opened since) */
    int32_t liq_first[MCR_NP]; /* step of the first liquidation, -1: none */
    int32_t adl_first[MCR_NP]; /* step of the first auto-deleveraging, -1: none */
    uint32_t liquidations[MCR_NP];
    uint32_t trades[MCR_NP];
    uint32_t onchain_txs[MCR_NP]; /* on-chain transactions, each paying costs.gas_per_tx */
    mcr_pcg32 noise[MCR_NP];  /* funding noise, one draw per funding time */
    mcr_pcg32 basis_noise[MCR_NP]; /* the basis's own shock, one draw per step */
    /* the rolling programme's generations open at once, [the part plan's roll_slots], sized
     * from the config (strategies/roll.c) and placed by the workspace, which keeps them */
    mcr_roll_gen *roll;
} mcr_part_state;

/* A position's parameters as its strategy part set them. */
typedef struct mcr_position_params {
    double collateral_yield; /* per year, on posted margin (margined kinds) */
    bool pooled;             /* cross margin: the strategy checks the pooled accounts */
    double kind[MCR_POSITION_CONSTS]; /* a position kind's own constants, set by its plan */
} mcr_position_params;

/* The operations of a position kind on the paths of a block. s, s_prev, log_s are the hedged
 * (traded) asset's prices. */
typedef struct mcr_position_ops {
    bool margined; /* holds a margin account and can be liquidated */
    bool coin;     /* its account and flows are in coin */
    /* Start a block: noise streams of the funding (asset h's market), ln S0 for the funding's
     * return term. */
    void (*begin)(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                  double log_s0);
    /* Mark from s_prev to s over step t (t >= 1): variation margin, funding where funding times
     * fall in the step, financing, collateral yield. */
    void (*carry)(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o, int t,
                  const double *s, const double *s_prev, const double *log_s);
    /* Optional (DeFi kinds acting on a protocol's rules): right after carry at step t >= 1,
     * with every asset's price s[a] and its oracle's oracle[a] (market.assets[].oracle: what a
     * lending protocol's health factor reads). */
    void (*act)(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o, int t,
                const double *const *s, const double *const *oracle);
    /* Optional, for a kind whose delta is its units q: steps r->t0 + 1 .. r->t0 + r->n of carry,
     * isolated margin check and trade in one pass (kernels/strat.h's run_units), as carry,
     * margin, liquidate and trade would take them step by step. The engine has set the
     * strategy's terms of r (prices, schedule, band, re-opening, target); the kind sets its own
     * (carry, funding, costs, margin) and runs it. */
    void (*run)(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                mcr_run_terms *r);
    /* The position's own delta in units of its asset (an inverse perp's coin counted). */
    void (*delta)(const mcr_part_state *o, const double *s, double *out);
    /* Trade every path whose go is set to the target delta `target` (units of the asset), pay
     * fees and slippage, and top the account up to initial margin. Paths liquidated earlier stay
     * out. */
    void (*trade)(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                  const double *target, const bool *go);
    /* Margined kinds: the equity, the maintenance requirement (v->tiers) and the liquidation fee
     * of every path at step t, in the account's currency (quote, or coin for coin-margined
     * kinds); inside the depeg window the quote collateral counts at its depegged value. The
     * fee is liquidation_fee x notional, or under margin.liquidation: exchange the whole
     * account (what is left of it: the exchange takes the position at the bankruptcy price). */
    void (*margin)(const mcr_venue *v, const mcr_part_state *o, int t, const double *s,
                   double *equity, double *requirement, double *fee);
    /* Liquidate the paths where `hit` is set at step t: closed at this step's price less the
     * fee; `cover[i]` (quote) of the deficit beyond the account is taken from the book's coins
     * (cross margin), the rest is forgiven (the exchange's insurance fund). */
    void (*liquidate)(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                      const bool *hit, const double *cover);
    /* Margined kinds: the mark at which the isolated account of every path's position, as it
     * stands at price s, reaches the tiered maintenance requirement (models/margin_tiers.h);
     * 0 for a path without a position. */
    void (*liquidation_price)(const mcr_venue *v, const mcr_part_state *o, const double *s,
                              double *out);
    /* Close every path's position at the horizon (t = steps, s = S_T) paying the costs of a
     * trade, and add them (quote currency) to o->close_cost (costs.close_at_horizon). */
    void (*close)(const mcr_venue *v, mcr_part_state *o, int t, const double *s);
    /* The position's venue fails at step t on the paths hit: the position is closed at s
     * without costs (its gains so far are booked), its account emptied; held gets what sat at
     * the venue, in quote currency at s (an account's equity, coins held there; >= 0; for a
     * position that is a difference to the book's, deleverage's managed loan, the difference of
     * the two, which may be negative). */
    void (*leave)(const mcr_venue *v, mcr_part_state *o, int t, const double *s, const bool *hit,
                  double *held);
} mcr_position_ops;

/* The rows of a part's state that the position kinds' kernels update (kernels/strat.h). */
static inline mcr_units_rows mcr_units_rows_of(mcr_part_state *o)
{
    return (mcr_units_rows){
        .q = o->q, .account = o->account, .hedge = o->comp[MCR_PNL_HEDGE],
        .funding = o->comp[MCR_PNL_FUNDING], .yield = o->comp[MCR_PNL_YIELD],
        .fees = o->comp[MCR_PNL_FEES], .slippage = o->comp[MCR_PNL_SLIPPAGE],
        .financing = o->comp[MCR_PNL_FINANCING], .traded = o->traded,
        .coin_hedge = o->coin[MCR_PNL_HEDGE], .coin_funding = o->coin[MCR_PNL_FUNDING],
        .coin_fees = o->coin[MCR_PNL_FEES], .coin_slippage = o->coin[MCR_PNL_SLIPPAGE],
        .coin_held = o->coin_held, .trades = o->trades, .liq_step = o->liq_step};
}

/* The rows a fused run of a part's position updates (kernels/strat.h). */
static inline mcr_run_rows mcr_run_rows_of(mcr_part_state *o)
{
    return (mcr_run_rows){.u = mcr_units_rows_of(o), .insurance = o->insurance,
                          .seized = o->seized, .liq_step = o->liq_step,
                          .liq_first = o->liq_first, .liquidations = o->liquidations};
}

/* The constants of a perpetual's margin check (the kernels' margin): the tiers, the liquidation
 * fee; the quote collateral at its full value. */
static inline mcr_step_terms mcr_margin_terms(const mcr_venue *v)
{
    return (mcr_step_terms){.collateral = 1.0,
                            .exchange = v->margin.liquidation == MCR_LIQ_EXCHANGE,
                            .liquidation_fee = v->margin.liquidation_fee,
                            .maintenance = v->tiers.maintenance, .amount = v->tiers.amount,
                            .n_tiers = v->tiers.n};
}

#endif
