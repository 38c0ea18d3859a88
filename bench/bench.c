/* `mcrisk bench`: for each workload, phases as in HPCG: untimed setup, validation of the answer
 * against its closed form (|est - exact| <= 4 se for every figure), then timed repeats per ISA and
 * thread count, reported as path-steps/s (median and best of the repeats) with the ratios to the
 * scalar reference, to one thread and to the measured arithmetic floor. Speed is printed only for
 * a workload whose answer passed, and only for kernels that reproduce the validated P&L. */
#include "bench.h"

#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/build_info.h"
#include "risk/risk.h"
#include "run/run.h"
#include "sim/sim.h"
#include "strategies/strategy.h"
#include "normal_bench.h"
#include "workloads.h"

#define MCR_BENCH_MAX_LIST 8

typedef struct bench_options {
    uint64_t paths;     /* 0: the workload's own */
    int repeats;
    int threads[MCR_BENCH_MAX_LIST], n_threads;
    mcr_isa isas[MCR_ISA_COUNT];
    int n_isas;
    const char *only;   /* workload id, or NULL for all */
} bench_options;

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

static int validate(const mcr_workload *w, const mcr_config *cfg, const double *pnl,
                    double *scratch)
{
    mcr_expected exp_figs[MCR_MAX_EXPECTED];
    int n_exp = w->expected(cfg, exp_figs);
    mcr_summary s;
    mcr_risk_summarize(pnl, cfg->paths, cfg->levels, cfg->n_levels, scratch, &s);
    int ok = 1;
    printf("  %-10s %14s %14s %12s %8s\n", "figure", "estimate", "reference", "se", "z");
    for (int i = 0; i < n_exp; i++) {
        const mcr_expected *e = &exp_figs[i];
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
        int pass = e->rel_tol > 0 ? fabs(est / e->exact - 1) <= e->rel_tol : fabs(z) <= 4.0;
        ok &= pass;
        printf("  %-10s %14.6f %14.6f %12.6f %8.2f %s", e->name, est, e->exact, se, z,
               pass ? "PASS" : "FAIL");
        if (e->rel_tol > 0)
            printf(" (within %.0f%%: %+.2f%%)", 100 * e->rel_tol, 100 * (est / e->exact - 1));
        putchar('\n');
    }
    return ok;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Largest |a - b| relative to the spot scale: the ISA agreement check of the P&L. */
static double max_rel_diff(const double *a, const double *b, uint64_t n, double scale)
{
    double worst = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]) / (scale + fabs(b[i]));
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* P&L buffers for every strategy of a config (pnl only: bench times the engine, not detail). */
typedef struct pnl_set {
    int n;
    double *pnl[MCR_MAX_STRATEGIES];
    mcr_field_set out[MCR_MAX_STRATEGIES];
} pnl_set;

static bool pnl_set_alloc(pnl_set *p, int n_strategies, uint64_t paths)
{
    memset(p, 0, sizeof *p);
    p->n = n_strategies;
    bool ok = true;
    for (int s = 0; s < n_strategies; s++) {
        p->pnl[s] = malloc(paths * sizeof(double));
        p->out[s] = (mcr_field_set){.at = {[MCR_FIELD_PNL] = p->pnl[s]}};
        ok = ok && p->pnl[s];
    }
    return ok;
}

static void pnl_set_free(pnl_set *p)
{
    for (int s = 0; s < p->n; s++)
        free(p->pnl[s]);
}

/* Median and best wall time of `reps` runs of the simulation. */
static void time_runs(const mcr_config *cfg, const mcr_sim_options *opt, pnl_set *ps, int reps,
                      double *median, double *best)
{
    double secs[64];
    mcr_error err = {0};
    reps = reps < 64 ? reps : 64;
    for (int r = 0; r < reps; r++) {
        double t0 = omp_get_wtime();
        mcr_simulate(cfg, 0, opt, ps->out, &err);
        secs[r] = omp_get_wtime() - t0;
    }
    qsort(secs, (size_t)reps, sizeof secs[0], compare_doubles);
    *median = secs[reps / 2];
    *best = secs[0];
}

