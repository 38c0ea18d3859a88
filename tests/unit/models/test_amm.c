/* Suite `amm`: models/amm.h against hand computations. v2: value, holdings, delta and the exact
 * impermanent-loss ratio; v3: the three branches (below, in, above range) of holdings, value,
 * delta and IL, continuity at the range ends, the in-range indicator and fees; LVR: the rate
 * against sigma^2 P^2 / 2 |x'(P)| by finite differences, and E[V_T] = V0 exp(-sigma^2 T / 8) by
 * Monte Carlo within 4 se; validation messages; no NaN at extreme prices. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/amm.h"
#include "unit_mc.h"

static const mcr_amm_pool v2_pool = {MCR_AMM_CONSTANT_PRODUCT, 0.003, 0.3, 0, 0};
/* P0 = 100, Pa = 64, Pb = 144: sqrt prices 8, 10, 12 */
static const mcr_amm_pool v3_pool = {MCR_AMM_CONCENTRATED, 0.0005, 2.0, 0.64, 1.44};

Test(amm, v2_value_holdings_delta)
{
    /* V0 = 100,000 at P0 = 2,000: k = V0^2 / (4 P0) = 1e10 / 8000 = 1,250,000,
     * x0 = V0 / (2 P0) = 25 ETH, y0 = V0 / 2 = 50,000 USD */
    mcr_amm_lp lp = mcr_amm_lp_open(&v2_pool, 100000, 2000);
    um_close(lp.liquidity * lp.liquidity, 1250000, 1e-6, "k = L^2");
    um_close(lp.x0, 25, 1e-12, "x0");
    um_close(lp.y0, 50000, 1e-9, "y0");
    um_close(mcr_amm_value(&lp, 2000), 100000, 1e-9, "V(P0)");
    /* P = 4,000: V = 2 sqrt(1.25e6 x 4000) = 2 sqrt(5e9) = 141,421.356..., = V0 sqrt(2);
     * x = sqrt(k / P) = sqrt(312.5) = 17.677669..., y = sqrt(k P) = 70,710.678... */
    um_close(mcr_amm_value(&lp, 4000), 100000 * sqrt(2.0), 1e-9, "V(4000)");
    um_close(mcr_amm_v2_value(1250000, 4000), 100000 * sqrt(2.0), 1e-9, "2 sqrt(kP)");
    mcr_amm_holdings h = mcr_amm_holdings_at(&lp, 4000);
    um_close(h.x, sqrt(312.5), 1e-12, "x(4000)");
    um_close(h.y, sqrt(5e9), 1e-9, "y(4000)");
    um_close(mcr_amm_delta(&lp, 4000), sqrt(312.5), 1e-12, "delta = x");
    /* hold: 25 x 4000 + 50,000 = 150,000; IL = 141,421.356 / 150,000 - 1 = 2 sqrt(2)/3 - 1 */
    um_close(mcr_amm_hold_value(&lp, 4000), 150000, 1e-9, "hold value");
    um_close(mcr_amm_il(&lp, 4000), 2 * sqrt(2.0) / 3 - 1, 1e-15, "IL at r = 2");
    um_close(mcr_amm_il(&lp, 4000), -0.0571909584179366, 1e-15, "IL at r = 2, decimal");
    /* v2 is always in range and earns fees on its whole value:
     * 0.003 x 0.3 x 1 day x 100,000 = 90 USD */
    cr_expect(mcr_amm_in_range(&lp, 1e-9) == 1.0 && mcr_amm_in_range(&lp, 1e12) == 1.0);
    um_close(mcr_amm_fee_income(&v2_pool, 100000, 1.0, 1.0), 90, 1e-12, "v2 daily fee");
}

