/* Rolling option programmes (roll.c): the roll dates, each step's settlements, closes and new
 * generations, and the marks of the generations still open at the horizon. */
#ifndef MCR_ROLL_H
#define MCR_ROLL_H

#include <stdbool.h>

#include "book_greeks.h"
#include "hedge.h"

/* Whether step t (0 < t < steps) is a roll date of part pp. */
bool mcr_roll_due(const mcr_hedge_plan *p, const mcr_part_plan *pp, int t);

/* Step t of a rolled part (pp->rolls_per_step > 0) at its asset's prices s. */
void mcr_roll_step(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o, int t,
                   const double *s);

/* Path i at the horizon (S_T = s): the marks of the generations still open added to comp; returns
 * the option fees of closing them (costs.close_at_horizon), already in comp. */
double mcr_roll_mark(const mcr_hedge_plan *p, const mcr_part_plan *pp, const mcr_part_state *o,
                     int i, double s, double *comp);

/* Add the delta, gamma and vega at step t of the generations of part pp still open to out (the
 * part's asset is the legs' underlying, at prices s). */
void mcr_roll_greeks(mcr_book_greeks *g, const mcr_hedge_plan *p, const mcr_kernels *k,
                     const mcr_part_plan *pp, const mcr_part_state *o, int t, const double *s,
                     const double *log_s, double out[3][MCR_NP]);

#endif
