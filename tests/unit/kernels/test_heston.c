/* The stochastic-volatility kernels (heston, bates; Andersen's QE scheme with the martingale
 * correction): Monte Carlo prices against Lewis's Heston reference prices (REFERENCE_VALUES 5a)
 * and a Bates case priced by mcr_model_price, within 4 se plus the scheme's measured bias; the
 * martingale E[S_T] = S0 e^{mu T} and the exact mean of the variance, including parameters that
 * exercise the exponential branch and rho > 0; every ISA against the scalar reference, chunking
 * and lane invariance and the fixed draw count.
 *
 * QE bias for the Lewis case (kappa 4, theta 0.25, xi 1, rho -0.5, v0 0.04, T = 1), measured
 * against the Lewis CF price with 2^26 paths (se 0.0017 to 0.0042): 32 steps: -0.0017 to -0.0033
 * for calls and puts K = 80..120 (within 1 se of 0); 16 steps: -0.003 to -0.012; 8 steps: -0.01
 * to -0.04; 4 steps: -0.03 to -0.17. Bates (the same plus lambda 1, nu -0.1, delta 0.2), 32
 * steps: -0.0024 to -0.0046 (se 0.0019 to 0.0047). The tests use 32 steps and allow a bias of
 * 0.01. */
#include <string.h>

#include "model_mc.h"
#include "models/model_step.h"

#define QE_STEPS 32
#define QE_BIAS 0.01
#define YEAR_STEPS 365

static const mcr_heston lewis = {.mu = 0.0, .v0 = 0.04, .kappa = 4.0, .theta = 0.25, .xi = 1.0,
                                 .rho = -0.5};

/* Strongly violated Feller condition (2 kappa theta = 0.08 << xi^2 = 4): v often near 0, so the
 * exponential branch is taken; and an inverse-leverage crypto case with rho > 0. */
static const mcr_heston hard = {.mu = 0.0, .v0 = 0.04, .kappa = 1.0, .theta = 0.04, .xi = 2.0,
                                .rho = -0.9};
static const mcr_heston crypto = {.mu = 0.0, .v0 = 0.5, .kappa = 2.0, .theta = 0.5, .xi = 1.5,
                                  .rho = 0.5};
/* With yearly steps, rho = 1 and xi = 5, A >= beta: E[e^{A v'}] does not exist for the
 * exponential step, and the correction falls back to its first-order term. */
static const mcr_heston extreme = {.mu = 0.0, .v0 = 1.0, .kappa = 0.5, .theta = 1.0, .xi = 5.0,
                                   .rho = 1.0};

static mcr_model heston_model(mcr_heston h)
{
    return (mcr_model){.type = MCR_MODEL_HESTON, .heston = h};
}

static mcr_model bates_model(mcr_heston h)
{
    return (mcr_model){.type = MCR_MODEL_BATES,
                       .bates = {.heston = h, .jump_intensity = 1.0, .jump_mean = -0.1,
                                 .jump_std = 0.2}};
}

static void check_prices(const mcr_model *m, const char *label, double se_max)
{
    static const double strikes[] = {80, 90, 100, 110, 120};
    const int paths = 1 << 20;
    mcr_euro o = {MCR_CALL, 100.0, 0.0, 1.0, 0.01, 0.02};
    mcr_model rn = mcr_model_with_mu(m, o.rate - o.yield);
    mcr_model_step c = mcr_model_step_of(&rn, o.expiry / QE_STEPS);
    double *x = mc_terminal(&c, QE_STEPS, paths, 31, o.spot);
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 5; i++) {
            o.payoff = p ? MCR_PUT : MCR_CALL;
            o.strike = strikes[i];
            mc_mean mc = mc_option(x, paths, &o);
            double exact = mcr_model_price(m, &o);
            cr_expect_leq(mc.se, se_max, "%s %s K=%g: se %g", label, p ? "put" : "call",
                          o.strike, mc.se);
            cr_expect_leq(fabs(mc.mean - exact), 4.0 * mc.se + QE_BIAS,
                          "%s %s K=%g: MC %.5f +- %.5f vs %.5f", label, p ? "put" : "call",
                          o.strike, mc.mean, mc.se, exact);
        }
    free(x);
}

/* Lewis (QuantLib testAlanLewisReferencePrices): the pricer reproduces the published values to
 * 1e-8 (tests/unit/models/test_pricers.c), so it is the oracle here. */
Test(heston, lewis_prices)
{
    mcr_model m = heston_model(lewis);
    check_prices(&m, "Lewis Heston", 0.035);
}

/* Lewis's Heston plus one jump a year of log size N(-0.1, 0.2^2). */
Test(heston, bates_prices)
{
    mcr_model m = bates_model(lewis);
    check_prices(&m, "Bates", 0.04);
}

/* E[e^{-mu T} S_T] = S0 (the correction makes each step a martingale, whatever the branch) and
 * E[v_T] = theta + (v0 - theta) e^{-kappa T} (QE matches the conditional mean of each step). */