/* Several strategies share one simulation: time the config with its first strategy copied k
 * times and report what each extra strategy costs against simulating the paths again. */
static void time_extra_strategies(const mcr_config *base, const mcr_sim_options *opt, int reps)
{
    enum { copies = 4 };
    mcr_config cfg = *base;
    cfg.n_strategies = 1;
    pnl_set one, four;
    if (!pnl_set_alloc(&one, 1, cfg.paths) || !pnl_set_alloc(&four, copies, cfg.paths)) {
        pnl_set_free(&one);
        return;
    }
    double t1, t4, best;
    time_runs(&cfg, opt, &one, reps, &t1, &best);
    for (int s = 1; s < copies; s++) {
        cfg.strategies[s] = cfg.strategies[0];
        snprintf(cfg.strategies[s].name, sizeof cfg.strategies[s].name, "copy%d", s);
    }
    cfg.n_strategies = copies;
    time_runs(&cfg, opt, &four, reps, &t4, &best);
    double extra = (t4 - t1) / (copies - 1);
    printf("\ncost per extra strategy (isa %s, %d threads): 1 strategy %.3f s, %d strategies "
           "%.3f s -> %.3f s per extra strategy = %.0f%% of simulating the paths again\n",
           opt->kernels->name, opt->threads, t1, copies, t4, extra, 100 * extra / t1);
    pnl_set_free(&one);
    pnl_set_free(&four);
}

/* W1's rate at the widest ISA and most threads in this run, the yardstick of the others. */
static double w1_rate;

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
    double steps = (double)cfg.paths * cfg.steps;
    pnl_set ref, run;
    double *scratch = malloc(cfg.paths * sizeof *scratch);
    int status = 1;
    bool ok = pnl_set_alloc(&ref, cfg.n_strategies, cfg.paths) &&
              pnl_set_alloc(&run, cfg.n_strategies, cfg.paths) && scratch;
    if (!ok) {
        fprintf(stderr, "mcrisk bench: out of memory for %llu paths\n",
                (unsigned long long)cfg.paths);
        goto done;
    }

    printf("\n## %s: %s, %llu paths x %d steps, seed %llu\n\n", w->id, w->title,
           (unsigned long long)cfg.paths, cfg.steps, (unsigned long long)cfg.seed);
    int max_threads = 1;
    for (int t = 0; t < o->n_threads; t++)
        max_threads = o->threads[t] > max_threads ? o->threads[t] : max_threads;
    mcr_sim_options best = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = max_threads};
    if (mcr_simulate(&vcfg, 0, &best, ref.out, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        goto done;
    }
    printf("validation (isa %s, %d threads%s):\n", best.kernels->name, max_threads,
           w->validate_yaml ? ", on the workload without fees and funding" : "");
    if (!validate(w, &vcfg, ref.pnl[0], scratch)) {
        printf("%s: FAIL, the answer differs from its reference: no speed reported\n", w->id);
        goto done;
    }
    if (w->validate_yaml && mcr_simulate(&cfg, 0, &best, ref.out, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        goto done;
    }

    printf("\n| isa | threads | median path-steps/s | best path-steps/s | vs scalar | vs 1 thread"
           " | of floor %.2g (%s) | max rel diff vs %s |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|\n",
           w->floor_path_steps, w->floor_note, best.kernels->name);
    double rate_of[MCR_ISA_COUNT][MCR_BENCH_MAX_LIST] = {{0}};
    for (int i = 0; i < o->n_isas; i++) {
        mcr_isa isa = o->isas[i];
        if (!mcr_isa_supported(isa)) {
            printf("| %s | - | not supported here | | | | | |\n", mcr_kernels_of(isa) ?
                   mcr_kernels_of(isa)->name : "?");
            continue;
        }
        for (int t = 0; t < o->n_threads; t++) {
            mcr_sim_options opt = {.kernels = mcr_kernels_of(isa), .threads = o->threads[t]};
            double median, fastest;
            time_runs(&cfg, &opt, &run, o->repeats, &median, &fastest);
            double rate = steps / median, best_rate = steps / fastest;
            double diff = max_rel_diff(run.pnl[0], ref.pnl[0], cfg.paths, cfg.assets[0].spot);
            rate_of[isa][t] = rate;
            double vs_scalar = rate_of[MCR_ISA_SCALAR][t] > 0 ? rate / rate_of[MCR_ISA_SCALAR][t]
                                                               : NAN;
            double vs_one = rate_of[isa][0] > 0 ? rate / rate_of[isa][0] : NAN;
            double of_floor = w->floor_path_steps > 0 ? rate / w->floor_path_steps : NAN;
            printf("| %s | %d | %.3e | %.3e | %.2f | %.2f | %.2f | %.1e %s |\n", opt.kernels->name,
                   opt.threads, rate, best_rate, vs_scalar, vs_one, of_floor, diff,
                   diff <= 1e-12 ? "ok" : "MISMATCH");
            fflush(stdout);
            if (diff > 1e-12)
                goto done;
        }
    }
    double top = rate_of[mcr_isa_best()][o->n_threads - 1];
    if (!strcmp(w->id, "W1"))
        w1_rate = top;
    else if (w1_rate > 0 && top > 0)
        printf("\n%s / W1 at %s, %d threads (same run): %.2f\n", w->id, best.kernels->name,
               max_threads, top / w1_rate);
    if (cfg.n_strategies > 0 && mcr_strategy_kind_of(&cfg.strategies[0].parts[0]) !=
                                    mcr_strategy_kind_find("none"))
        time_extra_strategies(&cfg, &best, o->repeats);
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
    char model[512] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "model name", 10)) {
                char *colon = strchr(line, ':');
                snprintf(model, sizeof model, "%s", colon ? colon + 2 : line);
                model[strcspn(model, "\n")] = 0;
                break;
            }
        fclose(f);
    }
    printf("# mcrisk bench %s (%s)\n\nmachine: %s, %d cores; compiler %s; kernels: best %s\n",
           mcr_build_version(), mcr_build_revision(), model, omp_get_num_procs(), mcr_build_compiler(),
           mcr_kernels_of(mcr_isa_best())->name);
}

