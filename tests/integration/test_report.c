/* The summary table end to end through the binary: the header block and legend, columns within
 * 120 characters (narrowed as far as needed) that stay aligned for any strategy name, the dCVaR
 * column from the file's paired differences, P(liq) only where a perpetual is held,
 * the collar's solved call strike (checked to give a zero net premium), --wide, and the CSV,
 * Markdown and JSON formats carrying every figure (JSON read back by Python's json module), with
 * run.tail's and hedge_ratio: optimize's when the run had them. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/h5_io.h"
#include "output/money.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-report-XXXXXX"); }

TestSuite(report, .init = make_dir, .fini = test_dir_remove);

static int mcrisk(const char *args)
{
    return run_in_dir("", MCR_BINARY, args);
}

/* A long strategy name, an option hedge, a collar solved for zero cost and a perpetual, in two
 * scenarios. */
static const char cfg[] =
    "run: {paths: 4000, seed: 3, levels: [0.9, 0.95, 0.99]}\n"
    "horizon: {days: 10, steps: 40}\n"
    "market:\n"
    "  currency: USDC\n"
    "  assets:\n"
    "    - {name: ETH, spot: 3000, model: {type: gbm, sigma: 0.7}}\n"
    "portfolio: [{asset: ETH, instrument: spot, quantity: 50}]\n"
    "strategies:\n"
    "  - {name: unhedged, type: none}\n"
    "  - {name: a_protective_put_with_a_rather_long_name_on_a_line_of_its_own, type: protective_put, strike: 0.9}\n"
    "  - {name: zc, type: collar, put_strike: 0.9}\n"
    "  - {name: p, type: perp_hedge}\n"
    "scenarios: [{name: base}, {name: dip, shock: {day: 0, return: -0.2}}]\n";

static void run_cfg(void)
{
    write_file("c.yaml", cfg);
    cr_assert_eq(mcrisk("run c.yaml -o r.h5 --quiet"), 0, "%s", slurp("err.txt"));
}

/* The line of `text` that starts with `prefix` (copied), or fails. */
static char *line_of(const char *text, const char *prefix)
{
    static char line[4096];
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            size_t n = strcspn(p, "\n");
            memcpy(line, p, n);
            line[n] = 0;
            return line;
        }
    cr_assert_fail("no line starting with '%s' in:\n%s", prefix, text);
    return NULL;
}

static size_t longest_line(const char *text)
{
    size_t worst = 0;
    for (const char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
        size_t n = strcspn(p, "\n");
        worst = n > worst ? n : worst;
    }
    return worst;
}

