/* `mcrisk report --plots` end to end through the binary (every expected PNG is a real, non-trivial
 * PNG; one clear line and a non-zero exit for a missing directory parent, a bad file, a missing
 * interpreter or Python package), and `python3 -m mcrisk selftest` on a real run. */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_dir.h"

#define PNG_MIN_BYTES 8192 /* an empty 100-dpi figure is ~2 KB; ours hold hundreds of marks */
#define PNG_MIN_SIDE 400   /* pixels: every figure is at least 8 x 4.8 inches at 100 dpi */

static void make_dir(void) { test_dir_make("/tmp/mcr-plots-XXXXXX"); }

TestSuite(plots, .init = make_dir, .fini = test_dir_remove);

static int mcrisk(const char *env, const char *args)
{
    return run_in_dir(env, MCR_BINARY, args);
}

/* stderr holds exactly one line (the error), which contains `want`. */
static void assert_one_line_error(const char *want)
{
    const char *err = slurp("err.txt");
    cr_assert(strstr(err, want), "stderr lacks '%s': %s", want, err);
    const char *nl = strchr(err, '\n');
    cr_assert(nl && nl[1] == '\0', "stderr is not one line: %s", err);
}

static void run_default(void)
{
    cr_assert_eq(mcrisk("", "run --paths 3000 --quiet -o r.h5"), 0, "%s", slurp("err.txt"));
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* `name` is a PNG (signature, then an IHDR chunk) of a real figure: enough bytes and pixels. */
static void assert_png(const char *name)
{
    static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    char path[256];
    in_dir(name, path, sizeof path);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0, "%s was not written; stdout: %s", name, slurp("out.txt"));
    cr_assert_geq(sb.st_size, PNG_MIN_BYTES, "%s is only %lld bytes", name,
                  (long long)sb.st_size);
    unsigned char head[24];
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    cr_assert_eq(fread(head, 1, sizeof head, f), sizeof head);
    fclose(f);
    cr_assert_eq(memcmp(head, magic, sizeof magic), 0, "%s: not a PNG signature", name);
    cr_assert_eq(memcmp(head + 12, "IHDR", 4), 0, "%s: first chunk is not IHDR", name);
    cr_assert_geq(be32(head + 16), PNG_MIN_SIDE, "%s: width %u", name, be32(head + 16));
    cr_assert_geq(be32(head + 20), PNG_MIN_SIDE, "%s: height %u", name, be32(head + 20));
}

/* Delete a scenario's sample_paths, so the fan chart is not drawn for it (and a note says so). */
static void drop_sample_paths(const char *file, const char *scenario)
{
    char path[256], link[128];
    in_dir(file, path, sizeof path);
    snprintf(link, sizeof link, "/scenarios/%s/sample_paths", scenario);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    cr_assert_gt(H5Lexists(f, link, H5P_DEFAULT), 0, "the default run keeps %s", link);
    cr_assert_geq(H5Ldelete(f, link, H5P_DEFAULT), 0);
    cr_assert_geq(H5Fclose(f), 0);
}

/* The default config keeps sample paths in its scenarios base, black_thursday, luna and ftx;
 * base's are deleted, so its fan chart is not drawn and a note says so. */
/* 180 s: eleven figures at 150 dpi through matplotlib's constrained layout take 2-3 s each on a
 * loaded 2-core machine, more under the sanitizers. */
Test(plots, writes_every_plot, .timeout = 180)
{
    run_default();
    drop_sample_paths("r.h5", "base");
    cr_assert_eq(mcrisk("", "report r.h5 --plots pl"), 0, "%s", slurp("err.txt"));
    const char *out = slurp("out.txt");
    static const char *const expected[] = {
        "loss_hist_base.png", "loss_hist_black_thursday.png", "loss_hist_luna.png",
        "loss_hist_ftx.png",  "risk_bars.png",                "hedge_cost_cvar.png",
        "liquidation.png",    "fan_black_thursday.png",       "fan_luna.png",
        "fan_ftx.png",        "cvar_heatmap.png"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "pl/%s", expected[i]);
        assert_png(name);
        cr_expect(strstr(out, name), "stdout does not list %s: %s", name, out);
    }
    cr_expect(!exists("pl/fan_base.png"));
    cr_expect(strstr(out, "fan chart not drawn for scenario(s) base:"),
              "no note on the skipped fan chart: %s", out);
}

