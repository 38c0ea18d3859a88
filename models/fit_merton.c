/* Merton maximum likelihood (fit_merton.h): the truncated Poisson mixture summed in log space
 * (log-sum-exp), optimised over theta = (a/s0, ln(sigma sqrt(dt)/s0), ln(lambda dt), nu/s0,
 * ln(delta/s0)), s0 the sample standard deviation, so every coordinate is of order one. */
#include "fit_merton.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const mcr_fit_merton_names[5] = {"mu", "sigma", "jump_intensity", "jump_mean",
                                             "jump_std"};

/* Per-count constants of one parameter set: log weight, mean, variance. */
/* Per-count constants of one parameter set: term k is exp(c[k] - (x - mean[k])^2 h[k]), with
 * c = ln(Poisson weight) - ln(2 pi var) / 2 and h = 1 / (2 var). */
typedef struct mixture {
    int terms;
    double c[MCR_MERTON_FIT_MAX_TERMS + 1], mean[MCR_MERTON_FIT_MAX_TERMS + 1],
        h[MCR_MERTON_FIT_MAX_TERMS + 1];
} mixture;

static void mixture_of(const mcr_merton *m, double dt, int terms, mixture *mx)
{
    double L = m->jump_intensity * dt;
    double a = (m->mu - 0.5 * m->sigma * m->sigma -
                m->jump_intensity * mcr_merton_jump_compensator(m->jump_mean, m->jump_std)) * dt;
    mx->terms = terms;
    for (int k = 0; k <= terms; k++) {
        double lw = L > 0 ? -L + k * log(L) - lgamma(k + 1.0) : (k ? -INFINITY : 0.0);
        double var = m->sigma * m->sigma * dt + k * m->jump_std * m->jump_std;
        mx->c[k] = lw - 0.5 * log(2.0 * M_PI * var);
        mx->mean[k] = a + k * m->jump_mean;
        mx->h[k] = 0.5 / var;
    }
}

static double mixture_log_density(const mixture *mx, double x)
{
    double t[MCR_MERTON_FIT_MAX_TERMS + 1], top = -INFINITY;
    for (int k = 0; k <= mx->terms; k++) {
        double d = x - mx->mean[k];
        t[k] = mx->c[k] - d * d * mx->h[k];
        if (t[k] > top)
            top = t[k];
    }
    double s = 0.0;
    for (int k = 0; k <= mx->terms; k++)
        s += exp(t[k] - top);
    return top + log(s);
}

static int terms_for(const mcr_merton *m, double dt)
{
    return mcr_fit_poisson_terms(m->jump_intensity * dt, MCR_MERTON_FIT_TAIL,
                                 MCR_MERTON_FIT_MAX_TERMS);
}

double mcr_merton_log_density(const mcr_merton *m, double dt, double x, int terms)
{
    mixture mx;
    if (terms > MCR_MERTON_FIT_MAX_TERMS)
        terms = MCR_MERTON_FIT_MAX_TERMS;
    mixture_of(m, dt, terms, &mx);
    return mixture_log_density(&mx, x);
}

double mcr_merton_nll(const mcr_merton *m, double dt, const double *r, int n)
{
    mixture mx;
    mixture_of(m, dt, terms_for(m, dt), &mx);
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s -= mixture_log_density(&mx, r[i]);
    return s;
}

typedef struct ctx {
    const double *r;
    int n;
    double dt, s0;
} ctx;

static void to_natural(const double *t, double *x, void *vc)
{
    const ctx *c = vc;
    double s = c->s0 * exp(t[1]), L = exp(t[2]), nu = c->s0 * t[3], delta = c->s0 * exp(t[4]);
    double sigma = s / sqrt(c->dt), lambda = L / c->dt;
    double a = c->s0 * t[0];
    x[0] = a / c->dt + 0.5 * sigma * sigma + lambda * mcr_merton_jump_compensator(nu, delta);
    x[1] = sigma;
    x[2] = lambda;
    x[3] = nu;
    x[4] = delta;
}

