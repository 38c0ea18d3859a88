/* AMM liquidity held by the book (`instrument: amm_lp`): a Uniswap v2 constant-product or v3
 * concentrated position worth `value` USD at t0 against the quote currency (models/amm.h). It is
 * a holding (holding.h): its value is a function of the price, but its fees depend on the path
 * (earned each step on the value at the step's start while the price is in range). The book
 * marks it at V(S_T) and adds its fees carried to the horizon; the delta hedges see its delta
 * x(P); the book fields report the fees, the impermanent loss against the initial tokens and the
 * fraction of the steps in range. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "instrument.h"
#include "models/amm.h"

typedef struct amm_params {
    double value;
    mcr_amm_pool pool;
    char venue[MCR_NAME_MAX];
    int venue_index; /* set by the check */
} amm_params;

static const mcr_key amm_keys[] = {
    MCR_KEY_F("value", amm_params, value, MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN,
              0, 0, 0, "quote currency at t0", "the position's value at t0, split as the pool "
              "requires"),
    {.name = "pool", .type = MCR_KEY_MAP, .flags = MCR_KEY_REQUIRED,
     .offset = offsetof(amm_params, pool), .size = sizeof(mcr_amm_pool), .sub = mcr_amm_pool_keys,
     .word_offset = (size_t)-1, .help = "the pool: {type, fee, volume_per_day, lower, upper}"},
    MCR_KEY_S("venue", amm_params, venue, 0, NULL,
              "the pool's protocol (a name under venues): if it fails, the liquidity becomes a "
              "claim worth recovery of its value"),
    MCR_KEY_END,
};

static mcr_status amm_check(void *entry, const mcr_config *cfg, const char *path, mcr_error *err)
{
    amm_params *p = (amm_params *)((mcr_position *)entry)->params;
    char where[160];
    snprintf(where, sizeof where, "%s.pool", path);
    mcr_status st = mcr_amm_pool_check(&p->pool, where, err);
    return st == MCR_OK ? mcr_config_venue_check(cfg, p->venue, path, &p->venue_index, err) : st;
}

/* The constants of one position, fixed at t0. */
typedef struct amm_holding {
    mcr_amm_pool pool;
    mcr_amm_lp lp;
    int asset;
    double share; /* 1 / (LP positions in the book): time_in_range is their average */
} amm_holding;
_Static_assert(sizeof(amm_holding) <= MCR_HOLDING_DATA, "amm_holding fits a holding");

/* HELD: 1 while the position is held, 0 once its venue failed; EXIT_IL: the impermanent loss
 * then, carried to the horizon. */
enum { FEES, STEPS_IN_RANGE, HELD, EXIT_IL };

static const mcr_holding_ops amm_ops;

static void amm_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    const amm_params *p = (const amm_params *)pos->params;
    double p0 = env->cfg->assets[pos->asset].spot;
    mcr_holding *h = &book->holdings[book->n_holdings++];
    amm_holding c = {.pool = p->pool, .lp = mcr_amm_lp_open(&p->pool, p->value, p0),
                     .asset = pos->asset};
    h->ops = &amm_ops;
    h->venue = p->venue_index;
    memcpy(h->data, &c, sizeof c);
    book->value0 += p->value;
    int n = 0; /* every LP position of the book counts 1 / n in time_in_range */
    for (int k = 0; k < book->n_holdings; k++)
        n += book->holdings[k].ops == &amm_ops;
    for (int k = 0; k < book->n_holdings; k++)
        if (book->holdings[k].ops == &amm_ops)
            ((amm_holding *)book->holdings[k].data)->share = 1.0 / n;
}

static void amm_begin(const mcr_holding *h, mcr_holding_state *o)
{
    (void)h;
    memset(o->var[FEES], 0, sizeof o->var[FEES]);
    memset(o->var[STEPS_IN_RANGE], 0, sizeof o->var[STEPS_IN_RANGE]);
    memset(o->var[EXIT_IL], 0, sizeof o->var[EXIT_IL]);
    for (int i = 0; i < MCR_NP; i++)
        o->var[HELD][i] = 1.0;
}

