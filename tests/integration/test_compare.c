/* Paired comparisons and sweeps through the run driver (run/run.h): two identical strategies
 * differ by exactly 0 with se 0; the diff figures are bitwise the same at 1 and 2 threads; the
 * paired se's agree with the spread of the differences over 200 independent seeds; a sweep over
 * 4 strikes gives bitwise the per-path P&L and figures of the 4 strategies written by hand; under
 * qmc: sobol the paired se's come from the randomisations (by hand on the per-path P&L) and agree
 * with the spread over 100 seeds. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "risk/paired.h"
#include "run/run.h"
#include "strategies/strategy.h"
#include "test_run.h"

/* A spot book with a short call, so a delta hedge rebalances and its P&L is not linear in the
 * book's. */
#define MARKET(paths, seed)                                                                        \
    "run: {paths: " #paths ", seed: " seed ", levels: [0.95, 0.99]}\n"                              \
    "horizon: {days: 30, steps: 4}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}]\n"                         \
    "portfolio:\n"                                                                                 \
    "  - {asset: BTC, instrument: spot, quantity: 1}\n"                                            \
    "  - {asset: BTC, instrument: call, quantity: -1, strike: 110, expiry_days: 30}\n"

Test(compare, identical_strategies_differ_by_zero)
{
    mcr_result r;
    run_yaml(MARKET(20000, "3") "strategies:\n"
             "  - {name: a, type: delta_hedge, instrument: spot, hedge_ratio: 0.5}\n"
             "  - {name: b, type: delta_hedge, instrument: spot, hedge_ratio: 0.5}\n"
             "  - {name: c, type: none}\n",
             2, &r);
    const mcr_diff *d = &mcr_result_cell(&r, 0, 1)->diff;
    cr_assert_str_eq(d->baseline, "a");
    cr_assert_eq(d->n_levels, 2);
    cr_assert(d->mean == 0 && d->mean_se == 0);
    for (int l = 0; l < 2; l++)
        cr_assert(d->risk[l].var == 0 && d->risk[l].var_se == 0 && d->risk[l].cvar == 0 &&
                      d->risk[l].cvar_se == 0,
                  "level %d", l);
    /* c against a: not zero, and pairing lowers every se */
    d = &mcr_result_cell(&r, 0, 2)->diff;
    cr_assert(d->mean_se > 0 && d->mean_se < d->mean_se_unpaired);
    cr_assert(d->risk[1].cvar_se > 0 && d->risk[1].cvar_se < d->risk[1].cvar_se_unpaired);
    mcr_result_free(&r);
}

Test(compare, same_at_any_thread_count)
{
    static const char yaml[] = MARKET(30000, "5") "strategies:\n"
                               "  - {name: none, type: none}\n"
                               "  - {name: dh, type: delta_hedge, instrument: spot}\n"
                               "  - {name: put, type: protective_put, strike: 0.95}\n";
    mcr_result a, b;
    run_yaml(yaml, 1, &a);
    run_yaml(yaml, 2, &b);
    for (int t = 0; t < 3; t++)
        cr_assert(!memcmp(&mcr_result_cell(&a, 0, t)->diff, &mcr_result_cell(&b, 0, t)->diff,
                          sizeof(mcr_diff)),
                  "strategy %d", t);
    mcr_result_free(&a);
    mcr_result_free(&b);
}

/* 200 seeds of 16384 paths: the mean over the seeds of each reported se against the sd of the
 * difference over the seeds. With 200 seeds the sd is known to 5% (1 / sqrt(2 x 199)), so 15% is
 * 3 of its sd; the VaR's batch means (32 blocks of 512 paths, 25 tail paths at 95%) have the
 * small-block bias of a quantile, which the tolerance must also hold. */
