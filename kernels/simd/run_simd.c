/* The fused run of a units position (kernels/strat.h's run_units), one source compiled per ISA:
 * carry, margin check, liquidation, re-opening and trade of every step of the run, with each
 * vector of paths' state held in registers from the first step to the last. Compiled with
 * -ffp-contract=off (CMakeLists.txt) and spelled in the order of operations of the per-step
 * kernels (strat_simd.c, themselves the reference's), so every lane performs the reference's IEEE
 * operations. Where the engine decides for the whole block (a liquidation, a trade, when some
 * path is hit or trades) the run selects per lane: the lanes left out keep their bits (selects),
 * or take a trade of nothing (dq = 0), which changes no bit of rows that never hold -0 (q,
 * traded, insurance, seized, funding start at +0 and only add >= 0, a trade's result or a sum
 * that is -0 only of two -0) when prices are finite. Counters and steps (int32, uint32) ride as
 * exact doubles. */
#if defined(MCR_SIMD_AVX512)
#include "isa_avx512.h"
#elif defined(MCR_SIMD_AVX2)
#include "isa_avx2.h"
#else
#error "compile run_simd.c with -DMCR_SIMD_AVX2 or -DMCR_SIMD_AVX512"
#endif

#include <stddef.h>

#include "kernels/paths.h"

#define NP MCR_BLOCK_PATHS
/* The parts of a step, always inlined: a step is one stretch of straight-line code. */
#define STEP_PART static inline __attribute__((always_inline)) void

/* a + b where m, else a */
static inline mcr_vd add_where(mcr_vb m, mcr_vd a, mcr_vd b)
{
    return mcr_vd_blend(m, mcr_vd_add(a, b), a);
}

static inline mcr_vd positive_part(mcr_vd x)
{
    return mcr_vd_blend(mcr_vb_gt(x, mcr_vd_zero()), x, mcr_vd_zero());
}

/* a && b, a || b of lane predicates */
static inline mcr_vb both(mcr_vb a, mcr_vb b) { return mcr_vb_blend(a, b, a); }
static inline mcr_vb either(mcr_vb a, mcr_vb b) { return mcr_vb_blend(a, a, b); }

/* One vector of paths: the rows every step updates, in registers across the run; the rest
 * (yield, financing, insurance, seized, liq_first, liquidations) is updated where it lies. */
typedef struct lanes {
    mcr_vd q, account, hedge, funding, fees, slippage, traded, trades, liq_step;
} lanes;

static inline void load_lanes(const mcr_run_rows *rows, int i, lanes *l)
{
    const mcr_units_rows *u = &rows->u;
    l->q = mcr_vd_loadu(u->q + i);
    l->account = mcr_vd_loadu(u->account + i);
    l->hedge = mcr_vd_loadu(u->hedge + i);
    l->funding = mcr_vd_loadu(u->funding + i);
    l->fees = mcr_vd_loadu(u->fees + i);
    l->slippage = mcr_vd_loadu(u->slippage + i);
    l->traded = mcr_vd_loadu(u->traded + i);
    l->trades = mcr_vd_load_i32((const int32_t *)u->trades + i); /* counts < 2^31 */
    l->liq_step = mcr_vd_load_i32(rows->liq_step + i);
}

static inline void store_lanes(const mcr_run_rows *rows, int i, const lanes *l)
{
    const mcr_units_rows *u = &rows->u;
    mcr_vd_storeu(u->q + i, l->q);
    mcr_vd_storeu(u->account + i, l->account);
    mcr_vd_storeu(u->hedge + i, l->hedge);
    mcr_vd_storeu(u->funding + i, l->funding);
    mcr_vd_storeu(u->fees + i, l->fees);
    mcr_vd_storeu(u->slippage + i, l->slippage);
    mcr_vd_storeu(u->traded + i, l->traded);
    mcr_vd_store_i32((int32_t *)u->trades + i, l->trades);
    mcr_vd_store_i32(rows->liq_step + i, l->liq_step);
}

