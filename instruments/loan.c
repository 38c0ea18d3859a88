/* A lending position held by the book (`instrument: loan`): collateral deposited in a protocol
 * (Aave, Compound) against a debt, in USD or in another asset (borrow ETH against stETH), with
 * the protocol's rules from models/lending.h. It is a holding (holding.h): each step the debt
 * accrues borrow_rate and the collateral supply_rate, the health factor is read on the oracle
 * prices, and below 1 a liquidator repays close_factor of the debt and seizes collateral worth
 * repaid x (1 + bonus); this repeats at later steps while HF < 1.
 *
 * The book marks it at its equity, collateral x S_T - debt x P_T(debt), floored at 0: the loan
 * is non-recourse (a borrower whose collateral is worth less than the debt walks away, keeping
 * what was borrowed). Its delta is +collateral in the collateral asset and -debt in the debt
 * asset. Book fields: the step of the first liquidation (-1: none; its summary is
 * P(at least one liquidation) with its standard error), the collateral lost to liquidation
 * bonuses (USD at the oracle price of each liquidation, carried to the horizon) and the minimum
 * health factor of the path. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "instrument.h"
#include "models/lending.h"

typedef struct loan_collateral {
    int asset;
    double quantity;
} loan_collateral;

typedef struct loan_debt {
    char asset[MCR_NAME_MAX];
    double amount;
    int index; /* set by the check: the market asset, or -1 for the quote currency */
} loan_debt;

typedef struct loan_params {
    loan_collateral collateral;
    loan_debt debt;
    mcr_loan_params loan;
    char venue[MCR_NAME_MAX];
    int venue_index; /* set by the check */
} loan_params;

static const mcr_key collateral_keys[] = {
    MCR_KEY_A("asset", loan_collateral, asset, MCR_KEY_REQUIRED, NULL,
              "the collateral asset (a name from market.assets)"),
    MCR_KEY_F("quantity", loan_collateral, quantity,
              MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN, 0, 0, 0,
              "units of the collateral asset", "collateral deposited at t0"),
    MCR_KEY_END,
};

static const mcr_key debt_keys[] = {
    MCR_KEY_S("asset", loan_debt, asset, 0, "USD",
              "USD (the quote currency) or a name from market.assets"),
    MCR_KEY_F("amount", loan_debt, amount, MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN,
              0, 0, 0, "units of the debt asset", "borrowed at t0"),
    MCR_KEY_END,
};

static const mcr_key loan_keys[] = {
    {.name = "collateral", .type = MCR_KEY_MAP, .flags = MCR_KEY_REQUIRED,
     .offset = offsetof(loan_params, collateral), .size = sizeof(loan_collateral),
     .sub = collateral_keys, .word_offset = (size_t)-1,
     .help = "what is deposited: {asset, quantity}"},
    {.name = "debt", .type = MCR_KEY_MAP, .flags = MCR_KEY_REQUIRED,
     .offset = offsetof(loan_params, debt), .size = sizeof(loan_debt), .sub = debt_keys,
     .word_offset = (size_t)-1, .help = "what is borrowed: {asset, amount}"},
    MCR_KEY_INC(loan_params, loan, mcr_loan_params_keys),
    MCR_KEY_S("venue", loan_params, venue, 0, NULL,
              "the protocol (a name under venues): if it fails, the loan's equity becomes a "
              "claim worth recovery of it"),
    MCR_KEY_END,
};

/* The debt's asset resolved, the position's asset set to the collateral's, the protocol's
 * rules, and a health factor of at least 1 at t0 (a loan liquidatable at once is a typo). */
