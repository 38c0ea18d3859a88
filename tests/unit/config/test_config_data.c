/* The data models' keys and files (config/data_sources.c): each mistake is one line naming the
 * config line, the key and what is allowed, found while loading. */
#include <criterion/criterion.h>
#include <string.h>

#include "config_expect.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"
#define HEAD "horizon: {days: 1, steps: 1}\nmarket:\n  assets:\n    - name: BTC\n      spot: 100\n"

Test(config_data, bad_files_columns_dates_and_steps)
{
    expect_error(HEAD "      model: {type: bootstrap, data: /nonexistent.csv}\n",
                 "bad.yaml:6: market.assets[0].model.data: /nonexistent.csv", "");
    expect_error(HEAD "      model: {type: bootstrap, data: " BTC ", column: last}\n",
                 "bad.yaml:6: market.assets[0].model.data: ", "no column 'last'");
    expect_error(HEAD "      model: {type: bootstrap, data: " BTC ", start: 2010-01-01}\n",
                 "bad.yaml:6: market.assets[0].model.start: ", "allowed: 2011-08-18 to 2025-09-24");
    expect_error(HEAD "      model: {type: bootstrap, data: " BTC ", end: 2020-02-30}\n",
                 "bad.yaml:6: market.assets[0].model.end: ", "YYYY-MM-DD");
    expect_error(HEAD "      model: {type: bootstrap, data: " BTC ", block_days: 0.5}\n",
                 "bad.yaml:6: market.assets[0].model.block_days: ", "[1, 1000]");
    expect_error(HEAD "      model: {type: fhs, data: " BTC ", variance: egarch}\n",
                 "bad.yaml:6: market.assets[0].model.variance: ", "garch");
    expect_error("horizon: {days: 10, steps: 10}\nmarket:\n  assets:\n    - name: BTC\n"
                 "      spot: 100\n      model: {type: historical, data: " BTC ", start: "
                 "2025-09-20}\n", "bad.yaml:6: market.assets[0].model.start: ", "10 days");
    expect_error("horizon: {days: 2, steps: 3}\nmarket:\n  assets:\n    - name: BTC\n"
                 "      spot: 100\n      model: {type: bootstrap, data: " BTC "}\n",
                 "bad.yaml:", "whole");
}

Test(config_data, shared_dates_rules)
{
    expect_error(HEAD "      model: {type: bootstrap, data: " BTC ", block_days: 2}\n"
                 "    - {name: O, spot: 1, model: {type: bootstrap, data: " BTC ", column: open}}\n",
                 "bad.yaml:7: market.assets[1].model: ", "same block length");
    expect_error(HEAD "      model: {type: bootstrap, data: " BTC "}\n"
                 "    - {name: E, spot: 1, model: {type: gbm, sigma: 0.5}}\n"
                 "  correlation: [[1, 0.5], [0.5, 1]]\n",
                 "bad.yaml:8: market.correlation: ", "data model");
    mcr_config cfg;
    load_ok(HEAD "      model: {type: fhs, data: " BTC ", start: 2020-01-01}\n"
            "    - {name: O, spot: 1, model: {type: bootstrap, data: " BTC ", column: open, "
            "block_days: 1, start: 2020-01-01}}\n", &cfg);
    cr_assert_eq(cfg.assets[0].model.data.series->n, cfg.assets[1].model.data.series->n);
    cr_assert(cfg.assets[0].implied_vol.atm > 0.3 && cfg.assets[0].implied_vol.atm < 1.5,
              "default implied vol from the fitted variance: %g", cfg.assets[0].implied_vol.atm);
    mcr_config_free(&cfg);
}
