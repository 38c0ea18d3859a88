/* Control variates: the pilot coefficient by hand, the variance ratio on a case with a known
 * correlation (a call on the terminal spot under GBM, every moment in closed form), and the se
 * against the spread over seeds, with and without antithetic pairs. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "models/black_scholes.h"
#include "risk/control_variate.h"
#include "models/normal.h"
#include "kernels/pcg32.h"

Test(control_variate, hand_computed)
{
    /* x mean 2.5, y mean 2.5: Cov = 4 / 3, Var(x) = 5 / 3, beta = 0.8. With E[X] = 2:
     * y - 0.8 (x - 2) = 1.8, 1.2, 3.0, 2.4: mean 2.1; y - 0.8 x = 0.2, -0.4, 1.4, 0.8, sd^2 = 0.6,
     * se = sqrt(0.6 / 4); plain: mean 2.5, sd^2 = 5 / 3, se = sqrt(5 / 12). */
    double y[4] = {1, 2, 3, 4}, x[4] = {1, 3, 2, 4}, beta;
    cr_assert_eq(mcr_cv_coefficient(y, x, 4, &beta, NULL), MCR_OK);
    cr_assert_float_eq(beta, 0.8, 1e-15);
    mcr_cv_estimate e;
    cr_assert_eq(mcr_cv_mean(y, x, 4, 2.0, beta, 0, &e, NULL), MCR_OK);
    cr_assert_float_eq(e.mean, 2.1, 1e-14);
    cr_assert_float_eq(e.se, sqrt(0.6 / 4), 1e-14);
    cr_assert_float_eq(e.plain_mean, 2.5, 1e-15);
    cr_assert_float_eq(e.plain_se, sqrt(5.0 / 12), 1e-14);
    cr_assert_float_eq(e.variance_ratio, 0.6 / (5.0 / 3), 1e-13);
    /* pairs (1,3), (2,4): averages of y - 0.8 x = -0.1, 1.1: se = sd / sqrt(2) = 0.6 */
    cr_assert_eq(mcr_cv_mean(y, x, 4, 2.0, beta, 1, &e, NULL), MCR_OK);
    cr_assert_float_eq(e.se, 0.6, 1e-14);
    cr_assert_eq(e.units, 2);
}

/* The case: Y = (S_T - K)^+, X = S_T, under GBM with r = 0 (S0 100, K 100, sigma 0.3, T 1).
 * E[S_T^m 1{S_T > K}] = S0^m exp(m (m - 1) sigma^2 T / 2) Phi(d2 + m sigma sqrt(T)), so Var(X),
 * Var(Y) and Cov(X, Y) are exact, and so is the variance ratio of any beta:
 * R(beta) = (Var Y - 2 beta Cov + beta^2 Var X) / Var Y (R(beta*) = 1 - rho^2). */
static const double s0 = 100, strike = 100, sigma = 0.3, horizon = 1.0;

static double partial_moment(int m)
{
    double sd = sigma * sqrt(horizon), d2 = (log(s0 / strike) - 0.5 * sd * sd) / sd;
    return pow(s0, m) * exp(0.5 * m * (m - 1) * sd * sd) * mcr_norm_cdf(d2 + m * sd);
}

static double exact_ratio(double beta, double *rho)
{
    mcr_euro call = {MCR_CALL, s0, strike, horizon, 0.0, 0.0};
    double c = mcr_bs_price(&call, sigma), sd = sigma * sqrt(horizon);
    double var_x = s0 * s0 * (exp(sd * sd) - 1.0);
    double ey2 = partial_moment(2) - 2 * strike * partial_moment(1) +
                 strike * strike * partial_moment(0);
    double var_y = ey2 - c * c;
    double cov = partial_moment(2) - strike * partial_moment(1) - s0 * c;
    *rho = cov / sqrt(var_x * var_y);
    return (var_y - 2 * beta * cov + beta * beta * var_x) / var_y;
}

/* n paths of seed (antithetic: path 2k+1 negates path 2k's normal): payoff y and control x. */
static void simulate(uint64_t seed, uint64_t n, int antithetic, double *y, double *x)
{
    double sd = sigma * sqrt(horizon);
    for (uint64_t i = 0; i < n; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(seed, antithetic ? i / 2 : i);
        double z = mcr_norm_quantile(((double)mcr_pcg32_next(&g) + 0.5) * 0x1p-32);
        if (antithetic && i % 2)
            z = -z;
        x[i] = s0 * exp(-0.5 * sd * sd + sd * z);
        y[i] = x[i] > strike ? x[i] - strike : 0.0;
    }
}

/* Main run of 2^17 paths with beta from an independent 2000-path pilot. The measured variance
 * ratio R_hat = s^2(y - beta x) / s^2(y) must be within 4 se of the exact R(beta) for that beta,
 * se(R_hat) from the delta method on the same paths: the influence of path i is
 * ((e_i - e_bar)^2 - R_hat (y_i - y_bar)^2) / s^2(y), e = y - beta x. The estimate must be within
 * 4 se of Black-Scholes, and the reduction real: R(beta) within 0.02 of 1 - rho^2 (the pilot's
 * beta is close to beta*; R is flat there) and below 0.25. */
