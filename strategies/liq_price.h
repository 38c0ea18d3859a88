/* The liquidation price at t0: the price of the hedge asset at which a part's perpetual, as the
 * engine opens it at t0, would be liquidated at the next margin check if the price moved there
 * at once (no funding paid, no depeg of the collateral: the price move alone). A fact the report
 * states beside each perpetual hedge, so a reader sees how far the market may move. */
#ifndef MCR_LIQ_PRICE_H
#define MCR_LIQ_PRICE_H

#include "hedge.h"

/* The liquidation price of part `part` of plan p (the book's delta at t0 by kernels k); NaN
 * when the part holds no margined position at t0, margin is not isolated (cross margin draws on
 * the book), or no price within a factor 100 of spot liquidates it. */
double mcr_hedge_liq_price0(const mcr_hedge_plan *p, int part, const mcr_kernels *k);

#endif
