/* Distribution of S_T from the characteristic function: moments, the cdf and density of
 * X = ln(S_T/S0) under P and under the share measure by Fourier inversion along a contour through
 * the saddle point, Newton quantiles, long-spot VaR and CVaR. */
#include "distribution.h"

#include <complex.h>
#include <math.h>
#include <stdbool.h>

#include "normal.h"

/* The quadrature's error estimate (QUADPACK's) overstates the true error of these smooth
 * integrands by orders of magnitude, and its rounding floor 50 eps int|g| keeps much tighter
 * requests from converging. Past DIST_FAIL_REL of the value (or DIST_FAIL_ABS of a probability)
 * the inversion is reported as failed (NaN). The density only steers Newton. */
#define DIST_ABS_TOL 1e-15
#define DIST_REL_TOL 1e-11
#define DIST_FAIL_REL 1e-9
#define DIST_FAIL_ABS 1e-13
#define DIST_NEWTON_MAX 60
#define DIST_SADDLE_STEPS 40
#define DIST_LOG_MGF_MAX 600.0 /* keeps E[e^{cX}] and the CF along the contour finite */

/* X = ln(S_T/S0) under P (share = false) or under the share measure P^S (dP^S/dP = S_T/E S_T),
 * whose CF is phi(v - i) / phi(-i) with phi(-i) = e^{mu t}. */
typedef struct dist {
    const mcr_model *m;
    mcr_cf_model cf;
    double drift, t;
    bool share;
    double mean, sd; /* of X, from the CF near 0: centre and width for the searches */
} dist;

static double complex dist_cf(const dist *d, double complex v)
{
    if (d->share)
        return d->cf.cf(d->cf.ctx, d->drift, d->t, v - I) * exp(-d->drift * d->t);
    return d->cf.cf(d->cf.ctx, d->drift, d->t, v);
}

/* E[e^{omega X}] < inf for X = ln(S_T/S0) under P. Kou: -eta_down < omega < eta_up. Heston:
 * E[e^{omega X}] = exp(C + D v0) with D' = xi^2 D^2 / 2 - a D + c0, D(0) = 0,
 * a = kappa - rho xi omega, c0 = omega (omega - 1) / 2, which blows up at
 * T* = int_0^inf dD / (xi^2 D^2 / 2 - a D + c0) unless c0 <= 0 or the roots are real and
 * positive (Andersen & Piterbarg 2007, prop. 3.1); Bates's Gaussian jumps have every moment.
 * GBM and Merton have every moment. */
static bool moment_finite(const mcr_model *m, double t, double omega)
{
    const mcr_heston *h;
    switch (m->type) {
    case MCR_MODEL_KOU: return omega > -m->kou.eta_down && omega < m->kou.eta_up;
    case MCR_MODEL_HESTON: h = &m->heston; break;
    case MCR_MODEL_BATES: h = &m->bates.heston; break;
    default: return true;
    }
    double c0 = 0.5 * omega * (omega - 1.0);
    if (c0 <= 0.0)
        return true;
    double a = h->kappa - h->rho * h->xi * omega, d2 = a * a - 2.0 * h->xi * h->xi * c0;
    double t_star;
    if (d2 >= 0.0) {
        if (a > 0.0)
            return true;
        double dd = sqrt(d2), b = -a;
        t_star = dd > 0.0 ? log1p(2.0 * dd / (b - dd)) / dd : 2.0 / b;
    } else {
        double s = sqrt(-d2);
        t_star = 2.0 / s * (0.5 * M_PI + atan(a / s));
    }
    return t < t_star;
}

/* ln E[e^{cX}] (the cumulant generating function), NAN where infinite or too large to use. */
static double dist_log_mgf(const dist *d, double c)
{
    if (!moment_finite(d->m, d->t, d->share ? c + 1.0 : c))
        return NAN;
    double mgf = creal(dist_cf(d, -I * c));
    double k = log(mgf);
    return mgf > 0.0 && k < DIST_LOG_MGF_MAX ? k : NAN;
}

/* Mean and standard deviation of X from ln phi(h) = i h E X - h^2 Var X / 2 + O(h^3), with h
 * small enough that |ln |phi(h)|| <= 1e-3 (Taylor error ~1e-3 relative, rounding ~1e-13): the
 * centre and width for the contour and the Newton start, not results. */
static dist dist_of(const mcr_model *m, double t, bool share)
{
    dist d = {m, mcr_model_cf(m), mcr_model_mu(m), t, share, 0.0, 0.0};
    double h = 0.25;
    while (h < 1e8 && cabs(dist_cf(&d, h)) > 0.5)
        h *= 2.0;
    double complex lphi = clog(dist_cf(&d, h));
    while (creal(lphi) < -1e-3 && h > 1e-12) {
        h *= 0.5;
        lphi = clog(dist_cf(&d, h));
    }
    d.mean = cimag(lphi) / h;
    d.sd = sqrt(fmax(-2.0 * creal(lphi), 0.0)) / h;
    if (!(d.sd > 0.0))
        d.sd = 1.0 / h;
    return d;
}

