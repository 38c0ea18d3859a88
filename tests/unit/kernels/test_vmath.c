/* The vector math of every ISA against libm: the kernels' own log (kernels/simd/vmath_simd.h) in
 * ulps of glibc's log over every binade from the smallest subnormal to DBL_MAX, the uniforms the
 * draws feed it, around 1 and at C's special values; exp (SLEEF u10) in ulps; and the normal CDF
 * (kernels/ncdf.h) in absolute and relative error against erfcl. Each ISA's stated bound is
 * asserted; the scalar entry of log and exp is libm itself, of the CDF the reference algorithm. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/pcg32.h"

#define N_X 65536 /* a multiple of every lane width */

static const mcr_kernels *kernels_or_skip(mcr_isa isa)
{
    const mcr_kernels *k = mcr_kernels_of(isa);
    if (!k)
        cr_skip_test("ISA %d not compiled in", (int)isa);
    if (!mcr_isa_supported(isa))
        cr_skip_test("%s not supported by this CPU", k->name);
    return k;
}

static struct criterion_test_params all_isas(void)
{
    static mcr_isa isas[] = {MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}
ParameterizedTestParameters(vmath, log_ulp) { return all_isas(); }
ParameterizedTestParameters(vmath, log_special) { return all_isas(); }
ParameterizedTestParameters(vmath, exp_ulp) { return all_isas(); }
ParameterizedTestParameters(vmath, norm_cdf_abs) { return all_isas(); }

/* |got - want| in units of the last place of want (the spacing of doubles at want). */
static double ulps(double got, double want)
{
    if (got == want)
        return 0.0;
    double ulp = nextafter(fabs(want), INFINITY) - fabs(want);
    return fabs(got - want) / ulp;
}

/* Largest ulp error of k->log over x[0 .. N_X); sets *at to its argument. */
static double log_max_ulp(const mcr_kernels *k, const double *x, double *y, double *at)
{
    k->log(x, y, N_X);
    double worst = 0.0;
    for (int i = 0; i < N_X; i++) {
        double e = ulps(y[i], log(x[i]));
        if (!(e <= worst)) { /* NaN counts as worst */
            worst = e;
            *at = x[i];
        }
    }
    return worst;
}

/* Log-uniform over [2^-1074, 2^1024) (every binade, subnormals included), the uniforms
 * (u + 0.5) 2^-32 of the draws (and 1 - u), and 1 +- 2^-j e for j up to 52: at most 1 ulp. */
ParameterizedTest(mcr_isa *isa, vmath, log_ulp)
{
    const mcr_kernels *k = kernels_or_skip(*isa);
    double *x = malloc(N_X * sizeof *x), *y = malloc(N_X * sizeof *y), at = 0;
    cr_assert(x && y);
    mcr_pcg32 g = mcr_pcg32_for_path(7, 0);
    for (int i = 0; i < N_X; i++) {
        double e = -1074.0 + 2098.0 * ((mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
        double m = 1.0 + mcr_pcg32_next(&g) * 0x1p-32 + mcr_pcg32_next(&g) * 0x1p-64;
        x[i] = fmin(ldexp(m, (int)floor(e)), DBL_MAX);
        cr_assert(x[i] > 0);
    }
    double w = log_max_ulp(k, x, y, &at);
    cr_expect_leq(w, 1.0, "%s: log over all binades: %.3f ulp at %a", k->name, w, at);
    for (int i = 0; i < N_X; i++) {
        double u = ((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32;
        x[i] = i % 2 ? u : 1.0 - u;
    }
    w = log_max_ulp(k, x, y, &at);
    cr_expect_leq(w, 1.0, "%s: log of draw uniforms: %.3f ulp at %a", k->name, w, at);
    for (int i = 0; i < N_X; i++) {
        double d = ldexp(1.0 + mcr_pcg32_next(&g) * 0x1p-32, -1 - (i % 52));
        x[i] = i % 2 ? 1.0 + d : 1.0 - d / 2;
    }
    w = log_max_ulp(k, x, y, &at);
    cr_expect_leq(w, 1.0, "%s: log around 1: %.3f ulp at %a", k->name, w, at);
    free(x);
    free(y);
}

/* C's special values, and the boundaries of the normal range, wherever they sit in a vector. */
ParameterizedTest(mcr_isa *isa, vmath, log_special)
{
    const mcr_kernels *k = kernels_or_skip(*isa);
    static const double specials[] = {0.0, -0.0, -1.0, -DBL_MIN, INFINITY, -INFINITY, NAN,
                                      DBL_MIN, DBL_MAX, 0x1p-1074, 0x1p-1023, 1.0,
                                      0x1.6a09e667f3bcdp-1, 0x1.6a09e667f3bccp-1, 2.0, 0.5};
    enum { ns = sizeof specials / sizeof specials[0] };
    double x[ns * 8], y[ns * 8];
    for (int shift = 0; shift < 8; shift++) {
        for (int i = 0; i < ns * 8; i++)
            x[i] = i % 8 == shift ? specials[(i / 8) % ns] : 0.75; /* mixed with normal lanes */
        k->log(x, y, ns * 8);
        for (int i = 0; i < ns * 8; i++) {
            double want = log(x[i]);
            if (isnan(want))
                cr_expect(isnan(y[i]), "%s: log(%a) = %a, want NaN", k->name, x[i], y[i]);
            else
                cr_expect_leq(ulps(y[i], want), 1.0, "%s: log(%a) = %a, want %a", k->name, x[i],
                              y[i], want);
        }
    }
}

/* exp (SLEEF u10, 1 ulp by its documentation) over [-745, 709.7]: at most 1 ulp; the CDF's
 * argument range -x^2/2 in [-685, -32] (beyond 8 sd) is inside. */
ParameterizedTest(mcr_isa *isa, vmath, exp_ulp)
{
    const mcr_kernels *k = kernels_or_skip(*isa);
    double *x = malloc(N_X * sizeof *x), *y = malloc(N_X * sizeof *y);
    cr_assert(x && y);
    mcr_pcg32 g = mcr_pcg32_for_path(8, 0);
    for (int i = 0; i < N_X; i++)
        x[i] = i % 4 ? -745.0 + 1454.7 * ((mcr_pcg32_next(&g) + 0.5) * 0x1p-32)
                     : -2.0 + 4.0 * ((mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
    k->exp(x, y, N_X);
    double worst = 0.0;
    for (int i = 0; i < N_X; i++) {
        double want = exp(x[i]);
        if (want < DBL_MIN) /* subnormal results: absolute error below DBL_MIN * 2^-52 */
            cr_expect_leq(fabs(y[i] - want), 0x1p-1074, "%s: exp(%a)", k->name, x[i]);
        else
            worst = fmax(worst, ulps(y[i], want));
    }
    cr_expect_leq(worst, 1.0, "%s: exp: %.3f ulp", k->name, worst);
    free(x);
    free(y);
}

/* Phi (kernels/ncdf.h) against long double erfcl (so the reference's own rounding of x / sqrt 2
 * does not count), on a grid over [-40, 40] and at random points of (-8.5, 8.5), where the
 * table, its edge and the tail meet. Measured on 2^22 points: absolute error 1.11e-16 (the
 * rounding of 1 - Phi(-x)); relative 2.8e-16 below 8 sd (the table) and 5.9e-16 in the lower
 * tail from -8 to -37 (the continued fraction; below -37 Phi is clamped to Phi(-37) =
 * 5.7e-300). Bounds: 2e-16 absolute, 4e-16 and 1e-15 relative. Every ISA is bitwise the scalar
 * reference below 8 sd and within 1e-12 relative beyond (the vector exp). */
ParameterizedTest(mcr_isa *isa, vmath, norm_cdf_abs)
{
    const mcr_kernels *k = kernels_or_skip(*isa);
    double *x = malloc(2 * N_X * sizeof *x), *y = malloc(2 * N_X * sizeof *y);
    double *r = malloc(2 * N_X * sizeof *r);
    cr_assert(x && y && r);
    mcr_pcg32 g = mcr_pcg32_for_path(9, 0);
    for (int i = 0; i < N_X; i++) {
        x[i] = -40.0 + 80.0 * (i + 0.5) / N_X;
        x[N_X + i] = -8.5 + 17.0 * ((mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
    }
    k->norm_cdf(x, y, 2 * N_X);
    mcr_kernels_of(MCR_ISA_SCALAR)->norm_cdf(x, r, 2 * N_X);
    double abs_err = 0.0, rel_table = 0.0, rel_tail = 0.0, vs_ref = 0.0;
    int table_not_bitwise = 0;
    for (int i = 0; i < 2 * N_X; i++) {
        long double want = 0.5L * erfcl(-(long double)x[i] * sqrtl(0.5L));
        double rel = (double)fabsl((y[i] - want) / want);
        abs_err = fmax(abs_err, (double)fabsl(y[i] - want));
        if (fabs(x[i]) < 8.0)
            rel_table = fmax(rel_table, rel);
        else if (x[i] < 0 && x[i] >= -37.0)
            rel_tail = fmax(rel_tail, rel);
        vs_ref = fmax(vs_ref, r[i] > 0 ? fabs(y[i] / r[i] - 1.0) : fabs(y[i]));
        table_not_bitwise += fabs(x[i]) < 8.0 && memcmp(&y[i], &r[i], sizeof y[i]) != 0;
    }
    cr_expect_leq(abs_err, 2e-16, "%s: Phi: max abs error %g", k->name, abs_err);
    cr_expect_leq(rel_table, 4e-16, "%s: Phi below 8 sd: max rel error %g", k->name, rel_table);
    cr_expect_leq(rel_tail, 1e-15, "%s: Phi lower tail: max rel error %g", k->name, rel_tail);
    cr_expect_eq(table_not_bitwise, 0, "%s: Phi below 8 sd: %d values not the reference's",
                 k->name, table_not_bitwise);
    cr_expect_leq(vs_ref, 1e-12, "%s: Phi vs the scalar reference: max rel diff %g", k->name,
                  vs_ref);
    free(x);
    free(y);
    free(r);
}
