/* Suite `lending`: models/lending.h against hand computations. The loan (10 ETH against
 * 12,000 USD, LT 0.825, bonus 5%, close factor 0.5) on a replayed ramp of oracle prices: the
 * health factor at each step, each liquidation's repaid debt, seized collateral and bonus, the
 * repetition while HF < 1, the cap by the collateral (bad debt); Aave v3's full close below
 * HF 0.95; the liquidation price; interest accrual; ETH debt against stETH; validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/lending.h"
#include "unit_mc.h"

static const mcr_loan_params aave = {
    .liquidation_threshold = 0.825,
    .liquidation_bonus = 0.05,
    .close_factor = 0.5,
    .full_close_hf = 0.0,
    .borrow_rate = 0.05,
    .supply_rate = 0.02,
};

Test(lending, health_factor_and_liquidation_price)
{
    mcr_loan loan = {10, 12000};
    /* HF = 10 x 2000 x 0.825 / 12000 = 16500 / 12000 = 1.375 */
    um_close(mcr_loan_health(&aave, &loan, 2000, 1), 1.375, 1e-15, "HF at 2000");
    /* liquidation price = 12000 / (10 x 0.825) = 1454.5454... */
    double lp = mcr_loan_liquidation_price(&aave, &loan, 1);
    um_close(lp, 12000 / 8.25, 1e-11, "liquidation price");
    um_close(mcr_loan_health(&aave, &loan, lp, 1), 1.0, 1e-15, "HF = 1 at it");
    cr_expect(mcr_loan_health(&aave, &loan, lp * (1 - 1e-12), 1) < 1.0);
    cr_expect(mcr_loan_health(&aave, &loan, lp * (1 + 1e-12), 1) > 1.0);
    /* no debt: HF = +inf, no liquidation, never NaN */
    mcr_loan free = {10, 0};
    cr_expect(isinf(mcr_loan_health(&aave, &free, 2000, 1)));
    mcr_loan none = {0, 0};
    cr_expect(isinf(mcr_loan_health(&aave, &none, 2000, 1)));
    cr_expect(isinf(mcr_loan_liquidation_price(&aave, &none, 1)));
    mcr_liquidation l = mcr_loan_liquidate(&aave, &none, 2000, 1);
    cr_expect(l.repaid == 0 && l.seized == 0 && l.bonus == 0 && none.collateral == 0);
    um_close(mcr_loan_equity(&loan, 2000, 1), 8000, 0, "equity 20,000 - 12,000");
}

/* The step-by-step ramp. Each row: the oracle price, then the HF before the step and what the
 * liquidator does (repaid, seized), all computed by hand below. */
