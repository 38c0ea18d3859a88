/* run.tail (run/tail.h) through mcr_run: importance-sampled VaR99.9 and CVaR99.9 of long spot
 * under GBM within 4 se of the lognormal closed form, with se's at least 2.5x smaller than plain
 * Monte Carlo's on the same path count; the pilot's shift near the closed-form one; a zero shift
 * is plain Monte Carlo (the pass's P&L bitwise the run's, weights 1, the engine's VaR); each
 * path's weight equals the likelihood ratio computed by hand from its P&L, and the weights have
 * mean 1; everything bitwise at 1 and 2 threads; bad keys refused; with run.variance_reduction
 * a control variate leaves the pass alone, antithetic pairs and qmc are refused. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "run/memory.h"
#include "tail_weights.h"
#include "test_run.h"
#include "models/gbm.h"
#include "models/normal.h"

#define YAML(paths, tail) YAML_VR(paths, tail, "{}")
#define YAML_VR(paths, tail, vr)                                                                  \
    "run: {paths: " paths ", seed: 11, levels: [0.999], tail: " tail ",\n"                        \
    "      variance_reduction: " vr "}\n"                                                          \
    "horizon: {days: 10, steps: 5}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: {type: gbm, mu: 0, sigma: 0.8}}]\n"                  \
    "portfolio: [{asset: BTC, instrument: spot, quantity: 1}]\n"                                   \
    "strategies:\n"                                                                                \
    "  - {name: unhedged, type: none}\n"                                                           \
    "  - {name: put, type: protective_put, strike: 0.9}\n"

/* 16384 paths: plain MC has about 16 paths beyond VaR99.9 (se ~0.6); the tilted pass about half
 * of its paths in the tail. */
Test(tail, gbm_long_spot_within_4_se_of_closed_form_and_2_5x_smaller_se)
{
    mcr_result r, r1;
    run_yaml(YAML("16384", "{level: 0.999}"), 2, &r);
    const mcr_strategy_result *c = mcr_result_cell(&r, 0, 0);
    const mcr_tail_result *t = &c->tail;
    mcr_gbm m = {.mu = 0, .sigma = 0.8};
    double T = 10.0 / 365.0;
    double var = mcr_gbm_var_long(&m, 100, T, 0.999), cvar = mcr_gbm_cvar_long(&m, 100, T, 0.999);
    cr_log_info("shift %.4f (%d pilot rounds), VaR %.4f +- %.4f (exact %.4f, plain %.4f +- %.4f), "
                "CVaR %.4f +- %.4f (exact %.4f, plain %.4f +- %.4f), ess %.0f",
                t->shift, t->pilot_rounds, t->var, t->var_se, var, c->summary.risk[0].var,
                c->summary.risk[0].var_se, t->cvar, t->cvar_se, cvar, c->summary.risk[0].cvar,
                c->summary.risk[0].cvar_se, t->ess);
    cr_assert_eq(t->level, 0.999);
    /* the pilot finds the terminal normal of the 0.1% quantile: Phi^-1(0.001) = -3.09 */
    cr_assert(t->pilot_reached && t->pilot_rounds >= 1);
    cr_assert(fabs(t->shift - mcr_norm_quantile(0.001)) < 0.15, "shift %g", t->shift);
    cr_assert(fabs(t->var - var) <= 4 * t->var_se, "VaR %g vs %g, se %g", t->var, var, t->var_se);
    cr_assert(fabs(t->cvar - cvar) <= 4 * t->cvar_se, "CVaR %g vs %g, se %g", t->cvar, cvar,
              t->cvar_se);
    /* the se's themselves: bounded, and at least 2.5x below plain MC at the same paths */
    cr_assert(t->var_se > 0 && t->var_se < 0.1 && t->cvar_se > 0 && t->cvar_se < 0.1);
    cr_assert(2.5 * t->var_se <= c->summary.risk[0].var_se, "%g vs %g", t->var_se,
              c->summary.risk[0].var_se);
    cr_assert(2.5 * t->cvar_se <= c->summary.risk[0].cvar_se, "%g vs %g", t->cvar_se,
              c->summary.risk[0].cvar_se);
    /* a put's floor is a constant tail: the tilted pass finds it exactly */
    const mcr_tail_result *p = &mcr_result_cell(&r, 0, 1)->tail;
    cr_assert_eq(p->var, mcr_result_cell(&r, 0, 1)->summary.risk[0].var);
    cr_assert_eq(p->var_se, 0);

    /* bitwise at 1 thread: figures, per-path P&L and weights */
    run_yaml(YAML("16384", "{level: 0.999}"), 1, &r1);
    for (int s = 0; s < 2; s++) {
        const mcr_strategy_result *a = mcr_result_cell(&r, 0, s), *b = mcr_result_cell(&r1, 0, s);
        cr_assert_eq(memcmp(&a->tail, &b->tail, sizeof a->tail), 0);
        cr_assert_eq(memcmp(a->tail_pnl, b->tail_pnl, 16384 * sizeof(double)), 0);
    }
    cr_assert_eq(memcmp(r.tail_weight[0], r1.tail_weight[0], 16384 * sizeof(double)), 0);

    /* each path's weight by hand from its P&L: long 1 unit with no costs, S_T = 100 + pnl, so
     * zeta = (ln(S_T / 100) - (mu - sigma^2 / 2) T) / (sigma sqrt T), w = exp(-c zeta + c^2 / 2) */
    for (int i = 0; i < 16384; i++) {
        double z = (log((100 + c->tail_pnl[i]) / 100) + 0.32 * T) / (0.8 * sqrt(T));
        double w = exp(-t->shift * z + 0.5 * t->shift * t->shift);
        cr_assert(fabs(r.tail_weight[0][i] - w) <= 1e-9 * w, "path %d: %g vs %g", i,
                  r.tail_weight[0][i], w);
    }
    mcr_result_free(&r);
    mcr_result_free(&r1);
}

