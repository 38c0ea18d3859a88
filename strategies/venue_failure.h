/* Venue and protocol failure in the engine (the `venues` section, models/venue_default.h): each
 * venue's default step on each path of a block, drawn once per path from the venue's own
 * counter-based stream (seeded from the run's seed, the venue and the global path index, so a
 * path's default does not depend on threads, ranks or blocks, and is the same in every
 * scenario), and the step a scenario forces (venue_default). The default time is
 * tau = -ln(u) / default_intensity, realised at the end of its step, ceil(tau / dt); the
 * scenario's forced day at its first step at or after that day; the earlier wins.
 *
 * At the default step, what sits at the venue becomes a claim worth recovery of its value then:
 * the book's holdings there (spot, AMM liquidity, loans) and the strategies' positions and
 * margin accounts there are closed at that step's prices; the loss (1 - recovery) x value,
 * carried to the horizon, is the component venue_loss. */
#ifndef MCR_VENUE_FAILURE_H
#define MCR_VENUE_FAILURE_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "instruments/position.h"

/* The venues of a scenario, read-only. */
typedef struct mcr_venue_plan {
    int n;                                   /* cfg->n_venues */
    mcr_venue_failure failure[MCR_MAX_VENUES];
    int forced_step[MCR_MAX_VENUES];         /* the scenario's forced default, steps + 1: none */
    unsigned used;                           /* bit v: something sits at venue v */
} mcr_venue_plan;

/* Each venue's default step on each path of a block (steps + 1: not before the horizon). */
typedef struct mcr_venue_paths {
    int32_t step[MCR_MAX_VENUES][MCR_NP];
} mcr_venue_paths;

/* The venues of scenario sc of cfg (used: none yet; the plan sets it). */
void mcr_venue_plan_of(mcr_venue_plan *vp, const mcr_config *cfg, int sc);

/* The default steps of paths first .. first + NP - 1 of every used venue. */
void mcr_venue_paths_begin(const mcr_venue_plan *vp, const mcr_venue *v, uint64_t first,
                           mcr_venue_paths *out);

/* hit[i]: venue `venue` fails at step t on path i; whether on any path. */
bool mcr_venue_hits(const mcr_venue_paths *vp, int venue, int t, bool *hit);

/* The step of the first default among the venues in mask on path i, or -1 if none. */
int32_t mcr_venue_first_default(const mcr_venue_paths *vp, unsigned mask, int steps, int i);

/* A part's position at venue `venue` (plan's index) at step t: where it fails, the position
 * leaves (ops->leave), (1 - recovery) of what sat there is booked in venue_loss (carried to
 * the horizon), and the path trades no more. */
void mcr_venue_part_step(const mcr_venue_plan *vp, const mcr_venue_paths *paths,
                         const mcr_venue *v, const mcr_position_ops *ops, int venue,
                         mcr_part_state *o, int t, const double *s);

#endif
