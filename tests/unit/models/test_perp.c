/* Suite `perp`: perpetual swaps (models/perp.h) against REFERENCE_VALUES 9c-9e: the inverse P&L
 * worked examples (Binance/Covest help), the isolated-margin liquidation prices of the 9e table,
 * equity = maintenance at the liquidation price, the liquidation test on either side of it, and
 * a funding payment moving the liquidation price as the closed form says. */
#include <criterion/criterion.h>
#include <math.h>

#include "models/perp.h"

#define MMR 0.004

static void expect_close(double got, double want, double tol, const char *what)
{
    cr_expect(fabs(got - want) <= tol, "%s: %.10g, expected %.10g (tol %g)", what, got, want, tol);
}

/* The four positions of the 9e table: 2 BTC / 100,000 USD at 50,000 with 10,000 USDT / 0.2 BTC
 * wallets (10x). */
static const mcr_perp_position lin_long = {MCR_PERP_LINEAR, 2, 50000, 10000};
static const mcr_perp_position lin_short = {MCR_PERP_LINEAR, -2, 50000, 10000};
static const mcr_perp_position inv_long = {MCR_PERP_INVERSE, 100000, 50000, 0.2};
static const mcr_perp_position inv_short = {MCR_PERP_INVERSE, -100000, 50000, 0.2};

Test(perp, pnl_worked_examples)
{
    /* 9d: long 10,000 USD inverse at 50,000, exit 55,000: 0.018182 BTC; short, exit 45,000:
     * 0.022222 BTC (the published values are rounded to 1e-6) */
    expect_close(mcr_perp_inverse_pnl(10000, 50000, 55000), 0.018182, 5e-7, "inverse long");
    expect_close(mcr_perp_inverse_pnl(-10000, 50000, 45000), 0.022222, 5e-7, "inverse short");
    /* ... "about 1,000 USD at 55,000" */
    expect_close(mcr_perp_inverse_pnl(10000, 50000, 55000) * 55000, 1000, 1e-9, "in USD");
    /* linear: q (S_exit - S_entry) */
    cr_expect(mcr_perp_linear_pnl(2, 50000, 55000) == 10000);
    cr_expect(mcr_perp_linear_pnl(-2, 50000, 55000) == -10000);
    /* BingX: a 1x inverse long gains +50% of its coin collateral when the price doubles and
     * loses 100% when it halves */
    mcr_perp_position one_x = {MCR_PERP_INVERSE, 10000, 50000, 0};
    one_x.wallet = mcr_perp_initial_wallet(&one_x, 1.0);
    expect_close(one_x.wallet, 0.2, 1e-15, "1x wallet");
    expect_close(mcr_perp_pnl(&one_x, 100000) / one_x.wallet, 0.5, 1e-15, "price doubles");
    expect_close(mcr_perp_pnl(&one_x, 25000) / one_x.wallet, -1.0, 1e-15, "price halves");
    expect_close(mcr_perp_equity(&one_x, 25000), 0.0, 1e-15, "1x equity at half price");
}

Test(perp, liquidation_price_table)
{
    /* 9e, to the published 1e-2 */
    expect_close(mcr_perp_liquidation_price(&lin_long, MMR), 45180.72, 5e-3, "linear long");
    expect_close(mcr_perp_liquidation_price(&lin_short, MMR), 54780.88, 5e-3, "linear short");
    expect_close(mcr_perp_liquidation_price(&inv_long, MMR), 45636.36, 5e-3, "inverse long");
    expect_close(mcr_perp_liquidation_price(&inv_short, MMR), 55333.33, 5e-3, "inverse short");
    /* the leverage forms with WB = notional / L, cum = 0 */
    const mcr_perp_position *all[] = {&lin_long, &lin_short, &inv_long, &inv_short};
    for (double lev = 2; lev <= 100; lev *= 1.7)
        for (int i = 0; i < 4; i++) {
            mcr_perp_position p = *all[i];
            p.wallet = mcr_perp_initial_wallet(&p, 1 / lev);
            double ep = p.entry, want;
            if (p.contract == MCR_PERP_LINEAR)
                want = p.size > 0 ? ep * (1 - 1 / lev) / (1 - MMR) : ep * (1 + 1 / lev) / (1 + MMR);
            else
                want = p.size > 0 ? ep * (1 + MMR) / (1 + 1 / lev) : ep * (1 - MMR) / (1 - 1 / lev);
            double lp = mcr_perp_liquidation_price(&p, MMR);
            cr_expect(fabs(lp - want) <= 1e-12 * want, "case %d L %g: %.12g vs %.12g", i, lev, lp,
                      want);
        }
}

/* Engine check (i): equity equals maintenance at LP, and the test flips across it. */
Test(perp, equity_equals_maintenance_at_liquidation)
{
    const mcr_perp_position *all[] = {&lin_long, &lin_short, &inv_long, &inv_short};
    double worst = 0;
    for (int i = 0; i < 4; i++)
        for (double mmr = 0.0; mmr <= 0.1; mmr += 0.004) {
            const mcr_perp_position *p = all[i];
            double lp = mcr_perp_liquidation_price(p, mmr);
            double eq = mcr_perp_equity(p, lp), mm = mcr_perp_maintenance(p, lp, mmr);
            double rel = fabs(eq - mm) / fmax(fabs(mm), mcr_perp_notional(p, lp) * 1e-3);
            worst = fmax(worst, rel);
            cr_expect(rel <= 1e-9, "case %d mmr %g: equity %.12g vs maintenance %.12g", i, mmr,
                      eq, mm);
            /* losing side: long below LP, short above */
            double out = p->size > 0 ? lp * (1 - 1e-6) : lp * (1 + 1e-6);
            double in = p->size > 0 ? lp * (1 + 1e-6) : lp * (1 - 1e-6);
            cr_expect(mcr_perp_breached(p, out, mmr), "case %d mmr %g: not breached past LP", i,
                      mmr);
            cr_expect(!mcr_perp_breached(p, in, mmr), "case %d mmr %g: breached inside LP", i, mmr);
            cr_expect(!mcr_perp_breached(p, p->entry, mmr), "case %d: breached at entry", i);
        }
    cr_log_info("perp: worst |equity - maintenance| / maintenance at LP %.3e", worst);
}

