/* Implied-vol surface: validation, ATM term structure in total variance, the quadratic smile
 * and Black-Scholes prices on it. */
#include "vol_surface.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>


static double point_years(const mcr_vol_point *p) { return p->days / MCR_VOL_DAYS_PER_YEAR; }

static double point_variance(const mcr_vol_point *p) { return p->atm * p->atm * point_years(p); }

/* The keys of `implied_vol` (config rows; their ranges are the surface's). */
static const mcr_key point_keys[] = {
    MCR_KEY_F("days", mcr_vol_point, days, MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
              0, 36500, 0, "calendar days", "the expiry of the term point"),
    MCR_KEY_F("atm", mcr_vol_point, atm, MCR_KEY_REQUIRED | MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
              0, 10, 0, "per sqrt(year)", "the ATM implied vol at that expiry"),
    MCR_KEY_END,
};

/* atm is first and term last: the check reads skew and smile as the rows between them. */
const mcr_key mcr_vol_surface_keys[] = {
    {.name = "atm", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN,
     .offset = offsetof(mcr_vol_surface, atm), .min = 0, .max = 10, .word_offset = (size_t)-1,
     .def_text = "the model's total volatility over the horizon", .unit = "per sqrt(year)",
     .help = "flat ATM implied vol (or give term points instead)"},
    MCR_KEY_F("skew", mcr_vol_surface, skew, MCR_RANGE_CLOSED, -5, 5, 0, NULL,
              "d vol / dx at the money, x = ln(K/F)/sqrt(T); < 0: OTM puts dearer"),
    MCR_KEY_F("smile", mcr_vol_surface, smile, MCR_RANGE_CLOSED, 0, 10, 0, NULL,
              "curvature of the smile in x (d^2 vol / dx^2 / 2)"),
    {.name = "term", .type = MCR_KEY_LIST, .offset = offsetof(mcr_vol_surface, term),
     .size = sizeof(mcr_vol_point), .count_offset = offsetof(mcr_vol_surface, n_term),
     .max_count = MCR_VOL_TERM_MAX, .sub = point_keys, .word_offset = (size_t)-1,
     .help = "an ATM term structure: points {days, atm}, by increasing days, interpolated in "
             "total variance"},
    MCR_KEY_END,
};

static mcr_status check_term(const mcr_vol_surface *s, const char *where, mcr_error *err)
{
    if (s->n_term < 0 || s->n_term > MCR_VOL_TERM_MAX)
        return mcr_fail(err, MCR_ERR_INPUT, "%s.term: must have at most %d points (got %d)", where,
                        MCR_VOL_TERM_MAX, s->n_term);
    if (s->atm != 0.0)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "%s: give either atm (a flat term structure) or term points, not both",
                        where);
    for (int i = 0; i < s->n_term; i++) {
        const mcr_vol_point *p = &s->term[i];
        char at[256];
        snprintf(at, sizeof at, "%s.term[%d]", where, i);
        mcr_status st = mcr_keys_check(point_keys, p, at, err);
        if (st != MCR_OK)
            return st;
        if (i == 0)
            continue;
        const mcr_vol_point *q = &s->term[i - 1];
        if (!(p->days > q->days))
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s.days: must be greater than term[%d].days = %g (got %g)", at,
                            i - 1, q->days, p->days);
        /* A longer expiry with less total variance would make a calendar spread (long the
         * longer, short the shorter ATM option) worth less than nothing. */
        if (point_variance(p) < point_variance(q))
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s: ATM total variance atm^2 T = %g (atm %g at %g days) is below "
                            "term[%d]'s %g (atm %g at %g days): calendar arbitrage; atm at "
                            "%g days must be at least %g",
                            at, point_variance(p), p->atm, p->days, i - 1, point_variance(q),
                            q->atm, q->days, p->days, q->atm * sqrt(q->days / p->days));
    }
    return MCR_OK;
}

mcr_status mcr_vol_surface_check(const mcr_vol_surface *s, const char *where, mcr_error *err)
{
    mcr_status st = mcr_keys_check(&mcr_vol_surface_keys[1], s, where, err); /* skew, smile */
    if (st != MCR_OK)
        return st;
    if (s->n_term != 0)
        return check_term(s, where, err);
    return mcr_key_check_value(&mcr_vol_surface_keys[0], s->atm, where, err);
}

mcr_vol_surface mcr_vol_surface_shifted(const mcr_vol_surface *s, double atm_shift,
                                        double skew_shift)
{
    mcr_vol_surface v = *s;
    if (v.n_term == 0)
        v.atm += atm_shift;
    for (int k = 0; k < v.n_term; k++)
        v.term[k].atm += atm_shift;
    v.skew += skew_shift;
    return v;
}

double mcr_vol_surface_atm_variance(const mcr_vol_surface *s, double t)
{
    if (!(t > 0.0))
        return 0.0;
    if (s->n_term == 0)
        return s->atm * s->atm * t;
    const mcr_vol_point *first = &s->term[0], *last = &s->term[s->n_term - 1];
    if (t <= point_years(first))
        return first->atm * first->atm * t;
    if (t >= point_years(last))
        return last->atm * last->atm * t;
    int i = 1;
    while (t > point_years(&s->term[i]))
        i++;
    /* term[i-1] < t <= term[i]: linear in total variance */
    double t0 = point_years(&s->term[i - 1]), t1 = point_years(&s->term[i]);
    double w0 = point_variance(&s->term[i - 1]), w1 = point_variance(&s->term[i]);
    return w0 + (w1 - w0) * ((t - t0) / (t1 - t0));
}

double mcr_vol_surface_atm(const mcr_vol_surface *s, double t)
{
    if (!(t > 0.0))
        return s->n_term == 0 ? s->atm : s->term[0].atm;
    return sqrt(mcr_vol_surface_atm_variance(s, t) / t);
}

mcr_vol_slice mcr_vol_surface_slice(const mcr_vol_surface *s, double t)
{
    return (mcr_vol_slice){.atm = mcr_vol_surface_atm(s, t), .skew = s->skew, .smile = s->smile};
}

double mcr_vol_surface_vol(const mcr_vol_surface *s, double strike, double forward, double t)
{
    mcr_vol_slice slice = mcr_vol_surface_slice(s, t);
    if (!(t > 0.0))
        return slice.atm;
    return mcr_vol_slice_vol(&slice, log(strike / forward) / sqrt(t));
}

double mcr_vol_surface_vol_of(const mcr_vol_surface *s, const mcr_euro *o)
{
    double forward = o->spot * exp((o->rate - o->yield) * o->expiry);
    return mcr_vol_surface_vol(s, o->strike, forward, o->expiry);
}

double mcr_vol_surface_price(const mcr_vol_surface *s, const mcr_euro *o)
{
    return mcr_bs_price(o, mcr_vol_surface_vol_of(s, o));
}

mcr_bs_greeks mcr_vol_surface_greeks(const mcr_vol_surface *s, const mcr_euro *o)
{
    return mcr_bs_greeks_of(o, mcr_vol_surface_vol_of(s, o));
}
