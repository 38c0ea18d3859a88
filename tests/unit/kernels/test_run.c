/* The fused run of a units position (kernels/strat.h's run_units) of every vector ISA against the
 * scalar reference, which is the per-step kernels one after another as the engine steps a part:
 * random blocks stepped through runs of 1 to 32 steps, a linear perpetual under isolated margin
 * (one to three maintenance tiers, the fee or the exchange's rule, a depeg window) with funding
 * on some steps, collateral yield, costs with and without impact, a trade schedule, a band,
 * re-opening and cross hedges; and spot with financing and a borrow fee. Prices move up to 25% a
 * step and accounts start thin, so paths are liquidated, re-open and trade back. Every row must
 * be bitwise the reference's; the counts of what happened show the events were reached. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <string.h>

#include "model_mc.h"

#define NP MCR_BLOCK_PATHS
#define STEPS MCR_STRAT_ROWS

static struct criterion_test_params vector_isas(void)
{
    static mcr_isa isas[] = {MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}
ParameterizedTestParameters(run_kernel, is_bitwise_the_reference) { return vector_isas(); }

static double uniform(mcr_pcg32 *g, double lo, double hi)
{
    return lo + (hi - lo) * ((mcr_pcg32_next(g) + 0.5) * 0x1p-32);
}

/* A part's rows with their own storage. */
typedef struct part {
    double q[NP], account[NP], hedge[NP], funding[NP], yield[NP], fees[NP], slippage[NP],
        financing[NP], traded[NP], insurance[NP], seized[NP];
    uint32_t trades[NP], liquidations[NP];
    int32_t liq_step[NP], liq_first[NP];
} part;

static mcr_run_rows rows_of(part *o)
{
    return (mcr_run_rows){
        .u = {.q = o->q, .account = o->account, .hedge = o->hedge, .funding = o->funding,
              .yield = o->yield, .fees = o->fees, .slippage = o->slippage,
              .financing = o->financing, .traded = o->traded, .trades = o->trades,
              .liq_step = o->liq_step},
        .insurance = o->insurance, .seized = o->seized, .liq_step = o->liq_step,
        .liq_first = o->liq_first, .liquidations = o->liquidations};
}

/* Flat, long and short positions (zeros exact), thin or empty accounts, some paths liquidated
 * a few steps ago. */
static void random_part(mcr_pcg32 *g, part *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < NP; i++) {
        int kind = (int)(mcr_pcg32_next(g) % 5);
        o->q[i] = kind == 0 ? 0.0 : uniform(g, -3, 3);
        o->account[i] = kind == 1 ? 0.0 : uniform(g, 0, 40);
        o->hedge[i] = uniform(g, -50, 50);
        o->fees[i] = uniform(g, -3, 0);
        o->traded[i] = uniform(g, 0, 1e3);
        o->trades[i] = mcr_pcg32_next(g) % 50;
        o->liq_step[i] = o->liq_first[i] = kind == 2 ? (int32_t)(mcr_pcg32_next(g) % 8) : -1;
        o->liquidations[i] = kind == 2;
    }
}

#define SAME(field)                                                                            \
    cr_assert_eq(memcmp(got.field, want.field, sizeof want.field), 0,                         \
                 "%s trial %d (steps %d..%d): " #field " differs from the reference", k->name, \
                 trial, r.t0 + 1, r.t0 + r.n)