static mcr_status loan_check(void *entry, const mcr_config *cfg, const char *path,
                             mcr_error *err)
{
    mcr_position *pos = entry;
    loan_params *p = (loan_params *)pos->params;
    if (pos->asset >= 0 && pos->asset != p->collateral.asset)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.asset: a loan's asset is its collateral.asset "
                        "(%s); leave it out or give the same (got %s)", path,
                        cfg->assets[p->collateral.asset].name, cfg->assets[pos->asset].name);
    pos->asset = p->collateral.asset;
    p->debt.index = -2;
    if (strcmp(p->debt.asset, "USD") == 0)
        p->debt.index = -1;
    for (int a = 0; a < cfg->n_assets; a++)
        if (strcmp(p->debt.asset, cfg->assets[a].name) == 0)
            p->debt.index = a;
    if (p->debt.index == -2 || p->debt.index == p->collateral.asset) {
        char list[512] = "USD";
        for (int a = 0; a < cfg->n_assets; a++)
            if (a != p->collateral.asset)
                snprintf(list + strlen(list), sizeof list - strlen(list), ", %s",
                         cfg->assets[a].name);
        return mcr_fail(err, MCR_ERR_INPUT, "%s.debt.asset: %s '%s'; allowed: %s", path,
                        p->debt.index == -2 ? "unknown asset" : "the collateral's own asset",
                        p->debt.asset, list);
    }
    mcr_status st = mcr_loan_params_check(&p->loan, path, err);
    if (st == MCR_OK)
        st = mcr_config_venue_check(cfg, p->venue, path, &p->venue_index, err);
    if (st != MCR_OK)
        return st;
    mcr_loan loan = {p->collateral.quantity, p->debt.amount};
    double pd = p->debt.index < 0 ? 1.0 : cfg->assets[p->debt.index].spot;
    double hf = mcr_loan_health(&p->loan, &loan, cfg->assets[p->collateral.asset].spot, pd);
    if (!(hf >= 1.0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.debt.amount: the loan would be liquidatable at "
                        "t0 (health factor %.6g < 1); allowed: at most %.10g", path, hf,
                        p->debt.amount * hf);
    return MCR_OK;
}

/* The constants of one loan, fixed at t0. */
typedef struct loan_holding {
    mcr_loan_params p;
    mcr_loan_growth growth;
    mcr_loan start;
    int coll, debt; /* asset indices; debt -1: the quote currency */
    bool first;     /* the book's first loan: min_health_factor starts with it */
} loan_holding;
_Static_assert(sizeof(loan_holding) <= MCR_HOLDING_DATA, "loan_holding fits a holding");

enum { COLLATERAL, DEBT, MIN_HF, BONUS_LOST, FIRST_LIQUIDATION };

static const mcr_holding_ops loan_ops;

static void loan_to_book(const mcr_position *pos, const mcr_leg_env *env, mcr_book *book)
{
    const loan_params *p = (const loan_params *)pos->params;
    loan_holding c = {.p = p->loan, .growth = mcr_loan_growth_of(&p->loan, env->dt),
                      .start = {p->collateral.quantity, p->debt.amount},
                      .coll = p->collateral.asset, .debt = p->debt.index, .first = true};
    for (int k = 0; k < book->n_holdings; k++)
        c.first &= book->holdings[k].ops != &loan_ops;
    mcr_holding *h = &book->holdings[book->n_holdings++];
    h->ops = &loan_ops;
    h->venue = p->venue_index;
    memcpy(h->data, &c, sizeof c);
    double pd = c.debt < 0 ? 1.0 : env->cfg->assets[c.debt].spot;
    book->value0 += mcr_loan_equity(&c.start, env->cfg->assets[c.coll].spot, pd);
}

static void loan_begin(const mcr_holding *h, mcr_holding_state *o)
{
    const loan_holding *c = (const loan_holding *)h->data;
    for (int i = 0; i < MCR_NP; i++) {
        o->var[COLLATERAL][i] = c->start.collateral;
        o->var[DEBT][i] = c->start.debt;
        o->var[MIN_HF][i] = INFINITY; /* the HF at t0 is set at the first step */
        o->var[BONUS_LOST][i] = 0.0;
        o->var[FIRST_LIQUIDATION][i] = -1.0;
    }
}

/* Step t: accrue, read the health factor on the oracle prices, liquidate once if below 1. */
static void loan_step(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o, int t,
                      const double *const *s, const double *const *prev,
                      const double *const *oracle, double *cash)
{
    (void)s, (void)cash;
    const loan_holding *c = (const loan_holding *)h->data;
    const double *pc = oracle[c->coll], *pd = c->debt < 0 ? NULL : oracle[c->debt];
    const double *pc0 = prev[c->coll], *pd0 = c->debt < 0 ? NULL : prev[c->debt];
    double g = v->growth[t];
    for (int i = 0; i < MCR_NP; i++) {
        mcr_loan loan = {o->var[COLLATERAL][i], o->var[DEBT][i]};
        if (t == 1) /* the health factor at t0, on the prices at t0 */
            o->var[MIN_HF][i] = mcr_loan_health(&c->p, &loan, pc0[i], pd0 ? pd0[i] : 1.0);
        mcr_loan_accrue(&loan, c->growth);
        double d = pd ? pd[i] : 1.0;
        o->var[MIN_HF][i] = fmin(o->var[MIN_HF][i], mcr_loan_health(&c->p, &loan, pc[i], d));
        mcr_liquidation liq = mcr_loan_liquidate(&c->p, &loan, pc[i], d);
        o->var[BONUS_LOST][i] += liq.bonus * pc[i] * g;
        bool first = liq.repaid > 0.0 && o->var[FIRST_LIQUIDATION][i] < 0.0;
        o->var[FIRST_LIQUIDATION][i] = first ? t : o->var[FIRST_LIQUIDATION][i];
        o->var[COLLATERAL][i] = loan.collateral;
        o->var[DEBT][i] = loan.debt;
    }
}

