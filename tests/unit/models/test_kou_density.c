/* Kou's exact return density: the Hh functions against quadrature on both sides of the
 * recurrences' switch point, Proposition B.1's weights through the characteristic function of a
 * sum of n double-exponential jumps, and the whole density against a Fourier inversion of
 * kou.h's characteristic function and its total mass. */
#include <complex.h>
#include <criterion/criterion.h>
#include <gsl/gsl_integration.h>
#include <math.h>

#include "models/kou_density.h"

#define DT (1.0 / 365.0)

typedef struct hh_arg {
    int n;
    double x;
} hh_arg;

/* (1/n!) y^n e^{-(x+y)^2/2}, y >= 0 */
static double hh_integrand(double y, void *p)
{
    const hh_arg *a = p;
    return exp(a->n * log(y) - lgamma(a->n + 1.0) - 0.5 * (a->x + y) * (a->x + y));
}

Test(kou_density, hh_against_quadrature)
{
    const double xs[] = {-6, -2, -0.5, 0, 0.2, 0.5, 0.99, 1.0, 1.01, 1.7, 3, 8, 25};
    const int ns[] = {0, 1, 2, 3, 7, 15, 30};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
    double out[32 + 2];
    const int nmax[] = {5, 10, 15, 30, 31}; /* every switch point of the recurrences */
    for (size_t i = 0; i < sizeof xs / sizeof *xs * 5; i++) {
        mcr_kou_log_hh(xs[i % 13], nmax[i / 13], out);
        cr_assert_float_eq(out[0], -0.5 * xs[i % 13] * xs[i % 13], 1e-15);
        for (size_t j = 0; j < sizeof ns / sizeof *ns && ns[j] <= nmax[i / 13]; j++) {
            hh_arg a = {ns[j], xs[i % 13]};
            gsl_function f = {hh_integrand, &a};
            double v, e;
            if (ns[j] == 0) /* y^0: the integrand at y = 0 is fine */
                a.n = 0;
            gsl_integration_qagiu(&f, 0.0, 0.0, 1e-13, 2000, w, &v, &e);
            double got = exp(out[ns[j] + 1]);
            cr_assert(fabs(got / v - 1) < 1e-10, "Hh_%d(%g) of %d: %.15g vs quadrature %.15g",
                      ns[j], xs[i % 13], nmax[i / 13], got, v);
        }
    }
    gsl_integration_workspace_free(w);
    /* both recurrences at n_max = 100 either side of its switch point 0.5 */
    double lo[102], hi[102];
    mcr_kou_log_hh(0.495, 100, lo);
    mcr_kou_log_hh(0.505, 100, hi);
    for (int n = 0; n <= 100; n++) {
        /* d ln Hh_n / dx = -Hh_{n-1} / Hh_n: the step across the switch is the trapezoid of it */
        double slope = 0.5 * (exp(lo[n] - lo[n + 1]) + exp(hi[n] - hi[n + 1]));
        double step = (lo[n + 1] - hi[n + 1]) / 0.01;
        cr_assert(fabs(step / slope - 1) < 1e-4, "n %d: %.10g vs %.10g", n, step, slope);
    }
}

/* sum_k P_{n,k} (eta1/(eta1 - iu))^k + Q_{n,k} (eta2/(eta2 + iu))^k must equal
 * (p eta1/(eta1 - iu) + q eta2/(eta2 + iu))^n, the characteristic function of n jumps. */
