/* Paired differences against the baseline over a communicator (compare.h). The estimators are
 * risk/paired.c's; this file only brings the paths of two strategies together in global path
 * order on rank 0 and spreads the figures back. */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paired.h"
#include "sim/vr.h"
#include "vr_se.h"

int mcr_compare_blocks(uint64_t n, double level)
{
    double tail = floor((double)n * (1.0 - level) + 1e-9);
    return tail >= MCR_PAIRED_BLOCKS ? MCR_PAIRED_BLOCKS : (int)tail;
}

/* This rank's pnl into rank 0's all[0..paths) (bit patterns: the gather moves 64-bit words). */
static void gather(const mcr_comm *c, const mcr_share *sh, const double *pnl, double *all)
{
    c->ops->gather_u64(c, (const uint64_t *)pnl, (int)sh->count, (uint64_t *)all);
}

/* Paths in the largest randomisation of qmc over n paths (block b of 64 is in b mod R). */
static uint64_t group_max(uint64_t n, const mcr_vr_config *vr)
{
    uint64_t blocks = (n + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS, R = (uint64_t)vr->randomisations;
    return MCR_BLOCK_PATHS * ((blocks + R - 1) / R);
}

/* Under qmc the R randomisations, not the paths, are the independent units (sim/vr.h): every
 * figure's se, paired and unpaired, becomes the spread of its R per-randomisation values, as
 * risk/vr_se.h does for one strategy; the point estimates stay the whole sample's. buf: 3 m +
 * R (3 + 4 levels) doubles, m = group_max. */
static void qmc_se(const double *a, const double *b, uint64_t n, const mcr_vr_config *vr,
                   double *buf, mcr_diff *d)
{
    const int R = vr->randomisations, L = d->n_levels, W = 1 + 2 * L; /* mean, var, cvar per l */
    const uint64_t m = group_max(n, vr);
    double *xa = buf, *xb = buf + m, *scratch = buf + 2 * m, *fa = buf + 3 * m, *fb = fa + R * W;
    double *diff = fb + R * W; /* R: the randomisations' differences of one figure */
    for (int g = 0; g < R; g++) {
        uint64_t k = 0;
        for (uint64_t first = (uint64_t)g * MCR_BLOCK_PATHS; first < n;
             first += (uint64_t)R * MCR_BLOCK_PATHS)
            for (uint64_t i = first; i < n && i < first + MCR_BLOCK_PATHS; i++, k++) {
                xa[k] = a[i];
                xb[k] = b[i];
            }
        double sa = 0, sb = 0;
        for (uint64_t i = 0; i < k; i++) {
            sa += xa[i];
            sb += xb[i];
        }
        fa[g * W] = sa / (double)k;
        fb[g * W] = sb / (double)k;
        for (int l = 0; l < L; l++) {
            double *x = fa + g * W + 1 + 2 * l, *y = fb + g * W + 1 + 2 * l;
            mcr_tail_var_cvar(xa, k, d->risk[l].level, scratch, &x[0], &x[1]);
            mcr_tail_var_cvar(xb, k, d->risk[l].level, scratch, &y[0], &y[1]);
        }
    }
    double se[1 + 2 * MCR_MAX_LEVELS] = {0}, unpaired[1 + 2 * MCR_MAX_LEVELS] = {0};
    for (int j = 0; j < W; j++) {
        for (int g = 0; g < R; g++)
            diff[g] = fa[g * W + j] - fb[g * W + j];
        double ua = mcr_spread_se(fa + j, R, W), ub = mcr_spread_se(fb + j, R, W);
        se[j] = mcr_spread_se(diff, R, 1);
        unpaired[j] = sqrt(ua * ua + ub * ub);
    }
    d->mean_se = se[0];
    d->mean_se_unpaired = unpaired[0];
    for (int l = 0; l < L; l++) {
        mcr_diff_row *row = &d->risk[l];
        if (isnan(row->var)) /* no paired figures at this level */
            continue;
        row->var_se = se[1 + 2 * l];
        row->var_se_unpaired = unpaired[1 + 2 * l];
        row->cvar_se = se[2 + 2 * l];
        row->cvar_se_unpaired = unpaired[2 + 2 * l];
    }
}

/* The differences of a (all[]) against b on rank 0. */
static void compare_one(const double *a, const double *b, uint64_t n, const double *levels,
                        int n_levels, bool antithetic, double *scratch, mcr_diff *d)
{
    d->mean = d->mean_se = d->mean_se_unpaired = NAN;
    d->n_levels = n_levels;
    for (int l = 0; l < n_levels; l++) {
        mcr_diff_row *row = &d->risk[l];
        mcr_paired_opts o = {.level = levels[l], .antithetic = antithetic,
                             .blocks = mcr_compare_blocks(n, levels[l])};
        mcr_paired_diff p;
        mcr_error err = {0};
        if (mcr_paired_compare(a, b, n, &o, scratch, &p, &err) != MCR_OK) {
            *row = (mcr_diff_row){levels[l], NAN, NAN, NAN, NAN, NAN, NAN};
            continue;
        }
        *row = (mcr_diff_row){levels[l], p.var, p.var_se, p.var_se_unpaired,
                              p.cvar, p.cvar_se, p.cvar_se_unpaired};
        d->mean = p.mean;
        d->mean_se = p.mean_se;
        d->mean_se_unpaired = p.mean_se_unpaired;
    }
}

bool mcr_risk_compare(const mcr_comm *c, const mcr_share *sh, mcr_strategy_result *cells, int n,
                      int baseline, const double *levels, int n_levels, const mcr_vr_config *vr,
                      double *scratch)
{
    const uint64_t paths = sh->paths;
    const bool qmc = vr->qmc == MCR_QMC_SOBOL;
    /* one rank holds the whole sample already: nothing to gather, nothing to allocate */
    bool root = c->rank == 0, alone = c->size == 1;
    double *base = root && !alone ? malloc(paths * sizeof *base) : NULL;
    double *other = root && !alone ? malloc(paths * sizeof *other) : NULL;
    double *work = root && !alone ? malloc(paths * sizeof *work) : scratch;
    double *groups = root && qmc ? malloc((3 * group_max(paths, vr) +
                                           (size_t)vr->randomisations * (3 + 4 * n_levels)) *
                                          sizeof *groups)
                                 : NULL;
    int32_t ok = (!root || alone || (base && other && work)) && (!root || !qmc || groups) &&
                 paths <= INT32_MAX;
    c->ops->allreduce(c, &ok, 1, MCR_COMM_I32, MCR_COMM_MIN);
    if (ok) {
        const double *b = alone ? mcr_cell_pnl(&cells[baseline]) : base;
        if (!alone)
            gather(c, sh, mcr_cell_pnl(&cells[baseline]), base);
        for (int t = 0; t < n; t++) {
            mcr_diff *d = &cells[t].diff;
            const double *a = t == baseline ? b : alone ? mcr_cell_pnl(&cells[t]) : other;
            if (t != baseline && !alone)
                gather(c, sh, mcr_cell_pnl(&cells[t]), other);
            if (root)
                compare_one(a, b, paths, levels, n_levels, vr->antithetic, work, d);
            if (root && qmc)
                qmc_se(a, b, paths, vr, groups, d);
            c->ops->bcast(c, d, sizeof *d, 0);
            snprintf(d->baseline, sizeof d->baseline, "%s", cells[baseline].strategy);
        }
    }
    free(base);
    free(other);
    free(groups);
    if (work != scratch)
        free(work);
    return ok;
}
