/* GBM maximum likelihood in closed form (fit_gbm.h). Two passes (mean, then squared deviations)
 * keep the variance accurate to rounding. */
#include "fit_gbm.h"

#include <math.h>
#include <string.h>

const char *const mcr_fit_gbm_names[2] = {"mu", "sigma"};

double mcr_fit_gbm_nll(const double *r, int n, double m, double s)
{
    double q = 0.0;
    for (int i = 0; i < n; i++)
        q += (r[i] - m) * (r[i] - m);
    return 0.5 * n * log(2.0 * M_PI * s * s) + 0.5 * q / (s * s);
}

mcr_status mcr_fit_gbm(const double *r, int n, double dt, mcr_fit_result *res, mcr_error *err)
{
    memset(res, 0, sizeof *res);
    if (!(dt > 0))
        return mcr_fail(err, MCR_ERR_INPUT, "gbm fit: dt must be > 0 (got %g)", dt);
    double m, s;
    mcr_status st = mcr_fit_moments("gbm", r, n, 2, &m, &s, err);
    if (st != MCR_OK)
        return st;
    res->n_par = 2;
    res->n_obs = n;
    res->names = mcr_fit_gbm_names;
    res->theta[0] = m;
    res->theta[1] = s;
    res->x[1] = s / sqrt(dt);
    res->x[0] = m / dt + 0.5 * res->x[1] * res->x[1];
    double var_m = s * s / n, var_s = s * s / (2.0 * n);
    double dmu_dm = 1.0 / dt, dmu_ds = s / dt, dsig_ds = 1.0 / sqrt(dt);
    res->cov[0] = dmu_dm * dmu_dm * var_m + dmu_ds * dmu_ds * var_s;
    res->cov[1] = res->cov[2] = dmu_ds * dsig_ds * var_s;
    res->cov[3] = dsig_ds * dsig_ds * var_s;
    res->se[0] = sqrt(res->cov[0]);
    res->se[1] = sqrt(res->cov[3]);
    res->has_se = true;
    res->loglik = -0.5 * n * (log(2.0 * M_PI * s * s) + 1.0);
    mcr_fit_criteria(res);
    return MCR_OK;
}
