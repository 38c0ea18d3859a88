/* GARCH(1,1) / GJR quasi-maximum likelihood (fit_garch.h). theta = (mu/s0, ln(omega/s0^2),
 * logit(persistence), then the split of the persistence: GARCH one logit (alpha vs beta), GJR a
 * softmax over (beta, alpha/2, (alpha + gamma)/2), so alpha, alpha + gamma, beta >= 0. */
#include "fit_garch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const mcr_fit_garch_names[5] = {"mu", "omega", "alpha", "beta", "gamma"};

double mcr_garch_filter(const mcr_garch *g, const double *r, int n, double h1, double *h,
                        double *z)
{
    double ht = h1;
    for (int t = 0; t < n; t++) {
        if (t > 0) {
            double e = r[t - 1] - g->mu;
            ht = g->omega + (g->alpha + (e < 0 ? g->gamma : 0.0)) * e * e + g->beta * ht;
        }
        h[t] = ht;
        if (z)
            z[t] = (r[t] - g->mu) / sqrt(ht);
    }
    double e = r[n - 1] - g->mu;
    return g->omega + (g->alpha + (e < 0 ? g->gamma : 0.0)) * e * e + g->beta * ht;
}

double mcr_garch_nll(const mcr_garch *g, const double *r, int n, double h1)
{
    double ht = h1, s = 0.0;
    for (int t = 0; t < n; t++) {
        if (t > 0) {
            double e = r[t - 1] - g->mu;
            ht = g->omega + (g->alpha + (e < 0 ? g->gamma : 0.0)) * e * e + g->beta * ht;
        }
        if (!(ht > 0))
            return INFINITY;
        double e = r[t] - g->mu;
        s += log(ht) + e * e / ht;
    }
    return 0.5 * (s + n * log(2.0 * M_PI));
}

typedef struct ctx {
    const double *r;
    int n;
    mcr_garch_kind kind;
    double s0, h1;
} ctx;

static mcr_garch model_of(const double *t, const ctx *c)
{
    mcr_garch g = {.mu = c->s0 * t[0], .omega = c->s0 * c->s0 * exp(t[1])};
    double rho = mcr_fit_logistic(t[2], 0.0, 1.0);
    if (c->kind == MCR_GARCH) {
        g.alpha = rho * mcr_fit_logistic(t[3], 0.0, 1.0);
        g.beta = rho - g.alpha;
    } else {
        double m = fmax(0.0, fmax(t[3], t[4])); /* softmax with the first logit fixed at 0 */
        double w0 = exp(-m), w1 = exp(t[3] - m), w2 = exp(t[4] - m), sum = w0 + w1 + w2;
        g.beta = rho * w0 / sum;
        g.alpha = 2.0 * rho * w1 / sum;
        g.gamma = 2.0 * rho * w2 / sum - g.alpha;
    }
    return g;
}

static void to_natural(const double *t, double *x, void *vc)
{
    mcr_garch g = model_of(t, vc);
    x[0] = g.mu;
    x[1] = g.omega;
    x[2] = g.alpha;
    x[3] = g.beta;
    x[4] = g.gamma; /* only read for GJR (n_par 5) */
}

static double nll(const double *t, void *vc)
{
    const ctx *c = vc;
    mcr_garch g = model_of(t, c);
    return mcr_garch_nll(&g, c->r, c->n, c->h1);
}

void mcr_garch_fit_free(mcr_garch_fit *f)
{
    free(f->variance);
    free(f->residual);
    f->variance = f->residual = NULL;
}

/* theta of model g for the sample's standard deviation (model_of's inverse); weights that are
 * 0 (on the edge, where theta is infinite) are taken a hair inside. */
