/* libFuzzer harness: the checkpoint reader (run/ckpt.h) on arbitrary bytes. The first byte picks
 * the file the bytes become in a checkpoint directory whose other files are valid: the identity
 * ("run", read by mcr_ckpt_check), a chunk ("s0.c0"), a scenario's summaries ("s0.done") or the
 * time ("time"). Damaged files must be refused cleanly, never read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernels/kernels.h"
#include "run/ckpt.h"

#define LEN 1000 /* paths of chunk 0, blocks of 64: 16 */
#define NB ((LEN + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS)

static mcr_ckpt ckpt;
static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcr-fuzz-ckpt-%ld", (long)getpid());
    mkdir(dir, 0700);
    static mcr_config cfg;
    cfg.yaml = "run: {paths: 1000}\n";
    cfg.seed = 1;
    cfg.steps = 4;
    cfg.n_scenarios = 1;
    cfg.n_strategies = 1;
    cfg.keep_pnl = true;
    mcr_ckpt_init(&ckpt, dir, &cfg, LEN, "scalar", NULL);
}

static void put(const char *name, const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        setup();
    if (size < 1)
        return 0;
    mcr_error err = {0};
    char path[128];
    snprintf(path, sizeof path, "%s/run", dir);
    unlink(path);
    int which = data[0] % 4;
    if (which == 0) {
        put("run", data + 1, size - 1);
        mcr_ckpt_check(&ckpt, &err);
        return 0;
    }
    mcr_ckpt_create(&ckpt, &err); /* a valid identity */
    if (which == 1) {
        put("s0.c0", data + 1, size - 1);
        mcr_field_set arrays = {0}, aimed;
        mcr_block_stats stats[NB];
        uint8_t done[NB] = {0};
        if (!mcr_field_set_alloc(&arrays, LEN, MCR_FIELDS_ALL))
            return 0;
        aimed = mcr_field_set_shift(&arrays, 0);
        mcr_ckpt_chunk k = {.scenario = 0, .chunk = 0, .n_strategies = 1, .len = LEN,
                            .fields = &aimed, .stats = stats, .stats_stride = NB, .done = done};
        uint64_t blocks;
        mcr_ckpt_load_chunk(&ckpt, &k, &blocks, &err);
        mcr_ckpt_chunk_paths(&ckpt, 0, 0, LEN);
        mcr_field_set_free(&arrays);
    } else if (which == 2) {
        put("s0.done", data + 1, size - 1);
        mcr_strategy_result cell;
        memset(&cell, 0, sizeof cell);
        mcr_ckpt_load_done(&ckpt, 0, &cell, 1);
    } else {
        put("time", data + 1, size - 1);
        mcr_ckpt_load_time(&ckpt);
    }
    return 0;
}
