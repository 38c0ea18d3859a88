/* The control variate's per-path control and its mean (control.h). */
#include "control.h"

#include <math.h>

#include "models/normal.h"
#include "scenario/view.h"

/* e^{-r tau} Black(F, K, v) of payoff p. */
static double black_mean(mcr_payoff p, double f, double k, double v, double r, double tau)
{
    double sv = sqrt(v), d1 = (log(f / k) + 0.5 * v) / sv, d2 = d1 - sv;
    double b = p == MCR_CALL ? f * mcr_norm_cdf(d1) - k * mcr_norm_cdf(d2)
                             : k * mcr_norm_cdf(-d2) - f * mcr_norm_cdf(-d1);
    return exp(-r * tau) * b;
}

mcr_status mcr_control_init(mcr_control *c, const mcr_config *cfg, int sc, const mcr_book *book,
                            double expected_spot, mcr_error *err)
{
    *c = (mcr_control){.type = cfg->vr.control_variate, .mean = expected_spot};
    if (c->type != MCR_CV_BOOK_OPTION)
        return MCR_OK;
    const mcr_leg *leg = NULL;
    for (int i = 0; i < book->n_legs && !leg; i++) /* legs are in the portfolio's order */
        if (book->legs[i].asset == 0)
            leg = &book->legs[i];
    mcr_model m = mcr_scenario_model(cfg, sc, 0);
    if (!leg || m.type != MCR_MODEL_GBM)
        return mcr_fail(err, MCR_ERR_INPUT, "run.variance_reduction.control_variate: book_option "
                        "needs a call or put on the first asset (%s) in the portfolio, and that "
                        "asset with model gbm (got %s%s)", cfg->assets[0].name,
                        leg ? "model " : "no option", leg ? mcr_model_name(m.type) : "");
    double T = cfg->horizon_days / 365.0, tau = leg->expiry > T ? leg->expiry - T : 0;
    c->sigma = sqrt(mcr_model_total_variance(&m, 1.0));
    c->euro = (mcr_euro){.payoff = leg->payoff, .strike = leg->strike, .expiry = tau,
                         .rate = cfg->rate};
    c->mean = black_mean(leg->payoff, expected_spot * exp(cfg->rate * tau), leg->strike,
                         c->sigma * c->sigma * (T + tau), cfg->rate, tau);
    return MCR_OK;
}

void mcr_control_values(const mcr_control *c, const mcr_kernels *k, const double *log_price,
                        double *out)
{
    k->exp(log_price, out, MCR_BLOCK_PATHS);
    if (c->type != MCR_CV_BOOK_OPTION)
        return;
    mcr_euro o = c->euro;
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        o.spot = out[i];
        out[i] = mcr_bs_price(&o, c->sigma);
    }
}