/* carry_linear, or carry_spot, from prev to s */
STEP_PART carry(const mcr_run_terms *r, const mcr_run_rows *rows, int k, int i, mcr_vd s,
               mcr_vd prev, mcr_vd g, const double *rate, lanes *l)
{
    const mcr_vd minus = mcr_vd_set(-1.0), zero = mcr_vd_zero();
    if (r->linear) {
        mcr_vd vm = mcr_vd_mul(l->q, mcr_vd_sub(s, prev));
        l->hedge = mcr_vd_add(l->hedge, mcr_vd_mul(vm, g));
        if (rate) {
            mcr_vd fund = mcr_vd_mul(mcr_vd_mul(mcr_vd_mul(minus, l->q), s), mcr_vd_loadu(rate));
            l->funding = mcr_vd_add(l->funding, mcr_vd_mul(fund, g));
            l->account = mcr_vd_add(l->account, mcr_vd_add(vm, fund));
        } else { /* no funding: the reference adds 0 x g to funding (never -0) and vm + 0 */
            l->account = mcr_vd_add(l->account, mcr_vd_add(vm, zero));
        }
        if (r->yield[k] > 0) {
            double *y = rows->u.yield + i;
            mcr_vd_storeu(y, mcr_vd_add(mcr_vd_loadu(y), mcr_vd_mul(mcr_vd_set(r->yield[k]),
                                                                    positive_part(l->account))));
        }
        return;
    }
    l->hedge = mcr_vd_add(l->hedge, mcr_vd_mul(mcr_vd_mul(l->q, mcr_vd_sub(s, prev)), g));
    double *financing = rows->u.financing + i;
    mcr_vd f = mcr_vd_sub(mcr_vd_loadu(financing), mcr_vd_mul(mcr_vd_mul(l->q, prev),
                                                              mcr_vd_set(r->financing[k])));
    if (r->borrow[k] > 0) {
        mcr_vd lent = mcr_vd_blend(mcr_vb_lt(l->q, zero),
                                   mcr_vd_mul(mcr_vd_mul(minus, l->q), prev), zero);
        f = mcr_vd_sub(f, mcr_vd_mul(lent, mcr_vd_set(r->borrow[k])));
    }
    mcr_vd_storeu(financing, f);
}

/* margin and margin_hits, then on the lanes hit the insurance fund's share, liquidate (no cover)
 * and the count */
STEP_PART margin_check(const mcr_run_terms *r, const mcr_run_rows *rows, int k, int i, mcr_vd s,
                       mcr_vd g, lanes *l)
{
    const mcr_step_terms *c = &r->c;
    const mcr_vd zero = mcr_vd_zero(), minus = mcr_vd_set(-1.0);
    mcr_vd notional = mcr_vd_mul(mcr_vd_abs(l->q), s);
    mcr_vd mm = mcr_vd_sub(mcr_vd_mul(notional, mcr_vd_set(c->maintenance[0])),
                           mcr_vd_set(c->amount[0]));
    for (int j = 1; j < c->n_tiers; j++)
        mm = mcr_vd_max(mm, mcr_vd_sub(mcr_vd_mul(notional, mcr_vd_set(c->maintenance[j])),
                                       mcr_vd_set(c->amount[j])));
    mcr_vd equity = mcr_vd_mul(l->account, mcr_vd_set(r->collateral[k]));
    /* open (q != 0) and not covered (equity >= need is false, also for NaN) */
    mcr_vb hit = mcr_vb_blend(mcr_vb_ge(equity, mm), mcr_vb_lt(zero, zero),
                              mcr_vb_ne(l->q, zero));
    if (!mcr_vb_any(hit))
        return;
    const mcr_vd t = mcr_vd_set((double)(r->t0 + 1 + k));
    mcr_vd fee = c->exchange ? positive_part(l->account)
                             : mcr_vd_mul(mcr_vd_set(c->liquidation_fee), notional);
    mcr_vd short_of = mcr_vd_blend(both(hit, mcr_vb_gt(fee, l->account)),
                                   mcr_vd_sub(fee, l->account), zero);
    double *insurance = rows->insurance + i;
    mcr_vd_storeu(insurance, mcr_vd_add(mcr_vd_loadu(insurance),
                                        mcr_vd_mul(short_of, mcr_vd_set(1.0))));
    mcr_vd left = mcr_vd_sub(l->account, fee);
    mcr_vd deficit = mcr_vd_blend(mcr_vb_lt(left, zero), mcr_vd_mul(minus, left), zero);
    l->fees = mcr_vd_blend(hit, mcr_vd_sub(l->fees, mcr_vd_mul(fee, g)), l->fees);
    l->hedge = add_where(hit, l->hedge, mcr_vd_mul(deficit, g));
    double *seized = rows->seized + i;
    mcr_vd_storeu(seized, add_where(hit, mcr_vd_loadu(seized), zero));
    l->account = mcr_vd_blend(hit, zero, l->account);
    l->q = mcr_vd_blend(hit, zero, l->q);
    l->liq_step = mcr_vd_blend(hit, t, l->liq_step);
    int32_t *count = (int32_t *)rows->liquidations + i, *first = rows->liq_first + i;
    mcr_vd_store_i32(count, add_where(hit, mcr_vd_load_i32(count), mcr_vd_set(1.0)));
    mcr_vd f = mcr_vd_load_i32(first);
    mcr_vd_store_i32(first, mcr_vd_blend(both(hit, mcr_vb_lt(f, zero)), t, f));
}

