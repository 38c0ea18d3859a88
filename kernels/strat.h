/* The strategy kernels: the per-step loops of the strategy engine (strategies/hedge.c) and of the
 * position kinds (instruments/) over the paths of a block, compiled per ISA like the path kernels:
 * one source (kernels/simd/strat_simd.c) for AVX2 and AVX-512, and the scalar reference
 * (kernels/ref/strat_ref.c). They work on plain structure-of-arrays rows of MCR_BLOCK_PATHS
 * doubles, with branch-free selects, so the layers above keep their own state types.
 *
 * Numbers. The vector sources are compiled without floating-point contraction
 * (-ffp-contract=off) and spell every expression in the reference's order, so each lane performs
 * exactly the reference's IEEE operations: every kernel is bitwise the scalar reference, except
 * where it calls exp (SLEEF u10, <= 1 ulp): the greeks' phi(d1) and the normal CDF beyond 8 sd
 * (kernels/ncdf.h; bitwise the reference below), so the option kernels agree with the reference
 * to ~1e-15 relative, as the table's norm_cdf and exp do. */
#ifndef MCR_STRAT_H
#define MCR_STRAT_H

#include <stdbool.h>
#include <stdint.h>

#include "models/vol_surface.h"

/* Steps one leg_delta call takes (the engine's chunk, strategies/hedge.h). */
#define MCR_STRAT_ROWS 32

/* An option leg's Black-Scholes terms on a smile slice at `rows` times to expiry (one per step
 * of a chunk; one for greeks): d1 = (m + (r + vol^2 / 2) tau) / (vol sqrt(tau)), m = ln(S/K),
 * vol = the slice's vol at x = (-m - r tau) / sqrt(tau) (models/vol_surface.h). */
typedef struct mcr_leg_terms {
    double rate, quantity;
    double put_shift; /* -1 for a put (delta N(d1) - 1), 0 for a call */
    double log_k;     /* ln K, unless per-path strikes are given */
    int rows;
    double tau[MCR_STRAT_ROWS], sq[MCR_STRAT_ROWS], inv_sq[MCR_STRAT_ROWS]; /* sqrt(tau), 1/. */
    mcr_vol_slice slice[MCR_STRAT_ROWS];
} mcr_leg_terms;

/* A flat slice (no skew, no smile: the vol is the same at every path) as the option kernels
 * read it: d1 = (m + drift) x inv_vol_sq at row k, one addition and one multiplication per path
 * (the general slice divides by its per-path vol sqrt(tau)). Shared by the scalar reference and
 * the vector source, so both take the same constants. */
static inline bool mcr_leg_row_flat(const mcr_leg_terms *c, int k, double *drift,
                                    double *inv_vol_sq)
{
    const mcr_vol_slice *v = &c->slice[k];
    if (v->skew != 0.0 || v->smile != 0.0)
        return false;
    double vol = mcr_vol_slice_vol(v, 0.0);
    *drift = (c->rate + 0.5 * vol * vol) * c->tau[k];
    *inv_vol_sq = 1.0 / (vol * c->sq[k]);
    return true;
}

/* A position's per-path state as rows the kernels update: units held (spot, linear perpetual) or
 * USD notional (inverse), the margin account (quote, or coin for the inverse), the quote flows
 * carried to the horizon and the coin flows by component, and the coin held (inverse). */
typedef struct mcr_units_rows {
    double *q, *account, *hedge, *funding, *yield, *fees, *slippage, *financing, *traded;
    double *coin_hedge, *coin_funding, *coin_fees, *coin_slippage, *coin_held;
    uint32_t *trades;
    const int32_t *liq_step; /* >= 0: liquidated, out until re-opened */
} mcr_units_rows;

