/* The summary table as text for a reader (report.h): the header block, the legend wrapped to
 * the width, then per scenario a title line, one aligned row per strategy and the parameters
 * solved at t0. Columns are as wide as their widest entry over every scenario, so blocks align
 * with each other for any name length. Without --wide, a table wider than MCR_REPORT_WIDTH
 * shows only the highest confidence level, then leaves out the premium, then the VaR (the CVaR
 * and its paired difference to the baseline, dCVaR, stay: the figures strategies are compared
 * by). */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

#define CELL 64

typedef enum col_kind { COL_MEAN, COL_STD, COL_COST, COL_PREMIUM, COL_CLOSE, COL_VAR, COL_CVAR,
                        COL_DCVAR, COL_TRADED, COL_LIQ, COL_EFF } col_kind;

/* How far the table is narrowed to fit MCR_REPORT_WIDTH (each step keeps the ones before). */
typedef enum narrowing { NARROW_NONE, NARROW_LEVELS, NARROW_PREMIUM, NARROW_VAR } narrowing;

typedef struct col {
    col_kind kind;
    int level; /* VaR and CVaR */
    char title[48];
    int width;
} col;

static double book_mean(const mcr_strategy_result *cell)
{
    for (int k = 0; k < MCR_N_FIELDS; k++)
        if (mcr_fields[k].baseline)
            return cell->stat[k];
    return NAN;
}

static void cell_text(char *buf, const col *c, const mcr_result *r, const mcr_report_facts *f,
                      int i, bool wide)
{
    const mcr_strategy_result *cell = &r->cells[i];
    const mcr_summary *s = &cell->summary;
    const mcr_risk_row *row = &s->risk[c->level];
    int d = f->decimals, dm = mcr_se_decimals(s->mean_se, d); /* as precise as the mean */
    double p = cell->stat[MCR_FIELD_LIQUIDATION_STEP];
    switch (c->kind) {
    case COL_MEAN: mcr_money_se(buf, CELL, s->mean, s->mean_se, d); break;
    case COL_STD: mcr_money(buf, CELL, s->std, dm); break;
    case COL_COST: mcr_money(buf, CELL, s->mean - book_mean(cell), dm); break;
    case COL_PREMIUM:
        mcr_money(buf, CELL, cell->stat[MCR_FIELD_COMPONENT + MCR_PNL_PREMIUM], dm);
        break;
    case COL_CLOSE: mcr_money(buf, CELL, cell->stat[MCR_FIELD_CLOSE_COST], dm); break;
    case COL_VAR: mcr_money_se(buf, CELL, row->var, row->var_se, d); break;
    case COL_CVAR: mcr_money_se(buf, CELL, row->cvar, row->cvar_se, d); break;
    case COL_DCVAR: /* the paired difference to the baseline (risk/compare.h) */
        if (!cell->diff.baseline[0])
            snprintf(buf, CELL, "-");
        else if (!strcmp(cell->diff.baseline, cell->strategy))
            snprintf(buf, CELL, "baseline");
        else
            mcr_money_se(buf, CELL, cell->diff.risk[c->level].cvar,
                         cell->diff.risk[c->level].cvar_se, d);
        break;
    case COL_TRADED: mcr_money(buf, CELL, cell->stat[MCR_FIELD_TRADED_NOTIONAL], dm); break;
    case COL_LIQ:
        if (!f->holds_perp[i % r->n_strategies]) {
            snprintf(buf, CELL, "-");
        } else if (wide) {
            char a[24], b[24];
            snprintf(buf, CELL, "%s +- %s", mcr_percent(a, sizeof a, p),
                     mcr_percent(b, sizeof b, cell->stat_se[MCR_FIELD_LIQUIDATION_STEP]));
        } else {
            mcr_percent(buf, CELL, p);
        }
        break;
    case COL_EFF: snprintf(buf, CELL, "%.2f", cell->hedge_effectiveness); break;
    }
    if (!strcmp(buf, "-0.00"))
        snprintf(buf, CELL, "0.00");
}

