/* The summary table's shared parts (report.h): the formats' names, the facts a table states
 * beside its figures (taken from the config through the hedge plan, so no kind is switched on
 * here), the list of every figure of a cell, the header block and the legend. */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "kernels/kernels.h"
#include "strategies/hedge.h"
#include "strategies/liq_price.h"
#include "strategies/strategy.h"

bool mcr_report_format_parse(const char *name, mcr_report_format *fmt)
{
    static const struct { const char *name; mcr_report_format fmt; } table[] = {
        {"table", MCR_FORMAT_TABLE}, {"csv", MCR_FORMAT_CSV}, {"markdown", MCR_FORMAT_MARKDOWN},
        {"json", MCR_FORMAT_JSON}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(name, table[i].name) == 0) {
            *fmt = table[i].fmt;
            return true;
        }
    return false;
}

const char mcr_report_legend[] =
    "Mean is the P&L at the horizon (higher is better); hedge cost is the strategy's mean P&L "
    "minus the book's (< 0: the hedge costs on average); premium is the option premium paid (< 0) "
    "or received (> 0) at t0; VaR and CVaR are losses (lower is better; < 0: even the tail is a "
    "gain); +- one standard error; dCVaR is the CVaR minus the baseline strategy's, +- the se of "
    "the difference on the same paths; P(liq) is the probability that a perpetual is liquidated, \"-\" "
    "where none is held; eff. = 1 - Var(P&L) / Var(book alone).";

/* Which of the strategy's parts hold a perpetual, the collars' call strikes and the perpetuals'
 * liquidation prices at t0, as the engine plans them for each scenario. */
static void plan_facts(const mcr_result *r, const mcr_config *cfg, mcr_report_facts *f)
{
    for (int sc = 0; sc < r->n_scenarios && sc < cfg->n_scenarios; sc++) {
        mcr_hedge_plan plan;
        mcr_error err = {0};
        if (mcr_hedge_plan_init(&plan, cfg, sc, &err) != MCR_OK)
            return;
        for (int s = 0; s < r->n_strategies && s < plan.n_strategies; s++) {
            const mcr_strategy_run *run = &plan.strategies[s];
            for (int j = 0; j < run->n; j++) {
                const mcr_part_plan *pp = &plan.parts[run->first + j];
                f->holds_perp[s] |= pp->position && pp->position->margined;
                if (pp->call_strike > 0)
                    f->call_strike[sc][s] = pp->call_strike;
                if (isnan(f->liq_price[sc][s])) {
                    f->liq_price[sc][s] = mcr_hedge_liq_price0(&plan, run->first + j,
                                                               mcr_kernels_of(MCR_ISA_SCALAR));
                    f->liq_asset[s] = pp->hedge_asset;
                }
            }
        }
        mcr_hedge_plan_free(&plan);
    }
}

mcr_status mcr_report_check(const char *path, const mcr_result *r, mcr_error *err)
{
    if (r->n_scenarios == 0 || r->n_strategies == 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no %s in the file; nothing to report", path,
                        r->n_scenarios == 0 ? "scenarios" : "strategies");
    for (int i = 0; i < r->n_scenarios * r->n_strategies; i++) {
        const mcr_strategy_result *c = &r->cells[i];
        if (c->summary.n_levels == 0)
            return mcr_fail(err, MCR_ERR_INPUT, "%s: scenario %s, strategy %s: the risk table "
                            "is empty (no VaR/CVaR level)", path, c->scenario, c->strategy);
        for (int l = 0; l < c->summary.n_levels; l++)
            if (!(c->summary.risk[l].level > 0 && c->summary.risk[l].level < 1))
                return mcr_fail(err, MCR_ERR_INPUT, "%s: scenario %s, strategy %s: risk level "
                                "%g is outside (0, 1)", path, c->scenario, c->strategy,
                                c->summary.risk[l].level);
    }
    return MCR_OK;
}

