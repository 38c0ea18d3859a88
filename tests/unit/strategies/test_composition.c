/* Combined strategies and cross hedges. A combined strategy is the book plus each part's own
 * components: with isolated accounts its P&L is, path by path, the sum of its parts run alone
 * less the book counted twice. Under cross margin its accounts are one. A cross hedge trades
 * another asset's perpetual at beta x the book's value: with beta: auto, the minimum-variance
 * ratio, a static one-day hedge removes about rho^2 of the variance. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/hedge_params.h"
#include "strategy_replay.h"

static mcr_config load(const char *yaml)
{
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "test.yaml", &c, &err), MCR_OK, "%s", err.msg);
    return c;
}

/* A collar on BTC and an inverse-perpetual delta hedge of ETH, alone and combined, under
 * stochastic funding, costs and isolated margin (liquidations happen), in a base and a crash
 * scenario: pnl(combo) = pnl(collar) + pnl(delta) - pnl(none) on every path, and so is every
 * component. */
Test(composition, combined_pnl_is_the_sum_of_its_parts)
{
    sim s = {.cfg = load(
                 "run: {paths: 3000, seed: 7, threads: 2}\n"
                 "horizon: {days: 10, steps: 240}\n"
                 "market:\n"
                 "  rate: 0.01\n"
                 "  assets:\n"
                 "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8},\n"
                 "       implied_vol: {atm: 0.8, skew: -0.1}}\n"
                 "    - {name: ETH, spot: 20, model: {type: merton, sigma: 0.7, "
                 "jump_intensity: 5, jump_mean: -0.05, jump_std: 0.1}}\n"
                 "  correlation: [[1, 0.7], [0.7, 1]]\n"
                 "portfolio: [{asset: BTC, quantity: 1}, {asset: ETH, quantity: 10}]\n"
                 "strategies:\n"
                 "  - {name: none, type: none}\n"
                 "  - {name: collar, type: collar, asset: BTC, put_strike: 0.9}\n"
                 "  - {name: delta, type: delta_hedge, asset: ETH, instrument: inverse_perp,\n"
                 "     rebalance: {every_steps: 4}}\n"
                 "  - name: combo\n"
                 "    combine:\n"
                 "      - {type: collar, asset: BTC, put_strike: 0.9}\n"
                 "      - {type: delta_hedge, asset: ETH, instrument: inverse_perp,\n"
                 "         rebalance: {every_steps: 4}}\n"
                 "costs: {fee_bps: 5, slippage_bps: 1}\n"
                 "funding: {rate: 0.0001, mode: stochastic, beta: 0.01, noise: 0.0002, "
                 "cap: 0.003}\n"
                 "margin: {mode: isolated, initial: 0.1, maintenance: 0.02, "
                 "liquidation_fee: 0.005}\n"
                 "scenarios: [{name: base}, {name: crash, shock: {day: 1, return: -0.3},\n"
                 "             vol_multiplier: 1.5}]\n")};
    cr_assert(s.cfg.strategies[3].combined && s.cfg.strategies[3].n_parts == 2);
    for (int sc = 0; sc < s.cfg.n_scenarios; sc++) {
        simulate_scenario(&s, sc);
        uint64_t liquidated = 0;
        for (uint64_t i = 0; i < s.cfg.paths; i++) {
            double sum = s.pnl[1][i] + s.pnl[2][i] - s.pnl[0][i], scale = 1 + fabs(s.pnl[3][i]);
            cr_assert(fabs(s.pnl[3][i] - sum) <= 1e-9 * scale, "%s path %llu: combo %.15g, parts "
                      "%.15g", s.cfg.scenarios[sc].name, (unsigned long long)i, s.pnl[3][i], sum);
            for (int c = 0; c < MCR_N_COMPONENTS; c++) {
                double parts = s.comp[1][c][i] + s.comp[2][c][i] - s.comp[0][c][i];
                cr_assert(fabs(s.comp[3][c][i] - parts) <= 1e-9 * scale, "%s path %llu: %s",
                          s.cfg.scenarios[sc].name, (unsigned long long)i,
                          mcr_component_names[c]);
            }
            cr_assert_eq(s.liq[3][i], s.liq[2][i], "the combo's liquidation is its hedge's");
            liquidated += s.liq[2][i] >= 0;
        }
        if (sc == 1)
            cr_assert_gt(liquidated, 0, "the crash liquidates some hedges: the test covers it");
        for (int k = 0; k < s.cfg.n_strategies; k++) {
            free(s.pnl[k]);
            free(s.liq[k]);
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                free(s.comp[k][c]);
        }
    }
    mcr_config_free(&s.cfg);
}

