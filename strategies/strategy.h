/* The registry of strategy kinds. A kind is one file of strategies/: its config keys (with
 * types, defaults, ranges and help), a check of what spans keys, flags, and how it plans a part
 * at t0: the option legs it buys or sells and the position it holds, with the rule that trades
 * it. The engine (hedge.c) runs every planned part the same way and never switches on the kind.
 * Adding a kind is its file and one line of the registry (registry.c). */
#ifndef MCR_STRATEGY_H
#define MCR_STRATEGY_H

#include <stdbool.h>

#include "config/config.h"
#include "instruments/instrument.h"

#define MCR_MAX_LEGS 4
_Static_assert(MCR_MAX_LEGS == MCR_ROLL_LEGS, "a rolled generation holds the part's legs");

enum {
    MCR_STRAT_HOLDS_POSITION = 1 << 0, /* trades a spot or perpetual position */
    MCR_STRAT_OPENS_AT_T0 = 1 << 1,    /* opens its position at t0 and holds it */
    MCR_STRAT_REBALANCES = 1 << 2,     /* trades it again on a schedule or a band */
    MCR_STRAT_NEEDS_DELTA = 1 << 3,    /* needs the book's delta at every step */
};

/* A part as planned for a scenario: legs, and the position with the rule that trades it. */
typedef struct mcr_part_plan {
    int asset;       /* the book's asset it hedges, and the options' underlying */
    int hedge_asset; /* the asset whose spot or perpetual the position trades */
    mcr_leg legs[MCR_MAX_LEGS];
    int n_legs;
    double premium0; /* net premium paid at t0 (negative: received), USD legs */
    double premium0_coin; /* the same of coin-settled legs, in coin (held against S_T) */
    double fee0, fee0_coin; /* option trading fees at t0 (costs.option_fee), USD and coin */
    bool coin_legs;  /* some leg is coin-settled */
    double call_strike; /* a solved relative call strike (zero-cost collars), else 0 */
    const mcr_position_ops *position; /* NULL: no position */
    mcr_position_params pp;
    /* The target delta in units of hedge_asset:
     *   -hedge_ratio x (book delta in asset)                            (hedge_asset == asset)
     *   -hedge_ratio x beta x (book delta in asset) x S_asset / S_hedge  (a cross hedge) */
    double hedge_ratio, beta;
    unsigned flags;  /* MCR_STRAT_* of the kind */
    int every_steps; /* rebalance every k steps, or ... */
    double schedules_per_step; /* > 0: at the first step at or after each multiple of h hours
                                * (this is step hours / h) */
    /* ... and there only where |net delta| > band + band_pct x |book delta| (units of
     * hedge_asset, the book's beta-weighted); both 0: wherever the schedule says */
    double band, band_pct;
    bool marked;      /* a perpetual with a basis (perp.basis): trades at its mark */
    int venue;        /* where its position and account sit (an index into cfg->venues), -1 */
    bool onchain;     /* its trades are on-chain transactions (costs.gas_per_tx each) */
    int reopen_steps; /* > 0: a liquidated position re-opens this many steps later */
    /* roll (option strategies, strategies/roll.c): new legs at each roll date, struck at
     * rel_strike x S there, expiring legs[l].expiry later; 0: no roll */
    double rolls_per_step; /* step days / every_days */
    bool close_on_roll;
    int roll_expiry_steps; /* steps from a roll date to its generation's expiry */
    int roll_slots;        /* most generations open at once after t0's (roll.c) */
    double rel_strike[MCR_MAX_LEGS];
} mcr_part_plan;

/* What a kind's plan may consult. */
typedef struct mcr_plan_env {
    const mcr_config *cfg;
    mcr_leg_env legs;
    const mcr_book *book;
} mcr_plan_env;

typedef struct mcr_strategy_kind {
    mcr_kind spec; /* name, help, keys, params size, check (the first member: see registry.c) */
    unsigned flags;
    /* Fill `out` for part `part` (out arrives zeroed with asset and hedge_asset set to the
     * part's asset, hedge_ratio and beta 1, every_steps 1, venue -1). */
    void (*plan)(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out);
} mcr_strategy_kind;

/* The registry, and the table the config loader selects strategy parts from by `type`. */
extern const mcr_strategy_kind *const mcr_strategy_kinds[];
extern const int mcr_n_strategy_kinds;
extern const mcr_kind_table mcr_strategy_kind_table;

/* The registries of instruments and strategies, as the config loader takes them. */
const mcr_config_kinds *mcr_registry(void);

/* The kind of a loaded part; the kind named `name`, or NULL. */
const mcr_strategy_kind *mcr_strategy_kind_of(const mcr_part *part);
const mcr_strategy_kind *mcr_strategy_kind_find(const char *name);

/* A number of a loaded part or position by its key ("strike", "rebalance.band"), as loaded
 * (before defaults that depend on the book); NAN when the kind has no such number. A word key
 * (an enumeration) gives its value. */
double mcr_part_value(const mcr_part *part, const char *key);
double mcr_position_value(const mcr_position *pos, const char *key);
/* A text key of a loaded position ("venue", "debt.asset"), or NULL when its kind has none. */
const char *mcr_position_text(const mcr_position *pos, const char *key);
/* The word chosen for a key of a part (an enumeration's, or a number key's word such as `auto`),
 * or NULL when a number was given or the key takes no words. */
const char *mcr_part_word(const mcr_part *part, const char *key);

/* Plan part `part` for the engine. */
void mcr_part_plan_of(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out);

/* The config loaded and validated with every registered instrument and strategy kind
 * (config.h's parse functions with mcr_registry()). */
mcr_status mcr_config_load_file(const char *path, mcr_config *cfg, mcr_error *err);
mcr_status mcr_config_load_string(const char *yaml, const char *source, mcr_config *cfg,
                                  mcr_error *err);

#endif
