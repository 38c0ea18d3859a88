/* AVX-512 against the scalar reference and AVX2 on the same inputs, one test per kernel family
 * (the AVX-512 kernels were first run on hardware in issue 11; the per-ISA suites check each
 * vector ISA against the reference alone). Each test feeds the three entries of the kernel table
 * the same blocks. Against the reference, AVX-512 keeps the family's contract: bitwise where AVX2
 * is bitwise (PCG32 outputs, uniforms, the strategy kernels of positions, events and block ends,
 * bench's floor step), else within 1e-12 relative (whatever takes a log, exp or normal CDF:
 * normals, the path kernels and their hooks, the vector math, the option kernels). Against AVX2
 * it is bitwise everywhere: both compile the same sources with the same SLEEF algorithms and the
 * same fma contraction, so a result does not depend on which of the two a machine has. Skips
 * unless the CPU runs AVX2 and AVX-512. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/strategy.h"
#include "model_mc.h"
#include "scenario/market.h"

#define NP MCR_BLOCK_PATHS
#define TOL 1e-12

enum { REF, AVX2, AVX512, N_ISAS };

/* The three kernel tables, or skip. */
static void three(const mcr_kernels *k[N_ISAS])
{
    k[REF] = mcr_kernels_of(MCR_ISA_SCALAR);
    k[AVX2] = mc_require_isa(MCR_ISA_AVX2);
    k[AVX512] = mc_require_isa(MCR_ISA_AVX512);
}

/* Largest |got - want| / max(|want|, floor) over n values; NaN against anything but NaN, or a
 * non-finite value against another, is infinite. */
static double max_rel(const double *got, const double *want, size_t n, double floor)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(got[i]) && isnan(want[i]))
            continue;
        if (!isfinite(got[i]) || !isfinite(want[i])) {
            if (got[i] != want[i])
                return INFINITY;
            continue;
        }
        m = fmax(m, fabs(got[i] - want[i]) / fmax(fabs(want[i]), floor));
    }
    return m;
}

/* AVX-512's values v[AVX512] within TOL of the reference's and bitwise AVX2's. */
static void expect_close(double *const v[N_ISAS], size_t n, double floor, const char *what)
{
    double to_ref = max_rel(v[AVX512], v[REF], n, floor);
    cr_expect_leq(to_ref, TOL, "%s: avx512 vs scalar %g", what, to_ref);
    cr_expect_eq(memcmp(v[AVX512], v[AVX2], n * sizeof(double)), 0,
                 "%s: avx512 differs from avx2 (max relative %g)", what,
                 max_rel(v[AVX512], v[AVX2], n, floor));
}

/* AVX-512's bytes equal to the reference's and to AVX2's. */
static void expect_same(void *const v[N_ISAS], size_t size, const char *what)
{
    cr_expect_eq(memcmp(v[AVX512], v[REF], size), 0, "%s: avx512 differs from scalar", what);
    cr_expect_eq(memcmp(v[AVX512], v[AVX2], size), 0, "%s: avx512 differs from avx2", what);
}

/* ---- draws ---- */

/* Raw outputs and uniforms bitwise, normals (AS241, Box-Muller) within 1e-12 of max(|z|, 1), over
 * two calls of uneven length on streams far from zero; the generators end in the same state. */
