/* Printing a result's summary table in three formats. Figures keep their standard errors beside
 * them: a VaR without its error bar invites reading noise as signal. The event probabilities of
 * the fields that name a column in the registry (core/fields.h) follow the risk figures. */
#include "report.h"

#include <stdio.h>
#include <string.h>

bool mcr_report_format_parse(const char *name, mcr_report_format *fmt)
{
    static const struct { const char *name; mcr_report_format fmt; } table[] = {
        {"table", MCR_FORMAT_TABLE}, {"csv", MCR_FORMAT_CSV}, {"markdown", MCR_FORMAT_MARKDOWN}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(name, table[i].name) == 0) {
            *fmt = table[i].fmt;
            return true;
        }
    return false;
}

/* The fields whose event probability is a column of the table (core/fields.h: `column`). */
static bool in_table(int f)
{
    return mcr_fields[f].summary == MCR_SUMMARY_EVENT && mcr_fields[f].column;
}

static void print_csv(FILE *out, const mcr_result *r)
{
    const mcr_summary *first = &r->cells[0].summary;
    fprintf(out, "scenario,strategy,mean,mean_se,std");
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (in_table(f))
            fprintf(out, ",%s,%s_se", mcr_fields[f].attr, mcr_fields[f].attr);
    for (int l = 0; l < first->n_levels; l++) {
        double pct = 100.0 * first->risk[l].level;
        fprintf(out, ",var%g,var%g_se,cvar%g,cvar%g_se", pct, pct, pct, pct);
    }
    fputc('\n', out);
    for (int c = 0; c < r->n_scenarios * r->n_strategies; c++) {
        const mcr_strategy_result *cell = &r->cells[c];
        const mcr_summary *s = &cell->summary;
        fprintf(out, "%s,%s,%.10g,%.10g,%.10g", cell->scenario, cell->strategy, s->mean,
                s->mean_se, s->std);
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (in_table(f))
                fprintf(out, ",%.10g,%.10g", cell->stat[f], cell->stat_se[f]);
        for (int l = 0; l < s->n_levels; l++)
            fprintf(out, ",%.10g,%.10g,%.10g,%.10g", s->risk[l].var, s->risk[l].var_se,
                    s->risk[l].cvar, s->risk[l].cvar_se);
        fputc('\n', out);
    }
}

/* Aligned text and Markdown share one layout; Markdown adds pipes and a rule line. */
static void print_grid(FILE *out, const mcr_result *r, bool markdown)
{
    const mcr_summary *first = &r->cells[0].summary;
    const char *sep = markdown ? " | " : "  ";
    if (markdown)
        fputs("| ", out);
    fprintf(out, "%-10s%s%-18s%s%20s%s%10s", "scenario", sep, "strategy", sep, "mean +- se", sep,
            "std");
    for (int l = 0; l < first->n_levels; l++) {
        char var[32], cvar[32];
        snprintf(var, sizeof var, "VaR%g +- se", 100.0 * first->risk[l].level);
        snprintf(cvar, sizeof cvar, "CVaR%g +- se", 100.0 * first->risk[l].level);
        fprintf(out, "%s%20s%s%20s", sep, var, sep, cvar);
    }
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (in_table(f)) {
            char head[64];
            snprintf(head, sizeof head, "%s +- se", mcr_fields[f].column);
            fprintf(out, "%s%16s", sep, head);
        }
    fprintf(out, "%s\n", markdown ? " |" : "");
    if (markdown) {
        fputs("|---|---|---:|---:|", out);
        for (int l = 0; l < first->n_levels; l++)
            fputs("---:|---:|", out);
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (in_table(f))
                fputs("---:|", out);
        fputs("\n", out);
    }
    for (int c = 0; c < r->n_scenarios * r->n_strategies; c++) {
        const mcr_strategy_result *cell = &r->cells[c];
        const mcr_summary *s = &cell->summary;
        char buf[48];
        if (markdown)
            fputs("| ", out);
        snprintf(buf, sizeof buf, "%.4f +- %.4f", s->mean, s->mean_se);
        fprintf(out, "%-10s%s%-18s%s%20s%s%10.4f", cell->scenario, sep, cell->strategy, sep, buf,
                sep, s->std);
        for (int l = 0; l < s->n_levels; l++) {
            snprintf(buf, sizeof buf, "%.4f +- %.4f", s->risk[l].var, s->risk[l].var_se);
            fprintf(out, "%s%20s", sep, buf);
            snprintf(buf, sizeof buf, "%.4f +- %.4f", s->risk[l].cvar, s->risk[l].cvar_se);
            fprintf(out, "%s%20s", sep, buf);
        }
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (in_table(f)) {
                snprintf(buf, sizeof buf, "%.4f +- %.4f", cell->stat[f], cell->stat_se[f]);
                fprintf(out, "%s%16s", sep, buf);
            }
        fprintf(out, "%s\n", markdown ? " |" : "");
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

void mcr_report_print(FILE *out, const mcr_result *r, mcr_report_format fmt)
{
    if (r->n_scenarios * r->n_strategies == 0)
        return;
    if (fmt == MCR_FORMAT_CSV)
        print_csv(out, r);
    else
        print_grid(out, r, fmt == MCR_FORMAT_MARKDOWN);
}
