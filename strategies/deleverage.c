/* `deleverage`: manage the book's loan (instrument loan) by repaying debt with its collateral
 * whenever the health factor on the oracle prices falls below trigger_hf, back to target_hf
 * exactly. A repayment sells c units of collateral at the market price S_c for the debt asset
 * (market price S_d; 1 for USD) and repays r = c S_c / S_d of the debt, so that
 *   (C - c) P_c LT / ((D - r) P_d) = target   =>   c = (target D P_d - C P_c LT)
 *                                                     / (target P_d S_c / S_d - P_c LT),
 * P the oracle prices (what the protocol's health factor reads). It pays the swap fee on the value
 * sold, swap_fee x c S_c (component fees, paid beside the loan as lp_rebalance pays its pool fee)
 * and one on-chain transaction (costs.gas_per_tx: Aave's repay-with-collateral is one
 * transaction). When the target cannot be reached (the market far below the oracle) it sells
 * what repays the whole debt, or all the collateral. The managed loan accrues and is liquidated
 * by the same rules as the book's (models/lending.h), first, at the same step.
 *
 * The book holds the loan as it was opened, the same for every strategy (instruments/loan.c), so
 * this strategy's part is the difference between its managed loan and the book's: its position
 * kind replays the book's loan beside the managed one and books, at the horizon, the managed
 * loan's mark less the book's (each floored at 0, non-recourse; component hedge). So
 *   pnl = book + (managed equity - book's equity at S_T) - swap fees - gas,
 * its delta (in the collateral asset) is the managed collateral less the book's, a repayment
 * counts as a trade (trades; traded_notional: the USD value sold), and a liquidation of the
 * managed loan as the strategy's liquidation (liquidation_step, p_liquidation).
 *
 * A loan at a venue (the protocol, `venue`) that fails: at that step both loans become claims on
 * their equity at the market prices (each at least 0, as the book's loan, instruments/loan.c),
 * after that step's liquidations and repayment; the part books the difference, managed less
 * the book's, in hedge and (1 - recovery) of it in venue_loss, so pnl = book + recovery x
 * (managed equity - book's equity there) - swap fees - gas. Being a difference, venue_loss is
 * positive where the managed loan had less equity at the protocol than the book's. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "instruments/gas.h"
#include "models/lending.h"
#include "strategy.h"

typedef struct deleverage_params {
    double trigger_hf, target_hf, swap_fee;
    int position; /* the portfolio entry managed; -1: the only loan on the asset */
} deleverage_params;

static const mcr_key deleverage_keys[] = {
    MCR_KEY_F("trigger_hf", deleverage_params, trigger_hf,
              MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 1, 100, 0,
              "health factor", "repay when the health factor on the oracle prices is below this"),
    MCR_KEY_F("target_hf", deleverage_params, target_hf,
              MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, 1, 100, 0,
              "health factor", "the health factor a repayment restores, above trigger_hf"),
    MCR_KEY_F("swap_fee", deleverage_params, swap_fee, MCR_RANGE_CLOSED, 0, 0.1, 0.003,
              "fraction", "the fee of the swap selling collateral for the debt asset, on the "
              "value sold (Uniswap v2: 0.003)"),
    {.name = "position", .type = MCR_KEY_INT, .flags = MCR_KEY_HAS_MIN,
     .offset = offsetof(deleverage_params, position), .size = sizeof(int), .min = 0, .def = -1,
     .def_text = "the book's only loan with the strategy's asset as collateral",
     .word_offset = (size_t)-1, .unit = "index into portfolio, from 0 (as in portfolio[1])",
     .help = "the loan managed, when the book holds several with this collateral"},
    MCR_KEY_END,
};

/* The book's loan with collateral in asset a: the one at `position` when given (-1 if that entry
 * is not such a loan), else its index in the portfolio, or -1 (none, or more than one: which one
 * to manage would be ambiguous). */
