/* Scalar reference of the strategy kernels (kernels/strat.h): plain C with libm, the test oracle
 * of kernels/simd/strat_simd.c and the scalar ISA's entry. */
#include <math.h>

#include "kernels/hedge_floor.h"
#include "kernels/ncdf.h"
#include "kernels/paths.h"
#include "models/basis.h"

#define NP MCR_BLOCK_PATHS

/* d1 at ln S = log_s and ln K = log_k, row k of c; *vol_sq = vol sqrt(tau). */
static inline double d1_of(const mcr_leg_terms *c, int k, double log_s, double log_k,
                           double *vol_sq)
{
    double r = c->rate, tau = c->tau[k];
    double m = log_s - log_k; /* ln(S/K); the smile's x = ln(K/F) / sqrt(tau) */
    double vol = mcr_vol_slice_vol(&c->slice[k], (-m - r * tau) * c->inv_sq[k]);
    *vol_sq = vol * c->sq[k];
    return (m + (r + 0.5 * vol * vol) * tau) / (vol * c->sq[k]);
}

static void leg_delta_ref(const mcr_leg_terms *c, const double *restrict log_s, int stride,
                          double *restrict delta)
{
    const double *t = mcr_ncdf_table();
    for (int k = 0; k < c->rows; k++) {
        const double *row = log_s + (size_t)k * stride;
        double drift, inv_vol_sq, vol_sq, d1;
        bool flat = mcr_leg_row_flat(c, k, &drift, &inv_vol_sq);
        for (int i = 0; i < NP; i++) {
            if (flat)
                d1 = (row[i] - c->log_k + drift) * inv_vol_sq;
            else
                d1 = d1_of(c, k, row[i], c->log_k, &vol_sq);
            delta[k * NP + i] += c->quantity * (mcr_norm_cdf_ref(t, d1) + c->put_shift);
        }
    }
}

static void leg_greeks_ref(const mcr_leg_terms *c, const double *restrict log_k,
                           const double *restrict s, const double *restrict log_s,
                           double *restrict out_delta, double *restrict out_gamma,
                           double *restrict out_vega)
{
    double q = c->quantity, sq = c->sq[0];
    const double *t = mcr_ncdf_table();
    for (int i = 0; i < NP; i++) {
        double vol_sq, d1 = d1_of(c, 0, log_s[i], log_k ? log_k[i] : c->log_k, &vol_sq);
        double pdf = 0.39894228040143267794 * exp(-0.5 * d1 * d1); /* phi(d1) */
        out_delta[i] += q * (mcr_norm_cdf_ref(t, d1) + c->put_shift);
        out_gamma[i] += q * pdf / (s[i] * vol_sq); /* gamma = phi / (S vol sqrt(tau)) */
        out_vega[i] += q * s[i] * pdf * sq;        /* vega = S phi sqrt(tau) */
    }
}

static void carry_linear_ref(const mcr_step_terms *c, const mcr_units_rows *u,
                             const double *restrict s, const double *restrict s_prev,
                             const double *restrict rate)
{
    double g = c->g;
    for (int i = 0; i < NP; i++) {
        double vm = u->q[i] * (s[i] - s_prev[i]);
        double fund = rate ? -u->q[i] * s[i] * rate[i] : 0.0; /* longs pay a positive rate */
        u->hedge[i] += vm * g;
        u->funding[i] += fund * g;
        u->account[i] += vm + fund;
        /* yield accrues on posted collateral only: none on a deficit */
        if (c->yield > 0)
            u->yield[i] += c->yield * (u->account[i] > 0 ? u->account[i] : 0.0);
    }
}

/* notional x (slip_rate + impact sqrt(notional / impact_notional)) */
static double slippage(const mcr_step_terms *c, double notional)
{
    double impact = c->impact > 0 ? c->impact * sqrt(notional / c->impact_notional) : 0.0;
    return notional * (c->slip_rate + impact);
}

static void trade_units_ref(const mcr_step_terms *c, const mcr_units_rows *u,
                            const double *restrict s, const double *restrict target,
                            const bool *restrict go)
{
    double g = c->g;
    for (int i = 0; i < NP; i++) {
        bool trade = go[i] && u->liq_step[i] < 0;
        double dq = trade ? target[i] - u->q[i] : 0.0;
        double notional = fabs(dq) * s[i];
        double fee = notional * c->fee_rate, slip = slippage(c, notional);
        u->fees[i] -= fee * g;
        u->slippage[i] -= slip * g;
        u->q[i] += dq;
        u->trades[i] += dq != 0.0;
        u->traded[i] += notional;
        if (c->top_up && trade) {
            double need = c->initial * fabs(u->q[i]) * s[i];
            u->account[i] += need > u->account[i] ? need - u->account[i] : 0.0;
        }
    }
}

