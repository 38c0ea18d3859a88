/* The machine a benchmark ran on, and the statistics of its repeats: the CPU model and the SIMD
 * flags that decide which kernels run, and the load average before and after, because on a
 * shared machine other processes' load is the first suspect of any odd figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "report.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

mcr_stat3 mcr_stat3_of(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, compare_doubles);
    return (mcr_stat3){x[0], n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]), x[n - 1]};
}

/* The value of the first "key : value" line of /proc/cpuinfo whose key starts with `key`. */
static void cpuinfo_value(const char *key, char *out, size_t size)
{
    static char line[8192];
    snprintf(out, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, strlen(key))) {
            char *colon = strchr(line, ':'), *v = colon ? colon + 2 : line;
            size_t n = strcspn(v, "\n"); /* truncated to size - 1 if longer */
            n = n < size ? n : size - 1;
            memcpy(out, v, n);
            out[n] = 0;
            break;
        }
    fclose(f);
}

void mcr_bench_machine_read(mcr_bench_machine *m)
{
    /* the flags behind the x86-64 levels of the kernels and the math they use */
    static const char *wanted[] = {"sse4_2", "avx", "avx2", "fma", "bmi2", "avx512f",
                                   "avx512dq", "avx512bw", "avx512vl", "avx512_fp16"};
    static char all[8192];
    memset(m, 0, sizeof *m);
    cpuinfo_value("model name", m->cpu, sizeof m->cpu);
    all[0] = ' '; /* " flag1 flag2 ... ": every flag between spaces */
    cpuinfo_value("flags", all + 1, sizeof all - 2);
    strcat(all, " ");
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        char padded[32];
        snprintf(padded, sizeof padded, " %s ", wanted[i]);
        bool hit = strstr(all, padded) != NULL;
        size_t len = strlen(m->flags);
        if (hit && len + strlen(wanted[i]) + 2 < sizeof m->flags)
            snprintf(m->flags + len, sizeof m->flags - len, "%s%s", len ? " " : "", wanted[i]);
    }
    m->cores = omp_get_num_procs();
    mcr_bench_load_read(m->load_before);
}

void mcr_bench_load_read(double load[3])
{
    load[0] = load[1] = load[2] = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f)
        return;
    if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
        load[0] = load[1] = load[2] = -1;
    fclose(f);
}

bool mcr_bench_load_busy(const double load[3], int cores)
{
    return load[0] > 0.5 * cores;
}
