/* Statistics of a VaR/ES backtest, from the exception series (a day is an exception when its
 * realised loss exceeds that day's VaR):
 * - Kupiec (1995) proportion of failures, LR_pof ~ chi2(1);
 * - Christoffersen (1998) independence LR_ind ~ chi2(1) (first-order Markov alternative) and
 *   conditional coverage LR_cc = LR_pof + LR_ind ~ chi2(2);
 * - the Basel Committee's traffic light (1996, "Supervisory framework for the use of
 *   backtesting"): zones by the binomial probability of at most x exceptions, any window length
 *   and level;
 * - Acerbi & Szekely (2014) Z2 for expected shortfall, its p-value by simulation under the null.
 * Edge cases (no exception, only exceptions, no transition of some kind) give finite statistics:
 * every 0 ln 0 is 0. Losses, VaR and ES are positive numbers for losses (the project's
 * convention). */
#ifndef MCR_BACKTEST_STATS_H
#define MCR_BACKTEST_STATS_H

#include <stdbool.h>

#include "kernels/pcg32.h"
#include "core/status.h"

/* Kupiec: LR_pof = -2 ln[(1-p)^(n-x) p^x] + 2 ln[(1-x/n)^(n-x) (x/n)^x], p = 1 - level. */
double mcr_kupiec_lr(int n, int x, double p);

/* Christoffersen: with n_ij the count of days in state j after a day in state i (1 = exception),
 * pi01 = n01/(n00+n01), pi11 = n11/(n10+n11), pi = (n01+n11)/(n00+n01+n10+n11):
 * LR_ind = -2 ln[(1-pi)^(n00+n10) pi^(n01+n11)]
 *          + 2 ln[(1-pi01)^n00 pi01^n01 (1-pi11)^n10 pi11^n11]. */
double mcr_christoffersen_lr_ind(int n00, int n01, int n10, int n11);

/* Upper tail of chi-square with k degrees of freedom (GSL). */
double mcr_chi2_pvalue(double lr, int k);

typedef struct mcr_coverage {
    int n, exceptions;
    double level, rate;          /* VaR confidence (0.99); exceptions / n */
    double lr_pof, p_pof;        /* Kupiec */
    int n00, n01, n10, n11;      /* transitions over the n - 1 consecutive pairs */
    double lr_ind, p_ind;        /* Christoffersen independence */
    double lr_cc, p_cc;          /* conditional coverage, LR_pof + LR_ind, chi2(2) */
} mcr_coverage;

/* hit[t] != 0 on exception days; n >= 2, level in (0, 1). */
mcr_status mcr_coverage_tests(const unsigned char *hit, int n, double level, mcr_coverage *out,
                              mcr_error *err);

typedef enum mcr_basel_zone { MCR_ZONE_GREEN, MCR_ZONE_YELLOW, MCR_ZONE_RED } mcr_basel_zone;

#define MCR_BASEL_YELLOW 0.95   /* P(X <= x) at or above this: yellow */
#define MCR_BASEL_RED 0.9999    /* at or above this: red */

/* Zone of x exceptions in n days at VaR level `level`: X ~ Binomial(n, 1 - level),
 * green if P(X <= x) < 0.95, yellow if < 0.9999, red otherwise (250 days at 99%: green 0-4,
 * yellow 5-9, red 10+). *cum_prob (may be NULL) receives P(X <= x). */
mcr_basel_zone mcr_basel_zone_of(int x, int n, double level, double *cum_prob);
const char *mcr_basel_zone_name(mcr_basel_zone z);
/* The first exception counts of the yellow and red zones for (n, level). */
void mcr_basel_thresholds(int n, double level, int *yellow_from, int *red_from);

/* Acerbi-Szekely Z2 = 1 - sum_t L_t 1{L_t > VaR_t} / (T (1 - level) ES_t): 0 in expectation
 * when VaR and ES are right (continuous losses), negative when ES understates the tail. */
double mcr_as_z2(const double *loss, const double *var, const double *es, int n, double level);

/* A draw of day t's loss from that day's forecast distribution (the null hypothesis). */
typedef double (*mcr_loss_draw)(int t, mcr_pcg32 *g, void *ctx);

/* p-value of an observed Z2: the share of `sims` Z2 values, each from n losses drawn under the
 * null (stream `sims` of `seed`), that are <= z2 (Acerbi & Szekely 2014, section "Testing").
 * With a +1 in numerator and denominator, so it is never 0. */
double mcr_as_z2_pvalue(double z2, const double *var, const double *es, int n, double level,
                        mcr_loss_draw draw, void *ctx, int sims, uint64_t seed);

#endif
