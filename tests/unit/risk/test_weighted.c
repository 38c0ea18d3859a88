/* Importance sampling for tails: weighted VaR/CVaR by hand, equal weights against the engine's
 * estimators, and the check (long 1 unit of spot under GBM, VaR99.9 and CVaR99.9 within
 * 4 se of the lognormal closed form with se's at least 2.5x below plain MC at the same path
 * count), with the shift from the closed form and from the pilot rule, and the se's against the
 * spread over independent seeds. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/gbm.h"
#include "models/normal.h"
#include "kernels/pcg32.h"
#include "risk/risk.h"
#include "models/tail_shift.h"
#include "risk/weighted.h"

Test(weighted, hand_computed)
{
    /* p = 0.2, n p = 1: W = 0.5, 1.5 -> VaR = L_[2] = 8; CVaR = 8 + 0.5 (10 - 8) / 1 = 9.
     * excess terms {1, 0, 0, 0, 0}: sd^2 = 0.8 / 4, se = sqrt(0.2 / 5) / 0.2 = 1.
     * indicator terms {0.5, 1, 0, 0, 0}: s_p = sqrt((0.8 / 4) / 5) = 0.2; VaR(0) = 10 (the top),
     * VaR(0.4): W >= 2 at L_[3] = 6; se = (10 - 6) / 2 = 2. ESS = 5^2 / 5.5. */
    double loss[5] = {6, 10, 2, 8, 4}, w[5] = {1, 0.5, 1, 1, 1.5};
    mcr_weighted_loss scratch[5];
    mcr_weighted_tail t;
    cr_assert_eq(mcr_weighted_tail_of(loss, w, 5, 0.8, scratch, &t, NULL), MCR_OK);
    cr_assert_eq(t.var, 8.0);
    cr_assert_float_eq(t.cvar, 9.0, 1e-14);
    cr_assert_float_eq(t.cvar_se, 1.0, 1e-14);
    cr_assert_float_eq(t.tail_prob_se, 0.2, 1e-15);
    cr_assert_float_eq(t.var_se, 2.0, 1e-15);
    cr_assert_float_eq(t.ess, 25 / 5.5, 1e-14);
    double mean, se; /* w x = 6, 5, 2, 8, 6: mean 5.4, sd^2 = 19.2 / 4 */
    mcr_weighted_mean(loss, w, 5, &mean, &se);
    cr_assert_float_eq(mean, 5.4, 1e-14);
    cr_assert_float_eq(se, sqrt(4.8 / 5), 1e-14);
}

static double unit_normal(mcr_pcg32 *g)
{
    return mcr_norm_quantile(((double)mcr_pcg32_next(g) + 0.5) * 0x1p-32);
}

Test(weighted, equal_weights_are_the_engines_estimators)
{
    /* VaR is the same order statistic; CVaR the same number to rounding; the CVaR se's are the
     * same formula up to O(1 / (n p)) terms (the engine uses the k tail values with a k - 1
     * denominator): within 3% at n p = 200. The VaR se's are the same finite difference, but the
     * engine rounds its window up to whole ranks, d = ceil(sqrt(n p a)) = 15 here against
     * n s_p = 14.07: the windows differ by 7%, so within 10%. */
    enum { n = 20000 };
    static double pnl[n], loss[n], w[n], scratch[n];
    static mcr_weighted_loss ws[n];
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, 3, 4);
    for (int i = 0; i < n; i++) {
        pnl[i] = exp(0.3 * unit_normal(&g)) - 1.0;
        loss[i] = -pnl[i];
        w[i] = 1.0;
    }
    double level = 0.99;
    mcr_summary s;
    mcr_risk_summarize(pnl, n, &level, 1, scratch, &s);
    mcr_weighted_tail t;
    cr_assert_eq(mcr_weighted_tail_of(loss, w, n, level, ws, &t, NULL), MCR_OK);
    cr_assert_eq(t.var, s.risk[0].var);
    cr_assert_float_eq(t.cvar, s.risk[0].cvar, 1e-12 * fabs(t.cvar));
    cr_assert_float_eq(t.cvar_se, s.risk[0].cvar_se, 0.03 * s.risk[0].cvar_se);
    cr_assert_float_eq(t.var_se, s.risk[0].var_se, 0.10 * s.risk[0].var_se, "%g vs %g", t.var_se,
                       s.risk[0].var_se);
}

