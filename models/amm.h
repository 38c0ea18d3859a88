/* Liquidity in an automated market maker, one position against the quote currency (USD):
 * Uniswap v2 constant product and Uniswap v3 concentrated liquidity over [Pa, Pb], with value,
 * holdings, delta, impermanent loss against holding the initial tokens, the in-range indicator,
 * fee income per step and loss-versus-rebalancing.
 *
 * Notation: x = units of the risky token (ETH), y = units of the quote (USD), P = price of x in
 * y. A v3 position of liquidity L over [Pa, Pb] holds (Uniswap v3 whitepaper, Adams et al.
 * 2021, eqs. 6.29-6.30, section 6.2), with s = clamp(sqrt(P), sqrt(Pa), sqrt(Pb)):
 *   x(P) = L (1/s - 1/sqrt(Pb)),   y(P) = L (s - sqrt(Pa)),   V(P) = x P + y.
 * The clamp gives the three branches without control flow:
 *   below Pa:  x = L (1/sqrt(Pa) - 1/sqrt(Pb)), y = 0,                    V = x P;
 *   in range:  V = L (2 sqrt(P) - sqrt(Pa) - P / sqrt(Pb));
 *   above Pb:  x = 0,                           y = L (sqrt(Pb) - sqrt(Pa)), V = y.
 * Uniswap v2 (Adams et al. 2020, x y = k) is the case Pa = 0, Pb = infinity: x = L / sqrt(P),
 * y = L sqrt(P), V = 2 L sqrt(P) = 2 sqrt(k P) with L = sqrt(k). So one struct and one set of
 * evaluation functions serve both; the v2 closed forms below are kept for tests and docs.
 *
 * Delta: dV/dP = x(P) in every branch (in range: d/dP of L (2 sqrt P - P/sqrt Pb) = L (1/sqrt P
 * - 1/sqrt Pb) = x), continuous at Pa and Pb.
 *
 * The per-step functions are inline, allocate nothing and branch only through fmin/fmax and
 * selects, so the instrument kernels can evaluate them per path and per step (and on SIMD blocks
 * later). Prices are floored at DBL_MIN so a zero price gives finite values (v2 holds a huge but
 * finite x there) instead of 0 * inf = NaN. Units: V, y and fees in USD; x in coin; time in
 * years (LVR rate) or days (fees). */
#ifndef MCR_AMM_H
#define MCR_AMM_H

#include <float.h>
#include <math.h>

#include "core/keys.h"
#include "core/status.h"

typedef enum mcr_amm_type {
    MCR_AMM_CONSTANT_PRODUCT, /* Uniswap v2 */
    MCR_AMM_CONCENTRATED,     /* Uniswap v3, one range */
} mcr_amm_type;

/* The pool as the config states it (`pool: {type, fee, volume_per_day, lower, upper}`). */
typedef struct mcr_amm_pool {
    mcr_amm_type type;
    double fee;            /* fee tier, fraction of traded volume: 0.003, 0.0005 */
    double volume_per_day; /* volume the position earns on, as a fraction of its value per day */
    double lower, upper;   /* concentrated only: range [lower P0, upper P0], 0 < lower < upper */
} mcr_amm_pool;

/* One position, fixed at t0 by mcr_amm_lp_open. */
typedef struct mcr_amm_lp {
    double liquidity;      /* L; v2: sqrt(k) */
    double lower, upper;   /* Pa, Pb in USD; v2: 0 and INFINITY */
    double sqrt_lower;     /* sqrt(Pa); v2: 0 */
    double sqrt_upper;     /* sqrt(Pb); v2: INFINITY */
    double inv_sqrt_upper; /* 1 / sqrt(Pb); v2: 0 */
    double x0, y0;         /* holdings at t0: the "hold" benchmark of impermanent loss */
} mcr_amm_lp;

typedef struct mcr_amm_holdings {
    double x, y;
} mcr_amm_holdings;

/* The config keys of `pool` (type, fee, volume_per_day, lower, upper): their rows hold the
 * ranges the check applies. */
extern const mcr_key mcr_amm_pool_keys[];

/* fee in [0, 0.1], volume_per_day in [0, 1000]; concentrated: lower in (0, 1e6], upper > lower.
 * The error names WHERE.KEY, the allowed range and the unit (the rows' format). */
mcr_status mcr_amm_pool_check(const mcr_amm_pool *pool, const char *where, mcr_error *err);

/* The position worth `value` USD at price p0 > 0, split as the pool requires: L = value / v(p0)
 * with v the value of one unit of liquidity. A range entirely above or below p0 is allowed (the
 * position is then all in one token, like a range order). value >= 0. */
mcr_amm_lp mcr_amm_lp_open(const mcr_amm_pool *pool, double value, double p0);

