/* `mcrisk bench`: for each workload, phases as in HPCG: untimed setup, validation of the answer
 * against its reference (closed forms, |est - exact| <= 4 se, or stored figures), then timed
 * repeats per ISA and thread count, reported as min, median and max over the repeats, with the
 * ratios to the scalar reference, to one thread and to the floor workload (the path kernel
 * alone, floor.c) measured in the same run. Speed is printed only for a workload whose answer
 * passed, and only for kernels that reproduce the validated P&L. The machine (CPU model, flags)
 * and the load average before and after are part of the report; --json writes it all as JSON
 * (the tables then go to stderr), --primitives times the kernels' building blocks. */
#include "bench.h"

#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/build_info.h"
#include "risk/risk.h"
#include "run/run.h"
#include "sim/sim.h"
#include "strategies/strategy.h"
#include "floor.h"
#include "normal_bench.h"
#include "primitives.h"
#include "report.h"
#include "workloads.h"

#define MCR_BENCH_MAX_LIST 8
#define MCR_BENCH_MAX_REPEATS 64

typedef struct bench_options {
    uint64_t paths;     /* 0: the workload's own */
    bool quick;         /* paths: the workload's quick count */
    int repeats;
    int threads[MCR_BENCH_MAX_LIST], n_threads;
    mcr_isa isas[MCR_ISA_COUNT];
    int n_isas;
    const char *only;   /* workload id, or NULL for all */
    bool json, primitives, print_reference;
} bench_options;

static mcr_bench_report report;
static FILE *txt; /* the human-readable tables: stdout, or stderr under --json */

static int parse_threads(const char *s, bench_options *o)
{
    o->n_threads = 0;
    for (const char *p = s; *p && o->n_threads < MCR_BENCH_MAX_LIST;) {
        char *end;
        long t = strtol(p, &end, 10);
        if (end == p || t < 1 || t > 4096)
            return -1;
        o->threads[o->n_threads++] = (int)t;
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return -1;
    }
    return o->n_threads > 0 ? 0 : -1;
}

static int parse_isas(const char *s, bench_options *o)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    o->n_isas = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        mcr_isa isa;
        if (!mcr_isa_parse(tok, &isa) || o->n_isas == MCR_ISA_COUNT)
            return -1;
        o->isas[o->n_isas++] = isa;
    }
    return o->n_isas > 0 ? 0 : -1;
}

/* Sample standard error of the standard deviation: se(s^2) = sqrt((m4 - s^4) / n), and
 * se(s) = se(s^2) / (2 s). */
static double std_se(const double *x, uint64_t n, double mean, double std)
{
    double m4 = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        double d = (x[i] - mean) * (x[i] - mean);
        m4 += d * d;
    }
    m4 /= (double)n;
    return sqrt((m4 - std * std * std * std) / (double)n) / (2.0 * std);
}

/* P&L buffers of every scenario x strategy cell of a config (pnl only: bench times the engine,
 * not detail). */
typedef struct pnl_set {
    int n_scenarios, n_strategies;
    double *pnl[MCR_MAX_SCENARIOS][MCR_MAX_STRATEGIES];
    mcr_field_set out[MCR_MAX_SCENARIOS][MCR_MAX_STRATEGIES];
} pnl_set;

static bool pnl_set_alloc(pnl_set *p, int n_scenarios, int n_strategies, uint64_t paths)
{
    memset(p, 0, sizeof *p);
    p->n_scenarios = n_scenarios;
    p->n_strategies = n_strategies;
    bool ok = true;
    for (int c = 0; c < n_scenarios; c++)
        for (int s = 0; s < n_strategies; s++) {
            p->pnl[c][s] = malloc(paths * sizeof(double));
            p->out[c][s] = (mcr_field_set){.at = {[MCR_FIELD_PNL] = p->pnl[c][s]}};
            ok = ok && p->pnl[c][s];
        }
    return ok;
}

static void pnl_set_free(pnl_set *p)
{
    for (int c = 0; c < p->n_scenarios; c++)
        for (int s = 0; s < p->n_strategies; s++)
            free(p->pnl[c][s]);
}

