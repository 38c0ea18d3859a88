/* The summary as data (report.h): CSV and Markdown with every figure and attribute of every
 * cell (mcr_report_figures), JSON with the whole summary tree: provenance, the header facts and
 * per scenario and strategy every figure, the risk table and the P&L histogram. Numbers are
 * printed with 17 significant digits, so they read back bitwise. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


static void csv_field(FILE *out, const char *s)
{
    if (!s[strcspn(s, ",\"\n")]) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* Missing numbers (NaN) are empty in CSV and Markdown, null in JSON. */
static void number(FILE *out, double v, const char *missing)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs(isnan(v) ? missing : v > 0 ? "inf" : "-inf", out);
}

void mcr_report_csv(FILE *out, const mcr_result *r, const mcr_report_facts *f)
{
    mcr_figure fig[MCR_MAX_FIGURES];
    int n = mcr_report_figures(r, f, 0, fig);
    fputs("scenario,strategy,kind,holds_perp,currency", out);
    for (int k = 0; k < n; k++)
        fprintf(out, ",%s", fig[k].name);
    fputc('\n', out);
    for (int c = 0; c < r->n_scenarios * r->n_strategies; c++) {
        n = mcr_report_figures(r, f, c, fig);
        csv_field(out, r->cells[c].scenario);
        fputc(',', out);
        csv_field(out, r->cells[c].strategy);
        fputc(',', out);
        csv_field(out, f->kind[c % r->n_strategies]);
        fprintf(out, ",%s,", f->holds_perp[c % r->n_strategies] ? "true" : "false");
        csv_field(out, f->currency);
        for (int k = 0; k < n; k++) {
            fputc(',', out);
            number(out, fig[k].value, "");
        }
        fputc('\n', out);
    }
}

static void md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', out);
        fputc(*s, out);
    }
}

