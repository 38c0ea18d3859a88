/* Helpers shared by the model-kernel suites (jumps, heston, correlated): every-ISA parameters,
 * terminal log prices of many paths from a kernel, and Monte Carlo means with their standard
 * errors. Header-only (static), so each suite includes what it uses. */
#ifndef MCR_TEST_MODEL_MC_H
#define MCR_TEST_MODEL_MC_H

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "models/model.h"
#include "kernels/paths.h"
#include "kernels/pcg32.h"

static inline const mcr_kernels *mc_require_isa(mcr_isa isa)
{
    const mcr_kernels *k = mcr_kernels_of(isa);
    if (!k)
        cr_skip_test("ISA %d not compiled in", (int)isa);
    if (!mcr_isa_supported(isa))
        cr_skip_test("%s not supported by this CPU", k->name);
    return k;
}

static inline struct criterion_test_params mc_all_isas(void)
{
    static mcr_isa isas[] = {MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}

/* ln S_T of `paths` (a multiple of MCR_BLOCK_PATHS) paths of one asset from S0 = s0 over `steps`
 * steps of c, with the widest kernel this CPU runs. Caller frees. */
static inline double *mc_terminal(const mcr_model_step *c, int steps, int paths, uint64_t seed,
                                  double s0)
{
    const mcr_kernels *k = mcr_kernels_of(mcr_isa_best());
    double *x = malloc(sizeof(double) * (size_t)paths);
    cr_assert_not_null(x);
    for (int first = 0; first < paths; first += MCR_BLOCK_PATHS) {
        mcr_block b;
        mcr_block_init_asset(&b, c, seed, 0, (uint64_t)first, log(s0));
        k->model(&b, c, steps, NULL);
        for (int i = 0; i < MCR_BLOCK_PATHS; i++)
            x[first + i] = b.log_price[i];
    }
    return x;
}

typedef struct mc_mean {
    double mean, se;
} mc_mean;

/* Mean and standard error of y[0 .. n-1]. */
static inline mc_mean mc_mean_of(const double *y, int n)
{
    double s = 0.0, ss = 0.0;
    for (int i = 0; i < n; i++)
        s += y[i];
    double m = s / n;
    for (int i = 0; i < n; i++)
        ss += (y[i] - m) * (y[i] - m);
    return (mc_mean){m, sqrt(ss / (n - 1) / n)};
}

/* The discounted payoff of option o over terminal log prices x: e^{-rT} E[payoff(S_T)]. */
static inline mc_mean mc_option(const double *x, int n, const mcr_euro *o)
{
    double *y = malloc(sizeof(double) * (size_t)n), df = exp(-o->rate * o->expiry);
    cr_assert_not_null(y);
    for (int i = 0; i < n; i++) {
        double s = exp(x[i]);
        y[i] = df * (o->payoff == MCR_CALL ? fmax(s - o->strike, 0.0) : fmax(o->strike - s, 0.0));
    }
    mc_mean r = mc_mean_of(y, n);
    free(y);
    return r;
}

/* E[S_T] e^{-mu T} / S0 - 1 over terminal log prices: 0 for a martingale after discounting. */
static inline mc_mean mc_martingale(const double *x, int n, double s0, double mu, double t)
{
    double *y = malloc(sizeof(double) * (size_t)n);
    cr_assert_not_null(y);
    for (int i = 0; i < n; i++)
        y[i] = exp(x[i] - mu * t) / s0 - 1.0;
    mc_mean r = mc_mean_of(y, n);
    free(y);
    return r;
}

/* Largest |exp(a - b) - 1| (relative difference of prices from log prices); infinite on a
 * non-finite value. */
static inline double mc_max_rel(const double *a, const double *b, int n)
{
    double m = 0.0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i]))
            return INFINITY;
        m = fmax(m, fabs(expm1(a[i] - b[i])));
    }
    return m;
}

/* The generator of every path consumed exactly draws * steps outputs since `start`. */
static inline bool mc_draws_exact(const mcr_block *start, const mcr_block *end, int64_t outputs)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = {.state = start->rng_state[i], .inc = start->rng_inc[i]};
        mcr_pcg32_advance(&g, outputs);
        if (g.state != end->rng_state[i])
            return false;
    }
    return true;
}

/* Bitwise: one year of daily steps split into uneven calls equals one call, and a path's ln S and
 * variance do not depend on the lane that simulates it (paths shifted by 3 lanes). */
static inline void mc_check_chunks_and_lanes(const mcr_kernels *k, const mcr_model *model)
{
    static const int chunks[] = {1, 15, 17, 100, 232}; /* 365 steps */
    mcr_model_step c = mcr_model_step_of(model, 1.0 / 365);
    mcr_block whole, split, shifted;
    mcr_block_init_asset(&whole, &c, 5, 0, 0, log(100.0));
    split = whole;
    mcr_block_init_asset(&shifted, &c, 5, 0, 3, log(100.0));
    k->model(&whole, &c, 365, NULL);
    for (size_t j = 0; j < sizeof chunks / sizeof chunks[0]; j++)
        k->model(&split, &c, chunks[j], NULL);
    k->model(&shifted, &c, 365, NULL);
    const char *name = mcr_model_name(c.type);
    cr_expect_eq(memcmp(&whole, &split, sizeof whole), 0, "%s %s: chunked != whole", k->name,
                 name);
    for (int i = 0; i + 3 < MCR_BLOCK_PATHS; i++) {
        cr_expect_eq(memcmp(&shifted.log_price[i], &whole.log_price[i + 3], sizeof(double)), 0,
                     "%s %s: path %d differs between lanes", k->name, name, i + 3);
        cr_expect_eq(memcmp(&shifted.variance[i], &whole.variance[i + 3], sizeof(double)), 0,
                     "%s %s: variance of path %d differs between lanes", k->name, name, i + 3);
    }
}

#endif
