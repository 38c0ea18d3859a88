/* The perpetual's basis (issue 12, item 5) on a replayed crash against a hand computation: with
 * the basis's own volatility at 0, b_t = e^{-k dt} b_t-1 + beta w ln(S_t / S_t-1) is
 * deterministic, and the perpetual's P&L, funding and liquidation follow its mark S (1 + b). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strategy_replay.h"

/* Flat at 100 to step 5, 60 from step 6 (a 40% crash in a day), ten daily steps. */
static const double crash[11] = {100, 100, 100, 100, 100, 100, 60, 60, 60, 60, 60};

static void marks(double *m)
{
    double k = 36.5, dt = 1 / 365.0, a = exp(-k * dt), w = (1 - a) / (k * dt), b = 0;
    m[0] = 100;
    for (int t = 1; t <= 10; t++) {
        b = a * b + 0.2 * w * log(crash[t] / crash[t - 1]);
        m[t] = crash[t] * (1 + b);
    }
}

/* A short book of 1 BTC hedged by a long linear perpetual; `perp` the perp section or NULL. */
static void run(const char *perp, const char *margin, outputs *o)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "horizon: {days: 10, steps: 10}\n"
             "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.8},"
             " implied_vol: {atm: 0.8}}]}\n"
             "portfolio: [{asset: BTC, quantity: -1}]\n"
             "strategies: [{name: perp, type: perp_hedge}]\n"
             "funding: {interval_hours: 24, rate: 0.0001}\n"
             "margin: %s\n%s%s\n", margin, perp ? "perp: " : "", perp ? perp : "");
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "t.yaml", &c, &err), MCR_OK, "%s", err.msg);
    replay(&c, crash, o);
    mcr_config_free(&c);
}

Test(venue_basis, pnl_and_funding_at_the_mark)
{
    double m[11];
    marks(m);
    cr_assert(m[6] < 55 && m[6] > 54, "the crash drags the perp to %g, below spot 60", m[6]);
    outputs o;
    run("{basis: {reversion: 36.5, vol: 0, crash_beta: 0.2}}", "{mode: none}", &o);
    double funding = 0;
    for (int t = 1; t <= 10; t++)
        funding -= 1e-4 * m[t]; /* long 1 pays the rate on its mark notional */
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], m[10] - 100, 1e-9);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], funding, 1e-12);
    /* the basis is still open at the horizon: the hedge lost more than the book gained */
    cr_assert(o.pnl[0][0] < -1.0, "%g", o.pnl[0][0]);
    /* without a basis the perpetual is spot */
    run(NULL, "{mode: none}", &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_HEDGE][0], -40.0, 1e-12);
}

Test(venue_basis, liquidation_at_the_mark)
{
    /* 45% margin survives a 40% fall of spot (equity 5 > 0.3), not of the mark (45 - 45.8 < 0) */
    const char *margin = "{mode: isolated, initial: 0.45, maintenance: 0.005}";
    outputs o;
    run(NULL, margin, &o);
    cr_assert_eq(o.liq[0][0], -1);
    run("{basis: {reversion: 36.5, vol: 0, crash_beta: 0.2}}", margin, &o);
    cr_assert_eq(o.liq[0][0], 6);
}

/* funding.mode: premium: at each daily funding time clamp(b x 24/8 + rate, -cap, cap), paid by
 * the long on its mark notional; the crash's basis hits the cap. */
Test(venue_basis, premium_funding_from_the_basis)
{
    double m[11], k = 36.5, dt = 1 / 365.0, a = exp(-k * dt), w = (1 - a) / (k * dt), b = 0;
    marks(m);
    double funding = 0;
    int capped = 0;
    for (int t = 1; t <= 10; t++) {
        b = a * b + 0.2 * w * log(crash[t] / crash[t - 1]);
        double r = b * 24 / 8 + 1e-4;
        capped += fabs(r) > 0.0075;
        r = r > 0.0075 ? 0.0075 : (r < -0.0075 ? -0.0075 : r);
        funding -= r * m[t];
    }
    cr_assert(capped > 0 && capped < 10, "the cap binds on some days: %d", capped);
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "horizon: {days: 10, steps: 10}\n"
             "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}]}\n"
             "portfolio: [{asset: BTC, quantity: -1}]\n"
             "strategies: [{name: perp, type: perp_hedge}]\n"
             "funding: {interval_hours: 24, rate: 0.0001, mode: premium, cap: 0.0075}\n"
             "margin: {mode: none}\n"
             "perp: {basis: {reversion: 36.5, vol: 0, crash_beta: 0.2}}\n");
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "t.yaml", &c, &err), MCR_OK, "%s", err.msg);
    outputs o;
    replay(&c, crash, &o);
    cr_assert_float_eq(o.comp[0][MCR_PNL_FUNDING][0], funding, 1e-12);
    mcr_config_free(&c);
    /* premium without a basis is refused */
    snprintf(yaml, sizeof yaml,
             "market: {assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}]}\n"
             "funding: {mode: premium}\n");
    cr_assert_eq(mcr_config_load_string(yaml, "t.yaml", &c, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "t.yaml:2: funding.mode: premium sets the rate"), "%s", err.msg);
}
