/* The data models (historical, bootstrap, fhs) on the shipped BTC file: every day's return is a
 * row of the file; with block_days 1 and a one-day horizon the terminal law is the empirical
 * one (quantiles at the sample quantiles, within the order-statistic bounds); a split day ends
 * exactly where its day does; historical paths are the file's windows (hand computation); the FHS
 * variance recursion by hand; assets bootstrapping the same dates; the stationary bootstrap's
 * block lengths; bitwise identical at 1 and 2 threads and every ISA against the reference. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_file.h"
#include "kernels/paths.h"
#include "scenario/market.h"
#include "sim/sim.h"
#include "strategies/strategy.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

static void load(mcr_config *cfg, const char *fmt, ...)
{
    char yaml[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(yaml, sizeof yaml, fmt, ap);
    va_end(ap);
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "data.yaml", cfg, &err), MCR_OK, "%s", err.msg);
}

/* ln S of one block after each of n steps: trace[t * stride + a * 64 + i] via the ISA's kernel. */
static void run_block(const mcr_kernels *k, const mcr_market *mp, uint64_t seed, uint64_t first,
                      int n, double *trace, mcr_assets_block *b)
{
    mcr_assets_block_init(b, &mp->step, seed, first, mp->log_s0);
    if (mp->n_assets == 1)
        k->model(&b->asset[0], &mp->step.model[0], n, trace);
    else
        k->assets(b, &mp->step, n, trace);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Bootstrap, block_days 1, one daily step: every path's return is a row of the window, and its
 * quantiles are the window's sample quantiles: the simulated p-quantile lies between the
 * sample's quantiles at p -+ 4 sqrt(p (1 - p) / N). */
Test(data_models, bootstrap_day_is_the_empirical_distribution)
{
    mcr_config cfg;
    load(&cfg, "run: {paths: 64, seed: 7}\nhorizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
               "    - {name: BTC, spot: 100, model: {type: bootstrap, data: %s, block_days: 1, "
               "start: 2015-09-25}}\n", BTC);
    mcr_market mp;
    mcr_error err = {0};
    cr_assert_eq(mcr_market_init(&mp, &cfg, 0, &err), MCR_OK, "%s", err.msg);
    const mcr_data_step *d = &mp.step.model[0].data;
    cr_assert_eq(d->n, 3652, "returns in the window: %d", d->n);
    cr_assert_eq(mp.step.model[0].draws, 2);
    enum { BLOCKS = 1600, N = BLOCKS * MCR_BLOCK_PATHS };
    double *sim = malloc(N * sizeof *sim), *sample = malloc(d->n * sizeof *sample);
    static mcr_assets_block b;
    double trace[MCR_BLOCK_PATHS];
    for (int j = 0; j < BLOCKS; j++) {
        run_block(mcr_kernels_of(mcr_isa_best()), &mp, cfg.seed, (uint64_t)j * MCR_BLOCK_PATHS,
                  1, trace, &b);
        for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
            int row = b.asset[0].data_row[i];
            cr_assert(row >= 0 && row < d->n);
            double r = trace[i] - mp.log_s0[0];
            cr_assert(fabs(r - d->ret[row]) <= 1e-13, "path return %.17g, row %d: %.17g", r, row,
                      d->ret[row]);
            sim[j * MCR_BLOCK_PATHS + i] = d->ret[row];
        }
    }
    memcpy(sample, d->ret, d->n * sizeof *sample);
    qsort(sim, N, sizeof *sim, cmp_double);
    qsort(sample, d->n, sizeof *sample, cmp_double);
    const double ps[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    for (size_t q = 0; q < sizeof ps / sizeof ps[0]; q++) {
        double p = ps[q], band = 4 * sqrt(p * (1 - p) / N);
        double s = sim[(int)(p * N)];
        double lo = sample[(int)floor((p - band) * d->n)];
        double hi = sample[(int)ceil((p + band) * d->n)];
        cr_expect(s >= lo && s <= hi, "p %g: simulated %g outside the sample's [%g, %g]", p, s,
                  lo, hi);
        cr_expect(band < 0.007, "band %g", band);
    }
    free(sim);
    free(sample);
    mcr_config_free(&cfg);
}

/* A day split into 24 hourly steps by the Brownian bridge ends exactly (to rounding) at that
 * day's return (the row it drew), the hours in between are off the straight line, and the ISA
 * agrees with the scalar reference; the horizon run in chunks of a day. */
Test(data_models, bridge_ends_at_the_day)
{
    mcr_config cfg;
    load(&cfg, "run: {paths: 64, seed: 11}\nhorizon: {days: 3, steps: 72}\nmarket:\n"
               "  assets:\n    - {name: BTC, spot: 100, model: {type: bootstrap, data: %s, "
               "block_days: 5}}\n", BTC);
    mcr_market mp;
    mcr_error err = {0};
    cr_assert_eq(mcr_market_init(&mp, &cfg, 0, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mp.step.model[0].draws, 3);
    const mcr_data_step *d = &mp.step.model[0].data;
    static mcr_assets_block bv, br;
    static double tv[24 * MCR_BLOCK_PATHS], tr[24 * MCR_BLOCK_PATHS];
    const mcr_kernels *k = mcr_kernels_of(mcr_isa_best()), *ref = mcr_kernels_of(MCR_ISA_SCALAR);
    mcr_assets_block_init(&bv, &mp.step, 11, 640, mp.log_s0);
    mcr_assets_block_init(&br, &mp.step, 11, 640, mp.log_s0);
    double start[MCR_BLOCK_PATHS], dev = 0;
    for (int i = 0; i < MCR_BLOCK_PATHS; i++)
        start[i] = mp.log_s0[0];
    for (int day = 0; day < 3; day++) {
        k->model(&bv.asset[0], &mp.step.model[0], 24, tv);
        ref->model(&br.asset[0], &mp.step.model[0], 24, tr);
        for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
            int row = bv.asset[0].data_row[i];
            cr_assert_eq(row, br.asset[0].data_row[i]);
            double r = tv[23 * 64 + i] - start[i];
            cr_assert(fabs(r - d->ret[row]) <= 1e-12, "path %d day %d: %.17g vs row %d %.17g", i,
                      day, r, row, d->ret[row]);
            for (int t = 0; t < 24; t++)
                cr_assert(fabs(tv[t * 64 + i] - tr[t * 64 + i]) <= 1e-12,
                          "isa vs reference at hour %d: %.17g %.17g", t, tv[t * 64 + i],
                          tr[t * 64 + i]);
            dev = fmax(dev, fabs(tv[11 * 64 + i] - start[i] - 0.5 * r));
            start[i] = tv[23 * 64 + i];
        }
    }
    cr_expect(dev > 1e-3, "largest midday deviation from the straight line %g", dev);
    mcr_config_free(&cfg);
}

/* Historical: one path per start date; path p's terminal price is spot x P[s + p + H] / P[s + p]
 * from the file itself. */
Test(data_models, historical_windows_by_hand)
{
    mcr_config cfg;
    load(&cfg, "run: {paths: 5, seed: 1}\nhorizon: {days: 10, steps: 10}\nmarket:\n  assets:\n"
               "    - {name: BTC, spot: 100, model: {type: historical, data: %s, start: "
               "2016-01-01, end: 2016-03-04}}\n", BTC);
    mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = 2};
    uint64_t n = mcr_sim_paths(&cfg, &opt);
    cr_assert_eq(n, 64, "start dates 2016-01-01 .. 2016-03-04: %llu", (unsigned long long)n);
    mcr_data_file f;
    mcr_error err = {0};
    const char *col = "close";
    cr_assert_eq(mcr_data_file_load(BTC, &col, 1, &f, &err), MCR_OK, "%s", err.msg);
    int32_t start;
    mcr_date_parse("2016-01-01", &start);
    int s = mcr_data_file_row_at_or_before(&f, start);
    double *pnl = malloc(n * sizeof *pnl);
    mcr_field_set out = {.at = {[MCR_FIELD_PNL] = pnl}};
    cr_assert_eq(mcr_simulate(&cfg, 0, &opt, &out, &err), MCR_OK, "%s", err.msg);
    for (uint64_t p = 0; p < n; p++) {
        double want = 100.0 * f.col[0][s + p + 10] / f.col[0][s + p] - 100.0;
        cr_assert(fabs(pnl[p] - want) <= 1e-10 * 100, "path %llu: %.12g vs %.12g",
                  (unsigned long long)p, pnl[p], want);
    }
    free(pnl);
    mcr_data_file_free(&f);
    mcr_config_free(&cfg);
}