static void carry_spot_ref(const mcr_step_terms *c, const mcr_units_rows *u,
                           const double *restrict s, const double *restrict s_prev)
{
    for (int i = 0; i < NP; i++) {
        u->hedge[i] += u->q[i] * (s[i] - s_prev[i]) * c->g;
        u->financing[i] -= u->q[i] * s_prev[i] * c->financing;
        if (c->borrow > 0) /* the borrowed coins' fee, on their value at the start */
            u->financing[i] -= (u->q[i] < 0 ? -u->q[i] * s_prev[i] : 0.0) * c->borrow;
    }
}

static void carry_inverse_ref(const mcr_step_terms *c, const mcr_units_rows *u,
                              const double *restrict s, const double *restrict s_prev,
                              const double *restrict rate)
{
    for (int i = 0; i < NP; i++) {
        double inv = 1.0 / s[i];
        double vm = u->q[i] * (1.0 / s_prev[i] - inv);
        double fund = rate ? -u->q[i] * rate[i] * inv : 0.0;
        u->coin_hedge[i] += vm;
        u->coin_funding[i] += fund;
        u->coin_held[i] += vm + fund;
        u->account[i] += vm + fund;
        if (c->yield > 0)
            u->yield[i] += c->yield * (u->account[i] > 0 ? u->account[i] : 0.0) * s[i];
    }
}

/* The notional q whose delta, with the coin held and the coin bought to top the account up to
 * initial margin m, is the target: without a top-up q = (target - coin) S; with one the coin
 * grows by m |q| / S - account, so q (1 -+ m) / S = target - coin + account for a short (long)
 * position. */
static double sized(double target, double coin, double account, double s, double m, bool top_up)
{
    double q = (target - coin) * s;
    if (!top_up || m * fabs(q) / s <= account)
        return q;
    double want = target - coin + account;
    return want < 0 ? want * s / (1.0 - m) : want * s / (1.0 + m);
}

static void trade_inverse_ref(const mcr_step_terms *c, const mcr_units_rows *u,
                              const double *restrict s, const double *restrict target,
                              const bool *restrict go)
{
    double m = c->initial;
    for (int i = 0; i < NP; i++) {
        bool trade = go[i] && u->liq_step[i] < 0;
        double q = sized(target[i], u->coin_held[i], u->account[i], s[i], m, c->top_up);
        double dq = trade ? q - u->q[i] : 0.0;
        double notional = fabs(dq);
        double fee = notional * c->fee_rate, slip = slippage(c, notional);
        u->coin_fees[i] -= fee / s[i];
        u->coin_slippage[i] -= slip / s[i];
        u->coin_held[i] -= (fee + slip) / s[i];
        u->q[i] += dq;
        u->trades[i] += dq != 0.0;
        u->traded[i] += notional;
        if (c->top_up && trade) {
            double need = m * fabs(u->q[i]) * (1.0 / s[i]);
            double add = need > u->account[i] ? need - u->account[i] : 0.0;
            u->account[i] += add;
            /* coin collateral bought with cash: its exposure is the hedge's */
            u->coin_hedge[i] += add;
            u->coin_held[i] += add;
            u->hedge[i] -= add * s[i] * c->g;
        }
    }
}

static void margin_ref(const mcr_step_terms *c, const double *restrict q,
                              const double *restrict account, const double *restrict s,
                              double *restrict equity, double *restrict need,
                              double *restrict fee)
{
    for (int i = 0; i < NP; i++) {
        double notional = c->coin ? fabs(q[i]) * (1.0 / s[i]) : fabs(q[i]) * s[i];
        double mm = notional * c->maintenance[0] - c->amount[0];
        for (int k = 1; k < c->n_tiers; k++)
            mm = fmax(mm, notional * c->maintenance[k] - c->amount[k]);
        equity[i] = account[i] * c->collateral;
        need[i] = mm;
        fee[i] = c->exchange ? (account[i] > 0 ? account[i] : 0.0)
                             : c->liquidation_fee * notional;
    }
}

static void hedge_target_ref(double ratio, const double *restrict delta,
                             const double *restrict sa, const double *restrict sh,
                             double *restrict target)
{
    for (int i = 0; i < NP; i++)
        target[i] = sa ? -ratio * delta[i] * sa[i] / sh[i] : -ratio * delta[i];
}

static void band_test_ref(double beta, double band, double band_pct, const double *restrict delta,
                          const double *restrict sa, const double *restrict sh,
                          const double *restrict hd, bool *restrict go)
{
    for (int i = 0; i < NP; i++) {
        double book = sa ? beta * delta[i] * sa[i] / sh[i] : delta[i];
        go[i] = fabs(book + hd[i]) > band + band_pct * fabs(book);
    }
}

