/* The keys and target terms of the position hedges (hedge_params.h). */
#include <math.h>
#include <stddef.h>

#include "hedge_params.h"

static const mcr_key_word auto_word[] = {
    {"auto", 1, "rho x sigma_asset / sigma_hedge_asset, the minimum-variance ratio at t0"},
    {NULL, 0, NULL},
};

static const mcr_key_word optimize_word[] = {
    {"optimize", 1, "the ratio minimising `objective`, found by golden-section search on a pilot "
                    "(README \"Optimal hedge ratio\")"},
    {NULL, 0, NULL},
};

static const mcr_key_word objectives[] = {
    {"cvar", MCR_OBJECTIVE_CVAR, "CVaR of the P&L at `level`"},
    {"var", MCR_OBJECTIVE_VAR, "VaR of the P&L at `level`"},
    {"variance", MCR_OBJECTIVE_VARIANCE, "the variance of the P&L"},
    {NULL, 0, NULL},
};

static const mcr_key reopen_keys[] = {
    {.name = "after_hours", .type = MCR_KEY_FLOAT, .flags = MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN,
     .min = 0, .offset = 0, .def = -1, .def_text = "never", .word_offset = (size_t)-1,
     .unit = "hours",
     .help = "re-open a liquidated hedge at the first step at least this long after its "
             "liquidation (0: the next step), posting new margin"},
    MCR_KEY_END,
};

/* The search's settings: refused beside a numeric hedge_ratio, where nothing would use them. */
#define OPTIMIZE "hedge_ratio=optimize"

const mcr_key mcr_hedge_keys[] = {
    {.name = "hedge_ratio", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
     .min = 0, .max = 10, .def = 1, .offset = offsetof(mcr_hedge_params, hedge_ratio),
     .words = optimize_word, .word_offset = offsetof(mcr_hedge_params, ratio_optimize),
     .help = "the fraction of the book's delta hedged, or optimize"},
    {.name = "objective", .type = MCR_KEY_ENUM, .offset = offsetof(mcr_hedge_params, objective),
     .words = objectives, .def = MCR_OBJECTIVE_CVAR, .word_offset = (size_t)-1,
     .only_with = OPTIMIZE, .help = "what hedge_ratio: optimize minimises"},
    {.name = "level", .type = MCR_KEY_FLOAT,
     .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN | MCR_KEY_MAX_OPEN,
     .offset = offsetof(mcr_hedge_params, level), .min = 0, .max = 1, .def = 0.99,
     .word_offset = (size_t)-1, .only_with = OPTIMIZE, .unit = "confidence level",
     .help = "the level of the var and cvar objectives"},
    {.name = "pilot_paths", .type = MCR_KEY_INT, .flags = MCR_RANGE_CLOSED,
     .offset = offsetof(mcr_hedge_params, pilot_paths), .size = sizeof(int), .min = 1000,
     .max = 1000000, .def = 4096, .word_offset = (size_t)-1, .only_with = OPTIMIZE,
     .unit = "paths", .help = "the paths of the optimization's pilot (its own seed)"},
    {.name = "max_ratio", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
     .offset = offsetof(mcr_hedge_params, max_ratio), .min = 0, .max = 10, .def = 2,
     .word_offset = (size_t)-1, .only_with = OPTIMIZE,
     .help = "the optimization searches hedge ratios in (0, max_ratio)"},
    MCR_KEY_A("hedge_asset", mcr_hedge_params, hedge_asset, 0, "the asset itself",
              "the asset whose spot or perpetual is traded (a cross hedge when another)"),
    {.name = "beta", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED, .min = -100, .max = 100,
     .def = 1, .offset = offsetof(mcr_hedge_params, beta), .words = auto_word,
     .word_offset = offsetof(mcr_hedge_params, beta_auto), .unit = "value for value",
     .help = "a cross hedge's ratio: the target is -hedge_ratio x beta x (book delta, in quote) "
             "/ S(hedge_asset)"},
    MCR_KEY_F("collateral_yield", mcr_hedge_params, collateral_yield, MCR_RANGE_CLOSED, 0, 1, 0,
              "per year", "yield on posted margin (perpetuals, with margin)"),
    {.name = "reopen", .type = MCR_KEY_MAP, .offset = offsetof(mcr_hedge_params, reopen),
     .size = sizeof(((mcr_hedge_params *)0)->reopen), .sub = reopen_keys,
     .word_offset = (size_t)-1,
     .help = "{after_hours: h}: a liquidated perpetual hedge comes back h hours later; default: "
             "never"},
    MCR_KEY_S("venue", mcr_hedge_params, venue, 0, NULL,
              "where the hedge and its margin account sit (a name under venues): if it fails, "
              "the position is closed and the account becomes a claim worth recovery of it"),
    MCR_KEY_B("onchain", mcr_hedge_params, onchain, 0,
              "the hedge trades on chain (a DEX, an on-chain perpetual): each trade pays "
              "costs.gas_per_tx"),
    MCR_KEY_END,
};

