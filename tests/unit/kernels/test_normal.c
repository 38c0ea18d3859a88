/* The uniform -> normal transforms of every ISA, as distributions: moments, a chi-square test
 * and the 4-sigma tail frequency over ~10^6 draws (fixed seed, 4-se bounds). Both transforms are
 * checked: the inverse CDF that the kernels use and the Box-Muller alternative. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "kernels/kernels.h"
#include "models/normal.h"
#include "kernels/paths.h"

#define PER_PATH 15626 /* even, for Box-Muller pairs */
#define N_DRAWS (PER_PATH * MCR_BLOCK_PATHS) /* 1000064 */

typedef struct transform_case {
    mcr_isa isa;
    bool box_muller;
} transform_case;

static struct criterion_test_params all_cases(void)
{
    static transform_case cases[] = {
        {MCR_ISA_SCALAR, false}, {MCR_ISA_AVX2, false}, {MCR_ISA_AVX512, false},
        {MCR_ISA_SCALAR, true},  {MCR_ISA_AVX2, true},  {MCR_ISA_AVX512, true}};
    return cr_make_param_array(transform_case, cases, sizeof cases / sizeof cases[0]);
}
ParameterizedTestParameters(normal, moments) { return all_cases(); }
ParameterizedTestParameters(normal, chi_square) { return all_cases(); }
ParameterizedTestParameters(normal, four_sigma_tails) { return all_cases(); }

/* ~10^6 normals from one block (64 paths x 15626 draws), seed 2024; skips what the CPU lacks. */
static double *draw(const transform_case *tc)
{
    const mcr_kernels *k = mcr_kernels_of(tc->isa);
    if (!k)
        cr_skip_test("ISA %d not compiled in", (int)tc->isa);
    if (!mcr_isa_supported(tc->isa))
        cr_skip_test("%s not supported by this CPU", k->name);
    mcr_normal_fn f = tc->box_muller ? mcr_box_muller_of(tc->isa) : k->normal;
    double *z = malloc(sizeof(double) * N_DRAWS);
    cr_assert_not_null(z);
    mcr_block b;
    mcr_block_init(&b, 2024, 0, 0.0);
    f(&b, z, PER_PATH);
    return z;
}

ParameterizedTest(transform_case *tc, normal, moments)
{
    double *z = draw(tc);
    double n = N_DRAWS, mean = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        cr_assert(isfinite(z[i]));
        mean += z[i];
    }
    mean /= n;
    for (int i = 0; i < N_DRAWS; i++) {
        double d = z[i] - mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    double skew = m3 / pow(m2, 1.5), kurt = m4 / (m2 * m2) - 3.0;
    double se_mean = sqrt(m2 / n), se_var = sqrt((m4 - m2 * m2) / n);
    /* asymptotic se of sample skewness and excess kurtosis of a normal sample */
    double se_skew = sqrt(6.0 / n), se_kurt = sqrt(24.0 / n);
    cr_assert_leq(se_mean, 1.01e-3);
    cr_assert_leq(se_var, 1.42e-3 * 1.01);
    cr_assert_leq(fabs(mean), 4 * se_mean, "mean %g", mean);
    cr_assert_leq(fabs(m2 - 1.0), 4 * se_var, "variance %g", m2);
    cr_assert_leq(fabs(skew), 4 * se_skew, "skewness %g", skew);
    cr_assert_leq(fabs(kurt), 4 * se_kurt, "excess kurtosis %g", kurt);
    free(z);
}

/* Pearson's chi-square over 100 equiprobable cells Phi(z) in [j/100, (j+1)/100). The critical
 * value is the 1 - 1e-5 quantile of chi-square(99) by Wilson-Hilferty (accurate to ~0.5%). */
ParameterizedTest(transform_case *tc, normal, chi_square)
{
    enum { cells = 100 };
    double *z = draw(tc);
    long count[cells] = {0};
    for (int i = 0; i < N_DRAWS; i++) {
        int j = (int)(mcr_norm_cdf(z[i]) * cells);
        count[j < 0 ? 0 : j >= cells ? cells - 1 : j]++;
    }
    double expect = (double)N_DRAWS / cells, chi2 = 0;
    for (int j = 0; j < cells; j++)
        chi2 += (count[j] - expect) * (count[j] - expect) / expect;
    double df = cells - 1, z_crit = 4.264891; /* Phi^-1(1 - 1e-5) */
    double a = 2.0 / (9.0 * df), crit = df * pow(1.0 - a + z_crit * sqrt(a), 3);
    cr_assert_lt(chi2, crit, "chi-square %g >= %g", chi2, crit);
    free(z);
}

/* P(Z < -4) = P(Z > 4) = 3.16712418e-5 (Abramowitz & Stegun, table 26.1). */
ParameterizedTest(transform_case *tc, normal, four_sigma_tails)
{
    const double p_tail = 3.16712418e-5;
    double *z = draw(tc);
    long lo = 0, hi = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        lo += z[i] < -4.0;
        hi += z[i] > 4.0;
    }
    double n = N_DRAWS;
    double e1 = n * p_tail, se1 = sqrt(n * p_tail * (1 - p_tail));
    double e2 = 2 * e1, se2 = sqrt(n * 2 * p_tail * (1 - 2 * p_tail));
    cr_assert_leq(se2, 8.0);
    cr_assert_leq(fabs(lo + hi - e2), 4 * se2, "both tails: %ld, expected %g", lo + hi, e2);
    cr_assert_leq(fabs(lo - e1), 4 * se1, "lower tail: %ld, expected %g", lo, e1);
    cr_assert_leq(fabs(hi - e1), 4 * se1, "upper tail: %ld, expected %g", hi, e1);
    free(z);
}