Test(report, table_explains_itself)
{
    run_cfg();
    char *out = strdup(slurp("out.txt"));
    cr_expect(strstr(out, "config: c.yaml; seed 3"), "%s", out);
    cr_expect(strstr(out, "horizon 10 days in 40 steps of 6 h; 4,000 paths per scenario"), "%s",
              out);
    cr_expect(strstr(out, "levels 90%, 95%, 99%; amounts in USDC; ETH at t0: 3,000.00 USDC"),
              "%s", out);
    cr_expect(strstr(out, "scenarios: base, dip"), "%s", out);
    cr_expect(strstr(out, "Mean is the P&L at the horizon (higher is better)"), "%s", out);
    cr_expect(strstr(out, "VaR and CVaR are losses"), "%s", out);
    cr_expect(longest_line(out) <= 120, "a line of %zu characters:\n%s", longest_line(out), out);
    /* three levels do not fit: the highest is shown, and the table says so */
    cr_expect(strstr(out, "VaR 99% +- se") && !strstr(out, "VaR 90%"), "%s", out);
    cr_expect(strstr(out, "--wide shows every level"), "%s", out);

    /* every row of a block as long as its heading: right-aligned columns for any name length */
    const char *head = line_of(out, "strategy  ");
    size_t width = strlen(head);
    cr_expect(strstr(head, "hedge cost") && strstr(head, "CVaR 99% +- se") &&
              strstr(head, "dCVaR 99% +- se") && strstr(head, "P(liq)") && strstr(head, "eff."),
              "%s", head);
    /* narrowed to 120 columns as far as needed, in order: levels, premium, VaR; the note says
     * how far, and only what it names is left out */
    bool no_premium = strstr(out, "premium left out"), no_var = strstr(out, "VaR and premium left");
    cr_expect(no_premium, "the name alone is over 120: the steps were needed\n%s", out);
    cr_expect(!strstr(head, "premium") == no_premium, "%s", head);
    cr_expect(!strstr(head, " VaR 99%") == no_var, "%s", head);
    /* the baseline's own row says so; the others' dCVaR is the paired difference of the file */
    cr_expect(strstr(line_of(out, "unhedged "), " baseline "), "%s", out);
    /* a name too long for 120 columns stands on its own line, its figures on the next */
    const char *put = strstr(out, "\na_protective_put_with_a_rather_long_name_on_a_line_of_its_own\n ");
    cr_assert(put, "%s", out);
    static const char *const rows[] = {"unhedged ", "        ", "zc ", "p "};
    for (int i = 0; i < 4; i++) {
        const char *row = line_of(i == 1 ? put + 63 : out, rows[i]);
        cr_expect_eq(strlen(row), width, "misaligned:\n%s\n%s", head, row);
        /* P(liq) is the next-to-last column: a percentage only for the perpetual */
        const char *last = strrchr(row, ' ');
        while (last > row && last[-1] == ' ')
            last--;
        const char *liq = last;
        while (liq > row && liq[-1] != ' ')
            liq--;
        if (i == 3)
            cr_expect(last[-1] == '%', "perp row without a P(liq): %s", row);
        else
            cr_expect(last - liq == 1 && *liq == '-', "P(liq) shown without a perpetual: %s", row);
    }
    /* the collar's solved strike is stated, and it does make the premium zero */
    const char *k = line_of(out, "zc: call strike ");
    double strike = atof(k + strlen("zc: call strike "));
    cr_expect(strike > 1.0 && strike < 1.5, "%s", k);
    mcr_result r;
    mcr_error err = {0};
    char path[256];
    in_dir("r.h5", path, sizeof path);
    cr_assert_eq(mcr_h5_read(path, 0, &r, &err), MCR_OK, "%s", err.msg);
    double premium = r.cells[2].stat[MCR_FIELD_COMPONENT + MCR_PNL_PREMIUM];
    cr_expect(fabs(premium) < 1e-6 * 3000 * 50, "collar premium %g is not zero", premium);
    char price[64];
    snprintf(price, sizeof price, "x spot = ");
    cr_expect(strstr(k, price) && strstr(k, " USDC"), "%s", k);
    char dcvar[64]; /* the perpetual's dCVaR99 cell: the file's paired difference */
    mcr_money_se(dcvar, sizeof dcvar, r.cells[3].diff.risk[2].cvar, r.cells[3].diff.risk[2].cvar_se,
                 2);
    cr_expect(strstr(line_of(out, "p "), dcvar), "%s not in %s", dcvar, line_of(out, "p "));
    cr_expect_str_eq(r.cells[3].diff.baseline, "unhedged");
    mcr_result_free(&r);
    /* the perpetual's liquidation price at t0: default margin 10x, fees on; a short rises to
     * about (1 + 0.1) / (1 + 0.005) - 1 = +9.45% (strategies/liq_price.h, tested against the
     * engine) */
    const char *liq = line_of(out, "p: liquidated at once if ETH rises to ");
    cr_expect(strstr(liq, " USDC (+9.4"), "%s", liq);
    free(out);
}

