/* The strategy kernels (kernels/strat.h), one source compiled per ISA. Compiled with
 * -ffp-contract=off (CMakeLists.txt) and written in the reference's order of operations
 * (kernels/ref/strat_ref.c), so every lane computes the reference's IEEE results; only exp and
 * the normal CDF beyond 8 sd are the vector ones (norm_cdf_simd.h, the table's norm_cdf bit for
 * bit).
 * Selects replace the reference's conditionals; flags and counters (bool, int32, uint32) go
 * through short loops over the block that the compiler vectorises for the same ISA. */
#if defined(MCR_SIMD_AVX512)
#include "isa_avx512.h"
#define MCR_VD_EXP Sleef_expd8_u10avx512f
#elif defined(MCR_SIMD_AVX2)
#include "isa_avx2.h"
#define MCR_VD_EXP Sleef_expd4_u10avx2
#else
#error "compile strat_simd.c with -DMCR_SIMD_AVX2 or -DMCR_SIMD_AVX512"
#endif
#include "norm_cdf_simd.h"

#include <stddef.h>

#include "kernels/hedge_floor.h"
#include "kernels/paths.h"

#define NP MCR_BLOCK_PATHS

/* d1 at m = ln(S/K), row k of c; *vol_sq = vol sqrt(tau). */
static inline mcr_vd d1_of(const mcr_leg_terms *c, int k, mcr_vd m, mcr_vd *vol_sq)
{
    double r = c->rate, tau = c->tau[k];
    const mcr_vol_slice *v = &c->slice[k];
    mcr_vd neg_m = mcr_vd_mul(mcr_vd_set(-1.0), m);
    mcr_vd x = mcr_vd_mul(mcr_vd_sub(neg_m, mcr_vd_set(r * tau)), mcr_vd_set(c->inv_sq[k]));
    mcr_vd smile = mcr_vd_add(mcr_vd_set(v->skew), mcr_vd_mul(mcr_vd_set(v->smile), x));
    mcr_vd vol = mcr_vd_max(mcr_vd_add(mcr_vd_set(v->atm), mcr_vd_mul(x, smile)),
                            mcr_vd_set(MCR_VOL_FLOOR));
    mcr_vd sq = mcr_vd_set(c->sq[k]);
    *vol_sq = mcr_vd_mul(vol, sq);
    mcr_vd half_var = mcr_vd_mul(mcr_vd_mul(mcr_vd_set(0.5), vol), vol);
    mcr_vd drift = mcr_vd_mul(mcr_vd_add(mcr_vd_set(r), half_var), mcr_vd_set(tau));
    return mcr_vd_div(mcr_vd_add(m, drift), *vol_sq);
}

static void leg_delta(const mcr_leg_terms *c, const double *restrict log_s, int stride,
                      double *restrict delta)
{
    const mcr_vd log_k = mcr_vd_set(c->log_k), q = mcr_vd_set(c->quantity);
    const mcr_vd shift = mcr_vd_set(c->put_shift);
    const double *t = mcr_ncdf_table();
    for (int k = 0; k < c->rows; k++) {
        const double *row = log_s + (size_t)k * stride;
        double *out = delta + k * NP, drift_k = 0.0, inv_k = 0.0;
        bool flat = mcr_leg_row_flat(c, k, &drift_k, &inv_k);
        const mcr_vd drift = mcr_vd_set(drift_k), inv_vol_sq = mcr_vd_set(inv_k);
        for (int i = 0; i < NP; i += MCR_LANES) {
            mcr_vd vol_sq, d1, m = mcr_vd_sub(mcr_vd_loadu(row + i), log_k);
            if (flat)
                d1 = mcr_vd_mul(mcr_vd_add(m, drift), inv_vol_sq);
            else
                d1 = d1_of(c, k, m, &vol_sq);
            mcr_vd d = mcr_vd_mul(q, mcr_vd_add(mcr_vd_norm_cdf(t, d1), shift));
            mcr_vd_storeu(out + i, mcr_vd_add(mcr_vd_loadu(out + i), d));
        }
    }
}

