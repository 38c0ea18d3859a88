/* A pegged asset (stETH to ETH): its price is reference x peg_t with peg_t in (0, 1], a process
 * that jumps down and recovers. Definition, exact per-step update with a fixed number of draws,
 * and the closed forms the tests and the docs use (docs/DEFI_MATH.md, "Pegged assets").
 *
 * The process. Write the discount g = 1 - peg in [0, 1).
 *   - Recovery: between jumps g decays exponentially, dg = -kappa g dt, with half-life
 *     recovery_days: kappa = ln 2 / (recovery_days / 365) per year.
 *   - Jumps: at the jump times of a Cox process of intensity
 *         lambda_t = lambda (1 + c D_t),   D_t = ln(M_t / S_t) >= 0,
 *     where S is the reference asset (ETH), M_t its running maximum since t0 and c the crash
 *     loading: the intensity rises with the reference asset's drawdown (c = 0: Poisson). A jump
 *     multiplies the peg by (1 - J): peg -> (1 - J) peg, i.e. g -> J + (1 - J) g. So peg stays in
 *     (0, 1] and never overshoots 1.
 * The drawdown (not the step's return) drives the loading so that the law does not depend on the
 * step: the running maximum of a path converges as dt -> 0, while sums of negative returns grow
 * like dt^{-1/2}.
 *
 * The per-step update, step dt, intensity frozen at its end-of-step value (the reference asset is
 * simulated first, so D at the step's end is known; a crash step raises its own jump
 * probability):
 *   Lambda = lambda dt (1 + c D);  N ~ Poisson(Lambda) by the inverse CDF of ONE uniform u1
 *   (capped at MCR_PEG_MAX_JUMPS);  q = 1 - J;  tau = u2 dt from a SECOND uniform u2;
 *   g' = g e^{-kappa dt} q^N + (1 - q^N) e^{-kappa (dt - tau)}.
 * Two uniforms per step, whatever happens. The update is exact (in law) for the process above
 * whenever N <= 1: the number of jumps is exactly Poisson, and a single jump's time is uniform in
 * the step. With N >= 2 (probability ~ Lambda^2 / 2) the N jumps are placed at one time tau.
 * Consequences (c = 0), shown in the docs and checked by tests:
 *   - E[g' | g] = g a + b with a = e^{-(kappa + lambda J) dt}, EXACTLY the continuous process's
 *     contraction, and b = (1 - e^{-lambda dt J}) (1 - e^{-kappa dt}) / (kappa dt);
 *   - the long-run mean discount differs from the continuous one by the relative amount
 *     -(lambda J dt)(kappa dt) / 12 + o(dt^2) (5e-6 at daily steps, lambda = 10, J = 0.1,
 *     30-day half-life).
 * The cap: P(N > 16) < 1e-6 while Lambda <= 4.
 *
 * Closed forms (c = 0, continuous time; g_inf = lambda J / (kappa + lambda J)):
 *   E[peg_t] = 1 - g_inf - (g_0 - g_inf) e^{-(kappa + lambda J) t},   E[peg_inf] = 1 - g_inf.
 * The per-step functions are inline and allocate nothing; the count uses a fixed-length loop of
 * selects so a vector kernel can run it lane by lane. */
#ifndef MCR_PEG_H
#define MCR_PEG_H

#include <math.h>

#include "core/keys.h"
#include "core/status.h"

#define MCR_PEG_MAX_JUMPS 16 /* jumps per step, at most */
#define MCR_PEG_DRAWS 2      /* uniforms per step: the count, then the time */

typedef struct mcr_peg_params {
    double jump_intensity; /* lambda, jumps per year at zero drawdown, [0, 1000] */
    double jump_size;      /* J: a jump multiplies the peg by (1 - J), [0, 0.99] */
    double recovery_days;  /* half-life of the discount 1 - peg, calendar days, (0, 1e5] */
    double crash_loading;  /* c: intensity x (1 + c D), D the reference's log drawdown, [0, 1000] */
} mcr_peg_params;

