/* `lp_rebalance`: re-centre the book's concentrated AMM range (instrument amm_lp, pool type
 * concentrated) whenever the price leaves it, to [width[0] S, width[1] S] around the price then,
 * keeping the position's value and paying the pool fee on the token amount swapped (the swap
 * takes the position from all one token to the split the new range requires).
 *
 * The book holds the LP as it was opened, the same for every strategy (instruments/amm_lp.c), so
 * this strategy's part is the difference between its re-centred LP and the book's: its position
 * kind (below) books, at every step, the fees the re-centred range earns less the book's (on each
 * one's value and range at the step's start, as the book does), the swap fees (component fees),
 * and at the horizon the re-centred LP's mark less the book's (component hedge). So
 *   pnl = V_s(S_T) + its fees carried - V0 carried - the swap fees carried,
 * and its delta is the re-centred LP's less the book's (net_delta: the strategy's LP's). A
 * rebalance counts as a trade (trades, traded_notional: the USD value swapped) and is one
 * on-chain transaction paying costs.gas_per_tx (component gas, onchain_txs). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "instruments/gas.h"
#include "models/amm.h"
#include "strategy.h"

typedef struct lp_rebalance_params {
    int when;
    double width[2];
    int n_width;
} lp_rebalance_params;

static const mcr_key_word when_words[] = {
    {"out_of_range", 0, "when the price is outside the range at the end of a step"},
    {NULL, 0, NULL},
};

static const double default_width[2] = {0.8, 1.25};

static const mcr_key lp_rebalance_keys[] = {
    MCR_KEY_E("when", lp_rebalance_params, when, 0, when_words, 0,
              "the trigger of a re-centring"),
    {.name = "width", .type = MCR_KEY_FLOATS, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
     .offset = offsetof(lp_rebalance_params, width),
     .count_offset = offsetof(lp_rebalance_params, n_width), .max_count = 2, .min = 0,
     .max = 1e6, .def_list = default_width, .def_count = 2, .word_offset = (size_t)-1,
     .unit = "relative to the price at the re-centring",
     .help = "[lower, upper] of the new range, lower <= 1 <= upper"},
    MCR_KEY_END,
};

/* The book's concentrated LP on asset a: its index in the portfolio, or -1 (none, or more than
 * one: which one to re-centre would be ambiguous). */
static int book_lp(const mcr_config *cfg, int a)
{
    int found = -1, n = 0;
    for (int i = 0; i < cfg->n_positions; i++) {
        const mcr_position *pos = &cfg->portfolio[i];
        const mcr_instrument_kind *k = mcr_instrument_of(pos);
        if (k == &mcr_amm_lp_instrument && pos->asset == a &&
            mcr_position_value(pos, "pool.type") == MCR_AMM_CONCENTRATED) {
            found = i;
            n++;
        }
    }
    return n == 1 ? found : -1;
}

static mcr_status lp_rebalance_check(void *entry, const mcr_config *cfg, const char *path,
                                     mcr_error *err)
{
    const mcr_part *part = entry;
    const lp_rebalance_params *p = (const lp_rebalance_params *)part->params;
    if (p->n_width != 2 || !(p->width[0] <= 1.0 && p->width[1] >= 1.0 &&
                             p->width[0] < p->width[1]))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.width: must be [lower, upper] with lower <= 1 "
                        "<= upper and lower < upper (the new range holds the price)", path);
    int k = book_lp(cfg, part->asset);
    if (k < 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: lp_rebalance needs exactly one amm_lp with "
                        "pool type concentrated on %s in the portfolio", path,
                        cfg->assets[part->asset].name);
    const char *venue = mcr_position_text(&cfg->portfolio[k], "venue");
    if (venue && venue[0]) /* the book's LP would leave at a failure, this difference not */
        return mcr_fail(err, MCR_ERR_INPUT, "%s: lp_rebalance of an amm_lp at a venue "
                        "(portfolio[%d].venue: %s) is not modelled; allowed: an amm_lp without "
                        "venue", path, k, venue);
    return MCR_OK;
}

/* The constants in mcr_position_params.kind, and the per-path variables. */
enum { C_L, C_LOWER, C_UPPER, C_FEE, C_VOLUME, C_WIDTH_LO, C_WIDTH_HI };
enum { V_L, V_LOWER, V_UPPER, V_DELTA };

/* An LP of liquidity l over [lower, upper]. */
static mcr_amm_lp range_lp(double l, double lower, double upper)
{
    double su = sqrt(upper);
    return (mcr_amm_lp){.liquidity = l, .lower = lower, .upper = upper, .sqrt_lower = sqrt(lower),
                        .sqrt_upper = su, .inv_sqrt_upper = 1.0 / su};
}

static void range_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                        double log_s0)
{
    (void)v, (void)o, (void)asset, (void)first, (void)log_s0; /* set at step 1 from the plan */
}