static void leg_greeks(const mcr_leg_terms *c, const double *restrict log_k,
                       const double *restrict s, const double *restrict log_s,
                       double *restrict out_delta, double *restrict out_gamma,
                       double *restrict out_vega)
{
    const mcr_vd q = mcr_vd_set(c->quantity), shift = mcr_vd_set(c->put_shift);
    const mcr_vd sq = mcr_vd_set(c->sq[0]);
    const double *t = mcr_ncdf_table();
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd lk = log_k ? mcr_vd_loadu(log_k + i) : mcr_vd_set(c->log_k);
        mcr_vd vol_sq, d1 = d1_of(c, 0, mcr_vd_sub(mcr_vd_loadu(log_s + i), lk), &vol_sq);
        mcr_vd e = MCR_VD_EXP(mcr_vd_mul(mcr_vd_mul(mcr_vd_set(-0.5), d1), d1));
        mcr_vd pdf = mcr_vd_mul(mcr_vd_set(0.39894228040143267794), e); /* phi(d1) */
        mcr_vd si = mcr_vd_loadu(s + i);
        mcr_vd d = mcr_vd_mul(q, mcr_vd_add(mcr_vd_norm_cdf(t, d1), shift));
        mcr_vd gamma = mcr_vd_div(mcr_vd_mul(q, pdf), mcr_vd_mul(si, vol_sq));
        mcr_vd vega = mcr_vd_mul(mcr_vd_mul(mcr_vd_mul(q, si), pdf), sq);
        mcr_vd_storeu(out_delta + i, mcr_vd_add(mcr_vd_loadu(out_delta + i), d));
        mcr_vd_storeu(out_gamma + i, mcr_vd_add(mcr_vd_loadu(out_gamma + i), gamma));
        mcr_vd_storeu(out_vega + i, mcr_vd_add(mcr_vd_loadu(out_vega + i), vega));
    }
}

/* a + b where m, else a: the reference's conditional update */
static inline mcr_vd add_where(mcr_vb m, mcr_vd a, mcr_vd b)
{
    return mcr_vd_blend(m, mcr_vd_add(a, b), a);
}

/* notional x (slip_rate + impact sqrt(notional / impact_notional)) */
static inline mcr_vd slippage(const mcr_step_terms *c, mcr_vd notional)
{
    mcr_vd impact = mcr_vd_zero();
    if (c->impact > 0)
        impact = mcr_vd_mul(mcr_vd_set(c->impact),
                            mcr_vd_sqrt(mcr_vd_div(notional, mcr_vd_set(c->impact_notional))));
    return mcr_vd_mul(notional, mcr_vd_add(mcr_vd_set(c->slip_rate), impact));
}

/* go[i] && liq_step[i] < 0: the paths a trade moves */
static inline mcr_vb trading(const bool *go, const int32_t *liq_step, int i)
{
    mcr_vd out = mcr_vd_blend(mcr_vb_lt(mcr_vd_load_i32(liq_step + i), mcr_vd_zero()),
                              mcr_vd_load_bool(go + i), mcr_vd_zero());
    return mcr_vb_gt(out, mcr_vd_zero());
}

static inline mcr_vd positive_part(mcr_vd x)
{
    return mcr_vd_blend(mcr_vb_gt(x, mcr_vd_zero()), x, mcr_vd_zero());
}

static void carry_linear(const mcr_step_terms *terms, const mcr_units_rows *rows,
                         const double *restrict s, const double *restrict s_prev,
                         const double *restrict rate)
{
    /* local copies: the compiler need not reload them after each store through a row */
    const mcr_step_terms ct = *terms, *c = &ct;
    const mcr_units_rows ur = *rows, *u = &ur;
    const mcr_vd g = mcr_vd_set(c->g), y = mcr_vd_set(c->yield), minus = mcr_vd_set(-1.0);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd q = mcr_vd_loadu(u->q + i), si = mcr_vd_loadu(s + i);
        mcr_vd vm = mcr_vd_mul(q, mcr_vd_sub(si, mcr_vd_loadu(s_prev + i)));
        mcr_vd fund = rate ? mcr_vd_mul(mcr_vd_mul(mcr_vd_mul(minus, q), si),
                                        mcr_vd_loadu(rate + i))
                           : mcr_vd_zero();
        mcr_vd_storeu(u->hedge + i, mcr_vd_add(mcr_vd_loadu(u->hedge + i), mcr_vd_mul(vm, g)));
        mcr_vd_storeu(u->funding + i,
                      mcr_vd_add(mcr_vd_loadu(u->funding + i), mcr_vd_mul(fund, g)));
        mcr_vd account = mcr_vd_add(mcr_vd_loadu(u->account + i), mcr_vd_add(vm, fund));
        mcr_vd_storeu(u->account + i, account);
        if (c->yield > 0)
            mcr_vd_storeu(u->yield + i, mcr_vd_add(mcr_vd_loadu(u->yield + i),
                                                   mcr_vd_mul(y, positive_part(account))));
    }
}

