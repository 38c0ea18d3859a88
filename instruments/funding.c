/* Perpetual funding over a step, per path (shared by the linear and the inverse perpetual). Every
 * funding time that falls in the step is paid: with daily steps and 8-hour funding, three
 * payments a step. The stochastic rate of a funding time is the scenario's rate plus beta times
 * the log return since the previous funding time plus noise; the path within a step is not
 * simulated, so the step's log return is shared evenly by the funding times in it, and each draws
 * its own noise. */
#include <math.h>

#include "funding.h"
#include "models/basis.h"
#include "models/normal.h"

/* The funding noise of a path draws from a stream of its own: an asset slot no simulated asset
 * uses (the price streams are assets 0 .. MCR_KERNEL_MAX_ASSETS - 1), one per traded asset, so
 * every strategy trading that asset's perpetual sees the same funding. */
#define MCR_FUNDING_STREAM 255

void mcr_funding_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                       double log_s0)
{
    for (int i = 0; i < MCR_NP; i++)
        o->interval_log[i] = log_s0;
    if (v->funding.mode == MCR_FUNDING_STOCHASTIC)
        for (int i = 0; i < MCR_NP; i++)
            o->noise[i] = mcr_pcg32_for_asset(v->seed, MCR_FUNDING_STREAM - asset, first + i);
}

bool mcr_funding_rates(const mcr_venue *v, mcr_part_state *o, int t, const double *log_s,
                       double *rate)
{
    int n = v->funding_count[t];
    if (n == 0)
        return false;
    const double *base = v->funding_rate + v->funding_first[t];
    const mcr_funding *f = &v->funding;
    if (f->mode == MCR_FUNDING_CONSTANT) {
        double sum = base[0];
        for (int k = 1; k < n; k++)
            sum += base[k];
        for (int i = 0; i < MCR_NP; i++)
            rate[i] = sum;
        return true;
    }
    if (f->mode == MCR_FUNDING_PREMIUM) { /* models/basis.h: b N/8 + interest, clamped */
        v->k->premium_rates(n, base, f->interval_hours, f->cap, o->basis, rate);
        return true;
    }
    /* stochastic: each path draws its own noise from its PCG32 stream through AS241 (libm's
     * log in the tails), in the scalar order, so this stays a per-path loop */
    for (int i = 0; i < MCR_NP; i++) {
        double share = (log_s[i] - o->interval_log[i]) / n, sum = 0;
        for (int k = 0; k < n; k++) {
            double z = mcr_norm_quantile(((double)mcr_pcg32_next(&o->noise[i]) + 0.5) * 0x1p-32);
            double r = base[k] + f->beta * share + f->noise * z;
            sum += r > f->cap ? f->cap : (r < -f->cap ? -f->cap : r);
        }
        o->interval_log[i] = log_s[i];
        rate[i] = sum;
    }
    return true;
}