static double nll(const double *t, void *vc)
{
    const ctx *c = vc;
    double x[5];
    to_natural(t, x, vc);
    mcr_merton m = {.mu = x[0], .sigma = x[1], .jump_intensity = x[2], .jump_mean = x[3],
                    .jump_std = x[4]};
    /* the config's ranges (the merton key rows); outside them the simplex sees an infeasible
     * point, so the fitted block always loads */
    if (mcr_merton_check(&m, "merton fit", NULL) != MCR_OK)
        return INFINITY;
    return mcr_merton_nll(&m, c->dt, c->r, c->n);
}

/* theta of model m for the sample's standard deviation (to_natural's inverse). */
static void to_theta(const mcr_merton *m, const ctx *c, double *t)
{
    double lambda = m->jump_intensity, sigma = m->sigma;
    double a = (m->mu - 0.5 * sigma * sigma -
                lambda * mcr_merton_jump_compensator(m->jump_mean, m->jump_std)) * c->dt;
    t[0] = a / c->s0;
    t[1] = log(sigma * sqrt(c->dt) / c->s0);
    t[2] = log(lambda * c->dt);
    t[3] = m->jump_mean / c->s0;
    t[4] = log(m->jump_std / c->s0);
}

mcr_status mcr_fit_merton(const double *r, int n, double dt, mcr_fit_result *res,
                          mcr_error *err)
{
    return mcr_fit_merton_from(r, n, dt, NULL, res, err);
}

mcr_status mcr_fit_merton_from(const double *r, int n, double dt, const mcr_merton *warm,
                               mcr_fit_result *res, mcr_error *err)
{
    memset(res, 0, sizeof *res);
    double mean, s0;
    mcr_status st = mcr_fit_moments("merton", r, n, 20, &mean, &s0, err);
    if (st != MCR_OK)
        return st;
    ctx c = {.r = r, .n = n, .dt = dt, .s0 = s0};
    static const double step[5] = {0.1, 0.2, 0.5, 0.5, 0.3};
    mcr_fit_problem p = {.n_par = 5, .n_obs = n, .nll = nll, .to_natural = to_natural, .ctx = &c,
                         .step = step};
    double starts[6 * 5];
    int k = 0;
    if (warm) { /* one start at the neighbouring window's optimum, if it can be evaluated */
        to_theta(warm, &c, starts);
        k = isfinite(nll(starts, &c)) ? 1 : 0;
        p.scale = k ? MCR_FIT_WARM_SCALE : 0.0;
    }
    /* cold starts: diffusion at 0.7-0.9 of the sample vol, jumps rare or frequent, small or
     * large */
    static const double jump_rate[3] = {0.01, 0.05, 0.2}, jump_size[2] = {1.5, 4.0};
    for (int i = 0; i < 3 && !p.scale; i++)
        for (int j = 0; j < 2; j++, k++) {
            double *t = starts + 5 * k;
            t[0] = mean / s0;
            t[1] = log(j ? 0.7 : 0.9);
            t[2] = log(jump_rate[i]);
            t[3] = 0.0;
            t[4] = log(jump_size[j]);
        }
    st = mcr_fit_run(&p, starts, k, res, err);
    if (st != MCR_OK)
        return st;
    res->names = mcr_fit_merton_names;
    /* the truncation error at the optimum, relative to each observation's density */
    mcr_merton m = mcr_fit_merton_model(res);
    int terms = terms_for(&m, dt);
    double abs_bound = mcr_fit_poisson_tail(m.jump_intensity * dt, terms) /
                       (m.sigma * sqrt(2.0 * M_PI * dt));
    double worst = 0.0;
    for (int i = 0; i < n; i++) {
        double b = abs_bound / exp(mcr_merton_log_density(&m, dt, r[i], terms));
        if (b > worst)
            worst = b;
    }
    res->truncation_bound = worst;
    res->jump_terms = terms;
    return MCR_OK;
}