static void trade_units(const mcr_step_terms *terms, const mcr_units_rows *rows,
                        const double *restrict s, const double *restrict target,
                        const bool *restrict go)
{
    /* local copies: the compiler need not reload them after each store through a row */
    const mcr_step_terms ct = *terms, *c = &ct;
    const mcr_units_rows ur = *rows, *u = &ur;
    double moved[NP];
    const mcr_vd g = mcr_vd_set(c->g), zero = mcr_vd_zero();
    const mcr_vd initial = mcr_vd_set(c->initial);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vb trade = trading(go, u->liq_step, i);
        mcr_vd q = mcr_vd_loadu(u->q + i), si = mcr_vd_loadu(s + i);
        mcr_vd dq = mcr_vd_blend(trade, mcr_vd_sub(mcr_vd_loadu(target + i), q), zero);
        mcr_vd notional = mcr_vd_mul(mcr_vd_abs(dq), si);
        mcr_vd fee = mcr_vd_mul(notional, mcr_vd_set(c->fee_rate));
        mcr_vd slip = slippage(c, notional);
        mcr_vd_storeu(u->fees + i, mcr_vd_sub(mcr_vd_loadu(u->fees + i), mcr_vd_mul(fee, g)));
        mcr_vd_storeu(u->slippage + i,
                      mcr_vd_sub(mcr_vd_loadu(u->slippage + i), mcr_vd_mul(slip, g)));
        q = mcr_vd_add(q, dq);
        mcr_vd_storeu(u->q + i, q);
        mcr_vd_storeu(moved + i, dq);
        mcr_vd_storeu(u->traded + i, mcr_vd_add(mcr_vd_loadu(u->traded + i), notional));
        if (c->top_up) {
            mcr_vd account = mcr_vd_loadu(u->account + i);
            mcr_vd need = mcr_vd_mul(mcr_vd_mul(initial, mcr_vd_abs(q)), si);
            mcr_vd add = mcr_vd_blend(mcr_vb_gt(need, account), mcr_vd_sub(need, account), zero);
            mcr_vd_storeu(u->account + i, add_where(trade, account, add));
        }
    }
    for (int i = 0; i < NP; i++)
        u->trades[i] += moved[i] != 0.0;
}

static void carry_spot(const mcr_step_terms *terms, const mcr_units_rows *rows,
                       const double *restrict s, const double *restrict s_prev)
{
    /* local copies: the compiler need not reload them after each store through a row */
    const mcr_step_terms ct = *terms, *c = &ct;
    const mcr_units_rows ur = *rows, *u = &ur;
    const mcr_vd g = mcr_vd_set(c->g), financing = mcr_vd_set(c->financing);
    const mcr_vd borrow = mcr_vd_set(c->borrow), minus = mcr_vd_set(-1.0), zero = mcr_vd_zero();
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd q = mcr_vd_loadu(u->q + i), prev = mcr_vd_loadu(s_prev + i);
        mcr_vd move = mcr_vd_mul(mcr_vd_mul(q, mcr_vd_sub(mcr_vd_loadu(s + i), prev)), g);
        mcr_vd_storeu(u->hedge + i, mcr_vd_add(mcr_vd_loadu(u->hedge + i), move));
        mcr_vd f = mcr_vd_sub(mcr_vd_loadu(u->financing + i),
                              mcr_vd_mul(mcr_vd_mul(q, prev), financing));
        if (c->borrow > 0) {
            mcr_vd lent = mcr_vd_blend(mcr_vb_lt(q, zero), mcr_vd_mul(mcr_vd_mul(minus, q), prev),
                                       zero);
            f = mcr_vd_sub(f, mcr_vd_mul(lent, borrow));
        }
        mcr_vd_storeu(u->financing + i, f);
    }
}

