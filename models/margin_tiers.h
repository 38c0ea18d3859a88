/* Tiered maintenance margin of a perpetual (Binance USD(S)-M "leverage and margin tiers"; the
 * same requirement as Bybit's tiered calculation): the requirement of a position, the validation
 * of a tier table, and the isolated-margin liquidation price at t0 solved exactly over the tiers.
 *
 * Tiers i = 0 .. n-1, by increasing notional: {notional_max N_i, maintenance rate m_i, amount
 * A_i}. A position of notional x with N_{i-1} < x <= N_i (N_{-1} = 0) is in tier i and needs
 *   MM(x) = x m_i - A_i                                    (Binance: notional x MMR - amount).
 * The amounts make MM continuous: A_0 = 0 and A_i = A_{i-1} + N_{i-1} (m_i - m_{i-1}), i.e. the
 * rate of each tier applies to the part of the notional inside it (Bybit states it this way:
 * "any excess beyond a particular tier is subject to the MMR of the new tier"). A table may give
 * the amounts (they are checked against this rule) or omit them (they are computed from it).
 * Beyond the last notional_max (the venue's position limit) the last tier is extended.
 *
 * With non-decreasing rates, MM is continuous, piecewise linear and convex, so it is the upper
 * envelope of the tier lines: MM(x) = max_i (x m_i - A_i) for every x >= 0. The requirement is
 * evaluated that way, without looking the tier up (no branch, no gather).
 *
 * Liquidation price (isolated, one position; perp.h's mcr_perp_position and units: notional in
 * the margin currency, USD for linear, coin for inverse). With d = +-1 the side and Q = |size|,
 * the equity as a function of the notional x is affine, E(x) = c + s x:
 *   linear:  x = Q P,  E = WB + d Q (P - EP)        -> c = WB - d Q EP,  s = d;
 *   inverse: x = Q / P, E = WB + d Q (1/EP - 1/P)   -> c = WB + d Q / EP, s = -d.
 * Liquidation is E(x) = MM(x) = max_i (m_i x - A_i), i.e. min_i g_i(x) = 0 with the lines
 * g_i(x) = c + A_i + (s - m_i) x. When s = +1 every g_i increases (m_i < 1), so the position is
 * liquidated once x falls to x* = max_i (-(c + A_i) / (1 - m_i)); when s = -1 every g_i
 * decreases and x* = min_i ((c + A_i) / (1 + m_i)). Each candidate is Binance's closed form
 * with cum = A_i, and the max/min picks the tier whose band contains the root, exactly. Then
 * P* = x* / Q (linear) or Q / x* (inverse). No positive root (s = +1 and x* <= 0: a fully
 * collateralised linear long or inverse short) returns 0 for a long and INFINITY for a short,
 * as mcr_perp_liquidation_price does. */
#ifndef MCR_MARGIN_TIERS_H
#define MCR_MARGIN_TIERS_H

#include <math.h>
#include <stdbool.h>

#include "perp.h"
#include "core/status.h"

#define MCR_MAX_MARGIN_TIERS 24

typedef struct mcr_margin_tiers {
    int n;              /* 1 .. MCR_MAX_MARGIN_TIERS */
    bool amounts_given; /* false: mcr_margin_tiers_fill_amounts computes them */
    double notional_max[MCR_MAX_MARGIN_TIERS]; /* strictly increasing, > 0 */
    double maintenance[MCR_MAX_MARGIN_TIERS];  /* non-decreasing, in [0, 1) */
    double amount[MCR_MAX_MARGIN_TIERS];       /* A_0 = 0, continuity rule above */
} mcr_margin_tiers;

/* The table's rules, with one line naming WHERE[i].KEY and what is allowed: n in [1, 24];
 * notional_max finite, > 0 and strictly increasing; maintenance in [0, 1) and non-decreasing;
 * when amounts_given, amount[0] = 0 and each amount equal to the continuity rule within
 * 1e-9 x notional_max[i-1] (published amounts are exact; the message gives the expected value). */
mcr_status mcr_margin_tiers_check(const mcr_margin_tiers *t, const char *where, mcr_error *err);

/* A_0 = 0, A_i = A_{i-1} + N_{i-1} (m_i - m_{i-1}); sets amounts_given. */
void mcr_margin_tiers_fill_amounts(mcr_margin_tiers *t);

/* The tier of a notional: the first i with notional <= N_i; n - 1 beyond the last. */
static inline int mcr_margin_tier_of(const mcr_margin_tiers *t, double notional)
{
    int i = 0;
    for (int k = 0; k < t->n - 1; k++)
        i += notional > t->notional_max[k];
    return i;
}

/* MM(x) = max_i (x m_i - A_i), x >= 0: equal to x m_i - A_i of x's tier for a valid table. */
static inline double mcr_margin_tiers_requirement(const mcr_margin_tiers *t, double notional)
{
    double mm = notional * t->maintenance[0] - t->amount[0];
    for (int i = 1; i < t->n; i++)
        mm = fmax(mm, notional * t->maintenance[i] - t->amount[i]);
    return mm;
}

/* The mark at which the isolated position's equity equals its tiered maintenance requirement
 * (header comment). NAN when size is 0. */
double mcr_margin_tiers_liquidation_price(const mcr_margin_tiers *t, const mcr_perp_position *p);

/* The same, by Binance's per-tier formula (cum = A_i) tried tier by tier, keeping the root that
 * falls in its own tier's band: the slow, obvious version, kept as the test oracle. */
double mcr_margin_tiers_liquidation_price_by_tier(const mcr_margin_tiers *t,
                                                  const mcr_perp_position *p);

#endif