Test(amm, v2_il_ratio_exact)
{
    /* 2 sqrt(r) / (1 + r) - 1: r = 1 -> 0; r = 4 -> 4/5 - 1 = -0.2; r = 1/4 -> 1/1.25 - 1 = -0.2;
     * r = 9 -> 6/10 - 1 = -0.4; r = 1/9 -> (2/3)/(10/9) - 1 = -0.4 */
    um_close(mcr_amm_v2_il_ratio(1), 0, 0, "r = 1");
    um_close(mcr_amm_v2_il_ratio(4), -0.2, 1e-15, "r = 4");
    um_close(mcr_amm_v2_il_ratio(0.25), -0.2, 1e-15, "r = 1/4");
    um_close(mcr_amm_v2_il_ratio(9), -0.4, 1e-15, "r = 9");
    um_close(mcr_amm_v2_il_ratio(1.0 / 9), -0.4, 1e-15, "r = 1/9");
    /* the position's IL equals the ratio at every r (a crash and a rally grid) */
    mcr_amm_lp lp = mcr_amm_lp_open(&v2_pool, 100000, 2000);
    for (double r = 0.05; r < 20; r *= 1.37)
        um_close(mcr_amm_il(&lp, 2000 * r), mcr_amm_v2_il_ratio(r), 2e-15, "IL vs ratio");
}

Test(amm, v3_open_split)
{
    /* value per unit L at P0 = 100: P0 (1/10 - 1/12) + (10 - 8) = 100/60 + 2 = 11/3;
     * V0 = 11,000 -> L = 3,000; x0 = 3000/60 = 50 ETH, y0 = 3000 x 2 = 6,000 USD */
    mcr_amm_lp lp = mcr_amm_lp_open(&v3_pool, 11000, 100);
    um_close(lp.liquidity, 3000, 1e-9, "L");
    um_close(lp.lower, 64, 1e-12, "Pa");
    um_close(lp.upper, 144, 1e-12, "Pb");
    um_close(lp.x0, 50, 1e-11, "x0");
    um_close(lp.y0, 6000, 1e-9, "y0");
    um_close(mcr_amm_value(&lp, 100), 11000, 1e-9, "V(P0)");
}

Test(amm, v3_three_branches)
{
    mcr_amm_lp lp = mcr_amm_lp_open(&v3_pool, 11000, 100);
    /* below, P = 49: all in x, x = 3000 (1/8 - 1/12) = 3000/24 = 125, y = 0,
     * V = 125 x 49 = 6,125; hold = 50 x 49 + 6000 = 8,450; IL = 6125/8450 - 1 */
    mcr_amm_holdings h = mcr_amm_holdings_at(&lp, 49);
    um_close(h.x, 125, 1e-10, "below: x");
    um_close(h.y, 0, 0, "below: y");
    um_close(mcr_amm_value(&lp, 49), 6125, 1e-9, "below: V");
    um_close(mcr_amm_delta(&lp, 49), 125, 1e-10, "below: delta");
    um_close(mcr_amm_il(&lp, 49), 6125.0 / 8450 - 1, 1e-14, "below: IL");
    cr_expect(mcr_amm_in_range(&lp, 49) == 0.0);
    /* in range, P = 121: x = 3000 (1/11 - 1/12) = 3000/132 = 22.7272...,
     * y = 3000 (11 - 8) = 9,000; V = 22.7272... x 121 + 9000 = 2750 + 9000 = 11,750
     * = L (2 sqrt(P) - sqrt(Pa) - P / sqrt(Pb)) = 3000 (22 - 8 - 121/12);
     * hold = 50 x 121 + 6000 = 12,050; IL = 11750/12050 - 1 */
    h = mcr_amm_holdings_at(&lp, 121);
    um_close(h.x, 3000.0 / 132, 1e-11, "in: x");
    um_close(h.y, 9000, 1e-9, "in: y");
    um_close(mcr_amm_value(&lp, 121), 11750, 1e-9, "in: V");
    um_close(3000 * (22 - 8 - 121.0 / 12), 11750, 1e-9, "in: whitepaper form");
    um_close(mcr_amm_delta(&lp, 121), 3000.0 / 132, 1e-11, "in: delta");
    um_close(mcr_amm_il(&lp, 121), 11750.0 / 12050 - 1, 1e-14, "in: IL");
    cr_expect(mcr_amm_in_range(&lp, 121) == 1.0);
    /* above, P = 169: all in y, x = 0, y = 3000 (12 - 8) = 12,000, V = 12,000;
     * hold = 50 x 169 + 6000 = 14,450; IL = 12000/14450 - 1 */
    h = mcr_amm_holdings_at(&lp, 169);
    um_close(h.x, 0, 1e-12, "above: x");
    um_close(h.y, 12000, 1e-9, "above: y");
    um_close(mcr_amm_value(&lp, 169), 12000, 1e-9, "above: V");
    um_close(mcr_amm_delta(&lp, 169), 0, 1e-12, "above: delta");
    um_close(mcr_amm_il(&lp, 169), 12000.0 / 14450 - 1, 1e-14, "above: IL");
    cr_expect(mcr_amm_in_range(&lp, 169) == 0.0);
    /* the range ends are in range; value and delta are continuous there */
    cr_expect(mcr_amm_in_range(&lp, 64) == 1.0 && mcr_amm_in_range(&lp, 144) == 1.0);
    for (int side = 0; side < 2; side++) {
        double edge = side ? 144 : 64, eps = 1e-7;
        um_close(mcr_amm_value(&lp, edge * (1 + eps)), mcr_amm_value(&lp, edge * (1 - eps)),
                 1e-6 * edge * 125, "V continuous at the range end");
        /* |x'| <= L / (2 Pa^{3/2}) = 3000 / 1024 = 2.93 per USD, over 2 eps edge <= 2.9e-4 */
        um_close(mcr_amm_delta(&lp, edge * (1 + eps)), mcr_amm_delta(&lp, edge * (1 - eps)),
                 1e-4, "delta continuous at the range end");
    }
}

