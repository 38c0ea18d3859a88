/* Suite `venue_default`: models/venue_default.h. The default time from its uniform by hand, the
 * forced default, the step indicator, the loss rule; the closed forms by hand (constant cash,
 * the lambda = g - a limit, grid = continuous for cash); Monte Carlo within 4 se of
 * P(default before T) = 1 - e^{-lambda T}, of the continuous mean loss of a coin holding under GBM
 * and of its on-grid version; validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/venue_default.h"
#include "unit_mc.h"

Test(venue_default, default_time_by_hand)
{
    mcr_venue_failure v = {0.02, 0.1, INFINITY};
    /* u = e^-0.02 -> tau = 0.02 / 0.02 = 1 year; u = 0.5 -> ln 2 / 0.02 = 34.657 years */
    um_close(mcr_venue_default_time(&v, exp(-0.02)), 1.0, 1e-14, "tau(e^-0.02)");
    um_close(mcr_venue_default_time(&v, 0.5), M_LN2 / 0.02, 1e-12, "tau(0.5)");
    /* forced at day 73 (0.2 years): min(34.66, 0.2) = 0.2 */
    mcr_venue_failure forced = {0.02, 0.1, 0.2};
    um_close(mcr_venue_default_time(&forced, 0.5), 0.2, 0, "forced");
    um_close(mcr_venue_default_time(&forced, exp(-0.002)), 0.1, 1e-13, "earlier than forced");
    /* lambda = 0: never, unless forced */
    mcr_venue_failure safe = {0, 0.1, INFINITY};
    cr_expect(isinf(mcr_venue_default_time(&safe, 1e-10)));
    mcr_venue_failure ftx = {0, 0.05, 0.5};
    cr_expect(mcr_venue_default_time(&ftx, 0.3) == 0.5);
    /* indicators */
    cr_expect(mcr_venue_defaulted(1.0, 1.0) == 1.0 && mcr_venue_defaulted(1.0, 0.99) == 0.0);
    cr_expect(mcr_venue_defaults_in_step(0.5, 0.49, 0.5) == 1.0);
    cr_expect(mcr_venue_defaults_in_step(0.49, 0.49, 0.5) == 0.0);
    cr_expect(mcr_venue_defaults_in_step(INFINITY, 0.49, 0.5) == 0.0);
    /* loss: (1 - 0.1) x 250,000 = 225,000; nothing from a negative balance */
    um_close(mcr_venue_loss(&v, 250000), 225000, 1e-9, "loss");
    cr_expect(mcr_venue_loss(&v, -5000) == 0.0);
}

Test(venue_default, closed_forms_by_hand)
{
    mcr_venue_failure v = {0.02, 0.1, INFINITY};
    /* P(tau <= 1) = 1 - e^-0.02 = 0.0198013 */
    um_close(mcr_venue_default_probability(&v, 1), 1 - exp(-0.02), 1e-16, "P(T = 1)");
    um_close(mcr_venue_default_probability(&v, 1), 0.0198013, 1e-7, "P decimal");
    mcr_venue_failure forced = {0.02, 0.1, 0.5};
    cr_expect(mcr_venue_default_probability(&forced, 0.5) == 1.0);
    /* cash 1e6 at a = g = 4%: 0.9 x 1e6 x e^0.04 x (1 - e^-0.02) = 936,729.7 x 0.0198013
     * = 18,548.49 */
    double want = 0.9 * 1e6 * exp(0.04) * (1 - exp(-0.02));
    um_close(mcr_venue_mean_loss(&v, 1e6, 0.04, 0.04, 1), want, 1e-8, "cash");
    um_close(want, 18548.49, 0.01, "cash decimal");
    /* on any grid the same for cash (P(step n) telescopes) */
    um_close(mcr_venue_mean_loss_grid(&v, 1e6, 0.04, 0.04, 1.0 / 365, 365), want, 1e-7,
             "cash, daily grid");
    /* lambda - g + a = 0 (lambda 0.1, g 0.1, a 0): 0.9 H0 lambda T = 0.9 x 1e6 x 0.1 x 2 */
    mcr_venue_failure w = {0.1, 0.1, INFINITY};
    um_close(mcr_venue_mean_loss(&w, 1e6, 0.1, 0.0, 2), 180000, 1e-8, "c = 0 limit");
    um_close(mcr_venue_mean_loss(&w, 1e6, 0.1 + 1e-9, 0.0, 2), 180000, 1e-3, "near the limit");
    um_close(mcr_venue_mean_loss_grid(&w, 1e6, 0.1, 0.0, 0.5, 4),
             0.9 * 1e6 * expm1(0.05) * 4, 1e-8, "grid at rho = 1");
    /* the grid converges to continuous time at rate dt (coin, g = 0.1, a = 0.04, lambda 0.5) */
    mcr_venue_failure h = {0.5, 0.2, INFINITY};
    double cont = mcr_venue_mean_loss(&h, 1e6, 0.1, 0.04, 1);
    double d1 = mcr_venue_mean_loss_grid(&h, 1e6, 0.1, 0.04, 1.0 / 52, 52) - cont;
    double d2 = mcr_venue_mean_loss_grid(&h, 1e6, 0.1, 0.04, 1.0 / 104, 104) - cont;
    cr_expect(fabs(d2 / d1 - 0.5) < 0.01, "first-order convergence: %g", d2 / d1);
}