static int book_loan(const mcr_config *cfg, int a, int position)
{
    if (position >= cfg->n_positions)
        return -1;
    if (position >= 0) {
        const mcr_position *pos = &cfg->portfolio[position];
        bool loan = mcr_instrument_of(pos) == &mcr_loan_instrument;
        return loan && pos->asset == a ? position : -1;
    }
    int found = -1, n = 0;
    for (int i = 0; i < cfg->n_positions; i++) {
        const mcr_position *pos = &cfg->portfolio[i];
        if (mcr_instrument_of(pos) == &mcr_loan_instrument && pos->asset == a) {
            found = i;
            n++;
        }
    }
    return n == 1 ? found : -1;
}

static mcr_status deleverage_check(void *entry, const mcr_config *cfg, const char *path,
                                   mcr_error *err)
{
    const mcr_part *part = entry;
    const deleverage_params *p = (const deleverage_params *)part->params;
    if (!(p->target_hf > p->trigger_hf))
        return mcr_fail(err, MCR_ERR_INPUT, "%s.target_hf: must be above trigger_hf (%g); got "
                        "%g", path, p->trigger_hf, p->target_hf);
    int k = book_loan(cfg, part->asset, p->position);
    if (k < 0 && p->position >= 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.position: portfolio[%d] is not a loan with "
                        "collateral %s; allowed: the index of one (0 .. %d)", path, p->position,
                        cfg->assets[part->asset].name, cfg->n_positions - 1);
    if (k < 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: deleverage needs exactly one loan with "
                        "collateral %s in the portfolio, or `position` naming one", path,
                        cfg->assets[part->asset].name);
    return MCR_OK;
}

/* The constants in mcr_position_params.kind, and the per-path variables (the managed loan, the
 * book's). */
enum {
    C_COLL, C_DEBT, C_COLL_ASSET, C_DEBT_ASSET, C_LT, C_BONUS, C_CLOSE, C_FULL_CLOSE, C_G_DEBT,
    C_G_COLL, C_TRIGGER, C_TARGET, C_FEE, C_N
};
_Static_assert(C_N <= MCR_POSITION_CONSTS, "deleverage's constants fit");
enum { V_COLL, V_DEBT, V_BOOK_COLL, V_BOOK_DEBT, V_DEBT_PRICE /* at the last step */ };
_Static_assert(V_DEBT_PRICE < MCR_POSITION_VARS, "deleverage's variables fit");

static mcr_loan_params loan_rules(const double *k)
{
    return (mcr_loan_params){.liquidation_threshold = k[C_LT], .liquidation_bonus = k[C_BONUS],
                             .close_factor = k[C_CLOSE], .full_close_hf = k[C_FULL_CLOSE]};
}

static void delev_begin(const mcr_venue *v, mcr_part_state *o, int asset, uint64_t first,
                        double log_s0)
{
    (void)v, (void)o, (void)asset, (void)first, (void)log_s0; /* set at step 1 from the plan */
}

static void delev_carry(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o,
                        int t, const double *s, const double *s_prev, const double *log_s)
{
    (void)v, (void)pp, (void)o, (void)t, (void)s, (void)s_prev, (void)log_s; /* acts in act */
}

/* The collateral to sell so that HF on the oracle prices (pc, pd) is target after repaying with
 * its proceeds at the market prices (sc, sd); capped by the collateral and by the debt. */
static double to_sell(const mcr_loan_params *r, const mcr_loan *loan, double target, double pc,
                      double pd, double sc, double sd)
{
    double lt = r->liquidation_threshold;
    double denom = target * pd * sc / sd - pc * lt;
    double c = denom > 0 ? (target * loan->debt * pd - loan->collateral * pc * lt) / denom
                         : loan->collateral;
    double all_debt = loan->debt * sd / sc;
    c = c < all_debt ? c : all_debt;
    return c < loan->collateral ? c : loan->collateral;
}

