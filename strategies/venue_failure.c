/* Venue and protocol failure in the engine (venue_failure.h). */
#include "venue_failure.h"

#include <math.h>

#include "kernels/pcg32.h"

/* The venues' streams: below the funding noise (255 - asset) and the basis shocks
 * (255 - 16 - asset), clear of the assets' own (0 .. 15) and the data models' (127). */
#define MCR_VENUE_STREAM (255 - 2 * MCR_MAX_ASSETS)
_Static_assert(MCR_VENUE_STREAM - MCR_MAX_VENUES + 1 > 127, "venue streams clear of the data's");

void mcr_venue_plan_of(mcr_venue_plan *vp, const mcr_config *cfg, int sc)
{
    const mcr_scenario *s = &cfg->scenarios[sc];
    int forced = s->has_venue_default ? mcr_config_venue(cfg, s->venue_default.venue) : -1;
    vp->n = cfg->n_venues;
    vp->used = 0;
    for (int v = 0; v < cfg->n_venues; v++) {
        vp->failure[v] = cfg->venues[v].failure;
        vp->forced_step[v] = v == forced ? mcr_config_step_at(cfg, s->venue_default.day)
                                         : cfg->steps + 1;
    }
}

/* A uniform in (0, 1) from 53 bits of two outputs. */
static double uniform53(mcr_pcg32 *g)
{
    uint32_t a = mcr_pcg32_next(g) >> 5, b = mcr_pcg32_next(g) >> 6;
    return ((double)a * 67108864.0 + (double)b + 0.5) * 0x1p-53;
}

void mcr_venue_paths_begin(const mcr_venue_plan *vp, const mcr_venue *v, uint64_t first,
                           mcr_venue_paths *out)
{
    for (int k = 0; k < vp->n; k++) {
        if (!(vp->used & (1u << k)))
            continue;
        for (int i = 0; i < MCR_NP; i++) {
            mcr_pcg32 g = mcr_pcg32_for_asset(v->seed, MCR_VENUE_STREAM - k, first + i);
            double tau = mcr_venue_default_time(&vp->failure[k], uniform53(&g));
            /* the end of the step holding tau: (n - 1) dt < tau <= n dt */
            double n = ceil(tau / v->dt);
            int32_t step = n <= v->steps ? (int32_t)fmax(n, 1.0) : v->steps + 1;
            out->step[k][i] = step < vp->forced_step[k] ? step : vp->forced_step[k];
        }
    }
}

bool mcr_venue_hits(const mcr_venue_paths *vp, int venue, int t, bool *hit)
{
    bool any = false;
    for (int i = 0; i < MCR_NP; i++) {
        hit[i] = vp->step[venue][i] == t;
        any |= hit[i];
    }
    return any;
}

int32_t mcr_venue_first_default(const mcr_venue_paths *vp, unsigned mask, int steps, int i)
{
    int32_t first = steps + 1;
    for (int k = 0; mask >> k; k++)
        if ((mask >> k) & 1u)
            first = vp->step[k][i] < first ? vp->step[k][i] : first;
    return first <= steps ? first : -1;
}

void mcr_venue_part_step(const mcr_venue_plan *vp, const mcr_venue_paths *paths,
                         const mcr_venue *v, const mcr_position_ops *ops, int venue,
                         mcr_part_state *o, int t, const double *s)
{
    bool hit[MCR_NP];
    if (!mcr_venue_hits(paths, venue, t, hit))
        return;
    double held[MCR_NP];
    ops->leave(v, o, t, s, hit, held);
    double lost = (1.0 - vp->failure[venue].recovery) * v->growth[t];
    for (int i = 0; i < MCR_NP; i++) {
        o->comp[MCR_PNL_VENUE_LOSS][i] -= lost * held[i];
        o->liq_step[i] = hit[i] ? MCR_LEFT_VENUE : o->liq_step[i];
    }
}
