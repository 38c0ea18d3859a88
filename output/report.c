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

/* The comparison with the baseline (result.h: diff) goes in when the run made one: the CVaR
 * difference at the highest level in the table, every difference in CSV. */
static bool has_diff(const mcr_result *r)
{
    return r->cells[0].diff.baseline[0] != '\0';
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
    for (int l = 0; has_diff(r) && l < first->n_levels; l++) {
        double pct = 100.0 * first->risk[l].level;
        fprintf(out, ",diff_var%g,diff_var%g_se,diff_cvar%g,diff_cvar%g_se", pct, pct, pct, pct);
    }
    if (has_diff(r))
        fprintf(out, ",baseline,diff_mean,diff_mean_se");
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
        const mcr_diff *d = &cell->diff;
        for (int l = 0; has_diff(r) && l < s->n_levels; l++)
            fprintf(out, ",%.10g,%.10g,%.10g,%.10g", d->risk[l].var, d->risk[l].var_se,
                    d->risk[l].cvar, d->risk[l].cvar_se);
        if (has_diff(r))
            fprintf(out, ",%s,%.10g,%.10g", d->baseline, d->mean, d->mean_se);
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
    int width = 18; /* the strategy column: as wide as the longest name (sweeps make long ones) */
    for (int t = 0; t < r->n_strategies; t++)
        width = (int)strlen(r->cells[t].strategy) > width ? (int)strlen(r->cells[t].strategy)
                                                          : width;
    fprintf(out, "%-10s%s%-*s%s%20s%s%10s", "scenario", sep, width, "strategy", sep,
            "mean +- se", sep, "std");
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
    int top = first->n_levels - 1; /* the dCVaR column's level */
    if (has_diff(r) && top >= 0) {
        char head[32];
        snprintf(head, sizeof head, "dCVaR%g +- se", 100.0 * first->risk[top].level);
        fprintf(out, "%s%20s", sep, head);
    }
    fprintf(out, "%s\n", markdown ? " |" : "");
    if (markdown) {
        fputs("|---|---|---:|---:|", out);
        for (int l = 0; l < first->n_levels; l++)
            fputs("---:|---:|", out);
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (in_table(f))
                fputs("---:|", out);
        fputs(has_diff(r) && top >= 0 ? "---:|\n" : "\n", out);
    }
    for (int c = 0; c < r->n_scenarios * r->n_strategies; c++) {
        const mcr_strategy_result *cell = &r->cells[c];
        const mcr_summary *s = &cell->summary;
        char buf[48];
        if (markdown)
            fputs("| ", out);
        snprintf(buf, sizeof buf, "%.4f +- %.4f", s->mean, s->mean_se);
        fprintf(out, "%-10s%s%-*s%s%20s%s%10.4f", cell->scenario, sep, width, cell->strategy,
                sep, buf, sep, s->std);
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
        if (has_diff(r) && top >= 0) {
            snprintf(buf, sizeof buf, "%.4f +- %.4f", cell->diff.risk[top].cvar,
                     cell->diff.risk[top].cvar_se);
            fprintf(out, "%s%20s", sep, buf);
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
