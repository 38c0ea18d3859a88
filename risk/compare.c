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
                      int baseline, const double *levels, int n_levels, bool antithetic,
                      double *scratch)
{
    const uint64_t paths = sh->paths;
    /* one rank holds the whole sample already: nothing to gather, nothing to allocate */
    bool root = c->rank == 0, alone = c->size == 1;
    double *base = root && !alone ? malloc(paths * sizeof *base) : NULL;
    double *other = root && !alone ? malloc(paths * sizeof *other) : NULL;
    double *work = root && !alone ? malloc(paths * sizeof *work) : scratch;
    int32_t ok = (!root || alone || (base && other && work)) && paths <= INT32_MAX;
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
                compare_one(a, b, paths, levels, n_levels, antithetic, work, d);
            c->ops->bcast(c, d, sizeof *d, 0);
            snprintf(d->baseline, sizeof d->baseline, "%s", cells[baseline].strategy);
        }
    }
    free(base);
    free(other);
    if (work != scratch)
        free(work);
    return ok;
}
