/* The per-path outputs of a strategy: the P&L components every position books its flows into.
 * (Grows into the output field registry: every layer from the instruments that produce a field to
 * the writers that store it reads this one table, so it sits at the bottom.) */
#ifndef MCR_FIELDS_H
#define MCR_FIELDS_H

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

/* "book", "hedge", ...: the dataset names under components/ */
extern const char *const mcr_component_names[MCR_N_COMPONENTS];

#endif