Test(compare, paired_se_matches_the_spread_over_seeds, .timeout = 120)
{
    enum { seeds = 200 };
    double sum[3] = {0}, sum2[3] = {0}, se[3] = {0}, unpaired[3] = {0};
    for (int s = 0; s < seeds; s++) {
        char seed[16], yaml[2048];
        snprintf(seed, sizeof seed, "%d", 1000 + s);
        snprintf(yaml, sizeof yaml, "%s%s%s%s",
                 "run: {paths: 16384, levels: [0.95], seed: ", seed, "}\n",
                 "horizon: {days: 30, steps: 4}\n"
                 "market:\n"
                 "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}]\n"
                 "portfolio:\n"
                 "  - {asset: BTC, instrument: spot, quantity: 1}\n"
                 "  - {asset: BTC, instrument: call, quantity: -1, strike: 110, expiry_days: 30}\n"
                 "strategies:\n"
                 "  - {name: none, type: none}\n"
                 "  - {name: dh, type: delta_hedge, instrument: spot, hedge_ratio: 0.5}\n");
        mcr_result r;
        run_yaml(yaml, 2, &r);
        const mcr_diff *d = &mcr_result_cell(&r, 0, 1)->diff;
        double x[3] = {d->mean, d->risk[0].var, d->risk[0].cvar};
        double e[3] = {d->mean_se, d->risk[0].var_se, d->risk[0].cvar_se};
        double u[3] = {d->mean_se_unpaired, d->risk[0].var_se_unpaired,
                       d->risk[0].cvar_se_unpaired};
        for (int k = 0; k < 3; k++) {
            sum[k] += x[k];
            sum2[k] += x[k] * x[k];
            se[k] += e[k] / seeds;
            unpaired[k] += u[k] / seeds;
        }
        mcr_result_free(&r);
    }
    static const char *const what[3] = {"mean", "VaR95", "CVaR95"};
    for (int k = 0; k < 3; k++) {
        double mean = sum[k] / seeds;
        double spread = sqrt((sum2[k] - seeds * mean * mean) / (seeds - 1));
        cr_log_info("d%s: se %.5f, spread %.5f, unpaired se %.5f", what[k], se[k], spread,
                    unpaired[k]);
        cr_assert(fabs(se[k] / spread - 1) < 0.15, "d%s: se %g against spread %g", what[k],
                  se[k], spread);
        cr_assert(unpaired[k] > 1.5 * se[k], "d%s: pairing gains too little", what[k]);
    }
}

/* A sweep over 4 strikes against the same 4 strategies written by hand: every per-path P&L and
 * every figure bitwise equal. */
Test(compare, sweep_equals_hand_written_strategies)
{
    mcr_result s, h;
    run_yaml(MARKET(5000, "11") "strategies:\n"
             "  - {name: none, type: none}\n"
             "  - {name: put, type: protective_put, strike: 0.9}\n"
             "sweep: [{strategy: put, key: strike, values: [0.8, 0.85, 0.9, 0.95]}]\n",
             2, &s);
    run_yaml(MARKET(5000, "11") "strategies:\n"
             "  - {name: none, type: none}\n"
             "  - {name: p80, type: protective_put, strike: 0.8}\n"
             "  - {name: p85, type: protective_put, strike: 0.85}\n"
             "  - {name: p90, type: protective_put, strike: 0.9}\n"
             "  - {name: p95, type: protective_put, strike: 0.95}\n",
             2, &h);
    cr_assert_eq(s.n_strategies, 5);
    for (int t = 0; t < 5; t++) {
        const mcr_strategy_result *a = mcr_result_cell(&s, 0, t), *b = mcr_result_cell(&h, 0, t);
        cr_assert(!memcmp(mcr_cell_pnl(a), mcr_cell_pnl(b), 5000 * sizeof(double)), "%s",
                  a->strategy);
        cr_assert(!memcmp(&a->summary, &b->summary, sizeof a->summary), "%s", a->strategy);
        cr_assert(!memcmp(&a->diff.risk, &b->diff.risk, sizeof a->diff.risk), "%s",
                  a->strategy);
    }
    cr_assert_str_eq(mcr_result_cell(&s, 0, 2)->strategy, "put[strike=0.85]");
    cr_assert_str_eq(mcr_result_cell(&s, 0, 2)->swept.from, "put");
    mcr_result_free(&s);
    mcr_result_free(&h);
}

/* qmc: sobol, 16 randomisations (of paths / 16 paths each): a spot book with a short call
 * against a delta hedge of half its delta. */
#define QMC_YAML(paths, seed)                                                                      \
    "run: {paths: " paths ", levels: [0.95], seed: " seed ",\n"                                    \
    "      variance_reduction: {qmc: sobol, randomisations: 16}}\n"                                \
    "horizon: {days: 30, steps: 8}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}]\n"                         \
    "portfolio:\n"                                                                                 \
    "  - {asset: BTC, instrument: spot, quantity: 1}\n"                                            \
    "  - {asset: BTC, instrument: call, quantity: -1, strike: 110, expiry_days: 30}\n"             \
    "strategies:\n"                                                                                \
    "  - {name: none, type: none}\n"                                                               \
    "  - {name: dh, type: delta_hedge, instrument: spot, hedge_ratio: 0.5}\n"

/* sd / sqrt(n) of x[0 .. n). */
static double se_of_values(const double *x, int n)
{
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++)
        m += x[i] / n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    return sqrt(ss / (n - 1) / n);
}

/* The se's by hand: randomisation g holds the blocks of 64 paths b with b mod 16 = g; its mean,
 * VaR and CVaR differences, and their spread over the 16. */