Test(kou_density, proposition_b1_weights)
{
    enum { NMAX = 12 };
    double P[(NMAX + 1) * (NMAX + 1)], Q[(NMAX + 1) * (NMAX + 1)];
    const double ps[] = {0.3, 0.5, 0.85}, e1[] = {3.0, 25.0}, e2[] = {2.0, 12.0};
    for (int ip = 0; ip < 3; ip++)
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                mcr_kou_pq(ps[ip], e1[a], e2[b], NMAX, P, Q);
                for (int n = 1; n <= NMAX; n++) {
                    double mass = 0;
                    for (int k = 1; k <= n; k++)
                        mass += P[n * (NMAX + 1) + k] + Q[n * (NMAX + 1) + k];
                    cr_assert(fabs(mass - 1) < 1e-13, "mass %g", mass);
                    for (double u = -40; u <= 40; u += 3.7) {
                        double complex gu = e1[a] / (e1[a] - I * u),
                                       gd = e2[b] / (e2[b] + I * u);
                        double complex want = cpow(ps[ip] * gu + (1 - ps[ip]) * gd, n), got = 0;
                        for (int k = 1; k <= n; k++)
                            got += P[n * (NMAX + 1) + k] * cpow(gu, k) +
                                   Q[n * (NMAX + 1) + k] * cpow(gd, k);
                        cr_assert(cabs(got - want) < 1e-12, "n %d u %g", n, u);
                    }
                }
            }
}

static const mcr_kou kou = {.mu = 0.1, .sigma = 0.45, .jump_intensity = 40, .p_up = 0.4,
                            .eta_up = 18, .eta_down = 9};

Test(kou_density, density_equals_fourier_inversion)
{
    mcr_kou_mixture mx;
    mcr_kou_mixture_of(&kou, DT, 30, &mx);
    for (double x = -0.8; x <= 0.5; x += 0.05) {
        double du = 0.05, sum = 0.0;
        for (double u = 0.5 * du; u < 4000.0; u += du)
            sum += creal(cexp(-I * u * x) * mcr_kou_cf(&kou, kou.mu, DT, u));
        double f_cf = sum * du / M_PI, f = exp(mcr_kou_mixture_log_density(&mx, x));
        cr_assert(fabs(f - f_cf) < 1e-9 * fmax(f, 1e-3), "x %g: %.12g vs %.12g", x, f, f_cf);
    }
    /* total mass and mean by Simpson's rule: 1 and E X = kou_log_mean */
    double h = 1e-4, mass = 0, mean = 0;
    int n = 65000; /* [-4, 2.5]: the tails beyond hold < 1e-12 */
    for (int i = 0; i <= n; i++) {
        double x = -4.0 + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        double f = exp(mcr_kou_mixture_log_density(&mx, x));
        mass += w * f;
        mean += w * x * f;
    }
    mass *= h / 3;
    mean *= h / 3;
    cr_assert(fabs(mass - 1) < 1e-9, "mass %.15g", mass);
    cr_assert(fabs(mean - mcr_kou_log_mean(&kou, kou.mu, DT)) < 1e-9, "mean %.15g vs %.15g", mean,
              mcr_kou_log_mean(&kou, kou.mu, DT));
}

#include "models/fit_kou.h"
#include "sim_returns.h"

/* Not required by the issue (Kou's parameters are notoriously hard to identify from daily
 * data), but checked the same way as GBM, Merton and GARCH. */
Test(fit_kou, recovers_parameters)
{
    enum { N = 5000 };
    static double r[N];
    mcr_kou m = {.mu = 0.2, .sigma = 0.5, .jump_intensity = 25, .p_up = 0.4, .eta_up = 25,
                 .eta_down = 15};
    double truth[6] = {m.mu, m.sigma, m.jump_intensity, m.p_up, m.eta_up, m.eta_down};
    sim_kou(&m, DT, N, 31, r);
    mcr_fit_result f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_kou(r, N, DT, &f, &err), MCR_OK, "%s", err.msg);
    for (int i = 0; i < 6; i++)
        cr_log_info("%s %.5g se %.3g (true %.5g)", f.names[i], f.x[i], f.se[i], truth[i]);
    cr_log_info("evaluations %d terms %d trunc %g", f.evaluations, f.jump_terms,
                f.truncation_bound);
    cr_assert(f.has_se);
    for (int i = 0; i < 6; i++)
        cr_assert(fabs(f.x[i] - truth[i]) <= 3.0 * f.se[i], "%s: %.5g, true %.5g, se %.3g",
                  f.names[i], f.x[i], truth[i], f.se[i]);
    cr_assert(f.loglik >= -mcr_kou_nll(&m, DT, r, N));
    cr_assert(f.truncation_bound < 1e-10, "%g", f.truncation_bound);
}