static void loan_greeks(const mcr_holding *h, const mcr_holding_state *o, int a, const double *s,
                        double *delta, double *gamma)
{
    (void)s, (void)gamma;
    const loan_holding *c = (const loan_holding *)h->data;
    if (a == c->coll)
        for (int i = 0; i < MCR_NP; i++)
            delta[i] += o->var[COLLATERAL][i];
    if (a == c->debt)
        for (int i = 0; i < MCR_NP; i++)
            delta[i] -= o->var[DEBT][i];
}

#define FIELD(f) ((f) - MCR_FIELD_BOOK_FIRST)

static void loan_end(const mcr_venue *v, const mcr_holding *h, const mcr_holding_state *o,
                     const double *const *s, mcr_holding_end *out)
{
    (void)v;
    const loan_holding *c = (const loan_holding *)h->data;
    const double *pc = s[c->coll], *pd = c->debt < 0 ? NULL : s[c->debt];
    double *first = out->field[FIELD(MCR_FIELD_LOAN_LIQUIDATION_STEP)];
    double *min_hf = out->field[FIELD(MCR_FIELD_MIN_HEALTH_FACTOR)];
    for (int i = 0; i < MCR_NP; i++) {
        mcr_loan loan = {o->var[COLLATERAL][i], o->var[DEBT][i]};
        out->value[i] += fmax(mcr_loan_equity(&loan, pc[i], pd ? pd[i] : 1.0), 0.0);
        out->field[FIELD(MCR_FIELD_LIQUIDATION_BONUS_LOST)][i] += o->var[BONUS_LOST][i];
        double mine = o->var[FIRST_LIQUIDATION][i];
        first[i] = mine >= 0 && (first[i] < 0 || mine < first[i]) ? mine : first[i];
        min_hf[i] = c->first ? o->var[MIN_HF][i] : fmin(min_hf[i], o->var[MIN_HF][i]);
    }
}

/* The protocol fails: the loan's equity at the market prices (collateral less debt, at least 0:
 * the debt is netted against the collateral the protocol holds) is the claim; nothing is left. */
static void loan_leave(const mcr_venue *v, const mcr_holding *h, mcr_holding_state *o, int t,
                       const double *const *s, const bool *hit, double *held)
{
    (void)v, (void)t;
    const loan_holding *c = (const loan_holding *)h->data;
    const double *pc = s[c->coll], *pd = c->debt < 0 ? NULL : s[c->debt];
    for (int i = 0; i < MCR_NP; i++) {
        mcr_loan loan = {o->var[COLLATERAL][i], o->var[DEBT][i]};
        double equity = fmax(mcr_loan_equity(&loan, pc[i], pd ? pd[i] : 1.0), 0.0);
        held[i] += hit[i] ? equity : 0.0;
        o->var[COLLATERAL][i] = hit[i] ? 0.0 : o->var[COLLATERAL][i];
        o->var[DEBT][i] = hit[i] ? 0.0 : o->var[DEBT][i];
    }
}

static const mcr_holding_ops loan_ops = {
    .begin = loan_begin,
    .step = loan_step,
    .greeks = loan_greeks,
    .end = loan_end,
    .leave = loan_leave,
};

const mcr_instrument_kind mcr_loan_instrument = {
    .spec = {.name = "loan",
             .help = "collateral deposited in a lending protocol against a debt (Aave, "
                     "Compound): health factor, liquidation, interest",
             .keys = loan_keys, .params_size = sizeof(loan_params), .check = loan_check},
    .to_book = loan_to_book,
};