Test(compare, qmc_se_is_the_spread_over_the_randomisations)
{
    mcr_result r;
    run_yaml(QMC_YAML("2048", "7"), 2, &r);
    const mcr_strategy_result *a = mcr_result_cell(&r, 0, 1), *b = mcr_result_cell(&r, 0, 0);
    const double *pa = mcr_cell_pnl(a), *pb = mcr_cell_pnl(b);
    double fig[3][16], xa[128], xb[128], scratch[128];
    for (int g = 0; g < 16; g++) {
        int k = 0;
        for (int blk = g; blk < 32; blk += 16)
            for (int i = blk * 64; i < blk * 64 + 64; i++, k++) {
                xa[k] = pa[i];
                xb[k] = pb[i];
            }
        double ma = 0, mb = 0, va, ca, vb, cb;
        for (int i = 0; i < 128; i++) {
            ma += xa[i] / 128;
            mb += xb[i] / 128;
        }
        mcr_tail_var_cvar(xa, 128, 0.95, scratch, &va, &ca);
        mcr_tail_var_cvar(xb, 128, 0.95, scratch, &vb, &cb);
        fig[0][g] = ma - mb;
        fig[1][g] = va - vb;
        fig[2][g] = ca - cb;
    }
    const mcr_diff *d = &a->diff;
    double want[3] = {se_of_values(fig[0], 16), se_of_values(fig[1], 16),
                      se_of_values(fig[2], 16)};
    double got[3] = {d->mean_se, d->risk[0].var_se, d->risk[0].cvar_se};
    for (int k = 0; k < 3; k++)
        cr_assert(fabs(got[k] - want[k]) <= 1e-9 * want[k] && want[k] > 0, "%d: %g vs %g", k,
                  got[k], want[k]);
    /* the baseline against itself: 0 with se 0 */
    cr_assert(b->diff.mean == 0 && b->diff.mean_se == 0 && b->diff.risk[0].cvar_se == 0);
    mcr_result_free(&r);
}

/* The randomisation se's against the spread of the differences over 100 seeds of 8192 paths
 * (512 a randomisation, 25 of them beyond the VaR95): each seed's se comes from 16
 * randomisations (about 18% relative sd), their mean over 100 seeds to 2%; the spread of 100
 * values is known to 7%, so 25% is 3.5 sd. With few tail paths a randomisation's own VaR is
 * coarse and the VaR se comes out low (at 128 paths a randomisation, 6 in the tail: 27% below the
 * spread), as README "Variance reduction" says. The i.i.d. paired se of the per-path differences,
 * which ignores the randomisations, overstates the mean's many times. */
Test(compare, qmc_se_matches_the_spread_over_seeds, .timeout = 120)
{
    enum { seeds = 100 };
    double sum[3] = {0}, sum2[3] = {0}, se[3] = {0}, iid = 0;
    for (int s = 0; s < seeds; s++) {
        char seed[16], yaml[2048];
        snprintf(seed, sizeof seed, "%d", 500 + s);
        snprintf(yaml, sizeof yaml, QMC_YAML("8192", "%s"), seed);
        mcr_result r;
        run_yaml(yaml, 2, &r);
        const mcr_strategy_result *a = mcr_result_cell(&r, 0, 1), *b = mcr_result_cell(&r, 0, 0);
        const mcr_diff *d = &a->diff;
        double x[3] = {d->mean, d->risk[0].var, d->risk[0].cvar};
        double e[3] = {d->mean_se, d->risk[0].var_se, d->risk[0].cvar_se};
        for (int k = 0; k < 3; k++) {
            sum[k] += x[k];
            sum2[k] += x[k] * x[k];
            se[k] += e[k] / seeds;
        }
        static double diff[8192];
        for (int i = 0; i < 8192; i++)
            diff[i] = mcr_cell_pnl(a)[i] - mcr_cell_pnl(b)[i];
        iid += se_of_values(diff, 8192) / seeds;
        mcr_result_free(&r);
    }
    static const char *const what[3] = {"mean", "VaR95", "CVaR95"};
    for (int k = 0; k < 3; k++) {
        double mean = sum[k] / seeds;
        double spread = sqrt((sum2[k] - seeds * mean * mean) / (seeds - 1));
        cr_log_info("qmc d%s: se %.5f, spread %.5f", what[k], se[k], spread);
        if (k == 0)
            cr_log_info("qmc dmean: i.i.d. paired se %.5f", iid);
        cr_assert(fabs(se[k] / spread - 1) < 0.25, "d%s: se %g against spread %g", what[k],
                  se[k], spread);
    }
    double mean = sum[0] / seeds, spread = sqrt((sum2[0] - seeds * mean * mean) / (seeds - 1));
    cr_assert(iid > 5 * spread, "i.i.d. se %g, spread %g", iid, spread);
}
