/* Option fees and coin-settled option helpers: validation and the coin premium. The per-trade
 * fee and payoff functions are inline in option_fees.h. */
#include "option_fees.h"

#include "param_check.h"

mcr_status mcr_option_fee_check(const mcr_option_fee *f, const char *where, mcr_error *err)
{
    const mcr_param p[] = {
        {"fraction_of_underlying", f->fraction_of_underlying, 0.0, 0.1, false},
        {"cap_of_premium", f->cap_of_premium, 0.0, 1.0, false},
        {"delivery_fraction", f->delivery_fraction, 0.0, 0.1, false},
        {"delivery_cap", f->delivery_cap, 0.0, 1.0, false},
    };
    return mcr_params_check(p, sizeof p / sizeof p[0], where, err);
}

double mcr_coin_premium(const mcr_euro *o, double sigma) { return mcr_bs_price(o, sigma) / o->spot; }
