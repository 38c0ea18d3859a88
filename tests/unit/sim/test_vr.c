/* run.variance_reduction: the kernels' draw-transform hook (given shocks are used by every ISA and
 * model), antithetic pairs (exact mirror, variance ratio against the closed form, se against the
 * spread over seeds), RQMC (the European call check at CI size, se from the
 * randomisations), bitwise reproducibility at 1 and 2 threads, and the config's refusals.
 * Tolerances are stated at each assertion; README "Variance reduction" has the figures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/comm.h"
#include "kernels/kernels.h"
#include "models/black_scholes.h"
#include "models/model.h"
#include "models/model_step.h"
#include "risk/risk.h"
#include "risk/vr_se.h"
#include "sim/sim.h"
#include "strategies/strategy.h"

/* The P&L of strategy 0 of a config (threads, kernels as given), with its summary under the
 * config's variance reduction. */
static double *run_yaml(const char *yaml, int threads, mcr_isa isa, mcr_config *cfg,
                        mcr_summary *s)
{
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "vr-test", cfg, &err), MCR_OK, "%s", err.msg);
    double *pnl = malloc(cfg->paths * sizeof *pnl), *scratch = malloc(cfg->paths * sizeof *pnl);
    mcr_sim_options opt = {.kernels = mcr_kernels_of(isa), .threads = threads};
    mcr_field_set out = {.at = {[MCR_FIELD_PNL] = pnl}};
    cr_assert_eq(mcr_simulate(cfg, 0, &opt, &out, &err), MCR_OK, "%s", err.msg);
    if (s) {
        mcr_risk_summarize(pnl, cfg->paths, cfg->levels, cfg->n_levels, scratch, s);
        const mcr_comm *c = mcr_comm_serial();
        mcr_share sh;
        cr_assert(mcr_share_init(&sh, c, cfg->paths));
        cr_assert(mcr_vr_se(c, &sh, pnl, &cfg->vr, s));
        mcr_share_free(&sh);
    }
    free(scratch);
    return pnl;
}

/* GBM spot (S0 100, sigma 0.8), `days` over `steps`, with a variance-reduction map. */
static void gbm_yaml(char *buf, size_t cap, unsigned long long paths, unsigned long long seed,
                     double days, int steps, const char *vr, const char *extra)
{
    snprintf(buf, cap,
             "run: {paths: %llu, seed: %llu, levels: [0.95], variance_reduction: {%s}}\n"
             "horizon: {days: %g, steps: %d}\n"
             "market:\n  assets:\n"
             "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n%s",
             paths, seed, vr, days, steps, extra);
}

static bool have(mcr_isa isa) { return mcr_isa_supported(isa); }

/* Every kernel takes the given shocks instead of its own w (chunked calls continue the pointer):
 * a GBM path is then ln S0 + n drift + vol sum(w) exactly as the hand sum rounds; the other
 * models agree with the scalar reference fed the same shocks (1e-12: the kernels' documented
 * ~1e-14 agreement), and differ from a run without them. */
