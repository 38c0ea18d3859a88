/* The horizon of a block (hedge.h's mcr_hedge_end): the book's P&L and fees, every part's
 * components folded into its strategy's (coin flows at S_T, legs outliving the horizon marked,
 * close costs), and each strategy's per-path output fields written at the paths' global index. */
#include <string.h>

#include "hedge_work.h"
#include "roll.h"

/* The book's P&L at the horizon of every path of the block: spot marked at S_T, options settled
 * (book_cash) or marked on the scenario's surface (the paths below count; or closed when their
 * venue failed: book_cash). */
static void book_pnl(const mcr_hedge_work *w, const mcr_holding_end *held, int count,
                     double *book)
{
    const mcr_hedge_plan *p = w->plan;
    for (int i = 0; i < NP; i++)
        book[i] = w->book_cash[i] + held->value[i] - p->book.value0 * p->growth[0];
    for (int a = 0; a < p->n_assets; a++)
        for (int i = 0; i < NP; i++)
            book[i] += p->book.spot[a] * w->last[a][i];
    for (int a = 0; a < p->n_assets && p->book.coin_legs; a++) /* coin-settled options */
        for (int i = 0; i < NP; i++)
            book[i] += (w->book_coin[a][i] - p->book.coin0[a]) * w->last[a][i];
    for (int l = 0; l < p->book.n_legs; l++) {
        const mcr_leg *leg = &p->book.legs[l];
        for (int i = 0; i < count && leg->expiry_step > p->steps; i++)
            if (!mcr_venue_gone(&w->venue_paths, leg->venue, p->steps, i))
                book[i] += leg->quantity * mcr_leg_value(leg, &p->surface[leg->asset], p->rate,
                                                         w->last[leg->asset][i],
                                                         leg->expiry - p->horizon);
    }
}

/* The option fees of the book (costs.option_fee) of every path: at t0 carried to the horizon,
 * at settlement; coin ones valued at S_T. */
static void book_fees(const mcr_hedge_work *w, double *fees)
{
    const mcr_hedge_plan *p = w->plan;
    for (int i = 0; i < NP; i++)
        fees[i] = w->book_fee[i] - p->book.fee0 * p->growth[0];
    for (int a = 0; a < p->n_assets; a++)
        for (int i = 0; i < NP; i++)
            fees[i] += (w->book_fee_coin[a][i] - p->book.fee0_coin[a]) * w->last[a][i];
}

/* Part j's components at the horizon, every path of the block at once (rows comp[c][i]): set by
 * the strategy's first part, else added to; close[i] gets its cost of closing
 * (costs.close_at_horizon: the position's, booked by its close, and the option fees of selling
 * or buying back the legs still open). Per path the operations are those of one path's sum. */