/* Cross margin makes a combination's accounts one: a BTC perpetual hedge that loses on a BTC
 * rally is carried by the ETH hedge's gain (and the book's coins) instead of being liquidated,
 * where its isolated account alone is liquidated. Replayed on hand-made paths. */
Test(composition, cross_margin_pools_the_parts)
{
    static const char yaml[] =
        "horizon: {days: 1, steps: 10}\n"
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"
        "    - {name: ETH, spot: 100, model: {type: gbm, sigma: 0.8}}\n"
        "portfolio: [{asset: BTC, quantity: 0.2}, {asset: ETH, quantity: 1}]\n"
        "strategies:\n"
        "  - name: both\n"
        "    combine:\n"
        "      - {type: perp_hedge, asset: BTC, hedge_ratio: 5}\n"
        "      - {type: perp_hedge, asset: ETH}\n"
        "funding: {rate: 0}\n"
        "margin: {mode: %s, initial: 0.1, maintenance: 0.01, liquidation_fee: 0}\n";
    double btc[11], eth[11];
    ramp(btc, 10, 100, 2); /* +20%: the 5x-hedged BTC part's margin of 10 is gone at +10% */
    ramp(eth, 10, 100, -2);
    char text[1024];
    outputs iso, cross;
    snprintf(text, sizeof text, yaml, "isolated");
    mcr_config c = load(text);
    replay_assets(&c, 0, (const double *const[]){btc, eth}, &iso);
    mcr_config_free(&c);
    snprintf(text, sizeof text, yaml, "cross");
    c = load(text);
    replay_assets(&c, 0, (const double *const[]){btc, eth}, &cross);
    mcr_config_free(&c);
    /* isolated: short 1 BTC perp (5 x 0.2) with margin 10 is liquidated when
     * 10 - (S - 100) < 0.01 S, S > 108.9: at step 5 (S = 110) */
    cr_assert_eq(iso.liq[0][0], 5);
    /* cross: equity = 10 + 10 - (S_btc - 100) + (100 - S_eth) + book coins 0.2 S_btc + S_eth
     * stays far above 0.01 (S_btc + S_eth): never liquidated, and the P&L is the whole
     * hedge's: book 0.2 x 20 - 20 + hedge -1 x 20 + 1 x 20 = -16 */
    cr_assert_eq(cross.liq[0][0], -1);
    cr_assert_float_eq(cross.pnl[0][0], 0.2 * 20 - 20 - 20 + 20, 1e-9);
}

/* The minimum-variance cross hedge: 100 SOL hedged with BTC perpetuals at beta: auto = rho x
 * sigma_SOL / sigma_BTC, static over one day. The hedged variance is exact for lognormal
 * prices (Var(X - cY) with E[XY] = S1 S2 e^{rho s1 s2 T}), so the hedge effectiveness
 * 1 - Var(hedged) / Var(book) has a closed form, which is about rho^2 = 0.81. */
