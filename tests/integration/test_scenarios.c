/* Stress scenarios on the engine, against closed forms or exact deterministic figures:
 * volatility and jump multipliers (Monte Carlo within 4 standard errors), multi-leg shocks (the
 * mean of S_T, the liquidation step, the same S_T whether the block is fed step by step or jumps
 * to the horizon), implied-vol shifts (Black-Scholes prices and vega), and on replayed
 * deterministic paths funding shifts and paths, slippage and impact multipliers, venue outages
 * and a collateral depeg. (The scenario keys themselves: tests/unit/config/test_scenario_keys.c.) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_expect.h"
#include "models/black_scholes.h"
#include "sim/sim.h"
#include "scenario/market.h"
#include "scenario/view.h"
#include "strategies/hedge.h"

/* ---- engine: Monte Carlo on simulated paths ---- */

typedef struct run_out {
    uint64_t n;
    double *pnl;
    int32_t *liq;
} run_out;

/* Simulate scenario `sc`; the P&L and liquidation step of strategy `strategy`. */
static run_out simulate(const mcr_config *cfg, int sc, int strategy)
{
    uint64_t n = cfg->paths;
    mcr_hedge_out out[MCR_MAX_STRATEGIES];
    memset(out, 0, sizeof out);
    for (int s = 0; s < cfg->n_strategies; s++) {
        out[s].at[MCR_FIELD_PNL] = malloc(n * sizeof(double));
        out[s].at[MCR_FIELD_LIQUIDATION_STEP] = malloc(n * sizeof(int32_t));
    }
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2};
    mcr_error err = {0};
    cr_assert_eq(mcr_simulate(cfg, sc, &opt, out, &err), MCR_OK, "%s", err.msg);
    for (int s = 0; s < cfg->n_strategies; s++)
        if (s != strategy) {
            free(out[s].at[MCR_FIELD_PNL]);
            free(out[s].at[MCR_FIELD_LIQUIDATION_STEP]);
        }
    return (run_out){.n = n, .pnl = out[strategy].at[MCR_FIELD_PNL],
                     .liq = out[strategy].at[MCR_FIELD_LIQUIDATION_STEP]};
}

static void run_out_free(run_out *r)
{
    free(r->pnl);
    free(r->liq);
}

/* Sample mean, variance and the standard errors of both (the variance's from the fourth
 * central moment) of x[i]. */
typedef struct moments {
    double mean, mean_se, var, var_se;
} moments;

