/* Importance-sampling estimators of the mean, VaR and CVaR with their standard errors.
 *
 * Paths i = 1..n are drawn under the tilted measure; w_i = dP/dQ along path i, L_i its loss;
 * level a, p = 1 - a. With the losses sorted in decreasing order L_[1] >= L_[2] >= ... and
 * W_j = w_[1] + ... + w_[j] (Glynn 1996, "Importance sampling for Monte Carlo estimation of
 * quantiles"; Sun & Hong 2010, Oper. Res. Lett. 38, "Asymptotic representations for
 * importance-sampling estimators of value-at-risk and conditional value-at-risk"):
 *   tail function   P(L >= x) ~ (1/n) sum_i w_i 1{L_i >= x}
 *   VaR             L_[j*], j* = min { j : W_j >= n p }  (all w = 1: j* = ceil(n p), the engine's)
 *   CVaR            VaR + (1/(n p)) sum_i w_i (L_i - VaR)^+
 *                   (all w = 1: the engine's Acerbi-Tasche expected shortfall)
 *   se(CVaR)        sd_i( w_i (L_i - VaR)^+ ) / (p sqrt(n)): the derivative of the CVaR estimator
 *                   in VaR vanishes at the quantile (Rockafellar & Uryasev 2000), so its error is
 *                   that of the mean of w (L - VaR)^+ / p (Sun & Hong 2010, Theorem 2; Hong, Hu &
 *                   Liu 2014, ACM TOMACS 24(4), sec. 5).
 *   se(VaR)         the Bahadur representation VaR_hat - VaR ~ (tail_hat(VaR) - p) / f(VaR)
 *                   (Sun & Hong 2010, Theorem 1; Chu & Nakayama 2012, ACM TOMACS 22(2)) gives
 *                   se = s_p / f(VaR) with s_p = sd_i( w_i 1{L_i >= VaR} ) / sqrt(n). The
 *                   density is not estimated separately: the finite difference over the window
 *                   +- s_p, (VaR(p - s_p) - VaR(p + s_p)) / 2, estimates s_p / f directly. With
 *                   all w = 1, s_p = sqrt(p (1 - p) / n) and this is the engine's rank-window se
 *                   (risk/risk.c), up to its rounding of the window to whole ranks.
 *   mean            (1/n) sum w_i x_i with se sd(w x) / sqrt(n) (Glasserman 2004, sec. 4.6).
 * Ties in the sort are broken by path index, so the figures do not depend on qsort's order. */
#include "weighted.h"

#include <math.h>
#include <stdlib.h>

static int by_loss_desc(const void *pa, const void *pb)
{
    const mcr_weighted_loss *a = pa, *b = pb;
    if (a->loss != b->loss)
        return a->loss < b->loss ? 1 : -1;
    return (a->index > b->index) - (a->index < b->index);
}

/* The mean of w_i x_i, i < m, and its se sd(w x) / sqrt(m), two-pass in index order. */
static double mean_se(const double *x, const double *w, uint64_t m, double *mean_out)
{
    double mean = 0.0, ss = 0.0;
    for (uint64_t i = 0; i < m; i++)
        mean += w[i] * x[i];
    mean /= (double)m;
    for (uint64_t i = 0; i < m; i++)
        ss += (w[i] * x[i] - mean) * (w[i] * x[i] - mean);
    *mean_out = mean;
    return sqrt(ss / (double)(m - 1) / (double)m);
}

void mcr_weighted_mean(const double *x, const double *w, uint64_t n, double *mean, double *se)
{
    *se = mean_se(x, w, n, mean);
}

/* 0-based position of the weighted quantile at tail probability q in the sorted view: the first
 * j with W_(j+1) >= n q (1e-9 keeps an exact n q from needing one more path, as in risk/risk.c);
 * clamped to the ends. */
static uint64_t quantile_rank(const mcr_weighted_loss *s, uint64_t n, double q)
{
    double target = (double)n * q - 1e-9, cum = 0.0;
    for (uint64_t j = 0; j < n; j++) {
        cum += s[j].w;
        if (cum >= target)
            return j;
    }
    return n - 1;
}

