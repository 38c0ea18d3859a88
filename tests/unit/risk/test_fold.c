/* Suite fold: the block-statistics fold gives every field's summary as computed directly from
 * the per-path values, and folding blocks in pieces (as the ranks of an MPI run do, each going on
 * from the one before) gives the same bits as one fold. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/pcg32.h"
#include "risk/fold.h"

enum { PATHS = 1000 }; /* 15 whole blocks and one of 40 paths */

typedef struct sample {
    mcr_field_set set;
    mcr_block_stats *stats;
    uint64_t n_blocks;
} sample;

static sample make_sample(void)
{
    sample s;
    cr_assert(mcr_field_set_alloc(&s.set, PATHS, MCR_FIELDS_ALL));
    mcr_pcg32 g = mcr_pcg32_for_path(12345, 1);
    for (int f = 0; f < MCR_N_FIELDS; f++)
        for (int i = 0; i < PATHS; i++) {
            uint32_t u = mcr_pcg32_next(&g);
            if (mcr_fields[f].type == MCR_FIELD_F64)
                ((double *)s.set.at[f])[i] = ((double)u - 2147483648.0) / 1e6;
            else if (mcr_fields[f].type == MCR_FIELD_I32)
                ((int32_t *)s.set.at[f])[i] = u % 5 ? -1 : (int32_t)(u % 700);
            else
                ((uint32_t *)s.set.at[f])[i] = u % 50;
        }
    s.n_blocks = (PATHS + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    s.stats = calloc(s.n_blocks, sizeof *s.stats);
    for (uint64_t b = 0; b < s.n_blocks; b++) {
        uint64_t first = b * MCR_BLOCK_PATHS;
        int count = PATHS - first < MCR_BLOCK_PATHS ? (int)(PATHS - first) : MCR_BLOCK_PATHS;
        mcr_block_stats_of(&s.set, first, count, NULL, &s.stats[b]);
    }
    return s;
}

static void sample_free(sample *s)
{
    mcr_field_set_free(&s->set);
    free(s->stats);
}

/* The sample variance, two-pass, n - 1 denominator. */
static double variance(const double *x, int n)
{
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++)
        m += x[i];
    m /= n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    return ss / (n - 1);
}

Test(fold, summaries_match_the_per_path_values)
{
    sample s = make_sample();
    mcr_fold f = {0};
    mcr_fold_blocks(&f, s.stats, 0, s.n_blocks, PATHS, 0);
    mcr_strategy_result c = {0};
    c.summary.std = sqrt(variance(s.set.at[MCR_FIELD_PNL], PATHS));
    mcr_fold_finish(&f, PATHS, &c);
    for (int k = 0; k < MCR_N_FIELDS; k++) {
        const mcr_field *d = &mcr_fields[k];
        double sum = 0;
        uint64_t events = 0;
        for (int i = 0; i < PATHS; i++) {
            double v = d->type == MCR_FIELD_F64   ? ((double *)s.set.at[k])[i]
                       : d->type == MCR_FIELD_I32 ? (double)((int32_t *)s.set.at[k])[i]
                                                  : (double)((uint32_t *)s.set.at[k])[i];
            sum += v;
            events += v >= 0;
        }
        if (d->summary == MCR_SUMMARY_NONE) {
            cr_assert_eq(c.stat[k], 0.0, "%s", d->name);
        } else if (d->summary == MCR_SUMMARY_MEAN) {
            /* integer fields exactly; doubles to rounding (the sums are grouped by block) */
            if (d->type == MCR_FIELD_F64)
                cr_assert_float_eq(c.stat[k], sum / PATHS, 1e-12 * fabs(sum / PATHS) + 1e-15,
                                   "%s", d->name);
            else
                cr_assert_eq(c.stat[k], sum / PATHS, "%s", d->name);
            cr_assert_eq(c.stat_se[k], 0.0);
        } else {
            double p = (double)events / PATHS;
            cr_assert_eq(c.stat[k], p, "%s", d->name);
            cr_assert_eq(c.stat_se[k], sqrt(p * (1 - p) / PATHS), "%s", d->name);
            cr_assert(p > 0.1 && p < 0.3, "the sample has events and non-events");
        }
    }
    const double *book = s.set.at[MCR_FIELD_COMPONENT + MCR_PNL_BOOK];
    double want = 1 - c.summary.std * c.summary.std / variance(book, PATHS);
    cr_assert_float_eq(c.hedge_effectiveness, want, 1e-12);
    sample_free(&s);
}

Test(fold, in_pieces_is_bitwise_one_fold)
{
    sample s = make_sample();
    mcr_fold whole = {0};
    mcr_fold_blocks(&whole, s.stats, 0, s.n_blocks, PATHS, 0);
    for (uint64_t cut = 1; cut < s.n_blocks; cut += 4) {
        mcr_fold piece = {0};
        mcr_fold_blocks(&piece, s.stats, 0, cut, PATHS, 0);
        mcr_fold_blocks(&piece, s.stats + cut, cut, s.n_blocks - cut, PATHS, 0);
        cr_assert_eq(memcmp(&piece, &whole, sizeof whole), 0, "cut at block %llu",
                     (unsigned long long)cut);
    }
    /* over the one-rank communicator: the same fold */
    const mcr_comm *c = mcr_comm_serial();
    mcr_share sh;
    cr_assert(mcr_share_init(&sh, c, PATHS));
    mcr_fold shared;
    mcr_fold_share(c, &sh, s.stats, s.n_blocks, 1, 0, &shared);
    cr_assert_eq(memcmp(&shared, &whole, sizeof whole), 0);
    mcr_share_free(&sh);
    sample_free(&s);
}
