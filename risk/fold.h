/* The block-statistics fold: the summary attributes of every field (core/fields.h: means, event
 * probabilities) and the baseline's variance for hedge_effectiveness, reduced from per-block
 * partial sums in block order. The summaries are then the same whether or not the per-path arrays
 * are kept (keep_pnl false keeps only these sums), at any thread count, and over any number of
 * ranks: each rank folds its own blocks on from where the rank before it stopped. */
#ifndef MCR_FOLD_H
#define MCR_FOLD_H

#include <stdint.h>

#include "core/comm.h"
#include "core/fields.h"
#include "cv_moments.h"
#include "result.h"

/* A partial sum of one field: double for F64 means, int64 for I32 means, uint64 for U32 means
 * and for event counts. */
typedef union mcr_field_sum {
    double f;
    int64_t i;
    uint64_t u;
} mcr_field_sum;

/* What one block of one strategy contributes. */
typedef struct mcr_block_stats {
    mcr_field_sum sum[MCR_N_FIELDS]; /* over the block's paths, for fields with a summary */
    double base_mean, base_m2; /* the baseline field's mean and sum of squared deviations */
    mcr_cv_moments cv;         /* P&L and the control (control_variate), else zero */
} mcr_block_stats;

/* The partial sums of paths [first, first + count) of one strategy; set's arrays are indexed by
 * global path and must hold every field that has a summary. control: the block's control
 * variate values (count of them, block-local), or NULL. */
void mcr_block_stats_of(const mcr_field_set *set, uint64_t first, int count,
                        const double *control, mcr_block_stats *bs);

/* The running reduction over the blocks, in block order. */
typedef struct mcr_fold {
    mcr_field_sum sum[MCR_N_FIELDS];
    double mean, m2; /* of the baseline, over `count` paths */
    uint64_t count;
    mcr_cv_moments cv_pilot, cv_main; /* the blocks before pilot_blocks, and the others */
} mcr_fold;

/* Fold blocks [first_block, first_block + n_blocks) of a run of `paths` paths, bs[j] being block
 * first_block + j, into f; the control-variate moments of blocks below pilot_blocks go to the
 * pilot. */
void mcr_fold_blocks(mcr_fold *f, const mcr_block_stats *bs, uint64_t first_block,
                     uint64_t n_blocks, uint64_t paths, uint64_t pilot_blocks);

/* Every strategy's fold over the blocks of all ranks in block order (collective): rank r folds
 * this rank's blocks (stats[t * stride + j] for strategy t, j from 0, covering the rank's paths
 * share->first..) on from rank r - 1's folds, and the last rank's are broadcast. */
void mcr_fold_share(const mcr_comm *c, const mcr_share *sh, const mcr_block_stats *stats,
                    uint64_t stride, int n_strategies, uint64_t pilot_blocks, mcr_fold *folds);

/* The cell's stat[], stat_se[] and hedge_effectiveness from a whole fold over n paths; the
 * cell's summary (its std) must be filled first. */
void mcr_fold_finish(const mcr_fold *f, uint64_t n, mcr_strategy_result *c);

#endif
