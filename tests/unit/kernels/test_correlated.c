/* Several assets with correlated price shocks (kernels `assets`): the sample correlation of
 * one-step log returns against the input matrix (diluted by each asset's jump variance, a closed
 * form) within 4 delta-method standard errors; a Heston asset's price shock is the correlated z;
 * asset 0 and uncorrelated assets follow exactly their single-asset paths; the martingale per
 * asset; every ISA against the scalar reference, chunking and lane invariance, the draw count per
 * asset's stream and the streams themselves. */
#include <string.h>

#include "model_mc.h"
#include "models/model_step.h"

#define YEAR_STEPS 365

static const mcr_model gbm80 = {.type = MCR_MODEL_GBM, .gbm = {.mu = 0.0, .sigma = 0.8}};
static const mcr_model w2 = {.type = MCR_MODEL_MERTON,
                             .merton = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10.0,
                                        .jump_mean = -0.05, .jump_std = 0.10}};
static const mcr_model kou10 = {.type = MCR_MODEL_KOU,
                                .kou = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10.0,
                                        .p_up = 0.4, .eta_up = 10.0, .eta_down = 8.0}};
static const mcr_model heston = {.type = MCR_MODEL_HESTON,
                                 .heston = {.mu = 0.0, .v0 = 0.36, .kappa = 3.0, .theta = 0.36,
                                            .xi = 1.2, .rho = -0.6}};
static const mcr_model bates = {.type = MCR_MODEL_BATES,
                                .bates = {.heston = {.mu = 0.0, .v0 = 0.25, .kappa = 2.0,
                                                     .theta = 0.3, .xi = 0.9, .rho = 0.3},
                                          .jump_intensity = 5.0, .jump_mean = -0.08,
                                          .jump_std = 0.15}};

/* Lower Cholesky factor of the n x n correlation c (row-major, leading dimension n). */
static void cholesky(int n, const double *c, double *l)
{
    memset(l, 0, sizeof(double) * n * n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double s = c[i * n + j];
            for (int k = 0; k < j; k++)
                s -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = i == j ? sqrt(s) : s / l[j * n + j];
        }
}

static mcr_assets_step assets_of(int n, const mcr_model *models, const double *corr, double dt)
{
    mcr_model_step steps[MCR_KERNEL_MAX_ASSETS];
    double l[MCR_KERNEL_MAX_ASSETS * MCR_KERNEL_MAX_ASSETS];
    for (int a = 0; a < n; a++)
        steps[a] = mcr_model_step_of(&models[a], dt);
    if (corr)
        cholesky(n, corr, l);
    mcr_assets_step c;
    mcr_assets_step_init(&c, n, steps, corr ? l : NULL, n);
    return c;
}

/* One-step log returns of `paths` paths x `steps` steps of every asset (the trace of the widest
 * kernel): ret[a][p * steps + t]. */
static double **simulate_returns(const mcr_assets_step *c, int steps, int paths, uint64_t seed)
{
    const mcr_kernels *k = mcr_kernels_of(mcr_isa_best());
    int n = c->n_assets;
    double **ret = malloc(sizeof(double *) * n);
    double *trace = malloc(sizeof(double) * steps * n * MCR_BLOCK_PATHS);
    double log_s0[MCR_KERNEL_MAX_ASSETS] = {0};
    cr_assert(ret && trace);
    for (int a = 0; a < n; a++) {
        ret[a] = malloc(sizeof(double) * steps * paths);
        cr_assert_not_null(ret[a]);
    }
    for (int first = 0; first < paths; first += MCR_BLOCK_PATHS) {
        mcr_assets_block b;
        mcr_assets_block_init(&b, c, seed, (uint64_t)first, log_s0);
        k->assets(&b, c, steps, trace);
        for (int a = 0; a < n; a++)
            for (int i = 0; i < MCR_BLOCK_PATHS; i++)
                for (int t = 0; t < steps; t++) {
                    double x = trace[((size_t)t * n + a) * MCR_BLOCK_PATHS + i];
                    double x0 = t ? trace[((size_t)(t - 1) * n + a) * MCR_BLOCK_PATHS + i] : 0.0;
                    ret[a][(size_t)(first + i) * steps + t] = x - x0;
                }
    }
    free(trace);
    return ret;
}