void mcr_report_facts_of(const mcr_result *r, const mcr_config *cfg, const char *file,
                         mcr_report_facts *f)
{
    memset(f, 0, sizeof *f);
    f->file = file;
    snprintf(f->currency, sizeof f->currency, "%s", cfg && cfg->currency[0] ? cfg->currency : "USD");
    f->decimals = mcr_money_decimals(f->currency);
    f->spot0 = NAN;
    for (int sc = 0; sc < MCR_MAX_SCENARIOS; sc++)
        for (int s = 0; s < MCR_MAX_STRATEGIES; s++)
            f->call_strike[sc][s] = f->liq_price[sc][s] = NAN;
    if (!cfg) {
        snprintf(f->config, sizeof f->config, "as recorded in the result file");
        for (int c = 0; c < r->n_scenarios * r->n_strategies; c++) {
            f->holds_perp[c % r->n_strategies] |=
                r->cells[c].stat[MCR_FIELD_LIQUIDATION_STEP] > 0;
            f->close_at_horizon |= r->cells[c].stat[MCR_FIELD_CLOSE_COST] != 0;
        }
        return;
    }
    f->close_at_horizon = cfg->costs.close_at_horizon;
    snprintf(f->config, sizeof f->config, "%s", cfg->source);
    snprintf(f->asset, sizeof f->asset, "%s", cfg->assets[0].name);
    f->spot0 = cfg->assets[0].spot;
    for (int a = 0; a < cfg->n_assets && a < MCR_MAX_ASSETS; a++) {
        snprintf(f->assets[a], sizeof f->assets[a], "%s", cfg->assets[a].name);
        f->spots[a] = cfg->assets[a].spot;
    }
    for (int s = 0; s < r->n_strategies && s < cfg->n_strategies; s++) {
        const mcr_strategy *st = &cfg->strategies[s];
        size_t len = 0;
        for (int j = 0; j < st->n_parts && len < sizeof f->kind[s]; j++)
            len += (size_t)snprintf(f->kind[s] + len, sizeof f->kind[s] - len, "%s%s",
                                    j ? "+" : "", mcr_strategy_kind_of(&st->parts[j])->spec.name);
    }
    plan_facts(r, cfg, f);
}

static int add(mcr_figure *out, int n, double v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int add(mcr_figure *out, int n, double v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out[n].name, sizeof out[n].name, fmt, ap);
    va_end(ap);
    out[n].value = v;
    return n + 1;
}

int mcr_report_figures(const mcr_result *r, const mcr_report_facts *f, int c, mcr_figure *out)
{
    const mcr_strategy_result *cell = &r->cells[c];
    const mcr_summary *s = &cell->summary;
    double book = NAN;
    for (int k = 0; k < MCR_N_FIELDS; k++)
        if (mcr_fields[k].baseline)
            book = cell->stat[k];
    int n = 0;
    n = add(out, n, s->mean, "mean");
    n = add(out, n, s->mean_se, "mean_se");
    n = add(out, n, s->std, "std");
    n = add(out, n, s->mean - book, "hedge_cost");
    for (int k = 0; k < MCR_N_FIELDS; k++) {
        if (mcr_fields[k].summary == MCR_SUMMARY_NONE)
            continue;
        n = add(out, n, cell->stat[k], "%s", mcr_fields[k].attr);
        if (mcr_fields[k].summary == MCR_SUMMARY_EVENT)
            n = add(out, n, cell->stat_se[k], "%s_se", mcr_fields[k].attr);
    }
    n = add(out, n, cell->hedge_effectiveness, "hedge_effectiveness");
    n = add(out, n, f->call_strike[c / r->n_strategies][c % r->n_strategies], "call_strike");
    n = add(out, n, f->liq_price[c / r->n_strategies][c % r->n_strategies], "liq_price0");
    for (int l = 0; l < s->n_levels; l++) {
        double a = s->risk[l].level;
        n = add(out, n, s->risk[l].var, "var_%.10g", a);
        n = add(out, n, s->risk[l].var_se, "var_se_%.10g", a);
        n = add(out, n, s->risk[l].cvar, "cvar_%.10g", a);
        n = add(out, n, s->risk[l].cvar_se, "cvar_se_%.10g", a);
    }
    const mcr_tail_result *t = &cell->tail; /* run.tail ran for every cell or for none */
    if (r->cells[0].tail.level > 0) {
        n = add(out, n, t->level, "tail_level");
        n = add(out, n, t->shift, "tail_shift");
        n = add(out, n, t->var, "tail_var");
        n = add(out, n, t->var_se, "tail_var_se");
        n = add(out, n, t->cvar, "tail_cvar");
        n = add(out, n, t->cvar_se, "tail_cvar_se");
        n = add(out, n, t->ess, "tail_ess");
    }
    bool optimized = false; /* the columns when any strategy optimized, empty for the others */
    for (int k = 0; k < r->n_scenarios * r->n_strategies; k++)
        optimized = optimized || r->cells[k].ratio.optimized;
    if (optimized) {
        const mcr_ratio_choice *q = &cell->ratio;
        bool on = q->optimized;
        n = add(out, n, on ? q->ratio : NAN, "hedge_ratio_chosen");
        n = add(out, n, on ? q->lo : NAN, "hedge_ratio_lo");
        n = add(out, n, on ? q->hi : NAN, "hedge_ratio_hi");
        n = add(out, n, on ? q->pilot_value : NAN, "hedge_ratio_pilot_value");
        n = add(out, n, on ? q->pilot_paths : NAN, "hedge_ratio_pilot_paths");
    }
    return n;
}

