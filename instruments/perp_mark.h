/* The perpetual's own (mark) price under perp.basis (models/basis.h): S (1 + b_t) per path, with
 * b_t an Ornstein-Uhlenbeck process whose shocks load on the asset's log return by crash_beta.
 * Every part trading an asset's perpetual draws the basis from the same stream per path, so all
 * strategies see the same perpetual (common random numbers). */
#ifndef MCR_PERP_MARK_H
#define MCR_PERP_MARK_H

#include "position.h"

/* Start a block: b = 0, the mark at S0, the basis streams of `asset`'s perpetual. */
void mcr_perp_mark_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                         double s0);
/* One step from s_prev to s: one normal per path, the asset's log return, the new mark. */
void mcr_perp_mark_step(const mcr_venue *v, mcr_part_state *o, const double *s,
                        const double *s_prev);

#endif
