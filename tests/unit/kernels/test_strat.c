/* The strategy kernels of every vector ISA against the scalar reference (kernels/strat.h) on
 * random blocks that reach every select: the position kernels (carry, trade, margin check) must
 * be bitwise the reference's (same IEEE operations in the same order, no contraction); the
 * option kernels, whose exp and normal CDF are the vector ones, within 1e-12 relative (delta
 * relative to the leg's quantity, as a put's N(d1) - 1 cancels). ISAs the CPU lacks are skipped. */
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