int mcr_bench_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"paths", required_argument, 0, 'p'},   {"repeats", required_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'}, {"isa", required_argument, 0, 'i'},
        {"workload", required_argument, 0, 'w'}, {"quick", no_argument, 0, 'k'},
        {"normals", no_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    bench_options o = {.repeats = 3};
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
            if (*end || o.repeats < 1 || o.repeats > 64) {
                fprintf(stderr, "mcrisk: --repeats: expected 1..64 (got '%s')\n", optarg);
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
        case 'k': o.paths = 100000; o.repeats = 1; break;
        case 'n': return mcr_bench_normals(stdout); /* inverse CDF vs Box-Muller, per ISA */
        case 'h': fputs("usage: mcrisk bench [--workload W1|W2|WH|W3] [--paths N] [--repeats R] "
                        "[--threads 1,2] [--isa scalar,avx2,avx512] [--quick] [--normals]\n", stdout);
                  return 0;
        default: return 2;
        }
    }
    print_machine();
    int status = 0, ran = 0;
    for (int i = 0; i < mcr_n_workloads; i++) {
        if (o.only && strcmp(o.only, mcr_workloads[i].id))
            continue;
        ran++;
        status |= run_workload(&mcr_workloads[i], &o);
    }
    if (!ran) {
        fprintf(stderr, "mcrisk: --workload: unknown workload '%s'; allowed:", o.only);
        for (int i = 0; i < mcr_n_workloads; i++)
            fprintf(stderr, "%s %s", i ? "," : "", mcr_workloads[i].id);
        fputc('\n', stderr);
        return 2;
    }
    return status;
}
