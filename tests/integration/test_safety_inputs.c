/* Suite safety_inputs (issue 10, items 6, 8, 9) through the mcrisk binary: no non-finite result
 * is ever printed (a NaN or an infinity is exit 1 naming scenario, strategy and path), values that
 * cannot give a finite result are refused by validation, odd but possible inputs (deep YAML,
 * tags, underflow, byte-order marks, quoted headers, CR line ends, NUL bytes, hexadecimal,
 * endless files) get one clean line, and `mcrisk report` refuses malformed result files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/h5_io.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-safety-in-XXXXXX"); }

TestSuite(safety_inputs, .init = make_dir, .fini = test_dir_remove);

/* `mcrisk run NAME -o out.h5 --quiet` on the config text: its exit status; stderr in err.txt. */
static int run_config(const char *name, const char *yaml)
{
    write_file(name, yaml);
    char args[256];
    snprintf(args, sizeof args, "run %s -o out.h5 --quiet", name);
    return run_in_dir("", MCR_BINARY, args);
}

static void expect_error(int status, const char *message)
{
    const char *e = slurp("err.txt");
    cr_assert(strstr(e, message), "expected \"%s\" in: %s", message, e);
    cr_assert_eq(strchr(e, '\n'), e + strlen(e) - 1, "not one line: %s", e);
    cr_assert(!exists("out.h5"));
    (void)status;
}

/* Heston with extreme parameters hedged with an inverse perpetual: the price leaves double
 * precision on some paths. Before issue 10 this printed "-nan" with exit 0. */
Test(safety_inputs, a_non_finite_pnl_is_an_error_naming_the_path)
{
    int st = run_config("h.yaml",
                        "run: {paths: 2000, seed: 1}\n"
                        "horizon: {days: 365, steps: 50}\n"
                        "market:\n  assets:\n"
                        "    - {name: BTC, spot: 100, implied_vol: {atm: 0.8}, model: {type: heston,"
                        " mu: 10, v0: 100, kappa: 0.001, theta: 100, xi: 100, rho: -1}}\n"
                        "strategies:\n"
                        "  - {name: inv, type: delta_hedge, instrument: inverse_perp,\n"
                        "     rebalance: {every_steps: 1}}\n");
    cr_assert_eq(st, 1, "%s", slurp("err.txt"));
    expect_error(st, "scenario base, strategy inv: the P&L of path ");
    expect_error(st, " is NaN");
    cr_assert(!strstr(slurp("out.txt"), "nan"), "a NaN was printed: %s", slurp("out.txt"));
}

