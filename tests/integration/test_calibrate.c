/* `mcrisk calibrate` through the binary: the printed estimates and config block equal the
 * library fit, the window and end date select the rows, and every bad input exits 2 with one
 * line naming the flag or file. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "models/fit_gbm.h"
#include "strategies/strategy.h"
#include "test_dir.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

static void setup(void) { test_dir_make("/tmp/mcr-calibrate-XXXXXX"); }
static void teardown(void) { test_dir_remove(); }

TestSuite(calibrate, .init = setup, .fini = teardown);

static int calibrate(const char *args)
{
    char a[1024];
    snprintf(a, sizeof a, "calibrate %s", args);
    return run_in_dir("", MCR_BINARY, a);
}

/* GBM over 2020-03-12 back 365 returns: the block's numbers are the library's fit. */
Test(calibrate, gbm_block_equals_the_fit)
{
    cr_assert_eq(calibrate(BTC " --model gbm --window 365 --end 2020-03-12"), 0, "%s",
                 slurp("err.txt"));
    char *out = slurp("out.txt");
    cr_assert(strstr(out, "2019-03-13 to 2020-03-12 (365 daily log returns") != NULL, "%s", out);
    const char *blk = strstr(out, "model: {type: gbm, mu: ");
    cr_assert_not_null(blk, "%s", out);
    double mu, sigma;
    cr_assert_eq(sscanf(blk, "model: {type: gbm, mu: %lf, sigma: %lf}", &mu, &sigma), 2);
    mcr_data_file d;
    mcr_error err = {0};
    const char *cols[] = {"close"};
    cr_assert_eq(mcr_data_file_load(BTC, cols, 1, &d, &err), MCR_OK);
    int32_t end;
    mcr_date_parse("2020-03-12", &end);
    int last = mcr_data_file_row_at_or_before(&d, end);
    double r[365];
    mcr_log_returns(d.col[0] + last - 365, 366, r);
    mcr_fit_result f;
    cr_assert_eq(mcr_fit_gbm(r, 365, 1.0 / 365, &f, &err), MCR_OK);
    cr_assert(fabs(mu / f.x[0] - 1) < 1e-5 && fabs(sigma / f.x[1] - 1) < 1e-5, "%g %g vs %g %g",
              mu, sigma, f.x[0], f.x[1]);
    cr_assert(strstr(out, "log-likelihood") && strstr(out, "AIC") && strstr(out, "BIC"));
    mcr_data_file_free(&d);
}

/* The fhs block pastes into a config, which refits the same window to the same estimates. */
Test(calibrate, garch_prints_the_fhs_block)
{
    cr_assert_eq(calibrate(BTC " --model gjr --window 1000"), 0, "%s", slurp("err.txt"));
    char *out = slurp("out.txt");
    const char *block = strstr(out, "model: {type: fhs, data: " BTC ", column: close, start: "
                                    "2022-12-29, end: 2025-09-24, variance: gjr}");
    cr_assert(strstr(out, "gamma") && block, "%s", out);
    char yaml[2048], line[1024];
    sscanf(block, "%1023[^\n]", line);
    snprintf(yaml, sizeof yaml, "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
             "    - name: BTC\n      spot: 100\n      %s\n", line);
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "pasted.yaml", &cfg, &err), MCR_OK, "%s", err.msg);
    const mcr_series *s = cfg.assets[0].model.data.series;
    cr_assert_eq(s->n, 1000);
    char gamma[64];
    snprintf(gamma, sizeof gamma, "gamma %.6g", s->garch.gamma);
    cr_assert(strstr(out, gamma), "the config's refit %s is not the printed one:\n%s", gamma, out);
    mcr_config_free(&cfg);
}

/* A file with a gap and no close column. */
Test(calibrate, bad_input_exits_2_with_one_line)
{
    write_file("gap.csv", "date,btc\n2020-01-01,1\n2020-01-02,2\n2020-01-04,3\n2020-01-05,4\n");
    write_file("two.csv", "date,a,b\n2020-01-01,1,1\n2020-01-02,2,2\n");
    static const struct {
        const char *args, *want;
    } cases[] = {
        {BTC, "--model is required"},
        {BTC " --model heston", "--model: unknown model 'heston'; allowed: gbm, merton, kou"},
        {BTC " --model gbm --window 1", "--window: expected a whole number of days >= 2"},
        {BTC " --model gbm --window 12x", "--window: expected"},
        {BTC " --model gbm --window 6000", "--window: 6000 returns need 6001 rows"},
        {BTC " --model gbm --end 2020-02-30", "--end: expected a date YYYY-MM-DD"},
        {BTC " --model gbm --end 2011-08-18", "--end: 2011-08-18 is before the file's second row"},
        {BTC " --model gbm --column adj", "no column 'adj'; columns: open, high, low, close"},
        {"gap.csv --model gbm", "gap.csv: 2020-01-04 follows 2020-01-02"},
        {"gap.csv --model gbm --window 1", "--window"},
        {"two.csv --model gbm", "two.csv: no 'close' column; choose one with --column (columns: a, b)"},
        {"none.csv --model gbm", "none.csv: cannot open data file"},
        {"--model gbm", "calibrate takes one data file"},
        {"two.csv --model merton --column a", "merton fit: needs at least 20 returns (got 1)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_assert_eq(calibrate(cases[i].args), 2, "%s", cases[i].args);
        char *e = slurp("err.txt");
        cr_assert(strncmp(e, "mcrisk: ", 8) == 0, "%s", e);
        cr_assert(strstr(e, cases[i].want) != NULL, "'%s': expected '%s' in %s", cases[i].args,
                  cases[i].want, e);
        cr_assert(strchr(e, '\n') == e + strlen(e) - 1, "not one line: %s", e);
    }
    /* 2 returns up to 2020-01-05 need the rows from 2020-01-02: across the gap */
    cr_assert_eq(calibrate("gap.csv --model gbm --window 2 --column btc"), 2);
    cr_assert(strstr(slurp("err.txt"), "2020-01-04 follows 2020-01-02") != NULL);
}

#define CHAIN MCR_SOURCE_DIR "/data/btc_option_chain_example.csv"

Test(calibrate, surface_block)
{
    cr_assert_eq(calibrate(CHAIN " --surface --spot 60000 --rate 0.03"), 0, "%s",
                 slurp("err.txt"));
    char *out = slurp("out.txt");
    cr_assert(strstr(out, "41 quotes over 4 expiries") && strstr(out, "implied_vol:\n  skew: ") &&
              strstr(out, "  term: [{days: 7, atm: "), "%s", out);
    static const struct {
        const char *args, *want;
    } cases[] = {
        {CHAIN " --surface", "--surface needs --spot S"},
        {CHAIN " --surface --spot -1", "--spot: expected a number > 0"},
        {CHAIN " --surface --spot 6e4 --rate x", "--rate: expected a number"},
        {CHAIN " --surface --spot 6e4 --model gbm", "--surface fits an option chain"},
        {BTC " --model gbm --spot 6e4", "--spot and --rate apply to --surface only"},
        {BTC " --surface --spot 6e4", "no column 'strike'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_assert_eq(calibrate(cases[i].args), 2, "%s", cases[i].args);
        char *e = slurp("err.txt");
        cr_assert(strstr(e, cases[i].want) != NULL, "'%s': expected '%s' in %s", cases[i].args,
                  cases[i].want, e);
        cr_assert(strchr(e, '\n') == e + strlen(e) - 1, "not one line: %s", e);
    }
}
