/* Suite output_many: a file with more datasets than HDF5's metadata cache holds. The streamed
 * writer's file driver must read back the object headers HDF5 evicts; with the temporary opened
 * write-only it read zeros and the run failed ("bad object header version number") once a grid
 * had some hundred per-path datasets. Here 12 strategies x 10 scenarios, read back whole. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "output/h5_io.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-output-many-XXXXXX"); }

TestSuite(output_many, .init = make_dir, .fini = test_dir_remove);

enum { STRATEGIES = 12, SCENARIOS = 10, PATHS = 300 };

Test(output_many, a_large_grid_is_written_and_read_back)
{
    char yaml[8192];
    int n = snprintf(yaml, sizeof yaml,
                     "run: {paths: %d, seed: 5, output: grid.h5}\n"
                     "horizon: {days: 10, steps: 10}\n"
                     "market:\n"
                     "  assets: [{name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}]\n"
                     "portfolio: [{asset: BTC, instrument: spot, quantity: 1}]\n"
                     "strategies:\n"
                     "  - {name: none, type: none}\n"
                     "  - {name: perp, type: perp_hedge, contract: linear}\n",
                     PATHS);
    for (int k = 2; k < STRATEGIES; k++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n,
                      "  - {name: put%d, type: protective_put, strike: %.2f}\n", k, 0.76 + 0.02 * k);
    n += snprintf(yaml + n, sizeof yaml - (size_t)n, "scenarios:\n  - {name: base}\n");
    for (int s = 1; s < SCENARIOS; s++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n,
                      "  - {name: vol%d, vol_multiplier: 1.%d}\n", s, s);
    cr_assert_lt((size_t)n, sizeof yaml);
    write_file("grid.yaml", yaml);
    cr_assert_eq(run_in_dir("", MCR_BINARY, "run grid.yaml --quiet"), 0, "%s", slurp("err.txt"));

    char path[256];
    in_dir("grid.h5", path, sizeof path);
    mcr_result r;
    mcr_error err = {0};
    cr_assert_eq(mcr_h5_read(path, 1, &r, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(r.n_scenarios, SCENARIOS);
    cr_assert_eq(r.n_strategies, STRATEGIES);
    /* every cell's per-path P&L is there, and the hedges differ from the book */
    for (int s = 0; s < SCENARIOS; s++)
        for (int k = 0; k < STRATEGIES; k++) {
            const double *pnl = mcr_result_cell(&r, s, k)->fields.at[MCR_FIELD_PNL];
            cr_assert_not_null(pnl, "scenario %d strategy %d: no pnl", s, k);
            if (k)
                cr_assert(memcmp(pnl, mcr_result_cell(&r, s, 0)->fields.at[MCR_FIELD_PNL],
                                 PATHS * sizeof *pnl),
                          "scenario %d: strategy %d's P&L is the book's", s, k);
        }
    mcr_result_free(&r);
}