Test(report, wide_and_report_agree)
{
    run_cfg();
    char *run_out = strdup(slurp("out.txt"));
    cr_assert_eq(mcrisk("report r.h5"), 0, "%s", slurp("err.txt"));
    /* the same table back from the file, but for the config's name (a file does not record
     * where its config came from, only its text) */
    const char *rep = slurp("out.txt");
    cr_expect(strstr(rep, "\nconfig: as recorded in r.h5; seed 3\n"), "%s", rep);
    cr_expect(strstr(run_out, "\nconfig: c.yaml; seed 3\n"), "%s", run_out);
    cr_expect_str_eq(strstr(rep, "\nhorizon "), strstr(run_out, "\nhorizon "));
    cr_assert_eq(mcrisk("report r.h5 --wide"), 0, "%s", slurp("err.txt"));
    const char *wide = slurp("out.txt");
    cr_expect(strstr(wide, "VaR 90% +- se") && strstr(wide, "CVaR 95% +- se") &&
              strstr(wide, "std") && strstr(wide, "traded"), "%s", wide);
    cr_expect(!strstr(wide, "--wide shows"), "%s", wide);
    cr_expect(strstr(line_of(wide, "p "), "% +- "), "P(liq) +- se in --wide: %s", wide);
    free(run_out);
}

Test(report, csv_markdown_json_carry_every_figure)
{
    run_cfg();
    cr_assert_eq(mcrisk("report r.h5 --format csv"), 0, "%s", slurp("err.txt"));
    const char *csv = slurp("out.txt");
    static const char *const cols[] = {"scenario,strategy,kind,holds_perp,currency,mean,mean_se",
                                       ",hedge_cost,", ",mean_premium,", ",p_liquidation_se,",
                                       ",traded_notional_mean,", ",hedge_effectiveness,",
                                       ",call_strike,", ",liq_price0,", ",var_0.9,", ",cvar_se_0.99\n"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        cr_expect(strstr(csv, cols[i]), "CSV lacks %s: %s", cols[i], csv);
    cr_expect(strstr(csv, "\ndip,zc,collar,false,USDC,"), "%s", csv);
    cr_expect(strstr(csv, "\nbase,p,perp_hedge,true,USDC,"), "%s", csv);
    int lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 1 + 2 * 4);

    cr_assert_eq(mcrisk("report r.h5 --format markdown"), 0, "%s", slurp("err.txt"));
    const char *md = slurp("out.txt");
    cr_expect(strstr(md, "- horizon 10 days") && strstr(md, "| scenario | strategy | kind |") &&
              strstr(md, " cvar_se_0.99 |") && strstr(md, "| dip | zc | collar | no |"), "%s", md);

    /* JSON: Python reads it, and its figures are the file's, bitwise */
    cr_assert_eq(mcrisk("report r.h5 --format json"), 0, "%s", slurp("err.txt"));
    char cp[256];
    snprintf(cp, sizeof cp, "cp %s/out.txt %s/r.json", dir, dir);
    cr_assert_eq(system(cp), 0);
    mcr_result r;
    mcr_error err = {0};
    char path[256];
    in_dir("r.h5", path, sizeof path);
    cr_assert_eq(mcr_h5_read(path, 0, &r, &err), MCR_OK, "%s", err.msg);
    const mcr_strategy_result *c = &r.cells[1 * 4 + 1]; /* dip, the put */
    char py[1024];
    snprintf(py, sizeof py,
             "-c 'import json; d = json.load(open(\"r.json\")); "
             "s = d[\"scenarios\"][\"dip\"][\"strategies\"][\"a_protective_put_with_a_rather_long_name_on_a_line_of_its_own\"]; "
             "assert d[\"currency\"] == \"USDC\" and d[\"provenance\"][\"seed\"] == 3; "
             "assert \"market\" in d[\"provenance\"][\"config_yaml\"]; "
             "assert s[\"cvar_0.99\"] == %.17g and s[\"risk\"][2][\"cvar\"] == %.17g; "
             "assert s[\"mean\"] == %.17g and s[\"holds_perp\"] is False; "
             "assert sum(s[\"histogram\"][\"counts\"]) + s[\"histogram\"][\"underflow\"] + "
             "s[\"histogram\"][\"overflow\"] == 4000; print(\"ok\")'",
             c->summary.risk[2].cvar, c->summary.risk[2].cvar, c->summary.mean);
    cr_expect_eq(run_in_dir("", "/usr/bin/python3", py), 0, "%s", slurp("err.txt"));
    cr_expect_str_eq(slurp("out.txt"), "ok\n");
    mcr_result_free(&r);
}

