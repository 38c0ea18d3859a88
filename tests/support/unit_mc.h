/* Monte Carlo helpers shared by the unit suites: the engine's draw convention (a PCG32 output x
 * as the uniform (x + 0.5) 2^-32, a normal by the AS241 quantile of one uniform), running means
 * with standard errors, and a closeness check that prints both numbers. Header-only (static). */
#ifndef MCR_TEST_UNIT_MC_H
#define MCR_TEST_UNIT_MC_H

#include <criterion/criterion.h>
#include <math.h>

#include "kernels/pcg32.h"
#include "models/normal.h"

static inline double um_uniform(mcr_pcg32 *g) { return ((double)mcr_pcg32_next(g) + 0.5) * 0x1p-32; }

static inline double um_normal(mcr_pcg32 *g) { return mcr_norm_quantile(um_uniform(g)); }

/* Welford's running mean and variance. */
typedef struct um_stats {
    long n;
    double mean, m2;
} um_stats;

static inline void um_add(um_stats *s, double x)
{
    s->n++;
    double d = x - s->mean;
    s->mean += d / (double)s->n;
    s->m2 += d * (x - s->mean);
}

static inline double um_var(const um_stats *s) { return s->m2 / (double)(s->n - 1); }
static inline double um_se(const um_stats *s) { return sqrt(um_var(s) / (double)s->n); }

static inline void um_close(double got, double want, double tol, const char *what)
{
    cr_expect(fabs(got - want) <= tol, "%s: %.15g, expected %.15g (tol %g)", what, got, want, tol);
}

/* |mean - exact| <= 4 se and se <= se_max: the Monte Carlo standard of the project. */
static inline void um_within_4se(const um_stats *s, double exact, double se_max, const char *what)
{
    double se = um_se(s);
    cr_log_info("%s: %.10g vs exact %.10g, z = %.2f, se %.3g (bound %.3g)", what, s->mean, exact,
                (s->mean - exact) / se, se, se_max);
    cr_expect(fabs(s->mean - exact) <= 4.0 * se, "%s: %.10g vs exact %.10g, %.2f se (se %.3g)",
              what, s->mean, exact, (s->mean - exact) / se, se);
    cr_expect(se <= se_max, "%s: se %.3g above its bound %.3g", what, se, se_max);
}

#endif
