/* The perpetual's mark price with a basis (perp_mark.h). */
#include "perp_mark.h"

#include <math.h>

#include "models/basis.h"
#include "models/normal.h"

/* A stream slot of its own per traded asset: below the funding noise's (255 - asset) and above
 * the price streams (0 .. MCR_KERNEL_MAX_ASSETS - 1). */
#define MCR_BASIS_STREAM (255 - MCR_MAX_ASSETS)

void mcr_perp_mark_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                         double s0)
{
    for (int i = 0; i < MCR_NP; i++) {
        o->basis[i] = 0.0;
        o->mark[i] = o->mark_prev[i] = s0;
        o->basis_noise[i] = mcr_pcg32_for_asset(v->seed, MCR_BASIS_STREAM - asset, first + i);
    }
}

void mcr_perp_mark_step(const mcr_venue *v, mcr_part_state *o, const double *s,
                        const double *s_prev)
{
    for (int i = 0; i < MCR_NP; i++) {
        double z = mcr_norm_quantile(((double)mcr_pcg32_next(&o->basis_noise[i]) + 0.5) * 0x1p-32);
        o->basis[i] = mcr_basis_update(&v->basis_step, o->basis[i], z, log(s[i] / s_prev[i]));
        o->mark_prev[i] = o->mark[i];
        o->mark[i] = mcr_basis_mark(s[i], o->basis[i]);
    }
}
