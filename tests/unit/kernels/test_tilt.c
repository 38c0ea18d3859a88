/* The normal-shift hook of the path kernels (kernels.h, mcr_block.tilt_on; run.tail), on every
 * ISA and every model that draws Brownian price normals (gbm, merton, kou, heston, bates) and on
 * several correlated assets:
 * - on with tilt 0: ln S, v and the trace bitwise those of the hook off (the plain paths);
 * - on with tilt theta: bitwise the paths of the draw-transform hook given the path's own price
 *   normals plus theta (so only w moves: jumps, eta and the streams are the path's own), and
 *   tilt_sum = the sum over the steps of w + theta, bitwise, in step order;
 * - chunked calls continue the sum. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_mc.h"
#include "models/model_step.h"

#define STEPS 20

static const mcr_model models[] = {
    {.type = MCR_MODEL_GBM, .gbm = {.mu = 0.05, .sigma = 0.8}},
    {.type = MCR_MODEL_MERTON,
     .merton = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 40.0, .jump_mean = -0.05,
                .jump_std = 0.10}},
    {.type = MCR_MODEL_KOU,
     .kou = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 40.0, .p_up = 0.4, .eta_up = 10.0,
             .eta_down = 8.0}},
    {.type = MCR_MODEL_HESTON,
     .heston = {.mu = 0.0, .v0 = 0.36, .kappa = 3.0, .theta = 0.36, .xi = 1.2, .rho = -0.6}},
    {.type = MCR_MODEL_BATES,
     .bates = {.heston = {.mu = 0.0, .v0 = 0.25, .kappa = 2.0, .theta = 0.3, .xi = 0.9,
                          .rho = 0.3},
               .jump_intensity = 40.0, .jump_mean = -0.08, .jump_std = 0.15}},
};
#define N_MODELS ((int)(sizeof models / sizeof models[0]))

/* The price normals w a plain pass of model c over STEPS steps draws on block b's streams:
 * the ISA's normal of every output, every draws-th kept (the normal is elementwise). */
static void own_normals(const mcr_kernels *k, const mcr_block *b, const mcr_model_step *c,
                        double *w)
{
    mcr_block copy = *b;
    double *all = malloc(sizeof(double) * STEPS * c->draws * MCR_BLOCK_PATHS);
    cr_assert_not_null(all);
    k->normal(&copy, all, STEPS * c->draws);
    for (int t = 0; t < STEPS; t++)
        memcpy(w + t * MCR_BLOCK_PATHS, all + (size_t)t * c->draws * MCR_BLOCK_PATHS,
               sizeof(double) * MCR_BLOCK_PATHS);
    free(all);
}

typedef struct outcome {
    double x[MCR_BLOCK_PATHS], v[MCR_BLOCK_PATHS], sum[MCR_BLOCK_PATHS];
    double trace[STEPS * MCR_BLOCK_PATHS];
} outcome;

/* One asset of c from a fresh block: hook on with tilt (or off), or the shocks hook given. Two
 * chunks (7 + 13 steps) when split. */
static void run_one(const mcr_kernels *k, const mcr_model_step *c, bool on, double tilt,
                    const double *shocks, bool split, outcome *o)
{
    mcr_block b;
    mcr_block_init_asset(&b, c, 77, 0, 128, log(100.0));
    b.tilt_on = on;
    b.tilt = tilt;
    b.shocks = shocks;
    if (split) {
        k->model(&b, c, 7, o->trace);
        k->model(&b, c, STEPS - 7, o->trace + 7 * MCR_BLOCK_PATHS);
    } else {
        k->model(&b, c, STEPS, o->trace);
    }
    memcpy(o->x, b.log_price, sizeof o->x);
    memcpy(o->v, b.variance, sizeof o->v);
    memcpy(o->sum, b.tilt_sum, sizeof o->sum);
}

ParameterizedTestParameters(tilt, one_asset_every_model) { return mc_all_isas(); }

