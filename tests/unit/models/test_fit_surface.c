/* The implied-vol surface fit: exact recovery from a noise-free chain, the OLS estimates and
 * standard errors against normal equations solved here, the smile >= 0 and calendar-arbitrage
 * rules, and the illustrative chain in data/. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "core/data_file.h"
#include "models/fit_surface.h"

static const double days4[4] = {7, 30, 90, 180}, atm4[4] = {0.62, 0.58, 0.56, 0.55};

/* Quotes at strikes 40k..90k for each expiry, vol from the surface plus noise(k). */
static int chain(mcr_option_quote *q, int E, const double *days, const double *atm, double skew,
                 double smile, double noise_amp)
{
    int n = 0;
    for (int e = 0; e < E; e++)
        for (double K = 40000; K <= 90000; K += 5000) {
            double t = days[e] / 365, x = log(K / (60000 * exp(0.03 * t))) / sqrt(t);
            double v = atm[e] + skew * x + smile * x * x + noise_amp * sin(3.7 * n + 1.1);
            q[n++] = (mcr_option_quote){K, days[e], v};
        }
    return n;
}

Test(fit_surface, exact_chain_recovered)
{
    mcr_option_quote q[64];
    int n = chain(q, 4, days4, atm4, -0.08, 0.03, 0.0);
    mcr_surface_fit f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_vol_surface(q, n, 60000, 0.03, &f, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(f.surface.n_term, 4);
    for (int e = 0; e < 4; e++)
        cr_assert(fabs(f.surface.term[e].atm - atm4[e]) < 1e-12 && f.surface.term[e].days == days4[e]);
    cr_assert(fabs(f.surface.skew + 0.08) < 1e-12 && fabs(f.surface.smile - 0.03) < 1e-12);
    cr_assert(f.rmse < 1e-13);
    /* and the fitted surface prices back the quotes through vol_surface.h */
    for (int i = 0; i < n; i++) {
        double t = q[i].days / 365;
        double v = mcr_vol_surface_vol(&f.surface, q[i].strike, 60000 * exp(0.03 * t), t);
        cr_assert(fabs(v - q[i].vol) < 1e-12, "quote %d", i);
    }
}

/* One expiry: a quadratic regression v = a + b x + c x^2; solve the normal equations by
 * Cramer's rule and compare estimates and s^2 (X'X)^-1 standard errors. */
Test(fit_surface, ols_against_normal_equations)
{
    mcr_option_quote q[16] = {{0}};
    double atm = 0.6;
    int n = chain(q, 1, &days4[1], &atm, -0.1, 0.02, 0.01);
    double S[5] = {0}, T[3] = {0}; /* sums of x^k, k = 0..4, and of v x^k, k = 0..2 */
    double xs[16];
    for (int i = 0; i < n; i++) {
        double t = q[i].days / 365, x = log(q[i].strike / (60000 * exp(0.03 * t))) / sqrt(t);
        xs[i] = x;
        for (int k = 0; k < 5; k++)
            S[k] += pow(x, k);
        for (int k = 0; k < 3; k++)
            T[k] += q[i].vol * pow(x, k);
    }
    double A[3][3] = {{S[0], S[1], S[2]}, {S[1], S[2], S[3]}, {S[2], S[3], S[4]}};
    double det = A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1]) -
                 A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0]) +
                 A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0]);
    double beta[3];
    for (int c = 0; c < 3; c++) {
        double M[3][3];
        memcpy(M, A, sizeof M);
        for (int r = 0; r < 3; r++)
            M[r][c] = T[r];
        beta[c] = (M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) -
                   M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) +
                   M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0])) / det;
    }
    double rss = 0;
    for (int i = 0; i < n; i++) {
        double r = q[i].vol - beta[0] - beta[1] * xs[i] - beta[2] * xs[i] * xs[i];
        rss += r * r;
    }
    double s2 = rss / (n - 3);
    /* diagonal of A^-1: cofactors over det */
    double inv[3] = {(A[1][1] * A[2][2] - A[1][2] * A[2][1]) / det,
                     (A[0][0] * A[2][2] - A[0][2] * A[2][0]) / det,
                     (A[0][0] * A[1][1] - A[0][1] * A[1][0]) / det};
    mcr_surface_fit f;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_vol_surface(q, n, 60000, 0.03, &f, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(f.surface.n_term, 0);
    cr_assert(fabs(f.surface.atm - beta[0]) < 1e-10 && fabs(f.surface.skew - beta[1]) < 1e-10 &&
              fabs(f.surface.smile - beta[2]) < 1e-10);
    cr_assert(fabs(f.se_atm[0] / sqrt(s2 * inv[0]) - 1) < 1e-8, "%g vs %g", f.se_atm[0],
              sqrt(s2 * inv[0]));
    cr_assert(fabs(f.se_skew / sqrt(s2 * inv[1]) - 1) < 1e-8);
    cr_assert(fabs(f.se_smile / sqrt(s2 * inv[2]) - 1) < 1e-8);
    cr_assert(fabs(f.rmse - sqrt(rss / n)) < 1e-12);
}

