/* The output field registry: every per-path output of a strategy, declared once (name, type,
 * group, unit, description, summary). The instruments and strategies that produce a field, the
 * block loop that allocates and aims the arrays, the folds that summarise them, the checkpoint, the
 * HDF5 writers and reader and the report all loop over this one table, so it sits at the bottom
 * of the layers. Adding a field is one enum value plus one row of mcr_fields (fields.c), and the
 * code that produces it. */
#ifndef MCR_FIELDS_H
#define MCR_FIELDS_H

#include <stddef.h>

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
    MCR_N_FIELDS
} mcr_field_id;

typedef enum mcr_field_type { MCR_FIELD_F64, MCR_FIELD_I32, MCR_FIELD_U32 } mcr_field_type;

typedef struct mcr_field {
    const char *name;  /* dataset name */
    const char *group; /* subgroup of the strategy's group ("components"), or NULL */
    mcr_field_type type;
    const char *unit;
    const char *help;
} mcr_field;

extern const mcr_field mcr_fields[MCR_N_FIELDS];

/* Bytes per value of a field. */
size_t mcr_field_size(mcr_field_id f);

/* One strategy's per-path outputs: at[f] is the array of field f indexed by global path (typed
 * as mcr_fields[f].type), or NULL when the field is not kept; pnl is always present. */
typedef struct mcr_field_set {
    void *at[MCR_N_FIELDS];
} mcr_field_set;

/* "book", "hedge", ...: the dataset names under components/ */
extern const char *const mcr_component_names[MCR_N_COMPONENTS];

#endif
