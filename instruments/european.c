/* The call and put instruments of a book: European options on an asset with an absolute strike
 * and an expiry in days from t0, priced at t0 and marked on the implied-vol surface (option.h),
 * possibly held at a venue that can fail (`venue`: the engine then closes it at its mark). */
#include <stddef.h>
#include <stdio.h>

#include "instrument.h"

typedef struct european_params {
    double quantity, strike, expiry_days;
    int settlement; /* 0 usd, 1 coin */
    char venue[MCR_NAME_MAX];
    int venue_index; /* set by the check */
} european_params;

static const mcr_key european_keys[] = {
    MCR_KEY_F("quantity", european_params, quantity, MCR_KEY_REQUIRED, 0, 0, 0,
              "units of the underlying", "options held, negative for sold"),
    MCR_KEY_F("strike", european_params, strike,
              MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN, 0, 0, 0, "quote currency",
              "the absolute strike"),
    MCR_KEY_F("expiry_days", european_params, expiry_days,
              MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0, 36500, 0,
              "calendar days from t0", "the option's expiry"),
    {.name = "settlement", .type = MCR_KEY_ENUM, .offset = offsetof(european_params, settlement),
     .words = mcr_settlement_words, .def = 0, .word_offset = (size_t)-1, .unit = "settlement",
     .help = "usd, or coin: premium, payoff and mark in coin (README \"Venue conventions\")"},
    MCR_KEY_S("venue", european_params, venue, 0, NULL,
              "where the option is held (a name under venues): if it fails, the option is "
              "closed at its mark, a claim worth recovery of a positive value"),
    MCR_KEY_END,
};

static mcr_status european_check(void *entry, const mcr_config *cfg, const char *path,
                                 mcr_error *err)
{
    european_params *p = (european_params *)((mcr_position *)entry)->params;
    return mcr_config_venue_check(cfg, p->venue, path, &p->venue_index, err);
}

static void add_leg(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book,
                    mcr_payoff payoff)
{
    const european_params *p = (const european_params *)pos->params;
    mcr_leg l = mcr_leg_make(env, pos->asset, payoff, p->strike, p->expiry_days, p->quantity);
    l.coin = p->settlement == 1;
    l.venue = p->venue_index;
    book->legs[book->n_legs++] = l;
    book->coin_legs |= l.coin;
    double s0 = env->cfg->assets[pos->asset].spot;
    if (l.coin) /* its initial value is a coin amount: the P&L holds it against S_T */
        book->coin0[pos->asset] += l.quantity * l.price0 / s0;
    else
        book->value0 += l.quantity * l.price0;
    /* bought (or sold) at t0 like a strategy's options: the trade fee in its currency */
    const mcr_option_fee *f = &env->cfg->costs.option_fee;
    book->option_fees |= f->fraction_of_underlying > 0 || f->delivery_fraction > 0;
    if (l.coin)
        book->fee0_coin[pos->asset] +=
            mcr_option_trade_fee(f, l.quantity, l.quantity * l.price0 / s0);
    else
        book->fee0 += mcr_option_trade_fee(f, l.quantity * s0, l.quantity * l.price0);
}

static void call_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    add_leg(pos, env, book, MCR_CALL);
}

static void put_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    add_leg(pos, env, book, MCR_PUT);
}

const mcr_instrument_kind mcr_call_instrument = {
    .spec = {.name = "call", .help = "a European call", .keys = european_keys,
             .params_size = sizeof(european_params), .check = european_check,
             .traits = MCR_KIND_EUROPEAN_OPTION},
    .to_book = call_to_book,
};

const mcr_instrument_kind mcr_put_instrument = {
    .spec = {.name = "put", .help = "a European put", .keys = european_keys,
             .params_size = sizeof(european_params), .check = european_check,
             .traits = MCR_KIND_EUROPEAN_OPTION},
    .to_book = put_to_book,
};
