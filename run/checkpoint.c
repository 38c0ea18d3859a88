/* The resumable state of a run and its checkpoint file (format in checkpoint.h). Written by one
 * thread between blocks, never from the per-step loop; read once, at the start of a resumed run. */
#include "checkpoint.h"
#include "core/build_info.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>


#define MCR_CKPT_MAGIC "MCRCKPT"
#define MCR_CKPT_VERSION 1
#define MCR_CKPT_BUFFER (1u << 20)
#define MCR_CKPT_MAX_ARRAYS (1 + MCR_N_COMPONENTS + 2 + 3)

typedef struct ckpt_header {
    char magic[8];
    uint32_t version, header_size;
    /* record sizes and the block size: another build may lay them out differently */
    uint32_t summary_size, stats_size, hist_size, block_paths;
    char mcrisk_version[32], git_revision[48];
    uint64_t config_hash, seed, paths;
    int32_t steps, keep_pnl, n_scenarios, n_strategies, scenario, pad;
    char isa[16];
    uint64_t n_blocks;
    double seconds;
} ckpt_header;

/* Buffered stream with a running checksum of every byte that goes through it. */
typedef struct ckpt_io {
    FILE *f;
    uint64_t hash;
    bool ok;
} ckpt_io;

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (; n >= 8; n -= 8, b += 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 32;
    }
    for (; n > 0; n--, b++)
        h = (h ^ *b) * 0x100000001B3ull;
    return h;
}

static void put(ckpt_io *io, const void *p, size_t n)
{
    if (!io->ok || n == 0)
        return;
    io->hash = mix(io->hash, p, n);
    io->ok = fwrite(p, 1, n, io->f) == n;
}

static void get(ckpt_io *io, void *p, size_t n)
{
    if (!io->ok || n == 0)
        return;
    io->ok = fread(p, 1, n, io->f) == n;
    if (io->ok)
        io->hash = mix(io->hash, p, n);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
    return h;
}

/* ------------------------------------------------------------------------------ run state */

typedef struct array_ref {
    void *p;
    size_t size; /* of one element */
} array_ref;

/* A cell's per-path arrays in file order: pnl, then (all) the detail. */
static int cell_arrays(const mcr_strategy_result *c, bool all, array_ref *a)
{
    int n = 0;
    a[n++] = (array_ref){c->pnl, sizeof *c->pnl};
    if (!all)
        return n;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        a[n++] = (array_ref){c->component[k], sizeof *c->component[k]};
    a[n++] = (array_ref){c->liquidation_step, sizeof *c->liquidation_step};
    a[n++] = (array_ref){c->trades, sizeof *c->trades};
    for (int k = 0; k < 3; k++)
        a[n++] = (array_ref){c->greeks[k], sizeof *c->greeks[k]};
    return n;
}

static mcr_status alloc_cell(mcr_strategy_result *c, uint64_t n, bool all, mcr_error *err)
{
    mcr_strategy_result_free_detail(c);
    c->pnl = malloc(n * sizeof *c->pnl);
    bool ok = c->pnl;
    if (all) {
        for (int k = 0; k < MCR_N_COMPONENTS; k++)
            ok = (c->component[k] = malloc(n * sizeof *c->component[k])) && ok;
        ok = (c->liquidation_step = malloc(n * sizeof *c->liquidation_step)) && ok;
        ok = (c->trades = malloc(n * sizeof *c->trades)) && ok;
        for (int k = 0; k < 3; k++)
            ok = (c->greeks[k] = malloc(n * sizeof *c->greeks[k])) && ok;
    }
    if (ok)
        return MCR_OK;
    mcr_strategy_result_free_detail(c);
    return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the per-path outputs of %llu paths",
                    (unsigned long long)n);
}

