/* Suite `distribution`: the distribution of S_T from the characteristic function
 * (models/distribution.h) against closed forms computed here independently: lognormal (GBM),
 * the Poisson mixture of lognormals (Merton, Bates with xi -> 0), the Poisson mixture of normals
 * shifted by gamma-distributed jump sums (Kou with one-sided jumps), the second moment from the
 * Riccati ODEs (Heston, Bates) or the Levy exponent (Kou); and invariants for every model:
 * monotone cdf, cdf(quantile(p)) = p, the call price identity with the Lewis pricer, partial
 * mean -> mean and -> 0. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>

#include "models/distribution.h"
#include "models/normal.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static double rel_err(double got, double want) { return fabs(got - want) / fabs(want); }

#define EXPECT_REL(got, want, tol, what)                                                       \
    cr_expect(rel_err((got), (want)) <= (tol), "%s: got %.17g, want %.17g (rel err %.2e)",    \
              (what), (got), (want), rel_err((got), (want)))

static mcr_model gbm(double mu, double sigma)
{
    return (mcr_model){.type = MCR_MODEL_GBM, .gbm = {mu, sigma}};
}

static mcr_model merton(double mu, double sigma, double lambda, double nu, double delta)
{
    return (mcr_model){.type = MCR_MODEL_MERTON, .merton = {mu, sigma, lambda, nu, delta}};
}

static mcr_model kou(double mu, double sigma, double lambda, double p, double eta1, double eta2)
{
    return (mcr_model){.type = MCR_MODEL_KOU, .kou = {mu, sigma, lambda, p, eta1, eta2}};
}

static mcr_model heston(double mu, double v0, double kappa, double theta, double xi, double rho)
{
    return (mcr_model){.type = MCR_MODEL_HESTON, .heston = {mu, v0, kappa, theta, xi, rho}};
}

static mcr_model bates(mcr_heston h, double lambda, double nu, double delta)
{
    return (mcr_model){.type = MCR_MODEL_BATES, .bates = {h, lambda, nu, delta}};
}

/* ------------------------------------------------------------------------------------------ */
/* Mixtures of normals for X = ln(S_T/S0): weights w_n, means m_n, standard deviations s_n.
 * cdf = sum w Phi((y - m)/s); E[e^X 1{X <= y}] = sum w e^{m + s^2/2} Phi((y - m)/s - s). */

#define MIX_MAX 400

typedef struct mixture {
    int n;
    double w[MIX_MAX], m[MIX_MAX], s[MIX_MAX];
} mixture;

/* Merton: given n jumps, X ~ N((mu - sigma^2/2 - lambda k) t + n nu, sigma^2 t + n delta^2),
 * n ~ Poisson(lambda t). `diffusion_var` replaces sigma^2 t (Bates with xi = 0 uses the
 * integrated variance of the deterministic v(t)). */
static mixture merton_mixture(double mu, double diffusion_var, double lambda, double nu,
                              double delta, double t)
{
    mixture x = {0};
    double k = exp(nu + 0.5 * delta * delta) - 1.0, lt = lambda * t;
    double log_w = -lt;
    int last = (int)(lt + 20.0 * sqrt(lt) + 40.0);
    cr_assert(last < MIX_MAX);
    for (int n = 0; n <= last; n++) {
        if (n > 0)
            log_w += log(lt) - log((double)n);
        x.w[n] = exp(log_w);
        x.m[n] = mu * t - 0.5 * diffusion_var - lambda * k * t + n * nu;
        x.s[n] = sqrt(diffusion_var + n * delta * delta);
    }
    x.n = last + 1;
    return x;
}

static double mix_cdf(const mixture *x, double y)
{
    double f = 0.0;
    for (int i = 0; i < x->n; i++)
        f += x->w[i] * mcr_norm_cdf((y - x->m[i]) / x->s[i]);
    return f;
}

static double mix_partial(const mixture *x, double y)
{
    double f = 0.0;
    for (int i = 0; i < x->n; i++)
        f += x->w[i] * exp(x->m[i] + 0.5 * x->s[i] * x->s[i])
             * mcr_norm_cdf((y - x->m[i]) / x->s[i] - x->s[i]);
    return f;
}

static double mix_second_moment(const mixture *x)
{
    double f = 0.0;
    for (int i = 0; i < x->n; i++)
        f += x->w[i] * exp(2.0 * x->m[i] + 2.0 * x->s[i] * x->s[i]);
    return f;
}

