/* The strategy kernels of every vector ISA against the scalar reference (kernels/strat.h) on
 * random blocks that reach every select: the position kernels (carry, trade, margin check) must
 * be bitwise the reference's (same IEEE operations in the same order, no contraction); the
 * option kernels, whose exp and normal CDF are the vector ones, within 1e-12 relative (delta
 * relative to the leg's quantity, as a put's N(d1) - 1 cancels); the event kernels (liquidation,
 * cross margin, auto-deleveraging, premium funding, leg settlement) and the end-of-block rows
 * bitwise too, untouched lanes included. ISAs the CPU lacks are skipped. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <string.h>

#include "model_mc.h"

#define NP MCR_BLOCK_PATHS

static struct criterion_test_params vector_isas(void)
{
    static mcr_isa isas[] = {MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}
ParameterizedTestParameters(strat_kernels, leg_delta_agrees) { return vector_isas(); }
ParameterizedTestParameters(strat_kernels, leg_greeks_agree) { return vector_isas(); }
ParameterizedTestParameters(strat_kernels, positions_are_bitwise_the_reference)
{
    return vector_isas();
}
ParameterizedTestParameters(strat_kernels, events_are_bitwise_the_reference)
{
    return vector_isas();
}
ParameterizedTestParameters(strat_kernels, end_rows_are_bitwise_the_reference)
{
    return vector_isas();
}
ParameterizedTestParameters(strat_kernels, hedge_floor_is_bitwise_the_reference)
{
    return vector_isas();
}

static double uniform(mcr_pcg32 *g, double lo, double hi)
{
    return lo + (hi - lo) * ((mcr_pcg32_next(g) + 0.5) * 0x1p-32);
}

/* A leg at `rows` expiries from an hour to a year, strikes 0.3 .. 3 x spot (d1 beyond 7.07 sd:
 * the continued fraction), smiles steep enough to hit the vol floor. */
static void random_terms(mcr_pcg32 *g, int rows, bool put, mcr_leg_terms *c)
{
    c->rate = uniform(g, -0.02, 0.08);
    c->quantity = uniform(g, -3, 3);
    c->put_shift = put ? -1.0 : 0.0;
    c->log_k = log(100.0 * uniform(g, 0.3, 3));
    c->rows = rows;
    for (int k = 0; k < rows; k++) {
        c->tau[k] = uniform(g, 1.0 / 8760, 1.0);
        c->sq[k] = sqrt(c->tau[k]);
        c->inv_sq[k] = 1.0 / c->sq[k];
        c->slice[k] = (mcr_vol_slice){.atm = uniform(g, 0.05, 1.5), .skew = uniform(g, -2, 2),
                                      .smile = uniform(g, 0, 3)};
    }
}

static double rel(double got, double want, double scale)
{
    return fabs(got - want) / (fabs(want) + scale + 1e-300);
}

ParameterizedTest(mcr_isa *isa, strat_kernels, leg_delta_agrees)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(11, 0);
    enum { STRIDE = 3 * NP }; /* rows of a three-asset trace */
    static double log_s[MCR_STRAT_ROWS * STRIDE], got[MCR_STRAT_ROWS * NP],
        want[MCR_STRAT_ROWS * NP];
    for (int trial = 0; trial < 40; trial++) {
        mcr_leg_terms c;
        random_terms(&g, 1 + trial % MCR_STRAT_ROWS, trial % 2, &c);
        for (int j = 0; j < MCR_STRAT_ROWS * STRIDE; j++)
            log_s[j] = log(100.0 * uniform(&g, 0.2, 4));
        for (int j = 0; j < MCR_STRAT_ROWS * NP; j++)
            got[j] = want[j] = uniform(&g, -1, 1);
        ref->strat->leg_delta(&c, log_s, STRIDE, want);
        k->strat->leg_delta(&c, log_s, STRIDE, got);
        for (int j = 0; j < MCR_STRAT_ROWS * NP; j++)
            cr_assert_leq(rel(got[j], want[j], fabs(c.quantity)), 1e-12,
                          "%s trial %d row %d path %d: %.17g vs %.17g", k->name, trial, j / NP,
                          j % NP, got[j], want[j]);
    }
}

