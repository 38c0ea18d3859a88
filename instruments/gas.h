/* Gas: what an on-chain action costs (costs.gas_per_tx, quote currency per transaction). Every
 * on-chain action of a strategy part (a trade of a hedge with onchain: true; an LP adjustment, a
 * loan repayment or a vault rebalance of the DeFi strategies) is charged here, so the component
 * `gas` and the count `onchain_txs` come from one place. */
#ifndef MCR_GAS_H
#define MCR_GAS_H

#include "position.h"

/* Path i made n[i] on-chain transactions at step t: gas_per_tx each, paid then and carried to
 * the horizon (g_t), in the component gas; counted in onchain_txs. */
static inline void mcr_gas_pay(const mcr_venue *v, mcr_part_state *o, int t, const uint32_t *n)
{
    double cost = v->costs.gas_per_tx * v->growth[t];
    for (int i = 0; i < MCR_NP; i++) {
        o->comp[MCR_PNL_GAS][i] -= cost * n[i];
        o->onchain_txs[i] += n[i];
    }
}

#endif
