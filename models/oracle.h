/* The price an on-chain protocol sees: its oracle. A lending protocol reads collateral prices
 * from an oracle (Chainlink feeds, a DEX's time-weighted average), not from the market, so its
 * liquidations lag the market: `oracle: {lag_steps: k}` is the price k steps ago; `{twap_steps:
 * k}` is the average of the last k step prices (this step's included). Prices before t0 are taken
 * as the price at t0. Neither: the market price.
 *
 * The engine keeps the last mcr_oracle_window prices of each asset per path in a ring (slot
 * t mod window holds the price at step t): the lagged price is slot (t - k) mod (k + 1), the TWAP
 * the mean of the k slots. */
#ifndef MCR_ORACLE_H
#define MCR_ORACLE_H

#include "core/keys.h"

#define MCR_ORACLE_MAX_STEPS 1000 /* longest lag or average, in steps */

typedef struct mcr_oracle {
    int lag_steps;  /* >= 1: the price lag_steps steps ago; 0: none */
    int twap_steps; /* >= 1: the mean of the last twap_steps prices; 0: none */
} mcr_oracle;

/* `oracle: {lag_steps | twap_steps}` (exactly one). */
extern const mcr_key mcr_oracle_keys[];

/* Prices the ring holds: lag k: k + 1; TWAP k: k; none: 0. */
static inline int mcr_oracle_window(const mcr_oracle *o)
{
    return o->lag_steps > 0 ? o->lag_steps + 1 : o->twap_steps;
}

/* The oracle's price at step t of one path from its ring (ring[slot * stride]). */
static inline double mcr_oracle_price(const mcr_oracle *o, const double *ring, int stride, int t)
{
    if (o->lag_steps > 0) /* slot (t - k) mod (k + 1) = (t + 1) mod (k + 1) */
        return ring[(size_t)((t + 1) % (o->lag_steps + 1)) * stride];
    double sum = 0.0;
    for (int k = 0; k < o->twap_steps; k++)
        sum += ring[(size_t)k * stride];
    return sum / o->twap_steps;
}

#endif
