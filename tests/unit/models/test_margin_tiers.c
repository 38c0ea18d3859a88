/* Suite `margin_tiers`: models/margin_tiers.h on a table in Binance's published format (the
 * BTCUSDT-style ten tiers, amounts exactly the cumulative differences) and on a coin-margined
 * table with the amounts computed. The requirement at and around tier boundaries and against the
 * progressive "rate per slice" computation; liquidation prices of linear and inverse, long and
 * short positions by hand, including roots that fall in another tier than the entry notional;
 * equity = requirement at every liquidation price; the envelope solution against the per-tier
 * oracle over a sweep; one tier = perp.h's closed form; fully collateralised positions;
 * validation messages. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/margin_tiers.h"
#include "unit_mc.h"

/* notional_max (USDT), maintenance rate, amount (USDT) */
static mcr_margin_tiers usdt(void)
{
    mcr_margin_tiers t = {.n = 10, .amounts_given = true};
    const double nmax[] = {5e4, 5e5, 8e6, 5e7, 8e7, 1e8, 2e8, 3e8, 5e8, 8e8};
    const double mmr[] = {0.004, 0.005, 0.01, 0.025, 0.05, 0.1, 0.125, 0.15, 0.25, 0.5};
    const double amt[] = {0,       50,      2550,     122550,   1372550,
                          5372550, 7872550, 12872550, 42872550, 167872550};
    for (int i = 0; i < t.n; i++) {
        t.notional_max[i] = nmax[i];
        t.maintenance[i] = mmr[i];
        t.amount[i] = amt[i];
    }
    return t;
}

/* a coin-margined table in BTC, amounts omitted: computed 0, 0.005, 0.055, 0.355, 1.605 */
static mcr_margin_tiers coin(void)
{
    mcr_margin_tiers t = {.n = 5, .amounts_given = false};
    const double nmax[] = {5, 10, 20, 50, 100};
    const double mmr[] = {0.004, 0.005, 0.01, 0.025, 0.05};
    for (int i = 0; i < t.n; i++) {
        t.notional_max[i] = nmax[i];
        t.maintenance[i] = mmr[i];
    }
    mcr_margin_tiers_fill_amounts(&t);
    return t;
}

Test(margin_tiers, amounts_from_rates)
{
    /* A_i = A_{i-1} + N_{i-1} (m_i - m_{i-1}): 5 x 0.001 = 0.005; + 10 x 0.005 = 0.055;
     * + 20 x 0.015 = 0.355; + 50 x 0.025 = 1.605 */
    mcr_margin_tiers t = coin();
    const double want[] = {0, 0.005, 0.055, 0.355, 1.605};
    for (int i = 0; i < 5; i++)
        um_close(t.amount[i], want[i], 1e-15, "computed amount");
    /* and the published USDT amounts are exactly the rule's */
    mcr_margin_tiers u = usdt(), v = usdt();
    mcr_margin_tiers_fill_amounts(&v);
    for (int i = 0; i < u.n; i++)
        um_close(v.amount[i], u.amount[i], 1e-6, "published amount = rule");
    mcr_error err = {0};
    cr_expect(mcr_margin_tiers_check(&u, "margin.tiers", &err) == MCR_OK, "%s", err.msg);
}

