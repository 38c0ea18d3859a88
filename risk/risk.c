/* Estimators of mean, VaR and CVaR with their standard errors.
 *
 * Let x_(1) <= ... <= x_(n) be the sorted P&L, level a (e.g. 0.99), tail probability p = 1 - a,
 * np = n p, k = ceil(np) (at least 1).
 *   VaR_a  = -x_(k)                                        (empirical (1-a)-quantile, negated)
 *   CVaR_a = -(1/np) [ sum_{i <= floor(np)} x_(i) + (np - floor(np)) x_(floor(np)+1) ]
 *            (Acerbi-Tasche: the exact expected shortfall of the empirical distribution)
 *   se(VaR): the rank of the true quantile in the sample is Binomial(n, p), with standard
 *            deviation d = sqrt(n p (1-p)); half the spread of the order statistics one rank-sd
 *            either side, (x_(k+d) - x_(k-d)) / 2, estimates the estimator's standard deviation
 *            without a density estimate (it equals sqrt(p(1-p)/n) / f(q) for a smooth density f).
 *   se(CVaR) = sqrt( (Var(L | L >= VaR) + a (CVaR - VaR)^2) / (n p) ), L = -P&L: the variance of
 *            the estimator's influence function VaR + (L - VaR)^+ / p - CVaR (Manistre & Hancock
 *            2005; Hong, Hu & Liu 2014).
 *   mean_se = std / sqrt(n), std with the n - 1 denominator; sums run over fixed chunks of
 *   MCR_CHUNK_PATHS paths whose partial sums are added in chunk order, so a run split across
 *   processes on chunk boundaries reproduces them bit for bit.
 * Only the lower tail needs ordering: a selection step puts the smallest m values first and only
 * those are sorted, O(n + m log m). Here: the estimators on the sorted tail; summary.c finds the
 * tail and the moments of a sample spread over the ranks of a communicator. */
#include "risk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mcr_select_smallest(double *v, int64_t n, int64_t m)
{
    int64_t lo = 0, hi = n - 1, target = m - 1;
    while (lo < hi) {
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        /* v[lo..j] <= pivot <= v[i..hi], and v[j+1..i-1] == pivot */
        if (target <= j)
            hi = j;
        else if (target >= i)
            lo = i;
        else
            return;
    }
}

static uint64_t clamp_index(int64_t i, uint64_t n)
{
    return i < 1 ? 1 : (uint64_t)i > n ? n : (uint64_t)i;
}

/* sorted holds the m smallest of n values in order; m covers k + d for this level. */
static void tail_figures(const double *sorted, uint64_t n, uint64_t m, double level,
                         mcr_risk_row *row)
{
    double p = 1.0 - level, np = (double)n * p;
    uint64_t k = clamp_index((int64_t)ceil(np - 1e-9), n);
    uint64_t whole = (uint64_t)floor(np + 1e-9);
    if (whole >= m)
        whole = m - 1;
    double tail_sum = 0.0;
    for (uint64_t i = 0; i < whole; i++)
        tail_sum += sorted[i];
    tail_sum += (np - (double)whole) * sorted[whole];
    double var = -sorted[k - 1], cvar = -tail_sum / np;

    int64_t d = (int64_t)ceil(sqrt(np * level));
    double var_se = 0.5 * (sorted[clamp_index((int64_t)k + d, m) - 1]
                           - sorted[clamp_index((int64_t)k - d, m) - 1]);

    /* Var(L | L >= VaR) over the k tail values, two-pass. */
    double mean_tail = 0.0, ss = 0.0;
    for (uint64_t i = 0; i < k; i++)
        mean_tail += -sorted[i];
    mean_tail /= (double)k;
    for (uint64_t i = 0; i < k; i++)
        ss += (-sorted[i] - mean_tail) * (-sorted[i] - mean_tail);
    double var_tail = k > 1 ? ss / (double)(k - 1) : 0.0;
    double excess = cvar - var;

    row->level = level;
    row->var = var;
    row->var_se = var_se;
    row->cvar = cvar;
    row->cvar_se = sqrt((var_tail + level * excess * excess) / np);
}

double mcr_chunk_moment(const double *x, uint64_t n, double shift, int power)
{
    double sum = 0.0;
    if (power == 1)
        for (uint64_t i = 0; i < n; i++)
            sum += x[i] - shift;
    else
        for (uint64_t i = 0; i < n; i++)
            sum += (x[i] - shift) * (x[i] - shift);
    return sum;
}

void mcr_summary_from_moments(mcr_summary *out, uint64_t n, double mean, double ss, int n_levels)
{
    memset(out, 0, sizeof *out);
    out->mean = mean;
    out->std = sqrt(ss / (double)(n - 1));
    out->mean_se = out->std / sqrt((double)n);
    out->n_levels = n_levels;
}

uint64_t mcr_tail_count(uint64_t n, const double *levels, int n_levels)
{
    if (n_levels == 0)
        return 0;
    /* The widest tail (lowest level; levels are increasing) plus the VaR standard-error window
     * decides how many of the smallest values must be sorted. */
    double widest = (double)n * (1.0 - levels[0]);
    uint64_t m = (uint64_t)ceil(widest + sqrt(widest) + 3.0);
    return m > n ? n : m;
}

void mcr_risk_tail(const double *sorted, uint64_t n, uint64_t m, const double *levels,
                   int n_levels, mcr_risk_row *rows)
{
    for (int l = 0; l < n_levels; l++)
        tail_figures(sorted, n, m, levels[l], &rows[l]);
}

void mcr_histogram_ranks(uint64_t n, uint64_t *k_lo, uint64_t *k_hi)
{
    uint64_t lo = (uint64_t)ceil((double)n * MCR_HIST_TAIL - 1e-9);
    uint64_t hi = (uint64_t)ceil((double)n * (1 - MCR_HIST_TAIL) - 1e-9);
    lo = lo < 1 ? 1 : lo;
    *k_lo = lo;
    *k_hi = hi < lo ? lo : hi > n ? n : hi;
}

void mcr_histogram_fill(mcr_histogram *h, double lo, double hi, const double *x, uint64_t n)
{
    if (!(hi > lo)) { /* a (nearly) constant sample: one unit around it */
        double mid = lo;
        lo = mid - 0.5;
        hi = mid + 0.5;
    }
    memset(h, 0, sizeof *h);
    h->bins = MCR_HIST_BINS;
    double w = (hi - lo) / MCR_HIST_BINS;
    for (int i = 0; i < MCR_HIST_BINS; i++)
        h->edges[i] = lo + i * w;
    h->edges[MCR_HIST_BINS] = hi;
    for (uint64_t p = 0; p < n; p++) {
        double v = x[p];
        if (!(v >= lo)) {
            h->underflow++;
        } else if (v > hi) {
            h->overflow++;
        } else {
            /* the division may land one bin off the stored edges: the edges decide */
            int64_t i = (int64_t)((v - lo) / w);
            i = i >= MCR_HIST_BINS ? MCR_HIST_BINS - 1 : i;
            while (i > 0 && v < h->edges[i])
                i--;
            while (i < MCR_HIST_BINS - 1 && v >= h->edges[i + 1])
                i++;
            h->counts[i]++;
        }
    }
}
