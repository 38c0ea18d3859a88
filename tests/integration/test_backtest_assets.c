/* Backtests of multi-asset books (run/backtest.h): two bootstrap assets draw the same days, so a
 * book of 1 BTC and 2 "ETH" whose prices are BTC's / 10 (the same returns) has exactly 1.2 times
 * the VaR, ES and realised P&L of 1 BTC alone on every day (drawn independently the two would
 * diversify, and the VaR would be lower); one file per asset aligned on date gives the same
 * figures bitwise as one file with a column per asset; the realised P&L is the files' price
 * changes; bad file and column lists are one-line errors; the command records every file's
 * hash. */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "core/sha256.h"
#include "run/backtest.h"
#include "strategies/strategy.h"
#include "test_dir.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

static void setup(void) { test_dir_make("/tmp/mcr-backtest-assets-XXXXXX"); }
static void teardown(void) { test_dir_remove(); }

TestSuite(backtest_assets, .init = setup, .fini = teardown);

/* BTC closes of 2018-2020 as pair.csv (date, BTC, ETH = BTC / 10), btc.csv (date, close) and
 * eth.csv (date, close; from 2018-01-05, and 2020-12-31 missing: the alignment drops both). */
static void write_files(void)
{
    mcr_data_file d;
    mcr_error err = {0};
    const char *col = "close";
    cr_assert_eq(mcr_data_file_load(BTC, &col, 1, &d, &err), MCR_OK, "%s", err.msg);
    int32_t from, to, skip_to, drop;
    mcr_date_parse("2018-01-01", &from);
    mcr_date_parse("2020-12-31", &to);
    mcr_date_parse("2018-01-05", &skip_to);
    mcr_date_parse("2020-12-31", &drop);
    char path[3][512];
    in_dir("pair.csv", path[0], sizeof path[0]);
    in_dir("btc.csv", path[1], sizeof path[1]);
    in_dir("eth.csv", path[2], sizeof path[2]);
    FILE *f[3];
    for (int k = 0; k < 3; k++)
        cr_assert((f[k] = fopen(path[k], "w")) != NULL);
    fputs("date,BTC,ETH\n", f[0]);
    fputs("date,close\n", f[1]);
    fputs("date,close\n", f[2]);
    for (int i = 0; i < d.n_rows; i++) {
        if (d.day[i] < from || d.day[i] > to)
            continue;
        char day[11];
        mcr_date_format(d.day[i], day);
        double s = d.col[0][i];
        fprintf(f[0], "%s,%.17g,%.17g\n", day, s, s / 10);
        fprintf(f[1], "%s,%.17g\n", day, s);
        if (d.day[i] >= skip_to && d.day[i] != drop)
            fprintf(f[2], "%s,%.17g\n", day, s / 10);
    }
    for (int k = 0; k < 3; k++)
        fclose(f[k]);
    mcr_data_file_free(&d);
}

static void load(const char *assets, const char *book, mcr_config *cfg)
{
    char yaml[2048], pair[512];
    in_dir("pair.csv", pair, sizeof pair);
    snprintf(yaml, sizeof yaml, "run: {paths: 4000, seed: 7, levels: [0.95, 0.99]}\n"
             "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n%s\nportfolio: %s\n"
             "strategies:\n  - {name: unhedged, type: none}\n", assets, book);
    for (char *p; (p = strstr(yaml, "PAIR"));) { /* the file's path for PAIR */
        char rest[2048];
        snprintf(rest, sizeof rest, "%s", p + 4);
        snprintf(p, sizeof yaml - (size_t)(p - yaml), "%s%s", pair, rest);
    }
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bt.yaml", cfg, &err), MCR_OK, "%s\n%s", err.msg,
                 yaml);
}

static mcr_status run(const mcr_config *cfg, const char *data, const char *column,
                      mcr_backtest *b, mcr_error *err)
{
    char files[1024] = "", one[512];
    for (const char *p = data; *p;) { /* names in the test directory */
        size_t n = strcspn(p, ",");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        in_dir(name, one, sizeof one);
        snprintf(files + strlen(files), sizeof files - strlen(files), "%s%s", *files ? "," : "",
                 one);
        p += n + (p[n] == ',');
    }
    mcr_backtest_options o = {.data = files, .column = column, .horizon_days = 1, .window = 250,
                              .quiet = true, .z2_sims = 0,
                              .sim = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2}};
    mcr_date_parse("2019-10-01", &o.from);
    mcr_date_parse("2019-12-31", &o.to);
    return mcr_backtest_run(cfg, &o, b, err);
}

#define TWO                                                                                        \
    "    - {name: BTC, spot: 100, model: {type: bootstrap, data: PAIR, column: BTC, "            \
    "block_days: 1}}\n"                                                                            \
    "    - {name: ETH, spot: 10, model: {type: bootstrap, data: PAIR, column: ETH, "             \
    "block_days: 1}}"

