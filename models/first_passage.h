/* First passage of geometric Brownian motion through a barrier: the probability that the price
 * touches a level before a horizon, monitored continuously (closed form by reflection) or at
 * discrete dates (Broadie-Glasserman-Kou continuity correction). This is the liquidation
 * probability of a static perpetual position whose margin is checked every step
 * (docs/REFERENCE_VALUES.md 6a, 6d).
 *
 * Price: S_u = S0 exp(nu u + sigma W_u), nu = mu - sigma^2/2, for mu = m->mu (the real-world
 * drift for risk; r - q for pricing) and sigma = m->sigma >= 0. With b = ln(H/S0) and
 * sd = sigma sqrt(T):
 *   down (H < S0):  P(min S <= H) = N((b - nu T)/sd) + (H/S0)^{2 nu/sigma^2} N((b + nu T)/sd)
 *   up   (H > S0):  P(max S >= H) = N((-b + nu T)/sd) + (H/S0)^{2 nu/sigma^2} N((-b - nu T)/sd)
 * The second term is evaluated without overflow when (H/S0)^{2 nu/sigma^2} is huge and the normal
 * tail tiny (small sigma, long T): it equals phi((b - nu T)/sd) times a Mills ratio. */
#ifndef MCR_FIRST_PASSAGE_H
#define MCR_FIRST_PASSAGE_H

#include "gbm.h"

/* beta = -zeta(1/2) / sqrt(2 pi) (Broadie, Glasserman and Kou 1997, Math. Finance 7(4)). */
#define MCR_BGK_BETA 0.5825971579390106

/* P(min_{0 <= u <= t} S_u <= barrier), s0 > 0, t >= 0. 1 when barrier >= s0 (already touched),
 * 0 when barrier <= 0. sigma = 0 is the deterministic path. */
double mcr_first_passage_down(const mcr_gbm *m, double s0, double barrier, double t);
/* P(max_{0 <= u <= t} S_u >= barrier); 1 when barrier <= s0. */
double mcr_first_passage_up(const mcr_gbm *m, double s0, double barrier, double t);

/* The same probabilities when S is only observed at dt, 2 dt, ..., t (dt > 0; t a multiple of
 * dt), by the BGK correction: the continuous formula with the barrier moved away from the spot,
 * H e^{-beta sigma sqrt(dt)} for a down barrier and H e^{+beta sigma sqrt(dt)} for an up barrier.
 * The error is o(1/sqrt(m)) for m monitoring dates; it grows when the barrier is within a few
 * sigma sqrt(dt) of s0. A barrier already at or beyond s0 gives 1, as above. */
double mcr_first_passage_down_discrete(const mcr_gbm *m, double s0, double barrier, double t,
                                       double dt);
double mcr_first_passage_up_discrete(const mcr_gbm *m, double s0, double barrier, double t,
                                     double dt);

#endif
