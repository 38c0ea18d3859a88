/* Paired comparisons: the difference between two strategies' mean, VaR and CVaR when both were run
 * on the same paths (common random numbers), with standard errors that use the pairing. Estimators
 * and sources: risk/paired.c and docs/COMPARING.md.
 * Deterministic: every figure depends only on the two P&L arrays (in global path order) and the
 * options, never on how the paths were split over threads or ranks. */
#ifndef MCR_PAIRED_H
#define MCR_PAIRED_H

#include <stdint.h>

#include "core/status.h"

#define MCR_PAIRED_BLOCKS 32 /* default number of path blocks for the VaR batch means */

typedef struct mcr_paired_opts {
    double level;   /* VaR / CVaR confidence level, in (0, 1), e.g. 0.99 */
    int antithetic; /* 1: paths 2k and 2k+1 are an antithetic pair and count as one sample */
    int blocks;     /* VaR se: this many blocks of consecutive paths (>= 2), whatever the threads */
} mcr_paired_opts;

/* Figures of a minus figures of b (a: the strategy, b: the baseline), losses L = -P&L. */
typedef struct mcr_paired_diff {
    double mean, mean_se; /* mean P&L */
    double var, var_se;   /* VaR at the level */
    double cvar, cvar_se; /* CVaR at the level */
    /* what the se's would be if a and b came from independent paths, sqrt(se_a^2 + se_b^2), each
     * by the same method: the gain of pairing is their ratio to the se's above */
    double mean_se_unpaired, var_se_unpaired, cvar_se_unpaired;
    uint64_t units; /* independent samples behind the mean and CVaR se's: n, or n / 2 pairs */
} mcr_paired_diff;

/* VaR and CVaR of one sample as the engine reports them (risk/risk.c): VaR = -x_(k), the k-th
 * smallest P&L with k = ceil(n (1 - level)), and
 * CVaR = VaR + sum_i (L_i - VaR)^+ / (n (1 - level)), which equals the engine's Acerbi-Tasche
 * expected shortfall. scratch: n doubles. */
void mcr_tail_var_cvar(const double *pnl, uint64_t n, double level, double *scratch, double *var,
                       double *cvar);

/* Compare pnl_a and pnl_b, both n paths long and in global path order (path i of a and of b
 * used the same random numbers). scratch: n doubles. Fails with MCR_ERR_INPUT (naming the option
 * and the allowed values) on a level outside (0, 1), fewer than 2 blocks, an odd n with antithetic
 * pairs, or blocks too small to hold one tail path each. */
mcr_status mcr_paired_compare(const double *pnl_a, const double *pnl_b, uint64_t n,
                              const mcr_paired_opts *opts, double *scratch, mcr_paired_diff *out,
                              mcr_error *err);

#endif