static void carry_inverse(const mcr_step_terms *terms, const mcr_units_rows *rows,
                          const double *restrict s, const double *restrict s_prev,
                          const double *restrict rate)
{
    /* local copies: the compiler need not reload them after each store through a row */
    const mcr_step_terms ct = *terms, *c = &ct;
    const mcr_units_rows ur = *rows, *u = &ur;
    const mcr_vd y = mcr_vd_set(c->yield), one = mcr_vd_set(1.0), minus = mcr_vd_set(-1.0);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd q = mcr_vd_loadu(u->q + i), si = mcr_vd_loadu(s + i);
        mcr_vd inv = mcr_vd_div(one, si);
        mcr_vd vm = mcr_vd_mul(q, mcr_vd_sub(mcr_vd_div(one, mcr_vd_loadu(s_prev + i)), inv));
        mcr_vd fund = rate ? mcr_vd_mul(mcr_vd_mul(mcr_vd_mul(minus, q), mcr_vd_loadu(rate + i)),
                                        inv)
                           : mcr_vd_zero();
        mcr_vd flow = mcr_vd_add(vm, fund);
        mcr_vd_storeu(u->coin_hedge + i, mcr_vd_add(mcr_vd_loadu(u->coin_hedge + i), vm));
        mcr_vd_storeu(u->coin_funding + i, mcr_vd_add(mcr_vd_loadu(u->coin_funding + i), fund));
        mcr_vd_storeu(u->coin_held + i, mcr_vd_add(mcr_vd_loadu(u->coin_held + i), flow));
        mcr_vd account = mcr_vd_add(mcr_vd_loadu(u->account + i), flow);
        mcr_vd_storeu(u->account + i, account);
        if (c->yield > 0)
            mcr_vd_storeu(u->yield + i,
                          mcr_vd_add(mcr_vd_loadu(u->yield + i),
                                     mcr_vd_mul(mcr_vd_mul(y, positive_part(account)), si)));
    }
}

/* The reference's sized(): the notional whose delta with the coin held, and the coin a top-up
 * to initial margin m buys, is the target. */
static inline mcr_vd sized(const mcr_step_terms *c, mcr_vd target, mcr_vd coin, mcr_vd account,
                           mcr_vd s)
{
    mcr_vd q = mcr_vd_mul(mcr_vd_sub(target, coin), s);
    if (!c->top_up)
        return q;
    mcr_vd m = mcr_vd_set(c->initial);
    mcr_vb enough = mcr_vb_le(mcr_vd_div(mcr_vd_mul(m, mcr_vd_abs(q)), s), account);
    mcr_vd want = mcr_vd_mul(mcr_vd_add(mcr_vd_sub(target, coin), account), s);
    mcr_vd topped = mcr_vd_blend(mcr_vb_lt(mcr_vd_add(mcr_vd_sub(target, coin), account),
                                           mcr_vd_zero()),
                                 mcr_vd_div(want, mcr_vd_set(1.0 - c->initial)),
                                 mcr_vd_div(want, mcr_vd_set(1.0 + c->initial)));
    return mcr_vd_blend(enough, q, topped);
}