/* Runs a static short perpetual of `quantity` BTC on two replayed paths (to 80,000 and flat at
 * 100,000) with 10 + 2 bps of costs, closed at the horizon or not; returns the table. */
static char *close_run(int quantity, bool close, bool unhedged)
{
    write_file("paths.csv", "a,b\n100000,100000\n110000,100000\n120000,100000\n"
                            "90000,100000\n80000,100000\n");
    char text[1024];
    snprintf(text, sizeof text,
             "run: {paths: 2, seed: 1}\n"
             "horizon: {days: 4, steps: 4}\n"
             "market:\n"
             "  assets:\n"
             "    - {name: BTC, spot: 100000, path_file: paths.csv,\n"
             "       model: {type: gbm, sigma: 0.5}}\n"
             "portfolio: [{asset: BTC, instrument: spot, quantity: %d}]\n"
             "strategies: [%s{name: p, type: perp_hedge}]\n"
             "margin: {mode: none}\n"
             "funding: {rate: 0}\n"
             "costs: {fee_bps: 10, slippage_bps: 2, close_at_horizon: %s}\n",
             quantity, unhedged ? "{name: unhedged, type: none}, " : "",
             close ? "true" : "false");
    write_file("c.yaml", text);
    cr_assert_eq(mcrisk("run c.yaml -o r.h5 --quiet"), 0, "%s", slurp("err.txt"));
    char *out = strdup(slurp("out.txt"));
    cr_expect(longest_line(out) <= 120, "a line of %zu characters:\n%s", longest_line(out), out);
    return out;
}

/* costs.close_at_horizon: a `close` column of the mean cost of closing, on replayed paths. By
 * hand a static short of 1 BTC pays 12 bps of S_T: 96 at 80,000 and 120 at 100,000, mean 108;
 * of 100 BTC 10,800, whose table beside an unhedged book (and its dCVaR column) would pass 120
 * columns: the figure goes under the table. Without close_at_horizon neither is there. */
Test(report, close_column_only_with_close_at_horizon)
{
    char *out = close_run(1, true, false);
    const char *head = line_of(out, "strategy  ");
    cr_assert(strstr(head, "  premium  close  "), "%s", head);
    size_t at = (size_t)(strstr(head, "  close") - head) + strlen("  close"); /* right-aligned */
    const char *row = line_of(out, "p ");
    size_t start = at;
    while (start > 0 && row[start - 1] != ' ')
        start--;
    char cell[32];
    snprintf(cell, sizeof cell, "%.*s", (int)(at - start), row + start);
    cr_expect_str_eq(cell, "108", "%s\n%s", head, row);
    cr_expect(strstr(out, "close is the mean cost of closing every hedge"), "%s", out);
    cr_expect(!strstr(out, "cost of closing at the horizon, mean"), "%s", out);
    free(out);

    out = close_run(100, true, true);
    cr_expect(!strstr(line_of(out, "strategy  "), " close"), "%s", out);
    cr_expect(strstr(out, "\ncost of closing at the horizon, mean per path (USD): p 10,800\n"),
              "%s", out);
    free(out);

    out = close_run(1, false, false);
    cr_expect(!strstr(line_of(out, "strategy  "), " close"), "%s", out);
    cr_expect(!strstr(out, "cost of closing"), "%s", out);
    free(out);
}