/* The contour Re s = c for the tail beyond y: c < 0 (left tail, gives P(X <= y)) when y is below
 * the mean, else c > 0 (gives P(X > y)). c minimises g(c) = K(c) - c y, K the cumulant
 * generating function, which bounds the tail by e^{g(c)} (Chernoff) and makes the integrand as
 * small and as little oscillating as it can be: K'(c) = y, found by bisection of the convex K on
 * [0, edge], where edge lies beyond the Gaussian saddle (y - mean) / sd^2 but inside the moments
 * that exist. Near the mean the saddle nears the pole at s = 0; |c| is then raised towards 1/sd
 * as far as the integrand stays below e^1 (g(c) <= 1) times the tail. */
static double dist_contour(const dist *d, double y)
{
    double side = y < d->mean ? -1.0 : 1.0;
    double floor_c = 1.0 / d->sd;
    double edge = side * fmax(2.0 * fabs(y - d->mean) / (d->sd * d->sd), floor_c);
    while (isnan(dist_log_mgf(d, edge)) && fabs(edge) > 1e-6 * floor_c)
        edge *= 0.5;
    double near = 0.0, far = edge;
    for (int i = 0; i < DIST_SADDLE_STEPS; i++) {
        double c = 0.5 * (near + far), h = 1e-6 * fmax(fabs(c), floor_c);
        double slope = (dist_log_mgf(d, c) - dist_log_mgf(d, c - side * h)) / h;
        if (side * (side * slope - y) < 0.0) /* K'(c) not yet at y: the saddle is further out */
            near = c;
        else
            far = c;
    }
    double c = 0.5 * (near + far);
    if (fabs(c) < floor_c) {
        double raised = side * fmin(floor_c, fabs(edge));
        while (fabs(raised) > fabs(c) && !(dist_log_mgf(d, raised) - raised * y <= 1.0))
            raised *= 0.5;
        c = fabs(raised) > fabs(c) ? raised : c;
    }
    return c;
}

typedef struct inversion {
    const dist *d;
    double y, c;
} inversion;

/* phi(u - ic) e^{-(c + iu) y} = E[e^{(c + iu)(X - y)}]. */
static double complex damped(const inversion *v, double u)
{
    double complex phi = dist_cf(v->d, u - I * v->c);
    if (phi == 0.0)
        return 0.0;
    return phi * cexp(-(v->c + I * u) * v->y);
}

static double tail_integrand(double u, void *ctx)
{
    const inversion *v = ctx;
    return creal(damped(v, u) / (v->c + I * u));
}

static double density_integrand(double u, void *ctx) { return creal(damped(ctx, u)); }

/* Where |phi(u - ic)| falls to half its value at u = 0: the width of the integrands, used as the
 * scale of the quadrature's change of variable. */
static double inversion_scale(const inversion *v)
{
    double at0 = cabs(dist_cf(v->d, -I * v->c)), u = 0.25 / v->d->sd;
    while (u < 1e8 / v->d->sd && cabs(dist_cf(v->d, u - I * v->c)) > 0.5 * at0)
        u *= 2.0;
    return u;
}

/* With M(s) = E[e^{sX}] and c != 0 in the strip where M exists (Bromwich inversion of the step;
 * c -> 0 is Gil-Pelaez 1951):
 *   c < 0:  P(X <= y) = -(1/pi) int_0^inf Re[M(c + iu) e^{-(c+iu) y} / (c + iu)] du,
 *   c > 0:  P(X >  y) = +(1/pi) int_0^inf Re[M(c + iu) e^{-(c+iu) y} / (c + iu)] du,
 * so the smaller of the two tails comes out without cancellation. Gives P(X <= y) and
 * P(X > y); false if the quadrature failed. */
static bool dist_tails(const dist *d, double y, double *lower, double *upper)
{
    inversion v = {d, y, dist_contour(d, y)};
    mcr_quad q = mcr_quad_semi_infinite(tail_integrand, &v, inversion_scale(&v), DIST_ABS_TOL,
                                        DIST_REL_TOL);
    if (!(q.abs_err <= fmax(DIST_FAIL_REL * fabs(q.value), DIST_FAIL_ABS)))
        return false;
    double tail = fmin(fabs(q.value) / M_PI, 1.0);
    *lower = v.c < 0.0 ? tail : 1.0 - tail;
    *upper = v.c < 0.0 ? 1.0 - tail : tail;
    return true;
}

static double dist_cdf(const dist *d, double y)
{
    double lower, upper;
    return dist_tails(d, y, &lower, &upper) ? lower : NAN;
}

