/* Black-Scholes-Merton prices, Greeks and implied volatility (Haug 1998, ch. 1; Merton 1973). */
#include "black_scholes.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>

#include "normal.h"

/* Discount factors and d1, d2 of one option at one volatility. */
typedef struct bs_terms {
    double dq, dr;      /* e^{-qT}, e^{-rT} */
    double d1, d2;
    double sd;          /* sigma sqrt(T); 0 when the law of S_T is a point mass */
} bs_terms;

static bs_terms bs_terms_of(const mcr_euro *o, double sigma)
{
    bs_terms b = {
        .dq = exp(-o->yield * o->expiry),
        .dr = exp(-o->rate * o->expiry),
        .sd = sigma * sqrt(o->expiry),
    };
    if (b.sd > 0.0) {
        /* d1 = [ln(S/K) + (r - q + sigma^2/2) T] / (sigma sqrt T), d2 = d1 - sigma sqrt T */
        double m = log(o->spot / o->strike) + (o->rate - o->yield) * o->expiry;
        b.d1 = m / b.sd + 0.5 * b.sd;
        b.d2 = b.d1 - b.sd;
    } else {
        /* Point mass at the forward: N(d1) = N(d2) = 1{F > K} (1/2 at the money). */
        double fwd = o->spot * b.dq - o->strike * b.dr;
        b.d1 = b.d2 = fwd > 0.0 ? INFINITY : (fwd < 0.0 ? -INFINITY : 0.0);
    }
    return b;
}

/* Call: S e^{-qT} N(d1) - K e^{-rT} N(d2); put: K e^{-rT} N(-d2) - S e^{-qT} N(-d1). */
static double bs_price_of(const mcr_euro *o, const bs_terms *b)
{
    if (o->payoff == MCR_CALL)
        return o->spot * b->dq * mcr_norm_cdf(b->d1) - o->strike * b->dr * mcr_norm_cdf(b->d2);
    return o->strike * b->dr * mcr_norm_cdf(-b->d2) - o->spot * b->dq * mcr_norm_cdf(-b->d1);
}

double mcr_bs_price(const mcr_euro *o, double sigma)
{
    bs_terms b = bs_terms_of(o, sigma);
    return bs_price_of(o, &b);
}

/* Call e^{-qT} N(d1); put -e^{-qT} N(-d1). */
double mcr_bs_delta(const mcr_euro *o, double sigma)
{
    bs_terms b = bs_terms_of(o, sigma);
    return o->payoff == MCR_CALL ? b.dq * mcr_norm_cdf(b.d1) : -b.dq * mcr_norm_cdf(-b.d1);
}

/* gamma = e^{-qT} n(d1) / (S sigma sqrt T), vega = S e^{-qT} n(d1) sqrt T (both payoffs);
 * theta_call = -S e^{-qT} n(d1) sigma / (2 sqrt T) - r K e^{-rT} N(d2) + q S e^{-qT} N(d1),
 * theta_put  = -S e^{-qT} n(d1) sigma / (2 sqrt T) + r K e^{-rT} N(-d2) - q S e^{-qT} N(-d1). */
mcr_bs_greeks mcr_bs_greeks_of(const mcr_euro *o, double sigma)
{
    bs_terms b = bs_terms_of(o, sigma);
    double sq = o->spot * b.dq, kr = o->strike * b.dr;
    double w = o->payoff == MCR_CALL ? 1.0 : -1.0;
    mcr_bs_greeks g = {
        .price = bs_price_of(o, &b),
        .delta = w * b.dq * mcr_norm_cdf(w * b.d1),
        .theta = -w * o->rate * kr * mcr_norm_cdf(w * b.d2)
                 + w * o->yield * sq * mcr_norm_cdf(w * b.d1),
    };
    if (b.sd > 0.0) {
        double pdf = mcr_norm_pdf(b.d1);
        double sqrt_t = sqrt(o->expiry);
        g.gamma = b.dq * pdf / (o->spot * b.sd);
        g.vega = sq * pdf * sqrt_t;
        g.theta -= sq * pdf * sigma / (2.0 * sqrt_t);
    }
    return g;
}

/* Safeguarded Newton on the increasing map sigma -> price: keep a bracket [lo, hi] with
 * price(lo) < target < price(hi); take the Newton step when it stays inside, else bisect.
 * Start at the inflection point sigma^2 = 2 |ln(F/K)| / T (Manaster & Koehler 1982), from which
 * plain Newton converges monotonically. */
mcr_status mcr_bs_implied_vol(const mcr_euro *o, double price, double *sigma, mcr_error *err)
{
    if (!(o->expiry > 0.0))
        return mcr_fail(err, MCR_ERR_INPUT, "implied vol: expiry must be > 0 (got %g)", o->expiry);
    double lower = mcr_bs_price(o, 0.0);
    double upper = o->payoff == MCR_CALL ? o->spot * exp(-o->yield * o->expiry)
                                         : o->strike * exp(-o->rate * o->expiry);
    if (!(price > lower && price < upper))
        return mcr_fail(err, MCR_ERR_INPUT,
                        "implied vol: price %.17g outside the no-arbitrage range (%.17g, %.17g)",
                        price, lower, upper);
    double lo = 0.0, hi = 1.0;
    while (mcr_bs_price(o, hi) < price) {
        lo = hi;
        hi *= 2.0;
        if (hi > 1e3)
            return mcr_fail(err, MCR_ERR_INPUT, "implied vol: price %.17g needs sigma > 1000",
                            price);
    }
    double m = log(o->spot / o->strike) + (o->rate - o->yield) * o->expiry;
    double s = sqrt(2.0 * fabs(m) / o->expiry);
    if (!(s > lo && s < hi))
        s = 0.5 * (lo + hi);
    for (int it = 0; it < 100; it++) {
        mcr_bs_greeks g = mcr_bs_greeks_of(o, s);
        double f = g.price - price;
        if (f == 0.0)
            break;
        if (f < 0.0)
            lo = s;
        else
            hi = s;
        double next = s - f / g.vega;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        /* Done when the step or the bracket is at the rounding level of sigma. */
        bool done = fabs(next - s) <= 4.0 * DBL_EPSILON * s || hi - lo <= 4.0 * DBL_EPSILON * hi;
        s = next;
        if (done)
            break;
    }
    *sigma = s;
    return MCR_OK;
}