/* sqrt(P) clamped to [sqrt(Pa), sqrt(Pb)]: the pool's effective square-root price. */
static inline double mcr_amm_sqrt_clamped(const mcr_amm_lp *lp, double p)
{
    double s = sqrt(fmax(p, DBL_MIN));
    return fmin(fmax(s, lp->sqrt_lower), lp->sqrt_upper);
}

static inline mcr_amm_holdings mcr_amm_holdings_at(const mcr_amm_lp *lp, double p)
{
    double s = mcr_amm_sqrt_clamped(lp, p);
    return (mcr_amm_holdings){lp->liquidity * (1.0 / s - lp->inv_sqrt_upper),
                              lp->liquidity * (s - lp->sqrt_lower)};
}

/* V(P) = x(P) P + y(P), USD. */
static inline double mcr_amm_value(const mcr_amm_lp *lp, double p)
{
    mcr_amm_holdings h = mcr_amm_holdings_at(lp, p);
    return h.x * fmax(p, DBL_MIN) + h.y;
}

/* dV/dP = x(P), coin. */
static inline double mcr_amm_delta(const mcr_amm_lp *lp, double p)
{
    return mcr_amm_holdings_at(lp, p).x;
}

/* Value of the initial tokens held instead: x0 P + y0, USD. */
static inline double mcr_amm_hold_value(const mcr_amm_lp *lp, double p)
{
    return lp->x0 * fmax(p, DBL_MIN) + lp->y0;
}

/* Impermanent loss as a fraction of holding: V(P) / (x0 P + y0) - 1 (<= 0 for v2 and for v3
 * when P0 is in range). 0 when the hold value is 0 (an empty position). In USD it is
 * V(P) - (x0 P + y0), the P&L component `impermanent_loss`. */
static inline double mcr_amm_il(const mcr_amm_lp *lp, double p)
{
    double hold = mcr_amm_hold_value(lp, p);
    return hold > 0.0 ? mcr_amm_value(lp, p) / hold - 1.0 : 0.0;
}

/* 1 while Pa <= P <= Pb, else 0 (v2: always 1). A double so kernels can multiply by it. */
static inline double mcr_amm_in_range(const mcr_amm_lp *lp, double p)
{
    return ((p >= lp->lower) & (p <= lp->upper)) ? 1.0 : 0.0;
}

/* d2V/dP2 = x'(P) = -L / (2 P^{3/2}) in range, 0 outside (x is constant there), 1 / USD. */
static inline double mcr_amm_gamma(const mcr_amm_lp *lp, double p)
{
    double q = fmax(p, DBL_MIN);
    return -0.5 * lp->liquidity / (q * sqrt(q)) * mcr_amm_in_range(lp, p);
}

/* Fee income of one step: fee x volume_per_day x days x value, only while in range (the issue's
 * rule: the volume is a fraction of the position's value per day). `value` is the position's
 * value the caller charges on (the engine uses the value at the step's start) and `in_range`
 * its mcr_amm_in_range. Paid out as cash (component `lp_fees`), not reinvested. */
static inline double mcr_amm_fee_income(const mcr_amm_pool *pool, double value, double days,
                                        double in_range)
{
    return pool->fee * pool->volume_per_day * days * value * in_range;
}

/* Instantaneous loss-versus-rebalancing, USD per year (Milionis, Moallemi, Roughgarden, Zhang
 * 2022, "Automated market making and loss-versus-rebalancing", arXiv:2208.06046):
 *   LVR = sigma^2 P^2 / 2 |x'(P)|,   x'(P) = -L / (2 P^{3/2}) in range, 0 outside,
 * so LVR = sigma^2 L sqrt(P) / 4 in range (v2: sigma^2 V / 8). sigma: annual volatility. */
static inline double mcr_amm_lvr_rate(const mcr_amm_lp *lp, double sigma, double p)
{
    return 0.25 * sigma * sigma * lp->liquidity * sqrt(fmax(p, 0.0)) * mcr_amm_in_range(lp, p);
}

/* --- Uniswap v2 closed forms (Adams et al. 2020; REFERENCE_VALUES 11a) */

/* V = 2 sqrt(k P). */
static inline double mcr_amm_v2_value(double k, double p) { return 2.0 * sqrt(k * p); }

/* Impermanent loss against holding at r = P / P0: 2 sqrt(r) / (1 + r) - 1; symmetric under
 * r -> 1/r, 0 at r = 1, -> -1 as r -> 0 or infinity. */
static inline double mcr_amm_v2_il_ratio(double r)
{
    return 2.0 * sqrt(r) / (1.0 + r) - 1.0;
}

/* E[V_T] of a v2 position without fees when P is GBM with mu = 0: V_T = V0 sqrt(P_T / P0) and
 * E[sqrt(P_T / P0)] = exp(-sigma^2 T / 8) (Milionis et al. 2022: the LVR rate sigma^2 / 8 V
 * integrated). */
static inline double mcr_amm_v2_expected_value(double v0, double sigma, double t)
{
    return v0 * exp(-0.125 * sigma * sigma * t);
}

#endif
