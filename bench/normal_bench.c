/* Micro-benchmark of the kernels' hot path on one thread: uniform -> normal (inverse CDF, the
 * transform the kernels use, and Box-Muller, the measured alternative) and the GBM step kernel.
 * Phases: validate each ISA against the scalar reference, then time repeats (untimed warm-up
 * first) and report the median and best, so the transform choice can be re-checked on any CPU. */
#include "normal_bench.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "kernels/kernels.h"
#include "kernels/paths.h"

#define MCR_NB_REPEATS 15
#define MCR_NB_PER_PATH 64 /* normals per path per call: 4096 per call, 32 KiB of output */
#define MCR_NB_CALLS 64
#define MCR_NB_BLOCKS 16 /* GBM blocks per timed run, one year of daily steps each */
#define MCR_NB_STEPS 365

static double mcr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int mcr_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Largest |a - b| over n draws; infinite if either is not finite. */
static double mcr_max_diff(const double *a, const double *b, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i]))
            return INFINITY;
        m = fmax(m, fabs(a[i] - b[i]));
    }
    return m;
}

static bool mcr_check(const mcr_kernels *k, mcr_normal_fn bm, double *buf, double *ref)
{
    enum { n = MCR_NB_PER_PATH * MCR_BLOCK_PATHS };
    mcr_block b, r;
    mcr_block_init(&b, 1, 0, 0.0);
    r = b;
    k->normal(&b, buf, MCR_NB_PER_PATH);
    mcr_normal_icdf_ref(&r, ref, MCR_NB_PER_PATH);
    bool ok = mcr_max_diff(buf, ref, n) <= 1e-13;
    bm(&b, buf, MCR_NB_PER_PATH);
    mcr_normal_bm_ref(&r, ref, MCR_NB_PER_PATH);
    ok = ok && mcr_max_diff(buf, ref, n) <= 1e-13;

    mcr_gbm_step c = {.drift = -0.32 / MCR_NB_STEPS, .vol = 0.8 / sqrt(MCR_NB_STEPS)};
    mcr_block_init(&b, 1, 0, log(100.0));
    r = b;
    k->gbm(&b, &c, MCR_NB_STEPS, NULL);
    mcr_gbm_paths_ref(&r, &c, MCR_NB_STEPS, NULL);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++)
        ok = ok && fabs(exp(b.log_price[i] - r.log_price[i]) - 1.0) <= 1e-12;
    return ok;
}

/* Seconds per normal of one transform: median and best of the repeats. */
static void mcr_time_normals(mcr_normal_fn f, double *buf, double *median, double *best)
{
    double t[MCR_NB_REPEATS];
    mcr_block b;
    mcr_block_init(&b, 2, 0, 0.0);
    f(&b, buf, MCR_NB_PER_PATH); /* warm-up: page in buf, resolve SLEEF */
    for (int r = 0; r < MCR_NB_REPEATS; r++) {
        double t0 = mcr_now();
        for (int i = 0; i < MCR_NB_CALLS; i++)
            f(&b, buf, MCR_NB_PER_PATH);
        t[r] = (mcr_now() - t0) / ((double)MCR_NB_CALLS * MCR_NB_PER_PATH * MCR_BLOCK_PATHS);
    }
    qsort(t, MCR_NB_REPEATS, sizeof t[0], mcr_cmp_double);
    *median = t[MCR_NB_REPEATS / 2];
    *best = t[0];
}

/* Seconds per path-step of the GBM kernel (block set-up included, as in a run). */
static void mcr_time_gbm(const mcr_kernels *k, double *median, double *best)
{
    double t[MCR_NB_REPEATS];
    mcr_gbm_step c = {.drift = -0.32 / MCR_NB_STEPS, .vol = 0.8 / sqrt(MCR_NB_STEPS)};
    mcr_block b;
    for (int r = 0; r < MCR_NB_REPEATS; r++) {
        double t0 = mcr_now();
        for (int i = 0; i < MCR_NB_BLOCKS; i++) {
            mcr_block_init(&b, 3, (uint64_t)i * MCR_BLOCK_PATHS, log(100.0));
            k->gbm(&b, &c, MCR_NB_STEPS, NULL);
        }
        t[r] = (mcr_now() - t0) / ((double)MCR_NB_BLOCKS * MCR_BLOCK_PATHS * MCR_NB_STEPS);
    }
    qsort(t, MCR_NB_REPEATS, sizeof t[0], mcr_cmp_double);
    *median = t[MCR_NB_REPEATS / 2];
    *best = t[0];
}

int mcr_bench_normals(FILE *out)
{
    enum { n = MCR_NB_PER_PATH * MCR_BLOCK_PATHS };
    double *buf = malloc(sizeof(double) * n), *ref = malloc(sizeof(double) * n);
    if (!buf || !ref) {
        free(buf);
        free(ref);
        return 1;
    }
    int status = 0;
    fprintf(out, "normals and GBM kernel, 1 thread; median [best] of %d repeats\n",
            MCR_NB_REPEATS);
    fprintf(out, "%-7s %-5s %22s %22s %26s\n", "isa", "check", "inverse CDF ns/normal",
            "Box-Muller ns/normal", "GBM path-steps/s");
    for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
        const mcr_kernels *k = mcr_kernels_of((mcr_isa)isa);
        if (!k || !mcr_isa_supported((mcr_isa)isa))
            continue;
        mcr_normal_fn bm = mcr_box_muller_of((mcr_isa)isa);
        if (!mcr_check(k, bm, buf, ref)) {
            fprintf(out, "%-7s %-5s\n", k->name, "FAIL");
            status = 1;
            continue;
        }
        double icdf_med, icdf_best, bm_med, bm_best, gbm_med, gbm_best;
        mcr_time_normals(k->normal, buf, &icdf_med, &icdf_best);
        mcr_time_normals(bm, buf, &bm_med, &bm_best);
        mcr_time_gbm(k, &gbm_med, &gbm_best);
        fprintf(out, "%-7s %-5s %12.3f [%7.3f] %12.3f [%7.3f] %15.3e [%9.3e]\n", k->name, "PASS",
                icdf_med * 1e9, icdf_best * 1e9, bm_med * 1e9, bm_best * 1e9, 1.0 / gbm_med,
                1.0 / gbm_best);
    }
    free(buf);
    free(ref);
    return status;
}