Test(margin_tiers, requirement_at_boundaries)
{
    mcr_margin_tiers t = usdt();
    /* at 50,000 (tier 0's top): 50,000 x 0.004 = 200 = 50,000 x 0.005 - 50 */
    cr_expect(mcr_margin_tier_of(&t, 50000) == 0);
    um_close(mcr_margin_tiers_requirement(&t, 50000), 200, 1e-12, "at 50,000");
    /* just above: tier 1, 50,000.01 x 0.005 - 50 = 200.00005 (continuous) */
    cr_expect(mcr_margin_tier_of(&t, 50000.01) == 1);
    um_close(mcr_margin_tiers_requirement(&t, 50000.01), 200.00005, 1e-9, "above 50,000");
    /* at 500,000: 2,500 - 50 = 2,450 = 5,000 - 2,550 */
    cr_expect(mcr_margin_tier_of(&t, 500000) == 1 && mcr_margin_tier_of(&t, 500000.5) == 2);
    um_close(mcr_margin_tiers_requirement(&t, 500000), 2450, 1e-9, "at 500,000");
    /* 1,000,000 (tier 2): 10,000 - 2,550 = 7,450 = 50,000 x 0.4% + 450,000 x 0.5% + 500,000 x 1%
     * = 200 + 2,250 + 5,000, the rate of each tier on its slice (Bybit's statement) */
    um_close(mcr_margin_tiers_requirement(&t, 1e6), 7450, 1e-9, "1,000,000");
    um_close(mcr_margin_tiers_requirement(&t, 1e6), 50000 * 0.004 + 450000 * 0.005 + 500000 * 0.01,
             1e-9, "progressive");
    /* 0 -> 0; beyond the last tier (9e8) the last line extends: 9e8 x 0.5 - 167,872,550 */
    cr_expect(mcr_margin_tiers_requirement(&t, 0) == 0.0 && mcr_margin_tier_of(&t, 0) == 0);
    cr_expect(mcr_margin_tier_of(&t, 9e8) == 9);
    um_close(mcr_margin_tiers_requirement(&t, 9e8), 4.5e8 - 167872550, 1e-3, "beyond the table");
    /* the envelope equals the tier's own line everywhere (a sweep over 12 decades) */
    for (double x = 1; x < 1e12; x *= 1.19) {
        int i = mcr_margin_tier_of(&t, x);
        double own = x * t.maintenance[i] - t.amount[i];
        um_close(mcr_margin_tiers_requirement(&t, x), own, 1e-12 * fmax(own, 1), "envelope");
    }
}

/* equity and requirement in the margin currency at the mark */
static void expect_equal_at_liquidation(const mcr_margin_tiers *t, const mcr_perp_position *p,
                                        double lp, const char *what)
{
    double eq = mcr_perp_equity(p, lp);
    double mm = mcr_margin_tiers_requirement(t, mcr_perp_notional(p, lp));
    cr_expect(fabs(eq - mm) <= 1e-9 * mcr_perp_notional(p, lp), "%s: equity %.12g vs MM %.12g",
              what, eq, mm);
}