/* Step t: both loans accrue and are liquidated by the protocol; then the managed one is repaid
 * where its health factor is below the trigger; at the horizon the marks' difference. */
static void delev_act(const mcr_venue *v, const mcr_position_params *pp, mcr_part_state *o, int t,
                      const double *const *s, const double *const *oracle)
{
    const double *k = pp->kind;
    mcr_loan_params rules = loan_rules(k);
    mcr_loan_growth growth = {k[C_G_DEBT], k[C_G_COLL]};
    int ca = (int)k[C_COLL_ASSET], da = (int)k[C_DEBT_ASSET];
    const double *sc = s[ca], *pc = oracle[ca];
    const double *sd = da < 0 ? NULL : s[da], *pd = da < 0 ? NULL : oracle[da];
    double g = v->growth[t], fee = k[C_FEE];
    uint32_t tx[MCR_NP];
    for (int i = 0; i < MCR_NP; i++) {
        if (t == 1) { /* both start as the book's loan at t0 */
            o->var[V_COLL][i] = o->var[V_BOOK_COLL][i] = k[C_COLL];
            o->var[V_DEBT][i] = o->var[V_BOOK_DEBT][i] = k[C_DEBT];
        }
        double d_or = pd ? pd[i] : 1.0, d_mk = sd ? sd[i] : 1.0;
        mcr_loan book = {o->var[V_BOOK_COLL][i], o->var[V_BOOK_DEBT][i]};
        mcr_loan mine = {o->var[V_COLL][i], o->var[V_DEBT][i]};
        mcr_loan_accrue(&book, growth);
        mcr_loan_accrue(&mine, growth);
        mcr_loan_liquidate(&rules, &book, pc[i], d_or);
        mcr_liquidation liq = mcr_loan_liquidate(&rules, &mine, pc[i], d_or);
        bool hit = liq.repaid > 0.0;
        o->liquidations[i] += hit;
        o->liq_first[i] = hit && o->liq_first[i] < 0 ? t : o->liq_first[i];
        tx[i] = 0;
        if (t < v->steps && mine.debt > 0.0 && mine.collateral > 0.0 &&
            mcr_loan_health(&rules, &mine, pc[i], d_or) < k[C_TRIGGER]) {
            double c = to_sell(&rules, &mine, k[C_TARGET], pc[i], d_or, sc[i], d_mk);
            double sold = c * sc[i];
            mine.collateral -= c;
            mine.debt = fmax(mine.debt - sold / d_mk, 0.0);
            o->comp[MCR_PNL_FEES][i] -= fee * sold * g;
            o->trades[i]++;
            o->traded[i] += sold;
            tx[i] = 1;
        }
        if (t == v->steps) /* the horizon: both marked at the market, non-recourse */
            o->comp[MCR_PNL_HEDGE][i] += fmax(mcr_loan_equity(&mine, sc[i], d_mk), 0.0) -
                                         fmax(mcr_loan_equity(&book, sc[i], d_mk), 0.0);
        o->var[V_COLL][i] = mine.collateral;
        o->var[V_DEBT][i] = mine.debt;
        o->var[V_BOOK_COLL][i] = book.collateral;
        o->var[V_BOOK_DEBT][i] = book.debt;
        o->var[V_DEBT_PRICE][i] = d_mk;
    }
    mcr_gas_pay(v, o, t, tx);
}

/* The loan's protocol fails at step t (after act): both loans are claims on their equity at the
 * market prices (s: the collateral's; the debt asset's as act last saw it); held is the managed
 * one's less the book's, booked in hedge; both are emptied (nothing accrues or acts after). */
