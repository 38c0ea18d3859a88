/* The time grid of a run: `days` calendar days (365 a year) in `steps` equal steps, and the one
 * rounding rule that maps a day or a time to a step, shared by expiries, funding times, scenario
 * windows and shocks, so that "day 7" means the same step everywhere. */
#ifndef MCR_TIMEGRID_H
#define MCR_TIMEGRID_H

typedef struct mcr_timegrid {
    double days; /* > 0 */
    int steps;   /* >= 1 */
} mcr_timegrid;

/* Years per step. */
double mcr_timegrid_dt(mcr_timegrid g);

/* The first step t with t dt >= time (years), on the grid: a time on the grid (to 1e-9 of a step)
 * is that step. Not clamped. */
int mcr_timegrid_step_ceil(mcr_timegrid g, double years);

/* The first step at or after `day`, and steps + 1 for a day at or beyond the horizon: a window
 * [from, to) covers the steps step_at(from) .. step_at(to) - 1. */
int mcr_timegrid_step_at(mcr_timegrid g, double day);

#endif
