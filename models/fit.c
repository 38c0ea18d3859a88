/* The maximum-likelihood core (fit.h): GSL's nmsimplex2 with restarts, a central-difference
 * Hessian, Cholesky inversion and the delta method. */
#include "fit.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <string.h>

#define MCR_FIT_SIZE_TOL 1e-4   /* simplex size (theta units) at which a run stops */
#define MCR_FIT_MAX_ITER 20000  /* iterations of one simplex run */
#define MCR_FIT_MAX_RESTARTS 4  /* fresh simplexes around the best point */
#define MCR_FIT_BAD 1e300       /* what the simplex sees for a point the model cannot evaluate */
#define MCR_FIT_GRAD_TOL 1e-5   /* BFGS stops when |gradient of -lnL in theta| is below this */
#define MCR_FIT_BFGS_ITER 500

typedef struct counted {
    const mcr_fit_problem *p;
    int evaluations;
} counted;

static double simplex_f(const gsl_vector *v, void *params)
{
    counted *c = params;
    c->evaluations++;
    double f = c->p->nll(v->data, c->p->ctx);
    return isfinite(f) ? f : MCR_FIT_BAD;
}

/* One simplex run from theta (updated in place); returns the final value. */
static double simplex_run(const mcr_fit_problem *p, counted *c, double *theta, double scale)
{
    int n = p->n_par;
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)n);
    gsl_vector *x = gsl_vector_alloc((size_t)n), *s = gsl_vector_alloc((size_t)n);
    double fbest = MCR_FIT_BAD;
    if (!m || !x || !s)
        goto done;
    for (int i = 0; i < n; i++) {
        gsl_vector_set(x, (size_t)i, theta[i]);
        gsl_vector_set(s, (size_t)i, p->step[i] * scale);
    }
    gsl_multimin_function fn = {.f = simplex_f, .n = (size_t)n, .params = c};
    if (gsl_multimin_fminimizer_set(m, &fn, x, s) != GSL_SUCCESS)
        goto done;
    for (int it = 0; it < MCR_FIT_MAX_ITER; it++) {
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), MCR_FIT_SIZE_TOL) ==
            GSL_SUCCESS)
            break;
    }
    fbest = gsl_multimin_fminimizer_minimum(m);
    for (int i = 0; i < n; i++)
        theta[i] = gsl_vector_get(m->x, (size_t)i);
done:
    gsl_vector_free(s);
    gsl_vector_free(x);
    gsl_multimin_fminimizer_free(m);
    return fbest;
}

/* Simplex runs from one start until a fresh simplex no longer improves the value by more than
 * 1e-6: the simplex finds the basin robustly, BFGS (below) then converges fast inside it. */
static double minimise_from(const mcr_fit_problem *p, counted *c, double *theta)
{
    double f = simplex_run(p, c, theta, p->scale > 0 ? p->scale : 1.0);
    for (int k = 0; k < MCR_FIT_MAX_RESTARTS && f < MCR_FIT_BAD; k++) {
        double t[MCR_FIT_MAX_PAR];
        memcpy(t, theta, sizeof(double) * (size_t)p->n_par);
        double g = simplex_run(p, c, t, 0.3);
        if (!(g < f))
            break;
        bool small = f - g <= 1e-6;
        memcpy(theta, t, sizeof(double) * (size_t)p->n_par);
        f = g;
        if (small)
            break;
    }
    return f;
}

/* Central-difference gradient, steps 1e-6 (1 + |theta_i|). */
static void gradient(const mcr_fit_problem *p, counted *c, const double *theta, double *g)
{
    double t[MCR_FIT_MAX_PAR];
    memcpy(t, theta, sizeof(double) * (size_t)p->n_par);
    for (int i = 0; i < p->n_par; i++) {
        volatile double up = theta[i] + 1e-6 * (1.0 + fabs(theta[i]));
        double h = up - theta[i];
        t[i] = theta[i] + h;
        double fp = p->nll(t, p->ctx);
        t[i] = theta[i] - h;
        double fm = p->nll(t, p->ctx);
        t[i] = theta[i];
        c->evaluations += 2;
        g[i] = isfinite(fp) && isfinite(fm) ? (fp - fm) / (2.0 * h) : NAN;
    }
}

static void bfgs_df(const gsl_vector *v, void *params, gsl_vector *g)
{
    counted *c = params;
    gradient(c->p, c, v->data, g->data);
}