static mcr_status simulate_all(const mcr_config *cfg, const mcr_sim_options *opt, pnl_set *ps,
                               mcr_error *err)
{
    for (int c = 0; c < ps->n_scenarios; c++) {
        mcr_status st = mcr_simulate(cfg, c, opt, ps->out[c], err);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

/* Check every figure of w against its reference on the P&L of its cell; fills wr's figures. */
static int validate(const mcr_workload *w, const mcr_config *cfg, const pnl_set *ps,
                    double *scratch, mcr_bench_workload *wr)
{
    static mcr_expected exp_figs[MCR_MAX_EXPECTED];
    int n_exp = w->expected(cfg, exp_figs);
    if (n_exp == 0) {
        fprintf(txt, "  no reference figures for %llu paths (stored for %s)\n",
                (unsigned long long)cfg->paths, mcr_ws_paths_note);
        return 0;
    }
    mcr_summary s;
    int cell_c = -1, cell_s = -1, ok = 1;
    fprintf(txt, "  %-34s %14s %14s %12s %8s\n", "figure", "estimate", "reference", "se", "z");
    for (int i = 0; i < n_exp; i++) {
        const mcr_expected *e = &exp_figs[i];
        const double *pnl = ps->pnl[e->scenario][e->strategy];
        if (e->scenario != cell_c || e->strategy != cell_s) {
            mcr_risk_summarize(pnl, cfg->paths, cfg->levels, cfg->n_levels, scratch, &s);
            cell_c = e->scenario;
            cell_s = e->strategy;
        }
        double est = NAN, se = NAN;
        for (int l = 0; l < s.n_levels; l++) {
            if (fabs(s.risk[l].level - e->level) > 1e-12)
                continue;
            est = e->kind == MCR_FIG_VAR ? s.risk[l].var : s.risk[l].cvar;
            se = e->kind == MCR_FIG_VAR ? s.risk[l].var_se : s.risk[l].cvar_se;
        }
        if (e->kind == MCR_FIG_MEAN) {
            est = s.mean;
            se = s.mean_se;
        } else if (e->kind == MCR_FIG_STD) {
            est = s.std;
            se = std_se(pnl, cfg->paths, s.mean, s.std);
        }
        est += e->offset;
        double z = (est - e->exact) / se;
        int pass = e->abs_tol > 0   ? fabs(est - e->exact) <= e->abs_tol
                   : e->rel_tol > 0 ? fabs(est / e->exact - 1) <= e->rel_tol
                                    : fabs(z) <= 4.0;
        ok &= pass;
        char name[48];
        if (ps->n_scenarios > 1 || ps->n_strategies > 1)
            snprintf(name, sizeof name, "%.14s/%.12s %s", cfg->scenarios[e->scenario].name,
                     cfg->strategies[e->strategy].name, e->name);
        else
            snprintf(name, sizeof name, "%s", e->name);
        if (wr->n_figures < MCR_BENCH_MAX_FIGURES)
            wr->figure[wr->n_figures++] = (mcr_bench_figure){"", est, e->exact, se, z, pass};
        snprintf(wr->figure[wr->n_figures - 1].name, sizeof wr->figure[0].name, "%s", name);
        /* a figure with no sampling error (a put's floor) has no z-score: "-", not nan */
        char zs[16] = "       -";
        if (isfinite(z))
            snprintf(zs, sizeof zs, "%8.2f", z);
        fprintf(txt, "  %-34s %14.6f %14.6f %12.6f %s %s", name, est, e->exact, se, zs,
                pass ? "PASS" : "FAIL");
        if (e->abs_tol > 0)
            fprintf(txt, " (within %.0e: %+.1e)", e->abs_tol, est - e->exact);
        else if (e->rel_tol > 0)
            fprintf(txt, " (within %.0f%%: %+.2f%%)", 100 * e->rel_tol, 100 * (est / e->exact - 1));
        fputc('\n', txt);
    }
    return ok;
}

/* Largest |a - b| relative to the spot scale over every cell: the ISA agreement check. */
static double max_rel_diff(const pnl_set *a, const pnl_set *b, uint64_t n, double scale)
{
    double worst = 0.0;
    for (int c = 0; c < a->n_scenarios; c++)
        for (int s = 0; s < a->n_strategies; s++)
            for (uint64_t i = 0; i < n; i++) {
                double d = fabs(a->pnl[c][s][i] - b->pnl[c][s][i]) /
                           (scale + fabs(b->pnl[c][s][i]));
                worst = d > worst || isnan(d) ? d : worst;
            }
    return worst;
}

static double process_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Workload w's floor (floor.h): the path kernel alone, or with a delta hedge's arithmetic. */
static void floor_run(const mcr_workload *w, const mcr_config *cfg, const mcr_kernels *k,
                      int threads, double *pnl)
{
    if (w->hedge_floor)
        mcr_bench_floor_hedge_run(cfg, w->hedge_floor, k, threads, pnl);
    else
        mcr_bench_floor_run(cfg, k, threads, pnl);
}

/* Wall seconds of `reps` runs of every scenario of the config (or of workload w's floor when
 * floor_pnl is not NULL): min, median, max; *cpu_seconds: the median process CPU time. */
static mcr_stat3 time_runs(const mcr_workload *w, const mcr_config *cfg,
                           const mcr_sim_options *opt, pnl_set *ps, double *floor_pnl, int reps,
                           double *cpu_seconds)
{
    double secs[MCR_BENCH_MAX_REPEATS], cpu[MCR_BENCH_MAX_REPEATS];
    mcr_error err = {0};
    for (int r = 0; r < reps; r++) {
        double t0 = omp_get_wtime(), c0 = process_seconds();
        if (floor_pnl)
            floor_run(w, cfg, opt->kernels, opt->threads, floor_pnl);
        else
            simulate_all(cfg, opt, ps, &err);
        secs[r] = omp_get_wtime() - t0;
        cpu[r] = process_seconds() - c0;
    }
    if (cpu_seconds)
        *cpu_seconds = mcr_stat3_of(cpu, reps).median;
    return mcr_stat3_of(secs, reps);
}

/* A row of wall seconds secs and median CPU seconds cpu for `units` of work. */
static mcr_bench_row row_of(const char *isa, int threads, mcr_stat3 secs, double cpu,
                            double units)
{
    return (mcr_bench_row){.isa = isa, .threads = threads, .supported = true, .seconds = secs,
                           .rate = {units / secs.max, units / secs.median, units / secs.min},
                           .cpu_per_wall = cpu / secs.median, .rate_cpu = units / cpu};
}

/* Several strategies share one simulation: time the config with its first strategy copied k
 * times and report what each extra strategy costs against simulating the paths again. */
static void time_extra_strategies(const mcr_config *base, const mcr_sim_options *opt, int reps,
                                  mcr_bench_workload *wr)
{
    enum { copies = 4 };
    mcr_config cfg = *base;
    cfg.n_strategies = 1;
    cfg.n_scenarios = 1;
    pnl_set one, four;
    bool ok = pnl_set_alloc(&one, 1, 1, cfg.paths) && pnl_set_alloc(&four, 1, copies, cfg.paths);
    if (ok) {
        double t1 = time_runs(NULL, &cfg, opt, &one, NULL, reps, NULL).median;
        for (int s = 1; s < copies; s++) {
            cfg.strategies[s] = cfg.strategies[0];
            snprintf(cfg.strategies[s].name, sizeof cfg.strategies[s].name, "copy%d", s);
        }
        cfg.n_strategies = copies;
        double t4 = time_runs(NULL, &cfg, opt, &four, NULL, reps, NULL).median;
        double extra = (t4 - t1) / (copies - 1);
        wr->per_extra_strategy = extra;
        fprintf(txt, "\ncost per extra strategy (isa %s, %d threads): 1 strategy %.3f s, %d "
                     "strategies %.3f s -> %.3f s per extra strategy = %.0f%% of simulating the "
                     "paths again\n",
                opt->kernels->name, opt->threads, t1, copies, t4, extra, 100 * extra / t1);
    }
    pnl_set_free(&one);
    if (ok)
        pnl_set_free(&four);
}

/* W1's rate at the widest ISA and most threads in this run, the yardstick of the others. */
static double w1_rate;

/* tol: the largest max rel diff that is "ok" (the hedge floor's table CDF: MCR_HEDGE_FLOOR_TOL) */
static void print_row(const mcr_bench_row *r, double tol)
{
    fprintf(txt,
            "| %s | %d | %.3e | %.3e-%.3e | %.3f (%.3f-%.3f) | %.2f | %.3e | %.2f | %.2f | %.2f "
            "| %.1e %s |\n",
            r->isa, r->threads, r->rate.median, r->rate.min, r->rate.max, r->seconds.median,
            r->seconds.min, r->seconds.max, r->cpu_per_wall, r->rate_cpu, r->vs_scalar,
            r->vs_one_thread, r->of_floor, r->max_rel_diff, r->max_rel_diff <= tol ? "ok" : "MISMATCH");
}

/* The floor workload at every thread count with the best kernels; its P&L must be the engine's
 * (bitwise for the path kernel alone; within the table CDF's error for the hedge floor).
 * floor_rate[t]: its median rate at o->threads[t]. */
static int run_floor(const mcr_workload *w, const mcr_config *cfg, const bench_options *o,
                     const pnl_set *ref, mcr_bench_workload *wr, double *floor_rate)
{
    const double tol = w->hedge_floor ? MCR_HEDGE_FLOOR_TOL : 1e-12;
    const mcr_kernels *k = mcr_kernels_of(mcr_isa_best());
    pnl_set fl;
    if (!pnl_set_alloc(&fl, 1, 1, cfg->paths)) {
        pnl_set_free(&fl);
        return 1;
    }
    floor_run(w, cfg, k, o->threads[0], fl.pnl[0][0]);
    pnl_set ref1 = {.n_scenarios = 1, .n_strategies = 1, .pnl = {{ref->pnl[0][0]}}};
    double diff = max_rel_diff(&fl, &ref1, cfg->paths, cfg->assets[0].spot);
    for (int t = 0; t < o->n_threads && diff <= tol; t++) {
        mcr_sim_options opt = {.kernels = k, .threads = o->threads[t]};
        double cpu;
        mcr_stat3 secs = time_runs(w, cfg, &opt, NULL, fl.pnl[0][0], o->repeats, &cpu);
        mcr_bench_row r = row_of("floor", o->threads[t], secs, cpu, wr->units);
        r.vs_scalar = NAN;
        r.of_floor = 1.0;
        r.max_rel_diff = diff;
        floor_rate[t] = r.rate.median;
        r.vs_one_thread = floor_rate[t] / floor_rate[0];
        if (t == o->n_threads - 1)
            wr->floor = r;
        print_row(&r, tol);
    }
    pnl_set_free(&fl);
    if (!(diff <= tol))
        fprintf(txt, "| floor | - | its P&L differs from the engine's by %.1e (allowed %.0e): "
                     "not timed |\n", diff, tol);
    return !(diff <= tol);
}

/* Print the stored-figure rows of this config (ws_reference.c format), from the scalar ISA. */
static void print_reference(const mcr_config *cfg, const pnl_set *ps, double *scratch)
{
    for (int c = 0; c < ps->n_scenarios; c++)
        for (int s = 0; s < ps->n_strategies; s++) {
            mcr_summary sm;
            mcr_risk_summarize(ps->pnl[c][s], cfg->paths, cfg->levels, cfg->n_levels, scratch,
                               &sm);
            for (int l = 0; l < sm.n_levels; l++)
                if (fabs(sm.risk[l].level - 0.99) < 1e-12)
                    printf("    {%llu, %d, %d, %.17g, %.17g, %.17g},\n",
                           (unsigned long long)cfg->paths, c, s, sm.mean, sm.risk[l].var,
                           sm.risk[l].cvar);
        }
}

static int run_workload(const mcr_workload *w, const bench_options *o)
{
    mcr_config cfg, vcfg;
    mcr_error err = {0};
    if (mcr_config_load_string(w->yaml, w->id, &cfg, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        return 1;
    }
    if (mcr_config_load_string(w->validate_yaml ? w->validate_yaml : w->yaml, w->id, &vcfg,
                               &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        mcr_config_free(&cfg);
        return 1;
    }
    if (o->paths)
        cfg.paths = vcfg.paths = o->paths;
    else if (o->quick)
        cfg.paths = vcfg.paths = w->quick_paths ? w->quick_paths : MCR_BENCH_QUICK_PATHS;
    mcr_bench_workload *wr = &report.workload[report.n_workloads++];
    *wr = (mcr_bench_workload){.id = w->id, .title = w->title, .paths = cfg.paths,
                               .steps = cfg.steps};
    wr->unit = w->per_strategy ? "strategy-path-steps" : "path-steps";
    wr->units = (double)cfg.paths * cfg.steps *
                (w->per_strategy ? (double)cfg.n_scenarios * cfg.n_strategies : 1.0);
    pnl_set ref, run;
    double *scratch = malloc(cfg.paths * sizeof *scratch);
    int status = 1;
    bool ok = pnl_set_alloc(&ref, cfg.n_scenarios, cfg.n_strategies, cfg.paths) &&
              pnl_set_alloc(&run, cfg.n_scenarios, cfg.n_strategies, cfg.paths) && scratch;
    if (!ok) {
        fprintf(stderr, "mcrisk bench: out of memory for %llu paths\n",
                (unsigned long long)cfg.paths);
        goto done;
    }

    fprintf(txt, "\n## %s: %s, %llu paths x %d steps, seed %llu\n\n", w->id, w->title,
            (unsigned long long)cfg.paths, cfg.steps, (unsigned long long)cfg.seed);
    int max_threads = 1;
    for (int t = 0; t < o->n_threads; t++)
        max_threads = o->threads[t] > max_threads ? o->threads[t] : max_threads;
    mcr_sim_options best = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = max_threads};
    if (o->print_reference) {
        mcr_sim_options scalar = {.kernels = mcr_kernels_of(MCR_ISA_SCALAR),
                                  .threads = max_threads};
        if (simulate_all(&vcfg, &scalar, &ref, &err) == MCR_OK)
            print_reference(&vcfg, &ref, scratch);
        status = 0;
        goto done;
    }
    if (simulate_all(&vcfg, &best, &ref, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        goto done;
    }
    fprintf(txt, "validation (isa %s, %d threads%s):\n", best.kernels->name, max_threads,
            w->validate_yaml ? ", on the workload without fees and funding" : "");
    if (!validate(w, &vcfg, &ref, scratch, wr)) {
        fprintf(txt, "%s: FAIL, the answer differs from its reference: no speed reported\n",
                w->id);
        goto done;
    }
    wr->validated = true;
    if (w->validate_yaml && simulate_all(&cfg, &best, &ref, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        goto done;
    }

    fprintf(txt, "\n| isa | threads | median %s/s | min-max | seconds, median (min-max) | "
                 "cpu/wall | per CPU-second | vs scalar | vs 1 thread | of floor | "
                 "max rel diff vs %s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            wr->unit, best.kernels->name);
    double floor_rate[MCR_BENCH_MAX_LIST] = {0};
    bool has_floor = w->hedge_floor ||
                     (mcr_bench_floor_fits(&cfg) && !w->validate_yaml &&
                      (cfg.n_strategies == 0 ||
                       (cfg.n_strategies == 1 &&
                        mcr_strategy_kind_of(&cfg.strategies[0].parts[0]) ==
                            mcr_strategy_kind_find("none"))));
    if (has_floor && run_floor(w, &cfg, o, &ref, wr, floor_rate))
        goto done;
    double rates[MCR_ISA_COUNT][MCR_BENCH_MAX_LIST] = {{0}};
    for (int i = 0; i < o->n_isas; i++) {
        mcr_isa isa = o->isas[i];
        if (!mcr_isa_supported(isa)) {
            fprintf(txt, "| %s | - | not supported here | | | | | | | | |\n",
                    mcr_kernels_of(isa) ? mcr_kernels_of(isa)->name : "?");
            continue;
        }
        for (int t = 0; t < o->n_threads; t++) {
            mcr_sim_options opt = {.kernels = mcr_kernels_of(isa), .threads = o->threads[t]};
            double cpu;
            mcr_stat3 secs = time_runs(w, &cfg, &opt, &run, NULL, o->repeats, &cpu);
            mcr_bench_row r = row_of(opt.kernels->name, opt.threads, secs, cpu, wr->units);
            r.max_rel_diff = max_rel_diff(&run, &ref, cfg.paths, cfg.assets[0].spot);
            rates[isa][t] = r.rate.median;
            r.vs_scalar = rates[MCR_ISA_SCALAR][t] > 0 ? r.rate.median / rates[MCR_ISA_SCALAR][t]
                                                       : NAN;
            r.vs_one_thread = rates[isa][0] > 0 ? r.rate.median / rates[isa][0] : NAN;
            r.of_floor = floor_rate[t] > 0 ? r.rate.median / floor_rate[t] : NAN;
            if (wr->n_rows < MCR_BENCH_MAX_ROWS)
                wr->row[wr->n_rows++] = r;
            print_row(&r, 1e-12);
            fflush(txt);
            if (!(r.max_rel_diff <= 1e-12))
                goto done;
        }
    }
    double top = rates[mcr_isa_best()][o->n_threads - 1];
    if (!strcmp(w->id, "W1"))
        w1_rate = top;
    else if (w1_rate > 0 && top > 0 && !w->per_strategy)
        fprintf(txt, "\n%s / W1 at %s, %d threads (same run): %.2f\n", w->id, best.kernels->name,
                max_threads, top / w1_rate);
    if (cfg.n_strategies > 0 && mcr_strategy_kind_of(&cfg.strategies[0].parts[0]) !=
                                    mcr_strategy_kind_find("none"))
        time_extra_strategies(&cfg, &best, o->repeats, wr);
    status = 0;
done:
    pnl_set_free(&ref);
    pnl_set_free(&run);
    free(scratch);
    mcr_config_free(&cfg);
    mcr_config_free(&vcfg);
    return status;
}

static void print_machine(void)
{
    const mcr_bench_machine *m = &report.machine;
    fprintf(txt, "# mcrisk bench %s (%s)\n\nmachine: %s, %d cores; flags: %s\ncompiler %s; "
                 "kernels: best %s; load average before: %.2f %.2f %.2f\n",
            mcr_build_version(), mcr_build_revision(), m->cpu, m->cores, m->flags,
            mcr_build_compiler(), mcr_kernels_of(mcr_isa_best())->name, m->load_before[0],
            m->load_before[1], m->load_before[2]);
    if (mcr_bench_load_busy(m->load_before, m->cores))
        fprintf(txt, "WARNING: load average %.2f is above 0.5 per core (%d cores): other "
                     "processes share this machine, figures are disturbed\n",
                m->load_before[0], m->cores);
}

static void print_load_after(void)
{
    mcr_bench_machine *m = &report.machine;
    mcr_bench_load_read(m->load_after);
    fprintf(txt, "\nload average after: %.2f %.2f %.2f\n", m->load_after[0], m->load_after[1],
            m->load_after[2]);
    if (mcr_bench_load_busy(m->load_after, m->cores))
        fprintf(txt, "WARNING: load average %.2f is above 0.5 per core (%d cores): other "
                     "processes shared this machine, figures are disturbed\n",
                m->load_after[0], m->cores);
}

/* The config of workload `id`, as timed: what `mcrisk run` is given to time it whole
 * (bench/whole_runs.sh). */
static int print_config(const char *id)
{
    for (int i = 0; i < mcr_n_workloads; i++)
        if (!strcmp(id, mcr_workloads[i].id))
            return fputs(mcr_workloads[i].yaml, stdout) == EOF;
    fprintf(stderr, "mcrisk: --print-config: unknown workload '%s'; allowed:", id);
    for (int i = 0; i < mcr_n_workloads; i++)
        fprintf(stderr, "%s %s", i ? "," : "", mcr_workloads[i].id);
    fputc('\n', stderr);
    return 2;
}

static const char usage[] =
    "usage: mcrisk bench [--workload W1|W2|WH|W3|WS] [--paths N] [--repeats R] [--threads 1,2]\n"
    "                    [--isa scalar,avx2,avx512] [--quick] [--json] [--primitives]\n"
    "                    [--normals] [--print-reference] [--print-config W]\n";

int mcr_bench_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"paths", required_argument, 0, 'p'},   {"repeats", required_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'}, {"isa", required_argument, 0, 'i'},
        {"workload", required_argument, 0, 'w'}, {"quick", no_argument, 0, 'k'},
        {"normals", no_argument, 0, 'n'},       {"json", no_argument, 0, 'j'},
        {"primitives", no_argument, 0, 'P'},    {"print-reference", no_argument, 0, 'R'},
        {"print-config", required_argument, 0, 'C'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    bench_options o = {.repeats = 3};
    bool repeats_given = false;
    parse_isas("scalar,avx2,avx512", &o);
    o.n_threads = 0;
    for (int t = 1; t <= omp_get_num_procs() && o.n_threads < MCR_BENCH_MAX_LIST; t *= 2)
        o.threads[o.n_threads++] = t;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'p':
            o.paths = strtoull(optarg, &end, 10);
            if (*end || o.paths < 1000) {
                fprintf(stderr, "mcrisk: --paths: expected a whole number >= 1000 (got '%s')\n",
                        optarg);
                return 2;
            }
            break;
        case 'r':
            o.repeats = (int)strtol(optarg, &end, 10);
            repeats_given = true;
            if (*end || o.repeats < 1 || o.repeats > MCR_BENCH_MAX_REPEATS) {
                fprintf(stderr, "mcrisk: --repeats: expected 1..%d (got '%s')\n",
                        MCR_BENCH_MAX_REPEATS, optarg);
                return 2;
            }
            break;
        case 't':
            if (parse_threads(optarg, &o)) {
                fprintf(stderr, "mcrisk: --threads: expected a list like 1,2 (got '%s')\n",
                        optarg);
                return 2;
            }
            break;
        case 'i':
            if (parse_isas(optarg, &o)) {
                fprintf(stderr, "mcrisk: --isa: expected a list of scalar, avx2, avx512 "
                        "(got '%s')\n", optarg);
                return 2;
            }
            break;
        case 'w': o.only = optarg; break;
        case 'k': o.quick = true; break;
        case 'j': o.json = true; break;
        case 'P': o.primitives = true; break;
        case 'R': o.print_reference = true; break;
        case 'n': return mcr_bench_normals(stdout); /* inverse CDF vs Box-Muller, per ISA */
        case 'C': return print_config(optarg);
        case 'h': fputs(usage, stdout); return 0;
        default: return 2;
        }
    }
    if (o.quick && !repeats_given)
        o.repeats = 1;
    txt = o.json ? stderr : stdout;
    report.repeats = o.repeats;
    mcr_bench_machine_read(&report.machine);
    print_machine();
    int status = 0, ran = 0;
    if (o.primitives) /* alone, or with the one --workload given */
        status |= mcr_bench_primitives(txt, o.isas, o.n_isas, o.quick ? 3 : 3 * o.repeats,
                                       &report);
    for (int i = 0; (!o.primitives || o.only) && i < mcr_n_workloads; i++) {
        if (o.only && strcmp(o.only, mcr_workloads[i].id))
            continue;
        ran++;
        status |= run_workload(&mcr_workloads[i], &o);
    }
    if (!ran && (!o.primitives || o.only)) {
        fprintf(stderr, "mcrisk: --workload: unknown workload '%s'; allowed:", o.only);
        for (int i = 0; i < mcr_n_workloads; i++)
            fprintf(stderr, "%s %s", i ? "," : "", mcr_workloads[i].id);
        fputc('\n', stderr);
        return 2;
    }
    if (o.print_reference)
        return status;
    print_load_after();
    if (o.json)
        mcr_bench_json(stdout, &report);
    return status;
}