static void part_components(const mcr_hedge_work *w, int j, int count, bool first,
                            double comp[MCR_N_COMPONENTS][NP], double *close)
{
    const mcr_hedge_plan *p = w->plan;
    const mcr_part_plan *pp = &p->parts[j];
    const mcr_part_state *o = &w->parts[j];
    const double *s_a = w->last[pp->asset];
    p->venue.k->end_part(MCR_N_COMPONENTS, o->comp[0], o->coin[0], w->last[pp->hedge_asset],
                         first, comp[0]);
    for (int i = 0; i < NP; i++)
        comp[MCR_PNL_PREMIUM][i] -= pp->premium0 * p->growth[0];
    for (int i = 0; i < NP && pp->fee0 != 0.0; i++)
        comp[MCR_PNL_FEES][i] -= pp->fee0 * p->growth[0];
    for (int i = 0; i < NP && pp->coin_legs; i++) { /* coin-settled legs: valued at S_T */
        comp[MCR_PNL_PREMIUM][i] += o->roll_premium_coin[i] * s_a[i] - pp->premium0_coin * s_a[i];
        comp[MCR_PNL_HEDGE][i] += o->leg_coin[i] * s_a[i];
        comp[MCR_PNL_FEES][i] += o->leg_fee_coin[i] * s_a[i] - pp->fee0_coin * s_a[i];
    }
    memcpy(close, o->close_cost, NP * sizeof *close);
    const mcr_costs *costs = &p->venue.costs;
    for (int i = 0; i < count && pp->rolls_per_step > 0; i++) { /* one path's column */
        double col[MCR_N_COMPONENTS];
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            col[c] = comp[c][i];
        close[i] += mcr_roll_mark(p, pp, o, i, s_a[i], col);
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            comp[c][i] = col[c];
    }
    for (int l = 0; l < pp->n_legs && !o->legs_closed; l++) { /* outliving the horizon: marked */
        const mcr_leg *leg = &pp->legs[l];
        if (leg->expiry_step <= p->steps)
            continue;
        for (int i = 0; i < count; i++) {
            if (mcr_part_gone(o, i)) /* closed when its venue failed */
                continue;
            double mark = leg->quantity * mcr_leg_value(leg, &p->surface[pp->asset], p->rate,
                                                        s_a[i], leg->expiry - p->horizon);
            comp[MCR_PNL_HEDGE][i] += mark;
            if (costs->close_at_horizon) { /* in the leg's currency, converted at S_T */
                double unit = leg->coin ? s_a[i] : 1.0;
                double fee = mcr_option_trade_fee(&costs->option_fee,
                                                  leg->quantity * s_a[i] / unit, mark / unit) *
                             unit;
                comp[MCR_PNL_FEES][i] -= fee;
                close[i] += fee;
            }
        }
    }
    /* a depeg still on at the horizon: the quote collateral posted for a linear perpetual is
     * worth depeg_price of its face value (no loss without margin: nothing is posted) */
    const mcr_venue *v = &p->venue;
    bool depeg_at_end = v->depeg_to > p->steps && v->depeg_from <= p->steps &&
                        v->margin.mode != MCR_MARGIN_NONE;
    if (depeg_at_end && pp->position && pp->position->margined && !pp->position->coin)
        for (int i = 0; i < NP; i++)
            comp[MCR_PNL_HEDGE][i] -= (1.0 - v->depeg_price) * o->account[i];
    for (int i = 0; i < NP; i++) /* the book's coins a cross-margin liquidation took */
        comp[MCR_PNL_HEDGE][i] -= o->seized[i] != 0.0 ? o->seized[i] * s_a[i] : 0.0;
}

/* Field f of a strategy's output for the block's paths, from a row of the field's type. */
static void put_row(const mcr_hedge_out *h, int f, uint64_t first, int count, const void *row)
{
    size_t size = mcr_field_size((mcr_field_id)f);
    if (h->at[f])
        memcpy((char *)h->at[f] + first * size, row, (size_t)count * size);
}

/* A strategy's per-path figures of the block besides its components, folded over its parts. */
typedef struct strategy_end {
    double close[NP], traded[NP], insurance[NP], liq_price0[NP];
    int32_t liq[NP], adl[NP];
    uint32_t trades[NP], liquidations[NP], onchain[NP];
} strategy_end;

static void fold_part(const mcr_part_state *o, const double *close, strategy_end *e)
{
    for (int i = 0; i < NP; i++) {
        e->close[i] += close[i];
        int32_t lj = o->liq_first[i], aj = o->adl_first[i];
        e->liq[i] = lj >= 0 && (e->liq[i] < 0 || lj < e->liq[i]) ? lj : e->liq[i];
        e->adl[i] = aj >= 0 && (e->adl[i] < 0 || aj < e->adl[i]) ? aj : e->adl[i];
        e->liquidations[i] += o->liquidations[i];
        e->trades[i] += o->trades[i];
        /* quote currency: an inverse perpetual's notional is in USD already */
        e->traded[i] += o->traded[i];
        e->insurance[i] += o->insurance[i];
        e->onchain[i] += o->onchain_txs[i];
        e->liq_price0[i] = e->liq_price0[i] != 0 ? e->liq_price0[i] : o->liq_price0[i];
    }
}

