/* Pegged assets in the engine (market.assets[].peg, kernels' `peg`, sim's replay): the peg path on
 * replayed reference paths against a hand recomputation from the draw contract (the asset's own
 * stream, u_count then u_time per step) and, without jumps, against the closed-form recovery;
 * under GBM the expected peg and the number of depeg steps against their closed forms within
 * 4 se (the crash loading through the compensator of the jump count on each path); every ISA
 * against the scalar reference, bitwise at 1 and 2 threads; the config's errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/pcg32.h"
#include "sim/sim.h"
#include "strategies/strategy.h"
#include "unit_mc.h"
#include "config_expect.h"

static mcr_config load(const char *yaml)
{
    mcr_config c;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "peg.yaml", &c, &err), MCR_OK, "%s\n%s", err.msg,
                 yaml);
    return c;
}

/* ETH (GBM) and stETH pegged to it, one spot position on each. */
static mcr_config peg_config(int paths, int days, int steps, double steth_spot, double lambda,
                             double jump, double recovery_days, double crash)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "run: {paths: %d, seed: 11}\n"
             "horizon: {days: %d, steps: %d}\n"
             "market:\n"
             "  assets:\n"
             "    - {name: ETH, spot: 2000, model: {type: gbm, mu: 0, sigma: 0.8}}\n"
             "    - {name: stETH, spot: %.17g, peg: {to: ETH, jump_intensity: %.17g, "
             "jump_size: %.17g, recovery_days: %.17g, crash_loading: %.17g}}\n"
             "portfolio: [{asset: ETH, quantity: 1}, {asset: stETH, quantity: 1}]\n",
             paths, days, steps, steth_spot, lambda, jump, recovery_days, crash);
    return load(yaml);
}

/* The peg path of replayed path `path` by hand: D from the running maximum of ln ETH, the
 * Poisson count N by summing its probabilities until they pass u_count (at most 16), then
 * g' = g e^{-kappa dt} q^N + (1 - q^N) e^{-kappa dt (1 - u_time)}. */
static void peg_by_hand(const mcr_config *c, const double *eth, int steps, uint64_t path,
                        double *peg)
{
    const mcr_peg_params *p = &c->assets[1].peg.params;
    double dt = c->horizon_days / 365.0 / steps, kappa = log(2.0) / (p->recovery_days / 365);
    mcr_pcg32 g = mcr_pcg32_for_asset(c->seed, 1, path);
    double max_log = log(eth[0]);
    peg[0] = c->assets[1].spot / eth[0];
    for (int t = 1; t <= steps; t++) {
        max_log = fmax(max_log, log(eth[t]));
        double lambda = p->jump_intensity * dt * (1 + p->crash_loading * (max_log - log(eth[t])));
        double u_count = um_uniform(&g), u_time = um_uniform(&g);
        int n = 0;
        double prob = exp(-lambda), cdf = prob;
        while (n < 16 && u_count > cdf) {
            n++;
            prob *= lambda / n;
            cdf += prob;
        }
        double qn = pow(1 - p->jump_size, n), gap = 1 - peg[t - 1];
        gap = gap * exp(-kappa * dt) * qn + (1 - qn) * exp(-kappa * dt * (1 - u_time));
        peg[t] = 1 - gap;
    }
}

/* Replay `eth` (one path) through the block loop on ISA isa; stETH's prices of path 0 out. */
static void replay_eth(const mcr_config *c, mcr_isa isa, const double *eth, double *steth)
{
    int steps = c->steps;
    mcr_replay r = {.paths = 1};
    r.price[0] = malloc((size_t)(steps + 1) * sizeof(double));
    memcpy(r.price[0], eth, (size_t)(steps + 1) * sizeof(double));
    double *out = malloc(2 * (size_t)(steps + 1) * sizeof(double));
    mcr_sim_options opt = {.kernels = mcr_kernels_of(isa), .threads = 1, .replay = &r};
    mcr_error err = {0};
    cr_assert_eq(mcr_sample_paths(c, 0, &opt, 1, out, &err), MCR_OK, "%s", err.msg);
    for (int t = 0; t <= steps; t++) {
        cr_assert_eq(out[t], eth[t], "the reference is replayed as given");
        steth[t] = out[(size_t)(steps + 1) + t];
    }
    free(out);
    mcr_replay_free(&r);
}

/* Without jumps the discount halves every recovery_days: stETH at 1,900 against ETH at 2,000
 * (peg 0.95), half-life 2 days, daily steps: peg_t = 1 - 0.05 x 2^{-t/2}, stETH = ETH_t peg_t. */
