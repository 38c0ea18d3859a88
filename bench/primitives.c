/* The primitives of the kernels timed one by one, per ISA, so that a slow library function or a
 * CPU-specific cliff (issue 11: SLEEF's u35 log, 30x slower on AMD AVX-512) shows at once as one
 * odd cell instead of a whole-run mystery. Each is timed on L1-resident data (64 paths x 64 draws,
 * or arrays of 4096), one thread, after an untimed warm-up; min, median and max over the repeats.
 * The clock is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), not wall time: on a shared
 * machine a preempted thread's waiting is not counted (its caches may still suffer). Before
 * timing, each ISA's output is compared with the scalar reference. */
#include "primitives.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "kernels/kernels.h"
#include "models/model.h"
#include "models/model_step.h"

#define PER_PATH 64 /* draws per path per call: 4096 per call */
#define N_ELEM (PER_PATH * MCR_BLOCK_PATHS)
#define ELEMENTS_PER_REPEAT 2000000
#define N_STEPS 365 /* path-step primitives: one year of daily steps per block */

enum { P_PCG32, P_UNIFORM, P_NORMAL, P_LOG, P_EXP, P_CDF, P_GBM, P_MERTON, P_JUMP, P_COUNT };
static const char *const names[P_COUNT] = {
    "pcg32 output", "uniform (0,1)", "normal (AS241)", "log", "exp", "normal CDF (table)",
    "GBM step", "Merton step", "jump draw (Merton - GBM step)"};

typedef struct prim_data {
    double x_unit[N_ELEM], x_exp[N_ELEM], x_cdf[N_ELEM], out[N_ELEM];
    uint32_t out32[N_ELEM];
    mcr_model_step gbm, merton;
} prim_data;

/* One call of primitive p on d; returns the elements (or path-steps) it produced. */
static double run_once(const mcr_kernels *k, int p, prim_data *d, mcr_block *b)
{
    switch (p) {
    case P_PCG32: k->uniform32(b, d->out32, PER_PATH); return N_ELEM;
    case P_UNIFORM: k->uniform(b, d->out, PER_PATH); return N_ELEM;
    case P_NORMAL: k->normal(b, d->out, PER_PATH); return N_ELEM;
    case P_LOG: k->log(d->x_unit, d->out, N_ELEM); return N_ELEM;
    case P_EXP: k->exp(d->x_exp, d->out, N_ELEM); return N_ELEM;
    case P_CDF: k->norm_cdf(d->x_cdf, d->out, N_ELEM); return N_ELEM;
    case P_GBM: k->model(b, &d->gbm, N_STEPS, NULL); return (double)N_STEPS * MCR_BLOCK_PATHS;
    default: k->model(b, &d->merton, N_STEPS, NULL); return (double)N_STEPS * MCR_BLOCK_PATHS;
    }
}

static double thread_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU ns per element of one repeat of primitive p. */
static double time_repeat(const mcr_kernels *k, int p, prim_data *d, mcr_block *b)
{
    double elements = 0.0, t0 = thread_seconds();
    while (elements < ELEMENTS_PER_REPEAT)
        elements += run_once(k, p, d, b);
    return (thread_seconds() - t0) / elements * 1e9;
}

/* Largest relative difference of every elementwise primitive and the normals against the
 * scalar reference. */
static double agreement(const mcr_kernels *k, prim_data *d)
{
    static double ref[N_ELEM];
    const mcr_kernels *s = mcr_kernels_of(MCR_ISA_SCALAR);
    double worst = 0.0;
    for (int p = P_UNIFORM; p <= P_CDF; p++) {
        mcr_block b, rb;
        mcr_block_init(&b, 9, 0, 0.0);
        rb = b;
        run_once(k, p, d, &b);
        memcpy(ref, d->out, sizeof ref);
        run_once(s, p, d, &rb);
        for (int i = 0; i < N_ELEM; i++) {
            double diff = fabs(ref[i] - d->out[i]) / fmax(fabs(d->out[i]), 1e-300);
            worst = isfinite(diff) || ref[i] == d->out[i] ? fmax(worst, diff) : INFINITY;
        }
    }
    return worst;
}