static void free_returns(double **ret, int n)
{
    for (int a = 0; a < n; a++)
        free(ret[a]);
    free(ret);
}

/* Pearson correlation of x, y and its delta-method standard error for any distribution, from
 * the standardized moments: Var r = [(1 + r^2/2) m22 - r (m31 + m13) + r^2 (m40 + m04) / 4] / n
 * (reduces to (1 - r^2)^2 / n for normal data). */
static mc_mean correlation(const double *x, const double *y, int n)
{
    double mx = 0, my = 0, sx = 0, sy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    for (int i = 0; i < n; i++) {
        sx += (x[i] - mx) * (x[i] - mx) / n;
        sy += (y[i] - my) * (y[i] - my) / n;
        sxy += (x[i] - mx) * (y[i] - my) / n;
    }
    double r = sxy / sqrt(sx * sy), m22 = 0, m31 = 0, m13 = 0, m40 = 0, m04 = 0;
    for (int i = 0; i < n; i++) {
        double u = (x[i] - mx) / sqrt(sx), v = (y[i] - my) / sqrt(sy);
        m22 += u * u * v * v / n;
        m31 += u * u * u * v / n;
        m13 += u * v * v * v / n;
        m40 += u * u * u * u / n;
        m04 += v * v * v * v / n;
    }
    double var = (1 + r * r / 2) * m22 - r * (m31 + m13) + r * r * (m40 + m04) / 4;
    return (mc_mean){r, sqrt(var / n)};
}

/* Standard deviation of one step's diffusion shock over that of the whole step return. */
static double diffusion_share(const mcr_model *m, double dt)
{
    switch (m->type) {
    case MCR_MODEL_MERTON:
        return m->merton.sigma * sqrt(dt / mcr_merton_log_variance(&m->merton, dt));
    case MCR_MODEL_KOU:
        return m->kou.sigma * sqrt(dt / mcr_kou_log_variance(&m->kou, dt));
    default:
        return 1.0;
    }
}

/* gbm, merton (W2) and kou: corr(r_a, r_b) = C_ab s_a s_b, s the diffusion share of each step
 * return's standard deviation; iid over steps and paths, 12 steps x 2^15 paths. */
Test(correlated, returns_match_matrix)
{
    const double corr[9] = {1.0, 0.7, 0.4, 0.7, 1.0, 0.5, 0.4, 0.5, 1.0};
    const mcr_model models[3] = {gbm80, w2, kou10};
    enum { steps = 12, paths = 1 << 15, n = steps * paths };
    mcr_assets_step c = assets_of(3, models, corr, 1.0 / steps);
    double **ret = simulate_returns(&c, steps, paths, 99);
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++) {
            mc_mean r = correlation(ret[a], ret[b], n);
            double want = corr[a * 3 + b] * diffusion_share(&models[a], 1.0 / steps) *
                          diffusion_share(&models[b], 1.0 / steps);
            cr_expect_leq(r.se, 0.003, "(%d, %d): se %g", a, b, r.se);
            cr_expect_leq(fabs(r.mean - want), 4 * r.se, "(%d, %d): corr %.5f +- %.5f vs %.5f",
                          a, b, r.mean, r.se, want);
        }
    free_returns(ret, 3);
}

/* A Heston asset's price shock is the correlated z itself (its variance shock is rotated
 * around it): with a slow, calm variance (xi = 0.05, v0 = theta) its daily returns correlate
 * with a GBM asset's at C, not at C sqrt(1 - rho^2) = 0.36 as if only the part orthogonal to the
 * variance were correlated. The small-xi effects were measured at -0.0002 +- 0.0002 (7.9e6
 * returns); 0.001 is allowed for them. */