Test(margin_tiers, liquidation_prices_by_hand)
{
    mcr_margin_tiers t = usdt();
    /* linear long 10 BTC at 50,000 (notional 500,000, tier 1), wallet 50,000 (10x): tier 1:
     * (50,000 + 50 - 500,000) / (10 x 0.005 - 10) = -449,950 / -9.95 = 45,221.1055;
     * notional 452,211 in (50,000, 500,000] */
    mcr_perp_position ll = {MCR_PERP_LINEAR, 10, 50000, 50000};
    double lp = mcr_margin_tiers_liquidation_price(&t, &ll);
    um_close(lp, 449950 / 9.95, 1e-8, "linear long, tier 1");
    expect_equal_at_liquidation(&t, &ll, lp, "linear long");

    /* linear long 180 BTC at 50,000 (9,000,000: tier 3), wallet 2,500,000. Tier 3's root
     * (2.5e6 + 122,550 - 9e6) / (180 x 0.025 - 180) = 36,338.75 has notional 6.54e6, outside
     * tier 3; tier 2's (2.5e6 + 2,550 - 9e6) / (1.8 - 180) = 36,461.56 -> notional 6.563e6 in
     * (500,000, 8e6]: the liquidation is priced in a LOWER tier than the entry's */
    mcr_perp_position big = {MCR_PERP_LINEAR, 180, 50000, 2.5e6};
    lp = mcr_margin_tiers_liquidation_price(&t, &big);
    um_close(lp, 6497450 / 178.2, 1e-8, "linear long, lower tier");
    cr_expect(mcr_margin_tier_of(&t, 180 * lp) == 2);
    expect_equal_at_liquidation(&t, &big, lp, "linear long big");

    /* linear short 10 BTC at 50,000, wallet 50,000: tier 1's root 550,050 / 10.05 = 54,731.34
     * has notional 547,313 > 500,000; tier 2: (50,000 + 2,550 + 500,000) / (0.1 + 10)
     * = 552,550 / 10.1 = 54,707.92, notional 547,079 in tier 2: a HIGHER tier */
    mcr_perp_position ls = {MCR_PERP_LINEAR, -10, 50000, 50000};
    lp = mcr_margin_tiers_liquidation_price(&t, &ls);
    um_close(lp, 552550 / 10.1, 1e-8, "linear short, higher tier");
    cr_expect(mcr_margin_tier_of(&t, 10 * lp) == 2);
    expect_equal_at_liquidation(&t, &ls, lp, "linear short");

    mcr_margin_tiers c = coin();
    /* inverse long 500,000 USD at 50,000 (10 BTC, tier 1), wallet 1 BTC: tier 1's root
     * 500,000 x 1.005 / (1 + 0.005 + 10) = 45,661.06 has notional 10.95 BTC > 10; tier 2:
     * 500,000 x 1.01 / (1 + 0.055 + 10) = 505,000 / 11.055 = 45,680.69, notional 10.946 */
    mcr_perp_position il = {MCR_PERP_INVERSE, 500000, 50000, 1};
    lp = mcr_margin_tiers_liquidation_price(&c, &il);
    um_close(lp, 505000 / 11.055, 1e-8, "inverse long");
    expect_equal_at_liquidation(&c, &il, lp, "inverse long");

    /* inverse short, same: c = 1 - 10 = -9, candidates -(c + A_i) / (1 - m_i) = 9.036, 9.0402,
     * 9.0354, 8.867, 7.784 BTC; the largest, tier 1's (9 - 0.005) / 0.995, is the liquidation
     * notional: price 500,000 x 0.995 / 8.995 = 55,308.5 */
    mcr_perp_position is = {MCR_PERP_INVERSE, -500000, 50000, 1};
    lp = mcr_margin_tiers_liquidation_price(&c, &is);
    um_close(lp, 500000 * 0.995 / 8.995, 1e-8, "inverse short");
    expect_equal_at_liquidation(&c, &is, lp, "inverse short");
}

/* The envelope solution against the per-tier oracle, and equity = MM at the price, over sizes
 * that cross many tiers and leverages 1.2 .. 100 (wallet = notional / leverage). */
Test(margin_tiers, envelope_equals_oracle)
{
    const mcr_margin_tiers tables[2] = {usdt(), coin()};
    int checked = 0;
    for (int k = 0; k < 2; k++) {
        const mcr_margin_tiers *t = &tables[k];
        mcr_perp_contract contract = k == 0 ? MCR_PERP_LINEAR : MCR_PERP_INVERSE;
        for (double q = k == 0 ? 0.1 : 1000; q < (k == 0 ? 2e4 : 1e8); q *= 2.3)
            for (double lev = 1.2; lev <= 100; lev *= 1.6)
                for (int side = -1; side <= 1; side += 2) {
                    mcr_perp_position p = {contract, side * q, 43210, 0};
                    p.wallet = mcr_perp_initial_wallet(&p, 1 / lev);
                    double a = mcr_margin_tiers_liquidation_price(t, &p);
                    double b = mcr_margin_tiers_liquidation_price_by_tier(t, &p);
                    cr_expect(a == b || fabs(a - b) <= 1e-11 * b, "q %g lev %g side %d: %.15g vs "
                              "%.15g", q, lev, side, a, b);
                    if (a > 0 && isfinite(a))
                        expect_equal_at_liquidation(t, &p, a, "sweep");
                    checked++;
                }
    }
    cr_expect(checked > 200);
}