Test(peg_asset, recovery_without_jumps_on_a_replayed_path)
{
    mcr_config c = peg_config(1, 6, 6, 1900, 0, 0.1, 2, 0);
    const double eth[7] = {2000, 1900, 1700, 1800, 2100, 2050, 2200};
    double steth[7];
    for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
        if (!mcr_isa_supported((mcr_isa)isa))
            continue;
        replay_eth(&c, (mcr_isa)isa, eth, steth);
        for (int t = 0; t <= 6; t++)
            cr_assert_float_eq(steth[t], eth[t] * (1 - 0.05 * pow(2, -t / 2.0)),
                               1e-12 * eth[t], "isa %d step %d", isa, t);
    }
    mcr_config_free(&c);
}

/* Frequent jumps loaded on a falling ETH (200 a year at the high, crash loading 20, 8% each):
 * every step of the replayed path matches the hand recomputation from the stream. */
Test(peg_asset, jumps_on_a_replayed_crash_match_the_hand_path)
{
    mcr_config c = peg_config(1, 8, 8, 2000, 200, 0.08, 5, 20);
    const double eth[9] = {2000, 1950, 1800, 1500, 1300, 1350, 1200, 1400, 1600};
    double steth[9], peg[9];
    peg_by_hand(&c, eth, 8, 0, peg);
    int jumps = 0;
    for (int t = 1; t <= 8; t++)
        jumps += peg[t] < peg[t - 1];
    cr_log_info("hand peg path: %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f (%d jump steps)", peg[1],
                peg[2], peg[3], peg[4], peg[5], peg[6], peg[7], peg[8], jumps);
    cr_assert_geq(jumps, 2, "the path exercises jumps");
    for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
        if (!mcr_isa_supported((mcr_isa)isa))
            continue;
        replay_eth(&c, (mcr_isa)isa, eth, steth);
        for (int t = 0; t <= 8; t++)
            cr_assert_float_eq(steth[t] / eth[t], peg[t], 1e-12, "isa %d step %d", isa, t);
    }
    mcr_config_free(&c);
}

/* n sampled paths of both assets (out[(a * n + p) * (steps + 1) + t]). */
static double *sample(const mcr_config *c, mcr_isa isa, int threads)
{
    int n = (int)c->paths;
    double *out = malloc(2 * (size_t)n * (size_t)(c->steps + 1) * sizeof(double));
    mcr_sim_options opt = {.kernels = mcr_kernels_of(isa), .threads = threads};
    mcr_error err = {0};
    cr_assert_eq(mcr_sample_paths(c, 0, &opt, n, out, &err), MCR_OK, "%s", err.msg);
    return out;
}

/* c = 0, starting at the peg: E[peg_T] is the scheme's mean map iterated (mcr_peg_scheme_mean,
 * within 2e-6 of the continuous E[peg_T] = 1 - g_inf (1 - e^{-(kappa + lambda J) T}) at these
 * daily steps), and a jump always lowers the peg here (the discount stays far below
 * J e^{-kappa dt} / (1 - e^{-kappa dt} (1 - J))), so the steps where it falls number
 * steps x (1 - e^{-lambda dt}) on average. */
Test(peg_asset, expected_peg_and_jump_steps_without_loading)
{
    const int n = 4000, steps = 60;
    mcr_config c = peg_config(n, 60, steps, 2000, 12, 0.05, 30, 0);
    double *out = sample(&c, mcr_isa_best(), 2);
    const mcr_peg_params *p = &c.assets[1].peg.params;
    double dt = 60 / 365.0 / steps;
    mcr_peg_step ps = mcr_peg_step_of(p, dt);
    double exact = mcr_peg_scheme_mean(&ps, 1.0, steps);
    um_close(exact, mcr_peg_mean(p, 1.0, 60 / 365.0), 2e-6, "scheme against continuous mean");
    um_stats peg = {0}, count = {0};
    for (int i = 0; i < n; i++) {
        const double *eth = out + (size_t)i * (steps + 1);
        const double *st = out + ((size_t)n + i) * (steps + 1);
        int k = 0;
        for (int t = 1; t <= steps; t++)
            k += st[t] / eth[t] < st[t - 1] / eth[t - 1];
        um_add(&peg, st[steps] / eth[steps]);
        um_add(&count, k);
    }
    um_within_4se(&peg, exact, 1.5e-3, "E[peg_T]");
    um_within_4se(&count, steps * -expm1(-12 * dt), 0.03, "E[jump steps]");
    cr_expect(peg.mean < 1 - 0.2 * (1 - exact), "the peg is below 1 on average");
    free(out);
    mcr_config_free(&c);
}

/* With the crash loading the count of jump steps less its compensator, the sum over steps of
 * P(N_t >= 1 | path) = 1 - e^{-lambda dt (1 + c D_t)} with D_t ETH's log drawdown on the path,
 * has mean 0 on any ETH model; the loading raises the jumps well above the unloaded count. */