/* trade_units of the lanes `go` (those not liquidated) to the target at s */
STEP_PART trade(const mcr_run_terms *r, mcr_vb go, mcr_vd s, mcr_vd target, mcr_vd g, lanes *l)
{
    const mcr_step_terms *c = &r->c;
    const mcr_vd zero = mcr_vd_zero();
    mcr_vb moves = both(go, mcr_vb_lt(l->liq_step, zero));
    mcr_vd dq = mcr_vd_blend(moves, mcr_vd_sub(target, l->q), zero);
    mcr_vd notional = mcr_vd_mul(mcr_vd_abs(dq), s);
    mcr_vd fee = mcr_vd_mul(notional, mcr_vd_set(c->fee_rate));
    mcr_vd rate = mcr_vd_set(c->slip_rate + 0.0); /* slip_rate + impact, the impact 0 */
    if (c->impact > 0)
        rate = mcr_vd_add(mcr_vd_set(c->slip_rate),
                          mcr_vd_mul(mcr_vd_set(c->impact),
                                     mcr_vd_sqrt(mcr_vd_div(notional,
                                                            mcr_vd_set(c->impact_notional)))));
    mcr_vd slip = mcr_vd_mul(notional, rate);
    l->fees = mcr_vd_sub(l->fees, mcr_vd_mul(fee, g));
    l->slippage = mcr_vd_sub(l->slippage, mcr_vd_mul(slip, g));
    l->q = mcr_vd_add(l->q, dq);
    l->trades = add_where(mcr_vb_ne(dq, zero), l->trades, mcr_vd_set(1.0));
    l->traded = mcr_vd_add(l->traded, notional);
    if (c->top_up) {
        mcr_vd need = mcr_vd_mul(mcr_vd_mul(mcr_vd_set(c->initial), mcr_vd_abs(l->q)), s);
        mcr_vd add = mcr_vd_blend(mcr_vb_gt(need, l->account), mcr_vd_sub(need, l->account),
                                  zero);
        l->account = add_where(moves, l->account, add);
    }
}

/* Step k of one vector of paths (at i), its state in l. */
STEP_PART step(const mcr_run_terms *r, const mcr_run_rows *rows, int k, int i, mcr_vd *prev,
               lanes *l)
{
    const mcr_vd zero = mcr_vd_zero();
    size_t row = (size_t)k * r->stride + i;
    const mcr_vd s = mcr_vd_loadu(r->s + row), g = mcr_vd_set(r->g[k]);
    carry(r, rows, k, i, s, *prev, g, r->rate[k] ? r->rate[k] + i : NULL, l);
    *prev = s;
    if (r->check)
        margin_check(r, rows, k, i, s, g, l);
    if (!r->trade[k] && !r->reopen[k])
        return;
    const mcr_vd delta = mcr_vd_loadu(r->delta + (size_t)k * NP + i);
    const mcr_vd sa = r->sa ? mcr_vd_loadu(r->sa + row) : zero;
    mcr_vb go = r->trade[k] ? mcr_vb_ge(zero, zero) : mcr_vb_lt(zero, zero); /* all, none */
    if (r->trade[k] && r->banded) { /* band_test, the position's delta its units */
        mcr_vd book = delta;
        if (r->sa)
            book = mcr_vd_div(mcr_vd_mul(mcr_vd_mul(mcr_vd_set(r->beta), book), sa), s);
        mcr_vd net = mcr_vd_abs(mcr_vd_add(book, l->q));
        mcr_vd width = mcr_vd_add(mcr_vd_set(r->band),
                                  mcr_vd_mul(mcr_vd_set(r->band_pct), mcr_vd_abs(book)));
        go = mcr_vb_gt(net, width);
    }
    if (r->reopen[k]) { /* liquidated reopen_steps ago or more: back, trading */
        const mcr_vd t = mcr_vd_set((double)(r->t0 + 1 + k));
        mcr_vb back = both(mcr_vb_ge(l->liq_step, zero),
                           mcr_vb_ge(mcr_vd_sub(t, l->liq_step),
                                     mcr_vd_set((double)r->reopen_steps)));
        l->liq_step = mcr_vd_blend(back, mcr_vd_set(-1.0), l->liq_step);
        go = either(back, go);
    }
    mcr_vd target = mcr_vd_mul(mcr_vd_set(-r->ratio), delta); /* hedge_target */
    if (r->sa)
        target = mcr_vd_div(mcr_vd_mul(target, sa), s);
    trade(r, go, s, target, g, l);
}

void MCR_SUFFIX(mcr_run_units)(const mcr_run_terms *r, const mcr_run_rows *rows)
{
    for (int i = 0; i < NP; i += MCR_LANES) {
        lanes l;
        load_lanes(rows, i, &l);
        mcr_vd prev = mcr_vd_loadu(r->s_prev + i);
        for (int k = 0; k < r->n; k++)
            step(r, rows, k, i, &prev, &l);
        store_lanes(rows, i, &l);
    }
}
