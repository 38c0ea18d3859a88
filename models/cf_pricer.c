/* Lewis (2001) characteristic-function pricer and its adaptive Gauss-Kronrod quadrature. */
#include "cf_pricer.h"

#include <float.h>
#include <math.h>

#define QUAD_MAX_INTERVALS 2000
#define QUAD_INITIAL_INTERVALS 8

/* 15-point Kronrod nodes on [-1, 1] (the non-negative half, descending) and weights, with the
 * weights of the embedded 7-point Gauss rule on nodes 1, 3, 5, 7; QUADPACK dqk15. */
static const double xgk[8] = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
};
static const double wgk[8] = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
};
static const double wg[4] = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
};

typedef struct quad_interval {
    double a, b, value, err;
} quad_interval;

/* f on [0, inf) seen through x = scale t / (1 - t): g(t) = f(x) scale / (1 - t)^2. */
typedef struct quad_map {
    mcr_real_fn f;
    void *ctx;
    double scale;
} quad_map;

static double quad_mapped(const quad_map *m, double t)
{
    double s = 1.0 - t;
    double y = m->f(m->scale * t / s, m->ctx);
    return y == 0.0 ? 0.0 : y * m->scale / (s * s);
}

/* One 15-point Kronrod panel with QUADPACK's error estimate: |K15 - G7| scaled by the spread
 * of the integrand (resasc), floored at the rounding level 50 eps int|g|. */
static quad_interval quad_panel(const quad_map *m, double a, double b)
{
    double c = 0.5 * (a + b), h = 0.5 * (b - a);
    double fv[15];
    fv[7] = quad_mapped(m, c);
    for (int j = 0; j < 7; j++) {
        fv[j] = quad_mapped(m, c - h * xgk[j]);
        fv[14 - j] = quad_mapped(m, c + h * xgk[j]);
    }
    double k15 = wgk[7] * fv[7], g7 = wg[3] * fv[7], abs15 = wgk[7] * fabs(fv[7]);
    for (int j = 0; j < 7; j++) {
        double pair = fv[j] + fv[14 - j];
        k15 += wgk[j] * pair;
        abs15 += wgk[j] * (fabs(fv[j]) + fabs(fv[14 - j]));
        if (j % 2 == 1)
            g7 += wg[j / 2] * pair;
    }
    double mean = 0.5 * k15, asc = wgk[7] * fabs(fv[7] - mean);
    for (int j = 0; j < 7; j++)
        asc += wgk[j] * (fabs(fv[j] - mean) + fabs(fv[14 - j] - mean));
    double err = fabs((k15 - g7) * h);
    asc *= h;
    if (asc != 0.0 && err != 0.0)
        err = asc * fmin(1.0, pow(200.0 * err / asc, 1.5));
    err = fmax(err, 50.0 * DBL_EPSILON * abs15 * h);
    return (quad_interval){a, b, k15 * h, err};
}

static int quad_worst(const quad_interval *iv, int n)
{
    int w = 0;
    for (int i = 1; i < n; i++)
        if (iv[i].err > iv[w].err)
            w = i;
    return w;
}

/* Sums in interval order so the result does not depend on the history of bisections. */
static void quad_totals(const quad_interval *iv, int n, double *value, double *err)
{
    *value = *err = 0.0;
    for (int i = 0; i < n; i++) {
        *value += iv[i].value;
        *err += iv[i].err;
    }
}

mcr_quad mcr_quad_semi_infinite(mcr_real_fn f, void *ctx, double scale, double abs_tol,
                                double rel_tol)
{
    quad_map m = {f, ctx, scale};
    quad_interval iv[QUAD_MAX_INTERVALS];
    int n = QUAD_INITIAL_INTERVALS;
    for (int i = 0; i < n; i++)
        iv[i] = quad_panel(&m, (double)i / n, (double)(i + 1) / n);
    mcr_quad q = {.evals = 15 * n};
    quad_totals(iv, n, &q.value, &q.abs_err);
    while (q.abs_err > fmax(abs_tol, rel_tol * fabs(q.value)) && n + 1 < QUAD_MAX_INTERVALS) {
        int w = quad_worst(iv, n);
        double a = iv[w].a, b = iv[w].b, c = 0.5 * (a + b);
        iv[w] = quad_panel(&m, a, c);
        iv[n++] = quad_panel(&m, c, b);
        q.evals += 30;
        quad_totals(iv, n, &q.value, &q.abs_err);
    }
    q.intervals = n;
    q.converged = q.abs_err <= fmax(abs_tol, rel_tol * fabs(q.value));
    return q;
}

/* The Lewis integrand Re[e^{i u x} phi(u - i/2)] / (u^2 + 1/4), x = ln(S/K). */
typedef struct lewis_ctx {
    mcr_cf_model m;
    double drift, t, x;
} lewis_ctx;

static double lewis_integrand(double u, void *vctx)
{
    const lewis_ctx *c = vctx;
    double complex phi = c->m.cf(c->m.ctx, c->drift, c->t, u - 0.5 * I);
    if (phi == 0.0)
        return 0.0;
    return creal(cexp(I * u * c->x) * phi) / (u * u + 0.25);
}

/* Where |phi(u - i/2)| falls to half its value at u = 0 (= E[(S_T/S0)^{1/2}]): the width of the
 * integrand, used as the scale of the change of variable. */
static double lewis_scale(const lewis_ctx *c)
{
    double at0 = cabs(c->m.cf(c->m.ctx, c->drift, c->t, -0.5 * I));
    double u = 0.25;
    while (u < 1e6 && cabs(c->m.cf(c->m.ctx, c->drift, c->t, u - 0.5 * I)) > 0.5 * at0)
        u *= 2.0;
    return u;
}

double mcr_cf_price(mcr_cf_model m, const mcr_euro *o, mcr_quad *quad)
{
    if (!(o->expiry > 0.0)) {
        if (quad)
            *quad = (mcr_quad){.converged = true};
        double intrinsic = o->spot - o->strike;
        return fmax(o->payoff == MCR_CALL ? intrinsic : -intrinsic, 0.0);
    }
    lewis_ctx c = {m, o->rate - o->yield, o->expiry, log(o->spot / o->strike)};
    mcr_quad q = mcr_quad_semi_infinite(lewis_integrand, &c, lewis_scale(&c), 1e-13, 1e-13);
    if (quad)
        *quad = q;
    double integral = sqrt(o->spot * o->strike) * exp(-o->rate * o->expiry) / M_PI * q.value;
    if (o->payoff == MCR_CALL)
        return o->spot * exp(-o->yield * o->expiry) - integral;
    return o->strike * exp(-o->rate * o->expiry) - integral;
}