ParameterizedTest(mcr_isa *isa, run_kernel, is_bitwise_the_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_pcg32 g = mcr_pcg32_for_path(23, 0);
    const double maintenance[3] = {0.05, 0.08, 0.12}, amount[3] = {0, 2, 8};
    enum { STRIDE = 2 * NP }; /* two assets' rows: the traded one and the book's (cross) */
    static double price[STEPS * STRIDE], prev[NP], delta[STEPS * NP];
    int liquidated = 0, reopened = 0, traded = 0, tiers_bind = 0;
    for (int trial = 0; trial < 96; trial++) {
        part want, got, start;
        random_part(&g, &start);
        got = want = start;
        int steps = 1 + (int)(mcr_pcg32_next(&g) % STEPS);
        for (int i = 0; i < NP; i++) {
            prev[i] = 100.0 * uniform(&g, 0.8, 1.2);
            double s = prev[i], sa = 100.0;
            for (int j = 0; j < steps; j++) { /* up to 25% a step: liquidations */
                s *= uniform(&g, 0.75, 1.25);
                sa *= uniform(&g, 0.9, 1.1);
                price[j * STRIDE + i] = s;
                price[j * STRIDE + NP + i] = sa;
                delta[j * NP + i] = uniform(&g, -2, 2);
            }
        }
        mcr_run_terms r = {
            .n = steps, .t0 = 10 + trial, .stride = STRIDE, .linear = trial % 4 != 3,
            .banded = trial % 3 == 1, .reopen_steps = trial % 5 < 2 ? 1 + trial % 3 : 0,
            .ratio = uniform(&g, 0.5, 1.5), .beta = uniform(&g, 0.5, 1.5), .band = 0.3,
            .band_pct = trial % 2 ? 0.1 : 0.0, .s = price, .s_prev = prev,
            .sa = trial % 6 == 5 ? price + NP : NULL, .delta = delta,
            .c = {.fee_rate = 5e-4, .slip_rate = trial % 2 ? 1e-4 : 0.0,
                  .impact = trial % 4 < 2 ? 1e-3 : 0.0, .impact_notional = 1e4,
                  .initial = trial % 7 ? 0.1 : 0.0, .exchange = trial % 3 == 0,
                  .liquidation_fee = 0.01, .maintenance = maintenance, .amount = amount,
                  .n_tiers = 1 + trial % 3}};
        r.check = r.linear;
        r.c.top_up = r.linear && trial % 5 != 4;
        tiers_bind += r.c.n_tiers > 1;
        for (int j = 0; j < steps; j++) {
            r.g[j] = uniform(&g, 0.99, 1.01);
            r.yield[j] = trial % 2 ? uniform(&g, 0, 1e-4) : 0.0;
            r.collateral[j] = j % 5 == 4 ? 0.3 : 1.0; /* a depeg */
            r.financing[j] = r.linear ? 0.0 : 1e-5;
            r.borrow[j] = r.linear || trial % 2 ? 0.0 : 2e-5;
            r.trade[j] = mcr_pcg32_next(&g) % 3 != 0;
            r.reopen[j] = r.reopen_steps > 0 && j < steps - 1;
            r.rate[j] = r.linear && j % 3 == 0 ? r.rates[j] : NULL;
            for (int i = 0; i < NP; i++)
                r.rates[j][i] = uniform(&g, -1e-3, 1e-3);
        }
        mcr_run_rows rw = rows_of(&want), rg = rows_of(&got);
        ref->strat->run_units(&r, &rw);
        k->strat->run_units(&r, &rg);
        SAME(q);
        SAME(account);
        SAME(hedge);
        SAME(funding);
        SAME(yield);
        SAME(fees);
        SAME(slippage);
        SAME(financing);
        SAME(traded);
        SAME(insurance);
        SAME(seized);
        SAME(trades);
        SAME(liquidations);
        SAME(liq_step);
        SAME(liq_first);
        for (int i = 0; i < NP; i++) {
            liquidated += want.liquidations[i] > start.liquidations[i];
            reopened += want.liq_step[i] < 0 && want.liquidations[i] > 0;
            traded += want.trades[i] > start.trades[i];
        }
    }
    cr_assert_gt(liquidated, 100, "liquidated paths: %d", liquidated);
    cr_assert_gt(reopened, 50, "re-opened paths: %d", reopened);
    cr_assert_gt(traded, 1000, "paths that traded: %d", traded);
    cr_assert_gt(tiers_bind, 0);
}