static mcr_status sort_sample(const double *loss, const double *w, uint64_t n,
                              mcr_weighted_loss *s, mcr_error *err)
{
    for (uint64_t i = 0; i < n; i++) {
        if (!(w[i] >= 0.0) || !isfinite(w[i]))
            return mcr_fail(err, MCR_ERR_INPUT,
                            "weighted estimator: weight of path %llu must be finite and >= 0 "
                            "(got %g)",
                            (unsigned long long)i, w[i]);
        s[i] = (mcr_weighted_loss){loss[i], w[i], i};
    }
    qsort(s, n, sizeof *s, by_loss_desc);
    return MCR_OK;
}

static mcr_status check_level(double level, uint64_t n, mcr_error *err)
{
    if (!(level > 0.0 && level < 1.0))
        return mcr_fail(err, MCR_ERR_INPUT, "weighted estimator level: must be in (0, 1) (got %g)",
                        level);
    if (n < 2)
        return mcr_fail(err, MCR_ERR_INPUT, "weighted estimator: needs at least 2 paths (got %llu)",
                        (unsigned long long)n);
    return MCR_OK;
}

mcr_status mcr_weighted_tail_of(const double *loss, const double *w, uint64_t n, double level,
                                mcr_weighted_loss *scratch, mcr_weighted_tail *out,
                                mcr_error *err)
{
    mcr_status st = check_level(level, n, err);
    if (st == MCR_OK)
        st = sort_sample(loss, w, n, scratch, err);
    if (st != MCR_OK)
        return st;
    double p = 1.0 - level;
    double var = scratch[quantile_rank(scratch, n, p)].loss;

    /* two passes in index order: the means of the excess and tail-indicator terms (and the ESS
     * sums), then their sample variances (n - 1 denominator) */
    double ex = 0.0, ind = 0.0, sw = 0.0, sw2 = 0.0, nn = (double)n;
    for (uint64_t i = 0; i < n; i++) {
        ex += loss[i] > var ? w[i] * (loss[i] - var) : 0.0;
        ind += loss[i] >= var ? w[i] : 0.0;
        sw += w[i];
        sw2 += w[i] * w[i];
    }
    double ex_mean = ex / nn, ind_mean = ind / nn, ss_ex = 0.0, ss_ind = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        double e = (loss[i] > var ? w[i] * (loss[i] - var) : 0.0) - ex_mean;
        double t = (loss[i] >= var ? w[i] : 0.0) - ind_mean;
        ss_ex += e * e;
        ss_ind += t * t;
    }
    double sp = sqrt(ss_ind / (nn - 1) / nn);

    out->var = var;
    out->cvar = var + ex_mean / p;
    out->cvar_se = sqrt(ss_ex / (nn - 1) / nn) / p;
    out->tail_prob_se = sp;
    double hi = scratch[quantile_rank(scratch, n, p - sp)].loss; /* p - sp may be <= 0: top */
    double lo = scratch[quantile_rank(scratch, n, p + sp)].loss;
    out->var_se = 0.5 * (hi - lo);
    out->ess = sw2 > 0 ? sw * sw / sw2 : 0.0;
    return MCR_OK;
}

mcr_status mcr_weighted_pilot_shift(const double *zeta, int assets, const double *loss,
                                    const double *w, uint64_t n, double level, int window,
                                    mcr_weighted_loss *scratch, double *shift, int *reached,
                                    mcr_error *err)
{
    mcr_status st = check_level(level, n, err);
    if (st != MCR_OK)
        return st;
    if (window < 2 || (uint64_t)window > n)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "pilot shift window: must be an integer in 2 .. %llu, the pilot's paths "
                        "(got %d)",
                        (unsigned long long)n, window);
    if ((st = sort_sample(loss, w, n, scratch, err)) != MCR_OK)
        return st;
    uint64_t at = quantile_rank(scratch, n, 1.0 - level), half = (uint64_t)window / 2;
    *reached = at + 1 >= (uint64_t)window; /* the tail beyond the VaR holds >= window paths */
    if (!*reached)
        at = (uint64_t)window - 1;
    uint64_t lo = at - half, hi = lo + (uint64_t)window; /* at >= half: lo >= 0 */
    if (hi > n) {
        hi = n;
        lo = n - (uint64_t)window;
    }
    for (int a = 0; a < assets; a++) {
        double sz = 0.0, sw = 0.0;
        for (uint64_t j = lo; j < hi; j++) {
            sz += scratch[j].w * zeta[scratch[j].index * (uint64_t)assets + (uint64_t)a];
            sw += scratch[j].w;
        }
        shift[a] = sw > 0 ? sz / sw : 0.0;
    }
    return MCR_OK;
}
