/* Least-squares fit of the implied-vol surface (fit_surface.h). */
#include "fit_surface.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_days(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One OLS solve with `k` = E + 1 (smile held at 0) or E + 2 columns. */
static mcr_status solve(const mcr_option_quote *q, int n, const double *days, int E,
                        double spot, double rate, int k, double *beta, double *se, double *rmse,
                        mcr_error *err)
{
    gsl_matrix *X = gsl_matrix_calloc((size_t)n, (size_t)k), *cov = gsl_matrix_alloc((size_t)k,
                                                                                   (size_t)k);
    gsl_vector *y = gsl_vector_alloc((size_t)n), *c = gsl_vector_alloc((size_t)k);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc((size_t)n, (size_t)k);
    mcr_status st = MCR_OK;
    if (!X || !cov || !y || !c || !w) {
        st = mcr_fail(err, MCR_ERR_NOMEM, "surface fit: out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        double t = q[i].days / MCR_VOL_DAYS_PER_YEAR;
        double x = log(q[i].strike / (spot * exp(rate * t))) / sqrt(t);
        int e = 0;
        while (days[e] != q[i].days)
            e++;
        gsl_matrix_set(X, (size_t)i, (size_t)e, 1.0);
        gsl_matrix_set(X, (size_t)i, (size_t)E, x);
        if (k == E + 2)
            gsl_matrix_set(X, (size_t)i, (size_t)E + 1, x * x);
        gsl_vector_set(y, (size_t)i, q[i].vol);
    }
    double chisq;
    size_t rank;
    gsl_multifit_linear_tsvd(X, y, 1e-12, c, cov, &chisq, &rank, w);
    if ((int)rank < k) {
        st = mcr_fail(err, MCR_ERR_INPUT, "surface fit: the chain does not determine the surface "
                      "(each expiry needs quotes at 2 or more strikes, and 3 distinct "
                      "moneyness values overall)");
        goto done;
    }
    /* GSL returns cov = s^2 (X'X)^-1 already, s^2 = chisq / (n - k) */
    for (int j = 0; j < k; j++) {
        beta[j] = gsl_vector_get(c, (size_t)j);
        se[j] = n > k ? sqrt(gsl_matrix_get(cov, (size_t)j, (size_t)j)) : 0.0;
    }
    *rmse = sqrt(chisq / n);
done:
    gsl_multifit_linear_free(w);
    gsl_vector_free(c);
    gsl_vector_free(y);
    gsl_matrix_free(cov);
    gsl_matrix_free(X);
    return st;
}

mcr_status mcr_fit_vol_surface(const mcr_option_quote *q, int n, double spot, double rate,
                               mcr_surface_fit *out, mcr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(spot > 0) || !isfinite(rate))
        return mcr_fail(err, MCR_ERR_INPUT, "surface fit: spot must be > 0 and rate finite");
    double days[MCR_VOL_TERM_MAX];
    int E = 0;
    for (int i = 0; i < n; i++) {
        if (!(q[i].strike > 0 && q[i].days > 0 && q[i].vol > 0 && q[i].vol <= 10))
            return mcr_fail(err, MCR_ERR_INPUT, "surface fit: quote %d: strike and days must be "
                            "> 0 and implied_vol in (0, 10]", i + 1);
        int e = 0;
        while (e < E && days[e] != q[i].days)
            e++;
        if (e == E) {
            if (E == MCR_VOL_TERM_MAX)
                return mcr_fail(err, MCR_ERR_INPUT, "surface fit: more than %d expiries",
                                MCR_VOL_TERM_MAX);
            days[E++] = q[i].days;
        }
    }
    if (n < E + 3)
        return mcr_fail(err, MCR_ERR_INPUT, "surface fit: %d quotes over %d expiries; at least "
                        "%d are needed", n, E, E + 3);
    qsort(days, (size_t)E, sizeof *days, by_days);
    double beta[MCR_VOL_TERM_MAX + 2], se[MCR_VOL_TERM_MAX + 2];
    mcr_status st = solve(q, n, days, E, spot, rate, E + 2, beta, se, &out->rmse, err);
    if (st != MCR_OK)
        return st;
    if (beta[E + 1] < 0) { /* the config allows smile >= 0 only */
        out->smile_at_zero = true;
        st = solve(q, n, days, E, spot, rate, E + 1, beta, se, &out->rmse, err);
        if (st != MCR_OK)
            return st;
        beta[E + 1] = se[E + 1] = 0.0;
    }
    mcr_vol_surface *s = &out->surface;
    s->skew = beta[E];
    s->smile = beta[E + 1];
    out->se_skew = se[E];
    out->se_smile = se[E + 1];
    out->n_quotes = n;
    out->n_expiries = E;
    if (E == 1) {
        s->atm = beta[0];
        out->se_atm[0] = se[0];
    } else {
        s->n_term = E;
        for (int e = 0; e < E; e++) {
            s->term[e] = (mcr_vol_point){.days = days[e], .atm = beta[e]};
            out->se_atm[e] = se[e];
        }
    }
    for (int e = 1; e < E; e++)
        if (beta[e] * beta[e] * days[e] < beta[e - 1] * beta[e - 1] * days[e - 1])
            return mcr_fail(err, MCR_ERR_INPUT, "surface fit: the fitted ATM total variance "
                            "falls from %g to %g days (atm %.4g then %.4g): calendar arbitrage "
                            "in the chain", days[e - 1], days[e], beta[e - 1], beta[e]);
    return mcr_vol_surface_check(s, "surface fit", err);
}