static moments moments_of(const double *x, uint64_t n)
{
    double m = 0, m2 = 0, m4 = 0;
    for (uint64_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (uint64_t i = 0; i < n; i++) {
        double d = (x[i] - m) * (x[i] - m);
        m2 += d;
        m4 += d * d;
    }
    m2 /= (double)(n - 1);
    m4 /= (double)n;
    return (moments){.mean = m, .mean_se = sqrt(m2 / (double)n), .var = m2,
                     .var_se = sqrt((m4 - m2 * m2) / (double)n)};
}

/* ln(S_T / S0) of every path from the unhedged P&L of one unit of spot at S0. */
static void log_returns(run_out *r, double s0)
{
    for (uint64_t i = 0; i < r->n; i++)
        r->pnl[i] = log1p(r->pnl[i] / s0);
}

Test(scenarios, vol_multiplier_doubles_std)
{
    mcr_config cfg;
    load_ok("run: {paths: 20000, seed: 7}\n"
            "horizon: {days: 30, steps: 30}\n" ASSET_BTC
            "scenarios: [{name: base}, {name: vol2, vol_multiplier: 2}]\n",
            &cfg);
    double T = 30 / 365.0, sd = 0.8 * sqrt(T);
    run_out a = simulate(&cfg, 0, 0), b = simulate(&cfg, 1, 0);
    log_returns(&a, 100);
    log_returns(&b, 100);
    moments ma = moments_of(a.pnl, a.n), mb = moments_of(b.pnl, b.n);
    double sa = sqrt(ma.var), sb = sqrt(mb.var);
    double se_a = ma.var_se / (2 * sa), se_b = mb.var_se / (2 * sb); /* delta method */
    cr_assert_leq(fabs(sa - sd), 4 * se_a, "std %g, exact %g, se %g", sa, sd, se_a);
    cr_assert_leq(fabs(sb - 2 * sd), 4 * se_b, "std %g, exact %g, se %g", sb, 2 * sd, se_b);
    cr_assert_lt(se_b, 0.01 * sb);
    /* the same normals: the doubled scenario's log returns are 2 w sigma sqrt(T) + drift */
    cr_assert_float_eq(sb / sa, 2.0, 1e-9);
    run_out_free(&a);
    run_out_free(&b);
    mcr_config_free(&cfg);
}

Test(scenarios, jump_multiplier_scales_jump_variance)
{
    mcr_config cfg;
    load_ok("run: {paths: 40000, seed: 11}\n"
            "horizon: {days: 30, steps: 30}\n"
            "market:\n"
            "  assets:\n"
            "    - name: BTC\n"
            "      spot: 100\n"
            "      model: {type: merton, sigma: 0.4, jump_intensity: 20, jump_mean: -0.1,\n"
            "              jump_std: 0.15}\n"
            "      implied_vol: {atm: 0.8}\n"
            "scenarios:\n"
            "  - {name: base}\n"
            "  - {name: none, jump_multiplier: 0}\n"
            "  - {name: twice, jump_multiplier: 2}\n",
            &cfg);
    double T = 30 / 365.0, jump2 = 0.1 * 0.1 + 0.15 * 0.15;
    double exact[3] = {(0.16 + 20 * jump2) * T, 0.16 * T, (0.16 + 40 * jump2) * T};
    for (int s = 0; s < 3; s++) {
        run_out r = simulate(&cfg, s, 0);
        moments p = moments_of(r.pnl, r.n); /* E[S_T] = S0: mu = 0 is compensated */
        cr_assert_leq(fabs(p.mean), 4 * p.mean_se, "%s: mean P&L %g, se %g",
                      cfg.scenarios[s].name, p.mean, p.mean_se);
        log_returns(&r, 100);
        moments m = moments_of(r.pnl, r.n);
        cr_assert_leq(fabs(m.var - exact[s]), 4 * m.var_se, "%s: var %g, exact %g, se %g",
                      cfg.scenarios[s].name, m.var, exact[s], m.var_se);
        cr_assert_lt(m.var_se, 0.03 * exact[s]);
        run_out_free(&r);
    }
    mcr_config_free(&cfg);
}

/* Three legs on a mu = 0 GBM: E[S_T] = S0 x the product of (1 + return); step by step (a perp
 * hedge needs the path) and straight to the horizon (unhedged only) give the same S_T. */
Test(scenarios, shock_legs_multiply)
{
    static const char market[] =
        "run: {paths: 8000, seed: 3}\n"
        "horizon: {days: 10, steps: 240}\n"
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.3}}\n"
        "funding: {rate: 0}\n"
        "scenarios:\n"
        "  - name: legs\n"
        "    shocks: [{day: 1, return: -0.2}, {day: 3, return: -0.15}, {day: 6.5, return: 0.1}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%s%s", market,
             "strategies:\n"
             "  - {name: unhedged, type: none}\n"
             "  - {name: perp, type: perp_hedge, contract: linear}\n");
    mcr_config path_cfg, jump_cfg;
    load_ok(yaml, &path_cfg);
    snprintf(yaml, sizeof yaml, "%s%s", market, "strategies: [{name: unhedged, type: none}]\n");
    load_ok(yaml, &jump_cfg);
    run_out a = simulate(&path_cfg, 0, 0), b = simulate(&jump_cfg, 0, 0);
    double exact = 100 * (0.8 * 0.85 * 1.1 - 1);
    moments m = moments_of(a.pnl, a.n);
    cr_assert_leq(fabs(m.mean - exact), 4 * m.mean_se, "mean %g, exact %g, se %g", m.mean, exact,
                  m.mean_se);
    cr_assert_lt(m.mean_se, 0.5);
    for (uint64_t i = 0; i < a.n; i++)
        cr_assert(fabs(a.pnl[i] - b.pnl[i]) <= 1e-9 * 100, "path %llu: %.15g vs %.15g",
                  (unsigned long long)i, a.pnl[i], b.pnl[i]);
    run_out_free(&a);
    run_out_free(&b);
    mcr_market mp;
    mcr_error err = {0};
    cr_assert_eq(mcr_market_init(&mp, &path_cfg, 0, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mp.n_shocks, 3);
    /* day d lands before step round(d x 24) is simulated */
    cr_assert_float_eq(mcr_market_shock_at_step(&mp, 23), log(0.8), 1e-15);
    cr_assert_float_eq(mcr_market_shock_at_step(&mp, 71), log(0.85), 1e-15);
    cr_assert_float_eq(mcr_market_shock_at_step(&mp, 155), log(1.1), 1e-15);
    cr_assert_eq(mcr_market_shock_at_step(&mp, 24), 0.0);
    cr_assert_eq(mcr_market_chunk(&mp, 0, 32), 23);
    cr_assert_eq(mcr_market_chunk(&mp, 23, 32), 32);
    cr_assert_eq(mcr_market_chunk(&mp, 60, 32), 11);
    cr_assert_eq(mcr_market_chunk(&mp, 155, 32), 32);
    mcr_config_free(&path_cfg);
    mcr_config_free(&jump_cfg);

    /* legs 15 minutes apart land on the same hourly step: one shift, their product */
    load_ok("horizon: {days: 10, steps: 240}\n" ASSET_BTC
            "scenarios: [{name: s, shocks: [{day: 2, return: -0.2}, {day: 2.01, return: -0.1}]}]\n",
            &path_cfg);
    cr_assert_eq(mcr_market_init(&mp, &path_cfg, 0, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mp.n_shocks, 1);
    cr_assert_float_eq(mcr_market_shock_at_step(&mp, 47), log(0.8 * 0.9), 1e-15);
    cr_assert_float_eq(mp.shock_total, log(0.8 * 0.9), 1e-15);
    mcr_config_free(&path_cfg);
}

/* A short perp with 10% margin survives a -10% leg (it gains) and is liquidated by the +45% leg
 * at day 5, at the step the leg lands on, on every path (the diffusion is too small to matter). */
Test(scenarios, shock_legs_liquidate_on_their_step)
{
    mcr_config cfg;
    load_ok("run: {paths: 256, seed: 5}\n"
            "horizon: {days: 10, steps: 240}\n"
            "market:\n"
            "  assets:\n"
            "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.05}}\n"
            "strategies: [{name: perp, type: perp_hedge, contract: linear}]\n"
            "funding: {rate: 0}\n"
            "margin: {mode: isolated, initial: 0.1, maintenance: 0.05, liquidation_fee: 0}\n"
            "scenarios:\n"
            "  - {name: calm}\n"
            "  - {name: squeeze, shocks: [{day: 2, return: -0.1}, {day: 5, return: 0.45}]}\n",
            &cfg);
    run_out calm = simulate(&cfg, 0, 0), squeeze = simulate(&cfg, 1, 0);
    for (uint64_t i = 0; i < calm.n; i++) {
        cr_assert_eq(calm.liq[i], -1, "path %llu", (unsigned long long)i);
        cr_assert_eq(squeeze.liq[i], 120, "path %llu: liquidated at step %d",
                     (unsigned long long)i, squeeze.liq[i]);
    }
    run_out_free(&calm);
    run_out_free(&squeeze);
    mcr_config_free(&cfg);
}

/* ---- engine: option premiums on the scenario's surface ---- */

/* ---- engine: replayed deterministic paths ---- */

typedef struct replay_out {
    double comp[MCR_N_COMPONENTS];
    int32_t liq;
    uint32_t trades;
} replay_out;

/* One deterministic path (path[0] = S0 .. path[steps]) through the strategy engine in scenario
 * `sc`, for strategy `strategy`; odd chunks, as the chunking must not matter. */
static replay_out replay(const mcr_config *cfg, int sc, int strategy, const double *path)
{
    mcr_hedge_plan plan;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&plan, cfg, sc, &err), MCR_OK, "%s", err.msg);
    mcr_hedge_work *w = mcr_hedge_work_new(&plan, mcr_kernels_of(MCR_ISA_SCALAR));
    size_t size = (size_t)cfg->steps * MCR_BLOCK_PATHS;
    double *price = malloc(size * sizeof *price), *log_price = malloc(size * sizeof *price);
    for (int t = 0; t < cfg->steps; t++)
        for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
            price[t * MCR_BLOCK_PATHS + i] = path[t + 1];
            log_price[t * MCR_BLOCK_PATHS + i] = log(path[t + 1]);
        }
    double pnl[MCR_MAX_STRATEGIES], comp[MCR_MAX_STRATEGIES][MCR_N_COMPONENTS];
    int32_t liq[MCR_MAX_STRATEGIES];
    uint32_t trades[MCR_MAX_STRATEGIES];
    mcr_hedge_out out[MCR_MAX_STRATEGIES];
    memset(out, 0, sizeof out);
    for (int s = 0; s < cfg->n_strategies; s++) {
        out[s].at[MCR_FIELD_PNL] = &pnl[s];
        out[s].at[MCR_FIELD_LIQUIDATION_STEP] = &liq[s];
        out[s].at[MCR_FIELD_TRADES] = &trades[s];
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            out[s].at[MCR_FIELD_COMPONENT + c] = &comp[s][c];
    }
    mcr_hedge_begin(w, 0);
    for (int t = 0; t < cfg->steps; t += 5) {
        size_t at = (size_t)t * MCR_BLOCK_PATHS;
        const double *const s[] = {price + at}, *const ls[] = {log_price + at};
        mcr_hedge_steps(w, t, cfg->steps - t < 5 ? cfg->steps - t : 5, s, ls, MCR_BLOCK_PATHS);
    }
    mcr_hedge_end(w, 1, out);
    replay_out r = {.liq = liq[strategy], .trades = trades[strategy]};
    memcpy(r.comp, comp[strategy], sizeof r.comp);
    free(price);
    free(log_price);
    mcr_hedge_work_free(w);
    mcr_hedge_plan_free(&plan);
    return r;
}

