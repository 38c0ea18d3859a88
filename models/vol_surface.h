/* The implied-volatility surface that options are priced and marked on (config key
 * `implied_vol: {atm, skew, smile, term}` of an asset), and Black-Scholes prices on it. It may
 * differ from the simulation model on purpose: implied vs realized volatility is a cost.
 *
 * Parametrisation (a quadratic smile in time-scaled log-moneyness, as in "sticky moneyness"
 * desk surfaces):
 *
 *   sigma(K, T) = max(MCR_VOL_FLOOR, atm(T) + skew x + smile x^2),   x = ln(K / F) / sqrt(T),
 *
 * F = S e^{(r - q) T} the forward. Scaling ln(K/F) by sqrt(T) makes skew and smile mean the same
 * thing at every expiry (short-dated smiles are steeper in strike, as observed).
 * Sign convention: skew < 0 raises the vol of low strikes, so OTM puts are dearer than OTM calls
 * (the equity/crypto-crash smile); skew > 0 makes OTM calls dearer. smile >= 0 is the curvature.
 *
 * ATM term structure: with no term points atm(T) = atm (flat). With term points
 * {days_i, atm_i} (T_i = days_i / 365), the ATM total variance w(T) = atm(T)^2 T is interpolated
 * linearly in T between points, with flat vol outside them (w = atm_1^2 T before the first point,
 * which is the line from w(0) = 0, and w = atm_n^2 T after the last). The check rejects points
 * whose total variance decreases, so the ATM total variance is non-decreasing in T: no calendar
 * arbitrage at the money. Away from the money the smile is the user's: nothing forbids skew and
 * smile values that create butterfly or calendar arbitrage far in the wings. */
#ifndef MCR_VOL_SURFACE_H
#define MCR_VOL_SURFACE_H

#include <math.h>

#include "black_scholes.h"
#include "core/keys.h"
#include "core/status.h"

#define MCR_VOL_TERM_MAX 32
#define MCR_VOL_FLOOR 0.01      /* lowest implied vol the smile may produce */
#define MCR_VOL_DAYS_PER_YEAR 365.0

/* One ATM term point. */
typedef struct mcr_vol_point {
    double days; /* expiry in calendar days, > 0, strictly increasing across points */
    double atm;  /* ATM implied vol at that expiry, in (0, 10] */
} mcr_vol_point;

typedef struct mcr_vol_surface {
    double atm;   /* flat ATM vol in (0, 10] when n_term == 0; must be 0 (unset) otherwise */
    double skew;  /* d sigma / dx at the money, in [-5, 5]; < 0: OTM puts dearer */
    double smile; /* d^2 sigma / dx^2 / 2, in [0, 10] */
    int n_term;   /* 0..MCR_VOL_TERM_MAX */
    mcr_vol_point term[MCR_VOL_TERM_MAX];
} mcr_vol_surface;

/* Checks ranges, strictly increasing days and non-decreasing ATM total variance; `where`
 * prefixes the message (e.g. "market.assets[0].implied_vol": "...implied_vol.skew: must be a
 * number in [-5, 5] (got 7)"). */
mcr_status mcr_vol_surface_check(const mcr_vol_surface *s, const char *where, mcr_error *err);

/* The config keys of a surface (implied_vol: {atm, skew, smile, term}). */
extern const mcr_key mcr_vol_surface_keys[];

/* A scenario's view: every ATM vol (flat or term point) plus atm_shift, skew plus skew_shift. */
mcr_vol_surface mcr_vol_surface_shifted(const mcr_vol_surface *s, double atm_shift,
                                        double skew_shift);

/* ATM vol atm(t) for t in years; t <= 0 gives the vol of the first point (flat extrapolation). */
double mcr_vol_surface_atm(const mcr_vol_surface *s, double t);

/* ATM total variance w(t) = atm(t)^2 t (0 for t <= 0). */
double mcr_vol_surface_atm_variance(const mcr_vol_surface *s, double t);

/* Implied vol at strike K > 0, forward F > 0, expiry t years. For t <= 0 the smile is not
 * defined (x is infinite) and the ATM vol is returned; prices at t <= 0 do not depend on it. */
double mcr_vol_surface_vol(const mcr_vol_surface *s, double strike, double forward, double t);

/* One expiry of the surface: the smile as a function of x = ln(K/F) / sqrt(t), so a caller that
 * prices many strikes or paths at one expiry interpolates the term structure once. */
typedef struct mcr_vol_slice {
    double atm, skew, smile;
} mcr_vol_slice;

mcr_vol_slice mcr_vol_surface_slice(const mcr_vol_surface *s, double t);

static inline double mcr_vol_slice_vol(const mcr_vol_slice *v, double x)
{
    return fmax(v->atm + x * (v->skew + v->smile * x), MCR_VOL_FLOOR);
}

/* The surface vol of option o (F = S e^{(r - q) T}). */
double mcr_vol_surface_vol_of(const mcr_vol_surface *s, const mcr_euro *o);

/* Black-Scholes price of o at its surface vol. Call - put = S e^{-qT} - K e^{-rT} holds to
 * rounding because both legs use the same vol (the surface is a function of K, not of payoff). */
double mcr_vol_surface_price(const mcr_vol_surface *s, const mcr_euro *o);

/* Black-Scholes Greeks at the surface vol, holding that vol fixed ("sticky strike"): vega is per
 * 1.00 parallel shift of the surface. */
mcr_bs_greeks mcr_vol_surface_greeks(const mcr_vol_surface *s, const mcr_euro *o);

#endif
