/* Suite `correlation`: validation and Cholesky factor of correlation matrices (models/
 * correlation.h). Factors are checked by L L^T = C on random valid matrices built from random
 * factor loadings, and against closed forms; each kind of invalid matrix must be rejected with the
 * entry (or the leading minor, computed here in closed form) named in the message. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "models/correlation.h"

#define MAXN 16

/* splitmix64 and Box-Muller: a self-contained generator, so this suite does not lean on the
 * kernels it may one day help to test. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double next_normal(uint64_t *s)
{
    double u1 = ((double)(next_u64(s) >> 11) + 0.5) * 0x1p-53;
    double u2 = (double)(next_u64(s) >> 11) * 0x1p-53;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* C = D^{-1/2} B B^T D^{-1/2} for B of n x k normal loadings plus a common factor of weight w
 * (large w: correlations near 1, an ill-conditioned C). Exactly symmetric, exactly unit
 * diagonal; positive definite when k >= n. */
static void random_correlation(uint64_t *s, int n, int k, double w, double *c, int ld)
{
    double b[MAXN][MAXN + 4];
    for (int i = 0; i < n; i++) {
        double common = w * next_normal(s);
        for (int j = 0; j < k; j++)
            b[i][j] = next_normal(s) + (j == 0 ? common : 0.0);
    }
    double cov[MAXN][MAXN];
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double sum = 0.0;
            for (int m = 0; m < k; m++)
                sum += b[i][m] * b[j][m];
            cov[i][j] = sum;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double v = i == j ? 1.0 : cov[i][j] / sqrt(cov[i][i] * cov[j][j]);
            c[i * ld + j] = v;
            c[j * ld + i] = v;
        }
}

static mcr_status factor(const double *c, int n, int ld, double *l, mcr_error *err)
{
    return mcr_correlation_cholesky(c, n, ld, l, "market.correlation", err);
}

Test(correlation, identity)
{
    double c[MAXN * MAXN], l[MAXN * MAXN];
    for (int n = 1; n <= MAXN; n++) {
        mcr_correlation_identity(c, n, n);
        for (int i = 0; i < n * n; i++)
            cr_assert_eq(c[i], i % (n + 1) == 0 ? 1.0 : 0.0);
        mcr_error err = {0};
        cr_assert_eq(factor(c, n, n, l, &err), MCR_OK, "%s", err.msg);
        cr_assert_eq(memcmp(c, l, (size_t)(n * n) * sizeof c[0]), 0);
    }
}

Test(correlation, two_by_two_closed_form)
{
    static const double rhos[] = {-0.99, -0.5, 0.0, 0.3, 0.95, 0.999999, 1 - 1e-12};
    for (size_t i = 0; i < sizeof rhos / sizeof rhos[0]; i++) {
        double r = rhos[i], c[4] = {1, r, r, 1}, l[4];
        mcr_error err = {0};
        cr_assert_eq(factor(c, 2, 2, l, &err), MCR_OK, "rho %g: %s", r, err.msg);
        cr_assert_eq(l[0], 1.0);
        cr_assert_eq(l[1], 0.0);
        cr_assert_eq(l[2], r);
        /* relative: near |rho| = 1, L11 is small and must still be accurate to a few ulps */
        double exact = sqrt((1 - r) * (1 + r));
        cr_assert_leq(fabs(l[3] - exact), 4 * DBL_EPSILON * exact, "rho %.17g: %.17g vs %.17g", r,
                      l[3], exact);
    }
}

Test(correlation, random_matrices_reproduced)
{
    uint64_t s = 20240917;
    const int ld = MAXN + 3; /* a stride wider than n, padded with values that must not be read */
    static double c[MAXN * (MAXN + 3)], l[MAXN * (MAXN + 3)];
    static const double weights[] = {0.0, 1.0, 5.0, 30.0};
    double worst = 0.0, max_corr = 0.0;
    int trials = 0;
    for (int n = 1; n <= MAXN; n++)
        for (int t = 0; t < 40; t++) {
            for (int i = 0; i < MAXN * ld; i++) {
                c[i] = NAN;
                l[i] = -7.0;
            }
            random_correlation(&s, n, n + t % 3, weights[t % 4], c, ld);
            mcr_error err = {0};
            cr_assert_eq(factor(c, n, ld, l, &err), MCR_OK, "n %d trial %d: %s", n, t, err.msg);
            for (int i = 0; i < n; i++) {
                cr_assert_gt(l[i * ld + i], 0.0);
                for (int j = n; j < ld; j++)
                    cr_assert_eq(l[i * ld + j], -7.0, "padding [%d][%d] written", i, j);
                for (int j = 0; j < n; j++) {
                    if (j > i)
                        cr_assert_eq(l[i * ld + j], 0.0, "L[%d][%d] above the diagonal", i, j);
                    double llt = 0.0;
                    for (int m = 0; m <= (i < j ? i : j); m++)
                        llt += l[i * ld + m] * l[j * ld + m];
                    double e = fabs(llt - c[i * ld + j]);
                    worst = e > worst ? e : worst;
                    if (i != j && fabs(c[i * ld + j]) > max_corr)
                        max_corr = fabs(c[i * ld + j]);
                    cr_assert_leq(e, 1e-14, "n %d trial %d: (L L^T - C)[%d][%d] = %g", n, t, i,
                                  j, e);
                }
            }
            trials++;
        }
    cr_assert_eq(trials, MAXN * 40);
    /* the common factor of weight 30 made some correlations close to 1 */
    cr_assert_gt(max_corr, 0.998);
    cr_log_info("largest |L L^T - C| %.3g over %d matrices", worst, trials);
}

