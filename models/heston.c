/* Heston and Bates: validation, characteristic functions ("little Heston trap") and pricing. */
#include "heston.h"

#include <math.h>
#include <stddef.h>

#include "merton.h"
#include "model.h"
#include "model_keys.h"

mcr_status mcr_heston_check(const mcr_heston *m, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_heston_kind.spec.keys, m, where, err);
}

mcr_status mcr_bates_check(const mcr_bates *m, const char *where, mcr_error *err)
{
    return mcr_keys_check(mcr_bates_kind.spec.keys, m, where, err);
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

/* ---- the heston and bates model kinds (model.h) ---- */

/* The identity "struct" whose member h is the struct itself, so that MCR_HESTON_KEYS can name
 * the variance keys of mcr_heston (h = the whole) and of mcr_bates (h = heston). */
typedef struct heston_as_member {
    mcr_heston h;
} heston_as_member;

static const mcr_key heston_keys[] = {
    MCR_MU_KEY(mcr_heston), MCR_HESTON_KEYS(heston_as_member, h), MCR_KEY_END};

static const mcr_key bates_keys[] = {
    MCR_KEY_F("mu", mcr_bates, heston.mu, MCR_RANGE_CLOSED, -10, 10, 0, "per year",
              "expected return, E[S_T] = S0 exp(mu T), jumps compensated (market.rate gives "
              "risk-neutral paths)"),
    MCR_HESTON_KEYS(mcr_bates, heston), MCR_JUMP_KEYS(mcr_bates), MCR_KEY_END};

/* Heston's expected variance averaged over [0, t]: theta + (v0 - theta)(1 - e^{-kappa t})/(kappa t)
 * (E[v_s] = theta + (v0 - theta) e^{-kappa s}, integrated). */
static double heston_mean_variance(const mcr_heston *h, double t)
{
    double kt = h->kappa * t;
    double decay = kt > 1e-12 ? -expm1(-kt) / kt : 1.0;
    return h->theta + (h->v0 - h->theta) * decay;
}

static double heston_total_variance(const void *p, double t) { return heston_mean_variance(p, t); }

static double bates_total_variance(const void *p, double t)
{
    const mcr_bates *b = p;
    return heston_mean_variance(&b->heston, t) +
           b->jump_intensity * (b->jump_mean * b->jump_mean + b->jump_std * b->jump_std);
}

static void heston_scale_vol(void *p, double k)
{
    mcr_heston *h = p;
    h->v0 *= k * k;
    h->theta *= k * k;
    h->xi *= k;
}

static void bates_scale_jumps(void *p, double k) { ((mcr_bates *)p)->jump_intensity *= k; }
static mcr_cf_model heston_cf(const void *p) { return mcr_heston_cf_model(p); }
static mcr_cf_model bates_cf(const void *p) { return mcr_bates_cf_model(p); }
static double heston_price(const void *p, const mcr_euro *o) { return mcr_heston_price(p, o); }
static double bates_price(const void *p, const mcr_euro *o) { return mcr_bates_price(p, o); }

const mcr_model_kind mcr_heston_kind = {
    .spec = {.name = "heston", .help = "Heston (1993) stochastic volatility (QE discretisation)",
             .keys = heston_keys, .params_size = sizeof(mcr_heston)},
    .total_variance = heston_total_variance,
    .scale_vol = heston_scale_vol,
    .cf = heston_cf,
    .price = heston_price,
};

/* Bates' struct starts with its Heston part, so Heston's volatility scaling applies as is. */
const mcr_model_kind mcr_bates_kind = {
    .spec = {.name = "bates",
             .help = "Bates (1996): Heston stochastic volatility plus Merton's lognormal jumps",
             .keys = bates_keys, .params_size = sizeof(mcr_bates)},
    .total_variance = bates_total_variance,
    .scale_vol = heston_scale_vol,
    .scale_jumps = bates_scale_jumps,
    .cf = bates_cf,
    .price = bates_price,
};