static void bfgs_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *g)
{
    *f = simplex_f(v, params);
    bfgs_df(v, params, g);
}

/* Polish theta (value f) with BFGS on the numerical gradient; keeps theta if it does not
 * improve. Returns the value at theta. */
static double bfgs_polish(const mcr_fit_problem *p, counted *c, double *theta, double f)
{
    int n = p->n_par;
    gsl_multimin_fdfminimizer *m =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, (size_t)n);
    gsl_vector *x = gsl_vector_alloc((size_t)n);
    if (!m || !x)
        goto done;
    memcpy(x->data, theta, sizeof(double) * (size_t)n);
    gsl_multimin_function_fdf fn = {.f = simplex_f, .df = bfgs_df, .fdf = bfgs_fdf,
                                    .n = (size_t)n, .params = c};
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (gsl_multimin_fdfminimizer_set(m, &fn, x, 0.01, 0.1) == GSL_SUCCESS) {
        for (int it = 0; it < MCR_FIT_BFGS_ITER; it++) {
            if (gsl_multimin_fdfminimizer_iterate(m) != GSL_SUCCESS)
                break;
            if (gsl_multimin_test_gradient(m->gradient, MCR_FIT_GRAD_TOL) == GSL_SUCCESS)
                break;
        }
        double g = gsl_multimin_fdfminimizer_minimum(m);
        if (isfinite(g) && g < f) {
            f = g;
            memcpy(theta, m->x->data, sizeof(double) * (size_t)n);
        }
    }
    gsl_set_error_handler(old);
done:
    gsl_vector_free(x);
    gsl_multimin_fdfminimizer_free(m);
    return f;
}

void mcr_fit_hessian(double (*f)(const double *, void *), void *ctx, const double *theta, int n,
                     double *hess)
{
    double t[MCR_FIT_MAX_PAR], h[MCR_FIT_MAX_PAR];
    memcpy(t, theta, sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        /* a step that is exactly representable relative to theta_i */
        volatile double up = theta[i] + 1e-4 * (1.0 + fabs(theta[i]));
        h[i] = up - theta[i];
    }
    double f0 = f(t, ctx);
    for (int i = 0; i < n; i++) {
        t[i] = theta[i] + h[i];
        double fp = f(t, ctx);
        t[i] = theta[i] - h[i];
        double fm = f(t, ctx);
        t[i] = theta[i];
        hess[i * n + i] = (fp - 2.0 * f0 + fm) / (h[i] * h[i]);
        for (int j = 0; j < i; j++) {
            double v[4];
            for (int k = 0; k < 4; k++) {
                t[i] = theta[i] + (k & 1 ? -h[i] : h[i]);
                t[j] = theta[j] + (k & 2 ? -h[j] : h[j]);
                v[k] = f(t, ctx);
            }
            t[i] = theta[i];
            t[j] = theta[j];
            double hij = (v[0] - v[1] - v[2] + v[3]) / (4.0 * h[i] * h[j]);
            hess[i * n + j] = hess[j * n + i] = hij;
        }
    }
}

void mcr_fit_covariance(const mcr_fit_problem *p, const double *hess, mcr_fit_result *r)
{
    int n = p->n_par;
    r->has_se = false;
    memset(r->cov, 0, sizeof r->cov);
    memset(r->se, 0, sizeof r->se);
    for (int i = 0; i < n * n; i++)
        if (!isfinite(hess[i]))
            return;
    gsl_matrix *a = gsl_matrix_alloc((size_t)n, (size_t)n);
    if (!a)
        return;
    memcpy(a->data, hess, sizeof(double) * (size_t)(n * n));
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int bad = gsl_linalg_cholesky_decomp1(a) || gsl_linalg_cholesky_invert(a);
    gsl_set_error_handler(old);
    if (bad) {
        gsl_matrix_free(a);
        return;
    }
    /* J_ij = d x_i / d theta_j by central differences of the transform */
    double jac[MCR_FIT_MAX_PAR * MCR_FIT_MAX_PAR], t[MCR_FIT_MAX_PAR];
    double xp[MCR_FIT_MAX_PAR], xm[MCR_FIT_MAX_PAR];
    memcpy(t, r->theta, sizeof(double) * (size_t)n);
    for (int j = 0; j < n; j++) {
        double h = 1e-6 * (1.0 + fabs(r->theta[j]));
        t[j] = r->theta[j] + h;
        p->to_natural(t, xp, p->ctx);
        t[j] = r->theta[j] - h;
        p->to_natural(t, xm, p->ctx);
        t[j] = r->theta[j];
        for (int i = 0; i < n; i++)
            jac[i * n + j] = (xp[i] - xm[i]) / (2.0 * h);
    }
    bool ok = true;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double s = 0.0;
            for (int a1 = 0; a1 < n; a1++)
                for (int b1 = 0; b1 < n; b1++)
                    s += jac[i * n + a1] * gsl_matrix_get(a, (size_t)a1, (size_t)b1) *
                         jac[k * n + b1];
            r->cov[i * n + k] = s;
        }
    for (int i = 0; i < n; i++) {
        double v = r->cov[i * n + i];
        ok = ok && isfinite(v) && v >= 0.0;
        r->se[i] = v > 0.0 ? sqrt(v) : 0.0;
    }
    gsl_matrix_free(a);
    r->has_se = ok;
}

