/* The exact density of a Kou (2002) log return over a step dt, for maximum likelihood. Given n
 * jumps the return is d + s Z + (sum of n double-exponential jumps); Kou's Proposition B.1
 * (Management Science 48(8), 2002, appendix B) writes that sum as a mixture of one-sided Gamma
 * laws:
 *   sum = +Gamma(k, eta1) with probability P_{n,k},  -Gamma(k, eta2) with probability Q_{n,k},
 *   P_{n,k} = sum_{i=k}^{n-1} C(n-k-1, i-k) C(n, i) a^(i-k) b^(n-i) p^i q^(n-i),  P_{n,n} = p^n,
 *   Q_{n,k} = sum_{i=k}^{n-1} C(n-k-1, i-k) C(n, i) a^(n-i) b^(i-k) p^(n-i) q^i,  Q_{n,n} = q^n,
 *   a = eta1/(eta1+eta2), b = eta2/(eta1+eta2), q = 1 - p,
 * and a normal plus a Gamma(k, eta) has the density (Kou's Hh functions)
 *   f+_k(x) = (eta s)^k / (s sqrt(2 pi)) exp(eta^2 s^2 / 2 - eta u) Hh_{k-1}(eta s - u / s),
 *   u = x - d, and f-_k(x) the same with eta2 and u -> -u,
 *   Hh_n(x) = (1/n!) int_x^inf (t - x)^n e^{-t^2/2} dt,  Hh_{-1}(x) = e^{-x^2/2},
 *   Hh_0(x) = sqrt(2 pi) Phi(-x),  n Hh_n(x) = Hh_{n-2}(x) - x Hh_{n-1}(x).
 * So f(x) = w_0 phi(u/s)/s + sum_{k>=1} (A_k f+_k(x) + B_k f-_k(x)), with w_n the Poisson(lambda
 * dt) weights, A_k = sum_{n>=k} w_n P_{n,k} and B_k = sum_{n>=k} w_n Q_{n,k}.
 * Truncation after N jumps leaves out at most P(K > N) / (s sqrt(2 pi)) of any density value:
 * every left-out term is the normal density convolved with a probability law, whose maximum is
 * at most the normal's. Everything is summed in log space, so no term overflows. */
#ifndef MCR_KOU_DENSITY_H
#define MCR_KOU_DENSITY_H

#include "kou.h"

#define MCR_KOU_MAX_TERMS 100

/* ln Hh_0(x) (exact: log Phi, or GSL's log erfc beyond x = 30) and the ratios
 * ratio[n] = Hh_n(x) / Hh_{n-1}(x) for n = 1 .. n_max <= MCR_KOU_MAX_TERMS. For x <= x0 the
 * recurrence runs upwards: no cancellation for x <= 0, and for 0 < x <= x0 the rounding error
 * grows by at most the ratio of the recurrence's two solutions, [Hh_n(-x)/Hh_n(x)] /
 * [Hh_0(-x)/Hh_0(x)] <= 2e4 with x0 = 3, 2, 1.5, 1, 0.5 for n_max <= 5, 10, 15, 35, 100
 * (tabulated from scipy's parabolic cylinder functions, Hh_n(x) = e^{-x^2/4} D_{-n-1}(x)). For
 * x > x0 the ratios run downwards, r_{n-1} = 1 / (x + n r_n), from the large-n root of
 * n r^2 + x r = 1 at M = (sqrt(n_max + 1) + 16/x)^2, far enough that the start's error has
 * shrunk by about e^{-2x (sqrt M - sqrt n_max)} = e^-32 (measured: a margin of 15.5/x instead of
 * 16/x already gives ln Hh_n within 1e-14 of a start 200/x away, for every n_max <= 100). */
double mcr_kou_hh_ratios(double x, int n_max, double *ratio);

/* ln Hh_n(x) for n = -1 .. n_max (out[n + 1]), from the ratios above. */
void mcr_kou_log_hh(double x, int n_max, double *out);

/* P_{n,k} and Q_{n,k} for 1 <= k <= n <= n_max, at [n * (n_max + 1) + k]. */
void mcr_kou_pq(double p, double eta1, double eta2, int n_max, double *P, double *Q);

/* The jump-count weights of one parameter set, summed over n (A_k, B_k above): the density of
 * any return is then O(terms). */
typedef struct mcr_kou_mixture {
    int terms;
    double d, s;               /* drift and standard deviation of the diffusion over dt */
    double eta1, eta2;
    double log_w0;             /* ln P(no jump) */
    double log_a1, log_b1;     /* ln A_1, ln B_1 (-inf when there are no such jumps) */
    double a[MCR_KOU_MAX_TERMS + 1], b[MCR_KOU_MAX_TERMS + 1]; /* A_k / A_1, B_k / B_1 */
} mcr_kou_mixture;

/* Jump counts 0..terms (1 <= terms <= MCR_KOU_MAX_TERMS). */
void mcr_kou_mixture_of(const mcr_kou *m, double dt, int terms, mcr_kou_mixture *mx);
double mcr_kou_mixture_log_density(const mcr_kou_mixture *mx, double x);

#endif
