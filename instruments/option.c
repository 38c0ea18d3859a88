/* European option legs (option.h): premiums on the market's surface, marks on a scenario's. */
#include "option.h"

#include <math.h>

const mcr_key_word mcr_settlement_words[] = {
    {"usd", 0, "premium, payoff and mark in the quote currency"},
    {"coin", 1, "premium (Black-Scholes / S0), payoff (max(S-K,0)/S, max(K-S,0)/S) and mark in "
                "coin, converted at the final price (Deribit)"},
    {NULL, 0, NULL},
};

mcr_leg_env mcr_leg_env_of(const mcr_config *cfg)
{
    return (mcr_leg_env){.cfg = cfg, .dt = mcr_config_dt(cfg), .rate = cfg->rate,
                         .steps = cfg->steps};
}

/* An expiry on the grid settles at that step; one beyond the horizon at steps + 1. */
static int step_of_expiry(double expiry, double dt, int steps)
{
    double k = expiry / dt;
    int step = (int)ceil(k - 1e-9);
    return step > steps ? steps + 1 : (step < 1 ? 1 : step);
}

static mcr_euro euro_of(const mcr_leg *l, double rate, double spot, double tau)
{
    return (mcr_euro){.payoff = l->payoff, .spot = spot, .strike = l->strike, .expiry = tau,
                      .rate = rate, .yield = 0.0};
}

mcr_leg mcr_leg_make(const mcr_leg_env *env, int asset, mcr_payoff type, double strike,
                     double expiry_days, double qty)
{
    mcr_leg l = {.asset = asset, .payoff = type, .strike = strike, .expiry = expiry_days / 365.0,
                 .quantity = qty, .venue = -1};
    l.expiry_step = step_of_expiry(l.expiry, env->dt, env->steps);
    const mcr_vol_surface *market = &env->cfg->assets[asset].implied_vol;
    double s0 = env->cfg->assets[asset].spot, forward = s0 * exp(env->rate * l.expiry);
    mcr_euro o = euro_of(&l, env->rate, s0, l.expiry);
    l.price0 = mcr_bs_price(&o, mcr_vol_surface_vol(market, strike, forward, l.expiry));
    return l;
}

double mcr_leg_value(const mcr_leg *l, const mcr_vol_surface *v, double rate, double s,
                     double tau)
{
    mcr_euro o = euro_of(l, rate, s, tau);
    return mcr_bs_price(&o, mcr_vol_surface_vol(v, l->strike, s * exp(rate * tau), tau));
}

static double call_price_at(const mcr_leg_env *env, int asset, double expiry_days, double k)
{
    double s0 = env->cfg->assets[asset].spot;
    return mcr_leg_make(env, asset, MCR_CALL, k * s0, expiry_days, 1.0).price0;
}

double mcr_leg_call_strike_for(const mcr_leg_env *env, int asset, double expiry_days,
                               double premium)
{
    double lo = 1e-3, hi = 1.0;
    while (call_price_at(env, asset, expiry_days, hi) > premium && hi < 64.0) {
        lo = hi;
        hi *= 1.25;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (call_price_at(env, asset, expiry_days, mid) > premium)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}