Test(fit_surface, rules)
{
    mcr_option_quote q[64];
    mcr_surface_fit f;
    mcr_error err = {0};
    /* a frown: the smile is held at 0 */
    double atm = 0.6;
    int n = chain(q, 1, &days4[1], &atm, -0.05, -0.02, 0.0);
    cr_assert_eq(mcr_fit_vol_surface(q, n, 60000, 0.03, &f, &err), MCR_OK, "%s", err.msg);
    cr_assert(f.smile_at_zero && f.surface.smile == 0.0 && f.se_smile == 0.0);
    /* ATM total variance falling from 30 to 90 days */
    const double bad_atm[4] = {0.62, 0.80, 0.40, 0.45};
    n = chain(q, 4, days4, bad_atm, -0.08, 0.03, 0.0);
    cr_assert_eq(mcr_fit_vol_surface(q, n, 60000, 0.03, &f, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "falls from 30 to 90 days") != NULL, "%s", err.msg);
    /* too few quotes; one strike per expiry cannot separate atm from skew and smile */
    cr_assert_eq(mcr_fit_vol_surface(q, 3, 60000, 0.03, &f, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "3 quotes over 1 expiries; at least 4") != NULL, "%s", err.msg);
    mcr_option_quote one[5] = {{60000, 30, 0.6}, {60000, 30, 0.61}, {60000, 30, 0.59},
                               {60000, 90, 0.6}, {60000, 90, 0.6}};
    cr_assert_eq(mcr_fit_vol_surface(one, 5, 60000, 0.03, &f, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "does not determine") != NULL, "%s", err.msg);
    one[0].vol = 11;
    cr_assert_eq(mcr_fit_vol_surface(one, 5, 60000, 0.03, &f, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "quote 1") != NULL, "%s", err.msg);
}

/* data/btc_option_chain_example.csv: made from atm 0.62/0.58/0.56/0.55, skew -0.08, smile 0.03
 * plus a wiggle of at most 0.004; each estimate within 3 standard errors. */
Test(fit_surface, example_chain)
{
    mcr_data_file d;
    mcr_error err = {0};
    const char *cols[3] = {"strike", "expiry_days", "implied_vol"};
    cr_assert_eq(mcr_table_load(MCR_SOURCE_DIR "/data/btc_option_chain_example.csv", cols, 3, &d,
                                &err), MCR_OK, "%s", err.msg);
    mcr_option_quote q[64];
    cr_assert(d.n_rows <= 64);
    for (int i = 0; i < d.n_rows; i++)
        q[i] = (mcr_option_quote){d.col[0][i], d.col[1][i], d.col[2][i]};
    mcr_surface_fit f;
    cr_assert_eq(mcr_fit_vol_surface(q, d.n_rows, 60000, 0.03, &f, &err), MCR_OK, "%s", err.msg);
    for (int e = 0; e < 4; e++)
        cr_assert(fabs(f.surface.term[e].atm - atm4[e]) <= 3 * f.se_atm[e], "atm %d", e);
    cr_assert(fabs(f.surface.skew + 0.08) <= 3 * f.se_skew);
    cr_assert(fabs(f.surface.smile - 0.03) <= 3 * f.se_smile);
    cr_assert(f.rmse < 0.004 && f.se_skew < 0.002);
    mcr_data_file_free(&d);
}
