/* Staking yield of a spot position (`yield` on a book's spot entry, e.g. stETH): the coins rebase,
 * so q units held at t0 are q e^{y t} units at time t (y continuously compounded per year, the
 * convention of every rate in mcrisk). The q units themselves stay the book's spot; the coins
 * accrued since t0, q (e^{y t} - 1), are a holding (holding.h): they add to the book's delta at
 * every step (what delta hedges see) and are marked at S_T at the horizon, reported as the
 * component `yield`, not `book`, so that the book stays the position without its yield. */
#include <math.h>
#include <string.h>

#include "instrument.h"

typedef struct yield_holding {
    int asset;
    double quantity, yield;
} yield_holding;
_Static_assert(sizeof(yield_holding) <= MCR_HOLDING_DATA, "yield_holding fits a holding");

enum { ACCRUED };

static void yield_begin(const mcr_holding *h, mcr_holding_state *o)
{
    (void)h;
    memset(o->var[ACCRUED], 0, sizeof o->var[ACCRUED]);
}

/* The coins accrued by the end of step t. */
static void yield_step(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o, int t,
                       const double *const *s, const double *const *prev,
                       const double *const *oracle, double *cash)
{
    (void)s, (void)prev, (void)oracle, (void)cash;
    const yield_holding *c = (const yield_holding *)h->data;
    double accrued = c->quantity * expm1(c->yield * t * v->dt);
    for (int i = 0; i < MCR_NP; i++)
        o->var[ACCRUED][i] = accrued;
}

static void yield_greeks(const mcr_holding *h, const mcr_holding_state *o, int a,
                         const double *s, double *delta, double *gamma)
{
    (void)s, (void)gamma; /* linear in S: no gamma */
    if (a != ((const yield_holding *)h->data)->asset)
        return;
    for (int i = 0; i < MCR_NP; i++)
        delta[i] += o->var[ACCRUED][i];
}

static void yield_end(const mcr_venue *v, const mcr_holding *h, const mcr_holding_state *o,
                      const double *const *prices, mcr_holding_end *out)
{
    (void)v;
    const double *s = prices[((const yield_holding *)h->data)->asset];
    for (int i = 0; i < MCR_NP; i++) {
        double mark = o->var[ACCRUED][i] * s[i];
        out->value[i] += mark;
        out->yield[i] += mark;
    }
}

static const mcr_holding_ops yield_ops = {
    .begin = yield_begin,
    .step = yield_step,
    .greeks = yield_greeks,
    .end = yield_end,
};

void mcr_staking_yield_hold(mcr_book *book, int asset, double quantity, double yield)
{
    mcr_holding *h = &book->holdings[book->n_holdings++];
    yield_holding c = {.asset = asset, .quantity = quantity, .yield = yield};
    h->ops = &yield_ops;
    h->venue = -1; /* coins at a venue are spot.c's holding, their yield with them */
    memcpy(h->data, &c, sizeof c);
    book->has_yield = true;
}
