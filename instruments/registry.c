/* The instrument registry (instrument.h): one line per kind. */
#include <stddef.h>
#include <string.h>

#include "instrument.h"

const mcr_instrument_kind *const mcr_instruments[] = {
    &mcr_spot_instrument, &mcr_call_instrument, &mcr_put_instrument,
    &mcr_linear_perp_instrument, &mcr_inverse_perp_instrument, &mcr_amm_lp_instrument,
    &mcr_loan_instrument,
};
const int mcr_n_instruments = sizeof mcr_instruments / sizeof mcr_instruments[0];

/* The kinds as the config loader sees them (the first member of each kind is its mcr_kind). */
static const mcr_kind *const specs[] = {
    &mcr_spot_instrument.spec, &mcr_call_instrument.spec, &mcr_put_instrument.spec,
    &mcr_linear_perp_instrument.spec, &mcr_inverse_perp_instrument.spec,
    &mcr_amm_lp_instrument.spec, &mcr_loan_instrument.spec,
};
_Static_assert(sizeof specs / sizeof specs[0] == sizeof mcr_instruments / sizeof mcr_instruments[0],
               "one spec per instrument");

static const mcr_key common_keys[] = {
    /* required, but a kind may set it in its check (a loan: its collateral's asset) */
    MCR_KEY_A("asset", mcr_position, asset, 0, "required (a loan: its collateral.asset)",
              "the asset (a name from market.assets)"),
    MCR_KEY_END,
};

const mcr_kind_table mcr_instrument_kind_table = {
    .what = "instrument",
    .selector = "instrument",
    .def_kind = "spot",
    .kinds = specs,
    .n_kinds = sizeof specs / sizeof specs[0],
    .common = common_keys,
    .size = sizeof(mcr_position),
    .params_offset = offsetof(mcr_position, params),
    .kind_offset = offsetof(mcr_position, kind),
};

const mcr_instrument_kind *mcr_instrument_find(const char *name)
{
    for (int i = 0; i < mcr_n_instruments; i++)
        if (strcmp(mcr_instruments[i]->spec.name, name) == 0)
            return mcr_instruments[i];
    return NULL;
}

const mcr_instrument_kind *mcr_instrument_of(const mcr_position *pos)
{
    return mcr_instruments[pos->kind];
}

double mcr_book_spot(const mcr_config *cfg, int a)
{
    mcr_book book = {0};
    mcr_leg_env env = mcr_leg_env_of(cfg);
    for (int i = 0; i < cfg->n_positions; i++) {
        const mcr_instrument_kind *k = mcr_instrument_of(&cfg->portfolio[i]);
        if (k->to_book)
            k->to_book(&cfg->portfolio[i], &env, &book);
    }
    return book.spot[a] + book.venue_spot[a];
}