static void expect_rejected(const double *c, int n, const char *message)
{
    double l[MAXN * MAXN];
    mcr_error err = {0};
    cr_assert_eq(factor(c, n, n, l, &err), MCR_ERR_INPUT, "accepted; wanted: %s", message);
    cr_assert_str_eq(err.msg, message);
}

Test(correlation, non_symmetric)
{
    const double c[] = {1, 0.4, 0.3, 1};
    expect_rejected(c, 2, "market.correlation[1][0]: must equal market.correlation[0][1] "
                          "(0.3 vs 0.4)");
    /* first offending entry in row order, of three */
    const double c3[] = {1, 0.1, 0.2, 0.1, 1, 0.5, 0.25, 0.6, 1};
    expect_rejected(c3, 3, "market.correlation[2][0]: must equal market.correlation[0][2] "
                           "(0.25 vs 0.2)");
    /* within the 1e-12 tolerance it is symmetric; beyond it, the values are told apart */
    const double close[] = {1, 0.3, 0.3 + 1e-13, 1};
    double l[4];
    mcr_error err = {0};
    cr_assert_eq(factor(close, 2, 2, l, &err), MCR_OK, "%s", err.msg);
    const double apart[] = {1, 0.3, 0.30000000001, 1};
    expect_rejected(apart, 2, "market.correlation[1][0]: must equal market.correlation[0][1] "
                              "(0.30000000001 vs 0.3)");
}

Test(correlation, non_unit_diagonal)
{
    const double c[] = {1, 0.2, 0.1, 0.2, 1, 0.3, 0.1, 0.3, 0.9};
    expect_rejected(c, 3, "market.correlation[2][2]: must be 1, a diagonal entry (got 0.9)");
    const double c1[] = {0.5};
    expect_rejected(c1, 1, "market.correlation[0][0]: must be 1, a diagonal entry (got 0.5)");
}

Test(correlation, out_of_range)
{
    const double c[] = {1, 0.2, 1.5, 0.2, 1, 0.3, 1.5, 0.3, 1};
    expect_rejected(c, 3, "market.correlation[0][2]: must be a number in [-1, 1] (got 1.5)");
    const double low[] = {1, -1.0000001, -1.0000001, 1};
    expect_rejected(low, 2,
                    "market.correlation[0][1]: must be a number in [-1, 1] (got -1.0000001)");
    const double nan[] = {1, 0, NAN, 1};
    expect_rejected(nan, 2, "market.correlation[1][0]: must be a number in [-1, 1] (got nan)");
}

Test(correlation, not_positive_definite)
{
    /* det = 1 + 2abc - a^2 - b^2 - c^2 = -0.0196 at a = 0.8, b = 0.6, c = -0.02 */
    const double c3[] = {1, 0.8, 0.6, 0.8, 1, -0.02, 0.6, -0.02, 1};
    expect_rejected(c3, 3, "market.correlation: not positive definite (leading minor of order 3 "
                           "is -0.0196)");
    /* equicorrelation rho: leading minor of order k = (1 - rho)^(k-1) (1 + (k-1) rho), positive
     * up to k = 3 and -1.4^3 * 0.2 = -0.5488 at k = 4 for rho = -0.4 */
    double eq[36];
    for (int i = 0; i < 36; i++)
        eq[i] = i % 7 == 0 ? 1.0 : -0.4;
    expect_rejected(eq, 6, "market.correlation: not positive definite (leading minor of order 4 "
                           "is -0.549)");
    /* perfectly correlated: singular, so not positive definite either */
    const double one[] = {1, 1, 1, 1};
    expect_rejected(one, 2, "market.correlation: not positive definite (leading minor of order 2 "
                            "is 0)");
    /* rank 2 (rows 1 and 2 equal): the order-3 minor is 0 up to rounding */
    const double rank2[] = {1, 0.5, 0.5, 0.5, 1, 1, 0.5, 1, 1};
    double l[9];
    mcr_error err = {0};
    cr_assert_eq(factor(rank2, 3, 3, l, &err), MCR_ERR_INPUT);
    cr_assert(strncmp(err.msg, "market.correlation: not positive definite (leading minor of "
                               "order 3 is ", 71) == 0, "%s", err.msg);
}

Test(correlation, bad_size_is_internal)
{
    double c[1] = {1}, l[1];
    mcr_error err = {0};
    cr_assert_eq(factor(c, 0, 1, l, &err), MCR_ERR_INTERNAL);
    cr_assert_eq(factor(c, 2, 1, l, &err), MCR_ERR_INTERNAL);
}
