/* The keys and defaults option strategies share (option_params.h). */
#include <stddef.h>
#include <stdio.h>

#include "option_params.h"

static const mcr_key roll_keys[] = {
    {.name = "every_days", .type = MCR_KEY_FLOAT,
     .flags = MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, .max = 36500,
     .offset = offsetof(mcr_option_params, roll.every_days) -
               offsetof(mcr_option_params, roll),
     .word_offset = (size_t)-1, .unit = "calendar days",
     .help = "buy or sell new options at t0 and at the first step at or after every multiple of "
             "this, struck relative to spot there, expiring expiry_days later"},
    {.name = "close_on_roll", .type = MCR_KEY_BOOL,
     .offset = offsetof(mcr_option_params, roll.close_on_roll) -
               offsetof(mcr_option_params, roll),
     .def = 0, .word_offset = (size_t)-1,
     .help = "sell (buy back) the options still open at each roll at their mark; false: hold "
             "them to expiry"},
    MCR_KEY_END,
};

const mcr_key mcr_option_keys[] = {
    {.name = "expiry_days", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
     .offset = offsetof(mcr_option_params, expiry_days), .min = 0, .max = 36500,
     .def_text = "the horizon", .word_offset = (size_t)-1, .unit = "calendar days from t0",
     .help = "the options' expiry"},
    {.name = "quantity", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_HAS_MIN,
     .offset = offsetof(mcr_option_params, quantity), .min = 0,
     .def_text = "the book's spot quantity", .word_offset = (size_t)-1,
     .unit = "units of the asset covered", .help = "0: the book's spot quantity in the asset"},
    {.name = "settlement", .type = MCR_KEY_ENUM, .offset = offsetof(mcr_option_params, settlement),
     .words = mcr_settlement_words, .def = 0, .word_offset = (size_t)-1, .unit = "settlement",
     .help = "usd, or coin: premium, payoff and mark in coin (README \"Venue conventions\")"},
    {.name = "roll", .type = MCR_KEY_MAP, .offset = offsetof(mcr_option_params, roll),
     .size = sizeof(((mcr_option_params *)0)->roll), .sub = roll_keys, .word_offset = (size_t)-1,
     .help = "{every_days: d, close_on_roll: false}: a rolling programme; default: the options "
             "of t0 only"},
    MCR_KEY_S("venue", mcr_option_params, venue, 0, NULL,
              "where the options are held (a name under venues): if it fails, the options open "
              "are closed at their mark, a claim worth recovery of a positive net value, and "
              "nothing settles or rolls after"),
    MCR_KEY_END,
};

mcr_status mcr_option_check(const mcr_part *part, mcr_option_params *o, const mcr_config *cfg,
                            const char *path, mcr_error *err)
{
    mcr_status st = mcr_config_venue_check(cfg, o->venue, path, &o->venue_index, err);
    if (st != MCR_OK)
        return st;
    if (o->expiry_days == 0)
        o->expiry_days = cfg->horizon_days;
    double step_days = cfg->horizon_days / cfg->steps;
    if (o->roll.every_days > 0 && o->roll.every_days < step_days * (1 - 1e-9))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.roll.every_days: must be at least one step (%g "
                        "days) (got %g)", path, step_days, o->roll.every_days);
    double spot = mcr_book_spot(cfg, part->asset);
    if (o->quantity == 0 && !(spot > 0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.quantity: required here: the portfolio holds no "
                        "long spot %s for the options to cover (spot quantity %g); give the units "
                        "covered, a number > 0", path, cfg->assets[part->asset].name, spot);
    return MCR_OK;
}

double mcr_option_days(const mcr_option_params *o, const mcr_config *cfg)
{
    return o->expiry_days > 0 ? o->expiry_days : cfg->horizon_days;
}

double mcr_option_quantity(const mcr_option_params *o, const mcr_plan_env *env, int asset)
{
    double held = env->book->spot[asset] + env->book->venue_spot[asset];
    return o->quantity != 0 ? o->quantity : held;
}

mcr_leg mcr_option_leg(const mcr_plan_env *env, const mcr_option_params *o, int asset,
                       mcr_payoff type, double relative_strike, double sign)
{
    double s0 = env->cfg->assets[asset].spot;
    mcr_leg l = mcr_leg_make(&env->legs, asset, type, relative_strike * s0,
                             mcr_option_days(o, env->cfg), sign * mcr_option_quantity(o, env, asset));
    l.coin = o->settlement == 1;
    l.venue = o->venue_index;
    return l;
}