/* Implied-vol shocks revalue: options are bought at t0 at the market's (pre-stress) surface, and
 * the scenario's shifted surface marks those still alive at the horizon (and gives the deltas).
 * Puts of 30 days over a 10-day horizon on a flat path at 100: the premium is the same in every
 * scenario and the mark is Black-Scholes at the shifted smile with 20 days left. */
Test(scenarios, implied_vol_shift_revalues_options)
{
    mcr_config cfg;
    load_ok("horizon: {days: 10, steps: 10}\n"
            "market:\n"
            "  rate: 0.02\n"
            "  assets:\n"
            "    - name: BTC\n"
            "      spot: 100\n"
            "      model: {type: gbm, sigma: 0.6}\n"
            "      implied_vol: {atm: 0.6, skew: -0.1}\n"
            "strategies:\n"
            "  - {name: put90, type: protective_put, strike: 0.9, expiry_days: 30}\n"
            "  - {name: collar, type: collar, put_strike: 0.9, call_strike: auto,\n"
            "     expiry_days: 30}\n"
            "scenarios:\n"
            "  - {name: base}\n"
            "  - {name: up, implied_vol_shift: 0.2}\n"
            "  - {name: bump, implied_vol_shift: 0.0001}\n"
            "  - {name: skewed, skew_shift: -0.3}\n",
            &cfg);
    double K = 90, r = 0.02, T0 = 30 / 365.0, T1 = 20 / 365.0;
    double x0 = log(K / (100 * exp(r * T0))) / sqrt(T0), x1 = log(K / (100 * exp(r * T1))) / sqrt(T1);
    mcr_euro put0 = {.payoff = MCR_PUT, .spot = 100, .strike = K, .expiry = T0, .rate = r};
    mcr_euro put1 = {.payoff = MCR_PUT, .spot = 100, .strike = K, .expiry = T1, .rate = r};
    double vol1[4] = {0.6 - 0.1 * x1, 0.8 - 0.1 * x1, 0.6001 - 0.1 * x1, 0.6 - 0.4 * x1};
    double premium = mcr_bs_price(&put0, 0.6 - 0.1 * x0), mark[4];
    double flat[11];
    for (int t = 0; t <= 10; t++)
        flat[t] = 100;
    for (int sc = 0; sc < 4; sc++) {
        mcr_hedge_plan plan;
        mcr_error err = {0};
        cr_assert_eq(mcr_hedge_plan_init(&plan, &cfg, sc, &err), MCR_OK, "%s", err.msg);
        cr_assert_float_eq(plan.parts[plan.strategies[0].first].premium0, premium, 1e-12, "%s: premium",
                           cfg.scenarios[sc].name);
        cr_assert(fabs(plan.parts[plan.strategies[1].first].premium0) < 1e-9, "%s: the collar stays zero-cost (%g)",
                  cfg.scenarios[sc].name, plan.parts[plan.strategies[1].first].premium0);
        mcr_hedge_plan_free(&plan);
        mark[sc] = replay(&cfg, sc, 0, flat).comp[MCR_PNL_HEDGE];
        cr_assert_float_eq(mark[sc], mcr_bs_price(&put1, vol1[sc]), 1e-10, "%s: mark",
                           cfg.scenarios[sc].name);
    }
    /* +20 vol points are worth about vega x 0.2; a small bump is vega exactly */
    double vega = mcr_bs_greeks_of(&put1, vol1[0]).vega;
    cr_assert(mark[1] - mark[0] > 0.9 * vega * 0.2 && mark[1] - mark[0] < 1.1 * vega * 0.2,
              "+0.2: %g, vega x 0.2 = %g", mark[1] - mark[0], vega * 0.2);
    cr_assert_float_eq((mark[2] - mark[0]) / 0.0001, vega, 1e-3 * vega);
    cr_assert_gt(mark[3], mark[0], "a steeper put skew makes the OTM put dearer");
    mcr_config_free(&cfg);
}