void mcr_report_markdown(FILE *out, const mcr_result *r, const mcr_report_facts *f)
{
    char head[8][512];
    int nh = mcr_report_header(r, f, head, 8);
    for (int i = 0; i < nh; i++) {
        fputs("- ", out);
        md_text(out, head[i]);
        fputc('\n', out);
    }
    fprintf(out, "\n%s\n\n", mcr_report_legend);
    mcr_figure fig[MCR_MAX_FIGURES];
    int n = mcr_report_figures(r, f, 0, fig);
    fputs("| scenario | strategy | kind | holds_perp |", out);
    for (int k = 0; k < n; k++)
        fprintf(out, " %s |", fig[k].name);
    fputs("\n|---|---|---|---|", out);
    for (int k = 0; k < n; k++)
        fputs("---:|", out);
    fputc('\n', out);
    for (int c = 0; c < r->n_scenarios * r->n_strategies; c++) {
        n = mcr_report_figures(r, f, c, fig);
        fputs("| ", out);
        md_text(out, r->cells[c].scenario);
        fputs(" | ", out);
        md_text(out, r->cells[c].strategy);
        fputs(" | ", out);
        md_text(out, f->kind[c % r->n_strategies]);
        fprintf(out, " | %s |", f->holds_perp[c % r->n_strategies] ? "yes" : "no");
        for (int k = 0; k < n; k++) {
            fputc(' ', out);
            number(out, fig[k].value, "");
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch == '\t')
            fputs("\\t", out);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void json_number(FILE *out, double v)
{
    number(out, isfinite(v) ? v : NAN, "null");
}

static void json_provenance(FILE *out, const mcr_result *r)
{
    const mcr_provenance *p = &r->prov;
    const struct { const char *key, *value; } text[] = {
        {"mcrisk_version", p->mcrisk_version}, {"git_revision", p->git_revision},
        {"created_utc", p->created_utc}, {"isa", p->isa}, {"rng", p->rng},
        {"compiler", p->compiler}, {"flags", p->flags}, {"config_yaml", p->config_yaml}};
    fputs("{", out);
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        fprintf(out, "%s\n  ", i ? "," : "");
        json_string(out, text[i].key);
        fputs(": ", out);
        json_string(out, text[i].value ? text[i].value : "");
    }
    fprintf(out, ",\n  \"seed\": %llu, \"paths\": %llu, \"steps\": %d, \"horizon_days\": ",
            (unsigned long long)p->seed, (unsigned long long)p->paths, p->steps);
    json_number(out, p->horizon_days);
    fprintf(out, ", \"threads\": %d, \"resumed\": %d, \"run_seconds\": ", p->threads, p->resumed);
    json_number(out, r->seconds);
    fputs("}", out);
}

static void json_cell(FILE *out, const mcr_result *r, const mcr_report_facts *f, int c)
{
    const mcr_strategy_result *cell = &r->cells[c];
    mcr_figure fig[MCR_MAX_FIGURES];
    int n = mcr_report_figures(r, f, c, fig);
    fputs("{\"kind\": ", out);
    json_string(out, f->kind[c % r->n_strategies]);
    fprintf(out, ", \"holds_perp\": %s", f->holds_perp[c % r->n_strategies] ? "true" : "false");
    for (int k = 0; k < n; k++) {
        fprintf(out, ", \"%s\": ", fig[k].name);
        json_number(out, fig[k].value);
    }
    fputs(",\n      \"risk\": [", out);
    for (int l = 0; l < cell->summary.n_levels; l++) {
        const mcr_risk_row *row = &cell->summary.risk[l];
        const double v[] = {row->level, row->var, row->var_se, row->cvar, row->cvar_se};
        const char *name[] = {"level", "var", "var_se", "cvar", "cvar_se"};
        fputs(l ? ", {" : "{", out);
        for (int k = 0; k < 5; k++) {
            fprintf(out, "%s\"%s\": ", k ? ", " : "", name[k]);
            json_number(out, v[k]);
        }
        fputs("}", out);
    }
    fputs("]", out);
    const mcr_histogram *h = &cell->hist;
    if (h->bins > 0) {
        fprintf(out, ",\n      \"histogram\": {\"underflow\": %llu, \"overflow\": %llu, "
                "\"edges\": [", (unsigned long long)h->underflow, (unsigned long long)h->overflow);
        for (int b = 0; b <= h->bins; b++) {
            if (b)
                fputs(", ", out);
            json_number(out, h->edges[b]);
        }
        fputs("], \"counts\": [", out);
        for (int b = 0; b < h->bins; b++)
            fprintf(out, "%s%llu", b ? ", " : "", (unsigned long long)h->counts[b]);
        fputs("]}", out);
    }
    fputs("}", out);
}

void mcr_report_json(FILE *out, const mcr_result *r, const mcr_report_facts *f)
{
    fputs("{\"file\": ", out);
    json_string(out, f->file ? f->file : "");
    fputs(", \"config\": ", out);
    json_string(out, f->config);
    fputs(", \"currency\": ", out);
    json_string(out, f->currency);
    fputs(",\n \"legend\": ", out);
    json_string(out, mcr_report_legend);
    fputs(",\n \"levels\": [", out);
    for (int l = 0; l < r->cells[0].summary.n_levels; l++) {
        if (l)
            fputs(", ", out);
        json_number(out, r->cells[0].summary.risk[l].level);
    }
    fputs("],\n \"provenance\": ", out);
    json_provenance(out, r);
    fputs(",\n \"scenarios\": {", out);
    for (int sc = 0; sc < r->n_scenarios; sc++) {
        fputs(sc ? ",\n  " : "\n  ", out);
        json_string(out, r->cells[sc * r->n_strategies].scenario);
        fputs(": {\"strategies\": {", out);
        for (int s = 0; s < r->n_strategies; s++) {
            int c = sc * r->n_strategies + s;
            fputs(s ? ",\n    " : "\n    ", out);
            json_string(out, r->cells[c].strategy);
            fputs(": ", out);
            json_cell(out, r, f, c);
        }
        fputs("}}", out);
    }
    fputs("}}\n", out);
}