/* The constants of one step of carry, trade or margin check. */
typedef struct mcr_step_terms {
    double g;               /* the step's growth factor to the horizon */
    double yield;           /* collateral yield of the step (x g), on a positive account; 0: none */
    double financing, borrow; /* spot: interest on the cash, a short's borrow fee (x g); 0: none */
    double fee_rate, slip_rate, impact, impact_notional; /* trades (costs, as fractions) */
    bool top_up;            /* a margined trade tops the account up to initial x notional */
    double initial;
    double collateral;      /* the quote collateral's value (1, or a depeg's price) */
    bool coin;              /* coin-margined (inverse): notional |q| / S in coin */
    bool exchange;          /* margin.liquidation exchange: the fee is what is left of the account */
    double liquidation_fee; /* else the fee per unit of notional */
    const double *maintenance, *amount; /* the maintenance tiers: MM(x) = max (x m_i - A_i) */
    int n_tiers;
} mcr_step_terms;

/* The constants of one step of bench's W3 floor (kernels/hedge_floor.h): funding rate of the
 * step (0: none), fee rate, whether the hedge trades; d1 = (ln S - log_k + drift) x inv_vol_sq;
 * N(d1) linear between the table's points x_j = table_lo + j / table_scale, j < table_n. */
typedef struct mcr_floor_terms {
    double rate, fee_rate;
    bool trade;
    double log_k, drift, inv_vol_sq;
    const double *table;
    double table_lo, table_scale;
    int table_n;
} mcr_floor_terms;

/* A run of steps of a units position (a linear perpetual, or spot) in one pass over the block:
 * each step t = t0 + 1 + k (k < n) is what the engine does step by step, in its order: the carry
 * (carry_linear with rate[k], or carry_spot), the isolated margin check (check: margin, and on
 * the paths hit liquidate with no cover, their insurance fund's share and count), re-opening the
 * liquidated paths reopen_steps later (reopen[k]), and the trade (trade_units) of the paths on
 * the schedule (trade[k]: all, or banded: those whose net delta, with the position's own q, is
 * beyond the band) or re-opening, to target -ratio x delta (x sa / s: a cross hedge). The
 * position's state stays in registers across the run. Lanes never look at each other: a trade's
 * arithmetic on a lane that does not trade (dq = 0) changes no bit when prices are finite, which
 * is why a lane need not know whether another path of the block trades. */
typedef struct mcr_run_terms {
    int n;          /* steps, <= MCR_STRAT_ROWS */
    int32_t t0;     /* the step before the run */
    int stride;     /* between the steps' price rows */
    bool linear;    /* a linear perpetual's carry; else spot's */
    bool check;     /* the isolated margin check at every step */
    bool banded;    /* trade[k] trades the paths beyond the band only */
    int32_t reopen_steps;
    double ratio;   /* target = -ratio x delta (x sa / s) */
    double beta, band, band_pct;
    const double *s;      /* the traded price at step k: s[k * stride + i] */
    const double *s_prev; /* the traded price before the run */
    const double *sa;     /* a cross hedge: the book asset's price, as s; else NULL */
    const double *delta;  /* the book's delta at step k: delta[k * MCR_BLOCK_PATHS + i] */
    mcr_step_terms c;     /* costs, top_up, initial and margin terms; g and yield per step */
    double g[MCR_STRAT_ROWS], yield[MCR_STRAT_ROWS], collateral[MCR_STRAT_ROWS];
    double financing[MCR_STRAT_ROWS], borrow[MCR_STRAT_ROWS]; /* spot's carry */
    const double *rate[MCR_STRAT_ROWS]; /* the step's funding rates, NULL: none */
    bool trade[MCR_STRAT_ROWS], reopen[MCR_STRAT_ROWS];
    const double *log_s; /* ln of the traded price, as s (what the position kind's funding reads) */
    double rates[MCR_STRAT_ROWS][MCR_BLOCK_PATHS]; /* room for rate[k] */
} mcr_run_terms;

/* The rows a run updates besides the position's (u): liquidations and their bookkeeping. */
typedef struct mcr_run_rows {
    mcr_units_rows u;
    double *insurance, *seized;
    int32_t *liq_step, *liq_first;
    uint32_t *liquidations;
} mcr_run_rows;

