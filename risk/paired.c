/* Paired differences of mean, VaR and CVaR with their standard errors.
 *
 * Losses L = -P&L, level a, tail probability p = 1 - a, n paths, strategy a and baseline b.
 *   Mean:  d_i = pnl_a,i - pnl_b,i; the difference is mean(d), its se sd(d) / sqrt(n).
 *   CVaR:  the estimator's influence function (Manistre & Hancock 2005; Hong, Hu & Liu 2014,
 *          ACM TOMACS 24(4), sec. 4) is phi_i = VaR + (L_i - VaR)^+ / p - CVaR, so
 *          CVaR_hat - CVaR ~ mean(phi). The difference of two CVaRs on the same paths is then
 *          ~ mean(phi_a - phi_b), and its se is sd(phi_a,i - phi_b,i) / sqrt(n): the per-path
 *          difference of the influence values, which is small when the strategies' tails move
 *          together. With phi evaluated at the estimates, mean(phi) = 0 exactly.
 *   VaR:   no smooth influence value without a density, so batch means (sectioning: Asmussen &
 *          Glynn 2007, Stochastic Simulation, sec. III.5a; Nakayama 2014, ACM TOMACS 24(4)):
 *          the paths are cut into B blocks of consecutive global indices, D_j = VaR_a - VaR_b on
 *          block j alone, and se^2 = sum_j (D_j - D)^2 / ((B - 1) B) around the full-sample D.
 *          B is fixed by the options, not by the threads, so the figure is reproducible at any
 *          thread or rank count.
 *   Antithetic pairs: paths 2k and 2k+1 are one unit; mean and CVaR se's use the pair averages
 *          of d_i and phi_a,i - phi_b,i (n / 2 units), and VaR blocks hold whole pairs.
 * Unpaired se's treat a and b as independent samples and add the variances of the same
 * estimators: sd(pnl_a), sd(phi_a) and the batch VaR's of a alone, and likewise for b. */
#include "paired.h"

#include <math.h>
#include <string.h>

#include "risk.h"
#include "select.h"

/* k = ceil(n p) (at least 1, at most n): the rank of the VaR among the n P&L values, as in
 * risk/risk.c (the 1e-9 keeps an exact integer n p from rounding up). */
static uint64_t tail_rank(uint64_t n, double p)
{
    double np = (double)n * p;
    int64_t k = (int64_t)ceil(np - 1e-9);
    return k < 1 ? 1 : (uint64_t)k > n ? n : (uint64_t)k;
}

static double var_of(const double *pnl, uint64_t n, double p, double *scratch)
{
    return -mcr_kth_smallest_of(pnl, n, tail_rank(n, p), scratch);
}

void mcr_tail_var_cvar(const double *pnl, uint64_t n, double level, double *scratch, double *var,
                       double *cvar)
{
    double p = 1.0 - level;
    double v = var_of(pnl, n, p, scratch), excess = 0.0;
    for (uint64_t i = 0; i < n; i++) {
        double l = -pnl[i];
        excess += l > v ? l - v : 0.0;
    }
    *var = v;
    *cvar = v + excess / ((double)n * p);
}

