/* The block-statistics fold (fold.h), generic over the field registry. */
#include "fold.h"

#include <math.h>
#include <string.h>

#include "kernels/kernels.h"

/* Whether x[0..count) are all zeros (of either sign): a test the compiler vectorises, where the
 * in-order sum is a chain of dependent adds. Most fields of a strategy are zeros. */
static bool all_zero(const double *x, int count)
{
    uint64_t bits = 0;
    for (int i = 0; i < count; i++) {
        uint64_t u;
        memcpy(&u, &x[i], sizeof u);
        bits |= u << 1; /* the sign dropped */
    }
    return bits == 0;
}

/* The partial sum of one field over a block: the type and kind are decided once per field,
 * outside the loop over the paths. */
static mcr_field_sum field_sum(const mcr_field *d, const void *a, uint64_t first, int count)
{
    mcr_field_sum s = {.u = 0};
    bool event = d->summary == MCR_SUMMARY_EVENT;
    if (d->type == MCR_FIELD_F64) {
        const double *x = (const double *)a + first;
        if (event)
            for (int i = 0; i < count; i++)
                s.u += x[i] >= 0;
        else if (!all_zero(x, count)) /* in order: a chain of adds; zeros (+-0) sum to +0 */
            for (int i = 0; i < count; i++)
                s.f += x[i];
    } else if (d->type == MCR_FIELD_I32) {
        const int32_t *x = (const int32_t *)a + first;
        if (event)
            for (int i = 0; i < count; i++)
                s.u += x[i] >= 0;
        else
            for (int i = 0; i < count; i++)
                s.i += x[i];
    } else {
        const uint32_t *x = (const uint32_t *)a + first;
        if (event)
            s.u = (uint64_t)count; /* an unsigned value is always >= 0 */
        else
            for (int i = 0; i < count; i++)
                s.u += x[i];
    }
    return s;
}

void mcr_block_stats_of(const mcr_field_set *set, uint64_t first, int count,
                        const double *control, mcr_block_stats *bs)
{
    memset(bs, 0, sizeof *bs);
    if (control)
        mcr_cv_moments_of((const double *)set->at[MCR_FIELD_PNL] + first, control, count,
                          &bs->cv);
    int base = -1;
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        if (mcr_fields[f].baseline)
            base = f;
        if (mcr_fields[f].summary != MCR_SUMMARY_NONE)
            bs->sum[f] = field_sum(&mcr_fields[f], set->at[f], first, count);
    }
    if (base < 0)
        return;
    const double *x = (const double *)set->at[base] + first;
    bs->base_mean = bs->sum[base].f / count;
    for (int i = 0; i < count; i++) {
        double d = x[i] - bs->base_mean;
        bs->base_m2 += d * d;
    }
}

void mcr_fold_blocks(mcr_fold *f, const mcr_block_stats *bs, uint64_t first_block,
                     uint64_t n_blocks, uint64_t paths, uint64_t pilot_blocks)
{
    for (uint64_t j = 0; j < n_blocks; j++) {
        uint64_t b = first_block + j, first = b * MCR_BLOCK_PATHS;
        mcr_cv_moments_merge(b < pilot_blocks ? &f->cv_pilot : &f->cv_main, &bs[j].cv);
        uint64_t m = paths - first < MCR_BLOCK_PATHS ? paths - first : MCR_BLOCK_PATHS;
        for (int k = 0; k < MCR_N_FIELDS; k++) {
            const mcr_field *d = &mcr_fields[k];
            if (d->summary == MCR_SUMMARY_MEAN && d->type == MCR_FIELD_F64)
                f->sum[k].f += bs[j].sum[k].f;
            else if (d->summary == MCR_SUMMARY_MEAN && d->type == MCR_FIELD_I32)
                f->sum[k].i += bs[j].sum[k].i;
            else if (d->summary != MCR_SUMMARY_NONE)
                f->sum[k].u += bs[j].sum[k].u;
        }
        /* Chan et al.: the variance of the union from each part's mean and squared deviations */
        double delta = bs[j].base_mean - f->mean, total = (double)(f->count + m);
        f->mean += delta * (double)m / total;
        f->m2 += bs[j].base_m2 + delta * delta * (double)f->count * (double)m / total;
        f->count += m;
    }
}

void mcr_fold_share(const mcr_comm *c, const mcr_share *sh, const mcr_block_stats *stats,
                    uint64_t stride, int n_strategies, uint64_t pilot_blocks, mcr_fold *folds)
{
    size_t bytes = (size_t)n_strategies * sizeof *folds;
    memset(folds, 0, bytes);
    if (c->rank > 0)
        c->ops->recv(c, folds, bytes, c->rank - 1);
    uint64_t blocks = (sh->count + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    for (int t = 0; t < n_strategies; t++)
        mcr_fold_blocks(&folds[t], stats + (size_t)t * stride, sh->first / MCR_BLOCK_PATHS,
                        blocks, sh->paths, pilot_blocks);
    if (c->rank + 1 < c->size)
        c->ops->send(c, folds, bytes, c->rank + 1);
    c->ops->bcast(c, folds, bytes, c->size - 1);
}

void mcr_fold_finish(const mcr_fold *f, uint64_t n, mcr_strategy_result *c)
{
    for (int k = 0; k < MCR_N_FIELDS; k++) {
        const mcr_field *d = &mcr_fields[k];
        double sum = d->type == MCR_FIELD_F64 && d->summary == MCR_SUMMARY_MEAN ? f->sum[k].f
                     : d->type == MCR_FIELD_I32 && d->summary == MCR_SUMMARY_MEAN
                         ? (double)f->sum[k].i
                         : (double)f->sum[k].u;
        c->stat[k] = c->stat_se[k] = 0;
        if (d->summary == MCR_SUMMARY_MEAN) {
            c->stat[k] = sum / (double)n;
        } else if (d->summary == MCR_SUMMARY_EVENT) {
            double p = sum / (double)n;
            c->stat[k] = p;
            c->stat_se[k] = sqrt(p * (1 - p) / (double)n);
        }
    }
    double base_var = f->m2 / (double)(n > 1 ? n - 1 : 1);
    c->hedge_effectiveness = base_var > 0 ? 1.0 - c->summary.std * c->summary.std / base_var : 0;
}