/* Long 1 unit of spot at S0 100 under GBM (mu 0, sigma 0.8) over 10 days in 5 steps. */
enum { steps = 5 };
static const double s0 = 100, sigma = 0.8, horizon = 10.0 / 365, level = 0.999;

/* n paths of seed with terminal shift c (0: plain MC): losses, weights and zeta = W_T / sqrt(T). */
static void simulate(uint64_t seed, uint64_t n, double c, double *loss, double *w, double *zeta)
{
    double dt[steps], theta[steps];
    for (int k = 0; k < steps; k++)
        dt[k] = horizon / steps;
    mcr_tail_shift_steps(c, dt, steps, theta);
    double drift = -0.5 * sigma * sigma * dt[0], vol = sigma * sqrt(dt[0]);
    for (uint64_t i = 0; i < n; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(seed, i);
        double x = 0.0, logw = 0.0, z_sum = 0.0;
        for (int k = 0; k < steps; k++) {
            double z = unit_normal(&g) + theta[k];
            logw += mcr_tail_log_lr_step(theta[k], z);
            x += drift + vol * z;
            z_sum += z;
        }
        loss[i] = s0 - s0 * exp(x);
        w[i] = exp(logw);
        if (zeta)
            zeta[i] = z_sum / sqrt((double)steps);
    }
}

/* IS with shift c and plain MC, n paths each: both within 4 se of the closed form, and the IS se's
 * at least 2.5x smaller. */
static void check_is_against_plain(double c, uint64_t n)
{
    double *loss = malloc(sizeof(double) * n), *w = malloc(sizeof(double) * n);
    mcr_weighted_loss *ws = malloc(sizeof *ws * n);
    mcr_gbm m = {0.0, sigma};
    double exact_var = mcr_gbm_var_long(&m, s0, horizon, level);
    double exact_cvar = mcr_gbm_cvar_long(&m, s0, horizon, level);
    mcr_weighted_tail is, mc;
    simulate(31, n, c, loss, w, NULL);
    cr_assert_eq(mcr_weighted_tail_of(loss, w, n, level, ws, &is, NULL), MCR_OK);
    simulate(32, n, 0.0, loss, w, NULL);
    cr_assert_eq(mcr_weighted_tail_of(loss, w, n, level, ws, &mc, NULL), MCR_OK);
    cr_log_info("shift %.3f, %llu paths: VaR99.9 %.4f: IS %.4f se %.4f, MC %.4f se %.4f (%.1fx); "
                "CVaR99.9 %.4f: IS %.4f se %.4f, MC %.4f se %.4f (%.1fx); IS ESS %.0f",
                c, (unsigned long long)n, exact_var, is.var, is.var_se, mc.var, mc.var_se,
                mc.var_se / is.var_se, exact_cvar, is.cvar, is.cvar_se, mc.cvar, mc.cvar_se,
                mc.cvar_se / is.cvar_se, is.ess);
    cr_assert_leq(fabs(is.var - exact_var), 4 * is.var_se, "IS VaR %g", is.var);
    cr_assert_leq(fabs(is.cvar - exact_cvar), 4 * is.cvar_se, "IS CVaR %g", is.cvar);
    cr_assert_leq(fabs(mc.var - exact_var), 4 * mc.var_se, "MC VaR %g", mc.var);
    cr_assert_leq(fabs(mc.cvar - exact_cvar), 4 * mc.cvar_se, "MC CVaR %g", mc.cvar);
    cr_assert_geq(mc.var_se / is.var_se, 2.5);
    cr_assert_geq(mc.cvar_se / is.cvar_se, 2.5);
    free(loss);
    free(w);
    free(ws);
}

Test(weighted, gbm_tail_closed_form_shift)
{
    double c = mcr_tail_shift_gbm(level, 1);
    cr_assert_float_eq(c, mcr_norm_quantile(0.001), 1e-15);
    check_is_against_plain(c, 1 << 16);
}

/* The pilot rule: an unshifted pilot of 2000 paths has 2 paths beyond VaR99.9, so the first round
 * centres on its 40th largest loss (reached = 0); a second pilot with that shift reaches the level.
 * Over 20 independent pilots (2 rounds each) the shifts must centre on the closed form's
 * c = Phi^-1(0.001) = -3.090 within 4 se (se = their sd / sqrt(20)), with an sd below 0.05 (a
 * shift error that small changes the IS variance by well under 1%: the variance near the optimum
 * moves with exp(error^2)). The IS run with the first pilot's shift then passes the same check as
 * the closed form's. */