Test(correlated, heston_price_shock_is_correlated)
{
    const double corr[4] = {1.0, 0.6, 0.6, 1.0};
    const mcr_model models[2] = {
        gbm80, {.type = MCR_MODEL_HESTON,
                .heston = {.v0 = 0.36, .kappa = 1.0, .theta = 0.36, .xi = 0.05, .rho = -0.8}}};
    enum { steps = 30, paths = 1 << 14, n = steps * paths };
    mcr_assets_step c = assets_of(2, models, corr, 1.0 / YEAR_STEPS);
    double **ret = simulate_returns(&c, steps, paths, 3);
    mc_mean r = correlation(ret[0], ret[1], n);
    cr_expect_leq(r.se, 0.002);
    cr_expect_leq(fabs(r.mean - 0.6), 4 * r.se + 0.001, "corr %.5f +- %.5f", r.mean, r.se);
    free_returns(ret, 2);
}

/* Each asset of a correlated run is a martingale after discounting at its own mu. */
Test(correlated, martingale)
{
    const double corr[9] = {1.0, 0.8, -0.3, 0.8, 1.0, -0.2, -0.3, -0.2, 1.0};
    mcr_model models[3] = {mcr_model_with_mu(&w2, 0.05), mcr_model_with_mu(&heston, 0.05),
                           mcr_model_with_mu(&bates, 0.05)};
    enum { steps = 52, paths = 1 << 15 };
    mcr_assets_step c = assets_of(3, models, corr, 1.0 / steps);
    double **ret = simulate_returns(&c, steps, paths, 17);
    double *x = malloc(sizeof(double) * paths);
    cr_assert_not_null(x);
    for (int a = 0; a < 3; a++) {
        for (int p = 0; p < paths; p++) {
            x[p] = log(100.0);
            for (int t = 0; t < steps; t++)
                x[p] += ret[a][(size_t)p * steps + t];
        }
        mc_mean r = mc_martingale(x, paths, 100.0, 0.05, 1.0);
        cr_expect_leq(r.se, 0.006, "asset %d: se %g", a, r.se);
        cr_expect_leq(fabs(r.mean), 4 * r.se, "asset %d: %g +- %g", a, r.mean, r.se);
    }
    free(x);
    free_returns(ret, 3);
}

/* Streams: asset 0 is the single-asset stream of the path; other assets have their own. */
Test(correlated, streams)
{
    for (uint64_t p = 0; p < 1000; p += 37) {
        mcr_pcg32 g0 = mcr_pcg32_for_path(8, p), a0 = mcr_pcg32_for_asset(8, 0, p);
        cr_expect(g0.state == a0.state && g0.inc == a0.inc);
        for (int a = 1; a < MCR_KERNEL_MAX_ASSETS; a++) {
            mcr_pcg32 g = mcr_pcg32_for_asset(8, a, p);
            cr_expect_neq(g.inc, g0.inc, "asset %d of path %llu shares the stream of asset 0", a,
                          (unsigned long long)p);
            cr_expect_neq(mcr_pcg32_next(&g), mcr_pcg32_next(&g0));
        }
    }
}

ParameterizedTestParameters(correlated, single_asset_paths) { return mc_all_isas(); }
ParameterizedTestParameters(correlated, isa_matches_reference) { return mc_all_isas(); }
ParameterizedTestParameters(correlated, chunks_and_lanes) { return mc_all_isas(); }

static const mcr_model five[5] = {gbm80, w2, kou10, heston, bates};
static const double corr5[25] = {1.0, 0.6, 0.5, 0.4, 0.3,  0.6, 1.0, 0.5,  0.3, 0.2,
                                  0.5, 0.5, 1.0, 0.2, -0.1, 0.4, 0.3, 0.2,  1.0, 0.7,
                                  0.3, 0.2, -0.1, 0.7, 1.0};

