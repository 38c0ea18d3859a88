/* Rolling option programmes (roll.c): the roll dates, each step's settlements, closes and new
 * generations, and the marks of the generations still open at the horizon. */
#ifndef MCR_ROLL_H
#define MCR_ROLL_H

#include <stdbool.h>

#include "book_greeks.h"
#include "hedge.h"

/* The roll of part `part` as the engine runs it (out's rolls_per_step, close_on_roll,
 * roll_expiry_steps, roll_slots; all 0 without `roll`): roll_slots is the most generations open
 * at once after t0's over the roll dates of the horizon, e.g. 4 for weekly rolls of 28-day
 * options, 5 of 30-day ones, 1 with close_on_roll. */
void mcr_roll_plan(const mcr_part *part, const mcr_config *cfg, mcr_part_plan *out);

/* The bytes of every strategy's rolled generations in one thread's workspace (the memory
 * estimate's term). */
double mcr_roll_bytes(const mcr_config *cfg);

/* Step t of a rolled part (pp->rolls_per_step > 0) at its asset's prices s. */
void mcr_roll_step(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o, int t,
                   const double *s);

/* Add quantity x value at step t of the generations open (expiring at t or later: their payoff
 * then) to held on the paths hit (a failed venue's claim, venue_legs.h). */
void mcr_roll_held(const mcr_hedge_plan *p, const mcr_part_plan *pp, const mcr_part_state *o,
                   int t, const double *s, const bool *hit, double *held);

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