Test(vr, kernels_take_the_given_shocks)
{
    enum { STEPS = 24 };
    double shocks[STEPS * MCR_BLOCK_PATHS];
    for (int k = 0; k < STEPS * MCR_BLOCK_PATHS; k++)
        shocks[k] = sin(0.37 * k + 0.1) * 2.0;
    mcr_model models[] = {
        {.type = MCR_MODEL_GBM, .gbm = {.mu = 0.1, .sigma = 0.8}},
        {.type = MCR_MODEL_MERTON, .merton = {.sigma = 0.6, .jump_intensity = 20, .jump_mean = -0.05,
                                              .jump_std = 0.1}},
        {.type = MCR_MODEL_HESTON, .heston = {.v0 = 0.4, .kappa = 2, .theta = 0.4, .xi = 0.8,
                                              .rho = -0.5}},
    };
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
        mcr_model_step c = mcr_model_step_of(&models[m], 1.0 / 365);
        double ref[MCR_BLOCK_PATHS];
        for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
            if (!have((mcr_isa)isa))
                continue;
            const mcr_kernels *k = mcr_kernels_of((mcr_isa)isa);
            mcr_block b, plain;
            mcr_block_init_asset(&b, &c, 7, 0, 128, log(100.0));
            mcr_block_init_asset(&plain, &c, 7, 0, 128, log(100.0));
            b.shocks = shocks;
            k->model(&b, &c, 10, NULL); /* two calls: the pointer continues */
            k->model(&b, &c, STEPS - 10, NULL);
            k->model(&plain, &c, STEPS, NULL);
            cr_assert_eq(b.shocks, shocks + STEPS * MCR_BLOCK_PATHS, "%s", k->name);
            cr_assert_eq(memcmp(b.rng_state, plain.rng_state, sizeof b.rng_state), 0,
                         "the path's own outputs are still drawn (%s)", k->name);
            int differ = 0;
            for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
                if (isa == MCR_ISA_SCALAR)
                    ref[i] = b.log_price[i];
                cr_assert(fabs(b.log_price[i] - ref[i]) <= 1e-12 * fabs(ref[i]) + 1e-12,
                          "model %zu %s path %d: %.17g vs %.17g", m, k->name, i, b.log_price[i],
                          ref[i]);
                differ += b.log_price[i] != plain.log_price[i];
                if (models[m].type != MCR_MODEL_GBM)
                    continue;
                double x = log(100.0);
                for (int t = 0; t < STEPS; t++)
                    x += c.drift + c.vol * shocks[t * MCR_BLOCK_PATHS + i];
                cr_assert(fabs(b.log_price[i] - x) <= 1e-13, "%s path %d", k->name, i);
            }
            cr_assert_eq(differ, MCR_BLOCK_PATHS, "model %zu %s", m, k->name);
        }
    }
}

/* Antithetic pairs mirror exactly: ln S_T(2k) + ln S_T(2k+1) = 2 (ln S0 + n drift) for GBM, in
 * every ISA and across blocks (1e-12 relative: exp/log rounding of the P&L), at 1 and 2 threads
 * bitwise. */
Test(vr, antithetic_pairs_mirror)
{
    char yaml[1024];
    gbm_yaml(yaml, sizeof yaml, 256, 3, 30, 8, "antithetic: true", "");
    for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
        if (!have((mcr_isa)isa))
            continue;
        mcr_config cfg;
        double *pnl = run_yaml(yaml, 1, (mcr_isa)isa, &cfg, NULL);
        double *two = run_yaml(yaml, 2, (mcr_isa)isa, &cfg, NULL);
        cr_assert_eq(memcmp(pnl, two, cfg.paths * sizeof *pnl), 0, "threads 1 vs 2");
        double dt = 30.0 / 365 / 8, drift = -0.5 * 0.64 * dt * 8;
        for (uint64_t p = 0; p < cfg.paths; p += 2) {
            double sum = log(100 + pnl[p]) + log(100 + pnl[p + 1]);
            cr_assert(fabs(sum - 2 * (log(100.0) + drift)) < 1e-12 * 10, "pair %llu: %.17g",
                      (unsigned long long)p, sum);
            cr_assert(pnl[p] != pnl[p + 1]);
        }
        free(pnl);
        free(two);
        mcr_config_free(&cfg);
    }
}

/* The variance of the mean at the same paths against the closed form. For Y = S_T with
 * ln S_T = b + a Z, corr(Y(Z), Y(-Z)) = -e^{-a^2}, so antithetic pairs divide the variance of the
 * mean by 1 / (1 - e^{-a^2}) (a^2 = 0.64 x 30/365: ratio 0.0512). Each variance is estimated on
 * 2^15 paths to about 3% (lognormal and quadratic tails), the ratio to about 5%: 15% is 3 sd. */