/* Per-step constants for a step of dt years. */
typedef struct mcr_peg_step {
    double lambda_dt;     /* lambda dt */
    double crash_loading; /* c */
    double keep;          /* q = 1 - J */
    double kappa_dt;      /* kappa dt */
    double decay;         /* e^{-kappa dt} */
} mcr_peg_step;

/* Mean and variance of the peg after one step from a known peg. */
typedef struct mcr_peg_moments {
    double mean, var;
} mcr_peg_moments;

/* The config keys of `peg` (besides `to`); their rows hold the ranges above. */
extern const mcr_key mcr_peg_params_keys[];

/* Ranges above (the rows); the error names WHERE.KEY, the range and the unit. */
mcr_status mcr_peg_params_check(const mcr_peg_params *p, const char *where, mcr_error *err);

/* kappa = ln 2 / (recovery_days / 365), per year. */
double mcr_peg_kappa(const mcr_peg_params *p);

/* dt > 0, years. */
mcr_peg_step mcr_peg_step_of(const mcr_peg_params *p, double dt);

/* The log drawdown D = ln(M / S) of the reference asset after this step's log price, updating
 * its running maximum *log_max (start it at ln S0). */
static inline double mcr_peg_drawdown(double *log_max, double log_price)
{
    *log_max = fmax(*log_max, log_price);
    return *log_max - log_price;
}

/* Expected jumps this step: Lambda = lambda dt (1 + c D). */
static inline double mcr_peg_jump_mean(const mcr_peg_step *c, double drawdown)
{
    return c->lambda_dt * (1.0 + c->crash_loading * fmax(drawdown, 0.0));
}

/* q^N for N = the inverse Poisson(Lambda) CDF of u, capped at MCR_PEG_MAX_JUMPS: a fixed loop
 * that accumulates the CDF and selects. */
static inline double mcr_peg_keep_power(double keep, double lambda, double u)
{
    double prob = exp(-lambda), cdf = prob, qn = 1.0, q_pow = 1.0;
    for (int n = 1; n <= MCR_PEG_MAX_JUMPS; n++) {
        qn *= keep;
        q_pow = u > cdf ? qn : q_pow; /* u > P(N <= n - 1): N >= n */
        prob *= lambda / n;
        cdf += prob;
    }
    return q_pow;
}

/* One step of the peg (header comment): from peg in (0, 1], the reference's drawdown D at the
 * step's end and the step's two uniforms u_count, u_time in (0, 1). */
static inline double mcr_peg_update(const mcr_peg_step *c, double peg, double drawdown,
                                    double u_count, double u_time)
{
    double q_pow = mcr_peg_keep_power(c->keep, mcr_peg_jump_mean(c, drawdown), u_count);
    double gap = (1.0 - peg) * c->decay * q_pow
                 + (1.0 - q_pow) * exp(-c->kappa_dt * (1.0 - u_time));
    return 1.0 - gap;
}

/* Mean and variance of mcr_peg_update's result for a given peg and D (Poisson N uncapped,
 * tau uniform): with a = e^{-kappa dt}, E q^N = e^{-Lambda J}, E q^{2N} = e^{-Lambda (1 - q^2)},
 * m1 = E e^{-kappa (dt - tau)} = (1 - a) / (kappa dt), m2 = (1 - a^2) / (2 kappa dt):
 *   E g'   = g a E q^N + (1 - E q^N) m1,
 *   E g'^2 = g^2 a^2 E q^{2N} + 2 g a (E q^N - E q^{2N}) m1 + (1 - 2 E q^N + E q^{2N}) m2. */
mcr_peg_moments mcr_peg_step_moments(const mcr_peg_step *c, double peg, double drawdown);

/* E[peg] after n steps of the update from peg0 with c = 0: the affine mean map iterated,
 * g_n = g_s + (g_0 - g_s) a^n with a = e^{-(kappa + lambda J) dt}, g_s = b / (1 - a). */
double mcr_peg_scheme_mean(const mcr_peg_step *c, double peg0, int n);

/* Continuous time, c = 0: E[peg_t] from peg0 (t in years; t = INFINITY gives the long-run
 * mean kappa / (kappa + lambda J)). */
double mcr_peg_mean(const mcr_peg_params *p, double peg0, double t);

#endif
