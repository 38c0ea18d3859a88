/* `mcrisk bench` end to end, on the fastest settings: WS still reproduces its stored figures (a
 * change of configs/stress.yaml's numbers must regenerate bench/ws_reference.c, or bench --quick
 * fails in CI), the floor workload's P&L is the engine's, --json is one valid JSON document, and
 * --primitives times every primitive after checking it against the scalar reference. Speed
 * itself is never asserted. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernels/kernels.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-bench-XXXXXX"); }

/* The timeout is a kill switch only: ASan builds on a busy CI machine are slow. */
TestSuite(bench, .init = make_dir, .fini = test_dir_remove, .timeout = 600);

static int mcrisk(const char *args)
{
    return run_in_dir("", MCR_BINARY, args);
}

/* out.txt is one JSON document (Debian's python3 parses it). */
static void assert_json(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -m json.tool %s/out.txt >/dev/null", dir);
    cr_assert_eq(system(cmd), 0, "out.txt is not valid JSON:\n%s", slurp("out.txt"));
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* 30 cells x (mean, VaR99, CVaR99) at the smallest stored path count, validated before any
 * timing. */
Test(bench, ws_reproduces_its_stored_figures)
{
    int st = mcrisk("bench --workload WS --paths 1000 --repeats 1 --isa avx2 --threads 2 --json");
    cr_assert_eq(st, 0, "exit %d: WS no longer reproduces bench/ws_reference.c. If the change of "
                        "configs/stress.yaml's numbers is intended, regenerate its rows with "
                        "`mcrisk bench --workload WS --print-reference` (and with --quick, and with "
                        "--paths 1000)\n%s",
                 st, slurp("err.txt"));
    assert_json();
    const char *out = slurp("out.txt");
    cr_assert_eq(count(out, "\"pass\": true"), 90, "%s", out);
    cr_assert_eq(count(out, "\"pass\": false"), 0);
    cr_assert(strstr(out, "\"unit\": \"strategy-path-steps\""));
    cr_assert(strstr(out, "\"validated\": true"));
}

/* Another path count has no stored figures: refused, no speed reported. */
Test(bench, ws_without_reference_is_refused)
{
    cr_assert_eq(mcrisk("bench --workload WS --paths 1001 --isa avx2 --threads 1"), 1);
    cr_assert(strstr(slurp("out.txt"), "no reference figures for 1001 paths"));
    cr_assert_null(strstr(slurp("out.txt"), "| avx2 |"));
}

/* W1 validates, the floor's P&L equals the engine's (0 difference), every row is ok. */
Test(bench, floor_reproduces_the_engine)
{
    if (!mcr_isa_supported(MCR_ISA_AVX2))
        cr_skip_test("no AVX2 here");
    cr_assert_eq(mcrisk("bench --workload W1 --paths 20000 --isa avx2 --threads 1"), 0, "%s",
                 slurp("err.txt"));
    const char *out = slurp("out.txt");
    cr_assert_eq(count(out, "PASS"), 4, "%s", out);
    cr_assert(strstr(out, "| floor | 1 |"), "%s", out);
    cr_assert(strstr(out, "| 0.0e+00 ok |"), "%s", out);
    cr_assert_null(strstr(out, "MISMATCH"));
    cr_assert(strstr(out, "load average before"));
}

/* W3's floor (the hedge's arithmetic with a table CDF) reproduces the engine's P&L within the
 * table's error before it is timed, and is then timed beside the engine. */
Test(bench, hedge_floor_agrees_with_the_engine)
{
    if (!mcr_isa_supported(MCR_ISA_AVX2))
        cr_skip_test("no AVX2 here");
    cr_assert_eq(mcrisk("bench --workload W3 --paths 5000 --isa avx2 --threads 1"), 0, "%s",
                 slurp("err.txt"));
    const char *out = slurp("out.txt"), *row = strstr(out, "| floor | 1 |");
    cr_assert_eq(count(out, "PASS"), 2, "%s", out);
    cr_assert(row, "%s", out);
    double diff = -1;
    const char *cell = row;
    for (int bar = 0; bar < 10 && cell; bar++) /* the 11th cell: max rel diff */
        cell = strchr(cell + 1, '|');
    cr_assert(cell && sscanf(cell + 1, "%lf", &diff) == 1, "%s", row);
    cr_assert(diff > 0 && diff <= 1e-6, "the floor's P&L is %g from the engine's", diff);
    cr_assert_null(strstr(out, "MISMATCH"), "%s", out);
    cr_assert(strstr(out, "| avx2 | 1 |"), "%s", out);
}

Test(bench, primitives_json)
{
    if (!mcr_isa_supported(MCR_ISA_AVX2))
        cr_skip_test("no AVX2 here");
    cr_assert_eq(mcrisk("bench --primitives --quick --isa avx2 --json"), 0, "%s",
                 slurp("err.txt"));
    assert_json();
    const char *out = slurp("out.txt");
    cr_assert_eq(count(out, "\"isa\": \"avx2\", \"name\""), 9, "%s", out);
    cr_assert(strstr(out, "\"name\": \"log\""));
    cr_assert(strstr(out, "\"load_before\""));
    cr_assert(strstr(out, "\"load_after\""));
}

/* --print-config gives each workload's config as timed, which `mcrisk run` takes (the whole-run
 * script times them so); an unknown id is refused with the allowed ones. */
Test(bench, print_config_gives_runnable_workloads)
{
    static const char *const ids[] = {"W1", "W2", "WH", "W3", "WS"};
    for (int i = 0; i < 5; i++) {
        char args[160];
        snprintf(args, sizeof args, "bench --print-config %s", ids[i]);
        cr_assert_eq(mcrisk(args), 0, "%s", slurp("err.txt"));
        cr_assert(strstr(slurp("out.txt"), "seed: 42"), "%s", slurp("out.txt"));
        char cmd[512];
        snprintf(cmd, sizeof cmd, "cp %s/out.txt %s/%s.yaml", dir, dir, ids[i]);
        cr_assert_eq(system(cmd), 0);
        snprintf(args, sizeof args, "run %s.yaml --paths 1000 -o %s.h5 --quiet", ids[i], ids[i]);
        cr_assert_eq(mcrisk(args), 0, "%s: %s", ids[i], slurp("err.txt"));
    }
    cr_assert_eq(mcrisk("bench --print-config W9"), 2);
    cr_assert(strstr(slurp("err.txt"), "unknown workload 'W9'; allowed: W1, W2, WH, W3, WS"),
              "%s", slurp("err.txt"));
}