/* The columns for `levels` (indices into the risk table), narrowed as `nar` says; returns how
 * many. The dCVaR column (the difference to the baseline with its paired se) follows the CVaR of
 * the highest level only, unless wide; it is absent without a comparison (one strategy).
 * `close`: the cost of closing at the horizon (costs.close_at_horizon). */
static int make_cols(col *cols, const mcr_result *r, const int *levels, int n_levels, bool wide,
                     narrowing nar, bool close)
{
    int n = 0, top = r->cells[0].summary.n_levels - 1;
    bool diff = r->n_strategies > 1 && r->cells[0].diff.baseline[0];
    cols[n++] = (col){COL_MEAN, 0, "mean +- se", 0};
    if (wide)
        cols[n++] = (col){COL_STD, 0, "std", 0};
    cols[n++] = (col){COL_COST, 0, "hedge cost", 0};
    if (nar < NARROW_PREMIUM)
        cols[n++] = (col){COL_PREMIUM, 0, "premium", 0};
    if (close)
        cols[n++] = (col){COL_CLOSE, 0, "close", 0};
    for (int i = 0; i < n_levels; i++) {
        char lv[24];
        mcr_level_text(lv, sizeof lv, r->cells[0].summary.risk[levels[i]].level);
        if (nar < NARROW_VAR) {
            cols[n] = (col){COL_VAR, levels[i], "", 0};
            snprintf(cols[n++].title, sizeof cols[0].title, "VaR %s +- se", lv);
        }
        cols[n] = (col){COL_CVAR, levels[i], "", 0};
        snprintf(cols[n++].title, sizeof cols[0].title, "CVaR %s +- se", lv);
        if (diff && (wide || levels[i] == top)) {
            cols[n] = (col){COL_DCVAR, levels[i], "", 0};
            snprintf(cols[n++].title, sizeof cols[0].title, "dCVaR %s +- se", lv);
        }
    }
    if (wide)
        cols[n++] = (col){COL_TRADED, 0, "traded", 0};
    cols[n++] = (col){COL_LIQ, 0, "P(liq)", 0};
    cols[n++] = (col){COL_EFF, 0, "eff.", 0};
    return n;
}

static int name_width(const mcr_result *r)
{
    int w = (int)strlen("strategy");
    for (int s = 0; s < r->n_strategies; s++) {
        int len = (int)strlen(r->cells[s].strategy);
        w = len > w ? len : w;
    }
    return w;
}

/* Set every column's width; returns the table's. */
static int fit(col *cols, int n, const mcr_result *r, const mcr_report_facts *f, bool wide)
{
    int total = name_width(r);
    for (int k = 0; k < n; k++) {
        int w = (int)strlen(cols[k].title);
        for (int i = 0; i < r->n_scenarios * r->n_strategies; i++) {
            char buf[CELL];
            cell_text(buf, &cols[k], r, f, i, wide);
            w = (int)strlen(buf) > w ? (int)strlen(buf) : w;
        }
        cols[k].width = w;
        total += 2 + w;
    }
    return total;
}

/* `text` word-wrapped to `width`, continuation lines indented by two spaces. */
static void wrap(FILE *out, const char *text, int width)
{
    const char *p = text;
    int col = 0;
    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > 0 && col + 1 + (int)word > width) {
            fputs("\n  ", out);
            col = 2;
        } else if (col > 0) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, word, out);
        col += (int)word;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

/* run.tail's importance-sampled VaR and CVaR of scenario sc, one wrapped line. */
static void tail_line(FILE *out, const mcr_result *r, const mcr_report_facts *f, int sc,
                      int width)
{
    const mcr_tail_result *t0 = &r->cells[sc * r->n_strategies].tail;
    if (!(t0->level > 0))
        return;
    char line[2048], lv[24], paths[32];
    size_t len = (size_t)snprintf(line, sizeof line, "importance sampling at %s (shift %.4f, "
                                  "%s paths):", mcr_level_text(lv, sizeof lv, t0->level),
                                  t0->shift, mcr_money(paths, sizeof paths,
                                                       (double)r->prov.paths, 0));
    for (int s = 0; s < r->n_strategies && len < sizeof line; s++) {
        const mcr_tail_result *t = &r->cells[sc * r->n_strategies + s].tail;
        char var[64], cvar[64];
        len += (size_t)snprintf(line + len, sizeof line - len, "%s %s VaR %s, CVaR %s",
                                s ? ";" : "", r->cells[s].strategy,
                                mcr_money_se(var, sizeof var, t->var, t->var_se, f->decimals),
                                mcr_money_se(cvar, sizeof cvar, t->cvar, t->cvar_se, f->decimals));
    }
    wrap(out, line, width);
}

