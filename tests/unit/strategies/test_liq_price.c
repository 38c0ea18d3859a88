/* The liquidation price at t0 (strategies/liq_price.h), checked against the engine itself: a
 * replayed path that jumps at step 1 to just beyond the price liquidates the perpetual at step 1,
 * one that jumps to just short of it does not; for the fee-free linear contract it is the
 * closed form S0 (1 + initial) / (1 + maintenance) of a short (Binance's isolated-margin formula,
 * docs/REFERENCE_VALUES.md 9c). Shorts (hedging a long book) rise to it, longs fall; an option
 * hedge or no hedge has none. */
#include <criterion/criterion.h>
#include <math.h>

#include "strategies/liq_price.h"
#include "strategy_replay.h"

#define STEPS 4 /* hourly: the first funding time (8 h) lies beyond the horizon */

static double liq_price(const mcr_config *cfg, int part)
{
    mcr_hedge_plan plan;
    mcr_error err = {0};
    cr_assert_eq(mcr_hedge_plan_init(&plan, cfg, 0, &err), MCR_OK, "%s", err.msg);
    double p = mcr_hedge_liq_price0(&plan, part, mcr_kernels_of(MCR_ISA_SCALAR));
    mcr_hedge_plan_free(&plan);
    return p;
}

/* The step at which strategy s is liquidated on a path jumping at step 1 to `to`, then flat. */
static int liquidated_at(const mcr_config *cfg, int s, double to)
{
    double path[STEPS + 1] = {cfg->assets[0].spot};
    for (int t = 1; t <= STEPS; t++)
        path[t] = to;
    static outputs o;
    replay(cfg, path, &o);
    return o.liq[s][0];
}

/* A put covers a long book; a short book gets a covered call (sold) instead: options only. */
static mcr_config config(const char *book, const char *costs)
{
    bool short_book = strstr(book, "-") != NULL;
    return config_of((setup){
        .spot = 50000, .sigma = 0.7, .days = STEPS / 24.0, .steps = STEPS, .book = book,
        .strategies = short_book ? "[{name: lin, type: perp_hedge, contract: linear},"
                                   " {name: inv, type: perp_hedge, contract: inverse},"
                                   " {name: dh, type: delta_hedge, instrument: linear_perp},"
                                   " {name: none, type: none}]"
                                 : "[{name: lin, type: perp_hedge, contract: linear},"
                                   " {name: inv, type: perp_hedge, contract: inverse},"
                                   " {name: dh, type: delta_hedge, instrument: linear_perp},"
                                   " {name: put, type: protective_put, strike: 0.9}]",
        .costs = costs, .funding = "{interval_hours: 8, rate: 0.0001}",
        .margin = "{mode: isolated, initial: 0.2, maintenance: 0.005, liquidation_fee: 0.005}"});
}

/* Every perpetual: liquidated just beyond its price, not just short of it. */
static void brackets(const mcr_config *cfg, bool short_book)
{
    for (int s = 0; s < 3; s++) {
        double p = liq_price(cfg, s);
        cr_assert(isfinite(p), "%s: no liquidation price", cfg->strategies[s].name);
        double s0 = cfg->assets[0].spot;
        cr_expect(short_book ? p < s0 : p > s0, "%s: %g vs spot %g", cfg->strategies[s].name, p,
                  s0);
        double beyond = short_book ? 1 - 1e-6 : 1 + 1e-6;
        cr_expect_eq(liquidated_at(cfg, s, p * beyond), 1, "%s: not liquidated at %.10g",
                     cfg->strategies[s].name, p * beyond);
        cr_expect_eq(liquidated_at(cfg, s, p / beyond), -1, "%s: liquidated at %.10g",
                     cfg->strategies[s].name, p / beyond);
    }
    cr_expect(isnan(liq_price(cfg, 3)), "%s has no liquidation price", cfg->strategies[3].name);
}

Test(liq_price, long_book_short_perpetuals_rise_to_it)
{
    mcr_config cfg = config("[{asset: BTC, instrument: spot, quantity: 10}]",
                            "{fee_bps: 5, slippage_bps: 1}");
    brackets(&cfg, false);
    mcr_config_free(&cfg);
}

Test(liq_price, short_book_long_perpetuals_fall_to_it)
{
    mcr_config cfg = config("[{asset: BTC, instrument: spot, quantity: -10}]",
                            "{fee_bps: 5, slippage_bps: 1}");
    brackets(&cfg, true);
    mcr_config_free(&cfg);
}

Test(liq_price, linear_closed_form_without_fees)
{
    mcr_config cfg = config("[{asset: BTC, instrument: spot, quantity: 10}]", NULL);
    double want = 50000 * (1 + 0.2) / (1 + 0.005);
    cr_expect(fabs(liq_price(&cfg, 0) / want - 1) < 1e-9, "%.10g vs %.10g", liq_price(&cfg, 0),
              want);
    mcr_config_free(&cfg);
}

Test(liq_price, none_without_isolated_margin)
{
    mcr_config cfg = config_of((setup){
        .spot = 100, .sigma = 0.7, .days = 1, .steps = 4,
        .book = "[{asset: BTC, instrument: spot, quantity: 1}]",
        .strategies = "[{name: lin, type: perp_hedge}]",
        .margin = "{mode: cross, initial: 0.2, maintenance: 0.005}"});
    cr_expect(isnan(liq_price(&cfg, 0)), "cross margin draws on the book: no single price");
    mcr_config_free(&cfg);
    cfg = config_of((setup){.spot = 100, .sigma = 0.7, .days = 1, .steps = 4,
                            .book = "[{asset: BTC, instrument: spot, quantity: 1}]",
                            .strategies = "[{name: lin, type: perp_hedge}]"});
    cr_expect(isnan(liq_price(&cfg, 0)), "margin none: never liquidated");
    mcr_config_free(&cfg);
}