/* delta = dV/dP by central differences, in every branch and for v2 */
Test(amm, delta_is_the_derivative)
{
    mcr_amm_lp lps[2] = {mcr_amm_lp_open(&v3_pool, 11000, 100),
                         mcr_amm_lp_open(&v2_pool, 11000, 100)};
    const double prices[] = {30, 63, 70, 100, 121, 140, 150, 400};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++) {
            double p = prices[i], h = 1e-4 * p;
            double fd = (mcr_amm_value(&lps[k], p + h) - mcr_amm_value(&lps[k], p - h)) / (2 * h);
            um_close(mcr_amm_delta(&lps[k], p), fd, 1e-6, "delta vs finite difference");
        }
}

Test(amm, v3_fees_only_in_range)
{
    /* 0.0005 x 2.0 x 1 day x 11,750 = 11.75 USD; an hourly step earns 11.75 / 24;
     * out of range it earns 0 */
    mcr_amm_lp lp = mcr_amm_lp_open(&v3_pool, 11000, 100);
    double v = mcr_amm_value(&lp, 121);
    um_close(mcr_amm_fee_income(&v3_pool, v, 1.0, mcr_amm_in_range(&lp, 121)), 11.75, 1e-12,
             "daily");
    um_close(mcr_amm_fee_income(&v3_pool, v, 1.0 / 24, mcr_amm_in_range(&lp, 121)), 11.75 / 24,
             1e-13, "hourly");
    cr_expect(mcr_amm_fee_income(&v3_pool, 6125, 1.0, mcr_amm_in_range(&lp, 49)) == 0.0);
    cr_expect(mcr_amm_fee_income(&v3_pool, 12000, 1.0, mcr_amm_in_range(&lp, 169)) == 0.0);
}

Test(amm, lvr_rate)
{
    /* v3 in range: sigma^2 L sqrt(P) / 4 = 0.25 x 3000 x 11 / 4 = 2,062.5 USD/yr at sigma = 0.5,
     * P = 121; out of range 0 */
    mcr_amm_lp lp = mcr_amm_lp_open(&v3_pool, 11000, 100);
    um_close(mcr_amm_lvr_rate(&lp, 0.5, 121), 2062.5, 1e-9, "v3 in range");
    cr_expect(mcr_amm_lvr_rate(&lp, 0.5, 49) == 0.0 && mcr_amm_lvr_rate(&lp, 0.5, 169) == 0.0);
    /* against sigma^2 P^2 / 2 |x'(P)| with x' by central differences */
    for (double p = 70; p < 140; p += 9.5) {
        double h = 1e-4 * p;
        double dx = (mcr_amm_delta(&lp, p + h) - mcr_amm_delta(&lp, p - h)) / (2 * h);
        double want = 0.125 * p * p * fabs(dx); /* central difference: relative error O(h^2) */
        um_close(mcr_amm_lvr_rate(&lp, 0.5, p), want, 1e-7 * want, "LVR vs x'");
    }
    /* v2: sigma^2 V / 8 */
    mcr_amm_lp v2 = mcr_amm_lp_open(&v2_pool, 100000, 2000);
    um_close(mcr_amm_lvr_rate(&v2, 0.8, 2500), 0.08 * mcr_amm_value(&v2, 2500), 1e-9, "v2");
}