int mcr_report_header(const mcr_result *r, const mcr_report_facts *f, char lines[][512], int max)
{
    const mcr_provenance *p = &r->prov;
    char levels[128] = "", scen[400] = "";
    size_t len = 0;
    for (int l = 0; l < r->cells[0].summary.n_levels && len < sizeof levels; l++) {
        char t[32];
        len += (size_t)snprintf(levels + len, sizeof levels - len, "%s%s", l ? ", " : "",
                                mcr_level_text(t, sizeof t, r->cells[0].summary.risk[l].level));
    }
    len = 0;
    for (int sc = 0; sc < r->n_scenarios && len < sizeof scen; sc++)
        len += (size_t)snprintf(scen + len, sizeof scen - len, "%s%s", sc ? ", " : "",
                                r->cells[sc * r->n_strategies].scenario);
    double hours = p->horizon_days * 24.0 / p->steps;
    char paths[32], spot[160] = "";
    mcr_money(paths, sizeof paths, (double)p->paths, 0);
    if (f->asset[0] && !isnan(f->spot0)) {
        char m[32];
        snprintf(spot, sizeof spot, "; %s at t0: %s %s", f->asset,
                 mcr_money(m, sizeof m, f->spot0, f->decimals), f->currency);
    }
    int n = 0;
    if (n < max)
        snprintf(lines[n++], 512, "mcrisk %s (%s), %s: %s", p->mcrisk_version, p->git_revision,
                 p->created_utc, f->file ? f->file : "(not written)");
    if (n < max)
        snprintf(lines[n++], 512, "config: %.400s; seed %llu", f->config,
                 (unsigned long long)p->seed);
    if (n < max)
        snprintf(lines[n++], 512, "horizon %g days in %d steps of %.3g h; %s paths per scenario",
                 p->horizon_days, p->steps, hours, paths);
    if (n < max)
        snprintf(lines[n++], 512, "levels %s; amounts in %s%s", levels, f->currency, spot);
    if (n < max)
        snprintf(lines[n++], 512, "scenarios: %s", scen);
    return n;
}

void mcr_report_print(FILE *out, const mcr_result *r, const mcr_config *cfg,
                      const mcr_report_options *opt)
{
    if (r->n_scenarios * r->n_strategies == 0)
        return;
    mcr_report_facts f;
    mcr_report_facts_of(r, cfg, opt->file, &f);
    switch (opt->format) {
    case MCR_FORMAT_CSV: mcr_report_csv(out, r, &f); break;
    case MCR_FORMAT_MARKDOWN: mcr_report_markdown(out, r, &f); break;
    case MCR_FORMAT_JSON: mcr_report_json(out, r, &f); break;
    default: mcr_report_text(out, r, &f, opt->wide); break;
    }
}