Test(heston, martingale_and_variance_mean)
{
    const mcr_model models[] = {heston_model(lewis), bates_model(lewis), heston_model(hard),
                                bates_model(crypto), heston_model(crypto)};
    const int steps[] = {QE_STEPS, QE_STEPS, YEAR_STEPS, YEAR_STEPS, 12};
    enum { paths = 1 << 16 };
    const mcr_kernels *k = mcr_kernels_of(mcr_isa_best());
    double *x = malloc(sizeof(double) * paths), *v = malloc(sizeof(double) * paths);
    cr_assert(x && v);
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        mcr_model m = mcr_model_with_mu(&models[i], 0.03);
        mcr_model_step c = mcr_model_step_of(&m, 1.0 / steps[i]);
        for (int first = 0; first < paths; first += MCR_BLOCK_PATHS) {
            mcr_block b;
            mcr_block_init_asset(&b, &c, 13, 0, (uint64_t)first, log(100.0));
            k->model(&b, &c, steps[i], NULL);
            memcpy(x + first, b.log_price, sizeof b.log_price);
            memcpy(v + first, b.variance, sizeof b.variance);
        }
        const mcr_heston *h = m.type == MCR_MODEL_HESTON ? &m.heston : &m.bates.heston;
        mc_mean r = mc_martingale(x, paths, 100.0, 0.03, 1.0), mv = mc_mean_of(v, paths);
        double ev = h->theta + (h->v0 - h->theta) * exp(-h->kappa);
        cr_expect_leq(r.se, 0.006, "case %zu: se %g", i, r.se);
        cr_expect_leq(fabs(r.mean), 4.0 * r.se, "case %zu: E[S_T]/(S0 e^muT) - 1 = %g +- %g", i,
                      r.mean, r.se);
        cr_expect_leq(mv.se, 0.03 * ev, "case %zu: se of E[v_T] %g", i, mv.se);
        cr_expect_leq(fabs(mv.mean - ev), 4.0 * mv.se, "case %zu: E[v_T] %g +- %g vs %g", i,
                      mv.mean, mv.se, ev);
    }
    free(x);
    free(v);
}

ParameterizedTestParameters(heston, isa_matches_reference) { return mc_all_isas(); }
ParameterizedTestParameters(heston, chunks_and_lanes) { return mc_all_isas(); }

/* A year of daily steps (and 32 steps) of every case, and 20 yearly steps of the extreme one:
 * the whole trace within 1e-12 of the reference, the variance within 1e-12, and the generators
 * exactly draws x steps further. */
ParameterizedTest(mcr_isa *isa, heston, isa_matches_reference)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    const mcr_model models[] = {heston_model(lewis), bates_model(lewis), heston_model(hard),
                                bates_model(crypto), heston_model(lewis), heston_model(extreme)};
    const int steps[] = {YEAR_STEPS, YEAR_STEPS, YEAR_STEPS, YEAR_STEPS, QE_STEPS, 20};
    const double dt[] = {1.0 / YEAR_STEPS, 1.0 / YEAR_STEPS, 1.0 / YEAR_STEPS, 1.0 / YEAR_STEPS,
                         1.0 / QE_STEPS, 1.0};
    double *trace = malloc(sizeof(double) * YEAR_STEPS * MCR_BLOCK_PATHS);
    double *want = malloc(sizeof(double) * YEAR_STEPS * MCR_BLOCK_PATHS);
    cr_assert(trace && want);
    for (int i = 0; i < 6; i++) {
        mcr_model_step c = mcr_model_step_of(&models[i], dt[i]);
        mcr_block b, r, start;
        mcr_block_init_asset(&b, &c, 42, 0, 640, log(100.0));
        start = r = b;
        k->model(&b, &c, steps[i], trace);
        mcr_model_paths_ref(&r, &c, steps[i], want);
        double d = mc_max_rel(trace, want, steps[i] * MCR_BLOCK_PATHS);
        cr_expect_leq(d, 1e-12, "%s case %d: max relative difference %g", k->name, i, d);
        for (int p = 0; p < MCR_BLOCK_PATHS; p++)
            cr_expect_leq(fabs(b.variance[p] - r.variance[p]), 1e-12 * fmax(r.variance[p], 1e-3),
                          "%s case %d path %d: v %.17g vs %.17g", k->name, i, p, b.variance[p],
                          r.variance[p]);
        cr_expect(mc_draws_exact(&start, &b, (int64_t)c.draws * steps[i]), "%s case %d",
                  k->name, i);
    }
    free(trace);
    free(want);
}

ParameterizedTest(mcr_isa *isa, heston, chunks_and_lanes)
{
    const mcr_kernels *k = mc_require_isa(*isa);
    const mcr_model models[] = {heston_model(hard), bates_model(crypto)};
    for (int m = 0; m < 2; m++)
        mc_check_chunks_and_lanes(k, &models[m]);
}
