/* Auto-deleveraging (margin.adl, adl.c): inside a scenario's adl window the venue's insurance
 * fund is short, and a profitable perpetual whose ADL score reaches the window's min_score is
 * closed at the mark. */
#ifndef MCR_ADL_H
#define MCR_ADL_H

#include <stdbool.h>

#include "hedge.h"

/* Whether part pp's margin posted must be followed (the scenario has an adl window and the part
 * holds a margined position). */
bool mcr_adl_follows(const mcr_hedge_plan *p, const mcr_part_plan *pp);

/* After a trade of part state o whose accounts and positions were account0 and q0 before it:
 * the margin it posted (a position opened from flat starts afresh). */
void mcr_adl_posted(mcr_part_state *o, const double *account0, const double *q0);

/* Step t at the position's price s: deleverage the paths that qualify. */
void mcr_adl_step(const mcr_hedge_plan *p, const mcr_part_plan *pp, mcr_part_state *o, int t,
                  const double *s);

#endif