Test(lending, liquidation_on_a_ramp)
{
    mcr_loan loan = {10, 12000};
    double total_bonus = 0;
    int liquidations = 0;
    /* 2000, 1800, 1600, 1500: HF = 1.375, 1.2375, 1.1, 1.03125 (= 8.25 P / 12000): nothing */
    const double calm[] = {2000, 1800, 1600, 1500};
    for (int i = 0; i < 4; i++) {
        um_close(mcr_loan_health(&aave, &loan, calm[i], 1), 8.25 * calm[i] / 12000, 1e-15, "HF");
        mcr_liquidation l = mcr_loan_liquidate(&aave, &loan, calm[i], 1);
        cr_expect(l.repaid == 0 && l.seized == 0, "no liquidation at %g", calm[i]);
    }
    cr_expect(loan.collateral == 10 && loan.debt == 12000);

    /* 1400: HF = 11550 / 12000 = 0.9625 -> repay 0.5 x 12000 = 6000, seize
     * 6000 x 1.05 / 1400 = 4.5 ETH, of which bonus 300 / 1400 = 0.2142857 ETH;
     * left 5.5 ETH, 6000 USD: HF = 5.5 x 1400 x 0.825 / 6000 = 1.05875 */
    um_close(mcr_loan_health(&aave, &loan, 1400, 1), 0.9625, 1e-15, "HF at 1400");
    mcr_liquidation l = mcr_loan_liquidate(&aave, &loan, 1400, 1);
    um_close(l.repaid, 6000, 1e-12, "repaid at 1400");
    um_close(l.seized, 4.5, 1e-14, "seized at 1400");
    um_close(l.bonus, 300.0 / 1400, 1e-15, "bonus at 1400");
    um_close(loan.collateral, 5.5, 1e-14, "collateral after 1400");
    um_close(loan.debt, 6000, 1e-12, "debt after 1400");
    um_close(mcr_loan_health(&aave, &loan, 1400, 1), 1.05875, 1e-14, "HF after");
    total_bonus += l.bonus, liquidations++;

    /* 1300: HF = 5.5 x 1300 x 0.825 / 6000 = 0.983125 -> repay 3000, seize 3150 / 1300 ETH;
     * left 5.5 - 31.5/13 = 40/13 ETH, 3000 USD (HF = 1.1) */
    um_close(mcr_loan_health(&aave, &loan, 1300, 1), 0.983125, 1e-14, "HF at 1300");
    l = mcr_loan_liquidate(&aave, &loan, 1300, 1);
    um_close(l.repaid, 3000, 1e-11, "repaid at 1300");
    um_close(l.seized, 3150.0 / 1300, 1e-14, "seized at 1300");
    um_close(l.bonus, 150.0 / 1300, 1e-15, "bonus at 1300");
    um_close(loan.collateral, 40.0 / 13, 1e-14, "collateral after 1300");
    total_bonus += l.bonus, liquidations++;

    /* 1200: HF = (40/13) x 1200 x 0.825 / 3000 = 1.0153846: nothing */
    um_close(mcr_loan_health(&aave, &loan, 1200, 1), 40.0 / 13 * 990 / 3000, 1e-14, "HF 1200");
    l = mcr_loan_liquidate(&aave, &loan, 1200, 1);
    cr_expect(l.repaid == 0 && l.seized == 0);

    /* 1100: HF = 0.9307692 -> repay 1500, seize 1575 / 1100; left 40/13 - 1575/1100 ETH */
    l = mcr_loan_liquidate(&aave, &loan, 1100, 1);
    um_close(l.repaid, 1500, 1e-11, "repaid at 1100");
    um_close(l.seized, 1575.0 / 1100, 1e-14, "seized at 1100");
    double c = 40.0 / 13 - 1575.0 / 1100; /* 1.6451049 */
    um_close(loan.collateral, c, 1e-14, "collateral after 1100");
    total_bonus += l.bonus, liquidations++;

    /* crash to 500: HF = c x 500 x 0.825 / 1500 = 0.4524 -> repay 750, seize 787.5/500 = 1.575 */
    l = mcr_loan_liquidate(&aave, &loan, 500, 1);
    um_close(l.repaid, 750, 1e-11, "repaid at 500");
    um_close(l.seized, 1.575, 1e-14, "seized at 500");
    c -= 1.575; /* 0.0701049 ETH against 750 USD */
    total_bonus += l.bonus, liquidations++;

    /* 500 again: repaying 375 would need 375 x 1.05 / 500 = 0.7875 ETH > c: the cap. The
     * liquidator takes all c and repays c x 500 / 1.05 = 33.38 USD; 716.62 USD of bad debt */
    l = mcr_loan_liquidate(&aave, &loan, 500, 1);
    um_close(l.seized, c, 1e-14, "capped seizure");
    um_close(l.repaid, c * 500 / 1.05, 1e-11, "repaid under the cap");
    um_close(l.bonus, c * 0.05 / 1.05, 1e-15, "bonus under the cap");
    cr_expect(loan.collateral == 0.0);
    um_close(loan.debt, 750 - c * 500 / 1.05, 1e-11, "bad debt");
    total_bonus += l.bonus, liquidations++;

    /* nothing left to seize: HF = 0, the step does nothing and yields no NaN */
    um_close(mcr_loan_health(&aave, &loan, 500, 1), 0, 0, "HF without collateral");
    l = mcr_loan_liquidate(&aave, &loan, 500, 1);
    cr_expect(l.repaid == 0 && l.seized == 0 && l.bonus == 0);
    cr_expect(isfinite(loan.debt) && loan.collateral == 0.0);

    /* collateral lost to bonuses: 300/1400 + 150/1300 + 75/1100 + 37.5/500 + c 0.05/1.05 ETH */
    cr_expect(liquidations == 5);
    um_close(total_bonus,
             300.0 / 1400 + 150.0 / 1300 + 75.0 / 1100 + 37.5 / 500 + c * 0.05 / 1.05, 1e-14,
             "total bonus");
}

