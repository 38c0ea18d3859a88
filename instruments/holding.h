/* Path-dependent positions of the book (AMM liquidity, later loans): positions whose value is not
 * a function of the price at the horizon alone, because they earn cash flows along the path
 * (pool fees) or change with it (a liquidation). The book holds each as a kind's operations plus
 * the constants fixed at t0, and the engine keeps its per-path variables over a block of paths
 * (structure of arrays), steps it before the strategies act at every step, adds its delta to the
 * book's delta (what delta hedges trade against) and marks it at the horizon.
 *
 * Its P&L is the book's (component `book`, the baseline of hedge effectiveness), so every
 * strategy sees the same holding; what explains it (fees earned, impermanent loss, ...) goes to
 * the book fields (core/fields.h, MCR_FIELD_BOOK_FIRST ..), the same for every strategy. */
#ifndef MCR_HOLDING_H
#define MCR_HOLDING_H

#include <stdbool.h>

#include "position.h"

/* path-dependent positions in one book: each book position adds at most one (an amm_lp, a spot
 * with yield), so a book can never hold more than its positions */
#define MCR_MAX_HOLDINGS MCR_MAX_POSITIONS
#define MCR_HOLDING_VARS 6      /* per-path variables of one holding */
#define MCR_HOLDING_DATA 192    /* bytes of a holding's constants */

/* One holding's variables over the paths of a block. */
typedef struct mcr_holding_state {
    double var[MCR_HOLDING_VARS][MCR_NP];
} mcr_holding_state;

struct mcr_holding;

/* What a holding reports at the horizon for the paths of a block: its mark (quote currency), the
 * part of it that is staking yield (booked as the component `yield` instead of `book`), and the
 * book fields it explains in field[f - MCR_FIELD_BOOK_FIRST], which start at 0 (-1 for an
 * event's step: none) and which each holding combines with what earlier ones wrote (a sum, a
 * minimum, the first event). */
typedef struct mcr_holding_end {
    double value[MCR_NP];
    double yield[MCR_NP]; /* the part of value that is staking yield: component `yield` */
    double field[MCR_N_BOOK_FIELDS][MCR_NP];
} mcr_holding_end;

typedef struct mcr_holding_ops {
    /* Start a block (t = 0, every path at the constants' initial state). */
    void (*begin)(const struct mcr_holding *h, mcr_holding_state *o);
    /* Step t >= 1, asset a going from prev[a] to s[a], its oracle's price (what DeFi rules such
     * as a liquidation see) oracle[a]: its cash flows carried to the horizon (growth factor
     * v->growth[t]) are added to cash. */
    void (*step)(const mcr_venue *v, const struct mcr_holding *h, mcr_holding_state *o, int t,
                 const double *const *s, const double *const *prev, const double *const *oracle,
                 double *cash);
    /* Add its delta in asset a (units of a) and gamma at a's price s to delta and gamma (gamma
     * may be NULL); nothing when it does not depend on a. */
    void (*greeks)(const struct mcr_holding *h, const mcr_holding_state *o, int a,
                   const double *s, double *delta, double *gamma);
    /* At the horizon (S_T of asset a = s[a], after `steps` steps): add its mark and its fields
     * to out. */
    void (*end)(const mcr_venue *v, const struct mcr_holding *h, const mcr_holding_state *o,
                const double *const *s, mcr_holding_end *out);
    /* Its venue fails at step t on the paths hit (prices s[a]): add its value there (quote,
     * what the claim on the venue is worth before the recovery) to held, and empty it on
     * those paths: from then on it holds nothing (no flows, no delta, marked at 0; its book
     * fields keep what it did before). */
    void (*leave)(const mcr_venue *v, const struct mcr_holding *h, mcr_holding_state *o, int t,
                  const double *const *s, const bool *hit, double *held);
} mcr_holding_ops;

/* A holding of the book: its kind's operations and its constants (the kind's own struct, set
 * when the position is added to the book). */
typedef struct mcr_holding {
    const mcr_holding_ops *ops;
    int venue; /* the venue it sits at (an index into cfg->venues), -1: none */
    _Alignas(16) unsigned char data[MCR_HOLDING_DATA];
} mcr_holding;

#endif
