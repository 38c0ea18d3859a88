/* Heston and Bates: validation, characteristic functions ("little Heston trap") and pricing. */
#include "heston.h"

#include <math.h>
#include <stddef.h>

#include "merton.h"
#include "param_check.h"

mcr_status mcr_heston_check(const mcr_heston *m, const char *where, mcr_error *err)
{
    const mcr_param p[] = {
        {"mu", m->mu, -10.0, 10.0, false},
        {"v0", m->v0, 0.0, INFINITY, false},
        {"kappa", m->kappa, 0.0, INFINITY, true},
        {"theta", m->theta, 0.0, INFINITY, true},
        {"xi", m->xi, 0.0, INFINITY, true},
        {"rho", m->rho, -1.0, 1.0, false},
    };
    return mcr_params_check(p, sizeof p / sizeof p[0], where, err);
}

mcr_status mcr_bates_check(const mcr_bates *m, const char *where, mcr_error *err)
{
    mcr_status s = mcr_heston_check(&m->heston, where, err);
    if (s != MCR_OK)
        return s;
    return mcr_merton_jumps_check(m->jump_intensity, m->jump_mean, m->jump_std, where, err);
}

double mcr_bates_compensator(const mcr_bates *m)
{
    return mcr_merton_jump_compensator(m->jump_mean, m->jump_std);
}

/* ln(1 + z) with full relative accuracy for small |z|. */
static double complex clog1p(double complex z)
{
    double x = creal(z), y = cimag(z);
    return 0.5 * log1p(2.0 * x + x * x + y * y) + I * atan2(y, 1.0 + x);
}

/* With a = kappa - rho xi iu, w = iu + u^2 and d^2 = a^2 + xi^2 w, the factors a - d and a + d
 * have the product -xi^2 w: the larger one is computed directly and the other from the product,
 * so neither loses digits to cancellation (xi -> 0, or Re a < 0 when rho xi > 2 kappa). Then
 * (a - d) / xi^2 = -w / (a + d) and ln((1 - g e)/(1 - g)) = ln(1 + g (1 - e)/(1 - g)). */
double complex mcr_heston_cf(const mcr_heston *m, double drift, double t, double complex u)
{
    double kappa = m->kappa, xi = m->xi, rho = m->rho, xi2 = xi * xi;
    double complex iu = I * u, w = iu + u * u;
    double complex a = kappa - rho * xi * iu;
    /* d^2 expanded: kappa^2 + iu xi (xi - 2 kappa rho) + xi^2 (1 - rho^2) u^2 */
    double complex d2 = kappa * kappa + iu * xi * (xi - 2.0 * kappa * rho)
                        + xi2 * (1.0 - rho) * (1.0 + rho) * u * u;
    double complex d = csqrt(d2);
    double complex minus = a - d, plus = a + d, minus_xi2;
    if (cabs(plus) >= cabs(minus)) {
        minus_xi2 = -w / plus;
        minus = xi2 * minus_xi2;
    } else {
        minus_xi2 = minus / xi2;
        plus = -xi2 * w / minus;
    }
    double complex g = minus / plus, e = cexp(-d * t);
    double complex big_d = minus_xi2 * (1.0 - e) / (1.0 - g * e);
    double complex big_c = kappa * m->theta
                           * (minus_xi2 * t - 2.0 * clog1p(g * (1.0 - e) / (1.0 - g)) / xi2);
    return cexp(iu * drift * t + big_c + big_d * m->v0);
}

double complex mcr_bates_cf(const mcr_bates *m, double drift, double t, double complex u)
{
    double lk = m->jump_intensity * mcr_bates_compensator(m);
    double complex jumps =
        mcr_merton_jump_exponent(m->jump_intensity, m->jump_mean, m->jump_std, u);
    return mcr_heston_cf(&m->heston, drift - lk, t, u) * cexp(t * jumps);
}

static double complex heston_cf_erased(const void *ctx, double drift, double t, double complex u)
{
    return mcr_heston_cf(ctx, drift, t, u);
}

static double complex bates_cf_erased(const void *ctx, double drift, double t, double complex u)
{
    return mcr_bates_cf(ctx, drift, t, u);
}

mcr_cf_model mcr_heston_cf_model(const mcr_heston *m)
{
    return (mcr_cf_model){heston_cf_erased, m};
}

mcr_cf_model mcr_bates_cf_model(const mcr_bates *m) { return (mcr_cf_model){bates_cf_erased, m}; }

double mcr_heston_log_mean(const mcr_heston *m, double drift, double t)
{
    double mean_var = m->theta * t - (m->v0 - m->theta) * expm1(-m->kappa * t) / m->kappa;
    return drift * t - 0.5 * mean_var;
}

double mcr_heston_price(const mcr_heston *m, const mcr_euro *o)
{
    return mcr_cf_price(mcr_heston_cf_model(m), o, NULL);
}

double mcr_bates_price(const mcr_bates *m, const mcr_euro *o)
{
    return mcr_cf_price(mcr_bates_cf_model(m), o, NULL);
}