/* 2 days of hourly steps; funding every 8 h (steps 8, 16, .., 48). */
#define TWO_DAYS                                                                                   \
    "horizon: {days: 2, steps: 48}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}, implied_vol: {atm: 0.5}}\n"

static void rising_path(double *p)
{
    for (int t = 0; t <= 48; t++)
        p[t] = 100 * (1 + 0.01 * t);
}

Test(scenarios, funding_shift_and_path_exact)
{
    mcr_config cfg;
    load_ok(TWO_DAYS
            "strategies: [{name: perp, type: perp_hedge, contract: linear}]\n"
            "funding: {interval_hours: 8, rate: 0.0001}\n"
            "margin: {mode: none}\n"
            "scenarios:\n"
            "  - {name: base}\n"
            "  - {name: shifted, funding_shift: -0.0005}\n"
            "  - name: path\n"
            "    funding_path: [{from_day: 0.5, rate: 0.001}, {from_day: 1, rate: -0.002}]\n",
            &cfg);
    double path[49];
    rising_path(path);
    /* the short perp (q = -1) receives S x rate at each funding time (longs pay shorts) */
    double sum = 0, by_path = 0;
    for (int k = 1; k <= 6; k++) {
        double s = path[8 * k], day = k / 3.0;
        sum += s;
        by_path += s * (day >= 1 - 1e-12 ? -0.002 : (day >= 0.5 ? 0.001 : 0.0001));
    }
    replay_out base = replay(&cfg, 0, 0, path), shifted = replay(&cfg, 1, 0, path),
               pieces = replay(&cfg, 2, 0, path);
    cr_assert_float_eq(base.comp[MCR_PNL_FUNDING], 0.0001 * sum, 1e-12);
    cr_assert_float_eq(shifted.comp[MCR_PNL_FUNDING] - base.comp[MCR_PNL_FUNDING], -0.0005 * sum,
                       1e-12);
    cr_assert_float_eq(pieces.comp[MCR_PNL_FUNDING], by_path, 1e-12);
    cr_assert_eq(shifted.comp[MCR_PNL_HEDGE], base.comp[MCR_PNL_HEDGE], "only funding moves");
    mcr_config_free(&cfg);
}

