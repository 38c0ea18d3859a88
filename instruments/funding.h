/* Perpetual funding per path (funding.c). */
#ifndef MCR_FUNDING_H
#define MCR_FUNDING_H

#include <stdbool.h>

#include "position.h"

/* Start a block of a perpetual on `asset`: the noise streams and the last funding time's ln S. */
void mcr_funding_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                       double log_s0);

/* The total funding rate of the funding times in step t, per path (longs pay a positive rate);
 * false, and rate untouched, when none falls in the step. */
bool mcr_funding_rates(const mcr_venue *v, mcr_part_state *o, int t, const double *log_s,
                       double *rate);

#endif
