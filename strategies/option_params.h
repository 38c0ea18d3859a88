/* The keys every option strategy shares (expiry_days, quantity) and relative strikes. */
#ifndef MCR_OPTION_PARAMS_H
#define MCR_OPTION_PARAMS_H

#include "strategy.h"

typedef struct mcr_option_params {
    double expiry_days; /* default: the horizon */
    double quantity;    /* units of the asset covered; 0: the book's spot quantity */
    int settlement;     /* 0 usd, 1 coin (option.h) */
    struct {
        double every_days; /* 0: no roll */
        bool close_on_roll;
    } roll;             /* a programme: new options every every_days (strategies/roll.c) */
    char venue[MCR_NAME_MAX]; /* where the options are held ("": nowhere that fails) */
    int venue_index;          /* set by the check: an index into cfg->venues, -1 none */
} mcr_option_params;

extern const mcr_key mcr_option_keys[];

/* A strike relative to spot at t0, required: row constructor. */
#define MCR_STRIKE_KEY(n, T, m, h)                                                                 \
    MCR_KEY_F(n, T, m, MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 0, 10, 0,         \
              "relative to spot at t0 (0.9: 10% below spot)", h)

/* The expiry defaults to the horizon; the quantity covered by default is the book's long spot:
 * there must be some. Resolves the venue (o->venue_index). */
mcr_status mcr_option_check(const mcr_part *part, mcr_option_params *o, const mcr_config *cfg,
                            const char *path, mcr_error *err);
double mcr_option_days(const mcr_option_params *o, const mcr_config *cfg);
double mcr_option_quantity(const mcr_option_params *o, const mcr_plan_env *env, int asset);
/* A leg at a strike relative to S0 of the part's asset: quantity x sign (sold: -1), held at the
 * part's venue. */
mcr_leg mcr_option_leg(const mcr_plan_env *env, const mcr_option_params *o, int asset,
                       mcr_payoff type, double relative_strike, double sign);

#endif