/* Positions that no price can liquidate. */
Test(perp, unliquidatable_positions)
{
    /* fully collateralised linear long: equity = Q S >= mmr Q S at every price */
    mcr_perp_position lin = {MCR_PERP_LINEAR, 2, 50000, 100000};
    cr_expect(mcr_perp_liquidation_price(&lin, MMR) == 0.0);
    cr_expect(!mcr_perp_breached(&lin, 1e-3, MMR));
    /* 1x inverse short: coin collateral worth Q USD at any price, a synthetic USD balance */
    mcr_perp_position inv = {MCR_PERP_INVERSE, -100000, 50000, 2.0};
    cr_expect(isinf(mcr_perp_liquidation_price(&inv, MMR)));
    cr_expect(!mcr_perp_breached(&inv, 1e9, MMR));
    expect_close(mcr_perp_equity(&inv, 80000) * 80000, 100000, 1e-9, "1x short in USD");
    /* linear shorts and inverse longs always have one */
    mcr_perp_position ls = {MCR_PERP_LINEAR, -2, 50000, 1e6};
    mcr_perp_position il = {MCR_PERP_INVERSE, 1, 50000, 1e6};
    cr_expect(isfinite(mcr_perp_liquidation_price(&ls, MMR)));
    cr_expect(mcr_perp_liquidation_price(&il, MMR) > 0);
}

/* 9c sign convention and engine check (iii): one funding payment F x notional changes WB and the
 * liquidation price recomputed from the closed form. */
Test(perp, funding_moves_liquidation_price)
{
    double rate = 0.0001, mark = 50000;
    /* positive rate: longs pay shorts; notional 2 x 50,000 = 100,000 USD -> 10 USD */
    cr_expect(mcr_perp_funding(&lin_long, mark, rate) == -10.0);
    cr_expect(mcr_perp_funding(&lin_short, mark, rate) == 10.0);
    cr_expect(mcr_perp_funding(&lin_long, mark, -rate) == 10.0);
    /* inverse: 100,000 USD x 0.01% = 10 USD = 0.0002 BTC at 50,000 */
    expect_close(mcr_perp_funding(&inv_long, mark, rate), -0.0002, 1e-18, "inverse long funding");
    expect_close(mcr_perp_funding(&inv_short, mark, rate), 0.0002, 1e-18, "inverse short funding");

    /* linear long: LP = (Q EP - WB) / (Q (1 - MMR)) with WB = 10,000 - 10 = 9,990:
     * 90,010 / 1.992 = 45,185.7429..., 10 / 1.992 = 5.0201 above the table's 45,180.72 */
    mcr_perp_position p = lin_long;
    double lp0 = mcr_perp_liquidation_price(&p, MMR);
    p.wallet += mcr_perp_funding(&p, mark, rate);
    double lp1 = mcr_perp_liquidation_price(&p, MMR);
    expect_close(lp1, 90010.0 / 1.992, 1e-9, "linear long LP after funding");
    expect_close(lp1 - lp0, 10.0 / 1.992, 1e-9, "linear long LP move");
    expect_close(mcr_perp_equity(&p, lp1), mcr_perp_maintenance(&p, lp1, MMR), 1e-9 * 400,
                 "linear long equity = MM after funding");

    /* the short received 10: LP = (WB + Q EP) / (Q (1 + MMR)) = 110,010 / 2.008 */
    p = lin_short;
    p.wallet += mcr_perp_funding(&p, mark, rate);
    expect_close(mcr_perp_liquidation_price(&p, MMR), 110010.0 / 2.008, 1e-9, "linear short");

    /* inverse long paid 0.0002 BTC: LP = Q (1 + MMR) / (WB + Q / EP) = 100,400 / 2.1998 */
    p = inv_long;
    p.wallet += mcr_perp_funding(&p, mark, rate);
    double lp = mcr_perp_liquidation_price(&p, MMR);
    expect_close(lp, 100400.0 / 2.1998, 1e-9, "inverse long LP after funding");
    cr_expect(lp > mcr_perp_liquidation_price(&inv_long, MMR), "paying funding must raise LP");
    expect_close(mcr_perp_equity(&p, lp), mcr_perp_maintenance(&p, lp, MMR), 1e-9 * 0.01,
                 "inverse long equity = MM after funding");

    /* inverse short received it: LP = Q (1 - MMR) / (Q / EP - WB) = 99,600 / (2 - 0.2002) */
    p = inv_short;
    p.wallet += mcr_perp_funding(&p, mark, rate);
    expect_close(mcr_perp_liquidation_price(&p, MMR), 99600.0 / 1.7998, 1e-9, "inverse short");
}
