/* The strategy engine on every vector ISA's strategy kernels against the scalar reference's, on
 * the same 64 simulated paths fed through mcr_hedge_steps: a book with options (the book's delta
 * every step), delta hedges on a schedule and a band, linear perpetuals under isolated margin
 * with tiers, funding, impact and collateral yield, a rolled collar (per-path strikes in the
 * greeks), an inverse perpetual and a spot hedge; and the events: liquidations (isolated under
 * the exchange's rule, and cross margin with the book's coins as collateral), re-opening,
 * auto-deleveraging, premium funding on a basis mark, coin-settled options. Every per-path field
 * agrees to 1e-12 relative (to the field, or to the spot for values near zero), counts and steps
 * exactly. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "kernels/pcg32.h"
#include "models/normal.h"
#include "strategy_replay.h"

#define NP MCR_BLOCK_PATHS

static struct criterion_test_params vector_isas(void)
{
    static mcr_isa isas[] = {MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}
ParameterizedTestParameters(strat_isa, every_field_agrees_with_the_reference)
{
    return vector_isas();
}
ParameterizedTestParameters(strat_isa, events_agree_with_the_reference) { return vector_isas(); }

/* The outputs of a block of 64 GBM paths (sigma 0.8, hourly) through the engine on kernels k. */
static void run_block(const mcr_config *cfg, const mcr_kernels *k, const double *price,
                      const double *log_price, outputs *o)
{
    mcr_hedge_plan plan;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&plan, cfg, 0, &err), MCR_OK, "%s", err.msg);
    mcr_hedge_work *w = mcr_hedge_work_new(&plan, k);
    outputs_init(o);
    mcr_hedge_begin(w, 0);
    for (int t = 0; t < cfg->steps; t += MCR_HEDGE_CHUNK) {
        int n = cfg->steps - t < MCR_HEDGE_CHUNK ? cfg->steps - t : MCR_HEDGE_CHUNK;
        const double *s[1] = {price + (size_t)t * NP}, *ls[1] = {log_price + (size_t)t * NP};
        mcr_hedge_steps(w, t, n, s, ls, NP);
    }
    mcr_hedge_end(w, NP, o->out);
    mcr_hedge_work_free(w);
    mcr_hedge_plan_free(&plan);
}

static void expect_close(const char *isa, const char *strategy, const char *field, int i,
                         double got, double want)
{
    double tol = 1e-12 * fmax(fabs(want), 100.0);
    cr_assert_leq(fabs(got - want), tol, "%s, %s, %s of path %d: %.17g vs the reference %.17g",
                  isa, strategy, field, i, got, want);
}

/* 64 GBM paths (sigma 0.8, 20 days hourly, seed 5) through the engine on the scalar reference's
 * kernels and on isa's: every field agrees. Counts of what happened on the reference's paths:
 * paths that traded, liquidations, deleveraged paths. */
typedef struct happened {
    int traded, liquidations, adl;
} happened;

static happened agree(const mcr_config *cfg, mcr_isa isa)
{
    const mcr_kernels *k = mcr_kernels_of(isa);
    if (!k || !mcr_isa_supported(isa))
        cr_skip_test("ISA %d not available here", (int)isa);
    static double price[480 * NP], log_price[480 * NP];
    cr_assert_eq(cfg->steps, 480);
    mcr_pcg32 g[NP];
    for (int i = 0; i < NP; i++)
        g[i] = mcr_pcg32_for_path(5, (uint64_t)i);
    double dt = 20.0 / 365 / 480, vol = 0.8 * sqrt(dt);
    for (int t = 0; t < 480; t++)
        for (int i = 0; i < NP; i++) {
            double prev = t ? log_price[(t - 1) * NP + i] : log(100.0);
            double z = mcr_norm_quantile((mcr_pcg32_next(&g[i]) + 0.5) * 0x1p-32);
            log_price[t * NP + i] = prev - 0.5 * vol * vol + vol * z;
            price[t * NP + i] = exp(log_price[t * NP + i]);
        }
    static outputs want, got;
    run_block(cfg, mcr_kernels_of(MCR_ISA_SCALAR), price, log_price, &want);
    run_block(cfg, k, price, log_price, &got);
    happened h = {0};
    for (int s = 0; s < cfg->n_strategies; s++) {
        const char *name = cfg->strategies[s].name;
        for (int i = 0; i < NP; i++) {
            expect_close(k->name, name, "pnl", i, got.pnl[s][i], want.pnl[s][i]);
            for (int c = 0; c < MCR_N_COMPONENTS; c++)
                expect_close(k->name, name, "a component", i, got.comp[s][c][i],
                             want.comp[s][c][i]);
            for (int j = 0; j < 3; j++)
                expect_close(k->name, name, "a net greek", i, got.greeks[s][j][i],
                             want.greeks[s][j][i]);
            expect_close(k->name, name, "close", i, got.close[s][i], want.close[s][i]);
            expect_close(k->name, name, "insurance", i, got.insurance[s][i],
                         want.insurance[s][i]);
            cr_assert_eq(got.trades[s][i], want.trades[s][i], "%s %s trades", k->name, name);
            cr_assert_eq(got.liq[s][i], want.liq[s][i], "%s %s liquidation", k->name, name);
            cr_assert_eq(got.liquidations[s][i], want.liquidations[s][i], "%s %s", k->name, name);
            cr_assert_eq(got.adl[s][i], want.adl[s][i], "%s %s adl step", k->name, name);
            h.traded += want.trades[s][i] > 0;
            h.liquidations += (int)want.liquidations[s][i];
            h.adl += want.adl[s][i] >= 0;
        }
    }
    return h;
}

