/* Black-Scholes-Merton with a continuous yield q (dividend, staking or funding yield): European
 * call/put prices, Greeks and the implied volatility. Also defines mcr_euro, the European option
 * that every pricer in models/ takes (Merton series, characteristic-function pricer). */
#ifndef MCR_BLACK_SCHOLES_H
#define MCR_BLACK_SCHOLES_H

#include "core/status.h"

typedef enum mcr_payoff { MCR_CALL, MCR_PUT } mcr_payoff;

/* A European option on one asset and the market it is priced in. */
typedef struct mcr_euro {
    mcr_payoff payoff;
    double spot;   /* S > 0 */
    double strike; /* K > 0 */
    double expiry; /* T >= 0, years */
    double rate;   /* r, continuously compounded */
    double yield;  /* q, continuously compounded (dividend / carry) */
} mcr_euro;

/* Sensitivities per unit of each input: vega per 1.00 of vol, theta = dV/dt per year of calendar
 * time (= -dV/dT), both as in Haug (1998) ch. 1. */
typedef struct mcr_bs_greeks {
    double price, delta, gamma, vega, theta;
} mcr_bs_greeks;

/* Price with volatility sigma >= 0. At T = 0 or sigma = 0 the option is worth its discounted
 * forward intrinsic value, max(+-(S e^{-qT} - K e^{-rT}), 0). */
double mcr_bs_price(const mcr_euro *o, double sigma);
double mcr_bs_delta(const mcr_euro *o, double sigma);
/* All Greeks at once; at T = 0 or sigma = 0 gamma, vega and theta's diffusion part are 0. */
mcr_bs_greeks mcr_bs_greeks_of(const mcr_euro *o, double sigma);

/* The sigma that reproduces `price`, to rounding (safeguarded Newton iterated until its step
 * is below 4 eps sigma). Fails (MCR_ERR_INPUT) unless T > 0 and price lies strictly inside the
 * no-arbitrage bounds (the sigma = 0 value below, S e^{-qT} for a call or K e^{-rT} for a put
 * above). */
mcr_status mcr_bs_implied_vol(const mcr_euro *o, double price, double *sigma, mcr_error *err);

#endif