Test(peg_asset, crash_loading_matches_its_compensator)
{
    const int n = 3000, steps = 30;
    const double lambda = 6, crash = 10;
    mcr_config c = peg_config(n, 30, steps, 2000, lambda, 0.03, 20, crash);
    double *out = sample(&c, mcr_isa_best(), 2);
    double dt = 30 / 365.0 / steps;
    um_stats diff = {0}, count = {0};
    for (int i = 0; i < n; i++) {
        const double *eth = out + (size_t)i * (steps + 1);
        const double *st = out + ((size_t)n + i) * (steps + 1);
        double comp = 0, max_log = log(eth[0]);
        int k = 0;
        for (int t = 1; t <= steps; t++) {
            max_log = fmax(max_log, log(eth[t]));
            comp += -expm1(-lambda * dt * (1 + crash * (max_log - log(eth[t]))));
            k += st[t] / eth[t] < st[t - 1] / eth[t - 1];
        }
        um_add(&diff, k - comp);
        um_add(&count, k);
    }
    um_within_4se(&diff, 0, 0.02, "jump steps - compensator");
    double unloaded = steps * -expm1(-lambda * dt);
    cr_log_info("jump steps %.4f, without loading %.4f", count.mean, unloaded);
    cr_expect(count.mean > 1.5 * unloaded, "the loading raises the jumps: %.3f vs %.3f",
              count.mean, unloaded);
    free(out);
    mcr_config_free(&c);
}

/* Bitwise at 1 and 2 threads, every ISA close to the scalar reference, also with a price shock
 * (the peg then follows the shocked reference step by step). */
Test(peg_asset, threads_and_isas_agree)
{
    mcr_config c = peg_config(200, 20, 20, 1990, 30, 0.05, 10, 8);
    for (int shock = 0; shock < 2; shock++) {
        if (shock) {
            c.scenarios[0].n_shocks = 1;
            c.scenarios[0].shocks[0] = (mcr_shock){.day = 5, .ret = -0.3};
        }
        double *ref = sample(&c, MCR_ISA_SCALAR, 2);
        size_t size = 2 * (size_t)200 * 21;
        for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
            if (!mcr_isa_supported((mcr_isa)isa))
                continue;
            double *one = sample(&c, (mcr_isa)isa, 1), *two = sample(&c, (mcr_isa)isa, 2);
            cr_assert(memcmp(one, two, size * sizeof(double)) == 0, "isa %d: threads differ", isa);
            for (size_t k = 0; k < size; k++)
                cr_assert(fabs(one[k] - ref[k]) <= 1e-12 * ref[k], "isa %d value %zu: %.17g vs "
                          "%.17g", isa, k, one[k], ref[k]);
            free(one);
            free(two);
        }
        free(ref);
    }
    mcr_config_free(&c);
}

Test(peg_asset, config_errors_name_the_key)
{
    const char *head = "market:\n  assets:\n    - {name: ETH, spot: 2000, model: {type: gbm, "
                       "sigma: 0.8}}\n";
    static const bad_case bad[] = {
        {"    - {name: stETH, spot: 2000}\n", "market.assets[1].model: required key missing"},
        {"    - {name: stETH, spot: 2000, model: {type: gbm, sigma: 0.8}, peg: {to: ETH, "
         "jump_intensity: 1, jump_size: 0.1, recovery_days: 10}}\n",
         "market.assets[1].peg: not allowed with model"},
        {"    - {name: stETH, spot: 2000, peg: {to: stETH, jump_intensity: 1, jump_size: 0.1, "
         "recovery_days: 10}}\n",
         "market.assets[1].peg.to: stETH cannot be the reference"},
        {"    - {name: stETH, spot: 2000, peg: {to: BTC, jump_intensity: 1, jump_size: 0.1, "
         "recovery_days: 10}}\n",
         "market.assets[1].peg.to: unknown asset"},
        {"    - {name: stETH, spot: 2100, peg: {to: ETH, jump_intensity: 1, jump_size: 0.1, "
         "recovery_days: 10}}\n",
         "market.assets[1].spot: must be at most ETH's spot 2000"},
        {"    - {name: stETH, spot: 2000, peg: {to: ETH, jump_intensity: 1, jump_size: 1.5, "
         "recovery_days: 10}}\n",
         "market.assets[1].peg.jump_size: must be a number in [0, 0.99]"},
        {"    - {name: stETH, spot: 2000, peg: {to: ETH, jump_size: 0.1, recovery_days: 10}}\n",
         "market.assets[1].peg.jump_intensity: required key missing"},
        {"    - {name: stETH, spot: 2000, peg: {to: ETH, jump_intensity: 1, jump_size: 0.1, "
         "recovery_days: 10}}\n  correlation: [[1, 0.5], [0.5, 1]]\n",
         "market.correlation: [1][0] is 0.5, but stETH is pegged"},
        {"    - {name: stETH, spot: 2000, peg: {to: ETH, jump_intensity: 1, jump_size: 0.1, "
         "recovery_days: 10}}\nportfolio: [{asset: stETH, quantity: 1, yield: 2}]\n",
         "portfolio[0].yield: must be a number in [0, 1]"},
    };
    expect_errors_after(head, bad, sizeof bad / sizeof bad[0]);
}