typedef struct mcr_strat_kernels {
    /* delta[k * MCR_BLOCK_PATHS + i] += quantity x (Phi(d1) + put_shift) at row k, path i, with
     * ln S = log_s[k * stride + i] (the book's delta over a chunk of steps). */
    void (*leg_delta)(const mcr_leg_terms *c, const double *restrict log_s, int stride,
                      double *restrict delta);
    /* Row 0 of c at every path: out[0] += q (Phi(d1) + put_shift), out[1] += q phi(d1) /
     * (S vol sqrt(tau)), out[2] += q S phi(d1) sqrt(tau) (delta, gamma, vega); ln K per path from
     * log_k (a rolled generation's strikes), or c->log_k when log_k is NULL. */
    void (*leg_greeks)(const mcr_leg_terms *c, const double *restrict log_k,
                       const double *restrict s, const double *restrict log_s,
                       double *restrict out_delta, double *restrict out_gamma,
                       double *restrict out_vega);
    /* A linear perpetual's step from s_prev to s: variation margin q (s - s_prev), funding
     * -q s rate (rate NULL: no funding time in the step), both into the account and carried by
     * g into hedge and funding; then the collateral yield on a positive account. */
    void (*carry_linear)(const mcr_step_terms *c, const mcr_units_rows *u,
                         const double *restrict s, const double *restrict s_prev,
                         const double *restrict rate);
    /* Trade the paths where go is set and that are not liquidated to `target` units at s: fees
     * fee_rate x notional and slippage (slip_rate + impact sqrt(notional / impact_notional)) x
     * notional carried by g, a trade counted where units changed, the traded notional summed;
     * then (initial > 0) those paths' accounts topped up to initial x |q| s. */
    void (*trade_units)(const mcr_step_terms *c, const mcr_units_rows *u,
                        const double *restrict s, const double *restrict target,
                        const bool *restrict go);
    /* A spot hedge's step: q (s - s_prev) carried by g into hedge, the interest on the cash that
     * bought it (q s_prev x financing) and a short's borrow fee (-q s_prev x borrow, when borrow
     * > 0) out of financing. */
    void (*carry_spot)(const mcr_step_terms *c, const mcr_units_rows *u,
                       const double *restrict s, const double *restrict s_prev);
    /* An inverse perpetual's step in coin: variation margin q (1/s_prev - 1/s), funding
     * -q rate / s, both into the coin held, the account and the coin flows; then the collateral
     * yield (quote, at s) on a positive account. */
    void (*carry_inverse)(const mcr_step_terms *c, const mcr_units_rows *u,
                          const double *restrict s, const double *restrict s_prev,
                          const double *restrict rate);
    /* An inverse perpetual's trade to the notional whose delta with the coin held (and the coin
     * a top-up buys) is `target` coins: fees and slippage in coin; then (top_up) the accounts
     * topped up to initial x |q| / s with coin bought with cash. */
    void (*trade_inverse)(const mcr_step_terms *c, const mcr_units_rows *u,
                          const double *restrict s, const double *restrict target,
                          const bool *restrict go);
    /* A perpetual's isolated margin at s: equity (account x collateral), the tiered maintenance
     * requirement of the notional (|q| s, or |q| / s coin) and the liquidation fee. */
    void (*margin)(const mcr_step_terms *c, const double *restrict q,
                          const double *restrict account, const double *restrict s,
                          double *restrict equity, double *restrict need, double *restrict fee);
    /* A hedge's target units: -ratio x delta, or for a cross hedge (sa, sh not NULL: the
     * book's and the hedged asset's prices) -ratio x delta x sa / sh. */
    void (*hedge_target)(double ratio, const double *restrict delta, const double *restrict sa,
                         const double *restrict sh, double *restrict target);
    /* The band test of a rebalance: go where |book + hd| > band + band_pct |book|, book = delta
     * or (cross) beta x delta x sa / sh; hd the hedge's own delta. */
    void (*band_test)(double beta, double band, double band_pct, const double *restrict delta,
                      const double *restrict sa, const double *restrict sh,
                      const double *restrict hd, bool *restrict go);
    /* The margin check: hit where a position is open (q != 0) and equity < need (or either is
     * NaN). Whether any path is hit. */
    bool (*margin_hits)(const double *restrict q, const double *restrict equity,
                        const double *restrict need, bool *restrict hit);
    /* Liquidate the paths where hit is set at step t (position.h's liquidate): the fee (fee_of
     * below), the deficit beyond the account forgiven (booked as a gain), cover[i] (NULL: none)
     * of it seized from the book's coins; the position and account emptied, liq_step = t. Quote
     * (linear: flows x g into fees and hedge, seized cover / s coins) or coin (c->coin, inverse:
     * flows into the coin rows and the coin held, seized cover). Other paths are left bitwise. */
    void (*liquidate)(const mcr_step_terms *c, const mcr_units_rows *u, int32_t t,
                      const double *restrict s, const bool *restrict hit,
                      const double *restrict cover, double *restrict seized,
                      int32_t *restrict liq_step);
    /* Cross margin, one margined part pooled into its strategy's rows, in quote currency (to
     * quote: x spot[i] for a coin account, as is when spot is NULL): equity += e, need += m,
     * left += rest and deficits += max(-rest, 0) with rest = account - fee, open |= q != 0. */
    void (*cross_pool)(const double *restrict e, const double *restrict m,
                       const double *restrict fee, const double *restrict account,
                       const double *restrict q, const double *restrict spot,
                       double *restrict equity, double *restrict need, double *restrict left,
                       double *restrict deficits, bool *restrict open);
    /* The pooled check: hit where open and !(equity + collateral >= need); where hit, the
     * book's coins cover min(pooled, collateral) of the pooled deficit (max(-left, 0)) and the
     * parts' own deficits beyond it are charged (deficits - pooled); 0 elsewhere. Whether any
     * path is hit. */
    bool (*cross_hits)(const double *restrict equity, const double *restrict need,
                       const double *restrict collateral, const double *restrict left,
                       const double *restrict deficits, const bool *restrict open,
                       bool *restrict hit, double *restrict cover, double *restrict charge);
    /* Auto-deleveraging (strategies/adl.c): hit where the position is open (q != 0, not
     * liquidated, posted > 0) in profit (account - posted > 0) and its score, profit / posted x
     * notional / account with the notional |q| s (or |q| / s coin), is >= min_score. Whether any
     * path is hit. */
    bool (*adl_hits)(bool coin, double min_score, const double *restrict q,
                     const double *restrict account, const double *restrict posted,
                     const int32_t *restrict liq_step, const double *restrict s,
                     bool *restrict hit);
    /* Premium funding (models/basis.h, mode premium): rate[i] = the sum over the n funding
     * times of clamp(basis[i] x hours / 8 + interest[k], -cap, cap). */
    void (*premium_rates)(int n, const double *restrict interest, double hours, double cap,
                          const double *restrict basis, double *restrict rate);
    /* An option leg settling at s: x = quantity x max(call ? s - strike : strike - s, 0) into
     * usd (x g) or, for a coin-settled leg (coin != NULL), into coin (x / s). */
    void (*settle_leg)(double quantity, double strike, bool call, double g,
                       const double *restrict s, double *restrict usd, double *restrict coin);
    /* A run of steps of a units position (mcr_run_terms above). */
    void (*run_units)(const mcr_run_terms *c, const mcr_run_rows *rows);
    /* bench's W3 floor (not the engine's): a perpetual of q units hedging a short call carried
     * from s_prev to s (q (s - s_prev) - q s rate into gains), then, where c->trade, traded to
     * N(d1) from the table paying fee_rate |dq| s out of costs; s_prev = s. */
    void (*hedge_floor)(const mcr_floor_terms *c, const double *restrict s,
                        const double *restrict log_s, double *restrict s_prev, double *restrict q,
                        double *restrict gains, double *restrict costs);
    /* The end of a block, one part of a strategy: for every component c < n and path i,
     * v = part_comp[c][i] + part_coin[c][i] x s[i] (its quote flows and its coin flows at S_T);
     * comp[c][i] = v for the strategy's first part, else comp[c][i] + v. Rows of
     * MCR_BLOCK_PATHS. */
    void (*end_part)(int n, const double *restrict part_comp, const double *restrict part_coin,
                     const double *restrict s, bool first, double *restrict comp);
    /* out[i] = ((0 + rows[0][i]) + rows[1][i]) + ... + rows[n - 1][i]: the total of a
     * strategy's components (rows of MCR_BLOCK_PATHS). */
    void (*row_sum)(int n, const double *restrict rows, double *restrict out);
} mcr_strat_kernels;

#endif
