/* Suite ckpt: a chunk file holds exactly the finished blocks of its chunk (values, statistics,
 * flags) and loads them back bitwise, leaving the other blocks alone; a damaged file or one of
 * another run is refused with a message that says so; the summaries and the time round-trip. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "run/ckpt.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-ckpt-XXXXXX"); }

TestSuite(ckpt, .init = make_dir, .fini = test_dir_remove);

enum { STRATEGIES = 2, CHUNK = 1, LEN = 1000 }; /* chunk 1 of a run of 65536 + 1000 paths */
#define NB ((LEN + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS)
#define FIRST ((uint64_t)CHUNK * MCR_CHUNK_PATHS)

typedef struct held {
    mcr_field_set arrays[STRATEGIES], aimed[STRATEGIES];
    mcr_block_stats stats[STRATEGIES * NB];
    uint8_t done[NB];
} held;

static void held_init(held *h, uint64_t mask, unsigned char fill)
{
    for (int t = 0; t < STRATEGIES; t++) {
        cr_assert(mcr_field_set_alloc(&h->arrays[t], LEN, mask));
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (h->arrays[t].at[f])
                memset(h->arrays[t].at[f], fill, LEN * mcr_field_size((mcr_field_id)f));
        h->aimed[t] = mcr_field_set_shift(&h->arrays[t], FIRST);
    }
    memset(h->stats, fill, sizeof h->stats);
    memset(h->done, 0, sizeof h->done);
}

static mcr_ckpt_chunk chunk_of(held *h)
{
    return (mcr_ckpt_chunk){.scenario = 1, .chunk = CHUNK, .n_strategies = STRATEGIES,
                            .len = LEN, .fields = h->aimed, .stats = h->stats,
                            .stats_stride = NB, .done = h->done};
}

static mcr_config *config(uint64_t seed)
{
    mcr_config *cfg = calloc(1, sizeof *cfg);
    cfg->yaml = "run: {paths: 66536}\n";
    cfg->seed = seed;
    cfg->steps = 30;
    cfg->n_scenarios = 2;
    cfg->n_strategies = STRATEGIES;
    cfg->keep_pnl = true;
    return cfg;
}

static void open_ckpt(mcr_ckpt *c, uint64_t seed)
{
    char path[256];
    in_dir("out.h5.ckpt", path, sizeof path);
    mcr_config *cfg = config(seed);
    mcr_ckpt_init(c, path, cfg, MCR_CHUNK_PATHS + LEN, "avx2", NULL);
    free(cfg);
}