static void delev_leave(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                        const bool *hit, double *held)
{
    double g = v->growth[t];
    for (int i = 0; i < MCR_NP; i++) {
        mcr_loan mine = {o->var[V_COLL][i], o->var[V_DEBT][i]};
        mcr_loan book = {o->var[V_BOOK_COLL][i], o->var[V_BOOK_DEBT][i]};
        double sd = o->var[V_DEBT_PRICE][i];
        held[i] = hit[i] ? fmax(mcr_loan_equity(&mine, s[i], sd), 0.0) -
                               fmax(mcr_loan_equity(&book, s[i], sd), 0.0)
                         : 0.0;
        o->comp[MCR_PNL_HEDGE][i] += held[i] * g;
        for (int k = V_COLL; hit[i] && k <= V_BOOK_DEBT; k++)
            o->var[k][i] = 0.0;
    }
}

/* Its delta in the collateral asset: the managed collateral less the book's (0 at t0). */
static void delev_delta(const mcr_part_state *o, const double *s, double *out)
{
    (void)s;
    for (int i = 0; i < MCR_NP; i++)
        out[i] = o->var[V_COLL][i] - o->var[V_BOOK_COLL][i];
}

static void delev_trade(const mcr_venue *v, mcr_part_state *o, int t, const double *s,
                        const double *target, const bool *go)
{
    (void)v, (void)o, (void)t, (void)s, (void)target, (void)go; /* it repays in act */
}

static const mcr_position_ops delev_ops = {
    .begin = delev_begin,
    .carry = delev_carry,
    .act = delev_act,
    .delta = delev_delta,
    .trade = delev_trade,
    .leave = delev_leave,
};

/* The debt asset of a loan: a market asset's index, or -1 for the quote currency. */
static int debt_asset(const mcr_config *cfg, const mcr_position *pos)
{
    const char *name = mcr_position_text(pos, "debt.asset");
    for (int a = 0; a < cfg->n_assets; a++)
        if (strcmp(name, cfg->assets[a].name) == 0)
            return a;
    return -1;
}

static void deleverage_plan(const mcr_part *part, const mcr_plan_env *env, mcr_part_plan *out)
{
    const deleverage_params *p = (const deleverage_params *)part->params;
    const mcr_position *pos = &env->cfg->portfolio[book_loan(env->cfg, part->asset, p->position)];
    mcr_loan_params rules = {
        .borrow_rate = mcr_position_value(pos, "borrow_rate"),
        .supply_rate = mcr_position_value(pos, "supply_rate")};
    mcr_loan_growth growth = mcr_loan_growth_of(&rules, env->legs.dt); /* as the book's loan */
    out->position = &delev_ops;
    const char *venue = mcr_position_text(pos, "venue");
    out->venue = venue && venue[0] ? mcr_config_venue(env->cfg, venue) : -1;
    double *k = out->pp.kind;
    k[C_COLL] = mcr_position_value(pos, "collateral.quantity");
    k[C_DEBT] = mcr_position_value(pos, "debt.amount");
    k[C_COLL_ASSET] = part->asset;
    k[C_DEBT_ASSET] = debt_asset(env->cfg, pos);
    k[C_LT] = mcr_position_value(pos, "liquidation_threshold");
    k[C_BONUS] = mcr_position_value(pos, "liquidation_bonus");
    k[C_CLOSE] = mcr_position_value(pos, "close_factor");
    k[C_FULL_CLOSE] = mcr_position_value(pos, "full_close_hf");
    k[C_G_DEBT] = growth.debt;
    k[C_G_COLL] = growth.collateral;
    k[C_TRIGGER] = p->trigger_hf;
    k[C_TARGET] = p->target_hf;
    k[C_FEE] = p->swap_fee;
}

const mcr_strategy_kind mcr_deleverage_strategy = {
    .spec = {.name = "deleverage",
             .help = "repay the book's loan with its collateral when its health factor falls "
                     "below trigger_hf, back to target_hf",
             .keys = deleverage_keys, .params_size = sizeof(deleverage_params),
             .check = deleverage_check},
    .flags = MCR_STRAT_HOLDS_POSITION,
    .plan = deleverage_plan,
};
