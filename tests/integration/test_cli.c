/* The mcrisk binary end to end: reproducibility across thread counts and ISAs, the summary table,
 * and bad input (one clear line, exit status 2, no file left under the output name). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/h5_io.h"
#include "kernels/kernels.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-cli-XXXXXX"); }

TestSuite(cli, .init = make_dir, .fini = test_dir_remove);

/* Run `mcrisk ARGS` in the test's directory; stdout and stderr go to files there. */
static int mcrisk(const char *args)
{
    return run_in_dir("", MCR_BINARY, args);
}

/* No file and no temporary file may be left under the output name. */
static void assert_no_output(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q '^%s'", dir, name);
    cr_assert_neq(system(cmd), 0, "a file named %s* was left behind", name);
}

static const char small_cfg[] = "run: {paths: 20000, seed: 7}\n"
                                "horizon: {days: 30, steps: 48}\n"
                                "market:\n"
                                "  assets:\n"
                                "    - name: BTC\n"
                                "      spot: 100\n"
                                "      model: {type: gbm, mu: 0.05, sigma: 0.8}\n";

static mcr_result read_result(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mcr_result r;
    mcr_error err = {0};
    cr_assert_eq(mcr_h5_read(path, 1, &r, &err), MCR_OK, "%s", err.msg);
    return r;
}

Test(cli, thread_count_reproducible)
{
    write_file("c.yaml", small_cfg);
    cr_assert_eq(mcrisk("run c.yaml -o t1.h5 --threads 1 --quiet"), 0, "%s", slurp("err.txt"));
    cr_assert_eq(mcrisk("run c.yaml -o t2.h5 --threads 2 --quiet"), 0, "%s", slurp("err.txt"));
    mcr_result a = read_result("t1.h5"), b = read_result("t2.h5");
    cr_assert_eq(a.prov.paths, 20000);
    cr_assert_eq(a.prov.threads, 1);
    cr_assert_eq(b.prov.threads, 2);
    cr_assert_not_null(mcr_cell_pnl(&a.cells[0]));
    cr_assert_eq(memcmp(mcr_cell_pnl(&a.cells[0]), mcr_cell_pnl(&b.cells[0]),
                        20000 * sizeof(double)), 0, "pnl differs between 1 and 2 threads");
    cr_assert_eq(memcmp(&a.cells[0].summary, &b.cells[0].summary, sizeof a.cells[0].summary), 0);
    mcr_result_free(&a);
    mcr_result_free(&b);
}

Test(cli, isa_agreement)
{
    write_file("c.yaml", small_cfg);
    cr_assert_eq(mcrisk("run c.yaml -o ref.h5 --isa scalar --quiet"), 0, "%s", slurp("err.txt"));
    mcr_result ref = read_result("ref.h5");
    cr_assert_str_eq(ref.prov.isa, "scalar");
    for (int isa = MCR_ISA_AVX2; isa < MCR_ISA_COUNT; isa++) {
        if (!mcr_isa_supported((mcr_isa)isa))
            continue;
        const char *name = mcr_kernels_of((mcr_isa)isa)->name;
        char args[128];
        snprintf(args, sizeof args, "run c.yaml -o simd.h5 --isa %s --quiet", name);
        cr_assert_eq(mcrisk(args), 0, "%s", slurp("err.txt"));
        mcr_result r = read_result("simd.h5");
        cr_assert_str_eq(r.prov.isa, name);
        double worst = 0;
        for (int i = 0; i < 20000; i++) {
            /* relative to the position's value: P&L near zero has no relative scale */
            double d = fabs(mcr_cell_pnl(&r.cells[0])[i] - mcr_cell_pnl(&ref.cells[0])[i]) /
                       (100.0 + fabs(mcr_cell_pnl(&ref.cells[0])[i]));
            worst = d > worst ? d : worst;
        }
        cr_expect(worst <= 1e-12, "%s vs scalar: max relative difference %g", name, worst);
        mcr_result_free(&r);
    }
    mcr_result_free(&ref);
}

Test(cli, default_run_and_report)
{
    cr_assert_eq(mcrisk("run --paths 4000 -o d.h5"), 0, "%s", slurp("err.txt"));
    char *out = slurp("out.txt");
    cr_assert(strstr(out, "unhedged") && strstr(out, "VaR 99% +- se"), "%s", out);
    cr_assert_eq(mcrisk("report d.h5 --format csv"), 0, "%s", slurp("err.txt"));
    out = slurp("out.txt");
    cr_assert(strstr(out, "scenario,strategy,kind,holds_perp,currency,mean,") &&
                  strstr(out, "\nbase,unhedged,none,false,USD,"), "%s", out);
    cr_assert_eq(mcrisk("report d.h5 --format markdown"), 0);
    cr_assert(strstr(slurp("out.txt"), "|---|"));
    mcr_result r = read_result("d.h5");
    cr_assert(strstr(r.prov.config_yaml, "market") != NULL, "config text not recorded");
    cr_assert_eq(r.prov.paths, 4000);
    mcr_result_free(&r);
}