Test(composition, cross_hedge_removes_rho_squared)
{
    const double s1 = 150, s2 = 60000, sig1 = 1.0, sig2 = 0.6, rho = 0.9, t = 1 / 365.0;
    sim s = {.cfg = load("run: {paths: 200000, seed: 11, threads: 2}\n"
                         "horizon: {days: 1, steps: 1}\n"
                         "market:\n"
                         "  assets:\n"
                         "    - {name: SOL, spot: 150, model: {type: gbm, sigma: 1.0}}\n"
                         "    - {name: BTC, spot: 60000, model: {type: gbm, sigma: 0.6}}\n"
                         "  correlation: [[1, 0.9], [0.9, 1]]\n"
                         "portfolio: [{asset: SOL, quantity: 100}]\n"
                         "strategies:\n"
                         "  - {name: unhedged, type: none}\n"
                         "  - {name: proxy, type: perp_hedge, asset: SOL, hedge_asset: BTC,\n"
                         "     beta: auto}\n"
                         "funding: {rate: 0}\n"
                         "margin: {mode: none}\n")};
    double beta = mcr_hedge_beta_auto(&s.cfg, 0, 1);
    cr_assert_float_eq(beta, rho * sig1 / sig2, 1e-12);
    double c = beta * s1 / s2; /* BTC sold per SOL held */
    double var_x = s1 * s1 * expm1(sig1 * sig1 * t), var_y = s2 * s2 * expm1(sig2 * sig2 * t);
    double cov = s1 * s2 * expm1(rho * sig1 * sig2 * t);
    double exact = 1 - (var_x + c * c * var_y - 2 * c * cov) / var_x;
    cr_assert(fabs(exact - rho * rho) < 0.005, "exact effectiveness %.5f vs rho^2", exact);
    simulate(&s);
    /* the effectiveness of 20 batches of consecutive paths: its spread gives the se */
    enum { BATCHES = 20 };
    uint64_t per = s.cfg.paths / BATCHES;
    double eff[BATCHES], mean = 0;
    for (int b = 0; b < BATCHES; b++) {
        double mb = 0, mh = 0, vb = 0, vh = 0;
        const double *book = s.pnl[0] + b * per, *hedged = s.pnl[1] + b * per;
        for (uint64_t i = 0; i < per; i++) {
            mb += book[i];
            mh += hedged[i];
        }
        mb /= per;
        mh /= per;
        for (uint64_t i = 0; i < per; i++) {
            vb += (book[i] - mb) * (book[i] - mb);
            vh += (hedged[i] - mh) * (hedged[i] - mh);
        }
        eff[b] = 1 - vh / vb;
        mean += eff[b] / BATCHES;
    }
    double ss = 0;
    for (int b = 0; b < BATCHES; b++)
        ss += (eff[b] - mean) * (eff[b] - mean);
    double se = sqrt(ss / (BATCHES - 1) / BATCHES);
    cr_assert(fabs(mean - exact) <= 4 * se, "effectiveness %.5f vs exact %.5f (se %.5f)", mean,
              exact, se);
    cr_assert_lt(se, 0.003);
    sim_free(&s);
}

Test(composition, a_hedge_of_an_asset_the_book_does_not_hold_is_refused)
{
    static const char market[] =
        "market:\n"
        "  assets:\n"
        "    - {name: SOL, spot: 150, model: {type: gbm, sigma: 1.0}}\n"
        "    - {name: BTC, spot: 60000, model: {type: gbm, sigma: 0.6}}\n"
        "portfolio: [{asset: SOL, quantity: 100}]\n";
    char yaml[1024];
    mcr_config c;
    mcr_error err = {0};
    snprintf(yaml, sizeof yaml, "%sstrategies: [{name: h, type: perp_hedge, asset: BTC}]\n",
             market);
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT);
    cr_assert_str_eq(err.msg, "bad.yaml:6: strategies[0].asset: the book holds no BTC, so there "
                              "is nothing to hedge; to hedge the book's SOL with BTC, give asset: "
                              "SOL, hedge_asset: BTC");
    snprintf(yaml, sizeof yaml, "%sstrategies: [{name: h, type: delta_hedge, beta: 1.2}]\n",
             market);
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "strategies[0].beta: only for a cross hedge"), "%s",
                       err.msg);
    /* a combine part is checked the same way, at its own path */
    snprintf(yaml, sizeof yaml, "%sstrategies:\n  - name: c\n    combine:\n"
             "      - {type: protective_put, strike: 0.9}\n"
             "      - {type: perp_hedge, asset: BTC}\n", market);
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "bad.yaml:10: strategies[0].combine[1].asset: the book "
                                       "holds no BTC"), "%s", err.msg);
}