Test(vr, antithetic_variance_ratio)
{
    char yaml[1024];
    mcr_config cfg;
    mcr_summary plain, anti;
    gbm_yaml(yaml, sizeof yaml, 32768, 11, 30, 30, "", "");
    free(run_yaml(yaml, 2, mcr_isa_best(), &cfg, &plain));
    mcr_config_free(&cfg);
    gbm_yaml(yaml, sizeof yaml, 32768, 11, 30, 30, "antithetic: true", "");
    free(run_yaml(yaml, 2, mcr_isa_best(), &cfg, &anti));
    mcr_config_free(&cfg);
    double a2 = 0.64 * 30 / 365, exact = 1 - exp(-a2);
    double ratio = (anti.mean_se / plain.mean_se) * (anti.mean_se / plain.mean_se);
    cr_log_info("antithetic variance ratio %.4f (exact %.4f), se %.4g vs %.4g", ratio, exact,
                anti.mean_se, plain.mean_se);
    cr_assert(fabs(ratio / exact - 1) < 0.15, "ratio %g vs exact %g", ratio, exact);
    /* E[P&L] = 0 (mu 0): within 4 se */
    cr_assert(fabs(anti.mean) <= 4 * anti.mean_se, "mean %g se %g", anti.mean, anti.mean_se);
}

/* The pair-based se's are honest: over 100 seeds of 2048 paths, the mean reported se of the mean,
 * VaR95 and CVaR95 against the spread of the estimates. The spread of 100 draws is known to 7%;
 * the VaR se also carries its difference quotient's error: 25% is about 3 sd. Ignoring the pairs
 * overstates the mean's se by 4x here, which this check would catch. */
Test(vr, antithetic_se_matches_spread)
{
    enum { SEEDS = 100 };
    double est[3][SEEDS], se[3] = {0}, iid = 0;
    for (int k = 0; k < SEEDS; k++) {
        char yaml[1024];
        mcr_config cfg;
        mcr_summary s;
        gbm_yaml(yaml, sizeof yaml, 2048, 1000 + k, 30, 4, "antithetic: true", "");
        double *pnl = run_yaml(yaml, 1, mcr_isa_best(), &cfg, &s);
        est[0][k] = s.mean;
        est[1][k] = s.risk[0].var;
        est[2][k] = s.risk[0].cvar;
        se[0] += s.mean_se / SEEDS;
        se[1] += s.risk[0].var_se / SEEDS;
        se[2] += s.risk[0].cvar_se / SEEDS;
        iid += s.std / sqrt(2048.0) / SEEDS;
        free(pnl);
        mcr_config_free(&cfg);
    }
    const char *name[3] = {"mean", "VaR95", "CVaR95"};
    for (int f = 0; f < 3; f++) {
        double m = 0, ss = 0;
        for (int k = 0; k < SEEDS; k++)
            m += est[f][k] / SEEDS;
        for (int k = 0; k < SEEDS; k++)
            ss += (est[f][k] - m) * (est[f][k] - m);
        double spread = sqrt(ss / (SEEDS - 1));
        cr_log_info("%s: reported se %.4f, spread %.4f", name[f], se[f], spread);
        cr_assert(fabs(se[f] / spread - 1) < 0.25, "%s: se %g vs spread %g", name[f], se[f],
                  spread);
        if (f == 0)
            cr_assert(iid > 2 * spread, "the i.i.d. se %g should overstate %g", iid, spread);
    }
}

/* The RQMC check at CI size: a European call (S0 = K = 100, sigma 0.8, r 0, one year
 * over 365 daily steps) held in the book, so the P&L is the payoff minus the Black-Scholes
 * premium (mean 0). 2^12 Sobol points x 16 randomisations against plain MC at the same 2^16
 * paths: the randomisations' se at least 5x smaller than plain MC's (the full-size 2^16 x 16
 * figure is in results/variance_reduction.md), and the RQMC estimate within 4 of its se of 0. */