/* Density of X: (1/pi) int_0^inf Re[M(c + iu) e^{-(c+iu) y}] du on the same contour. */
static double dist_pdf(const dist *d, double y)
{
    inversion v = {d, y, dist_contour(d, y)};
    mcr_quad q = mcr_quad_semi_infinite(density_integrand, &v, inversion_scale(&v), 0.0, 1e-7);
    return q.value / M_PI;
}

/* The y with P(X <= y) = p: Newton steps on the log of the tail on p's side (ln P(X <= y) for
 * p <= 1/2, else ln P(X > y)), which is nearly linear far out where Newton on the cdf itself
 * crawls, from the normal approximation; kept inside the bracket of points already evaluated
 * (bisection otherwise) and at most 8 sd long. Stops once a step is below 1e-10 sd: the error
 * left after that step is far below the cdf's own. */
static double dist_quantile(const dist *d, double p)
{
    bool upper_side = p > 0.5;
    double target = upper_side ? log1p(-p) : log(p);
    double y = d->mean + d->sd * mcr_norm_quantile(p);
    double lo = -INFINITY, hi = INFINITY;
    for (int i = 0; i < DIST_NEWTON_MAX; i++) {
        double lower, upper;
        if (!dist_tails(d, y, &lower, &upper))
            return NAN;
        bool below = upper_side ? upper > 1.0 - p : lower < p;
        if (below)
            lo = y;
        else
            hi = y;
        double tail = upper_side ? upper : lower;
        double dens = dist_pdf(d, y);
        double step = (upper_side ? -1.0 : 1.0) * (target - log(tail)) * tail / dens;
        if (!(dens > 0.0) || isnan(step))
            step = below ? d->sd : -d->sd;
        step = fmax(fmin(step, 8.0 * d->sd), -8.0 * d->sd);
        if (fabs(step) <= 1e-10 * d->sd)
            return y + step;
        double next = y + step;
        if (!(next > lo && next < hi))
            next = isfinite(lo) && isfinite(hi) ? 0.5 * (lo + hi) : y + (below ? d->sd : -d->sd);
        if (fabs(next - y) <= 1e-10 * d->sd)
            return next;
        y = next;
    }
    return NAN;
}

double mcr_model_terminal_mean(const mcr_model *m, double s0, double t)
{
    return s0 * exp(mcr_model_mu(m) * fmax(t, 0.0));
}

/* Every model's CF is e^{iu drift t} phi_0(u), so at drift 0, phi_0(-2i) = E[S_T^2] / E[S_T]^2
 * = 1 + Var S_T / E[S_T]^2, with no e^{2 mu t} to cancel. */
double mcr_model_terminal_variance(const mcr_model *m, double s0, double t)
{
    if (!(t > 0.0))
        return 0.0;
    if (!moment_finite(m, t, 2.0))
        return INFINITY;
    mcr_cf_model cf = mcr_model_cf(m);
    double ratio = creal(cf.cf(cf.ctx, 0.0, t, -2.0 * I));
    double mean = mcr_model_terminal_mean(m, s0, t);
    return mean * mean * (ratio - 1.0);
}

double mcr_model_terminal_cdf(const mcr_model *m, double s0, double t, double x)
{
    if (!(x > 0.0))
        return 0.0;
    if (!(t > 0.0))
        return x >= s0 ? 1.0 : 0.0;
    if (x == INFINITY)
        return 1.0;
    dist d = dist_of(m, t, false);
    return dist_cdf(&d, log(x / s0));
}

double mcr_model_terminal_quantile(const mcr_model *m, double s0, double t, double p)
{
    if (!(p > 0.0))
        return 0.0;
    if (!(p < 1.0))
        return INFINITY;
    if (!(t > 0.0))
        return s0;
    dist d = dist_of(m, t, false);
    return s0 * exp(dist_quantile(&d, p));
}

double mcr_model_terminal_partial_mean(const mcr_model *m, double s0, double t, double x)
{
    double mean = mcr_model_terminal_mean(m, s0, t);
    if (!(x > 0.0))
        return 0.0;
    if (!(t > 0.0))
        return x >= s0 ? s0 : 0.0;
    if (x == INFINITY)
        return mean;
    dist d = dist_of(m, t, true);
    return mean * dist_cdf(&d, log(x / s0));
}

double mcr_model_var_long(const mcr_model *m, double s0, double t, double level)
{
    return s0 - mcr_model_terminal_quantile(m, s0, t, 1.0 - level);
}

/* P(S_T <= q) = 1 - level exactly (S_T has no atoms for t > 0), so the conditional mean is the
 * partial mean over 1 - level; computed at y = ln(q/s0) without the round trip through q. */
double mcr_model_cvar_long(const mcr_model *m, double s0, double t, double level)
{
    double p = 1.0 - level;
    if (!(t > 0.0))
        return 0.0;
    dist d = dist_of(m, t, false), share = dist_of(m, t, true);
    double y = dist_quantile(&d, p);
    return s0 - mcr_model_terminal_mean(m, s0, t) * dist_cdf(&share, y) / p;
}