/* E[V_T] = V0 exp(-sigma^2 T / 8) for a v2 position without fees, P GBM with mu = 0:
 * sigma = 0.8, T = 1: exp(-0.08) = 0.923116...; the alternative "no LVR" value V0 is 89 se away.
 * Var(V_T)/V0^2 = 1 - exp(-sigma^2 T / 4) = 0.1479, so se = 0.385 V0 / sqrt(n). */
Test(amm, lvr_expected_value_mc)
{
    const double sigma = 0.8, t = 1.0, v0 = 100000, p0 = 2000;
    const int n = 200000;
    mcr_amm_lp lp = mcr_amm_lp_open(&v2_pool, v0, p0);
    mcr_pcg32 g = mcr_pcg32_for_path(20240611, 0);
    um_stats s = {0};
    for (int i = 0; i < n; i++) {
        double pt = p0 * exp(-0.5 * sigma * sigma * t + sigma * sqrt(t) * um_normal(&g));
        um_add(&s, mcr_amm_value(&lp, pt));
    }
    double exact = mcr_amm_v2_expected_value(v0, sigma, t);
    um_close(exact, v0 * 0.9231163463866358, 1e-9, "exp(-0.08)");
    um_within_4se(&s, exact, 0.0010 * v0, "E[V_T]");
    cr_expect(fabs(s.mean - v0) > 20 * um_se(&s), "the LVR drift is resolved");
}

Test(amm, extreme_prices_finite)
{
    mcr_amm_lp lps[2] = {mcr_amm_lp_open(&v3_pool, 11000, 100),
                         mcr_amm_lp_open(&v2_pool, 11000, 100)};
    const double prices[] = {0.0, 1e-300, 1e-12, 1e12, 1e300};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < 5; i++) {
            double p = prices[i];
            cr_expect(isfinite(mcr_amm_value(&lps[k], p)), "V at %g", p);
            cr_expect(isfinite(mcr_amm_delta(&lps[k], p)), "delta at %g", p);
            cr_expect(isfinite(mcr_amm_il(&lps[k], p)), "IL at %g", p);
            cr_expect(isfinite(mcr_amm_lvr_rate(&lps[k], 0.8, p)), "LVR at %g", p);
        }
    /* an empty position is 0 everywhere, with IL 0 */
    mcr_amm_lp empty = mcr_amm_lp_open(&v2_pool, 0, 100);
    cr_expect(mcr_amm_value(&empty, 50) == 0.0 && mcr_amm_il(&empty, 50) == 0.0);
    /* a range above P0 (all in x at t0, like a range order) opens with finite L */
    mcr_amm_pool above = {MCR_AMM_CONCENTRATED, 0.003, 1, 1.1, 1.5};
    mcr_amm_lp ro = mcr_amm_lp_open(&above, 1000, 100);
    um_close(ro.x0 * 100, 1000, 1e-9, "range order all in x");
    cr_expect(ro.y0 == 0.0);
}

Test(amm, validation)
{
    mcr_error err = {0};
    cr_expect(mcr_amm_pool_check(&v2_pool, "portfolio[0].pool", &err) == MCR_OK);
    cr_expect(mcr_amm_pool_check(&v3_pool, "portfolio[0].pool", &err) == MCR_OK);
    mcr_amm_pool bad = v3_pool;
    bad.upper = 0.5;
    cr_expect(mcr_amm_pool_check(&bad, "portfolio[1].pool", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "portfolio[1].pool.upper: must be greater than lower = 0.64") != NULL,
              "%s", err.msg);
    bad = v3_pool;
    bad.fee = -0.01;
    cr_expect(mcr_amm_pool_check(&bad, "p", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "p.fee: must be a number in [0, 0.1], fraction of traded volume "
                              "(got -0.01)") != NULL, "%s", err.msg);
    bad = v3_pool;
    bad.lower = NAN;
    cr_expect(mcr_amm_pool_check(&bad, "p", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "p.lower: must be a number in (0, 1000000], relative to spot at t0 "
                              "(got nan)") != NULL, "%s", err.msg);
    /* the range keys are not read for a constant-product pool */
    bad = v2_pool;
    bad.lower = -1;
    cr_expect(mcr_amm_pool_check(&bad, "p", &err) == MCR_OK);
}
