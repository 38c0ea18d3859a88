/* The arithmetic floor of a delta hedge step (kernels/strat.h's hedge_floor), plain C included by
 * the scalar reference and by the vector source, so each ISA's object is what the compiler makes
 * of the same loop for that ISA (no contraction: every ISA is bitwise the reference). Used by
 * bench's W3 floor workload (bench/floor.c), not by the engine. */
#ifndef MCR_HEDGE_FLOOR_H
#define MCR_HEDGE_FLOOR_H

#include <math.h>

#include "kernels/paths.h"
#include "kernels/strat.h"

static inline void mcr_hedge_floor_body(const mcr_floor_terms *restrict c,
                                        const double *restrict s, const double *restrict log_s,
                                        double *restrict s_prev, double *restrict q,
                                        double *restrict gains, double *restrict costs)
{
    const double *restrict table = c->table;
    const double top = (double)(c->table_n - 1) - 0x1p-20;
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        double si = s[i], qi = q[i];
        gains[i] += qi * (si - s_prev[i]) - qi * si * c->rate; /* variation, funding */
        /* N(d1) by linear interpolation in the table, d1 = (ln S - ln K + drift) / vol sqrt(tau) */
        double u = ((log_s[i] - c->log_k + c->drift) * c->inv_vol_sq - c->table_lo) * c->table_scale;
        u = u > 0.0 ? (u < top ? u : top) : 0.0; /* NaN: 0 */
        int j = (int)u;
        double f = u - (double)j;
        double delta = c->trade ? table[j] + f * (table[j + 1] - table[j]) : qi;
        double dq = delta - qi;
        costs[i] -= fabs(dq) * si * c->fee_rate;
        q[i] = delta;
        s_prev[i] = si;
    }
}

#endif