/* Bitwise: without correlation every asset follows its single-asset kernel's path (same
 * streams), and with correlation asset 0 still does. */
ParameterizedTest(mcr_isa *isa, correlated, single_asset_paths)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    const double log_s0[5] = {1, 2, 3, 4, 5};
    for (int correlated = 0; correlated < 2; correlated++) {
        mcr_assets_step c = assets_of(5, five, correlated ? corr5 : NULL, 1.0 / YEAR_STEPS);
        mcr_assets_block b;
        mcr_assets_block_init(&b, &c, 21, 128, log_s0);
        k->assets(&b, &c, 100, NULL);
        for (int a = 0; a < (correlated ? 1 : 5); a++) {
            mcr_block s;
            mcr_block_init_asset(&s, &c.model[a], 21, a, 128, log_s0[a]);
            k->model(&s, &c.model[a], 100, NULL);
            cr_expect_eq(memcmp(&s, &b.asset[a], sizeof s), 0, "%s asset %d (%s)%s", k->name, a,
                         mcr_model_name(c.model[a].type), correlated ? ", correlated" : "");
        }
    }
}

/* Five correlated assets of every model, a year of daily steps: every asset's trace within
 * 1e-12 of the reference, and each stream exactly its model's draws x steps further. */
ParameterizedTest(mcr_isa *isa, correlated, isa_matches_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    const double log_s0[5] = {4.6, 4.6, 4.6, 4.6, 4.6};
    mcr_assets_step c = assets_of(5, five, corr5, 1.0 / YEAR_STEPS);
    size_t n = (size_t)YEAR_STEPS * 5 * MCR_BLOCK_PATHS;
    double *trace = malloc(sizeof(double) * n), *want = malloc(sizeof(double) * n);
    cr_assert(trace && want);
    mcr_assets_block b, r, start;
    mcr_assets_block_init(&b, &c, 42, 640, log_s0);
    start = r = b;
    k->assets(&b, &c, YEAR_STEPS, trace);
    mcr_assets_paths_ref(&r, &c, YEAR_STEPS, want);
    double d = mc_max_rel(trace, want, (int)n);
    cr_expect_leq(d, 1e-12, "%s: max relative difference %g", k->name, d);
    for (int a = 0; a < 5; a++)
        cr_expect(mc_draws_exact(&start.asset[a], &b.asset[a],
                                 (int64_t)c.model[a].draws * YEAR_STEPS),
                  "%s asset %d", k->name, a);
    free(trace);
    free(want);
}

ParameterizedTest(mcr_isa *isa, correlated, chunks_and_lanes)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    static const int chunks[] = {1, 7, 9, 100, 248};
    const double log_s0[5] = {0};
    mcr_assets_step c = assets_of(5, five, corr5, 1.0 / YEAR_STEPS);
    mcr_assets_block whole, split, shifted;
    mcr_assets_block_init(&whole, &c, 5, 0, log_s0);
    split = whole;
    mcr_assets_block_init(&shifted, &c, 5, 3, log_s0);
    k->assets(&whole, &c, YEAR_STEPS, NULL);
    for (size_t j = 0; j < sizeof chunks / sizeof chunks[0]; j++)
        k->assets(&split, &c, chunks[j], NULL);
    k->assets(&shifted, &c, YEAR_STEPS, NULL);
    for (int a = 0; a < 5; a++) {
        cr_expect_eq(memcmp(&whole.asset[a], &split.asset[a], sizeof(mcr_block)), 0,
                     "%s asset %d: chunked != whole", k->name, a);
        for (int i = 0; i + 3 < MCR_BLOCK_PATHS; i++)
            cr_expect_eq(memcmp(&shifted.asset[a].log_price[i], &whole.asset[a].log_price[i + 3],
                                sizeof(double)),
                         0, "%s asset %d: path %d differs between lanes", k->name, a, i + 3);
    }
}
