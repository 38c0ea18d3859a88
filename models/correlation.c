/* Correlation matrices: entry-by-entry validation, the Cholesky factor, the sample correlation
 * of returns. */
#include "correlation.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The shortest %g form that reads back as v, so a message shows what the user wrote (0.3, not
 * 0.29999999999999999) yet still tells apart values that differ in the 15th digit. */
static const char *shortest(double v, char *buf, size_t cap)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, cap, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

mcr_status mcr_correlation_cholesky(const double *c, int n, int ld, double *l, const char *where,
                                    mcr_error *err)
{
    char a[32], b[32];
    if (n < 1 || ld < n)
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s: invalid matrix size %d (row stride %d)",
                        where, n, ld);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double v = c[i * ld + j];
            if (!(isfinite(v) && fabs(v) <= 1.0))
                return mcr_fail(err, MCR_ERR_INPUT, "%s[%d][%d]: must be a number in [-1, 1] "
                                "(got %s)", where, i, j, shortest(v, a, sizeof a));
            if (i == j && !(fabs(v - 1.0) <= MCR_CORRELATION_TOL))
                return mcr_fail(err, MCR_ERR_INPUT, "%s[%d][%d]: must be 1, a diagonal entry "
                                "(got %s)", where, i, j, shortest(v, a, sizeof a));
        }
    for (int i = 1; i < n; i++)
        for (int j = 0; j < i; j++) {
            double lower = c[i * ld + j], upper = c[j * ld + i];
            if (!(fabs(lower - upper) <= MCR_CORRELATION_TOL))
                return mcr_fail(err, MCR_ERR_INPUT, "%s[%d][%d]: must equal %s[%d][%d] (%s vs %s)",
                                where, i, j, where, j, i, shortest(lower, a, sizeof a),
                                shortest(upper, b, sizeof b));
        }

    /* Cholesky-Banachiewicz, row by row. The pivot d_k = L_kk^2 is det(C_k) / det(C_{k-1}) for
     * the leading k x k blocks C_k, so the product of the pivots so far is the leading minor the
     * message reports. A pivot within rounding of zero (a singular matrix, e.g. two entries
     * of 1 off the diagonal) counts as not positive definite: L would be unusable. */
    double minor = 1.0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            l[i * ld + j] = 0.0;
        for (int j = 0; j <= i; j++) {
            /* fma: the pivot 1 - sum L_ik^2 of a correlation near 1 (stress scenarios) is a
             * small difference; rounding it once instead of twice keeps L_ii relatively exact. */
            double s = c[i * ld + j];
            for (int k = 0; k < j; k++)
                s = fma(-l[i * ld + k], l[j * ld + k], s);
            if (j < i) {
                l[i * ld + j] = s / l[j * ld + j];
                continue;
            }
            minor *= s;
            if (!(s > n * DBL_EPSILON))
                return mcr_fail(err, MCR_ERR_INPUT,
                                "%s: not positive definite (leading minor of order %d is %.3g%s)",
                                where, i + 1, minor, minor > 0.0 ? ", zero within rounding" : "");
            l[i * ld + i] = sqrt(s);
        }
    }
    return MCR_OK;
}

void mcr_correlation_identity(double *c, int n, int ld)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            c[i * ld + j] = i == j ? 1.0 : 0.0;
}

void mcr_correlation_fit(const double *const *r, int n, const bool *use, int len, double *c,
                         int ld)
{
    mcr_correlation_identity(c, n, ld);
    double mean[64], ss[64]; /* n <= the assets simulated together */
    for (int i = 0; i < n; i++) {
        double s = 0.0, q = 0.0;
        for (int t = 0; use[i] && t < len; t++)
            s += r[i][t];
        mean[i] = s / len;
        for (int t = 0; use[i] && t < len; t++)
            q += (r[i][t] - mean[i]) * (r[i][t] - mean[i]);
        ss[i] = q;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            if (!use[i] || !use[j])
                continue;
            double s = 0.0;
            for (int t = 0; t < len; t++)
                s += (r[i][t] - mean[i]) * (r[j][t] - mean[j]);
            double rho = ss[i] > 0 && ss[j] > 0 ? s / sqrt(ss[i] * ss[j]) : 0.0;
            rho = rho > 1.0 ? 1.0 : rho < -1.0 ? -1.0 : rho;
            c[i * ld + j] = c[j * ld + i] = rho;
        }
}
