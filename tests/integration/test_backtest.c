/* The engine's backtest (run/backtest.h) against the engine-free reference (risk/ref_backtest.h)
 * on BTC 2016: GBM refitted on 250 days, long 1 BTC, 1 day, 99%. Every day's simulated VaR is
 * within 4 standard errors of the closed form (se bounded), the exceptions agree on every day
 * not within 4 se of a tie, and the realised P&L is the file's S_{t+1} - S_t exactly. Then the
 * command end to end: the table, the HDF5 file with its statistics, the plot, bad flags. */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/normal.h"
#include "risk/ref_backtest.h"
#include "run/backtest.h"
#include "strategies/strategy.h"
#include "test_dir.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

static void setup(void) { test_dir_make("/tmp/mcr-backtest-XXXXXX"); }
static void teardown(void) { test_dir_remove(); }

TestSuite(backtest, .init = setup, .fini = teardown);

Test(backtest, engine_matches_the_closed_form_reference)
{
    static const char yaml[] = "run: {paths: 20000, seed: 4, levels: [0.99]}\n"
                               "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                               "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}\n";
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bt.yaml", &cfg, &err), MCR_OK, "%s", err.msg);
    mcr_backtest_options o = {.data = BTC, .horizon_days = 1, .window = 250, .quiet = true,
                              .sim = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2}};
    mcr_date_parse("2016-01-01", &o.from);
    mcr_date_parse("2016-12-31", &o.to);
    mcr_backtest b;
    cr_assert_eq(mcr_backtest_run(&cfg, &o, &b, &err), MCR_OK, "%s", err.msg);
    mcr_data_file d;
    const char *col = "close";
    cr_assert_eq(mcr_data_file_load(BTC, &col, 1, &d, &err), MCR_OK, "%s", err.msg);
    mcr_ref_backtest ref;
    cr_assert_eq(mcr_ref_backtest_gbm(&d, 0, o.from, o.to, 250, 0.99, 1.0, &ref, &err), MCR_OK);
    cr_assert_eq(b.n_days, ref.n);
    cr_assert_eq(b.n_days, 366);
    double p = 0.01, z = mcr_norm_quantile(p), phi = exp(-0.5 * z * z) / sqrt(2 * M_PI);
    int decided = 0;
    for (int i = 0; i < b.n_days; i++) {
        cr_assert_eq(b.day[i], ref.day[i]);
        cr_assert(fabs(b.realised[i] + ref.loss[i]) <= 1e-9 * b.spot[i], "day %d realised %.12g "
                  "vs %.12g", i, b.realised[i], -ref.loss[i]);
        /* the sample quantile's se: S e^{m + s z} s sqrt(p (1 - p) / n) / phi(z) */
        double se = b.spot[i] * exp(ref.m[i] + ref.s[i] * z) * ref.s[i] *
                    sqrt(p * (1 - p) / b.paths) / phi;
        cr_assert(fabs(b.var[i] - ref.var[i]) <= 4 * se, "day %d VaR %g vs %g (se %g)", i,
                  b.var[i], ref.var[i], se);
        cr_assert(se <= 0.02 * ref.var[i], "se %g of VaR %g", se, ref.var[i]);
        if (fabs(ref.loss[i] - ref.var[i]) > 4 * se) {
            decided++;
            cr_assert_eq(b.hit[i], ref.hit[i], "day %d", i);
        }
    }
    cr_expect(decided > 350, "days far from a tie: %d", decided);
    cr_assert_eq(b.stats[0].coverage.n, 366);
    mcr_ref_backtest_free(&ref);
    mcr_data_file_free(&d);
    mcr_backtest_free(&b);
    mcr_config_free(&cfg);
}

static int mcrisk(const char *args) { return run_in_dir("", MCR_BINARY, args); }

Test(backtest, command_writes_table_file_and_plot)
{
    write_file("bt.yaml", "run: {paths: 2000, seed: 1, levels: [0.95, 0.99]}\n"
                          "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                          "    - {name: BTC, spot: 100, model: {type: bootstrap, data: " BTC
                          ", block_days: 1}}\nstrategies:\n  - {name: unhedged, type: none}\n");
    cr_assert_eq(mcrisk("backtest bt.yaml --data " BTC " --from 2020-01-01 --to 2020-12-31 "
                        "--horizon-days 10 --window 500 -o bt.h5 --quiet --z2-sims 200"),
                 0, "%s", slurp("err.txt"));
    char *out = slurp("out.txt");
    cr_assert(strstr(out, "bootstrap model refitted daily on 500 returns") &&
                  strstr(out, "caveat: overlapping 10-day horizons") && strstr(out, "unhedged"),
              "%s", out);
    char path[512];
    in_dir("bt.h5", path, sizeof path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert(f >= 0);
    hid_t ds = H5Dopen2(f, "/backtest/statistics/exceptions", H5P_DEFAULT);
    double exc[2];
    cr_assert(ds >= 0 && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, exc) >= 0);
    H5Dclose(ds);
    unsigned char *hit = malloc(2 * 366);
    ds = H5Dopen2(f, "/backtest/exception", H5P_DEFAULT);
    cr_assert(H5Dread(ds, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, hit) >= 0);
    H5Dclose(ds);
    H5Fclose(f);
    double count[2] = {0, 0};
    for (int l = 0; l < 2; l++)
        for (int d = 0; d < 366; d++)
            count[l] += hit[l * 366 + d];
    cr_assert(count[0] == exc[0] && count[1] == exc[1] && exc[1] <= exc[0], "%g %g %g %g",
              count[0], exc[0], count[1], exc[1]);
    free(hit);
    char *svg = slurp("bt.svg");
    cr_assert(strstr(svg, "<svg") && strstr(svg, "</svg>"), "plot");
}

Test(backtest, bad_flags_exit_2_with_one_line)
{
    write_file("g.yaml", "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                         "    - {name: BTC, spot: 100, model: {type: heston, v0: 0.5, kappa: 1, "
                         "theta: 0.5, xi: 0.5, rho: 0}}\n");
    write_file("gb.yaml", "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
                          "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.5}}\n");
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"backtest g.yaml --from 2020-01-01 --to 2020-02-01", "--data FILE is required"},
        {"backtest g.yaml --data " BTC " --from 2020-13-01 --to 2020-02-01", "--from: expected"},
        {"backtest g.yaml --data " BTC " --from 2020-01-01 --to 2020-02-01 --horizon-days 0",
         "--horizon-days"},
        {"backtest g.yaml --data " BTC " --from 2020-01-01 --to 2020-02-01",
         "heston cannot be refitted"},
        {"backtest gb.yaml --data " BTC " --from 2011-09-01 --to 2012-02-01", "--window 250"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(mcrisk(cases[i].args), 2, "%s", cases[i].args);
        char *e = slurp("err.txt");
        cr_assert(strstr(e, cases[i].want) && strchr(e, '\n') == e + strlen(e) - 1,
                  "%s: %s", cases[i].args, e);
    }
}
