/* Option fees and coin-settled option helpers: validation and the coin premium. The per-trade
 * fee and payoff functions are inline in option_fees.h. */
#include "option_fees.h"

#include <stddef.h>

const mcr_key mcr_option_fee_keys[] = {
    MCR_KEY_F("fraction_of_underlying", mcr_option_fee, fraction_of_underlying, MCR_RANGE_CLOSED, 0,
              0.1, 0, "fraction of the underlying notional",
              "trade fee before the cap (Deribit: 0.0003)"),
    MCR_KEY_F("cap_of_premium", mcr_option_fee, cap_of_premium, MCR_RANGE_CLOSED, 0, 1, 0.125,
              "fraction of the premium", "the trade fee is at most this (Deribit: 0.125)"),
    MCR_KEY_F("delivery_fraction", mcr_option_fee, delivery_fraction, MCR_RANGE_CLOSED, 0, 0.1, 0,
              "fraction of the underlying notional",
              "delivery fee at settlement before the cap (Deribit: 0.00015)"),
    MCR_KEY_F("delivery_cap", mcr_option_fee, delivery_cap, MCR_RANGE_CLOSED, 0, 1, 0.125,
              "fraction of the option's value at delivery",
              "the delivery fee is at most this (Deribit: 0.125)"),
    MCR_KEY_END,
};

mcr_status mcr_option_fee_check(const mcr_option_fee *f, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_option_fee_keys, f, where, err);
}

double mcr_coin_premium(const mcr_euro *o, double sigma) { return mcr_bs_price(o, sigma) / o->spot; }