static bool margin_hits_ref(const double *restrict q, const double *restrict equity,
                            const double *restrict need, bool *restrict hit)
{
    bool any = false;
    for (int i = 0; i < NP; i++) {
        hit[i] = q[i] != 0.0 && !(equity[i] >= need[i]);
        any |= hit[i];
    }
    return any;
}

static void liquidate_ref(const mcr_step_terms *c, const mcr_units_rows *u, int32_t t,
                          const double *restrict s, const bool *restrict hit,
                          const double *restrict cover, double *restrict seized,
                          int32_t *restrict liq_step)
{
    for (int i = 0; i < NP; i++) {
        if (!hit[i])
            continue;
        double notional = c->coin ? fabs(u->q[i]) * (1.0 / s[i]) : fabs(u->q[i]) * s[i];
        double fee = c->exchange ? (u->account[i] > 0 ? u->account[i] : 0.0)
                                 : c->liquidation_fee * notional;
        double left = u->account[i] - fee, deficit = left < 0 ? -left : 0.0;
        if (c->coin) {
            u->coin_fees[i] -= fee;
            u->coin_hedge[i] += deficit;
            u->coin_held[i] += deficit - fee;
            seized[i] += cover ? cover[i] : 0.0; /* the book's coins, valued at S_T */
        } else {
            u->fees[i] -= fee * c->g;
            u->hedge[i] += deficit * c->g;
            /* the part of the deficit the book's coins cover is paid in coins, valued at S_T */
            seized[i] += cover ? cover[i] / s[i] : 0.0;
        }
        u->account[i] = 0.0;
        u->q[i] = 0.0;
        liq_step[i] = t;
    }
}

static void cross_pool_ref(const double *restrict e, const double *restrict m,
                           const double *restrict fee, const double *restrict account,
                           const double *restrict q, const double *restrict spot,
                           double *restrict equity, double *restrict need, double *restrict left,
                           double *restrict deficits, bool *restrict open)
{
    for (int i = 0; i < NP; i++) {
        double to_quote = spot ? spot[i] : 1.0;
        double rest = (account[i] - fee[i]) * to_quote;
        equity[i] += e[i] * to_quote;
        need[i] += m[i] * to_quote;
        left[i] += rest;
        deficits[i] += rest < 0 ? -rest : 0.0;
        open[i] |= q[i] != 0.0;
    }
}

static bool cross_hits_ref(const double *restrict equity, const double *restrict need,
                           const double *restrict collateral, const double *restrict left,
                           const double *restrict deficits, const bool *restrict open,
                           bool *restrict hit, double *restrict cover, double *restrict charge)
{
    bool any = false;
    for (int i = 0; i < NP; i++) {
        hit[i] = open[i] && !(equity[i] + collateral[i] >= need[i]);
        any |= hit[i];
        double pooled = left[i] < 0 ? -left[i] : 0.0;
        cover[i] = hit[i] ? (pooled < collateral[i] ? pooled : collateral[i]) : 0.0;
        charge[i] = hit[i] ? deficits[i] - pooled : 0.0;
    }
    return any;
}

static bool adl_hits_ref(bool coin, double min_score, const double *restrict q,
                         const double *restrict account, const double *restrict posted,
                         const int32_t *restrict liq_step, const double *restrict s,
                         bool *restrict hit)
{
    bool any = false;
    for (int i = 0; i < NP; i++) {
        double profit = account[i] - posted[i];
        double notional = coin ? fabs(q[i]) / s[i] : fabs(q[i]) * s[i];
        bool open = q[i] != 0.0 && liq_step[i] < 0 && posted[i] > 0 && profit > 0;
        hit[i] = open && profit / posted[i] * (notional / account[i]) >= min_score;
        any |= hit[i];
    }
    return any;
}

static void premium_rates_ref(int n, const double *restrict interest, double hours, double cap,
                              const double *restrict basis, double *restrict rate)
{
    mcr_premium_funding pf = {.interval_hours = hours, .cap = cap};
    for (int i = 0; i < NP; i++) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            pf.interest = interest[k];
            sum += mcr_funding_premium_rate(&pf, basis[i]);
        }
        rate[i] = sum;
    }
}

static void settle_leg_ref(double quantity, double strike, bool call, double g,
                           const double *restrict s, double *restrict usd,
                           double *restrict coin)
{
    for (int i = 0; i < NP; i++) { /* a USD leg's cash carried to T; coin: payoff / s */
        double payoff = call ? s[i] - strike : strike - s[i];
        double x = quantity * (payoff > 0.0 ? payoff : 0.0);
        if (coin)
            coin[i] += x / s[i];
        else
            usd[i] += x * g;
    }
}