Test(margin_tiers, one_tier_is_the_perp_formula)
{
    /* a single tier of rate 0.4% reproduces perp.h (REFERENCE_VALUES 9e: 45,180.72 etc.) */
    mcr_margin_tiers one = {.n = 1, .amounts_given = true, .notional_max = {1e12},
                            .maintenance = {0.004}, .amount = {0}};
    const mcr_perp_position all[] = {{MCR_PERP_LINEAR, 2, 50000, 10000},
                                     {MCR_PERP_LINEAR, -2, 50000, 10000},
                                     {MCR_PERP_INVERSE, 100000, 50000, 0.2},
                                     {MCR_PERP_INVERSE, -100000, 50000, 0.2}};
    const double published[] = {45180.72, 54780.88, 45636.36, 55333.33};
    for (int i = 0; i < 4; i++) {
        double lp = mcr_margin_tiers_liquidation_price(&one, &all[i]);
        um_close(lp, mcr_perp_liquidation_price(&all[i], 0.004), 1e-9, "= perp.h");
        um_close(lp, published[i], 5e-3, "9e table");
    }
}

Test(margin_tiers, no_liquidation_and_edges)
{
    mcr_margin_tiers t = usdt(), c = coin();
    /* a linear long with wallet >= Q EP cannot be liquidated: 0 */
    mcr_perp_position full = {MCR_PERP_LINEAR, 1, 50000, 50000};
    cr_expect(mcr_margin_tiers_liquidation_price(&t, &full) == 0.0);
    cr_expect(mcr_margin_tiers_liquidation_price_by_tier(&t, &full) == 0.0);
    /* an inverse short with wallet >= Q / EP: INFINITY */
    mcr_perp_position hedge = {MCR_PERP_INVERSE, -100000, 50000, 2};
    cr_expect(isinf(mcr_margin_tiers_liquidation_price(&c, &hedge)));
    cr_expect(isinf(mcr_margin_tiers_liquidation_price_by_tier(&c, &hedge)));
    mcr_perp_position none = {MCR_PERP_LINEAR, 0, 50000, 100};
    cr_expect(isnan(mcr_margin_tiers_liquidation_price(&t, &none)));
}

Test(margin_tiers, validation)
{
    mcr_error err = {0};
    mcr_margin_tiers t = usdt();
    t.amount[2] = 2500;
    cr_expect(mcr_margin_tiers_check(&t, "margin.tiers", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "margin.tiers[2].amount: must be 2550 = amount[1] + notional_max[1] "
                              "x (maintenance[2] - maintenance[1]), so the requirement is "
                              "continuous at 500000") != NULL, "%s", err.msg);
    t = usdt();
    t.notional_max[3] = 1e6;
    cr_expect(mcr_margin_tiers_check(&t, "margin.tiers", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "margin.tiers[3].notional_max: must be greater than "
                              "margin.tiers[2].notional_max = 8e+06") != NULL, "%s", err.msg);
    t = usdt();
    t.maintenance[4] = 0.02;
    cr_expect(mcr_margin_tiers_check(&t, "margin.tiers", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "margin.tiers[4].maintenance: must be >= margin.tiers[3]."
                              "maintenance = 0.025") != NULL, "%s", err.msg);
    t = usdt();
    t.maintenance[9] = 1.0;
    cr_expect(mcr_margin_tiers_check(&t, "m", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "m[9].maintenance: must be a number in [0, 1) (got 1)") != NULL,
              "%s", err.msg);
    t = usdt();
    t.amount[0] = 5;
    cr_expect(mcr_margin_tiers_check(&t, "m", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "m[0].amount: must be 0") != NULL, "%s", err.msg);
    t.n = 0;
    cr_expect(mcr_margin_tiers_check(&t, "m", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "m: must list 1 to 24 tiers (got 0)") != NULL, "%s", err.msg);
    /* amounts omitted: only the notionals and rates are checked */
    mcr_margin_tiers c = coin();
    c.amounts_given = false;
    c.amount[3] = 12345;
    cr_expect(mcr_margin_tiers_check(&c, "m", &err) == MCR_OK);
}
