/* The report of a `mcrisk bench` run as JSON (--json): one document on stdout, for scripts that
 * track speed across commits and machines. Field names follow the printed tables. */
#include "report.h"

#include <math.h>

#include "core/build_info.h"

/* A string with JSON's escapes (names and CPU models are plain ASCII in practice). */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

/* A number, or null when not finite (JSON has no NaN). */
static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.6g", x);
    else
        fputs("null", f);
}

static void json_stat3(FILE *f, const char *key, mcr_stat3 s)
{
    fprintf(f, "\"%s\": {\"min\": ", key);
    json_num(f, s.min);
    fputs(", \"median\": ", f);
    json_num(f, s.median);
    fputs(", \"max\": ", f);
    json_num(f, s.max);
    fputc('}', f);
}

static void json_load(FILE *f, const char *key, const double l[3])
{
    fprintf(f, "\"%s\": [", key);
    for (int i = 0; i < 3; i++) {
        json_num(f, l[i]);
        fputs(i < 2 ? ", " : "]", f);
    }
}

static void json_row(FILE *f, const mcr_bench_row *r)
{
    fputs("{\"isa\": ", f);
    json_str(f, r->isa);
    fprintf(f, ", \"threads\": %d, ", r->threads);
    json_stat3(f, "seconds", r->seconds);
    fputs(", ", f);
    json_stat3(f, "rate", r->rate);
    fputs(", \"cpu_per_wall\": ", f);
    json_num(f, r->cpu_per_wall);
    fputs(", \"rate_per_cpu_second\": ", f);
    json_num(f, r->rate_cpu);
    fputs(", \"vs_scalar\": ", f);
    json_num(f, r->vs_scalar);
    fputs(", \"vs_one_thread\": ", f);
    json_num(f, r->vs_one_thread);
    fputs(", \"of_floor\": ", f);
    json_num(f, r->of_floor);
    fputs(", \"max_rel_diff\": ", f);
    json_num(f, r->max_rel_diff);
    fputc('}', f);
}

static void json_workload(FILE *f, const mcr_bench_workload *w)
{
    fputs("{\"id\": ", f);
    json_str(f, w->id);
    fputs(", \"title\": ", f);
    json_str(f, w->title);
    fputs(", \"unit\": ", f);
    json_str(f, w->unit);
    fprintf(f, ", \"paths\": %llu, \"steps\": %d, \"units_per_run\": %.17g, \"validated\": %s",
            w->paths, w->steps, w->units, w->validated ? "true" : "false");
    fputs(",\n     \"figures\": [", f);
    for (int i = 0; i < w->n_figures; i++) {
        const mcr_bench_figure *g = &w->figure[i];
        fputs(i ? ",\n       {\"name\": " : "\n       {\"name\": ", f);
        json_str(f, g->name);
        fputs(", \"estimate\": ", f);
        fprintf(f, "%.17g, \"reference\": %.17g, \"se\": ", g->estimate, g->reference);
        json_num(f, g->se);
        fputs(", \"z\": ", f);
        json_num(f, g->z);
        fprintf(f, ", \"pass\": %s}", g->pass ? "true" : "false");
    }
    fputs("],\n     \"rows\": [", f);
    for (int i = 0; i < w->n_rows; i++) {
        fputs(i ? ",\n       " : "\n       ", f);
        json_row(f, &w->row[i]);
    }
    fputs("],\n     \"floor\": ", f);
    if (w->floor.threads > 0)
        json_row(f, &w->floor);
    else
        fputs("null", f);
    fputs(", \"seconds_per_extra_strategy\": ", f);
    json_num(f, w->per_extra_strategy > 0 ? w->per_extra_strategy : NAN);
    fputc('}', f);
}

void mcr_bench_json(FILE *f, const mcr_bench_report *r)
{
    const mcr_bench_machine *m = &r->machine;
    fputs("{\"mcrisk\": ", f);
    json_str(f, mcr_build_version());
    fputs(", \"revision\": ", f);
    json_str(f, mcr_build_revision());
    fputs(", \"compiler\": ", f);
    json_str(f, mcr_build_compiler());
    fputs(",\n \"machine\": {\"cpu\": ", f);
    json_str(f, m->cpu);
    fputs(", \"flags\": ", f);
    json_str(f, m->flags);
    fprintf(f, ", \"cores\": %d, ", m->cores);
    json_load(f, "load_before", m->load_before);
    fputs(", ", f);
    json_load(f, "load_after", m->load_after);
    fprintf(f, ", \"busy\": %s},\n \"repeats\": %d,\n \"primitives\": [",
            mcr_bench_load_busy(m->load_before, m->cores) ||
                    mcr_bench_load_busy(m->load_after, m->cores)
                ? "true"
                : "false",
            r->repeats);
    for (int i = 0; i < r->n_primitives; i++) {
        const mcr_bench_primitive *p = &r->primitive[i];
        fputs(i ? ",\n   {\"isa\": " : "\n   {\"isa\": ", f);
        json_str(f, p->isa);
        fputs(", \"name\": ", f);
        json_str(f, p->name);
        fputs(", ", f);
        json_stat3(f, "ns_per_element", p->ns);
        fputc('}', f);
    }
    fputs("],\n \"workloads\": [", f);
    for (int i = 0; i < r->n_workloads; i++) {
        fputs(i ? ",\n   " : "\n   ", f);
        json_workload(f, &r->workload[i]);
    }
    fputs("]}\n", f);
}
