/* The registry of instrument kinds: what a book may hold (spot, call, put, and path-dependent
 * holdings such as amm_lp) and what a strategy trades (spot, linear and inverse perpetuals). Each
 * kind is one file of instruments/ with its config keys as a book position, what it adds to the
 * book, and, for tradable positions, its per-path operations (position.h; a holding's: holding.h).
 * Adding an instrument is its file and one registry line (registry.c). */
#ifndef MCR_INSTRUMENT_H
#define MCR_INSTRUMENT_H

#include <stdbool.h>

#include "config/config.h"
#include "holding.h"
#include "option.h"
#include "position.h"

/* What the book holds, per scenario: spot units per asset and option legs. */
typedef struct mcr_book {
    double spot[MCR_MAX_ASSETS];       /* spot quantity per asset (negative: short) */
    double venue_spot[MCR_MAX_ASSETS]; /* spot kept at venues (holdings; not in spot[]) */
    mcr_leg legs[MCR_MAX_POSITIONS];
    int n_legs;
    mcr_holding holdings[MCR_MAX_HOLDINGS]; /* path-dependent positions (holding.h) */
    int n_holdings;
    double value0;                     /* its initial mark-to-market, USD */
    double coin0[MCR_MAX_ASSETS];      /* coin-settled options: their initial value in coin */
    bool coin_legs;                    /* some leg is coin-settled */
    /* costs.option_fee on its options: trade fees at t0 (USD; coin per asset), delivery fees at
     * settlement (hedge.c) */
    bool option_fees;
    double fee0, fee0_coin[MCR_MAX_ASSETS];
    bool has_yield;                    /* some spot position earns staking yield */
} mcr_book;

typedef struct mcr_instrument_kind {
    mcr_kind spec; /* name, help, and its keys as a book position (portfolio[]) */
    /* Add position `pos` of this kind to the book (NULL: the kind is not held in a book; the
     * config's check refuses it there). */
    void (*to_book)(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book);
    /* The operations of a position of this kind held by a strategy, or NULL. */
    const mcr_position_ops *ops;
} mcr_instrument_kind;

/* The registry, and the table the config loader selects portfolio entries from. */
extern const mcr_instrument_kind *const mcr_instruments[];
extern const int mcr_n_instruments;
extern const mcr_kind_table mcr_instrument_kind_table;

/* The kind named `name`, or NULL. */
const mcr_instrument_kind *mcr_instrument_find(const char *name);
/* The kind of a loaded position. */
const mcr_instrument_kind *mcr_instrument_of(const mcr_position *pos);

/* A spot position's staking yield (staking_yield.c): q units of `asset` growing at `yield` per
 * year, their accrued coins a holding of the book. */
void mcr_staking_yield_hold(mcr_book *book, int asset, double quantity, double yield);

/* The spot quantity of the book in asset a (its spot positions summed, at venues too). */
double mcr_book_spot(const mcr_config *cfg, int a);

/* Each defined in its kind's file. */
extern const mcr_instrument_kind mcr_spot_instrument, mcr_call_instrument, mcr_put_instrument,
    mcr_linear_perp_instrument, mcr_inverse_perp_instrument, mcr_amm_lp_instrument,
    mcr_loan_instrument;

#endif