Test(weighted, gbm_tail_pilot_shift)
{
    enum { pilot = 2000, window = 40, pilots = 20 };
    static double loss[pilot], w[pilot], zeta[pilot];
    static mcr_weighted_loss ws[pilot];
    double shifts[pilots], sum = 0.0, ss = 0.0;
    for (int p = 0; p < pilots; p++) {
        double c = 0.0;
        int reached = 0, rounds = 0;
        for (; !reached && rounds < 5; rounds++) {
            simulate(500 + 10 * (uint64_t)p + (uint64_t)rounds, pilot, c, loss, w, zeta);
            cr_assert_eq(mcr_weighted_pilot_shift(zeta, 1, loss, w, pilot, level, window, ws, &c,
                                                  &reached, NULL),
                         MCR_OK);
            if (p == 0)
                cr_log_info("pilot round %d: shift %.4f, reached %d", rounds + 1, c, reached);
        }
        cr_assert_eq(rounds, 2, "pilot %d took %d rounds", p, rounds);
        shifts[p] = c;
        sum += c;
    }
    double mean = sum / pilots, exact = mcr_norm_quantile(0.001);
    for (int p = 0; p < pilots; p++)
        ss += (shifts[p] - mean) * (shifts[p] - mean);
    double sd = sqrt(ss / (pilots - 1));
    cr_log_info("pilot shifts: mean %.4f sd %.4f (closed form %.4f)", mean, sd, exact);
    cr_assert_leq(fabs(mean - exact), 4 * sd / sqrt((double)pilots), "mean shift %g", mean);
    cr_assert_leq(sd, 0.05);
    check_is_against_plain(shifts[0], 1 << 16);
}

/* The IS se's against the spread of the IS estimates over 100 seeds of 8192 paths: within 20%
 * (the spread is measured to 1 / sqrt(2 x 99) = 7% with 100 seeds; 20% is 3 of that sd). */
Test(weighted, is_se_matches_spread_over_seeds)
{
    enum { reps = 100, n = 8192 };
    static double loss[n], w[n];
    static mcr_weighted_loss ws[n];
    double c = mcr_tail_shift_gbm(level, 1);
    double sum[2] = {0}, sum2[2] = {0}, se_sum[2] = {0};
    for (int r = 0; r < reps; r++) {
        simulate(9000 + (uint64_t)r, n, c, loss, w, NULL);
        mcr_weighted_tail t;
        mcr_weighted_tail_of(loss, w, n, level, ws, &t, NULL);
        double est[2] = {t.var, t.cvar}, se[2] = {t.var_se, t.cvar_se};
        for (int k = 0; k < 2; k++) {
            sum[k] += est[k];
            sum2[k] += est[k] * est[k];
            se_sum[k] += se[k];
        }
    }
    for (int k = 0; k < 2; k++) {
        double mean = sum[k] / reps, sd = sqrt((sum2[k] - reps * mean * mean) / (reps - 1));
        cr_log_info("%s: mean se %.4f, spread %.4f", k ? "CVaR" : "VaR", se_sum[k] / reps, sd);
        cr_assert_leq(fabs(se_sum[k] / reps / sd - 1.0), 0.20, "%s se %g vs spread %g",
                      k ? "CVaR" : "VaR", se_sum[k] / reps, sd);
    }
}

Test(weighted, bad_input_fails)
{
    double loss[4] = {1, 2, 3, 4}, w[4] = {1, 1, -1, 1}, shift;
    mcr_weighted_loss ws[4];
    mcr_weighted_tail t;
    mcr_error err = {0};
    int reached;
    cr_assert_eq(mcr_weighted_tail_of(loss, w, 4, 0.9, ws, &t, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "path 2") != NULL, "%s", err.msg);
    w[2] = 1;
    cr_assert_eq(mcr_weighted_tail_of(loss, w, 4, 1.5, ws, &t, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "level") != NULL, "%s", err.msg);
    cr_assert_eq(mcr_weighted_pilot_shift(loss, 1, loss, w, 4, 0.9, 5, ws, &shift, &reached, &err),
                 MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "window") != NULL, "%s", err.msg);
}
