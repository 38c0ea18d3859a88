/* Per-step constants of every model and the Poisson inverse-CDF tables behind the jump kernels. */
#include "model_step.h"

#include <math.h>
#include <string.h>

/* Jump tables: merton and bates must be exact for every 32-bit uniform (see model_step.h); kou
 * truncates at a cap with the tail probability the kernels document. */
#define MCR_TAIL_EXACT 0x1p-34
#define MCR_TAIL_KOU 1e-16
/* Poisson pmf terms summed for the tail: far past any table that fits (mean <= ~8). */
#define MCR_POISSON_TERMS 256

int mcr_poisson_table(double mean, double tail, double *cdf, int max)
{
    double pmf[MCR_POISSON_TERMS], above[MCR_POISSON_TERMS];
    for (int i = 0; i < MCR_POISSON_TERMS; i++)
        pmf[i] = mean > 0.0 ? exp(-mean + i * log(mean) - lgamma(i + 1.0)) : (i == 0);
    /* above[i] = P(N > i), summed from the smallest terms up so the tail keeps its digits */
    double s = 0.0;
    for (int i = MCR_POISSON_TERMS - 1; i >= 0; i--) {
        above[i] = s;
        s += pmf[i];
    }
    if (s < 1.0 - 1e-12) /* mass beyond the terms summed: far too many jumps for any table */
        return MCR_POISSON_TERMS;
    int n = 1;
    while (n < MCR_POISSON_TERMS - 1 && above[n] >= tail)
        n++;
    double f = 0.0;
    for (int i = 0; i < n && i < max; i++) {
        f += pmf[i];
        cdf[i] = mean > 0.0 ? f : 1.0;
    }
    return n;
}

mcr_status mcr_model_step_check(const mcr_model *m, double dt, const char *where,
                                mcr_error *err)
{
    if (!(isfinite(dt) && dt > 0.0))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: time step must be a number > 0 (got %g)", where,
                        dt);
    double lambda, tail;
    int max;
    switch (m->type) {
    case MCR_MODEL_MERTON:
        lambda = m->merton.jump_intensity, tail = MCR_TAIL_EXACT, max = MCR_POISSON_MAX;
        break;
    case MCR_MODEL_BATES:
        lambda = m->bates.jump_intensity, tail = MCR_TAIL_EXACT, max = MCR_POISSON_MAX;
        break;
    case MCR_MODEL_KOU:
        lambda = m->kou.jump_intensity, tail = MCR_TAIL_KOU, max = MCR_KOU_MAX_JUMPS;
        break;
    default:
        return mcr_model_has_data(m) ? mcr_data_step_check(dt, where, err) : MCR_OK;
    }
    double cdf[MCR_POISSON_TERMS];
    if (mcr_poisson_table(lambda * dt, tail, cdf, MCR_POISSON_TERMS) > max) {
        double limit = 0.0; /* the largest lambda dt whose table fits, to 2 digits */
        while (mcr_poisson_table(limit + 0.01, tail, cdf, MCR_POISSON_TERMS) <= max)
            limit += 0.01;
        return mcr_fail(err, MCR_ERR_INPUT,
                        "%s.jump_intensity: %g expected jumps per time step (jump_intensity x "
                        "step of %g y); the %s kernel supports at most %.2f: use more steps",
                        where, lambda * dt, dt, mcr_model_name(m->type), limit);
    }
    return MCR_OK;
}

static mcr_jump_step lognormal_jumps(double lambda, double mean, double std, double dt)
{
    mcr_jump_step j = {.lambda_dt = lambda * dt, .mean = mean, .std = std};
    j.n_cdf = mcr_poisson_table(j.lambda_dt, MCR_TAIL_EXACT, j.cdf, MCR_POISSON_MAX);
    return j;
}

static mcr_jump_step kou_jumps(const mcr_kou *k, double dt)
{
    mcr_jump_step j = {.lambda_dt = k->jump_intensity * dt, .p_up = k->p_up};
    j.n_cdf = mcr_poisson_table(j.lambda_dt, MCR_TAIL_KOU, j.cdf, MCR_KOU_MAX_JUMPS);
    j.cap = j.n_cdf;
    j.inv_p_up = k->p_up > 0.0 ? 1.0 / k->p_up : 0.0;
    j.inv_p_down = k->p_up < 1.0 ? 1.0 / (1.0 - k->p_up) : 0.0;
    j.scale_up = -1.0 / k->eta_up;
    j.scale_down = 1.0 / k->eta_down;
    return j;
}

static mcr_heston_step heston_constants(const mcr_heston *h, double dt)
{
    double one_e = -expm1(-h->kappa * dt), e = 1.0 - one_e, xi2 = h->xi * h->xi;
    double k2 = 0.5 * dt * (h->kappa * h->rho / h->xi - 0.5) + h->rho / h->xi;
    double k3 = 0.5 * dt * (1.0 - h->rho * h->rho);
    return (mcr_heston_step){
        .v0 = h->v0,
        .e = e,
        .m0 = h->theta * one_e,
        .c1 = xi2 * e * one_e / h->kappa,
        .c2 = h->theta * xi2 * one_e * one_e / (2.0 * h->kappa),
        .psi_c = MCR_QE_PSI_C,
        .k2 = k2,
        .k3 = k3,
        .a = k2 + 0.5 * k3,
        .rho = h->rho,
        .rho_bar = sqrt(fmax(0.0, 1.0 - h->rho * h->rho)),
    };
}

mcr_model_step mcr_model_step_of(const mcr_model *m, double dt)
{
    mcr_model_step c;
    memset(&c, 0, sizeof c);
    c.type = m->type;
    c.dt = dt;
    switch (m->type) {
    case MCR_MODEL_GBM:
        c.draws = 1;
        c.drift = (m->gbm.mu - 0.5 * m->gbm.sigma * m->gbm.sigma) * dt;
        c.vol = m->gbm.sigma * sqrt(dt);
        break;
    case MCR_MODEL_MERTON: {
        const mcr_merton *p = &m->merton;
        c.draws = 3;
        c.drift = (p->mu - p->jump_intensity * mcr_merton_compensator(p)
                   - 0.5 * p->sigma * p->sigma) * dt;
        c.vol = p->sigma * sqrt(dt);
        c.jump = lognormal_jumps(p->jump_intensity, p->jump_mean, p->jump_std, dt);
        break;
    }
    case MCR_MODEL_KOU: {
        const mcr_kou *p = &m->kou;
        c.drift = (p->mu - p->jump_intensity * mcr_kou_compensator(p)
                   - 0.5 * p->sigma * p->sigma) * dt;
        c.vol = p->sigma * sqrt(dt);
        c.jump = kou_jumps(p, dt);
        c.draws = 2 + c.jump.cap;
        break;
    }
    case MCR_MODEL_HESTON:
        c.draws = 2;
        c.drift = m->heston.mu * dt;
        c.heston = heston_constants(&m->heston, dt);
        break;
    case MCR_MODEL_BATES: {
        const mcr_bates *p = &m->bates;
        c.draws = 4;
        c.drift = (p->heston.mu - p->jump_intensity * mcr_bates_compensator(p)) * dt;
        c.heston = heston_constants(&p->heston, dt);
        c.jump = lognormal_jumps(p->jump_intensity, p->jump_mean, p->jump_std, dt);
        break;
    }
    default:
        if (mcr_model_has_data(m))
            c.data = mcr_model_kind_of(m)->data_step(mcr_model_params_c(m), dt, &c.draws);
        break;
    }
    return c;
}