Test(safety_inputs, prices_that_cannot_stay_finite_are_refused)
{
    static const char *const spots[] = {"1e300", "5e-324", "1e13"};
    for (int i = 0; i < 3; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml, "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                 "    - {name: BTC, spot: %s, model: {type: gbm, sigma: 0.5}}\n", spots[i]);
        cr_assert_eq(run_config("s.yaml", yaml), 2, "spot %s: %s", spots[i], slurp("err.txt"));
        expect_error(2, "s.yaml:4: market.assets[0].spot: ");
    }
    write_file("p.csv", "100,100\n1.7e308,99\n");
    cr_assert_eq(run_config("p.yaml", "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                            "    - {name: BTC, spot: 100, path_file: p.csv,\n"
                            "       model: {type: gbm, sigma: 0.5}}\n"), 2);
    expect_error(2, "p.csv:2: column 1: price 1.7e308 out of range; allowed: 1e-12 to 1e+12");
}

Test(safety_inputs, odd_yaml)
{
    /* 100,000 levels: refused at level 33 in milliseconds (libyaml alone took over a minute) */
    char *deep = malloc(200100);
    strcpy(deep, "run: ");
    memset(deep + 5, '[', 100000);
    memset(deep + 100005, ']', 100000);
    strcpy(deep + 200005, "\n");
    cr_assert_eq(run_config("deep.yaml", deep), 2);
    free(deep);
    expect_error(2, "deep.yaml:1: YAML nested more than 32 levels deep; allowed: at most 32");
    cr_assert_eq(run_config("tag.yaml", "run: !!binary aGVsbG8=\n"), 2);
    expect_error(2, "tag.yaml:1: YAML tag 'tag:yaml.org,2002:binary' not allowed");
    cr_assert_eq(run_config("py.yaml", "run: !!python/object:os.system {}\n"), 2);
    expect_error(2, "py.yaml:1: YAML tag 'tag:yaml.org,2002:python/object:os.system'");
    cr_assert_eq(run_config("u.yaml", "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                            "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 1e-400}}\n"), 2);
    expect_error(2, "u.yaml:4: market.assets[0].model.sigma: 1e-400 underflows");
}

/* A path file with a byte-order mark, a quoted header and CR-only line ends is read as the plain
 * file is; NUL bytes, hexadecimal and endless files are refused with their line. */
Test(safety_inputs, odd_path_files)
{
    static const char cfg[] = "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                              "    - {name: BTC, spot: 100, path_file: %s,\n"
                              "       model: {type: gbm, sigma: 0.5}}\n";
    char yaml[256];
    write_file("plain.csv", "100,100,100\n110,90,100\n");
    write_file("odd.csv", "\xEF\xBB\xBF\"path 1\",\"path 2\",\"path 3\"\r100,100,100\r110,90,100\r");
    snprintf(yaml, sizeof yaml, cfg, "plain.csv");
    cr_assert_eq(run_config("a.yaml", yaml), 0, "%s", slurp("err.txt"));
    static char plain[1 << 16];
    strcpy(plain, slurp("out.txt"));
    cr_assert(strstr(plain, "unhedged"));
    char path[256];
    in_dir("out.h5", path, sizeof path);
    unlink(path);
    snprintf(yaml, sizeof yaml, cfg, "odd.csv");
    cr_assert_eq(run_config("b.yaml", yaml), 0, "%s", slurp("err.txt"));
    /* the same rows (the header names the config file and the time) */
    cr_assert_str_eq(strstr(slurp("out.txt"), "\nscenario"), strstr(plain, "\nscenario"));
    unlink(path);

#define BAD(text, msg) {text, sizeof text - 1, msg}
    static const struct {
        const char *text;
        size_t len;
        const char *msg;
    } bad[] = {
        BAD("100,100,100\n1\0" "10,90,100\n", "x.csv:2: NUL byte"),
        BAD("100,100,100\n0x6e,90,100\n", "x.csv:2: column 1: not a number (got \"0x6e\")"),
        BAD("100,100,100\n110,inf,100\n", "x.csv:2: column 2: not a number"),
    };
#undef BAD
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in_dir("x.csv", path, sizeof path);
        FILE *f = fopen(path, "wb");
        fwrite(bad[i].text, 1, bad[i].len, f);
        fclose(f);
        snprintf(yaml, sizeof yaml, cfg, "x.csv");
        cr_assert_eq(run_config("x.yaml", yaml), 2, "%s", bad[i].msg);
        expect_error(2, bad[i].msg);
    }
    snprintf(yaml, sizeof yaml, cfg, "/dev/zero");
    cr_assert_eq(run_config("z.yaml", yaml), 2);
    expect_error(2, "/dev/zero: path file is not a regular file");
}

/* A result file with an empty risk table, a level outside (0, 1), no strategy, or that is not
 * HDF5 at all: exit 2 and one line, never HDF5's own error stack. */
Test(safety_inputs, report_checks_what_it_reads)
{
    cr_assert_eq(run_config("c.yaml", "run: {paths: 500, seed: 1}\nhorizon: {days: 1, steps: 2}\n"
                            "market:\n  assets:\n"
                            "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}\n"),
                 0, "%s", slurp("err.txt"));
    char script[2048];
    snprintf(script, sizeof script,
             "cd %s && /usr/bin/python3 -c \"\n"
             "import h5py, numpy as np, shutil\n"
             "def edit(name, fn):\n"
             "    shutil.copy('out.h5', name)\n"
             "    f = h5py.File(name, 'r+'); fn(f); f.close()\n"
             "def empty(f):\n"
             "    g = f['scenarios/base/strategies/unhedged']; dt = g['risk'].dtype\n"
             "    del g['risk']; g.create_dataset('risk', data=np.zeros(0, dtype=dt))\n"
             "def level(f):\n"
             "    g = f['scenarios/base/strategies/unhedged']; r = g['risk'][()]\n"
             "    r['level'][0] = 1.5; del g['risk']; g.create_dataset('risk', data=r)\n"
             "def none(f):\n"
             "    del f['scenarios/base/strategies/unhedged']\n"
             "edit('empty.h5', empty); edit('level.h5', level); edit('none.h5', none)\n"
             "open('junk.h5', 'wb').write(b'\\x89HDF\\r\\n\\x1a\\n' + bytes(100))\n\"",
             dir);
    cr_assert_eq(system(script), 0);
    static const struct {
        const char *file, *msg;
    } cases[] = {
        {"empty.h5", "empty.h5: scenario base, strategy unhedged: the risk table is empty"},
        {"level.h5", "level.h5: scenario base, strategy unhedged: risk level 1.5 is outside (0, 1)"},
        {"none.h5", "none.h5: no strategies in the file; nothing to report"},
        {"junk.h5", "junk.h5: cannot open: "},
        {"c.yaml", "c.yaml: cannot open: not an HDF5 file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[128];
        snprintf(args, sizeof args, "report %s", cases[i].file);
        cr_assert_eq(run_in_dir("", MCR_BINARY, args), 2, "%s: %s", cases[i].file,
                     slurp("err.txt"));
        const char *e = slurp("err.txt");
        cr_assert(strstr(e, cases[i].msg), "%s", e);
        cr_assert_eq(strchr(e, '\n'), e + strlen(e) - 1, "not one line: %s", e);
    }
}