/* The value of CSV column `name` in data row `row` (1 = the first after the header). */
static double csv_value(const char *csv, const char *name, int row)
{
    char head[8192];
    snprintf(head, sizeof head, "%.*s", (int)strcspn(csv, "\n"), csv);
    int col = -1, k = 0;
    for (char *f = strtok(head, ","); f; f = strtok(NULL, ","), k++)
        if (!strcmp(f, name))
            col = k;
    cr_assert(col >= 0, "no column %s", name);
    const char *p = csv;
    for (int r = 0; r < row; r++)
        p = strchr(p, '\n') + 1;
    for (int c = 0; c < col; c++)
        p = strchr(p, ',') + 1;
    return *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
}

/* run.tail's and hedge_ratio: optimize's figures in every data format, bitwise the file's; the
 * ratio's columns empty for a strategy that did not optimize. */
Test(report, tail_and_ratio_figures_in_every_format)
{
    write_file("t.yaml", "run: {paths: 2000, seed: 3, levels: [0.99],\n"
                         "      tail: {level: 0.999, pilot_paths: 1000}}\n"
                         "horizon: {days: 5, steps: 5}\n"
                         "market: {assets: [{name: ETH, spot: 3000, model: {type: gbm, sigma: 0.7}}]}\n"
                         "portfolio: [{asset: ETH, instrument: spot, quantity: 1}]\n"
                         "strategies:\n"
                         "  - {name: unhedged, type: none}\n"
                         "  - {name: p, type: perp_hedge, hedge_ratio: optimize, objective: variance,\n"
                         "     pilot_paths: 1000}\n");
    cr_assert_eq(mcrisk("run t.yaml -o t.h5 --quiet"), 0, "%s", slurp("err.txt"));
    mcr_result r;
    mcr_error err = {0};
    char path[256];
    in_dir("t.h5", path, sizeof path);
    cr_assert_eq(mcr_h5_read(path, 0, &r, &err), MCR_OK, "%s", err.msg);
    const mcr_strategy_result *u = &r.cells[0], *p = &r.cells[1];
    cr_assert(u->tail.level == 0.999 && p->ratio.optimized && !u->ratio.optimized);
    cr_assert_eq(mcrisk("report t.h5 --format csv"), 0, "%s", slurp("err.txt"));
    const char *csv = slurp("out.txt");
    cr_expect_eq(csv_value(csv, "tail_var", 1), u->tail.var);
    cr_expect_eq(csv_value(csv, "tail_cvar_se", 1), u->tail.cvar_se);
    cr_expect_eq(csv_value(csv, "tail_shift", 2), p->tail.shift);
    cr_expect_eq(csv_value(csv, "hedge_ratio_chosen", 2), p->ratio.ratio);
    cr_expect_eq(csv_value(csv, "hedge_ratio_lo", 2), p->ratio.lo);
    cr_expect_eq(csv_value(csv, "hedge_ratio_pilot_paths", 2), 1000);
    cr_expect(isnan(csv_value(csv, "hedge_ratio_chosen", 1)), "%s", csv);

    cr_assert_eq(mcrisk("report t.h5 --format markdown"), 0, "%s", slurp("err.txt"));
    const char *md = slurp("out.txt");
    cr_expect(strstr(md, " tail_cvar_se |") && strstr(md, " hedge_ratio_hi |"), "%s", md);
    cr_assert_eq(mcrisk("report t.h5 --format json"), 0, "%s", slurp("err.txt"));
    char want[128];
    snprintf(want, sizeof want, "\"hedge_ratio_chosen\": %.17g", p->ratio.ratio);
    cr_expect(strstr(slurp("out.txt"), want), "%s", slurp("out.txt"));
    snprintf(want, sizeof want, "\"tail_var\": %.17g", u->tail.var);
    cr_expect(strstr(slurp("out.txt"), want), "%s", slurp("out.txt"));
    mcr_result_free(&r);
}