Test(avx512, draws)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    enum { first = 7, rest = 994, per = first + rest, n = per * NP };
    static uint32_t raw[N_ISAS][n];
    static double u[N_ISAS][n], z[N_ISAS][n], bm[N_ISAS][n];
    static uint64_t state[N_ISAS][4][NP];
    for (int r = 0; r < N_ISAS; r++) {
        mcr_block b;
        mcr_block_init(&b, 99, 1u << 20, 0.0);
        k[r]->uniform32(&b, raw[r], first);
        k[r]->uniform32(&b, raw[r] + first * NP, rest);
        memcpy(state[r][0], b.rng_state, sizeof b.rng_state);
        k[r]->uniform(&b, u[r], first);
        k[r]->uniform(&b, u[r] + first * NP, rest);
        memcpy(state[r][1], b.rng_state, sizeof b.rng_state);
        k[r]->normal(&b, z[r], first);
        k[r]->normal(&b, z[r] + first * NP, rest);
        memcpy(state[r][2], b.rng_state, sizeof b.rng_state);
        mcr_normal_fn box_muller = mcr_box_muller_of(r == REF    ? MCR_ISA_SCALAR
                                                     : r == AVX2 ? MCR_ISA_AVX2
                                                                 : MCR_ISA_AVX512);
        box_muller(&b, bm[r], per - 1); /* pairs */
        memcpy(state[r][3], b.rng_state, sizeof b.rng_state);
    }
    expect_same((void *[]){raw[REF], raw[AVX2], raw[AVX512]}, sizeof raw[0], "uniform32");
    expect_same((void *[]){u[REF], u[AVX2], u[AVX512]}, sizeof u[0], "uniform");
    expect_same((void *[]){state[REF], state[AVX2], state[AVX512]}, sizeof state[0],
                "generator states");
    expect_close((double *[]){z[REF], z[AVX2], z[AVX512]}, n, 1.0, "normal (AS241)");
    expect_close((double *[]){bm[REF], bm[AVX2], bm[AVX512]}, (per - 1) * NP, 1.0,
                 "normal (Box-Muller)");
}

/* ---- path kernels ---- */

#define STEPS 365

static const mcr_model gbm80 = {.type = MCR_MODEL_GBM, .gbm = {.mu = 0.05, .sigma = 0.8}};
static const mcr_model w2 = {.type = MCR_MODEL_MERTON,
                             .merton = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10.0,
                                        .jump_mean = -0.05, .jump_std = 0.10}};
static const mcr_model busy = {.type = MCR_MODEL_MERTON,
                               .merton = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 200.0,
                                          .jump_mean = -0.05, .jump_std = 0.10}};
static const mcr_model kou10 = {.type = MCR_MODEL_KOU,
                                .kou = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10.0,
                                        .p_up = 0.4, .eta_up = 10.0, .eta_down = 8.0}};
static const mcr_model heston = {.type = MCR_MODEL_HESTON,
                                 .heston = {.mu = 0.0, .v0 = 0.04, .kappa = 1.0, .theta = 0.04,
                                            .xi = 2.0, .rho = -0.7}};
static const mcr_model bates = {.type = MCR_MODEL_BATES,
                                .bates = {.heston = {.mu = 0.0, .v0 = 0.5, .kappa = 2.0,
                                                     .theta = 0.5, .xi = 1.5, .rho = 0.3},
                                          .jump_intensity = 20.0, .jump_mean = -0.08,
                                          .jump_std = 0.15}};
static const mcr_model *const models[] = {&gbm80, &w2, &busy, &kou10, &heston, &bates};
#define N_MODELS ((int)(sizeof models / sizeof models[0]))

/* A trace of ln S: prices within TOL of the reference's, ln S bitwise AVX2's. */
static void expect_trace(double *const tr[N_ISAS], size_t n, const char *what)
{
    double d = mc_max_rel(tr[AVX512], tr[REF], n);
    cr_expect_leq(d, TOL, "%s: avx512 vs scalar %g", what, d);
    cr_expect_eq(memcmp(tr[AVX512], tr[AVX2], n * sizeof(double)), 0,
                 "%s: avx512 differs from avx2 (max relative %g)", what,
                 mc_max_rel(tr[AVX512], tr[AVX2], n));
}

/* What a block leaves: ln S, v, tilt sums, generator states, and the trace of every step. */
typedef struct outcome {
    double x[NP], v[NP], sum[NP];
    uint64_t state[NP];
    double trace[STEPS * NP];
} outcome;

static void keep(const mcr_block *b, outcome *o)
{
    memcpy(o->x, b->log_price, sizeof o->x);
    memcpy(o->v, b->variance, sizeof o->v);
    memcpy(o->sum, b->tilt_sum, sizeof o->sum);
    memcpy(o->state, b->rng_state, sizeof o->state);
}

/* ln S and v of o[AVX512] against o[REF] (prices relative, from log prices; v relative to
 * max(v, 1e-3) as the heston suite does) and bitwise o[AVX2]; the generators bitwise. */