static void hedge_floor_ref(const mcr_floor_terms *c, const double *restrict s,
                            const double *restrict log_s, double *restrict s_prev, double *restrict q,
                            double *restrict gains, double *restrict costs)
{
    mcr_hedge_floor_body(c, s, log_s, s_prev, q, gains, costs);
}

static void end_part_ref(int n, const double *restrict part_comp,
                         const double *restrict part_coin, const double *restrict s, bool first,
                         double *restrict comp)
{
    for (int c = 0; c < n; c++)
        for (int i = 0; i < NP; i++) {
            double v = part_comp[c * NP + i] + part_coin[c * NP + i] * s[i];
            comp[c * NP + i] = first ? v : comp[c * NP + i] + v;
        }
}

static void row_sum_ref(int n, const double *restrict rows, double *restrict out)
{
    for (int i = 0; i < NP; i++) {
        double total = 0;
        for (int c = 0; c < n; c++)
            total += rows[c * NP + i];
        out[i] = total;
    }
}

/* The run as the engine steps a part one step at a time (strategies/hedge_step.c): the kernels
 * above one after another on the block's rows, with the engine's block-wide decisions (a margin
 * check's liquidations, a trade, only when some path of the block is hit or trades). */
static void run_units_ref(const mcr_run_terms *r, const mcr_run_rows *rows)
{
    const mcr_units_rows *u = &rows->u;
    const double *prev = r->s_prev;
    for (int k = 0; k < r->n; k++) {
        int32_t t = r->t0 + 1 + k;
        const double *s = r->s + (size_t)k * r->stride, *delta = r->delta + (size_t)k * NP;
        const double *sa = r->sa ? r->sa + (size_t)k * r->stride : NULL;
        mcr_step_terms c = r->c;
        c.g = r->g[k];
        c.yield = r->yield[k];
        c.financing = r->financing[k];
        c.borrow = r->borrow[k];
        c.collateral = r->collateral[k];
        if (r->linear)
            carry_linear_ref(&c, u, s, prev, r->rate[k]);
        else
            carry_spot_ref(&c, u, s, prev);
        double equity[NP], need[NP], fee[NP];
        bool hit[NP], go[NP], trade = r->trade[k];
        if (r->check)
            margin_ref(&c, u->q, u->account, s, equity, need, fee);
        if (r->check && margin_hits_ref(u->q, equity, need, hit)) {
            for (int i = 0; i < NP; i++) /* the insurance fund's share (a quote account) */
                rows->insurance[i] += (hit[i] && fee[i] > u->account[i] ? fee[i] - u->account[i]
                                                                        : 0.0) * 1.0;
            liquidate_ref(&c, u, t, s, hit, NULL, rows->seized, rows->liq_step);
            for (int i = 0; i < NP; i++) {
                rows->liquidations[i] += hit[i];
                rows->liq_first[i] = hit[i] && rows->liq_first[i] < 0 ? t : rows->liq_first[i];
            }
        }
        for (int i = 0; i < NP && trade; i++)
            go[i] = true;
        if (trade && r->banded) /* the position's own delta is its units */
            band_test_ref(r->beta, r->band, r->band_pct, delta, sa, sa ? s : NULL, u->q, go);
        for (int i = 0; i < NP && r->reopen[k]; i++) {
            bool back = rows->liq_step[i] >= 0 && t - rows->liq_step[i] >= r->reopen_steps;
            rows->liq_step[i] = back ? -1 : rows->liq_step[i];
            go[i] = back || (r->trade[k] && go[i]);
            trade |= back;
        }
        if (trade) {
            double target[NP];
            hedge_target_ref(r->ratio, delta, sa, sa ? s : NULL, target);
            trade_units_ref(&c, u, s, target, go);
        }
        prev = s;
    }
}

const mcr_strat_kernels mcr_strat_kernels_ref = {
    .leg_delta = leg_delta_ref,
    .leg_greeks = leg_greeks_ref,
    .carry_linear = carry_linear_ref,
    .trade_units = trade_units_ref,
    .carry_spot = carry_spot_ref,
    .carry_inverse = carry_inverse_ref,
    .trade_inverse = trade_inverse_ref,
    .margin = margin_ref,
    .hedge_target = hedge_target_ref,
    .band_test = band_test_ref,
    .margin_hits = margin_hits_ref,
    .liquidate = liquidate_ref,
    .cross_pool = cross_pool_ref,
    .cross_hits = cross_hits_ref,
    .adl_hits = adl_hits_ref,
    .premium_rates = premium_rates_ref,
    .settle_leg = settle_leg_ref,
    .run_units = run_units_ref,
    .hedge_floor = hedge_floor_ref,
    .end_part = end_part_ref,
    .row_sum = row_sum_ref,
};
