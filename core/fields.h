/* The output field registry: every per-path output of a strategy, declared once (name, type,
 * group, unit, description, and the summary attribute it gets). The instruments and strategies
 * that produce a field, the block loop that allocates and aims the arrays, the folds that
 * summarise them, the checkpoint, the HDF5 writer and reader and the report all loop over this
 * one table, so it sits at the bottom of the layers. Adding a field is one enum value plus one
 * row of mcr_fields (fields.c), and the code that produces it. */
#ifndef MCR_FIELDS_H
#define MCR_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The P&L components every position books its flows into; they add up to pnl. */
typedef enum mcr_component {
    MCR_PNL_BOOK,      /* the portfolio alone */
    MCR_PNL_HEDGE,     /* gains of hedge positions: option payoffs, spot and perp variation */
    MCR_PNL_PREMIUM,   /* option premiums paid (-) or received (+) at t0 */
    MCR_PNL_FUNDING,   /* perpetual funding paid (-) or received (+) */
    MCR_PNL_FEES,      /* trading and liquidation fees */
    MCR_PNL_SLIPPAGE,  /* fixed slippage and square-root impact */
    MCR_PNL_FINANCING, /* interest on the cash that carries spot hedges */
    MCR_PNL_YIELD,     /* collateral_yield on posted margin and positive cash */
    MCR_PNL_VENUE_LOSS, /* what failed venues kept of the strategy's accounts there */
    MCR_PNL_GAS,       /* gas of on-chain transactions (costs.gas_per_tx) */
    MCR_N_COMPONENTS
} mcr_component;

typedef enum mcr_field_id {
    MCR_FIELD_PNL,                                          /* total P&L at the horizon */
    MCR_FIELD_COMPONENT,                                    /* + mcr_component: components/<name> */
    MCR_FIELD_LIQUIDATION_STEP = MCR_FIELD_COMPONENT + MCR_N_COMPONENTS,
    MCR_FIELD_TRADES,
    MCR_FIELD_NET_DELTA,
    MCR_FIELD_NET_GAMMA,
    MCR_FIELD_NET_VEGA,
    MCR_FIELD_TRADED_NOTIONAL,
    MCR_FIELD_CLOSE_COST,
    MCR_FIELD_INSURANCE,
    MCR_FIELD_LIQUIDATIONS,
    MCR_FIELD_LIQUIDATION_PRICE0,
    MCR_FIELD_ADL_STEP,
    MCR_FIELD_VENUE_DEFAULT_STEP,
    MCR_FIELD_ONCHAIN_TXS,
    /* Book fields: what explains the P&L of the book's path-dependent positions
     * (instruments/holding.h), the same for every strategy; 0 when the book holds none. */
    MCR_FIELD_LP_FEES,
    MCR_FIELD_BOOK_FIRST = MCR_FIELD_LP_FEES,
    MCR_FIELD_IMPERMANENT_LOSS,
    MCR_FIELD_TIME_IN_RANGE,
    MCR_FIELD_LOAN_LIQUIDATION_STEP,
    MCR_FIELD_LIQUIDATION_BONUS_LOST,
    MCR_FIELD_MIN_HEALTH_FACTOR,
    MCR_FIELD_BOOK_VENUE_LOSS,
    MCR_N_FIELDS
} mcr_field_id;

#define MCR_N_BOOK_FIELDS (MCR_N_FIELDS - MCR_FIELD_BOOK_FIRST)

typedef enum mcr_field_type { MCR_FIELD_F64, MCR_FIELD_I32, MCR_FIELD_U32 } mcr_field_type;

/* The figure a field contributes to its strategy's group attributes, reduced over the paths in
 * block order (risk/fold.h), so it is the same with or without the per-path arrays. */
typedef enum mcr_field_summary {
    MCR_SUMMARY_NONE,  /* none of its own (pnl: mean, std and the risk table come from risk/) */
    MCR_SUMMARY_MEAN,  /* `attr` = the mean over the paths */
    MCR_SUMMARY_EVENT, /* `attr` = the fraction of paths whose value is >= 0 (an event happened),
                        * and `attr`_se its binomial standard error sqrt(p (1 - p) / n) */
} mcr_field_summary;

typedef struct mcr_field {
    const char *name;  /* dataset name */
    const char *group; /* subgroup of the strategy's group ("components"), or NULL */
    mcr_field_type type;
    const char *unit;
    const char *help;
    mcr_field_summary summary;
    const char *attr;   /* the summary's attribute name ("mean_book", "p_liquidation"), or NULL */
    const char *column; /* its heading in the summary table ("P(liq)", with its se for an event,
                         * alone for a mean), or NULL: not printed */
    /* The P&L that hedge_effectiveness = 1 - Var(pnl) / Var(this field) compares with: the
     * block folds keep its variance too. Exactly one field, of type F64 with a MEAN summary. */
    bool baseline;
    /* The word of run.keep that writes its per-path dataset ("pnl", "components", "greeks",
     * "trades", "liquidation"): several fields may share one. */
    const char *keep;
} mcr_field;

extern const mcr_field mcr_fields[MCR_N_FIELDS];

/* Bytes per value of a field. */
size_t mcr_field_size(mcr_field_id f);

/* One strategy's per-path outputs: at[f] is the array of field f indexed by global path (typed
 * as mcr_fields[f].type), or NULL when the field is not kept; pnl is always present. */
typedef struct mcr_field_set {
    void *at[MCR_N_FIELDS];
} mcr_field_set;

/* Sets of fields as bit masks: bit f is field f. */
_Static_assert(MCR_N_FIELDS <= 64, "field masks are 64 bits");
#define MCR_FIELD_BIT(f) (UINT64_C(1) << (f))
#define MCR_FIELDS_ALL ((MCR_N_FIELDS == 64 ? 0 : MCR_FIELD_BIT(MCR_N_FIELDS)) - 1)

/* The fields present (non-NULL) in s. */
uint64_t mcr_field_set_mask(const mcr_field_set *s);

/* Allocate n values of every field in mask (at least one value each, so a set of 0 paths still
 * has arrays to hand to collective writes); false, with nothing allocated, when out of memory. */
bool mcr_field_set_alloc(mcr_field_set *s, uint64_t n, uint64_t mask);
/* Free the arrays of a set as allocated (not shifted) and set them NULL. */
void mcr_field_set_free(mcr_field_set *s);

/* The same arrays aimed `first` paths lower: index first + i of the result is index i of s, so
 * arrays holding paths [first, ...) can be indexed by global path. The address is computed on
 * integers because it may lie outside the array (GCC: flat addresses); only the array's own
 * entries are ever accessed through it. NULL stays NULL. */
mcr_field_set mcr_field_set_shift(const mcr_field_set *s, uint64_t first);

/* The fields whose run.keep word is `word` (a mask), or 0 for a word no field has. */
uint64_t mcr_field_keep_mask(const char *word);
/* The run.keep words in registry order, each once, ", "-separated, into buf. */
const char *mcr_field_keep_words(char *buf, size_t cap);

/* "book", "hedge", ...: the dataset names under components/ */
extern const char *const mcr_component_names[MCR_N_COMPONENTS];

#endif