Test(plots, missing_parent_directory)
{
    run_default();
    cr_assert_eq(mcrisk("", "report r.h5 --plots nodir/sub"), 2);
    assert_one_line_error("nodir/sub: cannot create plot directory: No such file or directory");
    cr_assert(!exists("nodir"));
}

Test(plots, bad_result_file)
{
    char path[256];
    in_dir("junk.h5", path, sizeof path);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("not an HDF5 file\n", f);
    fclose(f);
    cr_assert_neq(mcrisk("", "report junk.h5 --plots pl"), 0);
    assert_one_line_error("junk.h5");
    cr_assert(!exists("pl"), "a plot directory was made for a bad file");
    cr_assert_neq(mcrisk("", "report absent.h5 --plots pl"), 0);
    assert_one_line_error("absent.h5");
}

/* What is missing is named: the interpreter, a Python package, the package directory. */
Test(plots, names_what_is_missing)
{
    run_default();
    cr_assert_neq(mcrisk("MCR_PYTHON=/nonexistent/python3", "report r.h5 --plots pl"), 0);
    assert_one_line_error("/nonexistent/python3 not found");

    /* A matplotlib that fails to import stands in for python3-matplotlib not installed. */
    char fake[256];
    in_dir("fake/matplotlib", fake, sizeof fake);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && echo 'raise ModuleNotFoundError(\"No module named "
             "matplotlib\", name=\"matplotlib\")' >%s/__init__.py", fake, fake);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(mcrisk("PYTHONPATH=fake", "report r.h5 --plots pl"), 1);
    assert_one_line_error("python3-matplotlib is not installed");

    cr_assert_eq(mcrisk("MCR_PYTHON_DIR=/nonexistent", "report r.h5 --plots pl"), 2);
    assert_one_line_error("MCR_PYTHON_DIR=/nonexistent: no readable mcrisk/__main__.py");
}

/* python3 -m mcrisk selftest: components add up to pnl, and the summaries match the arrays, on a
 * real run; a single altered component value makes it fail. */
Test(plots, results_selftest)
{
    run_default();
    char env[512];
    snprintf(env, sizeof env, "PYTHONPATH=%s/python", MCR_SOURCE_DIR);
    const char *args = "-m mcrisk selftest r.h5";
    cr_assert_eq(run_in_dir(env, "/usr/bin/python3", args), 0, "%s", slurp("err.txt"));
    cr_assert(strstr(slurp("out.txt"), " cells checked, 0 failures"), "%s", slurp("out.txt"));

    char path[256];
    in_dir("r.h5", path, sizeof path);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    hid_t d = H5Dopen2(f, "/scenarios/luna/strategies/collar/components/fees", H5P_DEFAULT);
    cr_assert_geq(d, 0);
    hsize_t at = 17, one = 1;
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(1, &one, NULL);
    cr_assert_geq(H5Sselect_hyperslab(fs, H5S_SELECT_SET, &at, NULL, &one, NULL), 0);
    double v = 0.0;
    cr_assert_geq(H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, &v), 0);
    /* 1e-8 of the 10,000,000 USD book: far below anything a plot would show, ten times the
     * check's tolerance (1e-9 of the P&L scale) */
    v += 0.1;
    cr_assert_geq(H5Dwrite(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, &v), 0);
    H5Sclose(ms);
    H5Sclose(fs);
    H5Dclose(d);
    cr_assert_geq(H5Fclose(f), 0);
    cr_assert_eq(run_in_dir(env, "/usr/bin/python3", args), 1);
    cr_assert(strstr(slurp("err.txt"), "luna/collar: components add up to"), "%s",
              slurp("err.txt"));
}
