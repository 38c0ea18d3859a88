/* run.target (run/target.h): the rounds double the paths until the figure's se meets the
 * target; the result is bitwise a plain run of the final count (any thread count); the
 * convergence rows are the se's of plain runs on 1/64, 1/16, 1/4 of the paths; max_paths caps
 * the rounds; bad target keys are refused at load. */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config_expect.h"
#include "output/h5_io.h"
#include "run/target.h"

#define YAML(target)                                                                               \
    "run: {paths: 2000, seed: 9, levels: [0.95, 0.99], target: " target "}\n"                     \
    "horizon: {days: 10, steps: 2}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}]\n"                         \
    "strategies:\n"                                                                                \
    "  - {name: none, type: none}\n"                                                               \
    "  - {name: put, type: protective_put, strike: 0.95}\n"

static void run_to(const char *yaml, uint64_t paths, int threads, bool target,
                   const char *output, mcr_result *out)
{
    mcr_config cfg;
    load_ok(yaml, &cfg);
    if (paths)
        cfg.paths = paths;
    mcr_run_options opt = {.sim = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = threads},
                           .quiet = 1, .output = output};
    mcr_share share;
    mcr_error err = {0};
    mcr_status st = target ? mcr_run_target(&cfg, &opt, mcr_comm_serial(), &share, out, &err)
                           : mcr_run(&cfg, &opt, mcr_comm_serial(), &share, out, &err);
    cr_assert_eq(st, MCR_OK, "%s", err.msg);
    mcr_share_free(&share);
    mcr_config_free(&cfg);
}

static void run(const char *yaml, uint64_t paths, int threads, bool target, mcr_result *out)
{
    run_to(yaml, paths, threads, target, NULL, out);
}

/* CVaR99 of one unit at sigma 0.6 over 10 days has sd about 20 per path-tail: se about 0.8 at
 * 2000 paths; a target of 0.3 takes a few doublings. */
Test(target, rounds_until_met_and_bitwise_a_plain_run)
{
    static const char yaml[] = YAML("{figure: cvar, level: 0.99, strategy: none, se: 0.3}");
    mcr_result r, r1, plain;
    run(yaml, 0, 2, true, &r);
    cr_assert(r.target.rounds >= 2, "rounds %d", r.target.rounds);
    cr_assert(r.target.met);
    uint64_t n = (uint64_t)2000 << (r.target.rounds - 1);
    cr_assert_eq(r.prov.paths, n);
    const mcr_strategy_result *c = mcr_result_cell(&r, 0, 0);
    cr_assert_eq(r.target.se, c->summary.risk[1].cvar_se);
    cr_assert(r.target.se <= 0.3);
    cr_log_info("target met after %d rounds at %llu paths: se %g", r.target.rounds,
                (unsigned long long)n, r.target.se);
    run(yaml, 0, 1, true, &r1); /* another thread count */
    run(yaml, n, 2, false, &plain); /* the final count without a target */
    for (int t = 0; t < 2; t++) {
        const mcr_strategy_result *a = mcr_result_cell(&r, 0, t);
        cr_assert(!memcmp(&a->summary, &mcr_result_cell(&plain, 0, t)->summary,
                          sizeof a->summary));
        cr_assert(!memcmp(mcr_cell_pnl(a), mcr_cell_pnl(mcr_result_cell(&plain, 0, t)),
                          n * sizeof(double)));
        cr_assert(!memcmp(a, mcr_result_cell(&r1, 0, t), offsetof(mcr_strategy_result, fields)));
    }
    /* the round before the last missed the target */
    mcr_result before;
    run(yaml, n / 2, 2, false, &before);
    cr_assert(mcr_result_cell(&before, 0, 0)->summary.risk[1].cvar_se > 0.3);
    /* convergence rows: plain runs of n/64, n/16, n/4 and n paths */
    static const int parts[4] = {64, 16, 4, 1};
    for (int row = 0; row < 4; row++) {
        uint64_t m = n / (uint64_t)parts[row];
        cr_assert_eq(c->convergence[row][0], (double)m);
        if (m < 2)
            continue;
        mcr_result p;
        run(yaml, m, 2, false, &p);
        const mcr_summary *s = &mcr_result_cell(&p, 0, 0)->summary;
        cr_assert_eq(c->convergence[row][1], s->mean_se);
        for (int l = 0; l < 2; l++) {
            cr_assert_eq(c->convergence[row][2 + 2 * l], s->risk[l].var_se);
            cr_assert_eq(c->convergence[row][3 + 2 * l], s->risk[l].cvar_se);
        }
        mcr_result_free(&p);
    }
    /* the se shrinks like 1 / sqrt(paths): 4 times the paths, about half the se */
    double ratio = c->convergence[2][3 + 2] / c->convergence[3][3 + 2];
    cr_assert(ratio > 1.6 && ratio < 2.5, "se ratio %g", ratio);
    mcr_result_free(&r);
    mcr_result_free(&r1);
    mcr_result_free(&plain);
    mcr_result_free(&before);
}