/* Step t: fees of both LPs on the step's start, the re-centring, the mark difference at T. */
static void range_carry(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                        int t, const double *s, const double *s_prev, const double *log_s)
{
    (void)log_s;
    const double *k = pp->kind;
    mcr_amm_lp book = range_lp(k[C_L], k[C_LOWER], k[C_UPPER]);
    mcr_amm_pool pool = {.type = MCR_AMM_CONCENTRATED, .fee = k[C_FEE],
                         .volume_per_day = k[C_VOLUME], .lower = k[C_WIDTH_LO],
                         .upper = k[C_WIDTH_HI]};
    double g = v->growth[t], days = v->dt * 365.0;
    uint32_t tx[MCR_NP];
    for (int i = 0; i < MCR_NP; i++) {
        tx[i] = 0;
        if (t == 1) { /* the re-centred LP starts as the book's */
            o->var[V_L][i] = k[C_L];
            o->var[V_LOWER][i] = k[C_LOWER];
            o->var[V_UPPER][i] = k[C_UPPER];
        }
        mcr_amm_lp lp = range_lp(o->var[V_L][i], o->var[V_LOWER][i], o->var[V_UPPER][i]);
        double p = s_prev[i];
        double fees = mcr_amm_fee_income(&pool, mcr_amm_value(&lp, p), days,
                                          mcr_amm_in_range(&lp, p)) -
                      mcr_amm_fee_income(&pool, mcr_amm_value(&book, p), days,
                                         mcr_amm_in_range(&book, p));
        o->comp[MCR_PNL_HEDGE][i] += fees * g;
        if (t == v->steps) { /* the horizon: marked, never re-centred */
            o->comp[MCR_PNL_HEDGE][i] += mcr_amm_value(&lp, s[i]) - mcr_amm_value(&book, s[i]);
        } else if (mcr_amm_in_range(&lp, s[i]) == 0.0) {
            mcr_amm_lp next = mcr_amm_lp_open(&pool, mcr_amm_value(&lp, s[i]), s[i]);
            double swapped = fabs(next.x0 - mcr_amm_delta(&lp, s[i])) * s[i];
            o->comp[MCR_PNL_FEES][i] -= pool.fee * swapped * g;
            o->trades[i]++;
            o->traded[i] += swapped;
            tx[i] = 1;
            o->var[V_L][i] = next.liquidity;
            o->var[V_LOWER][i] = next.lower;
            o->var[V_UPPER][i] = next.upper;
            lp = next;
        }
        o->var[V_DELTA][i] = mcr_amm_delta(&lp, s[i]) - mcr_amm_delta(&book, s[i]);
    }
    mcr_gas_pay(v, o, t, tx);
}

/* The delta difference at the last step carried (the engine asks at that step's price; 0 at t0,
 * where both LPs are the same). */
static void range_delta(const mcr_part_state *o, const double *s, double *out)
{
    (void)s;
    for (int i = 0; i < MCR_NP; i++)
        out[i] = o->var[V_DELTA][i];
}

static void range_trade(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                        const double *target, const bool *go)
{
    (void)v, (void)o, (void)t, (void)s, (void)target, (void)go; /* it re-centres in carry */
}

static const mcr_position_ops range_ops = {
    .begin = range_begin,
    .carry = range_carry,
    .delta = range_delta,
    .trade = range_trade,
};

static void lp_rebalance_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const lp_rebalance_params *p = (const lp_rebalance_params *)part->params;
    const mcr_position *pos = &env->cfg->portfolio[book_lp(env->cfg, part->asset)];
    mcr_amm_pool pool = {.type = MCR_AMM_CONCENTRATED,
                         .fee = mcr_position_value(pos, "pool.fee"),
                         .volume_per_day = mcr_position_value(pos, "pool.volume_per_day"),
                         .lower = mcr_position_value(pos, "pool.lower"),
                         .upper = mcr_position_value(pos, "pool.upper")};
    mcr_amm_lp lp = mcr_amm_lp_open(&pool, mcr_position_value(pos, "value"),
                                    env->cfg->assets[part->asset].spot);
    out->position = &range_ops;
    double *k = out->pp.kind;
    k[C_L] = lp.liquidity;
    k[C_LOWER] = lp.lower;
    k[C_UPPER] = lp.upper;
    k[C_FEE] = pool.fee;
    k[C_VOLUME] = pool.volume_per_day;
    k[C_WIDTH_LO] = p->width[0];
    k[C_WIDTH_HI] = p->width[1];
}

const mcr_strategy_kind mcr_lp_rebalance_strategy = {
    .spec = {.name = "lp_rebalance",
             .help = "re-centre the book's concentrated AMM range when the price leaves it",
             .keys = lp_rebalance_keys, .params_size = sizeof(lp_rebalance_params),
             .check = lp_rebalance_check},
    .flags = MCR_STRAT_HOLDS_POSITION,
    .plan = lp_rebalance_plan,
};