/* lambda = 0.5, T = 1: P = 1 - e^-0.5 = 0.393469; a coin holding of 10 BTC at 50,000 under GBM
 * mu = 0.1, sigma = 0.8, recovery 0.2, losses carried at a = 0.04. One uniform per path for tau,
 * one normal for the price at tau (continuous) or at the end of tau's step (grid, weekly). */
Test(venue_default, monte_carlo)
{
    mcr_venue_failure v = {0.5, 0.2, INFINITY};
    const double mu = 0.1, sigma = 0.8, a = 0.04, t = 1.0, h0 = 500000, dt = 1.0 / 52;
    const int n = 400000;
    mcr_pcg32 g = mcr_pcg32_for_path(3, 0);
    um_stats hit = {0}, loss = {0}, loss_grid = {0};
    for (int i = 0; i < n; i++) {
        double tau = mcr_venue_default_time(&v, um_uniform(&g)), z = um_normal(&g);
        double d = mcr_venue_defaulted(tau, t);
        um_add(&hit, d);
        double s = d > 0 ? tau : 0; /* the holding's value at tau */
        double hs = h0 * exp((mu - 0.5 * sigma * sigma) * s + sigma * sqrt(s) * z);
        um_add(&loss, d * mcr_venue_loss(&v, hs) * exp(a * (t - s)));
        double tn = d > 0 ? ceil(tau / dt) * dt : 0; /* the end of tau's step */
        tn = fmin(tn, t);
        double hn = h0 * exp((mu - 0.5 * sigma * sigma) * tn + sigma * sqrt(tn) * z);
        um_add(&loss_grid, d * mcr_venue_loss(&v, hn) * exp(a * (t - tn)));
    }
    double p = mcr_venue_default_probability(&v, t);
    um_close(p, 0.393469340287, 1e-12, "1 - e^-0.5");
    um_within_4se(&hit, p, 1.05 * sqrt(p * (1 - p) / n), "P(default before T)");
    double mean = mcr_venue_mean_loss(&v, h0, mu, a, t);
    um_within_4se(&loss, mean, 500, "mean loss (continuous)");
    double mean_grid = mcr_venue_mean_loss_grid(&v, h0, mu, a, dt, 52);
    um_within_4se(&loss_grid, mean_grid, 500, "mean loss (weekly grid)");
}

Test(venue_default, validation)
{
    mcr_error err = {0};
    mcr_venue_failure v = {0.02, 0.1, INFINITY};
    cr_expect(mcr_venue_check(&v, "venues[0]", &err) == MCR_OK);
    v.recovery = 1.5;
    cr_expect(mcr_venue_check(&v, "venues[0]", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "venues[0].recovery: must be a number in [0, 1], fraction recovered "
                              "(got 1.5)") != NULL, "%s", err.msg);
    v.recovery = 0.1;
    v.forced_time = -1;
    cr_expect(mcr_venue_check(&v, "venues[0]", &err) == MCR_ERR_INPUT);
    cr_expect(strstr(err.msg, "venues[0].forced_time: must be >= 0") != NULL, "%s", err.msg);
    v.forced_time = NAN;
    cr_expect(mcr_venue_check(&v, "venues[0]", &err) == MCR_ERR_INPUT);
}
