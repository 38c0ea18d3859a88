/* What one `mcrisk bench` run measured, kept so that it can be written as JSON (--json) after the
 * human-readable tables: the machine and its load, the primitives, and per workload its
 * validation figures and timed rows. Every timing is min, median and max over the repeats. */
#ifndef MCR_BENCH_REPORT_H
#define MCR_BENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "kernels/kernels.h"

#define MCR_BENCH_MAX_FIGURES 96
#define MCR_BENCH_MAX_ROWS 32
#define MCR_BENCH_MAX_WORKLOADS 8
#define MCR_BENCH_MAX_PRIMITIVES 16

typedef struct mcr_stat3 {
    double min, median, max;
} mcr_stat3;

/* min, median and max of x[0 .. n) (sorts x); n >= 1. */
mcr_stat3 mcr_stat3_of(double *x, int n);

typedef struct mcr_bench_machine {
    char cpu[256];   /* /proc/cpuinfo model name */
    char flags[512]; /* the SIMD flags the kernels care about, space-separated */
    int cores;
    double load_before[3], load_after[3]; /* /proc/loadavg: 1, 5 and 15 minutes */
} mcr_bench_machine;

/* CPU model, flags, cores and the load average now (into load_before). */
void mcr_bench_machine_read(mcr_bench_machine *m);
/* The 1, 5 and 15 minute load averages; -1 where unreadable. */
void mcr_bench_load_read(double load[3]);
/* Whether a 1-minute load average means the figures are disturbed: above 0.5 per core. */
bool mcr_bench_load_busy(const double load[3], int cores);

typedef struct mcr_bench_figure {
    char name[48];
    double estimate, reference, se, z;
    bool pass;
} mcr_bench_figure;

typedef struct mcr_bench_row {
    const char *isa; /* "scalar", "avx2", "avx512", or "floor" */
    int threads;
    bool supported;
    mcr_stat3 seconds, rate; /* rate: units per second (min rate from max seconds) */
    double cpu_per_wall;     /* process CPU seconds / wall seconds, medians: ~threads when the
                              * run had its cores to itself, less when others took them */
    double rate_cpu;         /* units per process CPU second (median): what the run costs,
                              * little disturbed by other processes on a shared machine */
    double vs_scalar, vs_one_thread, of_floor, max_rel_diff;
} mcr_bench_row;

typedef struct mcr_bench_workload {
    const char *id, *title, *unit; /* unit: "path-steps" or "strategy-path-steps" */
    unsigned long long paths;
    int steps;
    double units; /* units of work in one timed run */
    bool validated;
    int n_figures, n_rows;
    mcr_bench_figure figure[MCR_BENCH_MAX_FIGURES];
    mcr_bench_row row[MCR_BENCH_MAX_ROWS];
    mcr_bench_row floor;      /* threads 0: no floor for this workload */
    double per_extra_strategy; /* seconds; 0 when not measured */
} mcr_bench_workload;

typedef struct mcr_bench_primitive {
    const char *isa, *name;
    mcr_stat3 ns; /* per element */
} mcr_bench_primitive;

typedef struct mcr_bench_report {
    mcr_bench_machine machine;
    int repeats;
    int n_primitives, n_workloads;
    mcr_bench_primitive primitive[MCR_BENCH_MAX_PRIMITIVES * MCR_ISA_COUNT];
    mcr_bench_workload workload[MCR_BENCH_MAX_WORKLOADS];
} mcr_bench_report;

/* The report as one JSON document. */
void mcr_bench_json(FILE *f, const mcr_bench_report *r);

#endif
