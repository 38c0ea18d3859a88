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

#include "../engine/cli.h"
#include "../engine/risk.h"
#include "../engine/run.h"
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
    printf("  %-10s %14s %14s %12s %8s\n", "figure", "estimate", "exact", "se", "z");
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
        int pass = fabs(z) <= 4.0;
        ok &= pass;
        printf("  %-10s %14.6f %14.6f %12.6f %8.2f %s\n", e->name, est, e->exact, se, z,
               pass ? "PASS" : "FAIL");
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

static int run_workload(const mcr_workload *w, const bench_options *o)
{
    mcr_config cfg;
    mcr_error err = {0};
    if (mcr_config_load_string(w->yaml, w->id, &cfg, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        return 1;
    }
    if (o->paths)
        cfg.paths = o->paths;
    double steps = (double)cfg.paths * cfg.steps;
    double *pnl = malloc(cfg.paths * sizeof *pnl), *ref = malloc(cfg.paths * sizeof *ref);
    double *scratch = malloc(cfg.paths * sizeof *scratch);
    int status = 1;
    if (!pnl || !ref || !scratch) {
        fprintf(stderr, "mcrisk bench: out of memory for %llu paths\n",
                (unsigned long long)cfg.paths);
        goto done;
    }

    printf("\n## %s: %s, %llu paths x %d steps, seed %llu\n\n", w->id, w->title,
           (unsigned long long)cfg.paths, cfg.steps, (unsigned long long)cfg.seed);
    int max_threads = 1;
    for (int t = 0; t < o->n_threads; t++)
        max_threads = o->threads[t] > max_threads ? o->threads[t] : max_threads;
    mcr_run_options best = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = max_threads};
    mcr_hedge_out ref_out = {.pnl = ref};
    if (mcr_simulate(&cfg, 0, &best, &ref_out, &err) != MCR_OK) {
        fprintf(stderr, "mcrisk bench: %s\n", err.msg);
        goto done;
    }
    printf("validation (isa %s, %d threads), |z| <= 4 required:\n", best.kernels->name,
           max_threads);
    if (!validate(w, &cfg, ref, scratch)) {
        printf("%s: FAIL, answer differs from the closed form: no speed reported\n", w->id);
        goto done;
    }

    printf("\n| isa | threads | median path-steps/s | best path-steps/s | vs scalar | vs 1 thread"
           " | of floor %.2g | max rel diff vs %s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
           w->floor_path_steps, best.kernels->name);
    double rate_of[MCR_ISA_COUNT][MCR_BENCH_MAX_LIST] = {{0}};
    for (int i = 0; i < o->n_isas; i++) {
        mcr_isa isa = o->isas[i];
        if (!mcr_isa_supported(isa)) {
            printf("| %s | - | not supported here | | | | | |\n", mcr_kernels_of(isa) ?
                   mcr_kernels_of(isa)->name : "?");
            continue;
        }
        for (int t = 0; t < o->n_threads; t++) {
            mcr_run_options opt = {.kernels = mcr_kernels_of(isa), .threads = o->threads[t]};
            double secs[64];
            mcr_hedge_out out = {.pnl = pnl};
            int reps = o->repeats < 64 ? o->repeats : 64;
            for (int r = 0; r < reps; r++) {
                double t0 = omp_get_wtime();
                mcr_simulate(&cfg, 0, &opt, &out, &err);
                secs[r] = omp_get_wtime() - t0;
            }
            qsort(secs, (size_t)reps, sizeof secs[0], compare_doubles);
            double median = steps / secs[reps / 2], best_rate = steps / secs[0];
            double diff = max_rel_diff(pnl, ref, cfg.paths, cfg.assets[0].spot);
            rate_of[isa][t] = median;
            double vs_scalar = rate_of[MCR_ISA_SCALAR][t] > 0 ? median / rate_of[MCR_ISA_SCALAR][t]
                                                               : NAN;
            double vs_one = rate_of[isa][0] > 0 ? median / rate_of[isa][0] : NAN;
            printf("| %s | %d | %.3e | %.3e | %.2f | %.2f | %.2f | %.1e %s |\n", opt.kernels->name,
                   opt.threads, median, best_rate, vs_scalar, vs_one,
                   median / w->floor_path_steps, diff, diff <= 1e-12 ? "ok" : "MISMATCH");
            fflush(stdout);
            if (diff > 1e-12)
                goto done;
        }
    }
    status = 0;
done:
    free(pnl);
    free(ref);
    free(scratch);
    mcr_config_free(&cfg);
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
           MCR_VERSION, MCR_GIT_REVISION, model, omp_get_num_procs(), MCR_COMPILER,
           mcr_kernels_of(mcr_isa_best())->name);
}

int mcr_bench_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"paths", required_argument, 0, 'p'},   {"repeats", required_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'}, {"isa", required_argument, 0, 'i'},
        {"workload", required_argument, 0, 'w'}, {"quick", no_argument, 0, 'k'},
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
        case 'h': fputs("usage: mcrisk bench [--workload W1] [--paths N] [--repeats R] "
                        "[--threads 1,2] [--isa scalar,avx2,avx512] [--quick]\n", stdout);
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
        fprintf(stderr, "mcrisk: --workload: unknown workload '%s'; allowed: W1\n", o.only);
        return 2;
    }
    return status;
}