ParameterizedTest(mcr_isa *isa, tilt, one_asset_every_model)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    static outcome plain, zero, shifted, given;
    static double w[STEPS * MCR_BLOCK_PATHS];
    const double theta = -0.7;
    for (int m = 0; m < N_MODELS; m++) {
        mcr_model_step c = mcr_model_step_of(&models[m], 1.0 / 365);
        mcr_block b;
        mcr_block_init_asset(&b, &c, 77, 0, 128, log(100.0));
        own_normals(k, &b, &c, w);
        run_one(k, &c, false, 0.0, NULL, false, &plain);
        run_one(k, &c, true, 0.0, NULL, m % 2, &zero);
        cr_assert_eq(memcmp(plain.x, zero.x, sizeof plain.x), 0, "%s: tilt 0", k->name);
        cr_assert_eq(memcmp(plain.v, zero.v, sizeof plain.v), 0);
        cr_assert_eq(memcmp(plain.trace, zero.trace, sizeof plain.trace), 0);
        run_one(k, &c, true, theta, NULL, m % 2 == 0, &shifted);
        for (int i = 0; i < STEPS * MCR_BLOCK_PATHS; i++)
            w[i] += theta;
        run_one(k, &c, false, 0.0, w, false, &given);
        cr_assert_eq(memcmp(given.x, shifted.x, sizeof given.x), 0, "%s model %d", k->name, m);
        cr_assert_eq(memcmp(given.v, shifted.v, sizeof given.v), 0);
        cr_assert_eq(memcmp(given.trace, shifted.trace, sizeof given.trace), 0);
        cr_assert_neq(memcmp(plain.x, shifted.x, sizeof plain.x), 0);
        for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
            double s = 0.0;
            for (int t = 0; t < STEPS; t++)
                s += w[t * MCR_BLOCK_PATHS + i];
            cr_assert_eq(shifted.sum[i], s, "%s model %d path %d: %.17g vs %.17g", k->name, m,
                         i, shifted.sum[i], s);
        }
    }
}

ParameterizedTestParameters(tilt, correlated_assets) { return mc_all_isas(); }

/* Three assets (merton, heston, gbm), correlation 0.5 everywhere: each asset's independent w is
 * shifted before the Cholesky factor, exactly as given shocks w + theta_a would be. */
ParameterizedTest(mcr_isa *isa, tilt, correlated_assets)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    const mcr_model which[3] = {models[1], models[3], models[0]};
    const double theta[3] = {-0.4, 0.3, -0.2}, r = 0.5, s = sqrt(1 - r * r);
    const double l2 = (0.5 - r * r) / s; /* L[2][1] of the all-0.5 correlation */
    const double chol[9] = {1, 0, 0, r, s, 0, r, l2, sqrt(1 - r * r - l2 * l2)};
    mcr_model_step steps[3];
    for (int a = 0; a < 3; a++)
        steps[a] = mcr_model_step_of(&which[a], 1.0 / 365);
    mcr_assets_step c;
    mcr_assets_step_init(&c, 3, steps, chol, 3);
    double log_s0[3] = {log(100.0), log(10.0), log(1.0)};
    static double w[3][STEPS * MCR_BLOCK_PATHS], tr[4][STEPS * 3 * MCR_BLOCK_PATHS];
    static mcr_assets_block b[4];
    for (int run = 0; run < 4; run++) { /* plain, tilt 0, tilt theta, given w + theta */
        mcr_assets_block_init(&b[run], &c, 5, 64, log_s0);
        for (int a = 0; a < 3; a++) {
            if (run == 0)
                own_normals(k, &b[0].asset[a], &steps[a], w[a]);
            b[run].asset[a].tilt_on = run == 1 || run == 2;
            b[run].asset[a].tilt = run == 2 ? theta[a] : 0.0;
            if (run == 3) {
                for (int i = 0; i < STEPS * MCR_BLOCK_PATHS; i++)
                    w[a][i] += theta[a];
                b[run].asset[a].shocks = w[a];
            }
        }
        k->assets(&b[run], &c, STEPS, tr[run]);
    }
    cr_assert_eq(memcmp(tr[0], tr[1], sizeof tr[0]), 0, "%s: tilt 0", k->name);
    cr_assert_eq(memcmp(tr[2], tr[3], sizeof tr[0]), 0, "%s: tilt vs given shocks", k->name);
    cr_assert_neq(memcmp(tr[0], tr[2], sizeof tr[0]), 0);
    for (int a = 0; a < 3; a++) {
        cr_assert_eq(memcmp(b[2].asset[a].variance, b[3].asset[a].variance,
                            sizeof b[2].asset[a].variance), 0);
        for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
            double sum = 0.0;
            for (int t = 0; t < STEPS; t++)
                sum += w[a][t * MCR_BLOCK_PATHS + i];
            cr_assert_eq(b[2].asset[a].tilt_sum[i], sum, "%s asset %d path %d", k->name, a, i);
        }
    }
}