/* hedge_ratio: optimize's choices in scenario sc, a wrapped line each. */
static void ratio_lines(FILE *out, const mcr_result *r, int sc, int width)
{
    static const char *const objectives[] = {"CVaR", "VaR", "variance"};
    for (int s = 0; s < r->n_strategies; s++) {
        const mcr_ratio_choice *q = &r->cells[sc * r->n_strategies + s].ratio;
        if (!q->optimized)
            continue;
        char line[512], lv[24] = "";
        if (q->objective != 2)
            mcr_level_text(lv, sizeof lv, q->level);
        snprintf(line, sizeof line, "%s: hedge ratio %.4f minimises %s%s%s on a %d-path pilot "
                 "(95%% bootstrap interval %.4f to %.4f); its figures above are on the run's own "
                 "paths", r->cells[s].strategy, q->ratio,
                 objectives[q->objective < 0 || q->objective > 2 ? 0 : q->objective],
                 lv[0] ? " " : "", lv, q->pilot_paths, q->lo, q->hi);
        wrap(out, line, width);
    }
}

/* One line of the mean of `field` per path of every strategy of scenario sc where it is > 0,
 * in whole units of the currency. */
static void per_strategy(FILE *out, const mcr_result *r, const mcr_report_facts *f, int sc,
                         mcr_field_id field, const char *what, int width)
{
    char line[1024];
    size_t len = (size_t)snprintf(line, sizeof line, "%s, mean per path (%s):", what, f->currency);
    int any = 0;
    for (int s = 0; s < r->n_strategies && len < sizeof line; s++) {
        double t = r->cells[sc * r->n_strategies + s].stat[field];
        if (!(t > 0))
            continue;
        char m[32];
        len += (size_t)snprintf(line + len, sizeof line - len, "%s %s %s", any++ ? ";" : "",
                                r->cells[s].strategy, mcr_money(m, sizeof m, t, 0));
    }
    if (any)
        wrap(out, line, width);
}

/* The parameters of scenario sc fixed at t0: collars' call strikes and perpetuals' liquidation
 * prices (after the first scenario only where they differ from its), and the notional each
 * strategy trades. */
static void solved(FILE *out, const mcr_result *r, const mcr_report_facts *f, int sc, int width)
{
    for (int s = 0; s < r->n_strategies; s++) {
        double liq = f->liq_price[sc][s];
        if (isnan(liq) || (sc > 0 && liq == f->liq_price[0][s]))
            continue;
        char line[256], m[32];
        int a = f->liq_asset[s];
        snprintf(line, sizeof line, "%s: liquidated at once if %s %s to %s %s (%+.2f%%)",
                 r->cells[s].strategy, f->assets[a], liq > f->spots[a] ? "rises" : "falls",
                 mcr_money(m, sizeof m, liq, f->decimals), f->currency,
                 100.0 * (liq / f->spots[a] - 1.0));
        wrap(out, line, width);
    }
    for (int s = 0; s < r->n_strategies; s++) {
        double k = f->call_strike[sc][s];
        if (isnan(k) || (sc > 0 && k == f->call_strike[0][s]))
            continue;
        char line[256], price[48] = "";
        if (!isnan(f->spot0)) {
            char m[32];
            snprintf(price, sizeof price, " = %s %s", mcr_money(m, sizeof m, k * f->spot0,
                                                                f->decimals), f->currency);
        }
        snprintf(line, sizeof line, "%s: call strike %.4f x spot%s", r->cells[s].strategy, k,
                 price);
        wrap(out, line, width);
    }
    per_strategy(out, r, f, sc, MCR_FIELD_TRADED_NOTIONAL, "traded notional", width);
    ratio_lines(out, r, sc, width);
    tail_line(out, r, f, sc, width);
}