void mcr_hedge_end(mcr_hedge_work *w, int count, mcr_hedge_out *out)
{
    const mcr_hedge_plan *p = w->plan;
    mcr_holding_end held;
    const double *last[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < p->n_assets; a++)
        last[a] = w->last[a];
    mcr_holdings_end(p, &w->hold, last, &held);
    double book[NP], fees[NP] = {0};
    book_pnl(w, &held, count, book);
    if (p->book.option_fees)
        book_fees(w, fees);
    for (int s = 0; s < p->n_strategies; s++) {
        const mcr_strategy_run *r = &p->strategies[s];
        const strategy_state *st = &w->strategies[s];
        const mcr_hedge_out *h = &out[s];
        double comp[MCR_N_COMPONENTS][NP], close[NP], row[NP];
        int32_t step[NP];
        strategy_end e;
        memset(&e, 0, sizeof e);
        if (r->n == 0)
            memset(comp, 0, sizeof comp);
        for (int i = 0; i < NP; i++)
            e.liq[i] = e.adl[i] = -1;
        for (int j = r->first; j < r->first + r->n; j++) {
            part_components(w, j, count, j == r->first, comp, close);
            fold_part(&w->parts[j], close, &e);
        }
        for (int i = 0; i < NP; i++) {
            comp[MCR_PNL_BOOK][i] = book[i];
            if (p->book.option_fees) /* the book's options' fees, the same in every strategy */
                comp[MCR_PNL_FEES][i] += fees[i];
            if (p->book.has_yield) { /* the staking yield is in the book's mark: its own */
                comp[MCR_PNL_BOOK][i] -= held.yield[i];
                comp[MCR_PNL_YIELD][i] += held.yield[i];
            }
        }
        p->venue.k->row_sum(MCR_N_COMPONENTS, comp[0], row);
        put_row(h, MCR_FIELD_PNL, w->first, count, row);
        for (int c = 0; c < MCR_N_COMPONENTS; c++)
            put_row(h, MCR_FIELD_COMPONENT + c, w->first, count, comp[c]);
        put_row(h, MCR_FIELD_LIQUIDATION_STEP, w->first, count, e.liq);
        put_row(h, MCR_FIELD_TRADES, w->first, count, e.trades);
        put_row(h, MCR_FIELD_TRADED_NOTIONAL, w->first, count, e.traded);
        put_row(h, MCR_FIELD_CLOSE_COST, w->first, count, e.close);
        put_row(h, MCR_FIELD_LIQUIDATIONS, w->first, count, e.liquidations);
        put_row(h, MCR_FIELD_INSURANCE, w->first, count, e.insurance);
        put_row(h, MCR_FIELD_ADL_STEP, w->first, count, e.adl);
        put_row(h, MCR_FIELD_LIQUIDATION_PRICE0, w->first, count, e.liq_price0);
        if (h->at[MCR_FIELD_VENUE_DEFAULT_STEP]) {
            for (int i = 0; i < count; i++)
                step[i] = r->venues ? mcr_venue_first_default(&w->venue_paths, r->venues,
                                                                p->steps, i)
                                     : -1;
            put_row(h, MCR_FIELD_VENUE_DEFAULT_STEP, w->first, count, step);
        }
        put_row(h, MCR_FIELD_ONCHAIN_TXS, w->first, count, e.onchain);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < NP && h->at[MCR_FIELD_NET_DELTA + k]; i++)
                row[i] = st->greek_samples ? st->greek[k][i] / st->greek_samples : 0;
            put_row(h, MCR_FIELD_NET_DELTA + k, w->first, count, row);
        }
        for (int f = MCR_FIELD_BOOK_FIRST; f < MCR_N_FIELDS; f++) {
            const double *v = held.field[f - MCR_FIELD_BOOK_FIRST];
            if (mcr_fields[f].type == MCR_FIELD_F64) {
                put_row(h, f, w->first, count, v);
                continue;
            }
            for (int i = 0; i < count && h->at[f]; i++) /* a step */
                step[i] = (int32_t)v[i];
            put_row(h, f, w->first, count, step);
        }
    }
}