Test(backtest_assets, two_assets_draw_the_same_days)
{
    write_files();
    mcr_config one, two;
    load("    - {name: BTC, spot: 100, model: {type: bootstrap, data: PAIR, column: BTC, "
         "block_days: 1}}", "[{asset: BTC, quantity: 1}]", &one);
    load(TWO, "[{asset: BTC, quantity: 1}, {asset: ETH, quantity: 2}]", &two);
    mcr_backtest b1, b2, b3;
    mcr_error err = {0};
    cr_assert_eq(run(&one, "pair.csv", "BTC", &b1, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(run(&two, "pair.csv", "BTC,ETH", &b2, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(run(&two, "btc.csv,eth.csv", NULL, &b3, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(b1.n_days, 92);
    cr_assert_eq(b2.n_days, 92);
    cr_assert_eq(b3.n_days, 92);
    cr_assert_str_eq(b2.model, "bootstrap");
    mcr_data_file d;
    const char *col = "close";
    cr_assert_eq(mcr_data_file_load(BTC, &col, 1, &d, &err), MCR_OK, "%s", err.msg);
    int row = mcr_data_file_row_at_or_before(&d, b1.day[0]);
    for (int i = 0; i < b1.n_days; i++) {
        cr_assert_eq(b2.day[i], b1.day[i]);
        double s0 = d.col[0][row + i], s1 = d.col[0][row + i + 1];
        double want = (s1 - s0) + 2 * (s1 / 10 - s0 / 10);
        cr_assert(fabs(b2.realised[i] - want) <= 1e-9 * s0, "day %d realised %.12g vs %.12g", i,
                  b2.realised[i], want);
        cr_assert(fabs(b1.realised[i] - (s1 - s0)) <= 1e-9 * s0);
        for (int l = 0; l < 2; l++) {
            size_t at = (size_t)l * b1.n_days + i;
            cr_assert(fabs(b2.var[at] - 1.2 * b1.var[at]) <= 1e-9 * fabs(b1.var[at]),
                      "day %d level %d: VaR %.12g vs 1.2 x %.12g", i, l, b2.var[at], b1.var[at]);
            cr_assert(fabs(b2.es[at] - 1.2 * b1.es[at]) <= 1e-9 * fabs(b1.es[at]));
            cr_assert(b1.var[at] > 0.01 * s0, "a VaR of some size: %g", b1.var[at]);
            cr_assert_eq(b2.hit[at], b1.hit[at], "day %d level %d", i, l);
            /* one file per asset aligned on date: the same figures bitwise */
            cr_assert(b3.var[at] == b2.var[at] && b3.es[at] == b2.es[at]);
        }
        cr_assert(b3.realised[i] == b2.realised[i]);
    }
    cr_assert_eq(b2.stats[0].coverage.exceptions, b1.stats[0].coverage.exceptions);
    mcr_data_file_free(&d);
    mcr_backtest_free(&b1);
    mcr_backtest_free(&b2);
    mcr_backtest_free(&b3);
    mcr_config_free(&one);
    mcr_config_free(&two);
}

Test(backtest_assets, file_and_column_lists_are_checked)
{
    write_files();
    mcr_config two;
    load(TWO, "[{asset: BTC, quantity: 1}, {asset: ETH, quantity: 2}]", &two);
    static const struct {
        const char *data, *column, *want;
    } cases[] = {
        {"pair.csv", "BTC", "1 file and 1 column for 2 assets"},
        {"pair.csv", "BTC,ETH,BTC", "1 file and 3 columns for 2 assets"},
        {"btc.csv,eth.csv,btc.csv", NULL, "3 files and 1 column for 2 assets"},
        {"pair.csv", "BTC,SOL", "no column 'SOL'"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mcr_backtest b;
        mcr_error err = {0};
        cr_assert_eq(run(&two, cases[c].data, cases[c].column, &b, &err), MCR_ERR_INPUT, "%zu",
                     c);
        cr_assert(strstr(err.msg, cases[c].want) && !strchr(err.msg, '\n'), "%zu: %s", c,
                  err.msg);
    }
    mcr_config_free(&two);
}

/* The command with one file per asset: the table names both files, the HDF5 file records both
 * hashes (the sha256 of each file, in order). */
Test(backtest_assets, command_records_every_file)
{
    write_files();
    char yaml[1024], pair[512];
    in_dir("pair.csv", pair, sizeof pair);
    snprintf(yaml, sizeof yaml, "run: {paths: 500, seed: 7, levels: [0.99]}\n"
             "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
             "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}\n"
             "    - {name: ETH, spot: 10, model: {type: bootstrap, data: %s, column: ETH}}\n"
             "portfolio: [{asset: BTC, quantity: 1}, {asset: ETH, quantity: 2}]\n", pair);
    write_file("two.yaml", yaml);
    cr_assert_eq(run_in_dir("", MCR_BINARY, "backtest two.yaml --data btc.csv,eth.csv --from "
                            "2019-12-01 --to 2019-12-31 --window 100 -o two.h5 --quiet "
                            "--z2-sims 0"), 0, "%s", slurp("err.txt"));
    cr_assert(strstr(slurp("out.txt"), "gbm+bootstrap model refitted daily on 100 returns of "
                     "btc.csv,eth.csv"), "%s", slurp("out.txt"));
    char path[512], want[2 * 65 + 1], got[2 * 65 + 1] = "";
    mcr_error err = {0};
    in_dir("btc.csv", path, sizeof path);
    cr_assert_eq(mcr_sha256_file(path, want, &err), MCR_OK);
    want[64] = ',';
    in_dir("eth.csv", path, sizeof path);
    cr_assert_eq(mcr_sha256_file(path, want + 65, &err), MCR_OK);
    in_dir("two.h5", path, sizeof path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert(f >= 0);
    hid_t a = H5Aopen_by_name(f, "/backtest", "data_sha256", H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    cr_assert(a >= 0 && H5Tget_size(t) == strlen(want) + 1 && H5Aread(a, t, got) >= 0);
    H5Tclose(t);
    H5Aclose(a);
    H5Fclose(f);
    cr_assert_str_eq(got, want);
}