/* Names up to this long count in the narrowing; a longer name gets a line of its own anyway. */
#define NAME_KEPT 24

void mcr_report_text(FILE *out, const mcr_result *r, const mcr_report_facts *f, bool wide)
{
    int n_levels = r->cells[0].summary.n_levels, levels[MCR_MAX_LEVELS];
    for (int l = 0; l < n_levels; l++)
        levels[l] = l;
    col cols[11 + 3 * MCR_MAX_LEVELS];
    int nw = name_width(r), long_names = nw > NAME_KEPT ? nw - NAME_KEPT : 0;
    narrowing nar = NARROW_NONE;
    bool close = f->close_at_horizon;
    int n = make_cols(cols, r, levels, n_levels, wide, nar, close);
    /* narrowed step by step, each dropping what --wide and the csv still show; the close cost
     * goes under the table once the levels are narrowed, before the premium */
    while (!wide && fit(cols, n, r, f, wide) - long_names > MCR_REPORT_WIDTH) {
        if (close && (nar >= NARROW_LEVELS || n_levels == 1))
            close = false;
        else if (nar < NARROW_VAR)
            nar += nar == NARROW_NONE && n_levels == 1 ? 2 : 1; /* one level: nothing to drop */
        else
            break;
        n = make_cols(cols, r, nar == NARROW_NONE ? levels : &levels[n_levels - 1],
                      nar == NARROW_NONE ? n_levels : 1, wide, nar, close);
    }
    int total = fit(cols, n, r, f, wide);
    int width = wide ? 1 << 20 : MCR_REPORT_WIDTH;
    /* a name too long for the width gets a line of its own, its figures the next line */
    if (total > width)
        nw = nw - (total - width) > (int)strlen("strategy") ? nw - (total - width)
                                                              : (int)strlen("strategy");

    char head[8][512];
    int nh = mcr_report_header(r, f, head, 8);
    for (int i = 0; i < nh; i++)
        wrap(out, head[i], width);
    wrap(out, mcr_report_legend, width);
    if (f->close_at_horizon)
        wrap(out, close ? "close is the mean cost of closing every hedge at the horizon "
                          "(costs.close_at_horizon), already inside mean and hedge cost."
                        : "The mean cost of closing every hedge at the horizon "
                          "(costs.close_at_horizon), already inside mean and hedge cost, is "
                          "under each table: it does not fit 120 columns.", width);
    static const char *const note[] = {
        "", "(VaR and CVaR at the highest level only, to fit 120 columns; --wide shows every "
        "level and figure)",
        "(VaR and CVaR at the highest level only, premium left out, to fit 120 columns; --wide "
        "shows every level and figure)",
        "(CVaR at the highest level only, VaR and premium left out, to fit 120 columns; --wide "
        "shows every level and figure)"};
    if (nar > NARROW_NONE)
        wrap(out, note[nar], width);
    for (int sc = 0; sc < r->n_scenarios; sc++) {
        fprintf(out, "\nscenario %s\n%-*s", r->cells[sc * r->n_strategies].scenario, nw,
                "strategy");
        for (int k = 0; k < n; k++)
            fprintf(out, "  %*s", cols[k].width, cols[k].title);
        fputc('\n', out);
        for (int s = 0; s < r->n_strategies; s++) {
            int i = sc * r->n_strategies + s;
            if ((int)strlen(r->cells[i].strategy) > nw)
                fprintf(out, "%s\n%*s", r->cells[i].strategy, nw, "");
            else
                fprintf(out, "%-*s", nw, r->cells[i].strategy);
            for (int k = 0; k < n; k++) {
                char buf[CELL];
                cell_text(buf, &cols[k], r, f, i, wide);
                fprintf(out, "  %*s", cols[k].width, buf);
            }
            fputc('\n', out);
        }
        solved(out, r, f, sc, width);
        if (f->close_at_horizon && !close)
            per_strategy(out, r, f, sc, MCR_FIELD_CLOSE_COST, "cost of closing at the horizon",
                         width);
    }
}