/* The likelihood ratio has mean 1 under the tilt: with shift -1 its variance is e - 1, so the
 * sample's se is reliable (at -3.1 it is e^9.6 - 1 and the sample se is not). */
Test(tail, likelihood_ratio_has_mean_one)
{
    mcr_result r;
    run_yaml(YAML("16384", "{level: 0.999, shift: -1}"), 2, &r);
    expect_mean_weight_one(r.tail_weight[0], 16384, 0.02);
    cr_assert_eq(mcr_result_cell(&r, 0, 0)->tail.shift, -1);
    mcr_result_free(&r);
}

/* shift 0: the same draws untilted, weights 1, the engine's own VaR and CVaR. */
Test(tail, zero_shift_is_plain_monte_carlo)
{
    mcr_result r;
    run_yaml(YAML("4000", "{level: 0.999, shift: 0}"), 2, &r);
    for (int s = 0; s < 2; s++) {
        const mcr_strategy_result *c = mcr_result_cell(&r, 0, s);
        cr_assert_eq(c->tail.pilot_rounds, 0);
        cr_assert_eq(memcmp(c->tail_pnl, mcr_cell_pnl(c), 4000 * sizeof(double)), 0);
        cr_assert_eq(c->tail.var, c->summary.risk[0].var);
        cr_assert(fabs(c->tail.cvar - c->summary.risk[0].cvar) <=
                  1e-12 * fabs(c->summary.risk[0].cvar));
    }
    for (int i = 0; i < 4000; i++)
        cr_assert_eq(r.tail_weight[0][i], 1.0);
    mcr_result_free(&r);
}

Test(tail, bad_keys)
{
    expect_error(YAML("4000", "{shift: -3}"), "bad.yaml:1: run.tail.level: ", "");
    expect_error(YAML("4000", "{level: 1}"), "bad.yaml:1: run.tail.level: ", "(0, 1)");
    expect_error(YAML("4000", "{level: 0.999, strategy: hedged}"),
                 "bad.yaml:1: run.tail.strategy: ", "no strategy named \"hedged\"");
    expect_error(YAML("4000", "{level: 0.999, method: tilt}"), "bad.yaml:1: run.tail.method: ",
                 "shift");
}

/* The pass draws its own independent paths: a control variate (which changes only the plain
 * mean) leaves it bitwise alone; antithetic pairs and Sobol points would break the independence
 * its weighted standard errors assume, so they are refused naming both keys. */
Test(tail, with_variance_reduction)
{
    mcr_result r, cv;
    run_yaml(YAML("4096", "{level: 0.999, shift: -3}"), 2, &r);
    run_yaml(YAML_VR("4096", "{level: 0.999, shift: -3}", "{control_variate: terminal_spot}"), 2,
             &cv);
    for (int s = 0; s < 2; s++) {
        const mcr_strategy_result *a = mcr_result_cell(&r, 0, s), *b = mcr_result_cell(&cv, 0, s);
        cr_assert_eq(memcmp(&a->tail, &b->tail, sizeof a->tail), 0);
        cr_assert_eq(memcmp(a->tail_pnl, b->tail_pnl, 4096 * sizeof(double)), 0);
        cr_assert_eq(a->summary.risk[0].var, b->summary.risk[0].var);
    }
    /* the control variate did act on the plain mean of the unhedged book (S_T itself) */
    cr_assert_neq(mcr_result_cell(&r, 0, 0)->summary.mean_se,
                  mcr_result_cell(&cv, 0, 0)->summary.mean_se);
    mcr_result_free(&r);
    mcr_result_free(&cv);
    expect_error(YAML_VR("4096", "{level: 0.999}", "{antithetic: true}"), "bad.yaml:1: run.tail: ",
                 "not with run.variance_reduction.antithetic");
    expect_error(YAML_VR("4096", "{level: 0.999}", "{qmc: sobol, randomisations: 2}"),
                 "bad.yaml:1: run.tail: ",
                 "not with run.variance_reduction.qmc");
}

/* The pass and the pilot are in the memory estimate: with keep_pnl rank 0 keeps every path's
 * P&L (2 strategies) and weight, 24 bytes, and the gather and sort 48; every rank its share of
 * the pass, 32 (P&L, weight and zeta of the one asset), and the pilot, (2 + 1 + 2) x 8 + 24. */
Test(tail, in_the_memory_estimate)
{
    mcr_config cfg;
    load_ok(YAML("1000000", "{level: 0.999, pilot_paths: 1000000}"), &cfg);
    mcr_memory m, relayed;
    mcr_memory_estimate(&cfg, 1000000, 1000000, 1, false, MCR_OUTPUT_STREAMED, &m);
    mcr_memory_estimate(&cfg, 500000, 1000000, 1, false, MCR_OUTPUT_RELAYED, &relayed);
    double pass = -1, pass_relayed = -1;
    for (int i = 0; i < m.n; i++)
        if (!strcmp(m.term[i].name, "tail pass"))
            pass = m.term[i].bytes;
    for (int i = 0; i < relayed.n; i++)
        if (!strcmp(relayed.term[i].name, "tail pass"))
            pass_relayed = relayed.term[i].bytes;
    cr_assert_eq(pass, 1e6 * (32 + 48 + 24 + 64), "%g", pass);
    cr_assert_eq(pass_relayed, 5e5 * 32 + 1e6 * 64, "%g", pass_relayed);
    mcr_config_free(&cfg);
}
