/* Suite `first_passage`: GBM barrier-hit probabilities (models/first_passage.h) against the
 * Haug (1998) one-touch prices of REFERENCE_VALUES 6d, against a 50-digit evaluation of the same
 * formula where the naive evaluation overflows, and the BGK discrete-monitoring correction (6a)
 * against a scalar Monte Carlo of a 5x perpetual position whose margin is checked at 50 dates. */
#include <criterion/criterion.h>
#include <math.h>

#include "kernels/pcg32.h"
#include "models/first_passage.h"
#include "models/normal.h"
#include "models/perp.h"

/* Haug (1998) p. 95 via QuantLib digitaloption.cpp: American cash-or-nothing paid at expiry,
 * cash 15, r = 10%, q = 0, sigma = 20%, T = 0.5, barrier 100; risk neutral, so mu = r. */
Test(first_passage, haug_one_touch)
{
    mcr_gbm rn = {.mu = 0.10, .sigma = 0.20};
    double t = 0.5, cash = 15 * exp(-0.10 * t);
    double down = mcr_first_passage_down(&rn, 105, 100, t);
    double up = mcr_first_passage_up(&rn, 95, 100, t);
    cr_expect(fabs(cash * down - 9.3604) <= 1e-4, "down knock-in %.6f", cash * down);
    cr_expect(fabs(cash * (1 - down) - 4.9081) <= 1e-4, "down knock-out %.6f", cash * (1 - down));
    cr_expect(fabs(cash * up - 11.2223) <= 1e-4, "up knock-in %.6f", cash * up);
    cr_expect(fabs(cash * (1 - up) - 3.0461) <= 1e-4, "up knock-out %.6f", cash * (1 - up));
    /* REFERENCE_VALUES' recomputed hit probabilities, to their 6 digits */
    cr_expect(fabs(down - 0.656018) <= 5e-7, "P(down) %.8f", down);
    cr_expect(fabs(up - 0.786514) <= 5e-7, "P(up) %.8f", up);
}

Test(first_passage, limits)
{
    mcr_gbm m = {.mu = 0.05, .sigma = 0.8};
    cr_expect(mcr_first_passage_down(&m, 100, 100, 1) == 1.0);
    cr_expect(mcr_first_passage_up(&m, 100, 100, 1) == 1.0);
    cr_expect(mcr_first_passage_down(&m, 100, 80, 0) == 0.0);
    cr_expect(mcr_first_passage_down(&m, 100, 0, 1) == 0.0);
    cr_expect(mcr_first_passage_up(&m, 100, INFINITY, 1) == 0.0);
    /* touching is at least as likely as ending beyond the barrier, and falls with distance */
    double prev = 1.0;
    for (double h = 99; h > 20; h -= 3) {
        double p = mcr_first_passage_down(&m, 100, h, 1);
        double end = mcr_norm_cdf((log(h / 100) - (0.05 - 0.32)) / 0.8);
        cr_expect(p >= end && p <= prev, "H %g: %.12g (end %.12g, previous %.12g)", h, p, end,
                  prev);
        prev = p;
    }
    /* sigma = 0: the path S0 e^{mu t} */
    mcr_gbm flat = {.mu = -0.1, .sigma = 0};
    cr_expect(mcr_first_passage_down(&flat, 100, 95, 0.4) == 0.0); /* 100 e^{-0.04} = 96.1 */
    cr_expect(mcr_first_passage_down(&flat, 100, 95, 0.6) == 1.0); /* 94.2 */
    cr_expect(mcr_first_passage_up(&flat, 100, 101, 10) == 0.0);
}

/* Small sigma, long horizon, barrier at the median path: (H/S0)^{2 nu/sigma^2} = e^{800}
 * overflows and N((b + nu T)/sd) = N(-40) underflows; the product is about phi(0)/40.
 * Reference: the 6d formula in mpmath at 50 digits = 0.509954907051014102923... */
Test(first_passage, no_overflow_far_in_the_tails)
{
    mcr_gbm m = {.mu = -1.0, .sigma = 0.05};
    double nu = m.mu - 0.5 * m.sigma * m.sigma;
    double p = mcr_first_passage_down(&m, 100, 100 * exp(nu), 1.0);
    cr_expect(fabs(p - 0.50995490705101410) <= 1e-13, "down %.17g", p);
    /* the mirror image: drift +nu towards an up barrier */
    mcr_gbm up = {.mu = 1.0 + m.sigma * m.sigma, .sigma = 0.05};
    double q = mcr_first_passage_up(&up, 100, 100 * exp(-nu), 1.0);
    cr_expect(fabs(q - 0.50995490705101410) <= 1e-13, "up %.17g", q);
    /* barrier 0.1 above the median: mpmath 0.978667837877166542394... */
    double r = mcr_first_passage_down(&m, 100, 100 * exp(nu + 0.1), 1.0);
    cr_expect(fabs(r - 0.97866783787716654) <= 1e-13, "down %.17g", r);
}

