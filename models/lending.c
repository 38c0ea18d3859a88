/* Aave/Compound-style loans: parameter validation and the per-step interest growth factors.
 * The per-step health factor and liquidation are inline in lending.h. */
#include "lending.h"

#include "param_check.h"

mcr_status mcr_loan_params_check(const mcr_loan_params *p, const char *where, mcr_error *err)
{
    const mcr_param ps[] = {
        {"liquidation_threshold", p->liquidation_threshold, 0.0, 1.0, true},
        {"liquidation_bonus", p->liquidation_bonus, 0.0, 0.5, false},
        {"close_factor", p->close_factor, 0.0, 1.0, true},
        {"full_close_hf", p->full_close_hf, 0.0, 1.0, false},
        {"borrow_rate", p->borrow_rate, 0.0, 10.0, false},
        {"supply_rate", p->supply_rate, 0.0, 10.0, false},
    };
    mcr_status s = mcr_params_check(ps, sizeof ps / sizeof ps[0], where, err);
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