/* A short call makes the book's delta move every step on a zig-zag path: a delta hedge trades
 * at every step 0..47, except inside the outage. */
static void zigzag_path(double *p)
{
    for (int t = 0; t <= 48; t++)
        p[t] = 100 * (1 + 0.02 * sin(t));
}

#define HEDGED_BOOK                                                                                \
    "portfolio:\n"                                                                                 \
    "  - {asset: BTC, instrument: spot, quantity: 1}\n"                                            \
    "  - {asset: BTC, instrument: call, strike: 100, expiry_days: 3, quantity: -1}\n"              \
    "strategies:\n"                                                                                \
    "  - {name: delta, type: delta_hedge, instrument: spot, rebalance: {every_steps: 1}}\n"

Test(scenarios, no_rebalance_window_blocks_trades)
{
    mcr_config cfg;
    load_ok(TWO_DAYS HEDGED_BOOK
            "scenarios:\n"
            "  - {name: base}\n"
            "  - {name: outage, no_rebalance: {from_day: 0.5, to_day: 1}}\n"
            "  - {name: to_end, no_rebalance: {from_day: 1.5}}\n"
            "  - {name: from_start, no_rebalance: {from_day: 0, to_day: 0.3}}\n",
            &cfg);
    double path[49];
    zigzag_path(path);
    /* steps 12..23, 36..47 and 0..7 (t x 1/24 days in the window) are blocked */
    uint32_t expect[4] = {48, 36, 36, 40};
    for (int s = 0; s < 4; s++) {
        replay_out r = replay(&cfg, s, 0, path);
        cr_assert_eq(r.trades, expect[s], "%s: %u trades", cfg.scenarios[s].name, r.trades);
    }
    mcr_config_free(&cfg);
}