Test(vr, rqmc_european_call)
{
    const char *book = "portfolio:\n"
                       "  - {asset: BTC, instrument: call, quantity: 1, strike: 100, "
                       "expiry_days: 365}\n";
    char yaml[1024];
    mcr_config cfg;
    mcr_summary plain, q;
    gbm_yaml(yaml, sizeof yaml, 65536, 5, 365, 365, "", book);
    free(run_yaml(yaml, 2, mcr_isa_best(), &cfg, &plain));
    mcr_config_free(&cfg);
    gbm_yaml(yaml, sizeof yaml, 65536, 5, 365, 365, "qmc: sobol, randomisations: 16", book);
    free(run_yaml(yaml, 2, mcr_isa_best(), &cfg, &q));
    mcr_config_free(&cfg);
    double gain = plain.mean_se / q.mean_se;
    cr_log_info("RQMC call: mean %.5f se %.5f; plain MC se %.4f; se ratio %.1f", q.mean,
                q.mean_se, plain.mean_se, gain);
    cr_assert(gain >= 5, "RQMC se %g vs plain %g", q.mean_se, plain.mean_se);
    cr_assert(fabs(q.mean) <= 4 * q.mean_se, "mean %g se %g", q.mean, q.mean_se);
    cr_assert(fabs(plain.mean) <= 4 * plain.mean_se, "plain mean %g se %g", plain.mean,
              plain.mean_se);
}

/* RQMC and antithetic runs are bitwise the same at 1 and 2 threads (two assets, a jump model:
 * the Sobol dimensions interleave the assets and jumps stay pseudo-random). */
Test(vr, bitwise_at_1_and_2_threads)
{
    const char *vr[] = {"qmc: sobol, randomisations: 4", "antithetic: true"};
    for (int v = 0; v < 2; v++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "run: {paths: 1000, seed: 9, variance_reduction: {%s}}\n"
                 "horizon: {days: 10, steps: 20}\n"
                 "market:\n  assets:\n"
                 "    - {name: BTC, spot: 100, model: {type: merton, sigma: 0.6, jump_intensity: 10, "
                 "jump_mean: -0.05, jump_std: 0.1}}\n"
                 "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"
                 "  correlation: [[1, 0.7], [0.7, 1]]\n"
                 "portfolio:\n  - {asset: BTC, instrument: spot, quantity: 1}\n"
                 "  - {asset: ETH, instrument: spot, quantity: 5}\n",
                 vr[v]);
        mcr_config cfg;
        double *one = run_yaml(yaml, 1, mcr_isa_best(), &cfg, NULL);
        double *two = run_yaml(yaml, 2, mcr_isa_best(), &cfg, NULL);
        cr_assert_eq(memcmp(one, two, cfg.paths * sizeof *one), 0, "%s", vr[v]);
        free(one);
        free(two);
        mcr_config_free(&cfg);
    }
}

static void expect_refused(const char *vr, const char *paths, const char *model, const char *key)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "run: {paths: %s, variance_reduction: {%s}}\n"
             "market:\n  assets:\n    - {name: BTC, spot: 100, model: %s}\n",
             paths, vr, model);
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "vr-test", &cfg, &err), MCR_ERR_INPUT, "%s", vr);
    cr_assert(strstr(err.msg, key) != NULL, "%s", err.msg);
}

Test(vr, refusals_name_the_key)
{
    const char *gbm = "{type: gbm, sigma: 0.8}";
    expect_refused("antithetic: true, qmc: sobol", "1000", gbm, "run.variance_reduction.qmc");
    expect_refused("antithetic: true", "1001", gbm, "run.paths");
    expect_refused("qmc: sobol, randomisations: 32", "1000", gbm, "run.paths");
    expect_refused("qmc: halton", "1000", gbm, "run.variance_reduction.qmc");
    expect_refused("randomisations: 1", "1000", gbm, "run.variance_reduction.randomisations");
}