/* Whether the book holds anything in asset a. */
static bool book_holds(const mcr_config *cfg, int a)
{
    for (int i = 0; i < cfg->n_positions; i++)
        if (cfg->portfolio[i].asset == a)
            return true;
    return false;
}

mcr_status mcr_hedge_check(const mcr_part *part, mcr_hedge_params *h, const mcr_config *cfg,
                           const char *path, mcr_error *err)
{
    mcr_status st = mcr_config_venue_check(cfg, h->venue, path, &h->venue_index, err);
    if (st != MCR_OK)
        return st;
    int a = part->asset;
    if (!book_holds(cfg, a)) {
        const char *held = cfg->assets[cfg->portfolio[0].asset].name;
        return mcr_fail(err, MCR_ERR_INPUT, "%s.asset: the book holds no %s, so there is nothing "
                        "to hedge; to hedge the book's %s with %s, give asset: %s, hedge_asset: "
                        "%s", path, cfg->assets[a].name, held, cfg->assets[a].name, held,
                        cfg->assets[a].name);
    }
    bool cross = h->hedge_asset >= 0 && h->hedge_asset != a;
    if (!cross && (h->beta_auto || h->beta != 1.0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.beta: only for a cross hedge (hedge_asset other "
                        "than asset %s); allowed here: nothing, or 1", path, cfg->assets[a].name);
    return MCR_OK;
}

double mcr_hedge_beta_auto(const mcr_config *cfg, int a, int h)
{
    const mcr_asset_peg *pa = &cfg->assets[a].peg, *ph = &cfg->assets[h].peg;
    if ((pa->on && pa->to == h) || (ph->on && ph->to == a))
        return 1.0; /* a pegged asset moves one for one with its reference (and its peg) */
    double t = cfg->horizon_days / 365.0;
    double sa = sqrt(mcr_model_total_variance(&cfg->assets[a].model, t));
    double sh = sqrt(mcr_model_total_variance(&cfg->assets[h].model, t));
    return cfg->correlation[a][h] * sa / sh;
}

void mcr_hedge_plan_terms(const mcr_part *part, const mcr_hedge_params *h,
                          const mcr_plan_env *env, mcr_part_plan *out)
{
    out->hedge_asset = h->hedge_asset >= 0 ? h->hedge_asset : part->asset;
    out->hedge_ratio = h->hedge_ratio;
    out->beta = h->beta_auto ? mcr_hedge_beta_auto(env->cfg, part->asset, out->hedge_asset)
                             : h->beta;
    out->pp.collateral_yield = h->collateral_yield;
    out->venue = h->venue_index;
    out->onchain = h->onchain;
    if (h->reopen.after_hours >= 0) { /* steps of at least after_hours, and at least 1 */
        double step_hours = env->cfg->horizon_days * 24.0 / env->cfg->steps;
        int k = (int)ceil(h->reopen.after_hours / step_hours - 1e-9);
        out->reopen_steps = k < 1 ? 1 : k;
    }
}