/* sd(x[0 .. m)) / sqrt(m), two-pass, index order. */
static double se_of(const double *x, uint64_t m)
{
    double mean = 0.0, ss = 0.0;
    for (uint64_t i = 0; i < m; i++)
        mean += x[i];
    mean /= (double)m;
    for (uint64_t i = 0; i < m; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    return sqrt(ss / (double)(m - 1) / (double)m);
}

/* The two samples and their tail figures. */
typedef struct tails {
    const double *a, *b;
    double var_a, cvar_a, var_b, cvar_b, p;
} tails;

static double phi(double pnl, double var, double cvar, double p)
{
    double l = -pnl;
    return var + (l > var ? l - var : 0.0) / p - cvar;
}

/* The per-path values the se's are taken over. */
typedef double (*path_value)(const tails *t, uint64_t i);
static double mean_a(const tails *t, uint64_t i) { return t->a[i]; }
static double mean_b(const tails *t, uint64_t i) { return t->b[i]; }
static double mean_diff(const tails *t, uint64_t i) { return t->a[i] - t->b[i]; }
static double phi_a(const tails *t, uint64_t i) { return phi(t->a[i], t->var_a, t->cvar_a, t->p); }
static double phi_b(const tails *t, uint64_t i) { return phi(t->b[i], t->var_b, t->cvar_b, t->p); }
static double phi_diff(const tails *t, uint64_t i) { return phi_a(t, i) - phi_b(t, i); }

/* se of the mean of f over `units` units of `per_unit` consecutive paths (a unit's value is the
 * average over its paths). scratch: units doubles. */
static double unit_se(const tails *t, path_value f, uint64_t units, int per_unit, double *scratch)
{
    for (uint64_t u = 0; u < units; u++) {
        double s = 0.0;
        for (int j = 0; j < per_unit; j++)
            s += f(t, u * (uint64_t)per_unit + (uint64_t)j);
        scratch[u] = s / per_unit;
    }
    return se_of(scratch, units);
}

/* Sectioning: sqrt(sum_j (x_j - full)^2 / ((B - 1) B)). */
static double section_se(const double *x, int blocks, double full)
{
    double ss = 0.0;
    for (int j = 0; j < blocks; j++)
        ss += (x[j] - full) * (x[j] - full);
    return sqrt(ss / (double)(blocks - 1) / (double)blocks);
}

#define MCR_PAIRED_MAX_BLOCKS 1024

mcr_status mcr_paired_compare(const double *pnl_a, const double *pnl_b, uint64_t n,
                              const mcr_paired_opts *o, double *scratch, mcr_paired_diff *out,
                              mcr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(o->level > 0.0 && o->level < 1.0))
        return mcr_fail(err, MCR_ERR_INPUT, "paired comparison level: must be in (0, 1) (got %g)",
                        o->level);
    if (o->blocks < 2 || o->blocks > MCR_PAIRED_MAX_BLOCKS)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "paired comparison blocks: must be an integer in 2 .. %d (got %d)",
                        MCR_PAIRED_MAX_BLOCKS, o->blocks);
    int per_unit = o->antithetic ? 2 : 1;
    if (o->antithetic && n % 2)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "paired comparison: antithetic pairs need an even path count (got %llu)",
                        (unsigned long long)n);
    uint64_t units = n / (uint64_t)per_unit, blocks = (uint64_t)o->blocks;
    double p = 1.0 - o->level;
    uint64_t smallest = units / blocks * (uint64_t)per_unit; /* paths in the smallest block */
    if ((double)smallest * p < 1.0 - 1e-9) /* 1e-9: n p = 1 exactly is enough */
        return mcr_fail(err, MCR_ERR_INPUT,
                        "paired comparison: %llu paths in %d blocks leave %llu per block, fewer "
                        "than the 1 / (1 - level) = %.0f a block's VaR at level %g needs",
                        (unsigned long long)n, o->blocks, (unsigned long long)smallest, ceil(1 / p),
                        o->level);

    tails t = {pnl_a, pnl_b, 0, 0, 0, 0, p};
    mcr_tail_var_cvar(pnl_a, n, o->level, scratch, &t.var_a, &t.cvar_a);
    mcr_tail_var_cvar(pnl_b, n, o->level, scratch, &t.var_b, &t.cvar_b);

    double mean = 0.0;
    for (uint64_t i = 0; i < n; i++)
        mean += pnl_a[i] - pnl_b[i];
    out->mean = mean / (double)n;
    out->var = t.var_a - t.var_b;
    out->cvar = t.cvar_a - t.cvar_b;
    out->units = units;
    out->mean_se = unit_se(&t, mean_diff, units, per_unit, scratch);
    out->cvar_se = unit_se(&t, phi_diff, units, per_unit, scratch);
    out->mean_se_unpaired = hypot(unit_se(&t, mean_a, units, per_unit, scratch),
                                  unit_se(&t, mean_b, units, per_unit, scratch));
    out->cvar_se_unpaired = hypot(unit_se(&t, phi_a, units, per_unit, scratch),
                                  unit_se(&t, phi_b, units, per_unit, scratch));

    /* batch VaR's: block j holds units [j U / B, (j + 1) U / B), whole pairs */
    double d[MCR_PAIRED_MAX_BLOCKS], va[MCR_PAIRED_MAX_BLOCKS], vb[MCR_PAIRED_MAX_BLOCKS];
    for (uint64_t j = 0; j < blocks; j++) {
        uint64_t lo = j * units / blocks * (uint64_t)per_unit;
        uint64_t hi = (j + 1) * units / blocks * (uint64_t)per_unit;
        va[j] = var_of(pnl_a + lo, hi - lo, p, scratch);
        vb[j] = var_of(pnl_b + lo, hi - lo, p, scratch);
        d[j] = va[j] - vb[j];
    }
    out->var_se = section_se(d, o->blocks, out->var);
    out->var_se_unpaired =
        hypot(section_se(va, o->blocks, t.var_a), section_se(vb, o->blocks, t.var_b));
    return MCR_OK;
}