ParameterizedTest(mcr_isa *isa, strat_kernels, leg_greeks_agree)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(12, 0);
    for (int trial = 0; trial < 40; trial++) {
        mcr_leg_terms c;
        random_terms(&g, 1, trial % 2, &c);
        double s[NP], log_s[NP], log_k[NP], got[3][NP], want[3][NP];
        for (int i = 0; i < NP; i++) {
            s[i] = 100.0 * uniform(&g, 0.2, 4);
            log_s[i] = log(s[i]);
            log_k[i] = log(100.0 * uniform(&g, 0.5, 2));
            for (int j = 0; j < 3; j++)
                got[j][i] = want[j][i] = uniform(&g, -1, 1);
        }
        const double *strikes = trial % 3 == 0 ? log_k : NULL; /* a rolled generation's */
        ref->strat->leg_greeks(&c, strikes, s, log_s, want[0], want[1], want[2]);
        k->strat->leg_greeks(&c, strikes, s, log_s, got[0], got[1], got[2]);
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < NP; i++)
                cr_assert_leq(rel(got[j][i], want[j][i], j == 0 ? fabs(c.quantity) : 0), 1e-12,
                              "%s trial %d greek %d path %d: %.17g vs %.17g", k->name, trial, j,
                              i, got[j][i], want[j][i]);
    }
}

/* A linear position's rows with their own storage. */
typedef struct units {
    double q[NP], account[NP], hedge[NP], funding[NP], yield[NP], fees[NP], slippage[NP],
        financing[NP], traded[NP], coin_hedge[NP], coin_funding[NP], coin_fees[NP], coin_slippage[NP],
        coin_held[NP];
    uint32_t trades[NP];
    int32_t liq_step[NP];
} units;

static mcr_units_rows rows_of(units *u)
{
    return (mcr_units_rows){.q = u->q, .account = u->account, .hedge = u->hedge,
                            .funding = u->funding, .yield = u->yield, .fees = u->fees,
                            .slippage = u->slippage, .financing = u->financing,
                            .traded = u->traded,
                            .coin_hedge = u->coin_hedge, .coin_funding = u->coin_funding,
                            .coin_fees = u->coin_fees, .coin_slippage = u->coin_slippage,
                            .coin_held = u->coin_held, .trades = u->trades,
                            .liq_step = u->liq_step};
}

/* Positions long, short and flat (exact zeros, also -0), accounts in deficit, some paths
 * liquidated. */