Test(lending, full_close_below_threshold)
{
    /* Aave v3: HF <= 0.95 lets the liquidator repay everything. A jump 2000 -> 1300:
     * HF = 10 x 1300 x 0.825 / 12000 = 0.89375 -> repay 12000, seize 12600 / 1300 = 9.6923 */
    mcr_loan_params v3 = aave;
    v3.full_close_hf = 0.95;
    mcr_loan loan = {10, 12000};
    mcr_liquidation l = mcr_loan_liquidate(&v3, &loan, 1300, 1);
    um_close(l.repaid, 12000, 1e-11, "full repay");
    um_close(l.seized, 12600.0 / 1300, 1e-14, "seized");
    cr_expect(loan.debt == 0.0);
    um_close(loan.collateral, 10 - 12600.0 / 1300, 1e-14, "collateral left");
    cr_expect(isinf(mcr_loan_health(&v3, &loan, 1300, 1)));
    /* at HF = 0.9625 (price 1400) the default close factor applies */
    mcr_loan loan2 = {10, 12000};
    l = mcr_loan_liquidate(&v3, &loan2, 1400, 1);
    um_close(l.repaid, 6000, 1e-12, "half repay above 0.95");
}

Test(lending, interest_accrual)
{
    /* a year of daily steps: debt 12000 e^0.05 = 12000 x 1.0512711 = 12615.2532, collateral 10 e^0.02 */
    mcr_loan loan = {10, 12000};
    mcr_loan_growth g = mcr_loan_growth_of(&aave, 1.0 / 365);
    um_close(g.debt, exp(0.05 / 365), 1e-16, "daily debt factor");
    for (int d = 0; d < 365; d++)
        mcr_loan_accrue(&loan, g);
    um_close(loan.debt, 12000 * exp(0.05), 1e-9, "debt after a year");
    um_close(loan.debt, 12615.2531565, 1e-6, "debt after a year, decimal");
    um_close(loan.collateral, 10 * exp(0.02), 1e-12, "collateral after a year");
    /* accrual moves the liquidation price: 12000 e^0.05 / (10 e^0.02 x 0.825) */
    um_close(mcr_loan_liquidation_price(&aave, &loan, 1), 12000 * exp(0.03) / 8.25, 1e-9,
             "liquidation price after a year");
}

/* Borrow 80 ETH against 100 stETH (LT 0.9, bonus 1%): only the ratio stETH/ETH matters. */
Test(lending, debt_in_another_asset)
{
    mcr_loan_params emode = aave;
    emode.liquidation_threshold = 0.9;
    emode.liquidation_bonus = 0.01;
    mcr_loan loan = {100, 80};
    /* peg 0.95, ETH 2000: HF = 100 x 1900 x 0.9 / (80 x 2000) = 1.06875, whatever ETH does */
    um_close(mcr_loan_health(&emode, &loan, 1900, 2000), 1.06875, 1e-15, "HF at ETH 2000");
    um_close(mcr_loan_health(&emode, &loan, 475, 500), 1.06875, 1e-15, "HF at ETH 500");
    /* liquidation ratio = 80 / (100 x 0.9) = 0.8889 */
    um_close(mcr_loan_liquidation_ratio(&emode, &loan), 80.0 / 90, 1e-15, "ratio");
    um_close(mcr_loan_liquidation_price(&emode, &loan, 2000), 2000 * 80.0 / 90, 1e-11,
             "stETH price threshold at ETH 2000");
    /* depeg to 0.88: HF = 0.99 -> repay 40 ETH, seize 40 x 2000 x 1.01 / 1760 = 45.909 stETH */
    mcr_liquidation l = mcr_loan_liquidate(&emode, &loan, 0.88 * 2000, 2000);
    um_close(l.repaid, 40, 1e-13, "repaid ETH");
    um_close(l.seized, 40 * 1.01 / 0.88, 1e-12, "seized stETH");
    um_close(l.bonus, 40 * 0.01 / 0.88, 1e-13, "bonus stETH");
}

Test(lending, validation)
{
    mcr_error err = {0};
    cr_expect(mcr_loan_params_check(&aave, "portfolio[2]", &err) == MCR_OK);
    mcr_loan_params bad = aave;
    bad.liquidation_threshold = 0.9;
    bad.liquidation_bonus = 0.15;
    cr_expect(mcr_loan_params_check(&bad, "portfolio[2]", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "portfolio[2].liquidation_bonus: liquidation_threshold x (1 + "
                              "liquidation_bonus) must be <= 1") != NULL, "%s", err.msg);
    bad = aave;
    bad.close_factor = 0;
    cr_expect(mcr_loan_params_check(&bad, "p", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "p.close_factor: must be a number in (0, 1], fraction of the debt "
                              "(got 0)") != NULL, "%s", err.msg);
    bad = aave;
    bad.borrow_rate = NAN;
    cr_expect(mcr_loan_params_check(&bad, "p", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "p.borrow_rate: must be a number in [0, 10], per year, continuously "
                              "compounded (got nan)") != NULL, "%s", err.msg);
}