static void expect_paths(outcome o[N_ISAS], int steps, const char *what)
{
    char label[96];
    snprintf(label, sizeof label, "%s trace", what);
    expect_trace((double *[]){o[REF].trace, o[AVX2].trace, o[AVX512].trace},
                 (size_t)steps * NP, label);
    snprintf(label, sizeof label, "%s variance", what);
    expect_close((double *[]){o[REF].v, o[AVX2].v, o[AVX512].v}, NP, 1e-3, label);
    snprintf(label, sizeof label, "%s generators", what);
    expect_same((void *[]){o[REF].state, o[AVX2].state, o[AVX512].state}, sizeof o[0].state,
                label);
}

/* GBM (its own kernel and the model kernel), Merton (W2 and 0.55 jumps a step), Kou, Heston,
 * Bates: a year of daily steps in two uneven calls. */
Test(avx512, path_kernels)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    static outcome o[N_ISAS];
    for (int m = -1; m < N_MODELS; m++) {
        const mcr_model *model = m < 0 ? &gbm80 : models[m];
        mcr_model_step c = mcr_model_step_of(model, 1.0 / STEPS);
        mcr_gbm_step g = mcr_gbm_step_of(&gbm80.gbm, 1.0 / STEPS);
        for (int r = 0; r < N_ISAS; r++) {
            mcr_block b;
            mcr_block_init_asset(&b, &c, 42, 0, 640, log(100.0));
            if (m < 0) {
                k[r]->gbm(&b, &g, 100, o[r].trace);
                k[r]->gbm(&b, &g, STEPS - 100, o[r].trace + 100 * NP);
            } else {
                k[r]->model(&b, &c, 100, o[r].trace);
                k[r]->model(&b, &c, STEPS - 100, o[r].trace + 100 * NP);
            }
            keep(&b, &o[r]);
        }
        expect_paths(o, STEPS, m < 0 ? "gbm kernel" : mcr_model_name(model->type));
    }
}

/* The two hooks on every model: the normal shift (tilt -0.7, its sums too) and given shocks. */
Test(avx512, tilt_and_shocks)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    enum { steps = 40 };
    static double shocks[steps * NP];
    for (int j = 0; j < steps * NP; j++)
        shocks[j] = 2.0 * sin(0.37 * j + 0.1);
    static outcome o[N_ISAS];
    for (int hook = 0; hook < 2; hook++)
        for (int m = 0; m < N_MODELS; m++) {
            mcr_model_step c = mcr_model_step_of(models[m], 1.0 / STEPS);
            for (int r = 0; r < N_ISAS; r++) {
                mcr_block b;
                mcr_block_init_asset(&b, &c, 77, 0, 128, log(100.0));
                b.tilt_on = hook == 0;
                b.tilt = hook == 0 ? -0.7 : 0.0;
                b.shocks = hook == 1 ? shocks : NULL;
                k[r]->model(&b, &c, 17, o[r].trace);
                k[r]->model(&b, &c, steps - 17, o[r].trace + 17 * NP);
                keep(&b, &o[r]);
            }
            char what[64];
            snprintf(what, sizeof what, "%s, %s", mcr_model_name(c.type),
                     hook ? "given shocks" : "tilt");
            expect_paths(o, steps, what);
            if (hook == 0)
                expect_close((double *[]){o[REF].sum, o[AVX2].sum, o[AVX512].sum}, NP, 1.0,
                             "tilt sums");
        }
}

/* Six correlated assets, one of every model, and a pegged asset on the Merton one (jumps loaded
 * by the drawdown): the whole trace. Then the peg kernel alone on the reference's trace. */
