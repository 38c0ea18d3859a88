/* The standard normal CDF of the option kernels: Phi(-a) for a = |x| < 8 from a table of
 * Phi(-x_j) and phi(x_j) at the nodes x_j = j / 256 and a short expansion about the nearest node,
 * Laplace's continued fraction beyond 8 sd; Phi(x) = 1 - Phi(-x) for x > 0. No exp and no
 * division below 8 sd: the delta of a W3 step costs half of what it did with Hart's rational
 * function times an exp.
 *
 * Expansion. With x0 the nearest node, h = a - x0 (|h| <= 1/512), w = x0 h and g = h^2:
 *   Phi(-a) = Phi(-x0) - phi(x0) S,  S = int_0^h exp(-x0 t - t^2 / 2) dt
 *           = h sum_m g^m F_m(w),    F_m(w) = sum_i (-1)^(i+m) w^i / (m! i! 2^m (2m + i + 1)),
 * kept to F0 of degree 5, F1 of degree 3 and F2's constant: the terms left out are below
 * 5e-17 of Phi(-a) (|w| <= 1/64, g <= 2^-18). Tail: Phi(-a) = phi(a) / (a + 1/(a + 2/(a + ...
 * 15/a))) for a >= 8 (1e-17 at a = 8, less beyond), exp(-a^2 / 2) corrected for the rounding of
 * a^2; a is clamped to 37 (Phi(-37) = 5.7e-300), where Hart's CDF, used before, clamped it, so
 * that deep out-of-the-money deltas stop changing (and counting trades) at the same point.
 *
 * Accuracy (tests/unit/kernels/test_vmath.c, against long double erfcl, 2^22 points): absolute
 * error 1.1e-16 everywhere (the rounding of 1 - Phi(-x)); relative error 2.8e-16 for |x| < 8 and
 * 5.9e-16 in the lower tail down to x = -37, so deep out-of-the-money deltas keep their digits
 * (Hart's rational function was within 9e-9 there). Below -37, Phi(-37): absolute error < 6e-300.
 *
 * The table is Phi and phi rounded once from long double (erfcl, expl), built on first use.
 * Shared by the scalar reference (kernels/ref/math_ref.c), the vector CDF
 * (kernels/simd/norm_cdf_simd.h), which compute the table region with the same IEEE operations
 * (bitwise equal there), and bench's W3 floor, which reads the same nodes linearly. */
#ifndef MCR_NCDF_H
#define MCR_NCDF_H

#define MCR_NCDF_SCALE 256.0 /* nodes per unit of x */
#define MCR_NCDF_TOP 8.0     /* the table's range: |x| < 8 */
#define MCR_NCDF_NODES 2049  /* x_j = j / 256, j = 0 .. 2048 */
#define MCR_NCDF_FAR 37.0    /* |x| is clamped here in the tail */
#define MCR_NCDF_CF_TERMS 15 /* depth of the continued fraction beyond 8 */
#define MCR_NCDF_ONE 8.3     /* Phi(x) rounds to 1 from here: Phi(-8.3) = 5.2e-17 < 2^-54 */

/* t[2 j] = Phi(-x_j), t[2 j + 1] = phi(x_j), j < MCR_NCDF_NODES; built once, thread-safe. */
const double *mcr_ncdf_table(void);

/* Phi(j / 256) for |j| < MCR_NCDF_NODES, from the table (bench's W3 floor). */
double mcr_ncdf_node(int j);

/* The expansion's coefficients, highest degree first. */
static const double mcr_ncdf_f0[6] = {-1.0 / 720, 1.0 / 120, -1.0 / 24, 1.0 / 6, -1.0 / 2, 1.0};
static const double mcr_ncdf_f1[4] = {1.0 / 72, -1.0 / 20, 1.0 / 8, -1.0 / 6};
static const double mcr_ncdf_f2 = 1.0 / 40;
#define MCR_NCDF_INV_SQRT_2PI 0.39894228040143267794

#endif
