/* Correlation matrices of several assets' shocks: validation with messages that name the entry,
 * and the Cholesky factor L (C = L L^T) that turns independent normals z into correlated ones
 * (L z). Matrices are row-major n x n with a row stride `ld` (>= n), so callers can keep them in
 * fixed-size arrays. */
#ifndef MCR_CORRELATION_H
#define MCR_CORRELATION_H

#include <stdbool.h>

#include "core/status.h"

/* Tolerance for symmetry (|c[i][j] - c[j][i]|) and the unit diagonal (|c[i][i] - 1|). */
#define MCR_CORRELATION_TOL 1e-12

/* Checks, in this order: every entry finite and in [-1, 1]; diagonal equal to 1; symmetric; and
 * positive definite. Messages (`where` is e.g. "market.correlation"):
 *   "WHERE[1][2]: must be a number in [-1, 1] (got 1.5)"
 *   "WHERE[2][2]: must be 1, a diagonal entry (got 0.9)"
 *   "WHERE[1][0]: must equal WHERE[0][1] (0.3 vs 0.4)"
 *   "WHERE: not positive definite (leading minor of order 3 is -0.02)"
 * On success l (same stride ld) holds the lower-triangular Cholesky factor, zeros above the
 * diagonal; it is computed from the lower triangle of c. l may not alias c. n must be >= 1. */
mcr_status mcr_correlation_cholesky(const double *c, int n, int ld, double *l, const char *where,
                                    mcr_error *err);

/* The sample (Pearson) correlation of the n series r[i][0 .. len) (daily log returns on the
 * same dates) into c (stride ld): c[i][j] for the pairs with use[i] and use[j], the identity's
 * entries elsewhere (a series without use takes no correlated shock). A constant series
 * correlates 0. n <= 64, len >= 2. */
void mcr_correlation_fit(const double *const *r, int n, const bool *use, int len, double *c,
                         int ld);

/* The n x n identity, as matrix and as its own Cholesky factor. */
void mcr_correlation_identity(double *c, int n, int ld);

#endif