static void trade_inverse(const mcr_step_terms *terms, const mcr_units_rows *rows,
                          const double *restrict s, const double *restrict target,
                          const bool *restrict go)
{
    /* local copies: the compiler need not reload them after each store through a row */
    const mcr_step_terms ct = *terms, *c = &ct;
    const mcr_units_rows ur = *rows, *u = &ur;
    double moved[NP];
    const mcr_vd g = mcr_vd_set(c->g), zero = mcr_vd_zero(), one = mcr_vd_set(1.0);
    const mcr_vd initial = mcr_vd_set(c->initial);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vb trade = trading(go, u->liq_step, i);
        mcr_vd q = mcr_vd_loadu(u->q + i), si = mcr_vd_loadu(s + i);
        mcr_vd account = mcr_vd_loadu(u->account + i), held = mcr_vd_loadu(u->coin_held + i);
        mcr_vd to = sized(c, mcr_vd_loadu(target + i), held, account, si);
        mcr_vd dq = mcr_vd_blend(trade, mcr_vd_sub(to, q), zero);
        mcr_vd notional = mcr_vd_abs(dq);
        mcr_vd fee = mcr_vd_mul(notional, mcr_vd_set(c->fee_rate));
        mcr_vd slip = slippage(c, notional);
        mcr_vd_storeu(u->coin_fees + i, mcr_vd_sub(mcr_vd_loadu(u->coin_fees + i),
                                                   mcr_vd_div(fee, si)));
        mcr_vd_storeu(u->coin_slippage + i, mcr_vd_sub(mcr_vd_loadu(u->coin_slippage + i),
                                                       mcr_vd_div(slip, si)));
        held = mcr_vd_sub(held, mcr_vd_div(mcr_vd_add(fee, slip), si));
        q = mcr_vd_add(q, dq);
        mcr_vd_storeu(u->q + i, q);
        mcr_vd_storeu(moved + i, dq);
        mcr_vd_storeu(u->traded + i, mcr_vd_add(mcr_vd_loadu(u->traded + i), notional));
        if (c->top_up) { /* coin collateral bought with cash: its exposure is the hedge's */
            mcr_vd need = mcr_vd_mul(mcr_vd_mul(initial, mcr_vd_abs(q)), mcr_vd_div(one, si));
            mcr_vd add = mcr_vd_blend(mcr_vb_gt(need, account), mcr_vd_sub(need, account), zero);
            mcr_vd_storeu(u->account + i, add_where(trade, account, add));
            mcr_vd coin_hedge = mcr_vd_loadu(u->coin_hedge + i);
            mcr_vd_storeu(u->coin_hedge + i, add_where(trade, coin_hedge, add));
            held = add_where(trade, held, add);
            mcr_vd hedge = mcr_vd_loadu(u->hedge + i);
            mcr_vd paid = mcr_vd_mul(mcr_vd_mul(add, si), g);
            mcr_vd_storeu(u->hedge + i, mcr_vd_blend(trade, mcr_vd_sub(hedge, paid), hedge));
        }
        mcr_vd_storeu(u->coin_held + i, held);
    }
    for (int i = 0; i < NP; i++)
        u->trades[i] += moved[i] != 0.0;
}

static void margin(const mcr_step_terms *c, const double *restrict q,
                   const double *restrict account, const double *restrict s,
                   double *restrict equity, double *restrict need, double *restrict fee)
{
    const mcr_vd collateral = mcr_vd_set(c->collateral), one = mcr_vd_set(1.0);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd size = mcr_vd_abs(mcr_vd_loadu(q + i)), si = mcr_vd_loadu(s + i);
        mcr_vd notional = c->coin ? mcr_vd_mul(size, mcr_vd_div(one, si)) : mcr_vd_mul(size, si);
        mcr_vd mm = mcr_vd_sub(mcr_vd_mul(notional, mcr_vd_set(c->maintenance[0])),
                               mcr_vd_set(c->amount[0]));
        for (int k = 1; k < c->n_tiers; k++)
            mm = mcr_vd_max(mm, mcr_vd_sub(mcr_vd_mul(notional, mcr_vd_set(c->maintenance[k])),
                                           mcr_vd_set(c->amount[k])));
        mcr_vd a = mcr_vd_loadu(account + i);
        mcr_vd_storeu(equity + i, mcr_vd_mul(a, collateral));
        mcr_vd_storeu(need + i, mm);
        mcr_vd_storeu(fee + i, c->exchange ? positive_part(a)
                                           : mcr_vd_mul(mcr_vd_set(c->liquidation_fee), notional));
    }
}

static void hedge_target(double ratio, const double *restrict delta, const double *restrict sa,
                         const double *restrict sh, double *restrict target)
{
    const mcr_vd minus_ratio = mcr_vd_set(-ratio);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd t = mcr_vd_mul(minus_ratio, mcr_vd_loadu(delta + i));
        if (sa)
            t = mcr_vd_div(mcr_vd_mul(t, mcr_vd_loadu(sa + i)), mcr_vd_loadu(sh + i));
        mcr_vd_storeu(target + i, t);
    }
}

