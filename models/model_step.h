/* Per-step constants of every model: what a path kernel needs to advance ln S (and the variance)
 * by one time step dt, computed once per run. Pure math, shared by the scalar reference and the
 * vector kernels, so both evaluate the same constants. The schemes:
 *   gbm     exact: ln S += (mu - sigma^2/2) dt + sigma sqrt(dt) Z.
 *   merton  exact in law: ln S += (mu - lambda k - sigma^2/2) dt + sigma sqrt(dt) Z
 *           + N nu + sqrt(N) delta Z_J,  N ~ Poisson(lambda dt) by its inverse CDF.
 *   kou     exact in law up to a cap: as merton with the sum of min(N, M) double-exponential
 *           jumps, M the smallest count with P(N > M) < 1e-16.
 *   heston  Andersen (2008) quadratic-exponential (QE) scheme with psi_c = 1.5, central
 *           discretisation of the variance integral (gamma1 = gamma2 = 1/2) and the martingale
 *           correction, so E[S(t + dt) | S(t), v(t)] = S(t) e^{mu dt} exactly per step.
 *   bates   heston plus merton's jumps (compensated in the drift).
 *   historical, bootstrap, fhs   days of the data file (data_model.h).
 * The kernels document how the constants are used (kernels/kernels.h). */
#ifndef MCR_MODEL_STEP_H
#define MCR_MODEL_STEP_H

#include "model.h"
#include "core/status.h"

/* Poisson inverse-CDF table length: up to 12.1 expected jumps per step (merton, bates). */
#define MCR_POISSON_MAX 40
/* Largest Kou cap M (jump-size uniforms drawn per step): up to 4.98 expected jumps per step. */
#define MCR_KOU_MAX_JUMPS 32
/* Andersen's switching level between the quadratic and the exponential variance step. */
#define MCR_QE_PSI_C 1.5

/* The jumps of one step (merton, kou, bates). N = #{i < n_cdf : u > cdf[i]} for the Poisson
 * uniform u is the inverse CDF of Poisson(lambda dt), cdf[i] = P(N <= i), saturating at n_cdf.
 * For merton and bates n_cdf is the smallest n with P(N > n) < 2^-34: every uniform the generator
 * can produce ((x + 0.5) 2^-32 <= 1 - 2^-33) is <= P(N <= n_cdf), so the count is exact. For kou
 * n_cdf is the cap M, P(N > M) < 1e-16. With lambda = 0, cdf[0] = 1: no uniform exceeds it. */
typedef struct mcr_jump_step {
    double lambda_dt; /* expected jumps per step */
    int n_cdf;        /* >= 1 */
    double cdf[MCR_POISSON_MAX];
    /* merton, bates: the sum of n lognormal log-jumps is n mean + sqrt(n) std Z_J */
    double mean, std;
    /* kou: each jump from one uniform u: up if u < p_up, size -ln(u / p_up) / eta_up, else
     * down, size ln((1 - u) / (1 - p_up)) / eta_down */
    int cap;                        /* M = n_cdf, jump-size uniforms drawn every step */
    double p_up;
    double inv_p_up, inv_p_down;    /* 1 / p_up, 1 / (1 - p_up); 0 when that side is empty */
    double scale_up, scale_down;    /* -1 / eta_up, 1 / eta_down */
} mcr_jump_step;

/* Heston QE constants for one step dt (Andersen 2008, sections 3.2.4 and 4.2.3), with
 * e = exp(-kappa dt):
 *   m = theta (1 - e) + v e,  s^2 = v c1 + c2,  quadratic when s^2 <= psi_c m^2;
 *   quadratic: t = 2 m^2 / s^2, b^2 = t - 1 + sqrt(t (t - 1)), a = m / (1 + b^2),
 *              v' = a (b + Z_v)^2, ln E[e^{A v'}] = A b^2 a / (1 - 2 A a) - ln(1 - 2 A a) / 2;
 *   exponential: psi = s^2 / m^2, p = (psi - 1) / (psi + 1), beta = (1 - p) / m,
 *              v' = 0 if U <= p else ln((1 - p) / (1 - U)) / beta with U = Phi(Z_v),
 *              ln E[e^{A v'}] = ln(p + beta (1 - p) / (beta - A));
 *   ln S' = ln S + drift - k3 v / 2 - ln E[e^{A v'}] + k2 v' + sqrt(k3 (v + v')) Z_perp.
 * Here k2 = dt/2 (kappa rho / xi - 1/2) + rho / xi, k3 = dt (1 - rho^2) / 2 (Andersen's K2 and
 * K3 = K4) and A = k2 + k3 / 2; Andersen's K1 v term cancels against his corrected K0*. Where the
 * moment generating function does not exist (2 A a >= 1 or A >= beta, possible only for rho > 0
 * and very large v) the correction falls back to its first-order term A m. */
typedef struct mcr_heston_step {
    double v0;
    double e, m0;    /* exp(-kappa dt), theta (1 - e) */
    double c1, c2;   /* xi^2 e (1 - e) / kappa, theta xi^2 (1 - e)^2 / (2 kappa) */
    double psi_c;
    double k2, k3, a;
    /* (Z_v, Z_perp) = (rho w + rho_bar eta, rho_bar w - rho eta): the price shock w and the
     * variance's own shock eta rotated, so that rho Z_v + rho_bar Z_perp = w */
    double rho, rho_bar;
} mcr_heston_step;

typedef struct mcr_model_step {
    mcr_model_type type;
    int draws;     /* PCG32 outputs per step and path (see kernels.h for the order) */
    double dt;
    /* gbm, merton, kou: (mu - lambda k - sigma^2/2) dt; heston, bates: (mu - lambda k) dt */
    double drift;
    double vol;    /* gbm, merton, kou: sigma sqrt(dt) */
    mcr_jump_step jump;     /* merton, kou, bates */
    mcr_heston_step heston; /* heston, bates */
    mcr_data_step data;     /* historical, bootstrap, fhs (data_model.h) */
} mcr_model_step;

/* Whether the kernels can step model m by dt: dt > 0 and finite, and jump models expect few
 * enough jumps per step for the tables above (the message names the largest lambda dt). The
 * model's own parameters are checked by mcr_model_check. */
mcr_status mcr_model_step_check(const mcr_model *m, double dt, const char *where,
                                mcr_error *err);

/* The constants of one step; m and dt must pass mcr_model_check and mcr_model_step_check. */
mcr_model_step mcr_model_step_of(const mcr_model *m, double dt);

/* The smallest n >= 1 with P(N > n) < tail for N ~ Poisson(mean), and the thresholds
 * cdf[i] = P(N <= i) for i < min(n, max); a result > max means the table does not fit. */
int mcr_poisson_table(double mean, double tail, double *cdf, int max);

#endif