Test(avx512, correlated_and_pegged)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    enum { n = 7 };
    const double corr[6][6] = {{1.0, 0.6, 0.5, 0.4, 0.3, 0.2}, {0.6, 1.0, 0.5, 0.3, 0.2, 0.1},
                               {0.5, 0.5, 1.0, 0.2, -0.1, 0.0}, {0.4, 0.3, 0.2, 1.0, 0.7, 0.3},
                               {0.3, 0.2, -0.1, 0.7, 1.0, 0.4}, {0.2, 0.1, 0.0, 0.3, 0.4, 1.0}};
    double chol[n * n] = {0};
    for (int i = 0; i < 6; i++) /* Cholesky of corr into the leading 6 x 6 */
        for (int j = 0; j <= i; j++) {
            double s = corr[i][j];
            for (int l = 0; l < j; l++)
                s -= chol[i * n + l] * chol[j * n + l];
            chol[i * n + j] = i == j ? sqrt(s) : s / chol[j * n + j];
        }
    chol[6 * n + 6] = 1.0;
    mcr_model_step steps[n];
    for (int a = 0; a < 6; a++)
        steps[a] = mcr_model_step_of(models[a], 1.0 / STEPS);
    steps[6] = steps[0];
    mcr_assets_step c;
    mcr_assets_step_init(&c, n, steps, chol, n);
    mcr_peg_params pp = {.jump_intensity = 30, .jump_size = 0.05, .recovery_days = 10,
                         .crash_loading = 8};
    mcr_peg_step ps = mcr_peg_step_of(&pp, 1.0 / STEPS);
    mcr_assets_step_peg(&c, 6, 1, &ps, 0.99);
    const double log_s0[n] = {4.6, 4.6, 3.0, 2.0, 1.0, 0.0, 4.59};
    size_t len = (size_t)STEPS * n * NP;
    double *tr[N_ISAS];
    for (int r = 0; r < N_ISAS; r++) {
        tr[r] = malloc(sizeof(double) * len);
        cr_assert_not_null(tr[r]);
        static mcr_assets_block b;
        mcr_assets_block_init(&b, &c, 42, 640, log_s0);
        k[r]->assets(&b, &c, 150, tr[r]);
        k[r]->assets(&b, &c, STEPS - 150, tr[r] + (size_t)150 * n * NP);
    }
    expect_trace(tr, len, "7 assets");
    /* the peg kernel alone, on the reference's trace of the Merton asset (rows n * NP apart) */
    static outcome o[N_ISAS];
    for (int r = 0; r < N_ISAS; r++) {
        mcr_block peg;
        mcr_block_init_asset(&peg, &steps[6], 42, 6, 640, log_s0[6]);
        for (int i = 0; i < NP; i++) {
            peg.peg[i] = 0.99;
            peg.peg_log_max[i] = log_s0[1];
        }
        double *out = tr[r]; /* reused: trace rows of asset 0 as the output's */
        k[r]->peg(&peg, &ps, tr[REF] + NP, out, STEPS, n * NP);
        for (int t = 0; t < STEPS; t++)
            memcpy(o[r].trace + t * NP, out + (size_t)t * n * NP, sizeof(double) * NP);
        keep(&peg, &o[r]);
    }
    expect_paths(o, STEPS, "the peg kernel");
    for (int r = 0; r < N_ISAS; r++)
        free(tr[r]);
}

/* The data models on the shipped BTC file: historical, bootstrap and fhs, in whole days and with
 * a day split into 24 steps (the Brownian bridge's normals), and two assets bootstrapping the
 * same dates. */
Test(avx512, data_models)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    static const char *const kinds[] = {
        "{type: historical, data: %s, start: 2016-01-01}",
        "{type: bootstrap, data: %s, block_days: 5, start: 2015-09-25}",
        "{type: fhs, data: %s, start: 2015-09-25, end: 2025-09-24}",
    };
    static outcome o[N_ISAS];
    for (int kind = 0; kind < 3; kind++)
        for (int split = 0; split < 2; split++) {
            char model[256], yaml[1024];
            snprintf(model, sizeof model, kinds[kind], MCR_SOURCE_DIR "/data/btc_usd_daily.csv");
            int days = split ? 10 : 300, steps = split ? 240 : 300;
            snprintf(yaml, sizeof yaml,
                     "run: {paths: 64, seed: 11}\nhorizon: {days: %d, steps: %d}\n"
                     "market:\n  assets:\n    - {name: BTC, spot: 100, model: %s}\n",
                     days, steps, model);
            mcr_config cfg;
            mcr_error err = {0};
            cr_assert_eq(mcr_config_load_string(yaml, "data.yaml", &cfg, &err), MCR_OK, "%s",
                         err.msg);
            mcr_market mp;
            cr_assert_eq(mcr_market_init(&mp, &cfg, 0, &err), MCR_OK, "%s", err.msg);
            for (int r = 0; r < N_ISAS; r++) {
                static mcr_assets_block b;
                mcr_assets_block_init(&b, &mp.step, 11, 640, mp.log_s0);
                k[r]->model(&b.asset[0], &mp.step.model[0], 7, o[r].trace);
                k[r]->model(&b.asset[0], &mp.step.model[0], steps - 7, o[r].trace + 7 * NP);
                keep(&b.asset[0], &o[r]);
            }
            char what[64];
            snprintf(what, sizeof what, "%s%s", mcr_model_name(mp.step.model[0].type),
                     split ? ", split days" : "");
            expect_paths(o, steps, what);
            mcr_config_free(&cfg);
        }
}

