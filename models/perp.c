/* Perpetual swaps: initial wallet and the isolated-margin liquidation price in closed form. */
#include "perp.h"

double mcr_perp_initial_wallet(const mcr_perp_position *p, double initial)
{
    return initial * mcr_perp_notional(p, p->entry);
}

double mcr_perp_liquidation_price(const mcr_perp_position *p, double mmr)
{
    if (p->size == 0.0)
        return NAN;
    double d = p->size > 0.0 ? 1.0 : -1.0, q = fabs(p->size);
    double num, den;
    if (p->contract == MCR_PERP_LINEAR) {
        /* WB + d Q (LP - EP) = mmr Q LP */
        num = p->wallet - d * q * p->entry;
        den = q * mmr - d * q;
    } else {
        /* WB + d Q (1/EP - 1/LP) = mmr Q / LP, multiplied through by LP */
        num = q * (mmr + d);
        den = p->wallet + d * q / p->entry;
    }
    double lp = num / den;
    if (lp > 0.0 && isfinite(lp))
        return lp;
    /* No positive root: equity stays above maintenance at every price on the losing side
     * (linear long with WB >= Q EP; inverse short with WB >= Q / EP). */
    return d > 0.0 ? 0.0 : INFINITY;
}
