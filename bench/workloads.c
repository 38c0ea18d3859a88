/* The reference workloads and their answers: W1 (GBM) and W2 (Merton) against the closed-form
 * distribution of S_T, WH (Heston) against the characteristic-function distribution, W3 (hourly
 * delta hedge of a short call with a perpetual) against Derman-Kamal on its cost-free variant, WS
 * (configs/stress.yaml, embedded at build time) against its stored figures (ws_reference.c). */
#include "workloads.h"

#include "stress_yaml.h"

#include <math.h>

#include "models/distribution.h"

/* Long 1 spot: mean and std of S_T, VaR99 and CVaR99 of the loss S0 - S_T. */
static int spot_expected(const mcr_config *cfg, mcr_expected *out)
{
    const mcr_model *m = &cfg->assets[0].model;
    double s0 = cfg->assets[0].spot, t = cfg->horizon_days / 365.0;
    out[0] = (mcr_expected){"mean S_T", MCR_FIG_MEAN, 0, s0, mcr_model_terminal_mean(m, s0, t),
                            0, 0, 0, 0};
    out[1] = (mcr_expected){"std S_T", MCR_FIG_STD, 0, 0,
                            sqrt(mcr_model_terminal_variance(m, s0, t)), 0, 0, 0, 0};
    out[2] = (mcr_expected){"VaR99", MCR_FIG_VAR, 0.99, 0, mcr_model_var_long(m, s0, t, 0.99),
                            0, 0, 0, 0};
    out[3] = (mcr_expected){"CVaR99", MCR_FIG_CVAR, 0.99, 0,
                            mcr_model_cvar_long(m, s0, t, 0.99), 0, 0, 0, 0};
    return 4;
}

/* Short 1 ATM call delta-hedged N times, no costs: mean 0 (the hedge is self-financing at the
 * true volatility and the premium is the fair price) and std sqrt(pi/4) vega sigma / sqrt(N)
 * (Derman and Kamal 1999), an asymptotic formula: 5% tolerance. */
static int w3_expected(const mcr_config *cfg, mcr_expected *out)
{
    double sigma = cfg->assets[0].model.gbm.sigma, t = cfg->horizon_days / 365.0;
    mcr_euro atm = {.payoff = MCR_CALL, .spot = cfg->assets[0].spot,
                    .strike = cfg->assets[0].spot, /* the W3 book: a call at the money */
                    .expiry = t, .rate = cfg->rate};
    double vega = mcr_bs_greeks_of(&atm, sigma).vega;
    out[0] = (mcr_expected){"mean P&L", MCR_FIG_MEAN, 0, 0, 0.0, 0, 0, 0, 0};
    out[1] = (mcr_expected){"std P&L", MCR_FIG_STD, 0, 0,
                            sqrt(M_PI / 4) * vega * sigma / sqrt(cfg->steps), 0.05, 0, 0, 0};
    return 2;
}

#define MCR_W3_MARKET                                                                         \
    "horizon: {days: 30, steps: 720}\n"                                                       \
    "market:\n"                                                                               \
    "  assets:\n"                                                                             \
    "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8},\n"                  \
    "       implied_vol: {atm: 0.8}}\n"                                                       \
    "portfolio:\n"                                                                            \
    "  - {asset: BTC, instrument: call, strike: 100, expiry_days: 30, quantity: -1}\n"

/* W3's terms as its floor needs them: the yaml's call, implied vol, fee and funding. */
static const mcr_hedge_floor w3_floor = {.strike = 100, .expiry_days = 30, .vol = 0.8,
                                         .fee_bps = 5, .funding_rate = 0.0001,
                                         .funding_hours = 8};

const mcr_workload mcr_workloads[] = {
    {
        .id = "W1",
        .title = "GBM sigma 0.8, 1 y of 365 daily steps, long 1 spot",
        .yaml = "run: {paths: 1000000, seed: 42, levels: [0.99]}\n"
                "horizon: {days: 365, steps: 365}\n"
                "market:\n"
                "  assets:\n"
                "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8}}\n",
        .expected = spot_expected,
    },
    {
        .id = "W2",
        .title = "Merton sigma 0.6, 10 jumps/y of log size N(-0.05, 0.1^2), 365 daily steps, "
                 "long 1 spot",
        .yaml = "run: {paths: 1000000, seed: 42, levels: [0.99]}\n"
                "horizon: {days: 365, steps: 365}\n"
                "market:\n"
                "  assets:\n"
                "    - {name: BTC, spot: 100, model: {type: merton, mu: 0.0, sigma: 0.6,\n"
                "       jump_intensity: 10, jump_mean: -0.05, jump_std: 0.1}}\n",
        .expected = spot_expected,
    },
    {
        .id = "WH",
        .title = "Heston v0 0.64, kappa 2, theta 0.64, xi 1, rho -0.5 (QE scheme), 365 daily "
                 "steps, long 1 spot",
        .yaml = "run: {paths: 1000000, seed: 42, levels: [0.99]}\n"
                "horizon: {days: 365, steps: 365}\n"
                "market:\n"
                "  assets:\n"
                "    - {name: BTC, spot: 100, model: {type: heston, mu: 0.0, v0: 0.64, kappa: 2,\n"
                "       theta: 0.64, xi: 1.0, rho: -0.5}}\n",
        .expected = spot_expected,
    },
    {
        .id = "W3",
        .title = "short 1 ATM call (30 d), hourly delta hedge with a linear perpetual, "
                 "funding 0.01%/8 h, fee 5 bp",
        .yaml = "run: {paths: 200000, seed: 42, levels: [0.99]}\n" MCR_W3_MARKET
                "strategies:\n"
                "  - {name: delta, type: delta_hedge, instrument: linear_perp,\n"
                "     rebalance: {every_steps: 1}}\n"
                "costs: {fee_bps: 5}\n"
                "funding: {interval_hours: 8, rate: 0.0001}\n"
                "margin: {mode: none}\n",
        .validate_yaml = "run: {paths: 200000, seed: 42, levels: [0.99]}\n" MCR_W3_MARKET
                         "strategies:\n"
                         "  - {name: delta, type: delta_hedge, instrument: linear_perp,\n"
                         "     rebalance: {every_steps: 1}}\n"
                         "funding: {interval_hours: 8, rate: 0}\n"
                         "margin: {mode: none}\n",
        .expected = w3_expected,
        .hedge_floor = &w3_floor,
    },
    {
        .id = "WS",
        .title = "the stress grid of configs/stress.yaml: 6 scenarios x 5 strategies, Merton, "
                 "720 hourly steps",
        .yaml = mcr_stress_yaml,
        .expected = mcr_ws_expected,
        .quick_paths = 4000,
        .per_strategy = true,
    },
};
const int mcr_n_workloads = sizeof mcr_workloads / sizeof mcr_workloads[0];
