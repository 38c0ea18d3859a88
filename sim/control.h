/* run.variance_reduction.control_variate's control X of each path and its known mean E[X], in a
 * scenario (risk/cv_moments.h fits the coefficient and applies it):
 *   terminal_spot: X = S_T of the first asset, E[X] = S0 e^{mu T} times the scenario's shocks;
 *   book_option: X = the Black-Scholes value at the horizon of the book's first option on the
 *     first asset, at that asset's gbm volatility sigma and the market's rate r, with
 *     tau = max(expiry - T, 0) years left (its payoff when tau = 0). ln S_T is normal with
 *     variance sigma^2 T, so S_T e^{(r - sigma^2 / 2) tau + sigma sqrt(tau) Z} is lognormal with
 *     mean F = E[S_T] e^{r tau} and log-variance v = sigma^2 (T + tau), and
 *       E[X] = e^{-r tau} Black(F, K, v),  Black = F N(d1) - K N(d2) for a call,
 *       K N(-d2) - F N(-d1) for a put, d1,2 = (ln(F / K) +- v / 2) / sqrt(v).
 *     The control needs no match with how the book marks the option (its implied vol): any X
 *     with a known mean gives an unbiased estimate; the closer, the smaller the variance. */
#ifndef MCR_CONTROL_H
#define MCR_CONTROL_H

#include "config/config.h"
#include "kernels/kernels.h"
#include "models/black_scholes.h"
#include "strategies/hedge.h"

typedef struct mcr_control {
    int type;      /* MCR_CV_* */
    mcr_euro euro; /* book_option: the option at the horizon (spot set per path), tau, r */
    double sigma;  /* book_option: the first asset's gbm volatility in the scenario */
    double mean;   /* E[X] */
} mcr_control;

/* Scenario sc's control, from E[S_T] of the first asset and the scenario's book. book_option
 * without an option on the first asset, or on a first asset whose model is not gbm, fails with
 * MCR_ERR_INPUT naming the key (a loaded config never gets here so: the loader refuses it with
 * the key's line, config/run_keys.c mcr_vr_book_check). */
mcr_status mcr_control_init(mcr_control *c, const mcr_config *cfg, int sc, const mcr_book *book,
                            double expected_spot, mcr_error *err);

/* X of a block's MCR_BLOCK_PATHS paths from their ln S_T of the first asset. */
void mcr_control_values(const mcr_control *c, const mcr_kernels *k, const double *log_price,
                        double *out);

#endif
