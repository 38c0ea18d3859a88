/* The engine's fused runs (strategies/hedge_run.c) against its step-by-step path: the same 64
 * simulated paths through a workspace as it is, whose linear perpetual and spot hedges run
 * fused, and through one told to step every part (no fused part, no strategy skipped), on every
 * ISA. Thin margins and a volatile market so that paths are liquidated, pay the insurance fund
 * and re-open; costs with impact, funding, collateral yield, a short spot hedge's borrow fee; a
 * scenario with a depeg of the margin coin, a trading outage and a funding path; isolated,
 * cross and no margin (under cross margin the perpetuals are pooled, so only spot runs fused);
 * and a put settling inside the horizon (a strategy of options only steps at its settlement).
 * Every per-path field must be bitwise the same. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "kernels/pcg32.h"
#include "models/normal.h"
#include "strategies/hedge_work.h"
#include "strategy_replay.h"

#define STEPS 480

ParameterizedTestParameters(fused_run, is_bitwise_the_engine_step_by_step)
{
    static mcr_isa isas[] = {MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}

/* Scenario sc's outputs of the block through the engine on kernels k; fused: as the workspace
 * runs it, else every part stepped by the engine. Whether some part ran fused. */
static bool run_block(const mcr_config *cfg, int sc, const mcr_kernels *k, bool fused,
                      const double *price, const double *log_price, outputs *o)
{
    mcr_hedge_plan plan;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&plan, cfg, sc, &err), MCR_OK, "%s", err.msg);
    mcr_hedge_work *w = mcr_hedge_work_new(&plan, k);
    bool any = w->any_fused;
    if (!fused) {
        memset(w->fused, 0, sizeof w->fused);
        memset(w->quiet, 0, sizeof w->quiet);
        w->any_fused = false;
    }
    outputs_init(o);
    mcr_hedge_begin(w, 0);
    for (int t = 0; t < cfg->steps; t += 13) { /* chunks across the greeks' samples */
        int n = cfg->steps - t < 13 ? cfg->steps - t : 13;
        size_t row = (size_t)t * MCR_NP;
        const double *s[1] = {price + row}, *ls[1] = {log_price + row};
        mcr_hedge_steps(w, t, n, s, ls, MCR_NP);
    }
    mcr_hedge_end(w, MCR_NP, o->out);
    mcr_hedge_work_free(w);
    mcr_hedge_plan_free(&plan);
    return any;
}

#define SAME(field, what)                                                                      \
    cr_assert_eq(memcmp(got->field[s], want->field[s], sizeof want->field[s]), 0,              \
                 "%s, %s, scenario %d: %s differs from the step-by-step engine's", k->name,    \
                 cfg->strategies[s].name, sc, what)

/* What happened on the step-by-step paths: liquidations, insurance paid, trades after one. */
typedef struct happened {
    int fused, liquidations, insured, reopened;
} happened;

static void agree(const mcr_config *cfg, mcr_isa isa, happened *h)
{
    const mcr_kernels *k = mcr_kernels_of(isa);
    if (!k || !mcr_isa_supported(isa))
        cr_skip_test("ISA %d not available here", (int)isa);
    static double price[STEPS * MCR_NP], log_price[STEPS * MCR_NP];
    cr_assert_eq(cfg->steps, STEPS);
    mcr_pcg32 g[MCR_NP];
    for (int i = 0; i < MCR_NP; i++)
        g[i] = mcr_pcg32_for_path(7, (uint64_t)i);
    double dt = 20.0 / 365 / STEPS, vol = 1.2 * sqrt(dt);
    for (int t = 0; t < STEPS; t++)
        for (int i = 0; i < MCR_NP; i++) {
            double prev = t ? log_price[(t - 1) * MCR_NP + i] : log(100.0);
            double z = mcr_norm_quantile((mcr_pcg32_next(&g[i]) + 0.5) * 0x1p-32);
            log_price[t * MCR_NP + i] = prev - 0.5 * vol * vol + vol * z;
            price[t * MCR_NP + i] = exp(log_price[t * MCR_NP + i]);
        }
    static outputs want_o, got_o;
    const outputs *want = &want_o, *got = &got_o;
    for (int sc = 0; sc < cfg->n_scenarios; sc++) {
        run_block(cfg, sc, k, false, price, log_price, &want_o);
        h->fused += run_block(cfg, sc, k, true, price, log_price, &got_o);
        for (int s = 0; s < cfg->n_strategies; s++) {
            SAME(pnl, "pnl");
            SAME(comp, "a component");
            SAME(greeks, "a net greek");
            SAME(trades, "trades");
            SAME(liq, "liquidation_step");
            SAME(liquidations, "liquidations");
            SAME(close, "close_cost");
            SAME(insurance, "insurance");
            SAME(liq_price0, "liquidation_price0");
            for (int i = 0; i < MCR_NP; i++) {
                h->liquidations += (int)want->liquidations[s][i];
                h->insured += want->insurance[s][i] > 0;
                /* a trade after the liquidation: one trade opens, one more re-opens */
                h->reopened += want->liquidations[s][i] > 0 && want->trades[s][i] > 1;
            }
        }
    }
}

