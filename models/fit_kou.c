/* Kou maximum likelihood (fit_kou.h), over theta = (a/s0, ln(s/s0), ln(lambda dt), logit p_up,
 * ln((eta_up - 1) s0), ln(eta_down s0)), s0 the sample standard deviation: eta_up > 1 and
 * 0 < p_up < 1 hold at every trial point. */
#include "fit_kou.h"

#include <math.h>
#include <string.h>

#include "kou_density.h"

const char *const mcr_fit_kou_names[6] = {"mu", "sigma", "jump_intensity", "p_up", "eta_up",
                                          "eta_down"};

static int terms_for(const mcr_kou *m, double dt)
{
    return mcr_fit_poisson_terms(m->jump_intensity * dt, MCR_KOU_FIT_TAIL, MCR_KOU_MAX_TERMS);
}

double mcr_kou_nll(const mcr_kou *m, double dt, const double *r, int n)
{
    mcr_kou_mixture mx;
    mcr_kou_mixture_of(m, dt, terms_for(m, dt), &mx);
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s -= mcr_kou_mixture_log_density(&mx, r[i]);
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
    mcr_kou m = {.sigma = c->s0 * exp(t[1]) / sqrt(c->dt), .jump_intensity = exp(t[2]) / c->dt,
                 .p_up = mcr_fit_logistic(t[3], 0.0, 1.0), .eta_up = 1.0 + exp(t[4]) / c->s0,
                 .eta_down = exp(t[5]) / c->s0};
    double a = c->s0 * t[0];
    x[0] = a / c->dt + 0.5 * m.sigma * m.sigma + m.jump_intensity * mcr_kou_compensator(&m);
    x[1] = m.sigma;
    x[2] = m.jump_intensity;
    x[3] = m.p_up;
    x[4] = m.eta_up;
    x[5] = m.eta_down;
}

static double nll(const double *t, void *vc)
{
    const ctx *c = vc;
    double x[6];
    to_natural(t, x, vc);
    mcr_kou m = {x[0], x[1], x[2], x[3], x[4], x[5]};
    /* the config's ranges (the kou key rows), as for merton; 0 < p_up < 1 and eta_up > 1 hold
     * by the parametrisation unless it rounds to the edge */
    if (mcr_kou_check(&m, "kou fit", NULL) != MCR_OK || !(m.p_up > 0 && m.p_up < 1))
        return INFINITY;
    return mcr_kou_nll(&m, c->dt, c->r, c->n);
}

mcr_status mcr_fit_kou(const double *r, int n, double dt, mcr_fit_result *res, mcr_error *err)
{
    memset(res, 0, sizeof *res);
    double mean, s0;
    mcr_status st = mcr_fit_moments("kou", r, n, 20, &mean, &s0, err);
    if (st != MCR_OK)
        return st;
    ctx c = {.r = r, .n = n, .dt = dt, .s0 = s0};
    static const double step[6] = {0.1, 0.2, 0.5, 0.5, 0.5, 0.5};
    mcr_fit_problem p = {.n_par = 6, .n_obs = n, .nll = nll, .to_natural = to_natural, .ctx = &c,
                         .step = step};
    /* starts: rare or frequent jumps of about 1 or 3 sample standard deviations */
    static const double jump_rate[2] = {0.02, 0.1}, eta_s0[2] = {1.0, 0.33};
    double starts[4 * 6];
    int k = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++, k++) {
            double *t = starts + 6 * k;
            t[0] = mean / s0;
            t[1] = log(0.8);
            t[2] = log(jump_rate[i]);
            t[3] = 0.0;
            t[4] = log(eta_s0[j]);
            t[5] = log(eta_s0[j]);
        }
    st = mcr_fit_run(&p, starts, k, res, err);
    if (st != MCR_OK)
        return st;
    res->names = mcr_fit_kou_names;
    mcr_kou m = mcr_fit_kou_model(res);
    int terms = terms_for(&m, dt);
    mcr_kou_mixture mx;
    mcr_kou_mixture_of(&m, dt, terms, &mx);
    double abs_bound = mcr_fit_poisson_tail(m.jump_intensity * dt, terms) /
                       (m.sigma * sqrt(2.0 * M_PI * dt));
    double worst = 0.0;
    for (int i = 0; i < n; i++) {
        double b = abs_bound / exp(mcr_kou_mixture_log_density(&mx, r[i]));
        if (b > worst)
            worst = b;
    }
    res->truncation_bound = worst;
    res->jump_terms = terms;
    return MCR_OK;
}