/* One bad-input case: exit 2, one line on stderr containing each `needle`, no output file. */
static void expect_bad(const char *args, const char *needle1, const char *needle2)
{
    cr_assert_eq(mcrisk(args), 2, "`mcrisk %s` should exit 2; stderr: %s", args,
                 slurp("err.txt"));
    char *err = slurp("err.txt");
    cr_assert(strncmp(err, "mcrisk: ", 8) == 0, "%s", err);
    cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "not one line: %s", err);
    cr_assert(strstr(err, needle1), "`%s` missing from: %s", needle1, err);
    if (needle2)
        cr_assert(strstr(err, needle2), "`%s` missing from: %s", needle2, err);
    assert_no_output("bad.h5");
}

Test(cli, bad_input)
{
    expect_bad("run missing.yaml -o bad.h5", "missing.yaml", NULL);
    write_file("k.yaml", "run: {paths: 100, pathz: 3}\nmarket:\n  assets:\n"
                         "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n");
    expect_bad("run k.yaml -o bad.h5", "run.pathz", "k.yaml:1");
    write_file("s.yaml", "run: {paths: 100}\nmarket:\n  assets:\n    - name: BTC\n"
                         "      spot: 100\n      model: {type: gbm, sigma: -0.2}\n");
    expect_bad("run s.yaml -o bad.h5", "sigma", "s.yaml:6");
    write_file("t.yaml", "run: {paths: many}\nmarket:\n  assets:\n"
                         "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n");
    expect_bad("run t.yaml -o bad.h5", "run.paths", "t.yaml:1");
    write_file("n.yaml", "run: {paths: -5}\nmarket:\n  assets:\n"
                         "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n");
    expect_bad("run n.yaml -o bad.h5", "run.paths", NULL);
    expect_bad("run --paths 0 -o bad.h5", "--paths", NULL);
    expect_bad("run --isa sse9 -o bad.h5", "--isa", "allowed");
    expect_bad("run --paths 1000 -o /nonexistent-dir/bad.h5", "/nonexistent-dir", NULL);
    cr_assert(!exists("out.h5"));
}

Test(cli, unknown_command_and_format)
{
    cr_assert_eq(mcrisk("frobnicate"), 2);
    cr_assert(strstr(slurp("err.txt"), "allowed: run, report, bench"));
    cr_assert_eq(mcrisk("report nothing.h5"), 2);
    cr_assert(strstr(slurp("err.txt"), "nothing.h5"));
    cr_assert_eq(mcrisk("report x.h5 --format pdf"), 2);
    cr_assert(strstr(slurp("err.txt"), "allowed: table, csv, markdown"));
}

/* Every example config under configs/ runs (small) and writes its result. */
Test(cli, example_configs_run)
{
    static const char *const configs[] = {"gbm_spot", "merton", "kou", "heston", "bates",
                                          "two_assets", "hedges", "hull_replay", "defi_amm",
                                          "defi_amm_replay", "defi_loan", "defi_venue_options"};
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, "run %s/configs/%s.yaml --paths 2000 -o ex.h5 --quiet",
                 MCR_SOURCE_DIR, configs[i]);
        cr_expect_eq(mcrisk(args), 0, "%s: %s", configs[i], slurp("err.txt"));
        cr_expect(exists("ex.h5"), "%s wrote no file", configs[i]);
    }
}

/* run.sample_paths keeps the prices of the first paths at every step: they are the run's own
 * paths, so for a spot book S_T - S0 is each sampled path's P&L. */
Test(cli, sample_paths_are_the_runs_paths)
{
    write_file("s.yaml", "run: {paths: 500, seed: 3, sample_paths: 70}\n"
                         "horizon: {days: 10, steps: 40}\n"
                         "market:\n  assets:\n"
                         "    - {name: BTC, spot: 100, model: {type: merton, sigma: 0.5,\n"
                         "       jump_intensity: 20, jump_mean: -0.05, jump_std: 0.1}}\n"
                         "scenarios: [{name: base}, {name: crash, shock: {day: 5, return: -0.2}}]\n");
    cr_assert_eq(mcrisk("run s.yaml -o s.h5 --quiet"), 0, "%s", slurp("err.txt"));
    mcr_result r = read_result("s.h5");
    cr_assert_eq(r.n_sample, 70);
    cr_assert_eq(r.sample_assets, 1);
    for (int sc = 0; sc < 2; sc++) {
        const double *sp = r.sample_paths[sc];
        cr_assert_not_null(sp, "scenario %d has no sample paths", sc);
        for (int p = 0; p < 70; p++) {
            cr_assert_eq(sp[p * 41], 100.0);
            double pnl = mcr_cell_pnl(mcr_result_cell(&r, sc, 0))[p];
            cr_assert(fabs(sp[p * 41 + 40] - 100.0 - pnl) < 1e-12, "scenario %d path %d", sc, p);
        }
    }
    mcr_result_free(&r);
}