Test(ckpt, partial_chunk_round_trip)
{
    mcr_ckpt c;
    mcr_error err = {0};
    open_ckpt(&c, 42);
    cr_assert_eq(mcr_ckpt_create(&c, &err), MCR_OK, "%s", err.msg);
    held a, b;
    held_init(&a, MCR_FIELDS_ALL, 0);
    for (int t = 0; t < STRATEGIES; t++)
        for (int f = 0; f < MCR_N_FIELDS; f++) /* arbitrary bytes, different per strategy */
            for (size_t i = 0; i < LEN * mcr_field_size((mcr_field_id)f); i++)
                ((unsigned char *)a.arrays[t].at[f])[i] = (unsigned char)(i * 7 + f * 13 + t);
    for (size_t i = 0; i < sizeof a.stats; i++)
        ((unsigned char *)a.stats)[i] = (unsigned char)(i * 11);
    const int finished[] = {0, 1, 2, 5, 9, 15}; /* 15: the short last block */
    for (size_t i = 0; i < sizeof finished / sizeof finished[0]; i++)
        a.done[finished[i]] = 1;
    mcr_ckpt_chunk ka = chunk_of(&a);
    uint64_t saved, loaded;
    cr_assert_eq(mcr_ckpt_save_chunk(&c, &ka, &saved, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(saved, 6);
    cr_assert_eq(mcr_ckpt_chunk_paths(&c, 1, CHUNK, LEN), 5 * 64 + (LEN - 15 * 64));

    held_init(&b, MCR_FIELDS_ALL, 0xAB);
    mcr_ckpt_chunk kb = chunk_of(&b);
    cr_assert_eq(mcr_ckpt_load_chunk(&c, &kb, &loaded, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(loaded, 6);
    cr_assert_eq(memcmp(a.done, b.done, NB), 0);
    for (int t = 0; t < STRATEGIES; t++)
        for (uint64_t blk = 0; blk < NB; blk++) {
            const mcr_block_stats *x = &a.stats[t * NB + blk], *y = &b.stats[t * NB + blk];
            cr_assert_eq(memcmp(x, y, sizeof *x) == 0, a.done[blk] != 0, "stats of block %llu",
                         (unsigned long long)blk);
            uint64_t p0 = blk * MCR_BLOCK_PATHS, p1 = p0 + MCR_BLOCK_PATHS < LEN ? p0 + 64 : LEN;
            for (int f = 0; f < MCR_N_FIELDS; f++) {
                size_t size = mcr_field_size((mcr_field_id)f);
                const char *u = (char *)a.arrays[t].at[f] + p0 * size;
                const char *v = (char *)b.arrays[t].at[f] + p0 * size;
                if (a.done[blk])
                    cr_assert_eq(memcmp(u, v, (p1 - p0) * size), 0);
                else
                    for (size_t i = 0; i < (p1 - p0) * size; i++)
                        cr_assert_eq((unsigned char)v[i], 0xAB, "an unfinished block changed");
            }
        }
    /* no file: nothing loaded, no error */
    mcr_ckpt_chunk other = kb;
    other.scenario = 0;
    cr_assert_eq(mcr_ckpt_load_chunk(&c, &other, &loaded, &err), MCR_OK);
    cr_assert_eq(loaded, 0);
    for (int t = 0; t < STRATEGIES; t++) {
        mcr_field_set_free(&a.arrays[t]);
        mcr_field_set_free(&b.arrays[t]);
    }
}

Test(ckpt, damaged_or_foreign_files_are_refused)
{
    mcr_ckpt c, d;
    mcr_error err = {0};
    open_ckpt(&c, 42);
    cr_assert_eq(mcr_ckpt_create(&c, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_ckpt_check(&c, &err), MCR_OK, "%s", err.msg);
    open_ckpt(&d, 43); /* the same run but for the seed */
    cr_assert_eq(mcr_ckpt_check(&d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "different run: seed 42 there, 43 now"), "%s", err.msg);

    held a;
    held_init(&a, MCR_FIELD_BIT(MCR_FIELD_PNL), 1);
    a.done[3] = 1;
    mcr_ckpt_chunk k = chunk_of(&a);
    uint64_t n;
    cr_assert_eq(mcr_ckpt_save_chunk(&c, &k, &n, &err), MCR_OK, "%s", err.msg);
    /* the chunk of another run is not loaded */
    cr_assert_eq(mcr_ckpt_load_chunk(&d, &k, &n, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "s1.c1: checkpoint damaged (not a chunk of this run)"), "%s",
              err.msg);
    /* one byte flipped in the values: the checksum tells */
    char path[256];
    in_dir("out.h5.ckpt/s1.c1", path, sizeof path);
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f);
    fseek(f, -20, SEEK_END);
    int byte = fgetc(f);
    fseek(f, -20, SEEK_END);
    fputc(byte ^ 0x10, f);
    fclose(f);
    cr_assert_eq(mcr_ckpt_load_chunk(&c, &k, &n, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "checkpoint damaged (truncated or wrong checksum)"), "%s",
              err.msg);
    /* nothing to resume */
    mcr_ckpt_remove(&c);
    cr_assert(!exists("out.h5.ckpt"));
    cr_assert_eq(mcr_ckpt_check(&c, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "nothing to resume"), "%s", err.msg);
    mcr_field_set_free(&a.arrays[0]);
    mcr_field_set_free(&a.arrays[1]);
}

Test(ckpt, summaries_and_time_round_trip)
{
    mcr_ckpt c;
    mcr_error err = {0};
    open_ckpt(&c, 7);
    cr_assert_eq(mcr_ckpt_create(&c, &err), MCR_OK, "%s", err.msg);
    mcr_strategy_result cells[STRATEGIES], back[STRATEGIES];
    memset(cells, 0, sizeof cells);
    memset(back, 0, sizeof back);
    for (int t = 0; t < STRATEGIES; t++) {
        snprintf(cells[t].strategy, sizeof cells[t].strategy, "s%d", t);
        cells[t].summary.mean = 1.5 + t;
        cells[t].stat[MCR_FIELD_LIQUIDATION_STEP] = 0.25;
        cells[t].hist.bins = MCR_HIST_BINS;
        cells[t].hist.counts[7] = 99;
    }
    cr_assert(!mcr_ckpt_has_done(&c, 0));
    cr_assert_eq(mcr_ckpt_save_done(&c, 0, cells, STRATEGIES, &err), MCR_OK, "%s", err.msg);
    cr_assert(mcr_ckpt_has_done(&c, 0));
    cr_assert(mcr_ckpt_load_done(&c, 0, back, STRATEGIES));
    cr_assert_eq(memcmp(cells, back, sizeof cells), 0);
    cr_assert(!mcr_ckpt_load_done(&c, 1, back, STRATEGIES));
    cr_assert_eq(mcr_ckpt_load_time(&c), 0.0);
    cr_assert_eq(mcr_ckpt_save_time(&c, 12.5, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_ckpt_load_time(&c), 12.5);
}
