/* The config keys the models share, declared once as row constructors (core/keys.h) so that mu,
 * sigma, the lognormal jumps and the Heston variance keys read the same in every model that has
 * them: T is the model's parameter struct, whose members carry the keys' names. */
#ifndef MCR_MODEL_KEYS_H
#define MCR_MODEL_KEYS_H

#include <stddef.h>

#include "core/keys.h"

#define MCR_REQ_POSITIVE (MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN | MCR_KEY_MIN_OPEN)
#define MCR_REQ_CLOSED (MCR_KEY_REQUIRED | MCR_RANGE_CLOSED)

#define MCR_MU_KEY(T)                                                                              \
    MCR_KEY_F("mu", T, mu, MCR_RANGE_CLOSED, -10, 10, 0, "per year",                             \
              "expected return, E[S_T] = S0 exp(mu T), jumps compensated (market.rate gives "     \
              "risk-neutral paths)")
#define MCR_SIGMA_KEY(T)                                                                           \
    MCR_KEY_F("sigma", T, sigma, MCR_REQ_POSITIVE, 0, 0, 0, "per sqrt(year)",                    \
              "volatility of the diffusion (0.8 = 80%)")
/* Compound Poisson jumps of log size Y ~ N(jump_mean, jump_std^2) (merton, bates). */
#define MCR_JUMP_KEYS(T)                                                                           \
    MCR_KEY_F("jump_intensity", T, jump_intensity, MCR_REQ_CLOSED, 0, 1000, 0, "jumps per year", \
              "expected number of jumps per year"),                                                \
        MCR_KEY_F("jump_mean", T, jump_mean, MCR_REQ_CLOSED, -5, 5, 0, NULL,              \
                  "mean of the log jump size ln(S after / S before) (-0.05: a drop of about 5%)"), \
        MCR_KEY_F("jump_std", T, jump_std, MCR_REQ_CLOSED, 0, 5, 0, NULL,                 \
                  "standard deviation of the log jump size")
/* Heston's variance process (heston, bates). */
#define MCR_HESTON_KEYS(T, h)                                                                      \
    MCR_KEY_F("v0", T, h.v0, MCR_KEY_REQUIRED | MCR_KEY_HAS_MIN, 0, 0, 0, "per year",            \
              "initial variance (volatility squared: 0.64 for 80%)"),                              \
        MCR_KEY_F("kappa", T, h.kappa, MCR_REQ_POSITIVE, 0, 0, 0, "per year",                    \
                  "mean-reversion speed of the variance"),                                         \
        MCR_KEY_F("theta", T, h.theta, MCR_REQ_POSITIVE, 0, 0, 0, "per year",                    \
                  "long-run variance (volatility squared)"),                                       \
        MCR_KEY_F("xi", T, h.xi, MCR_REQ_POSITIVE, 0, 0, 0, "per sqrt(year)",                    \
                  "volatility of the variance"),                                                   \
        MCR_KEY_F("rho", T, h.rho, MCR_REQ_CLOSED, -1, 1, 0, NULL,                                \
                  "correlation of price and variance shocks")

#endif
