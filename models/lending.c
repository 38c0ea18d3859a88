/* Aave/Compound-style loans: parameter validation and the per-step interest growth factors.
 * The per-step health factor and liquidation are inline in lending.h. */
#include "lending.h"

#include <stddef.h>

#include "model_keys.h" /* MCR_REQ_CLOSED */

const mcr_key mcr_loan_params_keys[] = {
    MCR_KEY_F("liquidation_threshold", mcr_loan_params, liquidation_threshold,
              MCR_REQ_CLOSED | MCR_KEY_MIN_OPEN, 0, 1, 0, "fraction of the collateral's value",
              "LT: the part of the collateral's value that counts in the health factor"),
    MCR_KEY_F("liquidation_bonus", mcr_loan_params, liquidation_bonus, MCR_REQ_CLOSED, 0, 0.5, 0,
              "fraction of the repaid value",
              "a liquidator seizes collateral worth repaid x (1 + bonus)"),
    MCR_KEY_F("close_factor", mcr_loan_params, close_factor, MCR_REQ_CLOSED | MCR_KEY_MIN_OPEN, 0,
              1, 0, "fraction of the debt",
              "the part of the debt one liquidation repays (Aave: 0.5)"),
    MCR_KEY_F("full_close_hf", mcr_loan_params, full_close_hf, MCR_RANGE_CLOSED, 0, 1, 0,
              "health factor",
              "at or below it a liquidation may repay the whole debt (Aave v3: 0.95; 0: never, "
              "as Aave v2)"),
    MCR_KEY_F("borrow_rate", mcr_loan_params, borrow_rate, MCR_RANGE_CLOSED, 0, 10, 0,
              "per year, continuously compounded", "interest accrued on the debt"),
    MCR_KEY_F("supply_rate", mcr_loan_params, supply_rate, MCR_RANGE_CLOSED, 0, 10, 0,
              "per year, continuously compounded", "interest accrued on the collateral"),
    MCR_KEY_END,
};

mcr_status mcr_loan_params_check(const mcr_loan_params *p, const char *where, mcr_error *err)
{
    mcr_status s = mcr_keys_check(mcr_loan_params_keys, p, where, err);
    if (s != MCR_OK)
        return s;
    /* Aave's reserve rule: a liquidation at HF just below 1 must not need more collateral than
     * there is, so LT (1 + bonus) <= 1. */
    double product = p->liquidation_threshold * (1.0 + p->liquidation_bonus);
    if (product > 1.0)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "%s.liquidation_bonus: liquidation_threshold x (1 + liquidation_bonus) "
                        "must be <= 1 (Aave's reserve rule); got %g x %g = %g",
                        where, p->liquidation_threshold, 1.0 + p->liquidation_bonus, product);
    return MCR_OK;
}

mcr_loan_growth mcr_loan_growth_of(const mcr_loan_params *p, double dt)
{
    return (mcr_loan_growth){exp(p->borrow_rate * dt), exp(p->supply_rate * dt)};
}