static void fill_inputs(prim_data *d)
{
    mcr_block b;
    mcr_block_init(&b, 7, 0, 0.0);
    mcr_kernels_of(MCR_ISA_SCALAR)->uniform(&b, d->x_unit, PER_PATH);
    for (int i = 0; i < N_ELEM; i++) {
        d->x_exp[i] = -5.0 + 10.0 * d->x_unit[(i * 7) % N_ELEM];
        d->x_cdf[i] = -4.0 + 8.0 * d->x_unit[(i * 13) % N_ELEM];
    }
    /* W1's and W2's daily steps */
    mcr_model m = {.type = MCR_MODEL_GBM, .gbm = {.mu = 0.0, .sigma = 0.8}};
    d->gbm = mcr_model_step_of(&m, 1.0 / 365);
    m = (mcr_model){.type = MCR_MODEL_MERTON,
                    .merton = {.mu = 0.0, .sigma = 0.6, .jump_intensity = 10, .jump_mean = -0.05,
                               .jump_std = 0.1}};
    d->merton = mcr_model_step_of(&m, 1.0 / 365);
}

int mcr_bench_primitives(FILE *out, const mcr_isa *isas, int n_isas, int repeats,
                         mcr_bench_report *r)
{
    prim_data *d = malloc(sizeof *d);
    if (!d)
        return 1;
    fill_inputs(d);
    int status = 0;
    fprintf(out, "\n## Primitives: CPU ns per element (per path-step for the steps), one "
                 "thread, median (min-max) of %d repeats\n\n| primitive |", repeats);
    const mcr_kernels *ks[MCR_ISA_COUNT];
    int n = 0;
    for (int i = 0; i < n_isas; i++) {
        if (!mcr_isa_supported(isas[i]))
            continue;
        ks[n] = mcr_kernels_of(isas[i]);
        double diff = agreement(ks[n], d);
        if (!(diff <= 1e-12)) {
            fprintf(stderr, "mcrisk bench: %s primitives differ from the scalar reference by "
                            "%.1e relative: not timed\n", ks[n]->name, diff);
            status = 1;
            continue;
        }
        fprintf(out, " %s |", ks[n]->name);
        n++;
    }
    fprintf(out, "\n|---|");
    for (int i = 0; i < n; i++)
        fprintf(out, "---:|");
    fputc('\n', out);
    mcr_stat3 st[P_COUNT][MCR_ISA_COUNT];
    for (int i = 0; i < n; i++) {
        double t[P_COUNT][64];
        for (int rep = -1; rep < repeats; rep++) /* rep -1: warm-up, not kept */
            for (int p = 0; p < P_JUMP; p++) {
                mcr_block b;
                mcr_block_init(&b, 11, 0, log(100.0));
                double ns = time_repeat(ks[i], p, d, &b);
                if (rep >= 0)
                    t[p][rep] = ns;
            }
        for (int rep = 0; rep < repeats; rep++) /* paired repeats: a jump step's extra cost */
            t[P_JUMP][rep] = t[P_MERTON][rep] - t[P_GBM][rep];
        for (int p = 0; p < P_COUNT; p++) {
            st[p][i] = mcr_stat3_of(t[p], repeats);
            if (r->n_primitives < MCR_BENCH_MAX_PRIMITIVES * MCR_ISA_COUNT)
                r->primitive[r->n_primitives++] =
                    (mcr_bench_primitive){ks[i]->name, names[p], st[p][i]};
        }
    }
    for (int p = 0; p < P_COUNT; p++) {
        fprintf(out, "| %s |", names[p]);
        for (int i = 0; i < n; i++)
            fprintf(out, " %.2f (%.2f-%.2f) |", st[p][i].median, st[p][i].min, st[p][i].max);
        fputc('\n', out);
    }
    free(d);
    return status;
}
