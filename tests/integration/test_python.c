/* The Python tests (tests/python, unittest under Debian's /usr/bin/python3) run from the Criterion
 * suite, one test per module, on result files made by this build's mcrisk binary (MCR_BINARY).
 * A module passes when unittest exits 0 having run at least one test and skipped none; the
 * Chromium test is its own Criterion test and is skipped, saying so, only when chromium is not
 * installed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-python-XXXXXX"); }

TestSuite(python, .init = make_dir, .fini = test_dir_remove);

/* Run `python3 -m unittest TARGET` in tests/python; returns the exit status. */
static int unittest(const char *target)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s/tests/python && MCR_BINARY=%s PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "
             "-m unittest -v %s >%s/out.txt 2>%s/err.txt",
             MCR_SOURCE_DIR, MCR_BINARY, target, dir, dir);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The tail of unittest's report (it writes to stderr), for the failure message. */
static const char *tail(void)
{
    const char *err = slurp("err.txt");
    size_t n = strlen(err);
    return n > 3000 ? err + n - 3000 : err;
}

static void run_module(const char *module)
{
    int st = unittest(module);
    const char *err = tail();
    cr_assert_eq(st, 0, "python3 -m unittest %s failed:\n%s", module, err);
    int ran = 0;
    const char *at = strstr(err, "\nRan ");
    cr_assert(at && sscanf(at, "\nRan %d test", &ran) == 1 && ran > 0, "no test ran:\n%s", err);
    cr_assert(!strstr(err, "skipped"), "%s skipped tests:\n%s", module, err);
}

Test(python, units, .timeout = 60) { run_module("test_units"); }

Test(python, reader, .timeout = 300) { run_module("test_reader"); }

Test(python, plots, .timeout = 900) { run_module("test_plots"); }

Test(python, html, .timeout = 600) { run_module("test_html"); }

/* The README's examples print what it quotes; its figures of the default run and every path it
 * names are in the repository. */
Test(python, readme, .timeout = 300) { run_module("test_readme"); }

Test(python, html_in_chromium, .timeout = 300)
{
    if (system("command -v chromium >/dev/null 2>&1") != 0)
        cr_skip_test("chromium is not installed (apt-get install chromium; scripts/setup.sh "
                     "does): the HTML report was not opened in a browser");
    run_module("test_chromium");
}