mcr_status mcr_run_state_init(mcr_run_state *s, const mcr_config *cfg, uint64_t paths,
                              const char *isa, mcr_result *result, mcr_error *err)
{
    memset(s, 0, sizeof *s);
    s->config_hash = fnv1a(cfg->yaml);
    s->seed = cfg->seed;
    s->paths = paths;
    s->steps = cfg->steps;
    snprintf(s->isa, sizeof s->isa, "%s", isa);
    s->keep_pnl = cfg->keep_pnl;
    s->n_scenarios = cfg->n_scenarios;
    s->n_strategies = cfg->n_strategies;
    s->n_blocks = (paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    s->result = result;
    s->done = calloc(s->n_blocks, 1);
    s->stats = calloc(s->n_blocks * (size_t)s->n_strategies, sizeof *s->stats);
    if (!s->done || !s->stats) {
        mcr_run_state_free(s);
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the block records of %llu paths",
                        (unsigned long long)paths);
    }
    return MCR_OK;
}

void mcr_run_state_free(mcr_run_state *s)
{
    free(s->done);
    free(s->stats);
    s->done = NULL;
    s->stats = NULL;
}

mcr_status mcr_run_state_begin(mcr_run_state *s, int sc, mcr_error *err)
{
    s->scenario = sc;
    memset(s->done, 0, s->n_blocks);
    memset(s->stats, 0, s->n_blocks * (size_t)s->n_strategies * sizeof *s->stats);
    for (int t = 0; t < s->n_strategies; t++) {
        mcr_status st = alloc_cell(mcr_result_cell(s->result, sc, t), s->paths, s->keep_pnl, err);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

/* ------------------------------------------------------------------------------- writing */

static void fill_header(const mcr_run_state *s, ckpt_header *h)
{
    memset(h, 0, sizeof *h); /* padding too: the checksum covers it */
    memcpy(h->magic, MCR_CKPT_MAGIC, sizeof MCR_CKPT_MAGIC);
    h->version = MCR_CKPT_VERSION;
    h->header_size = sizeof *h;
    h->summary_size = sizeof(mcr_summary);
    h->stats_size = sizeof(mcr_block_stats);
    h->hist_size = sizeof(mcr_histogram);
    h->block_paths = MCR_BLOCK_PATHS;
    snprintf(h->mcrisk_version, sizeof h->mcrisk_version, "%s", mcr_build_version());
    snprintf(h->git_revision, sizeof h->git_revision, "%s", mcr_build_revision());
    h->config_hash = s->config_hash;
    h->seed = s->seed;
    h->paths = s->paths;
    h->steps = s->steps;
    h->keep_pnl = s->keep_pnl;
    h->n_scenarios = s->n_scenarios;
    h->n_strategies = s->n_strategies;
    h->scenario = s->scenario;
    snprintf(h->isa, sizeof h->isa, "%s", s->isa);
    h->n_blocks = s->n_blocks;
    h->seconds = s->seconds;
}

/* The summaries of a finished cell, in the same order for writing and reading. */
#define MCR_CKPT_SUMMARY_FIELDS(op, io, c)                                                     \
    do {                                                                                        \
        op(io, &(c)->summary, sizeof (c)->summary);                                             \
        op(io, (c)->component_mean, sizeof (c)->component_mean);                                \
        op(io, &(c)->hedge_effectiveness, sizeof (c)->hedge_effectiveness);                     \
        op(io, &(c)->trades_mean, sizeof (c)->trades_mean);                                     \
        op(io, (c)->greeks_mean, sizeof (c)->greeks_mean);                                      \
        op(io, &(c)->hist, sizeof (c)->hist);                                                   \
    } while (0)

static void put_summaries(ckpt_io *io, const mcr_strategy_result *c)
{
    MCR_CKPT_SUMMARY_FIELDS(put, io, c);
}

static void get_summaries(ckpt_io *io, mcr_strategy_result *c)
{
    MCR_CKPT_SUMMARY_FIELDS(get, io, c);
}

/* Blocks [b0, b1) as a range of paths. */
static void block_range(const mcr_run_state *s, uint64_t b0, uint64_t b1, uint64_t *first,
                        uint64_t *count)
{
    uint64_t end = b1 * MCR_BLOCK_PATHS < s->paths ? b1 * MCR_BLOCK_PATHS : s->paths;
    *first = b0 * MCR_BLOCK_PATHS;
    *count = end - *first;
}

/* The per-block records of the scenario under way, for the blocks set in `done` (a snapshot). */
static void put_partial(ckpt_io *io, const mcr_run_state *s, const uint8_t *done)
{
    uint64_t nb = s->n_blocks;
    for (uint64_t b = 0; b < nb; b += 8) { /* the bitmap, LSB first */
        unsigned char byte = 0;
        for (uint64_t i = b; i < b + 8 && i < nb; i++)
            byte |= (unsigned char)(done[i] << (i - b));
        put(io, &byte, 1);
    }
    for (int t = 0; t < s->n_strategies; t++) {
        const mcr_block_stats *stats = s->stats + (size_t)t * nb;
        for (uint64_t b = 0; b < nb; b++)
            if (done[b])
                put(io, &stats[b], sizeof stats[b]);
        array_ref a[MCR_CKPT_MAX_ARRAYS];
        int na = cell_arrays(mcr_result_cell(s->result, s->scenario, t), s->keep_pnl, a);
        for (int k = 0; k < na; k++) {
            for (uint64_t b = 0; b < nb;) { /* runs of finished blocks, one write each */
                if (!done[b]) {
                    b++;
                    continue;
                }
                uint64_t e = b, first, count;
                while (e < nb && done[e])
                    e++;
                block_range(s, b, e, &first, &count);
                put(io, (const char *)a[k].p + first * a[k].size, count * a[k].size);
                b = e;
            }
        }
    }
}

static mcr_status write_all(ckpt_io *io, const mcr_run_state *s, mcr_error *err)
{
    ckpt_header h;
    fill_header(s, &h);
    put(io, &h, sizeof h);
    for (int sc = 0; sc < s->scenario; sc++)
        for (int t = 0; t < s->n_strategies; t++) {
            const mcr_strategy_result *c = mcr_result_cell(s->result, sc, t);
            put_summaries(io, c);
            if (!s->keep_pnl)
                continue;
            array_ref a[MCR_CKPT_MAX_ARRAYS];
            int na = cell_arrays(c, true, a);
            for (int k = 0; k < na; k++)
                put(io, a[k].p, s->paths * a[k].size);
        }
    if (s->scenario < s->n_scenarios) {
        /* Snapshot the flags first: the data written must be exactly that of the bitmap. */
        uint8_t *done = malloc(s->n_blocks ? s->n_blocks : 1);
        if (!done)
            return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for a checkpoint");
        for (uint64_t b = 0; b < s->n_blocks; b++)
            done[b] = __atomic_load_n(&s->done[b], __ATOMIC_ACQUIRE);
        put_partial(io, s, done);
        free(done);
    }
    uint64_t sum = io->hash;
    put(io, &sum, sizeof sum);
    return MCR_OK;
}

/* Make the rename itself durable. */
static void sync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

mcr_status mcr_checkpoint_write(const char *path, const mcr_run_state *s, mcr_error *err)
{
    char tmp[MCR_PATH_MAX + 32];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!f) {
        mcr_status st = mcr_fail(err, MCR_ERR_IO, "%s: cannot create checkpoint: %s", path,
                                 strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return st;
    }
    setvbuf(f, NULL, _IOFBF, MCR_CKPT_BUFFER);
    ckpt_io io = {.f = f, .hash = 0xCBF29CE484222325ull, .ok = true};
    mcr_status st = write_all(&io, s, err);
    if (st == MCR_OK && (!io.ok || fflush(f) != 0 || fsync(fileno(f)) != 0))
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", path, strerror(errno));
    if (fclose(f) != 0 && st == MCR_OK)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", path, strerror(errno));
    if (st == MCR_OK && rename(tmp, path) != 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp,
                      strerror(errno));
    if (st != MCR_OK)
        unlink(tmp);
    else
        sync_dir(path);
    return st;
}

/* ------------------------------------------------------------------------------- reading */

static mcr_status differs(const char *path, mcr_error *err, const char *what)
{
    return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint of a different run: %s; resume with the "
                    "same config and flags, or delete the checkpoint to start afresh", path, what);
}

/* The header must be this build's and describe the run s is about to make. */
static mcr_status check_header(const char *path, const ckpt_header *h, const mcr_run_state *s,
                               mcr_error *err)
{
    char what[256];
    if (memcmp(h->magic, MCR_CKPT_MAGIC, sizeof MCR_CKPT_MAGIC) != 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: not an mcrisk checkpoint", path);
    ckpt_header mine;
    fill_header(s, &mine);
    if (h->version != mine.version || h->header_size != mine.header_size ||
        h->summary_size != mine.summary_size || h->stats_size != mine.stats_size ||
        h->hist_size != mine.hist_size || h->block_paths != mine.block_paths ||
        strncmp(h->mcrisk_version, mine.mcrisk_version, sizeof h->mcrisk_version) != 0 ||
        strncmp(h->git_revision, mine.git_revision, sizeof h->git_revision) != 0) {
        snprintf(what, sizeof what, "written by mcrisk %.31s (%.47s), this is %s (%s); the same "
                 "build must finish a run", h->mcrisk_version, h->git_revision,
                 mine.mcrisk_version, mine.git_revision);
        return differs(path, err, what);
    }
    if (h->seed != s->seed) {
        snprintf(what, sizeof what, "seed %llu there, %llu now", (unsigned long long)h->seed,
                 (unsigned long long)s->seed);
        return differs(path, err, what);
    }
    if (h->paths != s->paths) {
        snprintf(what, sizeof what, "paths %llu there, %llu now", (unsigned long long)h->paths,
                 (unsigned long long)s->paths);
        return differs(path, err, what);
    }
    if (strncmp(h->isa, s->isa, sizeof h->isa) != 0) {
        snprintf(what, sizeof what, "isa %.15s there, %s now (pass --isa %.15s)", h->isa, s->isa,
                 h->isa);
        return differs(path, err, what);
    }
    if (h->config_hash != s->config_hash || h->steps != s->steps ||
        h->keep_pnl != (int32_t)s->keep_pnl || h->n_scenarios != s->n_scenarios ||
        h->n_strategies != s->n_strategies || h->n_blocks != s->n_blocks)
        return differs(path, err, "the config text differs");
    if (h->scenario < 0 || h->scenario > s->n_scenarios)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint damaged (scenario %d of %d)", path,
                        h->scenario, s->n_scenarios);
    return MCR_OK;
}

static void get_partial(ckpt_io *io, mcr_run_state *s)
{
    uint64_t nb = s->n_blocks;
    for (uint64_t b = 0; b < nb; b += 8) {
        unsigned char byte = 0;
        get(io, &byte, 1);
        for (uint64_t i = b; i < b + 8 && i < nb; i++)
            s->done[i] = (byte >> (i - b)) & 1;
    }
    for (int t = 0; t < s->n_strategies && io->ok; t++) {
        mcr_block_stats *stats = s->stats + (size_t)t * nb;
        for (uint64_t b = 0; b < nb; b++)
            if (s->done[b])
                get(io, &stats[b], sizeof stats[b]);
        array_ref a[MCR_CKPT_MAX_ARRAYS];
        int na = cell_arrays(mcr_result_cell(s->result, s->scenario, t), s->keep_pnl, a);
        for (int k = 0; k < na; k++) {
            for (uint64_t b = 0; b < nb;) {
                if (!s->done[b]) {
                    b++;
                    continue;
                }
                uint64_t e = b, first, count;
                while (e < nb && s->done[e])
                    e++;
                block_range(s, b, e, &first, &count);
                get(io, (char *)a[k].p + first * a[k].size, count * a[k].size);
                b = e;
            }
        }
    }
}

static mcr_status read_all(const char *path, ckpt_io *io, mcr_run_state *s, mcr_error *err)
{
    ckpt_header h;
    get(io, &h, sizeof h);
    if (!io->ok)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: not an mcrisk checkpoint (too short)", path);
    mcr_status st = check_header(path, &h, s, err);
    if (st != MCR_OK)
        return st;
    s->seconds = h.seconds;
    for (int sc = 0; sc < h.scenario && io->ok; sc++)
        for (int t = 0; t < s->n_strategies && io->ok; t++) {
            mcr_strategy_result *c = mcr_result_cell(s->result, sc, t);
            get_summaries(io, c);
            if (!s->keep_pnl)
                continue;
            if ((st = alloc_cell(c, s->paths, true, err)) != MCR_OK)
                return st;
            array_ref a[MCR_CKPT_MAX_ARRAYS];
            int na = cell_arrays(c, true, a);
            for (int k = 0; k < na; k++)
                get(io, a[k].p, s->paths * a[k].size);
        }
    s->scenario = h.scenario;
    if (io->ok && h.scenario < s->n_scenarios) {
        if ((st = mcr_run_state_begin(s, h.scenario, err)) != MCR_OK)
            return st;
        get_partial(io, s);
    }
    uint64_t want = io->hash, sum = 0;
    get(io, &sum, sizeof sum);
    if (!io->ok && ferror(io->f))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot read checkpoint: %s", path, strerror(errno));
    if (!io->ok || fgetc(io->f) != EOF)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint damaged (%s); delete it to start "
                        "afresh", path, !io->ok ? "truncated" : "trailing bytes");
    if (sum != want)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint damaged (checksum); delete it to "
                        "start afresh", path);
    return MCR_OK;
}