Test(control_variate, variance_ratio_matches_known_correlation)
{
    enum { n = 1 << 17, pilot = 2000 };
    static double y[n], x[n];
    double beta;
    simulate(41, pilot, 0, y, x);
    cr_assert_eq(mcr_cv_coefficient(y, x, pilot, &beta, NULL), MCR_OK);
    simulate(42, n, 0, y, x);
    mcr_cv_estimate e;
    cr_assert_eq(mcr_cv_mean(y, x, n, s0, beta, 0, &e, NULL), MCR_OK);

    double ym = 0.0, em = 0.0, sy = 0.0, se2 = 0.0;
    for (int i = 0; i < n; i++) {
        ym += y[i] / n;
        em += (y[i] - beta * x[i]) / n;
    }
    for (int i = 0; i < n; i++) {
        sy += (y[i] - ym) * (y[i] - ym) / (n - 1);
        se2 += (y[i] - beta * x[i] - em) * (y[i] - beta * x[i] - em) / (n - 1);
    }
    double r_hat = se2 / sy, psi_m = 0.0, psi_ss = 0.0;
    /* the same ratio summed in another order: y - beta x is about -48 with an sd near 9, so the
     * rounding of the sums shows at ~1e-12 */
    cr_assert_float_eq(r_hat, e.variance_ratio, 1e-9 * r_hat, "%.17g vs %.17g", r_hat,
                       e.variance_ratio);
    for (int i = 0; i < n; i++)
        psi_m += ((y[i] - beta * x[i] - em) * (y[i] - beta * x[i] - em) -
                  r_hat * (y[i] - ym) * (y[i] - ym)) / sy / n;
    for (int i = 0; i < n; i++) {
        double psi = ((y[i] - beta * x[i] - em) * (y[i] - beta * x[i] - em) -
                      r_hat * (y[i] - ym) * (y[i] - ym)) / sy;
        psi_ss += (psi - psi_m) * (psi - psi_m);
    }
    double r_se = sqrt(psi_ss / (n - 1) / n), rho, r_exact = exact_ratio(beta, &rho);
    mcr_euro call = {MCR_CALL, s0, strike, horizon, 0.0, 0.0};
    double price = mcr_bs_price(&call, sigma);
    cr_log_info("beta %.4f, rho %.4f: variance ratio %.4f (se %.4f), exact for this beta %.4f, "
                "1 - rho^2 %.4f; call %.4f: CV %.4f se %.4f, plain %.4f se %.4f",
                beta, rho, r_hat, r_se, r_exact, 1 - rho * rho, price, e.mean, e.se, e.plain_mean,
                e.plain_se);
    cr_assert_leq(fabs(r_hat - r_exact), 4 * r_se);
    cr_assert_leq(fabs(r_exact - (1 - rho * rho)), 0.02);
    cr_assert_leq(r_exact, 0.25);
    cr_assert_leq(fabs(e.mean - price), 4 * e.se, "CV %g vs %g", e.mean, price);
}

/* The se's against the spread of the estimates over 200 seeds of 4096 paths (within 15%: the
 * spread is known to 5% from 200 seeds), plain and with antithetic pairs. With pairs, the se that
 * ignores them (same data, antithetic 0) must fail that same 15% check, so it can tell. (The
 * residual y - beta x is mostly even in the normal, so here the pairs raise the se after the
 * control: antithetic sampling and this control variate do not combine well.) */
Test(control_variate, se_matches_spread_over_seeds)
{
    enum { reps = 200, n = 4096 };
    static double y[n], x[n];
    double beta;
    simulate(77, 2000, 0, y, x);
    mcr_cv_coefficient(y, x, 2000, &beta, NULL);
    for (int anti = 0; anti < 2; anti++) {
        double s = 0.0, s2 = 0.0, se_sum = 0.0, naive_sum = 0.0;
        for (int r = 0; r < reps; r++) {
            simulate(3000 + (uint64_t)r, n, anti, y, x);
            mcr_cv_estimate e, flat;
            mcr_cv_mean(y, x, n, s0, beta, anti, &e, NULL);
            mcr_cv_mean(y, x, n, s0, beta, 0, &flat, NULL);
            s += e.mean;
            s2 += e.mean * e.mean;
            se_sum += e.se;
            naive_sum += flat.se;
        }
        double mean = s / reps, sd = sqrt((s2 - reps * mean * mean) / (reps - 1));
        cr_log_info("antithetic %d: CV se %.4f, spread %.4f, se ignoring pairs %.4f", anti,
                    se_sum / reps, sd, naive_sum / reps);
        cr_assert_leq(fabs(se_sum / reps / sd - 1), 0.15);
        if (anti)
            cr_assert_gt(fabs(naive_sum / reps / sd - 1), 0.15);
    }
}

Test(control_variate, bad_input_fails)
{
    double y[4] = {1, 2, 3, 4}, x[4] = {2, 2, 2, 2}, beta;
    mcr_error err = {0};
    mcr_cv_estimate e;
    cr_assert_eq(mcr_cv_coefficient(y, x, 4, &beta, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "constant") != NULL, "%s", err.msg);
    cr_assert_eq(mcr_cv_mean(y, x, 3, 2.0, 1.0, 1, &e, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "even") != NULL, "%s", err.msg);
    cr_assert_eq(mcr_cv_mean(y, x, 4, 2.0, NAN, 0, &e, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "beta") != NULL, "%s", err.msg);
}
