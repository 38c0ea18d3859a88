/* Tiered maintenance margin: table validation, the amounts from the rates, and the isolated
 * liquidation price over the tiers (envelope solution and the per-tier oracle). */
#include "margin_tiers.h"

#include <stdio.h>

mcr_status mcr_margin_tiers_check(const mcr_margin_tiers *t, const char *where, mcr_error *err)
{
    if (t->n < 1 || t->n > MCR_MAX_MARGIN_TIERS)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: must list 1 to %d tiers (got %d)", where,
                        MCR_MAX_MARGIN_TIERS, t->n);
    for (int i = 0; i < t->n; i++) {
        double nmax = t->notional_max[i], m = t->maintenance[i];
        if (!isfinite(nmax) || nmax <= 0.0)
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s[%d].notional_max: must be a finite number > 0 (got %g)", where, i,
                            nmax);
        if (i > 0 && nmax <= t->notional_max[i - 1])
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s[%d].notional_max: must be greater than %s[%d].notional_max = %g "
                            "(tiers go by increasing notional) (got %g)",
                            where, i, where, i - 1, t->notional_max[i - 1], nmax);
        if (!isfinite(m) || m < 0.0 || m >= 1.0)
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s[%d].maintenance: must be a number in [0, 1) (got %g)", where, i, m);
        if (i > 0 && m < t->maintenance[i - 1])
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s[%d].maintenance: must be >= %s[%d].maintenance = %g (rates do not "
                            "fall with notional) (got %g)",
                            where, i, where, i - 1, t->maintenance[i - 1], m);
    }
    if (!t->amounts_given)
        return MCR_OK;
    if (t->amount[0] != 0.0)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "%s[0].amount: must be 0 (the requirement is 0 at notional 0) (got %g)",
                        where, t->amount[0]);
    for (int i = 1; i < t->n; i++) {
        double nb = t->notional_max[i - 1];
        double want = t->amount[i - 1] + nb * (t->maintenance[i] - t->maintenance[i - 1]);
        if (!(fabs(t->amount[i] - want) <= 1e-9 * nb))
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s[%d].amount: must be %.10g = amount[%d] + notional_max[%d] x "
                            "(maintenance[%d] - maintenance[%d]), so the requirement is "
                            "continuous at %g (omit the amounts to have them computed) (got %.10g)",
                            where, i, want, i - 1, i - 1, i, i - 1, nb, t->amount[i]);
    }
    return MCR_OK;
}

void mcr_margin_tiers_fill_amounts(mcr_margin_tiers *t)
{
    t->amount[0] = 0.0;
    for (int i = 1; i < t->n; i++)
        t->amount[i] = t->amount[i - 1]
                       + t->notional_max[i - 1] * (t->maintenance[i] - t->maintenance[i - 1]);
    t->amounts_given = true;
}

/* E(x) = c + s x as a function of the notional x (header comment). */
static void equity_line(const mcr_perp_position *p, double *c, double *s)
{
    double d = p->size > 0.0 ? 1.0 : -1.0, q = fabs(p->size);
    if (p->contract == MCR_PERP_LINEAR) {
        *c = p->wallet - d * q * p->entry;
        *s = d;
    } else {
        *c = p->wallet + d * q / p->entry;
        *s = -d;
    }
}

/* Price of notional x: x / Q (linear) or Q / x (inverse). */
static double price_of_notional(const mcr_perp_position *p, double x)
{
    double q = fabs(p->size);
    return p->contract == MCR_PERP_LINEAR ? x / q : q / x;
}

/* The answer when no positive price liquidates: 0 for a long, INFINITY for a short. */
static double never(const mcr_perp_position *p) { return p->size > 0.0 ? 0.0 : INFINITY; }

double mcr_margin_tiers_liquidation_price(const mcr_margin_tiers *t, const mcr_perp_position *p)
{
    if (p->size == 0.0)
        return NAN;
    double c, s;
    equity_line(p, &c, &s);
    double x = s > 0.0 ? -INFINITY : INFINITY;
    for (int i = 0; i < t->n; i++) {
        double m = t->maintenance[i], a = t->amount[i];
        x = s > 0.0 ? fmax(x, -(c + a) / (1.0 - m)) : fmin(x, (c + a) / (1.0 + m));
    }
    /* s = -1: c > 0 for a linear short (WB + Q EP) and an inverse long (WB + Q / EP) with
     * WB >= 0, so x > 0. s = +1: x <= 0 means no price liquidates. */
    if (!(x > 0.0))
        return never(p);
    double price = price_of_notional(p, x);
    return isfinite(price) && price > 0.0 ? price : never(p);
}

double mcr_margin_tiers_liquidation_price_by_tier(const mcr_margin_tiers *t,
                                                  const mcr_perp_position *p)
{
    if (p->size == 0.0)
        return NAN;
    double d = p->size > 0.0 ? 1.0 : -1.0, q = fabs(p->size);
    for (int i = 0; i < t->n; i++) {
        double m = t->maintenance[i], cum = t->amount[i], lp;
        if (p->contract == MCR_PERP_LINEAR) /* Binance USD-M: (WB + cum - d Q EP) / (Q MMR - d Q) */
            lp = (p->wallet + cum - d * q * p->entry) / (q * m - d * q);
        else /* Binance COIN-M: Q (MMR + d) / (WB + cum + d Q / EP) */
            lp = q * (m + d) / (p->wallet + cum + d * q / p->entry);
        if (!(lp > 0.0) || !isfinite(lp))
            continue;
        double x = p->contract == MCR_PERP_LINEAR ? q * lp : q / lp;
        double lo = i > 0 ? t->notional_max[i - 1] : 0.0;
        double hi = i < t->n - 1 ? t->notional_max[i] : INFINITY;
        double slack = 1e-12 * x;
        if (x >= lo - slack && x <= hi + slack)
            return lp;
    }
    return never(p);
}