void mcr_fit_criteria(mcr_fit_result *r)
{
    r->aic = 2.0 * r->n_par - 2.0 * r->loglik;
    r->bic = r->n_par * log((double)r->n_obs) - 2.0 * r->loglik;
}

mcr_status mcr_fit_run(const mcr_fit_problem *p, const double *starts, int n_start,
                       mcr_fit_result *r, mcr_error *err)
{
    int n = p->n_par;
    memset(r, 0, sizeof *r);
    r->n_par = n;
    r->n_obs = p->n_obs;
    if (n < 1 || n > MCR_FIT_MAX_PAR)
        return mcr_fail(err, MCR_ERR_INTERNAL, "fit: %d parameters (1..%d allowed)", n,
                        MCR_FIT_MAX_PAR);
    counted c = {.p = p};
    double best = INFINITY, theta[MCR_FIT_MAX_PAR];
    for (int s = 0; s < n_start; s++) {
        memcpy(theta, starts + (size_t)s * (size_t)n, sizeof(double) * (size_t)n);
        if (!isfinite(p->nll(theta, p->ctx)))
            continue;
        double f = minimise_from(p, &c, theta);
        if (f < best) {
            best = f;
            memcpy(r->theta, theta, sizeof(double) * (size_t)n);
        }
    }
    if (!(best < MCR_FIT_BAD))
        return mcr_fail(err, MCR_ERR_INPUT, "fit: the likelihood is not finite at any starting "
                        "point (too few or degenerate observations?)");
    best = bfgs_polish(p, &c, r->theta, best);
    r->evaluations = c.evaluations;
    r->loglik = -best;
    p->to_natural(r->theta, r->x, p->ctx);
    double hess[MCR_FIT_MAX_PAR * MCR_FIT_MAX_PAR];
    mcr_fit_hessian(p->nll, p->ctx, r->theta, n, hess);
    mcr_fit_covariance(p, hess, r);
    mcr_fit_criteria(r);
    return MCR_OK;
}

double mcr_fit_poisson_tail(double mean, int terms)
{
    if (!(terms + 2 > mean))
        return INFINITY;
    double lw = -mean + (terms + 1) * log(mean) - lgamma(terms + 2.0);
    return exp(lw) / (1.0 - mean / (terms + 2));
}

mcr_status mcr_fit_moments(const char *model, const double *r, int n, int min_n, double *mean,
                           double *sd, mcr_error *err)
{
    if (n < min_n)
        return mcr_fail(err, MCR_ERR_INPUT, "%s fit: needs at least %d returns (got %d)", model,
                        min_n, n);
    double m = 0.0, q = 0.0;
    for (int i = 0; i < n; i++)
        m += r[i];
    m /= n;
    for (int i = 0; i < n; i++)
        q += (r[i] - m) * (r[i] - m);
    double s = sqrt(q / n);
    if (!(s > 0) || !isfinite(s))
        return mcr_fail(err, MCR_ERR_INPUT, "%s fit: the %d returns have no variance", model, n);
    *mean = m;
    *sd = s;
    return MCR_OK;
}

int mcr_fit_poisson_terms(double mean, double tail, int cap)
{
    int k = 1;
    while (k < cap && !(mcr_fit_poisson_tail(mean, k) <= tail))
        k++;
    return k;
}