static void random_units(mcr_pcg32 *g, units *u)
{
    for (int i = 0; i < NP; i++) {
        int kind = (int)(mcr_pcg32_next(g) % 6);
        u->q[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : uniform(g, -5, 5);
        u->account[i] = kind == 2 ? 0.0 : uniform(g, -20, 60);
        u->hedge[i] = uniform(g, -50, 50);
        u->funding[i] = uniform(g, -5, 5);
        u->yield[i] = uniform(g, 0, 2);
        u->fees[i] = uniform(g, -3, 0);
        u->slippage[i] = uniform(g, -3, 0);
        u->financing[i] = uniform(g, -3, 3);
        u->traded[i] = uniform(g, 0, 1e4);
        u->coin_hedge[i] = uniform(g, -0.5, 0.5);
        u->coin_funding[i] = uniform(g, -0.05, 0.05);
        u->coin_fees[i] = uniform(g, -0.03, 0);
        u->coin_slippage[i] = uniform(g, -0.03, 0);
        u->coin_held[i] = uniform(g, -0.2, 0.6);
        u->trades[i] = mcr_pcg32_next(g) % 100;
        u->liq_step[i] = kind == 3 ? 17 : -1;
    }
}

#define ASSERT_SAME(what, isa_name, trial)                                                   \
    cr_assert_eq(memcmp(&got.what, &want.what, sizeof want.what), 0, "%s trial %d: " #what    \
                 " differs from the reference", isa_name, trial)

/* Carry, trade (spot, linear and inverse), margin check, hits, target and band test, one after another
 * on the same block. */
ParameterizedTest(mcr_isa *isa, strat_kernels, positions_are_bitwise_the_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(13, 0);
    const double maintenance[3] = {0.005, 0.01, 0.025}, amount[3] = {0, 5, 50};
    for (int trial = 0; trial < 64; trial++) {
        units want, got;
        random_units(&g, &want);
        got = want;
        double s[NP], s_prev[NP], rate[NP], target[NP];
        bool go[NP];
        for (int i = 0; i < NP; i++) {
            s[i] = 100.0 * uniform(&g, 0.5, 2);
            s_prev[i] = i % 9 == 0 ? s[i] : s[i] * uniform(&g, 0.9, 1.1);
            rate[i] = uniform(&g, -1e-3, 1e-3);
            target[i] = i % 7 == 0 ? want.q[i] : uniform(&g, -5, 5); /* some trade nothing */
            go[i] = mcr_pcg32_next(&g) % 4 != 0;
        }
        mcr_step_terms c = {
            .g = uniform(&g, 0.9, 1.1), .yield = trial % 2 ? uniform(&g, 0, 1e-4) : 0.0,
            .fee_rate = 5e-4, .slip_rate = trial % 3 ? 1e-4 : 0.0,
            .impact = trial % 4 < 2 ? 0.001 : 0.0, .impact_notional = 1e4,
            .top_up = trial % 5 != 0, .initial = trial % 7 ? 0.1 : 0.0,
            .collateral = trial % 3 ? 1.0 : 0.3, .exchange = trial % 2 == 0,
            .liquidation_fee = 0.005, .maintenance = maintenance, .amount = amount,
            .n_tiers = 1 + trial % 3};
        mcr_units_rows uw = rows_of(&want), ug = rows_of(&got);
        const double *r = trial % 4 == 3 ? NULL : rate; /* no funding time in the step */
        double e[2][NP], m[2][NP], f[2][NP];
        c.coin = trial % 3 == 1; /* the inverse perpetual's kernels (notional in USD) */
        if (trial % 3 == 2) { /* a spot hedge: financing, a short's borrow fee, no margin */
            c.financing = 1e-5;
            c.borrow = trial % 2 ? 2e-5 : 0.0;
            c.top_up = false;
            ref->strat->carry_spot(&c, &uw, s, s_prev);
            k->strat->carry_spot(&c, &ug, s, s_prev);
            ref->strat->trade_units(&c, &uw, s, target, go);
            k->strat->trade_units(&c, &ug, s, target, go);
        } else if (c.coin) {
            for (int i = 0; i < NP; i++) {
                want.q[i] = got.q[i] *= 100.0;
                target[i] *= 0.01; /* coins */
            }
            ref->strat->carry_inverse(&c, &uw, s, s_prev, r);
            k->strat->carry_inverse(&c, &ug, s, s_prev, r);
            ref->strat->trade_inverse(&c, &uw, s, target, go);
            k->strat->trade_inverse(&c, &ug, s, target, go);
        } else {
            ref->strat->carry_linear(&c, &uw, s, s_prev, r);
            k->strat->carry_linear(&c, &ug, s, s_prev, r);
            ref->strat->trade_units(&c, &uw, s, target, go);
            k->strat->trade_units(&c, &ug, s, target, go);
        }
        ref->strat->margin(&c, want.q, want.account, s, e[0], m[0], f[0]);
        k->strat->margin(&c, got.q, got.account, s, e[1], m[1], f[1]);
        ASSERT_SAME(q, k->name, trial);
        ASSERT_SAME(account, k->name, trial);
        ASSERT_SAME(hedge, k->name, trial);
        ASSERT_SAME(funding, k->name, trial);
        ASSERT_SAME(yield, k->name, trial);
        ASSERT_SAME(fees, k->name, trial);
        ASSERT_SAME(slippage, k->name, trial);
        ASSERT_SAME(financing, k->name, trial);
        ASSERT_SAME(traded, k->name, trial);
        ASSERT_SAME(trades, k->name, trial);
        ASSERT_SAME(coin_hedge, k->name, trial);
        ASSERT_SAME(coin_funding, k->name, trial);
        ASSERT_SAME(coin_fees, k->name, trial);
        ASSERT_SAME(coin_slippage, k->name, trial);
        ASSERT_SAME(coin_held, k->name, trial);
        cr_assert_eq(memcmp(e[0], e[1], sizeof e[0]), 0, "%s trial %d: equity", k->name, trial);
        cr_assert_eq(memcmp(m[0], m[1], sizeof m[0]), 0, "%s trial %d: need", k->name, trial);
        cr_assert_eq(memcmp(f[0], f[1], sizeof f[0]), 0, "%s trial %d: fee", k->name, trial);
        e[0][trial % NP] = NAN; /* a NaN equity is not covered */
        bool hit[2][NP];
        bool any = ref->strat->margin_hits(want.q, e[0], m[0], hit[0]);
        cr_assert_eq(k->strat->margin_hits(want.q, e[0], m[0], hit[1]), any, "%s", k->name);
        cr_assert_eq(memcmp(hit[0], hit[1], sizeof hit[0]), 0, "%s trial %d: hits", k->name,
                     trial);
        /* the rebalance: the book's delta (rows of e), the hedge's (want.q), cross or not */
        const double *sa = trial % 2 ? s : NULL, *sh = trial % 2 ? s_prev : NULL;
        double t[2][NP];
        bool go2[2][NP];
        ref->strat->hedge_target(c.g, e[1], sa, sh, t[0]);
        k->strat->hedge_target(c.g, e[1], sa, sh, t[1]);
        cr_assert_eq(memcmp(t[0], t[1], sizeof t[0]), 0, "%s trial %d: target", k->name, trial);
        ref->strat->band_test(0.8, trial % 3 ? 0.5 : 0, 0.05, e[1], sa, sh, want.q, go2[0]);
        k->strat->band_test(0.8, trial % 3 ? 0.5 : 0, 0.05, e[1], sa, sh, want.q, go2[1]);
        cr_assert_eq(memcmp(go2[0], go2[1], sizeof go2[0]), 0, "%s trial %d: band", k->name,
                     trial);
    }
}

#define SAME_ROWS(a, b, what, isa_name, trial)                                                 \
    cr_assert_eq(memcmp(a, b, sizeof(a)), 0, "%s trial %d: " what " differs from the reference", \
                 isa_name, trial)

/* Liquidation (quote and coin, fee or exchange rule, with and without a cover), the cross-margin
 * pool and check, the adl test, premium funding (caps binding, a NaN basis) and a leg's
 * settlement (call or put, USD or coin), on random blocks. */
ParameterizedTest(mcr_isa *isa, strat_kernels, events_are_bitwise_the_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(17, 0);
    int hits = 0;
    for (int trial = 0; trial < 64; trial++) {
        units want, got;
        random_units(&g, &want);
        got = want;
        double s[NP], cover[NP], seized[2][NP], e[NP], m[NP], fee[NP], basis[NP];
        int32_t liq[2][NP];
        bool hit[NP];
        for (int i = 0; i < NP; i++) {
            s[i] = 100.0 * uniform(&g, 0.5, 2);
            cover[i] = uniform(&g, 0, 5);
            seized[0][i] = seized[1][i] = i % 5 ? uniform(&g, 0, 0.1) : 0.0;
            liq[0][i] = liq[1][i] = want.liq_step[i];
            hit[i] = mcr_pcg32_next(&g) % 3 == 0;
            e[i] = uniform(&g, -20, 60);
            m[i] = uniform(&g, 0, 10);
            fee[i] = uniform(&g, 0, 2);
            basis[i] = i % 11 == 0 ? NAN : uniform(&g, -0.05, 0.05); /* |b| > cap / 1 */
        }
        mcr_step_terms c = {.g = uniform(&g, 0.9, 1.1), .coin = trial % 2,
                            .exchange = trial % 3 == 0, .liquidation_fee = 0.005};
        mcr_units_rows uw = rows_of(&want), ug = rows_of(&got);
        const double *cv = trial % 4 < 2 ? cover : NULL;
        ref->strat->liquidate(&c, &uw, 40 + trial, s, hit, cv, seized[0], liq[0]);
        k->strat->liquidate(&c, &ug, 40 + trial, s, hit, cv, seized[1], liq[1]);
        ASSERT_SAME(q, k->name, trial);
        ASSERT_SAME(account, k->name, trial);
        ASSERT_SAME(hedge, k->name, trial);
        ASSERT_SAME(fees, k->name, trial);
        ASSERT_SAME(coin_hedge, k->name, trial);
        ASSERT_SAME(coin_fees, k->name, trial);
        ASSERT_SAME(coin_held, k->name, trial);
        SAME_ROWS(seized[0], seized[1], "seized", k->name, trial);
        SAME_ROWS(liq[0], liq[1], "liq_step", k->name, trial);
        /* cross margin: two parts pooled, the second a coin account */
        double pool[2][4][NP] = {{{0}}}, out[2][2][NP];
        bool open[2][NP] = {{false}}, chit[2][NP];
        for (int r = 0; r < 2; r++) {
            const mcr_strat_kernels *sk = r ? k->strat : ref->strat;
            sk->cross_pool(e, m, fee, want.account, want.q, NULL, pool[r][0], pool[r][1],
                           pool[r][2], pool[r][3], open[r]);
            sk->cross_pool(m, fee, e, got.coin_held, want.coin_hedge, trial % 2 ? s : NULL,
                           pool[r][0], pool[r][1], pool[r][2], pool[r][3], open[r]);
        }
        SAME_ROWS(pool[0], pool[1], "the pool", k->name, trial);
        SAME_ROWS(open[0], open[1], "open", k->name, trial);
        bool any = ref->strat->cross_hits(pool[0][0], pool[0][1], cover, pool[0][2], pool[0][3],
                                          open[0], chit[0], out[0][0], out[0][1]);
        cr_assert_eq(k->strat->cross_hits(pool[0][0], pool[0][1], cover, pool[0][2],
                                          pool[0][3], open[0], chit[1], out[1][0], out[1][1]),
                     any, "%s trial %d: any cross hit", k->name, trial);
        SAME_ROWS(chit[0], chit[1], "cross hits", k->name, trial);
        SAME_ROWS(out[0], out[1], "cover and charge", k->name, trial);
        /* adl on the rows before the liquidation: posted from fee, some not in profit */
        bool ahit[2][NP];
        any = ref->strat->adl_hits(c.coin, 0.3, uw.q, e, fee, want.liq_step, s, ahit[0]);
        cr_assert_eq(k->strat->adl_hits(c.coin, 0.3, uw.q, e, fee, want.liq_step, s, ahit[1]),
                     any, "%s trial %d: any adl", k->name, trial);
        SAME_ROWS(ahit[0], ahit[1], "adl hits", k->name, trial);
        for (int i = 0; i < NP; i++)
            hits += ahit[0][i] + chit[0][i];
        double interest[3] = {1e-4, -0.02, 0.01}, rate[2][NP];
        int n = trial % 4;
        ref->strat->premium_rates(n, interest, trial % 2 ? 8 : 4, 0.0075, basis, rate[0]);
        k->strat->premium_rates(n, interest, trial % 2 ? 8 : 4, 0.0075, basis, rate[1]);
        SAME_ROWS(rate[0], rate[1], "premium funding", k->name, trial);
        double usd[2][NP], coin[2][NP];
        for (int i = 0; i < NP; i++) {
            usd[0][i] = usd[1][i] = e[i];
            coin[0][i] = coin[1][i] = m[i];
        }
        bool coined = trial % 3 == 1;
        double q = uniform(&g, -2, 2);
        ref->strat->settle_leg(q, 100, trial % 2, c.g, s, usd[0], coined ? coin[0] : NULL);
        k->strat->settle_leg(q, 100, trial % 2, c.g, s, usd[1], coined ? coin[1] : NULL);
        SAME_ROWS(usd[0], usd[1], "a USD settlement", k->name, trial);
        SAME_ROWS(coin[0], coin[1], "a coin settlement", k->name, trial);
    }
    cr_assert_gt(hits, 64, "events hit: %d", hits);
}

/* The end of a block: parts' components summed with their coin flows at S_T (first part and
 * later ones), and the total of the components. */
ParameterizedTest(mcr_isa *isa, strat_kernels, end_rows_are_bitwise_the_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(19, 0);
    enum { N = 10 };
    static double part[3][2][N][NP], comp[2][N][NP], total[2][NP], s[NP];
    for (int trial = 0; trial < 16; trial++) {
        for (int i = 0; i < NP; i++)
            s[i] = 100.0 * uniform(&g, 0.5, 2);
        for (int j = 0; j < 3; j++)
            for (int c = 0; c < N; c++)
                for (int i = 0; i < NP; i++) {
                    part[j][0][c][i] = (i + c) % 7 ? uniform(&g, -50, 50) : -0.0;
                    part[j][1][c][i] = (i + c) % 5 ? uniform(&g, -0.5, 0.5) : 0.0;
                }
        for (int r = 0; r < 2; r++) {
            const mcr_strat_kernels *sk = r ? k->strat : ref->strat;
            for (int j = 0; j < 1 + trial % 3; j++)
                sk->end_part(N, part[j][0][0], part[j][1][0], s, j == 0, comp[r][0]);
            sk->row_sum(N - trial % 4, comp[r][0], total[r]);
        }
        SAME_ROWS(comp[0], comp[1], "the components", k->name, trial);
        SAME_ROWS(total[0], total[1], "the total", k->name, trial);
    }
}

/* bench's W3 floor step: the same loop compiled per ISA gives the reference's bits; its table
 * delta is within 5e-7 of N(d1) (d1 from -9 to 9: both ends of the table clamped). */
ParameterizedTest(mcr_isa *isa, strat_kernels, hedge_floor_is_bitwise_the_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(23, 0);
    static double table[4097];
    for (int j = 0; j < 4097; j++)
        table[j] = 0.5 * erfc(-(-8.0 + j / 256.0) * M_SQRT1_2);
    for (int trial = 0; trial < 16; trial++) {
        mcr_floor_terms c = {.rate = trial % 3 ? 0.0 : 1e-4, .fee_rate = 5e-4,
                             .trade = trial % 4 != 3, .log_k = log(100.0), .drift = 0.01,
                             .inv_vol_sq = uniform(&g, 0.5, 30), .table = table,
                             .table_lo = -8, .table_scale = 256, .table_n = 4097};
        double s[NP], log_s[NP], rows[2][4][NP];
        for (int i = 0; i < NP; i++) {
            double d1 = uniform(&g, -9, 9); /* ln S from d1 */
            log_s[i] = d1 / c.inv_vol_sq - c.drift + c.log_k;
            s[i] = exp(log_s[i]);
            rows[0][0][i] = rows[1][0][i] = s[i] * uniform(&g, 0.98, 1.02); /* s_prev */
            rows[0][1][i] = rows[1][1][i] = uniform(&g, 0, 1);              /* q */
            rows[0][2][i] = rows[1][2][i] = uniform(&g, -5, 5);             /* gains */
            rows[0][3][i] = rows[1][3][i] = uniform(&g, -1, 0);             /* costs */
        }
        for (int r = 0; r < 2; r++)
            (r ? k : ref)->strat->hedge_floor(&c, s, log_s, rows[r][0], rows[r][1], rows[r][2],
                                               rows[r][3]);
        SAME_ROWS(rows[0], rows[1], "the floor's rows", k->name, trial);
        for (int i = 0; i < NP && c.trade; i++) {
            double d1 = (log_s[i] - c.log_k + c.drift) * c.inv_vol_sq;
            cr_assert_leq(fabs(rows[0][1][i] - 0.5 * erfc(-d1 * M_SQRT1_2)), 5e-7,
                          "trial %d path %d: d1 %g", trial, i, d1);
        }
    }
}