static void band_test(double beta, double band, double band_pct, const double *restrict delta,
                      const double *restrict sa, const double *restrict sh,
                      const double *restrict hd, bool *restrict go)
{
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd book = mcr_vd_loadu(delta + i);
        if (sa)
            book = mcr_vd_div(mcr_vd_mul(mcr_vd_mul(mcr_vd_set(beta), book),
                                         mcr_vd_loadu(sa + i)),
                              mcr_vd_loadu(sh + i));
        mcr_vd net = mcr_vd_abs(mcr_vd_add(book, mcr_vd_loadu(hd + i)));
        mcr_vd width = mcr_vd_add(mcr_vd_set(band), mcr_vd_mul(mcr_vd_set(band_pct),
                                                               mcr_vd_abs(book)));
        mcr_bools_store(go + i, mcr_vb_bits(mcr_vb_gt(net, width)));
    }
}

static bool margin_hits(const double *restrict q, const double *restrict equity,
                        const double *restrict need, bool *restrict hit)
{
    unsigned any = 0;
    for (int i = 0; i < NP; i += MCR_LANES) {
        /* open (q != 0) and not covered (equity >= need is false, also for NaN) */
        unsigned open = mcr_vb_bits(mcr_vb_ne(mcr_vd_loadu(q + i), mcr_vd_zero()));
        unsigned covered = mcr_vb_bits(mcr_vb_ge(mcr_vd_loadu(equity + i),
                                                 mcr_vd_loadu(need + i)));
        unsigned bits = open & ~covered;
        mcr_bools_store(hit + i, bits);
        any |= bits;
    }
    return any != 0;
}

/* Branch-free over the block: the hit lanes take the reference's updates, the others keep
 * their bits (liquidations are rare, so the engine calls this only when a path is hit). */
static void liquidate(const mcr_step_terms *terms, const mcr_units_rows *rows, int32_t t,
                      const double *restrict s, const bool *restrict hit,
                      const double *restrict cover, double *restrict seized,
                      int32_t *restrict liq_step)
{
    const mcr_step_terms ct = *terms, *c = &ct;
    const mcr_units_rows ur = *rows, *u = &ur;
    const mcr_vd zero = mcr_vd_zero(), one = mcr_vd_set(1.0), minus = mcr_vd_set(-1.0);
    const mcr_vd g = mcr_vd_set(c->g), rate = mcr_vd_set(c->liquidation_fee);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vb m = mcr_vb_gt(mcr_vd_load_bool(hit + i), zero);
        mcr_vd q = mcr_vd_loadu(u->q + i), a = mcr_vd_loadu(u->account + i);
        mcr_vd si = mcr_vd_loadu(s + i);
        mcr_vd notional = c->coin ? mcr_vd_mul(mcr_vd_abs(q), mcr_vd_div(one, si))
                                  : mcr_vd_mul(mcr_vd_abs(q), si);
        mcr_vd fee = c->exchange ? positive_part(a) : mcr_vd_mul(rate, notional);
        mcr_vd left = mcr_vd_sub(a, fee);
        mcr_vd deficit = mcr_vd_blend(mcr_vb_lt(left, zero), mcr_vd_mul(minus, left), zero);
        mcr_vd sz = mcr_vd_loadu(seized + i);
        if (c->coin) {
            mcr_vd cf = mcr_vd_loadu(u->coin_fees + i), ch = mcr_vd_loadu(u->coin_hedge + i);
            mcr_vd held = mcr_vd_loadu(u->coin_held + i);
            mcr_vd_storeu(u->coin_fees + i, mcr_vd_blend(m, mcr_vd_sub(cf, fee), cf));
            mcr_vd_storeu(u->coin_hedge + i, add_where(m, ch, deficit));
            mcr_vd_storeu(u->coin_held + i, add_where(m, held, mcr_vd_sub(deficit, fee)));
            sz = add_where(m, sz, cover ? mcr_vd_loadu(cover + i) : zero);
        } else {
            mcr_vd f = mcr_vd_loadu(u->fees + i), h = mcr_vd_loadu(u->hedge + i);
            mcr_vd_storeu(u->fees + i, mcr_vd_blend(m, mcr_vd_sub(f, mcr_vd_mul(fee, g)), f));
            mcr_vd_storeu(u->hedge + i, add_where(m, h, mcr_vd_mul(deficit, g)));
            sz = add_where(m, sz, cover ? mcr_vd_div(mcr_vd_loadu(cover + i), si) : zero);
        }
        mcr_vd_storeu(seized + i, sz);
        mcr_vd_storeu(u->account + i, mcr_vd_blend(m, zero, a));
        mcr_vd_storeu(u->q + i, mcr_vd_blend(m, zero, q));
    }
    for (int i = 0; i < NP; i++)
        liq_step[i] = hit[i] ? t : liq_step[i];
}