static mcr_config config(const char *margin)
{
    return config_of((setup){
        .spot = 100, .sigma = 1.2, .rate = 0.03, .days = 20, .steps = STEPS,
        .book = "[{asset: BTC, quantity: 1},\n"
                " {asset: BTC, instrument: call, strike: 110, expiry_days: 30, quantity: -1}]",
        .strategies = "[{name: every, type: delta_hedge, instrument: linear_perp,\n"
                      "  rebalance: {every_steps: 1}, collateral_yield: 0.05,\n"
                      "  reopen: {after_hours: 6}},\n"
                      " {name: band, type: delta_hedge, instrument: linear_perp,\n"
                      "  rebalance: {every_hours: 4, band_pct: 0.05}},\n"
                      " {name: spot, type: delta_hedge, instrument: spot,\n"
                      "  rebalance: {every_steps: 3, band: 0.02}},\n"
                      " {name: static, type: perp_hedge, contract: linear, hedge_ratio: 1.5,\n"
                      "  reopen: {after_hours: 0}},\n"
                      " {name: put, type: protective_put, strike: 0.95, expiry_days: 10}]",
        .costs = "{fee_bps: 5, slippage_bps: 2, impact: 0.002, impact_notional: 5000,\n"
                 " borrow_rate: 0.1}",
        .funding = "{interval_hours: 8, rate: 0.0002}",
        .margin = margin,
        .scenarios = "[{name: base},\n"
                     " {name: stress, depeg: {from_day: 3, to_day: 6, price: 0.5},\n"
                     "  no_rebalance: {from_day: 8, to_day: 9},\n"
                     "  funding_path: [{from_day: 0, rate: -0.001}, {from_day: 10, rate: 0}]}]"});
}

ParameterizedTest(mcr_isa *isa, fused_run, is_bitwise_the_engine_step_by_step)
{
    const char *margins[] = {
        "{mode: isolated, initial: 0.05, tiers: [{notional_max: 120, maintenance: 0.02},\n"
        " {notional_max: 1e9, maintenance: 0.04}], liquidation_fee: 0.02}",
        "{mode: cross, initial: 0.05, maintenance: 0.03, liquidation_fee: 0.02}",
        "{mode: none}"};
    for (int m = 0; m < 3; m++) {
        mcr_config cfg = config(margins[m]);
        happened h = {0};
        agree(&cfg, *isa, &h);
        cr_assert_eq(h.fused, cfg.n_scenarios, "%s: some part ran fused", margins[m]);
        if (m == 0) { /* (the book's coins keep the pooled accounts of cross margin) */
            cr_assert_gt(h.liquidations, 20, "liquidations: %d", h.liquidations);
            cr_assert_gt(h.insured, 0, "the insurance fund paid on no path");
            cr_assert_gt(h.reopened, 10, "re-opened paths: %d", h.reopened);
        }
        mcr_config_free(&cfg);
    }
}
