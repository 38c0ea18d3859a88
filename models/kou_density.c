/* Kou's exact log-return density (kou_density.h): Hh functions by stable recurrences, the
 * Proposition B.1 weights in log space, and a log-sum-exp over the one-sided Gamma terms. */
#include "kou_density.h"

#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stddef.h>

#include "normal.h"

#define LOG_SQRT_2PI 0.91893853320467274178

/* The upward recurrence is accurate to ~2e4 ulps up to this x (see the header). */
static double upward_limit(int n_max)
{
    static const struct {
        int n_max;
        double x0;
    } table[] = {{5, 3.0}, {10, 2.0}, {15, 1.5}, {35, 1.0}, {MCR_KOU_MAX_TERMS, 0.5}};
    size_t i = 0;
    while (i + 1 < sizeof table / sizeof *table && n_max > table[i].n_max)
        i++;
    return table[i].x0;
}

double mcr_kou_hh_ratios(double x, int n_max, double *ratio)
{
    /* Phi(-x) is erfc-based, accurate relative to itself until it nears underflow */
    double l0 = x <= 30.0 ? LOG_SQRT_2PI + log(mcr_norm_cdf(-x))
                          : LOG_SQRT_2PI - M_LN2 + gsl_sf_log_erfc(x / M_SQRT2);
    if (n_max < 1)
        return l0;
    if (x <= upward_limit(n_max)) {
        /* n Hh_n = Hh_{n-2} - x Hh_{n-1}  <=>  r_n = (1 / r_{n-1} - x) / n; 1/r_0 = 0 when
         * Hh_{-1} underflows against Hh_0 (x << 0), which is the right limit */
        double inv = exp(-0.5 * x * x - l0);
        for (int n = 1; n <= n_max; n++) {
            ratio[n] = (inv - x) / n;
            inv = 1.0 / ratio[n];
        }
        return l0;
    }
    double root = sqrt(n_max + 1.0) + 16.0 / x;
    int M = (int)ceil(root * root) + 2;
    double r = (-x + sqrt(x * x + 4.0 * M)) / (2.0 * M);
    for (int n = M; n >= 2; n--) {
        r = 1.0 / (x + n * r); /* now r = r_{n-1} */
        if (n - 1 <= n_max)
            ratio[n - 1] = r;
    }
    return l0;
}

void mcr_kou_log_hh(double x, int n_max, double *out)
{
    double ratio[MCR_KOU_MAX_TERMS + 1];
    out[0] = -0.5 * x * x;
    out[1] = mcr_kou_hh_ratios(x, n_max, ratio);
    for (int n = 1; n <= n_max; n++)
        out[n + 1] = out[n] + log(ratio[n]);
}

static double xlogy(double k, double y)
{
    return k == 0.0 ? 0.0 : k * log(y);
}

void mcr_kou_pq(double p, double eta1, double eta2, int n_max, double *P, double *Q)
{
    int w = n_max + 1;
    double q = 1.0 - p, a = eta1 / (eta1 + eta2), b = eta2 / (eta1 + eta2);
    for (int n = 1; n <= n_max; n++) {
        for (int k = 1; k < n; k++) {
            double sp = 0.0, sq = 0.0;
            for (int i = k; i <= n - 1; i++) {
                double lc = lgamma(n - k + 0.0) - lgamma(i - k + 1.0) - lgamma(n - i + 0.0) +
                            lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0);
                sp += exp(lc + xlogy(i - k, a) + xlogy(n - i, b) + xlogy(i, p) + xlogy(n - i, q));
                sq += exp(lc + xlogy(n - i, a) + xlogy(i - k, b) + xlogy(n - i, p) + xlogy(i, q));
            }
            P[n * w + k] = sp;
            Q[n * w + k] = sq;
        }
        P[n * w + n] = exp(xlogy(n, p));
        Q[n * w + n] = exp(xlogy(n, q));
    }
}

void mcr_kou_mixture_of(const mcr_kou *m, double dt, int terms, mcr_kou_mixture *mx)
{
    static _Thread_local double P[(MCR_KOU_MAX_TERMS + 1) * (MCR_KOU_MAX_TERMS + 1)],
        Q[(MCR_KOU_MAX_TERMS + 1) * (MCR_KOU_MAX_TERMS + 1)];
    if (terms > MCR_KOU_MAX_TERMS)
        terms = MCR_KOU_MAX_TERMS;
    if (terms < 1)
        terms = 1;
    double L = m->jump_intensity * dt;
    mx->terms = terms;
    mx->eta1 = m->eta_up;
    mx->eta2 = m->eta_down;
    mx->s = m->sigma * sqrt(dt);
    mx->d = (m->mu - 0.5 * m->sigma * m->sigma - m->jump_intensity * mcr_kou_compensator(m)) * dt;
    mx->log_w0 = -L;
    mcr_kou_pq(m->p_up, m->eta_up, m->eta_down, terms, P, Q);
    int w = terms + 1;
    double A[MCR_KOU_MAX_TERMS + 1], B[MCR_KOU_MAX_TERMS + 1];
    for (int k = 1; k <= terms; k++) {
        double sa = 0.0, sb = 0.0;
        for (int n = k; n <= terms; n++) {
            double wn = L > 0 ? exp(-L + n * log(L) - lgamma(n + 1.0)) : 0.0;
            sa += wn * P[n * w + k];
            sb += wn * Q[n * w + k];
        }
        A[k] = sa;
        B[k] = sb;
    }
    mx->log_a1 = log(A[1]); /* -inf when p = 0 or lambda = 0: the group drops out */
    mx->log_b1 = log(B[1]);
    for (int k = 1; k <= terms; k++) {
        mx->a[k] = A[1] > 0 ? A[k] / A[1] : 0.0;
        mx->b[k] = B[1] > 0 ? B[k] / B[1] : 0.0;
    }
}

/* ln of sum_{k>=1} A_k f+_k(x) (or the downward group) without its common factor:
 * sum_k (A_k/A_1) (eta s)^(k-1) Hh_{k-1}(c) / Hh_0(c), with Hh_{k-1}/Hh_0 the product of the
 * ratios; returns ln A_1 + ln(eta s) + ln Hh_0(c) + ln(that sum). */
static double group_log(const double *rel, double log_first, double es, double c, int terms)
{
    if (!isfinite(log_first))
        return -INFINITY;
    double ratio[MCR_KOU_MAX_TERMS + 1];
    double l0 = mcr_kou_hh_ratios(c, terms - 1, ratio);
    double sum = rel[1], prod = 1.0;
    for (int k = 2; k <= terms; k++) {
        prod *= es * ratio[k - 1];
        sum += rel[k] * prod;
    }
    return log_first + log(es) + l0 + log(sum);
}

double mcr_kou_mixture_log_density(const mcr_kou_mixture *mx, double x)
{
    double s = mx->s, u = x - mx->d, base = -log(s) - LOG_SQRT_2PI;
    double e1 = mx->eta1, e2 = mx->eta2;
    double t[3];
    t[0] = mx->log_w0 + base - 0.5 * u * u / (s * s);
    t[1] = base + 0.5 * e1 * e1 * s * s - e1 * u +
           group_log(mx->a, mx->log_a1, e1 * s, e1 * s - u / s, mx->terms);
    t[2] = base + 0.5 * e2 * e2 * s * s + e2 * u +
           group_log(mx->b, mx->log_b1, e2 * s, e2 * s + u / s, mx->terms);
    double top = fmax(t[0], fmax(t[1], t[2]));
    if (!isfinite(top))
        return top;
    return top + log(exp(t[0] - top) + exp(t[1] - top) + exp(t[2] - top));
}