static void cross_pool(const double *restrict e, const double *restrict m,
                       const double *restrict fee, const double *restrict account,
                       const double *restrict q, const double *restrict spot,
                       double *restrict equity, double *restrict need, double *restrict left,
                       double *restrict deficits, bool *restrict open)
{
    const mcr_vd zero = mcr_vd_zero(), minus = mcr_vd_set(-1.0), one = mcr_vd_set(1.0);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd to_quote = spot ? mcr_vd_loadu(spot + i) : one;
        mcr_vd rest = mcr_vd_mul(mcr_vd_sub(mcr_vd_loadu(account + i), mcr_vd_loadu(fee + i)),
                                 to_quote);
        mcr_vd_storeu(equity + i, mcr_vd_add(mcr_vd_loadu(equity + i),
                                             mcr_vd_mul(mcr_vd_loadu(e + i), to_quote)));
        mcr_vd_storeu(need + i, mcr_vd_add(mcr_vd_loadu(need + i),
                                           mcr_vd_mul(mcr_vd_loadu(m + i), to_quote)));
        mcr_vd_storeu(left + i, mcr_vd_add(mcr_vd_loadu(left + i), rest));
        mcr_vd lack = mcr_vd_blend(mcr_vb_lt(rest, zero), mcr_vd_mul(minus, rest), zero);
        mcr_vd_storeu(deficits + i, mcr_vd_add(mcr_vd_loadu(deficits + i), lack));
    }
    for (int i = 0; i < NP; i++)
        open[i] |= q[i] != 0.0;
}

static bool cross_hits(const double *restrict equity, const double *restrict need,
                       const double *restrict collateral, const double *restrict left,
                       const double *restrict deficits, const bool *restrict open,
                       bool *restrict hit, double *restrict cover, double *restrict charge)
{
    const mcr_vd zero = mcr_vd_zero(), minus = mcr_vd_set(-1.0);
    unsigned any = 0;
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd col = mcr_vd_loadu(collateral + i), l = mcr_vd_loadu(left + i);
        unsigned covered = mcr_vb_bits(mcr_vb_ge(mcr_vd_add(mcr_vd_loadu(equity + i), col),
                                                 mcr_vd_loadu(need + i)));
        unsigned bits = mcr_vb_bits(mcr_vb_gt(mcr_vd_load_bool(open + i), zero)) & ~covered;
        mcr_bools_store(hit + i, bits);
        any |= bits;
        mcr_vb m = mcr_vb_gt(mcr_vd_load_bool(hit + i), zero);
        mcr_vd pooled = mcr_vd_blend(mcr_vb_lt(l, zero), mcr_vd_mul(minus, l), zero);
        mcr_vd cov = mcr_vd_blend(mcr_vb_lt(pooled, col), pooled, col);
        mcr_vd_storeu(cover + i, mcr_vd_blend(m, cov, zero));
        mcr_vd_storeu(charge + i,
                      mcr_vd_blend(m, mcr_vd_sub(mcr_vd_loadu(deficits + i), pooled), zero));
    }
    return any != 0;
}

static bool adl_hits(bool coin, double min_score, const double *restrict q,
                     const double *restrict account, const double *restrict posted,
                     const int32_t *restrict liq_step, const double *restrict s,
                     bool *restrict hit)
{
    const mcr_vd zero = mcr_vd_zero(), min = mcr_vd_set(min_score);
    unsigned any = 0;
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd qi = mcr_vd_loadu(q + i), a = mcr_vd_loadu(account + i);
        mcr_vd p = mcr_vd_loadu(posted + i), si = mcr_vd_loadu(s + i);
        mcr_vd profit = mcr_vd_sub(a, p);
        mcr_vd notional = coin ? mcr_vd_div(mcr_vd_abs(qi), si) : mcr_vd_mul(mcr_vd_abs(qi), si);
        unsigned open = mcr_vb_bits(mcr_vb_ne(qi, zero)) &
                        mcr_vb_bits(mcr_vb_lt(mcr_vd_load_i32(liq_step + i), zero)) &
                        mcr_vb_bits(mcr_vb_gt(p, zero)) & mcr_vb_bits(mcr_vb_gt(profit, zero));
        mcr_vd score = mcr_vd_mul(mcr_vd_div(profit, p), mcr_vd_div(notional, a));
        unsigned bits = open & mcr_vb_bits(mcr_vb_ge(score, min));
        mcr_bools_store(hit + i, bits);
        any |= bits;
    }
    return any != 0;
}