mcr_status mcr_checkpoint_read(const char *path, mcr_run_state *s, mcr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mcr_fail(err, errno == ENOENT ? MCR_ERR_INPUT : MCR_ERR_IO,
                        "%s: cannot open checkpoint: %s%s", path, strerror(errno),
                        errno == ENOENT ? " (nothing to resume; run without --resume)" : "");
    setvbuf(f, NULL, _IOFBF, MCR_CKPT_BUFFER);
    ckpt_io io = {.f = f, .hash = 0xCBF29CE484222325ull, .ok = true};
    mcr_status st = read_all(path, &io, s, err);
    fclose(f);
    return st;
}

/* ------------------------------------------------------------------------------ stale files */

/* name is "<base><suffix><pid>" with pid a whole number: *pid set. */
static bool temp_of(const char *name, const char *base, const char *suffix, long *pid)
{
    size_t nb = strlen(base), ns = strlen(suffix);
    if (strncmp(name, base, nb) != 0 || strncmp(name + nb, suffix, ns) != 0)
        return false;
    const char *digits = name + nb + ns;
    char *end;
    if (!*digits)
        return false;
    *pid = strtol(digits, &end, 10);
    return !*end && *pid > 0;
}

void mcr_checkpoint_clean_stale(const char *output)
{
    char *dcopy = strdup(output), *bcopy = strdup(output);
    const char *dir = dcopy ? dirname(dcopy) : NULL, *base = bcopy ? basename(bcopy) : NULL;
    DIR *d = dir && base ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        long pid;
        if (!temp_of(e->d_name, base, ".tmp.", &pid) &&
            !temp_of(e->d_name, base, ".ckpt.tmp.", &pid))
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its writer may still be running */
        char full[MCR_PATH_MAX + 300];
        if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full)
            unlink(full);
    }
    if (d)
        closedir(d);
    free(dcopy);
    free(bcopy);
}