/* Bisection to the last bit: the oracle must not share Newton or quadrature with the code. */
static double mix_quantile(const mixture *x, double p)
{
    double lo = -50.0, hi = 50.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * fmax(1.0, fabs(lo)); i++) {
        double mid = 0.5 * (lo + hi);
        if (mix_cdf(x, mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Checks every figure of `m` against the mixture `x` of its log return at s0 = 100. */
static void check_against_mixture(const mcr_model *m, const mixture *x, double t, double tol)
{
    const double s0 = 100.0;
    double mean = mcr_model_terminal_mean(m, s0, t);
    EXPECT_REL(mean, s0 * mix_partial(x, 1e3), 1e-13, "mean");
    double var_exact = s0 * s0 * mix_second_moment(x) - mean * mean;
    EXPECT_REL(mcr_model_terminal_variance(m, s0, t), var_exact, tol, "variance");

    const double ps[] = {1e-4, 1e-3, 0.01, 0.05, 0.3, 0.5, 0.9, 0.99, 0.999};
    for (int i = 0; i < N_OF(ps); i++) {
        double y = mix_quantile(x, ps[i]), q = s0 * exp(y);
        EXPECT_REL(mcr_model_terminal_quantile(m, s0, t, ps[i]), q, tol, "quantile");
        double cdf = mcr_model_terminal_cdf(m, s0, t, q);
        double want = mix_cdf(x, y);
        cr_expect(fabs(cdf - want) <= tol * fmin(want, 1.0 - want) + 1e-15,
                  "cdf at p %g: %.17g vs %.17g", ps[i], cdf, want);
        EXPECT_REL(mcr_model_terminal_partial_mean(m, s0, t, q), s0 * mix_partial(x, y), tol,
                   "partial mean");
    }
    const double levels[] = {0.95, 0.99, 0.999};
    for (int i = 0; i < N_OF(levels); i++) {
        double p = 1.0 - levels[i], y = mix_quantile(x, p);
        EXPECT_REL(mcr_model_var_long(m, s0, t, levels[i]), s0 - s0 * exp(y), tol, "VaR");
        EXPECT_REL(mcr_model_cvar_long(m, s0, t, levels[i]), s0 - s0 * mix_partial(x, y) / p,
                   tol, "CVaR");
    }
}

/* ------------------------------------------------------------------------------------------ */

Test(distribution, gbm_against_lognormal_closed_forms)
{
    const struct {
        double mu, sigma, t;
    } cases[] = {
        {0.0, 0.8, 1.0},           /* W1 */
        {0.05, 0.2, 1.0 / 365},    /* one day */
        {0.1, 0.05, 1.0 / 8760},   /* one hour, sigma sqrt(t) = 5e-4 */
        {-0.3, 1.5, 2.0},          /* wide */
    };
    const double s0 = 100.0;
    for (int c = 0; c < N_OF(cases); c++) {
        mcr_model m = gbm(cases[c].mu, cases[c].sigma);
        double t = cases[c].t, sd = cases[c].sigma * sqrt(t);
        double mlog = (cases[c].mu - 0.5 * cases[c].sigma * cases[c].sigma) * t;
        EXPECT_REL(mcr_model_terminal_mean(&m, s0, t), mcr_gbm_mean(&m.gbm, s0, t), 1e-15,
                   "mean");
        /* Var S_T = mean^2 (phi(-2i) - 1) loses log10(1/Var X) digits (distribution.h). */
        EXPECT_REL(mcr_model_terminal_variance(&m, s0, t), mcr_gbm_variance(&m.gbm, s0, t),
                   fmax(1e-10, 4.0 * DBL_EPSILON / (sd * sd)), "variance");
        const double ps[] = {1e-5, 1e-3, 0.01, 0.25, 0.5, 0.75, 0.99, 0.99999};
        for (int i = 0; i < N_OF(ps); i++) {
            double q = mcr_gbm_quantile(&m.gbm, s0, t, ps[i]);
            EXPECT_REL(mcr_model_terminal_quantile(&m, s0, t, ps[i]), q, 1e-10, "quantile");
            double z = (log(q / s0) - mlog) / sd;
            double cdf = mcr_model_terminal_cdf(&m, s0, t, q), want = mcr_norm_cdf(z);
            cr_expect(fabs(cdf - want) <= 1e-10 * fmin(want, 1.0 - want) + 1e-15,
                      "cdf at p %g: %.17g vs %.17g", ps[i], cdf, want);
            EXPECT_REL(mcr_model_terminal_partial_mean(&m, s0, t, q),
                       mcr_gbm_mean(&m.gbm, s0, t) * mcr_norm_cdf(z - sd), 1e-10, "partial");
        }
        const double levels[] = {0.95, 0.99, 0.999};
        for (int i = 0; i < N_OF(levels); i++) {
            EXPECT_REL(mcr_model_var_long(&m, s0, t, levels[i]),
                       mcr_gbm_var_long(&m.gbm, s0, t, levels[i]), 1e-10, "VaR");
            EXPECT_REL(mcr_model_cvar_long(&m, s0, t, levels[i]),
                       mcr_gbm_cvar_long(&m.gbm, s0, t, levels[i]), 1e-10, "CVaR");
        }
    }
}

/* W2 (docs/DESIGN.md) and Merton cases from one day to a bimodal crash model. */
Test(distribution, merton_against_poisson_mixture)
{
    const struct {
        double mu, sigma, lambda, nu, delta, t;
    } cases[] = {
        {0.0, 0.6, 10.0, -0.05, 0.1, 1.0},        /* W2 */
        {0.0, 0.6, 10.0, -0.05, 0.1, 1.0 / 365},  /* W2 over one day */
        {0.0, 0.05, 0.5, -0.5, 0.05, 1.0},        /* rare crashes: bimodal */
        {0.2, 0.3, 2.0, 0.1, 0.3, 0.5},           /* upward jumps, mu != 0 */
        {-0.1, 0.4, 100.0, -0.01, 0.02, 0.25},    /* many small jumps */
    };
    for (int c = 0; c < N_OF(cases); c++) {
        mcr_model m = merton(cases[c].mu, cases[c].sigma, cases[c].lambda, cases[c].nu,
                             cases[c].delta);
        double t = cases[c].t;
        mixture x = merton_mixture(cases[c].mu, cases[c].sigma * cases[c].sigma * t,
                                   cases[c].lambda, cases[c].nu, cases[c].delta, t);
        check_against_mixture(&m, &x, t, 1e-9);
    }
}

/* With xi -> 0 the variance follows v' = kappa (theta - v), so Bates is Merton with the
 * diffusion variance V = theta t + (v0 - theta)(1 - e^{-kappa t}) / kappa; rho = 0 leaves an
 * O(xi^2) difference in the distribution (the variance of the integrated variance), far below
 * the tolerance at xi = 1e-6. Heston is the case lambda = 0. */
Test(distribution, heston_and_bates_deterministic_variance_limit)
{
    const mcr_heston h = {0.05, 0.3, 2.0, 0.5, 1e-6, 0.0};
    const double t = 0.75;
    double v = h.theta * t - (h.v0 - h.theta) * expm1(-h.kappa * t) / h.kappa;
    mcr_model hm = heston(h.mu, h.v0, h.kappa, h.theta, h.xi, h.rho);
    mixture lognormal = merton_mixture(h.mu, v, 0.0, 0.0, 0.0, t);
    check_against_mixture(&hm, &lognormal, t, 1e-9);
    mcr_model bm = bates(h, 4.0, -0.08, 0.15);
    mixture x = merton_mixture(h.mu, v, 4.0, -0.08, 0.15, t);
    check_against_mixture(&bm, &x, t, 1e-9);
}

/* ------------------------------------------------------------------------------------------ */
/* Kou with one-sided jumps: X = m0 + s Z + e G_n, G_n ~ Gamma(n, eta) the sum of n jumps,
 * n ~ Poisson(lambda t), e = +1 (p_up = 1) or -1 (p_up = 0), m0 = (mu - sigma^2/2 - lambda
 * zeta) t. Given G = g, X is normal, so the cdf and partial mean are gamma-weighted integrals of
 * the normal ones. */

typedef struct kou_term {
    double y, m0, s, e, eta, log_norm;
    int n;
    bool partial;
} kou_term;

static double kou_term_integrand(double g, void *ctx)
{
    const kou_term *k = ctx;
    double mean = k->m0 + k->e * g;
    double log_density = k->log_norm + (k->n - 1) * log(g) - k->eta * g;
    if (!k->partial)
        return exp(log_density) * mcr_norm_cdf((k->y - mean) / k->s);
    return exp(log_density + mean + 0.5 * k->s * k->s)
           * mcr_norm_cdf((k->y - mean) / k->s - k->s);
}

/* P(X <= y) (partial = false) or E[e^X 1{X <= y}]. */
static double kou_one_sided(const mcr_kou *p, double t, double y, bool partial)
{
    bool up = p->p_up == 1.0;
    double eta = up ? p->eta_up : p->eta_down;
    double zeta = up ? 1.0 / (eta - 1.0) : -1.0 / (eta + 1.0);
    double lt = p->jump_intensity * t, s = p->sigma * sqrt(t);
    kou_term k = {y, (p->mu - 0.5 * p->sigma * p->sigma - p->jump_intensity * zeta) * t, s,
                  up ? 1.0 : -1.0, eta, 0.0, 0, partial};
    double sum = 0.0, log_w = -lt, log_fact = 0.0;
    int last = (int)(lt + 20.0 * sqrt(lt) + 40.0);
    for (int n = 0; n <= last; n++) {
        if (n > 0) {
            log_w += log(lt) - log((double)n);
            log_fact += n > 1 ? log((double)(n - 1)) : 0.0;
        }
        double term;
        if (n == 0) {
            term = partial ? exp(k.m0 + 0.5 * s * s) * mcr_norm_cdf((y - k.m0) / s - s)
                           : mcr_norm_cdf((y - k.m0) / s);
        } else {
            k.n = n;
            k.log_norm = n * log(eta) - log_fact; /* eta^n / (n - 1)! */
            mcr_quad q = mcr_quad_semi_infinite(kou_term_integrand, &k, n / eta, 1e-16, 1e-13);
            cr_assert(q.converged, "oracle quadrature n = %d: %g +- %g", n, q.value, q.abs_err);
            term = q.value;
        }
        sum += exp(log_w) * term;
    }
    return sum;
}

Test(distribution, kou_one_sided_against_gamma_mixture)
{
    const struct {
        mcr_kou p;
        double t;
    } cases[] = {
        {{0.1, 0.4, 3.0, 0.0, 5.0, 8.0}, 1.0},     /* crashes only */
        {{0.0, 0.3, 2.0, 1.0, 6.0, 5.0}, 0.5},     /* rallies only */
        {{0.0, 0.2, 20.0, 0.0, 5.0, 25.0}, 1.0 / 52},
    };
    const double s0 = 100.0;
    for (int c = 0; c < N_OF(cases); c++) {
        mcr_model m = {.type = MCR_MODEL_KOU, .kou = cases[c].p};
        double t = cases[c].t;
        const double levels[] = {0.9, 0.99, 0.999};
        for (int i = 0; i < N_OF(levels); i++) {
            double p = 1.0 - levels[i];
            double q = mcr_model_terminal_quantile(&m, s0, t, p), y = log(q / s0);
            double want = kou_one_sided(&cases[c].p, t, y, false);
            cr_expect(fabs(want - p) <= 1e-10 * p, "oracle cdf at the quantile: %.17g vs %g",
                      want, p);
            double var = mcr_model_var_long(&m, s0, t, levels[i]);
            EXPECT_REL(var, s0 - q, 1e-13, "VaR = s0 - quantile");
            EXPECT_REL(mcr_model_cvar_long(&m, s0, t, levels[i]),
                       s0 - s0 * kou_one_sided(&cases[c].p, t, y, true) / p, 1e-9, "CVaR");
        }
        const double rel_x[] = {0.8, 0.95, 1.0, 1.05, 1.3};
        for (int i = 0; i < N_OF(rel_x); i++) {
            double x = s0 * rel_x[i], y = log(rel_x[i]);
            double want = kou_one_sided(&cases[c].p, t, y, false);
            cr_expect(fabs(mcr_model_terminal_cdf(&m, s0, t, x) - want)
                          <= 1e-10 * fmin(want, 1.0 - want) + 1e-15,
                      "cdf at %g: %.17g vs %.17g", x, mcr_model_terminal_cdf(&m, s0, t, x),
                      want);
            EXPECT_REL(mcr_model_terminal_partial_mean(&m, s0, t, x),
                       s0 * kou_one_sided(&cases[c].p, t, y, true), 1e-9, "partial mean");
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Second moments. Heston: E[(S_T/S0)^2] e^{-2 mu t} = exp(C + D v0) with
 * D' = xi^2 D^2/2 + (2 rho xi - kappa) D + 1, C' = kappa theta D, C(0) = D(0) = 0, integrated here
 * by RK4; Bates multiplies by exp(lambda t (E e^{2Y} - 1 - 2k)). Returns INFINITY if D blows up. */
static double heston_second_moment_ode(const mcr_heston *h, double t)
{
    const int steps = 20000;
    double dt = t / steps, c = 0.0, d = 0.0;
    double a2 = 0.5 * h->xi * h->xi, b = 2.0 * h->rho * h->xi - h->kappa;
    for (int i = 0; i < steps; i++) {
        double k1 = a2 * d * d + b * d + 1.0;
        double d2 = d + 0.5 * dt * k1, k2 = a2 * d2 * d2 + b * d2 + 1.0;
        double d3 = d + 0.5 * dt * k2, k3 = a2 * d3 * d3 + b * d3 + 1.0;
        double d4 = d + dt * k3, k4 = a2 * d4 * d4 + b * d4 + 1.0;
        c += h->kappa * h->theta * dt * (d + 2.0 * d2 + 2.0 * d3 + d4) / 6.0;
        d += dt * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0;
        if (!(d < 1e8))
            return INFINITY;
    }
    return exp(c + d * h->v0);
}

Test(distribution, heston_bates_variance_against_riccati_ode)
{
    const struct {
        mcr_heston h;
        double t;
    } cases[] = {
        {{0.0, 0.64, 2.0, 0.64, 1.0, -0.5}, 1.0}, /* WH */
        {{0.1, 0.04, 1.5, 0.09, 0.6, -0.7}, 1.0 / 52},
        {{0.0, 0.0, 3.0, 0.5, 2.0, 0.5}, 0.01},    /* v0 = 0, Feller violated */
        {{0.05, 0.5, 1.0, 0.5, 1.5, 0.3}, 1.4},    /* second moment explodes at T* = 1.527 */
        {{0.05, 0.5, 1.0, 0.5, 1.5, 0.3}, 1.45},
    };
    const double s0 = 100.0;
    for (int c = 0; c < N_OF(cases); c++) {
        const mcr_heston *h = &cases[c].h;
        double t = cases[c].t;
        double ratio = heston_second_moment_ode(h, t);
        cr_assert(isfinite(ratio));
        mcr_model m = heston(h->mu, h->v0, h->kappa, h->theta, h->xi, h->rho);
        double mean = s0 * exp(h->mu * t);
        EXPECT_REL(mcr_model_terminal_variance(&m, s0, t), mean * mean * (ratio - 1.0), 1e-9,
                   "Heston variance");
        const double lambda = 3.0, nu = -0.1, delta = 0.2;
        double k = exp(nu + 0.5 * delta * delta) - 1.0;
        double jumps = exp(lambda * t * (exp(2.0 * nu + 2.0 * delta * delta) - 1.0 - 2.0 * k));
        mcr_model b = bates(*h, lambda, nu, delta);
        EXPECT_REL(mcr_model_terminal_variance(&b, s0, t), mean * mean * (ratio * jumps - 1.0),
                   1e-9, "Bates variance");
    }
    /* Past T*: the ODE blows up and the variance is infinite. */
    const mcr_heston h = {0.05, 0.5, 1.0, 0.5, 1.5, 0.3};
    const double late[] = {1.6, 3.0, 10.0};
    for (int i = 0; i < N_OF(late); i++) {
        cr_expect(isinf(heston_second_moment_ode(&h, late[i])));
        mcr_model m = heston(h.mu, h.v0, h.kappa, h.theta, h.xi, h.rho);
        cr_expect(isinf(mcr_model_terminal_variance(&m, s0, late[i])), "t = %g", late[i]);
        mcr_model b = bates(h, 1.0, 0.0, 0.1);
        cr_expect(isinf(mcr_model_terminal_variance(&b, s0, late[i])), "t = %g", late[i]);
    }
}

/* Kou: E[(S_T/S0)^2] e^{-2 mu t} = exp(t (sigma^2 + lambda (E e^{2Y} - 1 - 2 zeta))) with
 * E e^{2Y} = p eta1/(eta1 - 2) + (1 - p) eta2/(eta2 + 2) (compound Poisson moments); infinite
 * for eta1 <= 2. */
Test(distribution, kou_variance_against_levy_exponent)
{
    const mcr_kou cases[] = {
        {0.0, 0.5, 50.0, 0.4, 10.0, 5.0},
        {0.1, 0.2, 3.0, 0.3, 8.0, 4.0},
        {-0.2, 0.8, 1.0, 0.6, 2.5, 1.5},
    };
    const double s0 = 100.0, t = 0.7;
    for (int c = 0; c < N_OF(cases); c++) {
        const mcr_kou *p = &cases[c];
        double e1 = p->p_up * p->eta_up / (p->eta_up - 1.0)
                    + (1.0 - p->p_up) * p->eta_down / (p->eta_down + 1.0);
        double e2 = p->p_up * p->eta_up / (p->eta_up - 2.0)
                    + (1.0 - p->p_up) * p->eta_down / (p->eta_down + 2.0);
        double ratio = exp(t * (p->sigma * p->sigma
                                + p->jump_intensity * (e2 - 1.0 - 2.0 * (e1 - 1.0))));
        mcr_model m = {.type = MCR_MODEL_KOU, .kou = *p};
        double mean = s0 * exp(p->mu * t);
        EXPECT_REL(mcr_model_terminal_variance(&m, s0, t), mean * mean * (ratio - 1.0), 1e-10,
                   "Kou variance");
    }
    mcr_model heavy = kou(0.0, 0.3, 1.0, 0.3, 1.8, 4.0);
    cr_expect(isinf(mcr_model_terminal_variance(&heavy, s0, t)));
}

/* ------------------------------------------------------------------------------------------ */
/* Invariants for the models without a closed-form distribution. */

typedef struct named_model {
    const char *name;
    mcr_model m;
    double t;
} named_model;

static const named_model *invariant_cases(int *n)
{
    static named_model cases[8];
    cases[0] = (named_model){"heston WH", heston(0.0, 0.64, 2.0, 0.64, 1.0, -0.5), 1.0};
    cases[1] = (named_model){"heston week", heston(0.1, 0.04, 1.5, 0.09, 0.6, -0.7), 1.0 / 52};
    cases[2] = (named_model){"heston v0 0", heston(0.0, 0.0, 3.0, 0.5, 2.0, 0.5), 0.01};
    cases[3] = (named_model){"bates", bates((mcr_heston){0.05, 0.5, 3, 0.5, 0.8, -0.6}, 5.0,
                                            -0.1, 0.2), 1.0};
    cases[4] = (named_model){"bates hour", bates((mcr_heston){0.05, 0.5, 3, 0.5, 0.8, -0.6},
                                                 5.0, -0.1, 0.2), 1.0 / 8760};
    cases[5] = (named_model){"kou", kou(0.0, 0.5, 50.0, 0.4, 10.0, 5.0), 1.0};
    cases[6] = (named_model){"kou month", kou(0.1, 0.2, 3.0, 0.3, 8.0, 4.0), 1.0 / 12};
    cases[7] = (named_model){"kou small sigma", kou(0.1, 0.01, 1.0, 0.3, 20.0, 10.0), 0.01};
    *n = N_OF(cases);
    return cases;
}

Test(distribution, cdf_monotone_and_inverse_of_quantile)
{
    int n;
    const named_model *cases = invariant_cases(&n);
    const double s0 = 100.0;
    for (int c = 0; c < n; c++) {
        const mcr_model *m = &cases[c].m;
        double t = cases[c].t;
        const double ps[] = {1e-4, 1e-3, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999};
        for (int i = 0; i < N_OF(ps); i++) {
            double q = mcr_model_terminal_quantile(m, s0, t, ps[i]);
            double f = mcr_model_terminal_cdf(m, s0, t, q);
            cr_expect(fabs(f - ps[i]) <= 1e-10 * fmin(ps[i], 1.0 - ps[i]),
                      "%s: cdf(quantile(%g)) = %.17g", cases[c].name, ps[i], f);
        }
        double lo = mcr_model_terminal_quantile(m, s0, t, 1e-4);
        double hi = mcr_model_terminal_quantile(m, s0, t, 1.0 - 1e-4);
        double prev = 0.0;
        for (int i = 0; i <= 40; i++) {
            double x = lo * pow(hi / lo, i / 40.0), f = mcr_model_terminal_cdf(m, s0, t, x);
            cr_expect(f >= prev && f <= 1.0, "%s: cdf(%g) = %.17g after %.17g", cases[c].name,
                      x, f, prev);
            prev = f;
        }
        cr_expect(mcr_model_terminal_cdf(m, s0, t, 1e-3 * lo) < 1e-4);
        cr_expect(mcr_model_terminal_cdf(m, s0, t, 1e3 * hi) > 1.0 - 1e-4);
    }
}

/* E[(S_T - K)^+] = E[S_T 1{S_T > K}] - K P(S_T > K) = (mean - partial_mean(K)) - K (1 - cdf(K)),
 * and the Lewis pricer (cf_pricer.h, another contour and integrand) gives it as e^{rT} call with
 * r = mu, q = 0. Partial means approach the mean far in the right tail. */
Test(distribution, partial_mean_against_call_prices)
{
    int n;
    const named_model *cases = invariant_cases(&n);
    const double s0 = 100.0;
    for (int c = 0; c < n; c++) {
        const mcr_model *m = &cases[c].m;
        double t = cases[c].t, mu = mcr_model_mu(m);
        double mean = mcr_model_terminal_mean(m, s0, t);
        const double ps[] = {0.01, 0.3, 0.7, 0.99};
        for (int i = 0; i < N_OF(ps); i++) {
            double k = mcr_model_terminal_quantile(m, s0, t, ps[i]);
            mcr_euro o = {MCR_CALL, s0, k, t, mu, 0.0};
            double call = exp(mu * t) * mcr_model_price(m, &o);
            double from_dist = mean - mcr_model_terminal_partial_mean(m, s0, t, k)
                               - k * (1.0 - mcr_model_terminal_cdf(m, s0, t, k));
            cr_expect(fabs(from_dist - call) <= 1e-9 * mean, "%s K = %g: %.17g vs call %.17g",
                      cases[c].name, k, from_dist, call);
        }
        /* Far right: mean - partial mean = e^{mu t} call + K P(S_T > K) -> 0. */
        double far = mcr_model_terminal_quantile(m, s0, t, 1.0 - 1e-12);
        mcr_euro o = {MCR_CALL, s0, far, t, mu, 0.0};
        double gap = mean - mcr_model_terminal_partial_mean(m, s0, t, far);
        double want = exp(mu * t) * mcr_model_price(m, &o) + far * 1e-12;
        cr_expect(fabs(gap - want) <= 1e-9 * mean && gap < 1e-6 * mean,
                  "%s: mean - partial mean %.3e at %g, want %.3e", cases[c].name, gap, far, want);
        cr_expect(mcr_model_terminal_partial_mean(m, s0, t, INFINITY) == mean);
        /* Far left: E[S 1{S <= x}] <= x P(S <= x) <= x 1e-4 for x below the 1e-4 quantile. */
        double near0 = 1e-3 * mcr_model_terminal_quantile(m, s0, t, 1e-4);
        double pm0 = mcr_model_terminal_partial_mean(m, s0, t, near0);
        cr_expect(pm0 >= 0.0 && pm0 <= near0 * 1e-4, "%s: partial mean %g at %g", cases[c].name,
                  pm0, near0);
        cr_expect(mcr_model_cvar_long(m, s0, t, 0.99) > mcr_model_var_long(m, s0, t, 0.99));
    }
}

Test(distribution, degenerate_arguments)
{
    mcr_model m = merton(0.1, 0.6, 10.0, -0.05, 0.1);
    cr_expect(mcr_model_terminal_variance(&m, 100.0, 0.0) == 0.0);
    cr_expect(mcr_model_terminal_quantile(&m, 100.0, 0.0, 0.3) == 100.0);
    cr_expect(mcr_model_terminal_cdf(&m, 100.0, 0.0, 99.0) == 0.0);
    cr_expect(mcr_model_terminal_cdf(&m, 100.0, 0.0, 100.0) == 1.0);
    cr_expect(mcr_model_var_long(&m, 100.0, 0.0, 0.99) == 0.0);
    cr_expect(mcr_model_cvar_long(&m, 100.0, 0.0, 0.99) == 0.0);
    cr_expect(mcr_model_terminal_quantile(&m, 100.0, 1.0, 0.0) == 0.0);
    cr_expect(isinf(mcr_model_terminal_quantile(&m, 100.0, 1.0, 1.0)));
    cr_expect(mcr_model_terminal_cdf(&m, 100.0, 1.0, 0.0) == 0.0);
    cr_expect(mcr_model_terminal_cdf(&m, 100.0, 1.0, INFINITY) == 1.0);
    cr_expect(mcr_model_terminal_partial_mean(&m, 100.0, 1.0, -1.0) == 0.0);
}
