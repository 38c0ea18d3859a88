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

/* The fields whose summary is a column of the table (core/fields.h: `column`): an event's
 * probability with its standard error, or a mean (without one: its se is not kept). */
static bool in_table(int f)
{
    return mcr_fields[f].summary != MCR_SUMMARY_NONE && mcr_fields[f].column;
}

static bool with_se(int f) { return mcr_fields[f].summary == MCR_SUMMARY_EVENT; }

static void print_csv(FILE *out, const mcr_result *r)
{
    const mcr_summary *first = &r->cells[0].summary;
    fprintf(out, "scenario,strategy,mean,mean_se,std");
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (in_table(f))
            fprintf(out, ",%s%s%s%s", mcr_fields[f].attr, with_se(f) ? "," : "",
                    with_se(f) ? mcr_fields[f].attr : "", with_se(f) ? "_se" : "");
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
            if (in_table(f) && with_se(f))
                fprintf(out, ",%.10g,%.10g", cell->stat[f], cell->stat_se[f]);
            else if (in_table(f))
                fprintf(out, ",%.10g", cell->stat[f]);
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
            snprintf(head, sizeof head, "%s%s", mcr_fields[f].column, with_se(f) ? " +- se" : "");
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
                if (with_se(f))
                    snprintf(buf, sizeof buf, "%.4f +- %.4f", cell->stat[f], cell->stat_se[f]);
                else
                    snprintf(buf, sizeof buf, "%.4f", cell->stat[f]);
                fprintf(out, "%s%16s", sep, buf);
            }
        fprintf(out, "%s\n", markdown ? " |" : "");
    }
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
