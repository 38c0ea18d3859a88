/* European option legs, held by the book (call and put positions) or bought and sold by option
 * strategies: the leg, its premium at t0 on the market's implied-vol surface, its payoff, its
 * mark and greeks on a scenario's surface for the paths of a block. */
#ifndef MCR_OPTION_H
#define MCR_OPTION_H

#include <stdbool.h>

#include "config/config.h"
#include "models/black_scholes.h"
#include "models/vol_surface.h"

typedef struct mcr_leg {
    int asset;
    mcr_payoff payoff;
    double strike;   /* absolute */
    double expiry;   /* years from t0 */
    int expiry_step; /* settled at this step (payoff), or steps + 1 if it outlives the horizon */
    double quantity; /* negative = sold */
    double price0;   /* value at t0 on the market's surface, per unit (USD) */
    bool coin;       /* coin-settled (Deribit): premium price0 / S0 and payoff in coin */
    int venue;       /* where it is held (an index into cfg->venues), -1: nowhere that fails;
                      * if it fails, the engine closes the leg at its mark there */
} mcr_leg;

/* The `settlement` key's words (call/put positions and option strategies): usd or coin. */
extern const mcr_key_word mcr_settlement_words[];

/* What pricing a leg at t0 needs. */
typedef struct mcr_leg_env {
    const mcr_config *cfg;
    double dt, rate;
    int steps;
} mcr_leg_env;

mcr_leg_env mcr_leg_env_of(const mcr_config *cfg);

/* A leg bought (qty > 0) or sold at t0: its premium is the market's price before any stress, on
 * the market's own surface; a scenario's surface marks it and gives its deltas afterwards, so a
 * vol shock shows up as a mark-to-market gain or loss. Held at no venue (venue -1). */
mcr_leg mcr_leg_make(const mcr_leg_env *env, int asset, mcr_payoff type, double strike,
                     double expiry_days, double qty);

/* Payoff per unit at spot s. */
static inline double mcr_leg_payoff(const mcr_leg *l, double s)
{
    double x = l->payoff == MCR_CALL ? s - l->strike : l->strike - s;
    return x > 0.0 ? x : 0.0;
}

/* Value per unit with tau years left at spot s, on surface v (Black-Scholes at the surface vol). */
double mcr_leg_value(const mcr_leg *l, const mcr_vol_surface *v, double rate, double s,
                     double tau);

/* The relative call strike (to S0) whose premium per unit equals `premium`: a zero-cost collar's
 * call. A smile can make far out-of-the-money calls dear again, so the root is bracketed from the
 * money upwards (the first strike whose call is cheap enough) and then bisected, where the price
 * decreases. */
double mcr_leg_call_strike_for(const mcr_leg_env *env, int asset, double expiry_days,
                               double premium);

#endif