static void premium_rates(int n, const double *restrict interest, double hours, double cap,
                          const double *restrict basis, double *restrict rate)
{
    const mcr_vd h = mcr_vd_set(hours), eighth = mcr_vd_set(8.0);
    const mcr_vd lo = mcr_vd_set(-cap), hi = mcr_vd_set(cap);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd premium = mcr_vd_div(mcr_vd_mul(mcr_vd_loadu(basis + i), h), eighth);
        mcr_vd sum = mcr_vd_zero();
        for (int k = 0; k < n; k++) { /* fmin(fmax(x, lo), hi): NaN x gives lo, as fmax */
            mcr_vd x = mcr_vd_add(premium, mcr_vd_set(interest[k]));
            sum = mcr_vd_add(sum, mcr_vd_min(mcr_vd_max(x, lo), hi));
        }
        mcr_vd_storeu(rate + i, sum);
    }
}

static void settle_leg(double quantity, double strike, bool call, double g,
                       const double *restrict s, double *restrict usd, double *restrict coin)
{
    const mcr_vd k = mcr_vd_set(strike), q = mcr_vd_set(quantity), gv = mcr_vd_set(g);
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd si = mcr_vd_loadu(s + i);
        mcr_vd x = mcr_vd_mul(q, positive_part(call ? mcr_vd_sub(si, k) : mcr_vd_sub(k, si)));
        if (coin)
            mcr_vd_storeu(coin + i, mcr_vd_add(mcr_vd_loadu(coin + i), mcr_vd_div(x, si)));
        else
            mcr_vd_storeu(usd + i, mcr_vd_add(mcr_vd_loadu(usd + i), mcr_vd_mul(x, gv)));
    }
}

static void hedge_floor(const mcr_floor_terms *c, const double *restrict s,
                        const double *restrict log_s, double *restrict s_prev, double *restrict q,
                        double *restrict gains, double *restrict costs)
{
    mcr_hedge_floor_body(c, s, log_s, s_prev, q, gains, costs);
}

static void end_part(int n, const double *restrict part_comp, const double *restrict part_coin,
                     const double *restrict s, bool first, double *restrict comp)
{
    for (int c = 0; c < n; c++) {
        const double *pc = part_comp + c * NP, *pk = part_coin + c * NP;
        double *out = comp + c * NP;
        for (int i = 0; i < NP; i += MCR_LANES) {
            mcr_vd v = mcr_vd_add(mcr_vd_loadu(pc + i),
                                  mcr_vd_mul(mcr_vd_loadu(pk + i), mcr_vd_loadu(s + i)));
            mcr_vd_storeu(out + i, first ? v : mcr_vd_add(mcr_vd_loadu(out + i), v));
        }
    }
}

static void row_sum(int n, const double *restrict rows, double *restrict out)
{
    for (int i = 0; i < NP; i += MCR_LANES) {
        mcr_vd total = mcr_vd_zero();
        for (int c = 0; c < n; c++)
            total = mcr_vd_add(total, mcr_vd_loadu(rows + c * NP + i));
        mcr_vd_storeu(out + i, total);
    }
}

const mcr_strat_kernels MCR_SUFFIX(mcr_strat_kernels) = {
    .leg_delta = leg_delta,
    .leg_greeks = leg_greeks,
    .carry_linear = carry_linear,
    .trade_units = trade_units,
    .carry_spot = carry_spot,
    .carry_inverse = carry_inverse,
    .trade_inverse = trade_inverse,
    .margin = margin,
    .hedge_target = hedge_target,
    .band_test = band_test,
    .margin_hits = margin_hits,
    .liquidate = liquidate,
    .cross_pool = cross_pool,
    .cross_hits = cross_hits,
    .adl_hits = adl_hits,
    .premium_rates = premium_rates,
    .settle_leg = settle_leg,
    .run_units = MCR_SUFFIX(mcr_run_units),
    .hedge_floor = hedge_floor,
    .end_part = end_part,
    .row_sum = row_sum,
};