/* Fees of step t on the value and range at the step's start, paid in cash and carried to T. */
static void amm_step(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o, int t,
                     const double *const *s, const double *const *prev,
                     const double *const *oracle, double *cash)
{
    (void)s, (void)oracle;
    const amm_holding *c = (const amm_holding *)h->data;
    const double *p = prev[c->asset];
    double days = v->dt * 365.0, g = v->growth[t];
    for (int i = 0; i < MCR_NP; i++) {
        double in = mcr_amm_in_range(&c->lp, p[i]) * o->var[HELD][i];
        double fee = mcr_amm_fee_income(&c->pool, mcr_amm_value(&c->lp, p[i]), days, in) * g;
        cash[i] += fee;
        o->var[FEES][i] += fee;
        o->var[STEPS_IN_RANGE][i] += in;
    }
}

static void amm_greeks(const mcr_holding *h, const mcr_holding_state *o, int a, const double *s,
                       double *delta, double *gamma)
{
    const amm_holding *c = (const amm_holding *)h->data;
    if (a != c->asset)
        return;
    for (int i = 0; i < MCR_NP; i++)
        delta[i] += mcr_amm_delta(&c->lp, s[i]) * o->var[HELD][i];
    for (int i = 0; gamma && i < MCR_NP; i++)
        gamma[i] += mcr_amm_gamma(&c->lp, s[i]) * o->var[HELD][i];
}

static void amm_end(const mcr_venue *v, const mcr_holding *h, const mcr_holding_state *o,
                    const double *const *prices, mcr_holding_end *out)
{
    const amm_holding *c = (const amm_holding *)h->data;
    const double *s = prices[c->asset];
    double per_step = c->share / v->steps;
    for (int i = 0; i < MCR_NP; i++) {
        double value = mcr_amm_value(&c->lp, s[i]), held = o->var[HELD][i];
        out->value[i] += value * held;
        out->field[MCR_FIELD_LP_FEES - MCR_FIELD_BOOK_FIRST][i] += o->var[FEES][i];
        out->field[MCR_FIELD_IMPERMANENT_LOSS - MCR_FIELD_BOOK_FIRST][i] +=
            held > 0 ? value - mcr_amm_hold_value(&c->lp, s[i]) : o->var[EXIT_IL][i];
        out->field[MCR_FIELD_TIME_IN_RANGE - MCR_FIELD_BOOK_FIRST][i] +=
            o->var[STEPS_IN_RANGE][i] * per_step;
    }
}

/* The protocol fails: the liquidity's value is the claim; its impermanent loss stops there. */
static void amm_leave(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o, int t,
                      const double *const *prices, const bool *hit, double *held)
{
    const amm_holding *c = (const amm_holding *)h->data;
    const double *s = prices[c->asset];
    for (int i = 0; i < MCR_NP; i++) {
        if (!hit[i] || o->var[HELD][i] == 0.0)
            continue;
        double value = mcr_amm_value(&c->lp, s[i]);
        held[i] += value;
        o->var[EXIT_IL][i] = (value - mcr_amm_hold_value(&c->lp, s[i])) * v->growth[t];
        o->var[HELD][i] = 0.0;
    }
}

static const mcr_holding_ops amm_ops = {
    .begin = amm_begin,
    .step = amm_step,
    .greeks = amm_greeks,
    .end = amm_end,
    .leave = amm_leave,
};

const mcr_instrument_kind mcr_amm_lp_instrument = {
    .spec = {.name = "amm_lp",
             .help = "liquidity in an automated market maker (Uniswap v2 or v3) against the "
                     "quote currency",
             .keys = amm_keys, .params_size = sizeof(amm_params), .check = amm_check},
    .to_book = amm_to_book,
};