/* ---- vector math ---- */

/* exp over every normal result, log over every binade and the uniforms' range, the normal CDF
 * from -40 to 40 (both of Hart's branches), with C's special values. */
Test(avx512, vector_math)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    enum { n = 1 << 16 };
    static double x[3][n], y[N_ISAS][n];
    mcr_pcg32 g = mcr_pcg32_for_path(3, 0);
    for (int i = 0; i < n; i++) {
        double u = (mcr_pcg32_next(&g) + 0.5) * 0x1p-32;
        x[0][i] = -708.0 + 1417.0 * u;
        x[1][i] = i % 2 ? ldexp(1.0 + u, (int)(i % 2046) - 1022) : u;
        x[2][i] = -40.0 + 80.0 * u;
    }
    const double special[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 0x1p-1074};
    for (int j = 0; j < 8; j++)
        x[0][j] = x[1][8 + j] = x[2][16 + j] = special[j];
    static const char *const names[] = {"exp", "log", "normal CDF"};
    for (int f = 0; f < 3; f++) {
        for (int r = 0; r < N_ISAS; r++)
            (f == 0 ? k[r]->exp : f == 1 ? k[r]->log : k[r]->norm_cdf)(x[f], y[r], n);
        expect_close((double *[]){y[REF], y[AVX2], y[AVX512]}, n, 0x1p-1022, names[f]);
    }
}

/* ---- strategy kernels ---- */

static double unit(mcr_pcg32 *g, double lo, double hi)
{
    return lo + (hi - lo) * ((mcr_pcg32_next(g) + 0.5) * 0x1p-32);
}

/* An option leg at `rows` expiries from an hour to a year, strikes 0.3 .. 3 x spot, smiles
 * steep enough to reach the vol floor. */
static mcr_leg_terms leg_of(mcr_pcg32 *g, int rows, bool put)
{
    mcr_leg_terms c = {.rate = unit(g, -0.02, 0.08), .quantity = unit(g, -3, 3),
                       .put_shift = put ? -1.0 : 0.0, .log_k = log(100.0 * unit(g, 0.3, 3)),
                       .rows = rows};
    for (int t = 0; t < rows; t++) {
        c.tau[t] = unit(g, 1.0 / 8760, 1.0);
        c.sq[t] = sqrt(c.tau[t]);
        c.inv_sq[t] = 1.0 / c.sq[t];
        c.slice[t] = (mcr_vol_slice){.atm = unit(g, 0.05, 1.5), .skew = unit(g, -2, 2),
                                     .smile = unit(g, 0, 3)};
    }
    return c;
}

/* The option kernels: the book's delta over a chunk of steps (a three-asset trace's stride) and
 * the greeks (per-path strikes or the leg's), added to rows that hold something already. Delta
 * relative to the leg's quantity, as a put's N(d1) - 1 cancels. */
Test(avx512, option_kernels)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    mcr_pcg32 g = mcr_pcg32_for_path(11, 0);
    enum { stride = 3 * NP, rows = MCR_STRAT_ROWS * NP };
    static double log_s[MCR_STRAT_ROWS * stride], delta[N_ISAS][rows], greeks[N_ISAS][3][NP];
    for (int trial = 0; trial < 40; trial++) {
        mcr_leg_terms c = leg_of(&g, 1 + trial % MCR_STRAT_ROWS, trial % 2);
        double s[NP], ls[NP], lk[NP];
        for (int j = 0; j < MCR_STRAT_ROWS * stride; j++)
            log_s[j] = log(100.0 * unit(&g, 0.2, 4));
        for (int j = 0; j < rows; j++)
            delta[REF][j] = delta[AVX2][j] = delta[AVX512][j] = unit(&g, -1, 1);
        for (int i = 0; i < NP; i++) {
            s[i] = 100.0 * unit(&g, 0.2, 4);
            ls[i] = log(s[i]);
            lk[i] = log(100.0 * unit(&g, 0.5, 2));
            for (int j = 0; j < 3; j++)
                greeks[REF][j][i] = greeks[AVX2][j][i] = greeks[AVX512][j][i] = unit(&g, -1, 1);
        }
        for (int r = 0; r < N_ISAS; r++) {
            k[r]->strat->leg_delta(&c, log_s, stride, delta[r]);
            mcr_leg_terms one = c;
            one.rows = 1;
            k[r]->strat->leg_greeks(&one, trial % 3 ? NULL : lk, s, ls, greeks[r][0],
                                    greeks[r][1], greeks[r][2]);
        }
        expect_close((double *[]){delta[REF], delta[AVX2], delta[AVX512]}, rows,
                     fabs(c.quantity), "leg delta");
        expect_close((double *[]){greeks[REF][0], greeks[AVX2][0], greeks[AVX512][0]}, NP,
                     fabs(c.quantity), "leg greeks: delta");
        expect_close((double *[]){greeks[REF][1], greeks[AVX2][1], greeks[AVX512][1]}, 2 * NP,
                     0x1p-1022, "leg greeks: gamma and vega");
    }
}