Test(scenarios, cost_multipliers_scale_exactly)
{
    static const char *const costs[2] = {"costs: {fee_bps: 5, slippage_bps: 10}\n",
                                         "costs: {fee_bps: 5, impact: 0.01, "
                                         "impact_notional: 1000}\n"};
    double path[49];
    zigzag_path(path);
    for (int c = 0; c < 2; c++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml, "%s%s%s", TWO_DAYS HEDGED_BOOK, costs[c],
                 "scenarios:\n"
                 "  - {name: base}\n"
                 "  - {name: stressed, slippage_multiplier: 3, impact_multiplier: 5}\n");
        mcr_config cfg;
        load_ok(yaml, &cfg);
        replay_out a = replay(&cfg, 0, 0, path), b = replay(&cfg, 1, 0, path);
        double m = c == 0 ? 3.0 : 5.0;
        cr_assert_lt(a.comp[MCR_PNL_SLIPPAGE], 0.0);
        cr_assert_float_eq(b.comp[MCR_PNL_SLIPPAGE], m * a.comp[MCR_PNL_SLIPPAGE],
                           1e-12 * fabs(a.comp[MCR_PNL_SLIPPAGE]));
        cr_assert_eq(b.comp[MCR_PNL_FEES], a.comp[MCR_PNL_FEES], "fees are not multiplied");
        cr_assert_eq(b.trades, a.trades);
        mcr_config_free(&cfg);
    }
}

/* A flat path and a short linear perp with 10% margin, 5% maintenance: equity 10 against 5.
 * Counted at 0.4 inside a depeg window it is 4: liquidated at the window's first step; at 0.6
 * it survives, and under cross margin the book's spot keeps it alive. A depeg that lasts to the
 * horizon costs (1 - price) x the account. */
Test(scenarios, depeg_liquidates_and_costs_collateral)
{
    static const char base[] = TWO_DAYS
        "strategies: [{name: perp, type: perp_hedge, contract: linear}]\n"
        "funding: {rate: 0}\n"
        "scenarios:\n"
        "  - {name: base}\n"
        "  - {name: deep, depeg: {from_day: 0.5, to_day: 1, price: 0.4}}\n"
        "  - {name: mild, depeg: {from_day: 0.5, to_day: 1, price: 0.6}}\n"
        "  - {name: at_end, depeg: {from_day: 1.5, price: 0.9}}\n"
        "  - {name: recovered, depeg: {from_day: 1.5, to_day: 1.9, price: 0.9}}\n";
    double path[49];
    for (int t = 0; t <= 48; t++)
        path[t] = 100;
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%s%s", base,
             "margin: {mode: isolated, initial: 0.1, maintenance: 0.05, liquidation_fee: 0}\n");
    mcr_config cfg;
    load_ok(yaml, &cfg);
    int32_t liq[5] = {-1, 12, -1, -1, -1};
    double hedge[5] = {0, 0, 0, -0.1 * 10, 0};
    for (int s = 0; s < 5; s++) {
        replay_out r = replay(&cfg, s, 0, path);
        cr_assert_eq(r.liq, liq[s], "%s: liquidated at %d", cfg.scenarios[s].name, r.liq);
        cr_assert_float_eq(r.comp[MCR_PNL_HEDGE], hedge[s], 1e-12, "%s: hedge %g",
                           cfg.scenarios[s].name, r.comp[MCR_PNL_HEDGE]);
    }
    mcr_config_free(&cfg);

    snprintf(yaml, sizeof yaml, "%s%s", base,
             "margin: {mode: cross, initial: 0.1, maintenance: 0.05, liquidation_fee: 0}\n");
    load_ok(yaml, &cfg);
    cr_assert_eq(replay(&cfg, 1, 0, path).liq, -1, "cross margin: the book's spot counts");
    mcr_config_free(&cfg);
}