/* FHS: one day by hand. r = mu + sqrt(h0) z[row], and the variance moves to
 * omega + (alpha + gamma 1{e < 0}) e^2 + beta h0. */
Test(data_models, fhs_variance_recursion_by_hand)
{
    mcr_config cfg;
    load(&cfg, "run: {paths: 64, seed: 3}\nhorizon: {days: 1, steps: 1}\nmarket:\n  assets:\n"
               "    - {name: BTC, spot: 100, model: {type: fhs, data: %s, variance: gjr, start: "
               "2019-01-01, end: 2024-12-31}}\n", BTC);
    mcr_market mp;
    mcr_error err = {0};
    cr_assert_eq(mcr_market_init(&mp, &cfg, 0, &err), MCR_OK, "%s", err.msg);
    const mcr_data_step *d = &mp.step.model[0].data;
    cr_assert(d->fhs && d->gamma > 0 && d->h0 > 0, "gjr fitted: gamma %g h0 %g", d->gamma,
              d->h0);
    static mcr_assets_block b;
    double trace[MCR_BLOCK_PATHS];
    int negative = 0;
    run_block(mcr_kernels_of(MCR_ISA_SCALAR), &mp, 3, 0, 1, trace, &b);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        int row = b.asset[0].data_row[i];
        double e = sqrt(d->h0) * d->ret[row];
        double h = d->omega + (d->alpha + (e < 0 ? d->gamma : 0)) * e * e + d->beta * d->h0;
        negative += e < 0;
        cr_assert(fabs(trace[i] - mp.log_s0[0] - (d->mu + e)) <= 1e-13);
        cr_assert(fabs(b.asset[0].variance[i] - h) <= 1e-15 * h, "h %.17g vs %.17g",
                  b.asset[0].variance[i], h);
    }
    cr_expect(negative > 5 && negative < 59, "both signs of shocks: %d negative", negative);
    mcr_config_free(&cfg);
}