Test(target, max_paths_caps_the_rounds)
{
    mcr_result r;
    run(YAML("{figure: mean, strategy: put, se: 1e-6, max_paths: 5000}"), 0, 2, true, &r);
    cr_assert_eq(r.target.rounds, 3); /* 2000, 4000, 5000 */
    cr_assert_eq(r.target.met, 0);
    cr_assert_eq(r.prov.paths, 5000);
    cr_assert_eq(r.target.se, mcr_result_cell(&r, 0, 1)->summary.mean_se);
    mcr_result_free(&r);
}

static bool has(hid_t file, const char *obj, const char *attr)
{
    if (!attr)
        return H5Lexists(file, obj, H5P_DEFAULT) > 0;
    return H5Aexists_by_name(file, obj, attr, H5P_DEFAULT) > 0;
}

/* With an output, the rounds keep their arrays and only the last round's result is written (one
 * process streams a plain run instead): the per-path values of run.keep are those of a plain run
 * of the final count, bitwise, and the file has the convergence table and the target attributes. */
Test(target, the_file_is_a_plain_run_of_the_final_count)
{
#define KEEP_YAML(target)                                                                          \
    "run: {paths: 2000, seed: 9, keep: [pnl, trades], target: " target "}\n"                       \
    "horizon: {days: 10, steps: 2}\n"                                                              \
    "market:\n"                                                                                    \
    "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}]\n"                         \
    "strategies:\n"                                                                                \
    "  - {name: none, type: none}\n"                                                               \
    "  - {name: put, type: protective_put, strike: 0.95}\n"
    static const char yaml[] =
        KEEP_YAML("{figure: mean, strategy: put, se: 1e-6, max_paths: 5000}");
    char d[] = "/tmp/mcr-target-XXXXXX", tp[64], pp[64];
    cr_assert_not_null(mkdtemp(d));
    snprintf(tp, sizeof tp, "%s/target.h5", d);
    snprintf(pp, sizeof pp, "%s/plain.h5", d);
    mcr_result r, plain;
    run_to(yaml, 0, 2, true, tp, &r);
    cr_assert_eq(r.target.rounds, 3);
    run_to(yaml, 5000, 2, false, pp, &plain);
    mcr_result a, b;
    mcr_error err = {0};
    cr_assert_eq(mcr_h5_read(tp, 1, &a, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_h5_read(pp, 1, &b, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(a.prov.paths, 5000);
    uint64_t kept = MCR_FIELD_BIT(MCR_FIELD_PNL) | MCR_FIELD_BIT(MCR_FIELD_TRADES) |
                    MCR_FIELD_BIT(MCR_FIELD_TRADED_NOTIONAL) | MCR_FIELD_BIT(MCR_FIELD_CLOSE_COST) |
                    MCR_FIELD_BIT(MCR_FIELD_ONCHAIN_TXS);
    for (int t = 0; t < 2; t++) {
        const mcr_strategy_result *x = mcr_result_cell(&a, 0, t), *y = mcr_result_cell(&b, 0, t);
        cr_assert_eq(mcr_field_set_mask(&x->fields), kept);
        cr_assert_eq(mcr_field_set_mask(&y->fields), kept);
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (kept & MCR_FIELD_BIT(f))
                cr_assert(!memcmp(x->fields.at[f], y->fields.at[f],
                                  5000 * mcr_field_size((mcr_field_id)f)),
                          "%s of %s", mcr_fields[f].name, x->strategy);
        cr_assert(!memcmp(&x->summary, &y->summary, sizeof x->summary));
    }
    hid_t ft = H5Fopen(tp, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t fp = H5Fopen(pp, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert(ft >= 0 && fp >= 0);
    const char *put = "/scenarios/base/strategies/put/convergence";
    cr_assert(has(ft, put, NULL) && !has(fp, put, NULL));
    cr_assert(has(ft, "/", "target_rounds") && !has(fp, "/", "target_rounds"));
    H5Fclose(ft);
    H5Fclose(fp);
    mcr_result_free(&a);
    mcr_result_free(&b);
    mcr_result_free(&r);
    mcr_result_free(&plain);
    cr_assert(!remove(tp) && !remove(pp) && !rmdir(d)); /* nothing else: no temporary left */
#undef KEEP_YAML
}

Test(target, bad_keys)
{
    expect_error(YAML("{level: 0.999, se: 0.1}"), "bad.yaml:1: run.target.level: ",
                 "must be one of run.levels (got 0.999)");
    expect_error(YAML("{se: 0.1, max_paths: 1000}"), "bad.yaml:1: run.target.max_paths: ",
                 "a whole number >= run.paths (2000)");
    expect_error(YAML("{se: 0.1, strategy: hedged}"), "bad.yaml:1: run.target.strategy: ",
                 "no strategy named \"hedged\"");
    expect_error(YAML("{figure: median, se: 0.1}"), "bad.yaml:1: run.target.figure: ",
                 "mean, var, cvar");
}