typedef struct mc_estimate {
    double p_down, p_up, se_down, se_up;
} mc_estimate;

/* Discretely monitored hit frequencies of both barriers on the same exact GBM paths: margin
 * checked after each of `steps` equal steps, as the engine does. */
static mc_estimate simulate(const mcr_gbm *m, double s0, double down, double up, double t,
                            int steps, int paths)
{
    double dt = t / steps, drift = (m->mu - 0.5 * m->sigma * m->sigma) * dt;
    double vol = m->sigma * sqrt(dt), bd = log(down / s0), bu = log(up / s0);
    long hits_down = 0, hits_up = 0;
    for (int i = 0; i < paths; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(20240601, (uint64_t)i);
        double x = 0, lo = 0, hi = 0;
        for (int k = 0; k < steps; k++) {
            double u = ((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32;
            x += drift + vol * mcr_norm_quantile(u);
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        hits_down += lo <= bd;
        hits_up += hi >= bu;
    }
    mc_estimate e = {(double)hits_down / paths, (double)hits_up / paths, 0, 0};
    e.se_down = sqrt(e.p_down * (1 - e.p_down) / (paths - 1));
    e.se_up = sqrt(e.p_up * (1 - e.p_up) / (paths - 1));
    return e;
}

/* Liquidation of a static 5x linear perpetual (long and short), MMR 0.5%, over 30 days of a
 * BTC-like GBM with margin checked at 50 equally spaced dates: the BGK-corrected formula is
 * within 4 se of the simulated frequency, the continuous formula many se away. */
Test(first_passage, bgk_matches_discrete_monitoring)
{
    mcr_gbm m = {.mu = 0.05, .sigma = 0.8};
    double s0 = 100, t = 30.0 / 365, mmr = 0.005;
    int steps = 50, paths = 200000;
    mcr_perp_position lg = {MCR_PERP_LINEAR, 1, s0, 0}, sh = {MCR_PERP_LINEAR, -1, s0, 0};
    lg.wallet = mcr_perp_initial_wallet(&lg, 0.2);
    sh.wallet = mcr_perp_initial_wallet(&sh, 0.2);
    double lp_long = mcr_perp_liquidation_price(&lg, mmr);   /* 80.40 */
    double lp_short = mcr_perp_liquidation_price(&sh, mmr);  /* 119.40 */

    mc_estimate e = simulate(&m, s0, lp_long, lp_short, t, steps, paths);
    double dt = t / steps;
    double bgk_d = mcr_first_passage_down_discrete(&m, s0, lp_long, t, dt);
    double bgk_u = mcr_first_passage_up_discrete(&m, s0, lp_short, t, dt);
    double cont_d = mcr_first_passage_down(&m, s0, lp_long, t);
    double cont_u = mcr_first_passage_up(&m, s0, lp_short, t);
    cr_log_info("long  LP %.4f: MC %.5f (se %.5f) BGK %.5f (%+.2f se) continuous %.5f (%+.1f se)",
                lp_long, e.p_down, e.se_down, bgk_d, (bgk_d - e.p_down) / e.se_down, cont_d,
                (cont_d - e.p_down) / e.se_down);
    cr_log_info("short LP %.4f: MC %.5f (se %.5f) BGK %.5f (%+.2f se) continuous %.5f (%+.1f se)",
                lp_short, e.p_up, e.se_up, bgk_u, (bgk_u - e.p_up) / e.se_up, cont_u,
                (cont_u - e.p_up) / e.se_up);
    cr_expect(e.se_down <= 1.2e-3 && e.se_up <= 1.2e-3, "se %g %g", e.se_down, e.se_up);
    cr_expect(fabs(bgk_d - e.p_down) <= 4 * e.se_down, "down: BGK %.5f vs MC %.5f", bgk_d,
              e.p_down);
    cr_expect(fabs(bgk_u - e.p_up) <= 4 * e.se_up, "up: BGK %.5f vs MC %.5f", bgk_u, e.p_up);
    /* the correction matters: the continuous formula overstates the hit probability */
    cr_expect(cont_d - e.p_down >= 10 * e.se_down, "down: continuous %.5f vs MC %.5f", cont_d,
              e.p_down);
    cr_expect(cont_u - e.p_up >= 10 * e.se_up, "up: continuous %.5f vs MC %.5f", cont_u, e.p_up);
    cr_expect(fabs(bgk_d - e.p_down) * 5 < cont_d - e.p_down);
    cr_expect(fabs(bgk_u - e.p_up) * 5 < cont_u - e.p_up);
}