/* Two assets on two columns of the file bootstrap the same dates on every path; the stationary
 * bootstrap's blocks: a day continues its block with probability 1 - 1/block_days. */
Test(data_models, assets_share_dates_and_blocks_have_mean_length)
{
    mcr_config cfg;
    load(&cfg, "run: {paths: 64, seed: 5}\nhorizon: {days: 30, steps: 30}\nmarket:\n  assets:\n"
               "    - {name: C, spot: 100, model: {type: bootstrap, data: %s, block_days: 4}}\n"
               "    - {name: O, spot: 50, model: {type: bootstrap, data: %s, column: open, "
               "block_days: 4}}\n", BTC, BTC);
    mcr_market mp;
    mcr_error err = {0};
    cr_assert_eq(mcr_market_init(&mp, &cfg, 0, &err), MCR_OK, "%s", err.msg);
    static mcr_assets_block b;
    static double trace[30 * 2 * MCR_BLOCK_PATHS];
    long continued = 0, days = 0;
    int prev[MCR_BLOCK_PATHS];
    for (int j = 0; j < 50; j++) {
        mcr_assets_block_init(&b, &mp.step, 5, (uint64_t)j * 64, mp.log_s0);
        for (int t = 0; t < 30; t++) {
            mcr_kernels_of(mcr_isa_best())->assets(&b, &mp.step, 1, trace);
            for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
                cr_assert_eq(b.asset[0].data_row[i], b.asset[1].data_row[i]);
                if (t > 0) {
                    continued += b.asset[0].data_row[i] == prev[i] + 1;
                    days++;
                }
                prev[i] = b.asset[0].data_row[i];
            }
        }
    }
    /* P(continue) = 3/4 plus the 1/n chance that a new block starts on the next row */
    double p = (double)continued / days, se = sqrt(0.75 * 0.25 / days);
    cr_expect(fabs(p - 0.75) <= 4 * se, "continued %g (se %g)", p, se);
    cr_expect(se < 0.005, "se %g", se);
    mcr_config_free(&cfg);
}

/* The P&L of every path is bitwise the same at 1 and 2 threads (bootstrap split days and fhs). */
Test(data_models, bitwise_at_any_thread_count)
{
    const char *models[] = {"{type: bootstrap, block_days: 3", "{type: fhs, block_days: 2"};
    for (int m = 0; m < 2; m++) {
        mcr_config cfg;
        load(&cfg, "run: {paths: 3000, seed: 9}\nhorizon: {days: 2, steps: 8}\nmarket:\n"
                   "  assets:\n    - {name: BTC, spot: 100, model: %s, data: %s}}\n", models[m],
             BTC);
        double *pnl[2];
        for (int t = 0; t < 2; t++) {
            mcr_error err = {0};
            mcr_sim_options opt = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = t + 1};
            pnl[t] = malloc(cfg.paths * sizeof(double));
            mcr_field_set out = {.at = {[MCR_FIELD_PNL] = pnl[t]}};
            cr_assert_eq(mcr_simulate(&cfg, 0, &opt, &out, &err), MCR_OK, "%s", err.msg);
        }
        cr_assert_eq(memcmp(pnl[0], pnl[1], cfg.paths * sizeof(double)), 0);
        free(pnl[0]);
        free(pnl[1]);
        mcr_config_free(&cfg);
    }
}
