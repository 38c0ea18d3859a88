/* First-passage probabilities of GBM, continuous (reflection principle) and discretely
 * monitored (BGK-shifted barrier). */
#include "first_passage.h"

#include <math.h>

#include "normal.h"

/* Mills ratio R(x) = N(-x) / phi(x), x >= 0. Directly while N(-x) is a normal double; beyond,
 * the asymptotic series 1/x (1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8 - 945/x^10), whose error at
 * x >= 37 is below 10395/x^13 ~ 1e-16 relative. */
static double mills_ratio(double x)
{
    if (x < 37.0)
        return mcr_norm_cdf(-x) / mcr_norm_pdf(x);
    double u = 1.0 / (x * x);
    return (1.0 + u * (-1.0 + u * (3.0 + u * (-15.0 + u * (105.0 - 945.0 * u))))) / x;
}

/* P(min_{u <= t} X_u <= b) for X_u = nu u + sigma W_u, b < 0, sigma > 0, t > 0. */
static double hit_below(double b, double nu, double sigma, double t)
{
    double sd = sigma * sqrt(t);
    double z1 = (b - nu * t) / sd, z2 = (b + nu * t) / sd;
    double reflected;
    if (z2 >= 0.0) {
        /* then nu > 0 > b: the factor e^{2 nu b / sigma^2} is below 1 */
        reflected = exp(2.0 * nu * b / (sigma * sigma)) * mcr_norm_cdf(z2);
    } else {
        /* e^{2 nu b / sigma^2} phi(z2) = phi(z1) exactly, so N(z2) = phi(z2) R(-z2) lets the
         * possibly overflowing factor cancel against the possibly underflowing tail. */
        reflected = mcr_norm_pdf(z1) * mills_ratio(-z2);
    }
    return fmin(1.0, mcr_norm_cdf(z1) + reflected);
}

double mcr_first_passage_down(const mcr_gbm *m, double s0, double barrier, double t)
{
    if (barrier >= s0)
        return 1.0;
    if (barrier <= 0.0 || t <= 0.0)
        return 0.0;
    double b = log(barrier / s0), nu = m->mu - 0.5 * m->sigma * m->sigma;
    if (m->sigma == 0.0)
        return nu * t <= b ? 1.0 : 0.0;
    return hit_below(b, nu, m->sigma, t);
}

double mcr_first_passage_up(const mcr_gbm *m, double s0, double barrier, double t)
{
    if (barrier <= s0)
        return 1.0;
    if (isinf(barrier) || t <= 0.0)
        return 0.0;
    double b = log(barrier / s0), nu = m->mu - 0.5 * m->sigma * m->sigma;
    if (m->sigma == 0.0)
        return nu * t >= b ? 1.0 : 0.0;
    /* max X >= b  <=>  min (-X) <= -b, and -X has drift -nu */
    return hit_below(-b, -nu, m->sigma, t);
}

double mcr_first_passage_down_discrete(const mcr_gbm *m, double s0, double barrier, double t,
                                       double dt)
{
    if (barrier >= s0)
        return 1.0;
    double shifted = barrier * exp(-MCR_BGK_BETA * m->sigma * sqrt(dt));
    return mcr_first_passage_down(m, s0, shifted, t);
}

double mcr_first_passage_up_discrete(const mcr_gbm *m, double s0, double barrier, double t,
                                     double dt)
{
    if (barrier <= s0)
        return 1.0;
    double shifted = barrier * exp(MCR_BGK_BETA * m->sigma * sqrt(dt));
    return mcr_first_passage_up(m, s0, shifted, t);
}