ParameterizedTest(mcr_isa *isa, strat_isa, every_field_agrees_with_the_reference)
{
    mcr_config cfg = config_of((setup){
        .spot = 100, .sigma = 0.8, .rate = 0.03, .days = 20, .steps = 480,
        .book = "[{asset: BTC, quantity: 1},\n"
                " {asset: BTC, instrument: call, strike: 105, expiry_days: 15, quantity: -2},\n"
                " {asset: BTC, instrument: put, strike: 90, expiry_days: 30, quantity: 1}]",
        .strategies = "[{name: lin, type: delta_hedge, instrument: linear_perp,\n"
                      "  rebalance: {every_steps: 1}, collateral_yield: 0.05},\n"
                      " {name: band, type: delta_hedge, instrument: linear_perp,\n"
                      "  rebalance: {every_hours: 4, band_pct: 0.05}},\n"
                      " {name: spot, type: delta_hedge, instrument: spot},\n"
                      " {name: inv, type: delta_hedge, instrument: inverse_perp},\n"
                      " {name: perp, type: perp_hedge, contract: linear},\n"
                      " {name: roll, type: collar, put_strike: 0.9, call_strike: 1.1,\n"
                      "  expiry_days: 4, roll: {every_days: 4}}]",
        .costs = "{fee_bps: 5, slippage_bps: 2, impact: 0.002, impact_notional: 5000}",
        .funding = "{interval_hours: 8, rate: 0.0002}",
        .margin = "{mode: isolated, initial: 0.1, tiers: [{notional_max: 150, maintenance: "
                  "0.01}, {notional_max: 1000, maintenance: 0.05}, {notional_max: 1e9, "
                  "maintenance: 0.2}]}"});
    cr_assert_gt(agree(&cfg, *isa).traded, NP, "the hedges traded");
    mcr_config_free(&cfg);
}

/* Thin margins, so that the events happen on these 64 paths: isolated accounts liquidated under
 * the exchange's rule and re-opened a day later, premium funding on a basis mark, an adl window,
 * coin-settled and USD options settling inside the horizon; then the same hedges pooled under
 * cross margin with a little of the book's spot as collateral. */
ParameterizedTest(mcr_isa *isa, strat_isa, events_agree_with_the_reference)
{
    const char *book = "[{asset: BTC, quantity: 0.02},\n"
                       " {asset: BTC, instrument: put, strike: 100, expiry_days: 10, quantity: 1,"
                       " settlement: coin},\n"
                       " {asset: BTC, instrument: call, strike: 100, expiry_days: 12, quantity:"
                       " -0.5}]";
    const char *strategies = "[{name: lin, type: perp_hedge, contract: linear,"
                             " reopen: {after_hours: 24}},\n"
                             " {name: inv, type: perp_hedge, contract: inverse},\n"
                             " {name: dyn, type: delta_hedge, instrument: linear_perp,\n"
                             "  rebalance: {every_hours: 6}, reopen: {after_hours: 12}}]";
    mcr_config isolated = config_of((setup){
        .spot = 100, .sigma = 0.8, .rate = 0.03, .days = 20, .steps = 480, .book = book,
        .strategies = strategies, .costs = "{fee_bps: 5, slippage_bps: 2}",
        .funding = "{interval_hours: 8, rate: 0.0001, mode: premium, cap: 0.0075}",
        .margin = "{mode: isolated, initial: 0.03, maintenance: 0.01, liquidation: exchange, "
                  "adl: true}",
        .scenarios = "[{name: short_fund, adl: {from_day: 3, to_day: 15, min_score: 0.2}}]\n"
                     "perp: {basis: {reversion: 36.5, vol: 0.05, crash_beta: 0.2}}"});
    happened h = agree(&isolated, *isa);
    cr_assert_gt(h.liquidations, 10, "isolated liquidations: %d", h.liquidations);
    cr_assert_gt(h.adl, 0, "deleveraged paths");
    mcr_config_free(&isolated);
    mcr_config cross = config_of((setup){
        .spot = 100, .sigma = 0.8, .rate = 0.03, .days = 20, .steps = 480, .book = book,
        .strategies = strategies, .costs = "{fee_bps: 5}",
        .funding = "{interval_hours: 8, rate: 0.0002}",
        .margin = "{mode: cross, initial: 0.03, maintenance: 0.01, liquidation_fee: 0.005}"});
    h = agree(&cross, *isa);
    cr_assert_gt(h.liquidations, 10, "cross-margin liquidations: %d", h.liquidations);
    mcr_config_free(&cross);
}