/* One ISA's rows through every position, event and block-end kernel in turn. */
typedef struct book_rows {
    double q[NP], account[NP], hedge[NP], funding[NP], yield[NP], fees[NP], slippage[NP],
        financing[NP], traded[NP], coin_hedge[NP], coin_funding[NP], coin_fees[NP],
        coin_slippage[NP], coin_held[NP];
    uint32_t trades[NP];
    int32_t liq_step[NP];
    double equity[NP], need[NP], fee[NP], target[NP], seized[NP], pool[4][NP], cover[NP],
        charge[NP], rate[NP], usd[NP], coin[NP], comp[10][NP], total[NP], floor[4][NP];
    bool hit[NP], go[NP], open[NP], cross_hit[NP], adl_hit[NP], any[3];
} book_rows;

/* The same random inputs for every ISA. */
typedef struct book_inputs {
    double s[NP], s_prev[NP], rate[NP], target[NP], cover[NP], e[NP], m[NP], fee[NP],
        basis[NP], log_s[NP], part[2][10][NP];
    bool go[NP], hit[NP];
} book_inputs;

static void book_of(mcr_pcg32 *g, book_rows *b, book_inputs *in, bool coin)
{
    memset(b, 0, sizeof *b);
    for (int i = 0; i < NP; i++) {
        int kind = (int)(mcr_pcg32_next(g) % 6); /* flat (+0, -0), empty account, liquidated */
        b->q[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : unit(g, -5, 5) * (coin ? 100 : 1);
        b->account[i] = kind == 2 ? 0.0 : unit(g, -20, 60);
        b->hedge[i] = unit(g, -50, 50);
        b->funding[i] = unit(g, -5, 5);
        b->yield[i] = unit(g, 0, 2);
        b->fees[i] = b->slippage[i] = unit(g, -3, 0);
        b->financing[i] = unit(g, -3, 3);
        b->traded[i] = unit(g, 0, 1e4);
        b->coin_hedge[i] = unit(g, -0.5, 0.5);
        b->coin_funding[i] = unit(g, -0.05, 0.05);
        b->coin_fees[i] = b->coin_slippage[i] = unit(g, -0.03, 0);
        b->coin_held[i] = unit(g, -0.2, 0.6);
        b->trades[i] = mcr_pcg32_next(g) % 100;
        b->liq_step[i] = kind == 3 ? 17 : -1;
        b->seized[i] = i % 5 ? unit(g, 0, 0.1) : 0.0;
        in->s[i] = 100.0 * unit(g, 0.5, 2);
        in->log_s[i] = log(in->s[i]);
        in->s_prev[i] = i % 9 == 0 ? in->s[i] : in->s[i] * unit(g, 0.9, 1.1);
        in->rate[i] = unit(g, -1e-3, 1e-3);
        in->target[i] = i % 7 == 0 ? b->q[i] : unit(g, -5, 5) * (coin ? 0.01 : 1);
        in->go[i] = mcr_pcg32_next(g) % 4 != 0;
        in->hit[i] = mcr_pcg32_next(g) % 3 == 0;
        in->cover[i] = unit(g, 0, 5);
        in->e[i] = unit(g, -20, 60);
        in->m[i] = unit(g, 0, 10);
        in->fee[i] = unit(g, 0, 2);
        in->basis[i] = i % 11 == 0 ? NAN : unit(g, -0.05, 0.05);
        for (int c = 0; c < 10; c++) {
            in->part[0][c][i] = (i + c) % 7 ? unit(g, -50, 50) : -0.0;
            in->part[1][c][i] = (i + c) % 5 ? unit(g, -0.5, 0.5) : 0.0;
        }
        b->floor[0][i] = in->s[i] * unit(g, 0.98, 1.02); /* s_prev, q, gains, costs */
        b->floor[1][i] = unit(g, 0, 1);
        b->floor[2][i] = unit(g, -5, 5);
        b->floor[3][i] = unit(g, -1, 0);
    }
}

static void run_book(const mcr_strat_kernels *k, const mcr_step_terms *c, int trial,
                     const book_inputs *in, const mcr_floor_terms *fl, book_rows *b)
{
    mcr_units_rows u = {.q = b->q, .account = b->account, .hedge = b->hedge,
                        .funding = b->funding, .yield = b->yield, .fees = b->fees,
                        .slippage = b->slippage, .financing = b->financing, .traded = b->traded,
                        .coin_hedge = b->coin_hedge, .coin_funding = b->coin_funding,
                        .coin_fees = b->coin_fees, .coin_slippage = b->coin_slippage,
                        .coin_held = b->coin_held, .trades = b->trades, .liq_step = b->liq_step};
    const double *rate = trial % 4 == 3 ? NULL : in->rate;
    if (trial % 3 == 2) {
        k->carry_spot(c, &u, in->s, in->s_prev);
        k->trade_units(c, &u, in->s, in->target, in->go);
    } else if (c->coin) {
        k->carry_inverse(c, &u, in->s, in->s_prev, rate);
        k->trade_inverse(c, &u, in->s, in->target, in->go);
    } else {
        k->carry_linear(c, &u, in->s, in->s_prev, rate);
        k->trade_units(c, &u, in->s, in->target, in->go);
    }
    k->margin(c, b->q, b->account, in->s, b->equity, b->need, b->fee);
    b->equity[trial % NP] = NAN; /* a NaN equity is not covered */
    b->any[0] = k->margin_hits(b->q, b->equity, b->need, b->hit);
    const double *sa = trial % 2 ? in->s : NULL, *sh = trial % 2 ? in->s_prev : NULL;
    k->hedge_target(c->g, b->need, sa, sh, b->target);
    k->band_test(0.8, trial % 3 ? 0.5 : 0, 0.05, b->need, sa, sh, b->q, b->go);
    k->liquidate(c, &u, 40 + trial, in->s, in->hit, trial % 4 < 2 ? in->cover : NULL, b->seized,
                 b->liq_step);
    k->cross_pool(in->e, in->m, in->fee, b->account, b->q, NULL, b->pool[0], b->pool[1],
                  b->pool[2], b->pool[3], b->open);
    k->cross_pool(in->m, in->fee, in->e, b->coin_held, b->coin_hedge, trial % 2 ? in->s : NULL,
                  b->pool[0], b->pool[1], b->pool[2], b->pool[3], b->open);
    b->any[1] = k->cross_hits(b->pool[0], b->pool[1], in->cover, b->pool[2], b->pool[3], b->open,
                              b->cross_hit, b->cover, b->charge);
    b->any[2] = k->adl_hits(c->coin, 0.3, in->target, in->e, in->fee, b->liq_step, in->s,
                            b->adl_hit);
    const double interest[3] = {1e-4, -0.02, 0.01};
    k->premium_rates(trial % 4, interest, trial % 2 ? 8 : 4, 0.0075, in->basis, b->rate);
    memcpy(b->usd, in->e, sizeof b->usd);
    memcpy(b->coin, in->m, sizeof b->coin);
    k->settle_leg(in->fee[0] - 1, 100, trial % 2, c->g, in->s, b->usd,
                  trial % 3 == 1 ? b->coin : NULL);
    for (int j = 0; j < 1 + trial % 3; j++)
        k->end_part(10, in->part[j % 2][0], in->part[1 - j % 2][0], in->s, j == 0, b->comp[0]);
    k->row_sum(10 - trial % 4, b->comp[0], b->total);
    k->hedge_floor(fl, in->s, in->log_s, b->floor[0], b->floor[1], b->floor[2], b->floor[3]);
}

#define SAME_FIELD(f)                                                                          \
    expect_same((void *[]){&b[REF].f, &b[AVX2].f, &b[AVX512].f}, sizeof b[REF].f, #f)

/* Carry and trades (spot, linear, inverse), margin with tiers, the checks, hedge target and band,
 * liquidation, cross margin, adl, premium funding, settlement, block ends and the W3 floor step:
 * every row bitwise, on blocks where every select goes both ways. */
Test(avx512, strategy_kernels)
{
    const mcr_kernels *k[N_ISAS];
    three(k);
    mcr_pcg32 g = mcr_pcg32_for_path(13, 0);
    const double maintenance[3] = {0.005, 0.01, 0.025}, amount[3] = {0, 5, 50};
    static double table[4097];
    for (int j = 0; j < 4097; j++)
        table[j] = 0.5 * erfc((8.0 - j / 256.0) * M_SQRT1_2);
    int hits = 0;
    for (int trial = 0; trial < 64; trial++) {
        static book_rows b[N_ISAS];
        book_inputs in;
        bool coin = trial % 3 == 1;
        book_of(&g, &b[REF], &in, coin);
        memcpy(&b[AVX2], &b[REF], sizeof b[REF]);
        memcpy(&b[AVX512], &b[REF], sizeof b[REF]);
        mcr_step_terms c = {
            .g = unit(&g, 0.9, 1.1), .yield = trial % 2 ? unit(&g, 0, 1e-4) : 0.0,
            .financing = trial % 3 == 2 ? 1e-5 : 0.0, .borrow = trial % 6 == 5 ? 2e-5 : 0.0,
            .fee_rate = 5e-4, .slip_rate = trial % 3 ? 1e-4 : 0.0,
            .impact = trial % 4 < 2 ? 0.001 : 0.0, .impact_notional = 1e4,
            .top_up = trial % 5 != 0 && trial % 3 != 2, .initial = trial % 7 ? 0.1 : 0.0,
            .collateral = trial % 3 ? 1.0 : 0.3, .coin = coin, .exchange = trial % 2 == 0,
            .liquidation_fee = 0.005, .maintenance = maintenance, .amount = amount,
            .n_tiers = 1 + trial % 3};
        mcr_floor_terms fl = {.rate = trial % 3 ? 0.0 : 1e-4, .fee_rate = 5e-4,
                              .trade = trial % 4 != 3, .log_k = log(100.0), .drift = 0.01,
                              .inv_vol_sq = unit(&g, 0.5, 30), .table = table, .table_lo = -8,
                              .table_scale = 256, .table_n = 4097};
        for (int r = 0; r < N_ISAS; r++)
            run_book(k[r]->strat, &c, trial, &in, &fl, &b[r]);
        SAME_FIELD(q);
        SAME_FIELD(account);
        SAME_FIELD(hedge);
        SAME_FIELD(funding);
        SAME_FIELD(yield);
        SAME_FIELD(fees);
        SAME_FIELD(slippage);
        SAME_FIELD(financing);
        SAME_FIELD(traded);
        SAME_FIELD(coin_hedge);
        SAME_FIELD(coin_funding);
        SAME_FIELD(coin_fees);
        SAME_FIELD(coin_slippage);
        SAME_FIELD(coin_held);
        SAME_FIELD(trades);
        SAME_FIELD(liq_step);
        SAME_FIELD(equity);
        SAME_FIELD(need);
        SAME_FIELD(fee);
        SAME_FIELD(target);
        SAME_FIELD(seized);
        SAME_FIELD(pool);
        SAME_FIELD(cover);
        SAME_FIELD(charge);
        SAME_FIELD(rate);
        SAME_FIELD(usd);
        SAME_FIELD(coin);
        SAME_FIELD(comp);
        SAME_FIELD(total);
        SAME_FIELD(floor);
        SAME_FIELD(hit);
        SAME_FIELD(go);
        SAME_FIELD(open);
        SAME_FIELD(cross_hit);
        SAME_FIELD(adl_hit);
        SAME_FIELD(any);
        for (int i = 0; i < NP; i++)
            hits += b[REF].hit[i] + b[REF].cross_hit[i] + b[REF].adl_hit[i];
    }
    cr_assert_gt(hits, 3 * 64, "events hit on the reference: %d", hits);
}