static void to_theta(const mcr_garch *g, const ctx *c, double *t)
{
    const double tiny = 1e-9;
    double rho = g->alpha + g->beta + 0.5 * g->gamma;
    t[0] = g->mu / c->s0;
    t[1] = log(g->omega / (c->s0 * c->s0));
    t[2] = mcr_fit_logit(rho, 0.0, 1.0);
    if (c->kind == MCR_GARCH) {
        double share = fmin(fmax(g->alpha / rho, tiny), 1.0 - tiny);
        t[3] = mcr_fit_logit(share, 0.0, 1.0);
    } else {
        double w0 = fmax(g->beta, tiny * rho);
        t[3] = log(fmax(0.5 * g->alpha, tiny * rho) / w0);
        t[4] = log(fmax(0.5 * (g->alpha + g->gamma), tiny * rho) / w0);
    }
}

mcr_status mcr_fit_garch(const double *r, int n, mcr_garch_kind kind, mcr_garch_fit *out,
                         mcr_error *err)
{
    return mcr_fit_garch_from(r, n, kind, NULL, out, err);
}

mcr_status mcr_fit_garch_from(const double *r, int n, mcr_garch_kind kind,
                              const mcr_garch *warm, mcr_garch_fit *out, mcr_error *err)
{
    memset(out, 0, sizeof *out);
    const char *name = kind == MCR_GARCH ? "garch" : "gjr";
    double mean, s0;
    mcr_status st = mcr_fit_moments(name, r, n, 50, &mean, &s0, err);
    if (st != MCR_OK)
        return st;
    ctx c = {.r = r, .n = n, .kind = kind, .s0 = s0, .h1 = s0 * s0};
    int k = kind == MCR_GARCH ? 4 : 5;
    static const double step[5] = {0.1, 0.5, 0.5, 0.5, 0.5};
    mcr_fit_problem p = {.n_par = k, .n_obs = n, .nll = nll, .to_natural = to_natural, .ctx = &c,
                         .step = step};
    double starts[(1 + 8) * 5]; /* the warm start and the cold ones */
    int ns = 0;
    if (warm) { /* a start at the neighbouring window's optimum, if it can be evaluated */
        to_theta(warm, &c, starts);
        ns = isfinite(nll(starts, &c)) ? 1 : 0;
    }
    /* cold starts: persistence 0.9 or 0.98, alpha 5% or 15% of it (GJR: gamma 0 or alpha) */
    static const double rho[2] = {0.9, 0.98}, share[2] = {0.05, 0.15};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int l = 0; l < (kind == MCR_GJR ? 2 : 1); l++, ns++) {
                double *t = starts + k * ns;
                t[0] = mean / s0;
                t[1] = log(1.0 - rho[i]);
                t[2] = mcr_fit_logit(rho[i], 0.0, 1.0);
                if (kind == MCR_GARCH) {
                    t[3] = mcr_fit_logit(share[j], 0.0, 1.0);
                } else { /* weights of beta, alpha/2, (alpha + gamma)/2 */
                    double a = share[j], ag = l ? 2.0 * share[j] : share[j];
                    double w1 = a / 2, w2 = ag / 2, w0 = 1.0 - w1 - w2;
                    t[3] = log(w1 / w0);
                    t[4] = log(w2 / w0);
                }
            }
    st = mcr_fit_run(&p, starts, ns, &out->fit, err);
    if (st != MCR_OK)
        return st;
    out->fit.names = mcr_fit_garch_names;
    out->model = model_of(out->fit.theta, &c);
    out->h1 = c.h1;
    out->variance = malloc(sizeof(double) * (size_t)n);
    out->residual = malloc(sizeof(double) * (size_t)n);
    if (!out->variance || !out->residual) {
        mcr_garch_fit_free(out);
        return mcr_fail(err, MCR_ERR_NOMEM, "%s fit: out of memory", name);
    }
    out->next_variance = mcr_garch_filter(&out->model, r, n, c.h1, out->variance, out->residual);
    out->last_variance = out->variance[n - 1];
    const mcr_garch *g = &out->model;
    out->persistence = g->alpha + g->beta + 0.5 * g->gamma;
    out->long_run_vol = sqrt(MCR_FIT_DAYS_PER_YEAR * g->omega / (1.0 - out->persistence));
    return MCR_OK;
}
