/* Checkpoint files (ckpt.h): written atomically with a running checksum, read back only when
 * whole and of this run. Written between blocks by one thread per rank, never from the per-step
 * loop; read at the start of a resumed run. */
#include "ckpt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/build_info.h"
#include "kernels/kernels.h"

#define MCR_CKPT_VERSION 3
#define MCR_CKPT_BUFFER (1u << 20)
#define MCR_CKPT_NAME 64 /* "s<S>.c<C>", "s<S>.done", "run", "time" */
#define MCR_CHUNK_BLOCKS (MCR_CHUNK_PATHS / MCR_BLOCK_PATHS)

_Static_assert(MCR_CHUNK_PATHS % MCR_BLOCK_PATHS == 0, "chunks are whole blocks");

/* A fast 64-bit checksum, 8 bytes a step; writer and reader feed it the same pieces. */
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

#define MCR_HASH_START 0xCBF29CE484222325ull

static uint64_t fnv1a(const char *s)
{
    uint64_t h = MCR_HASH_START;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
    return h;
}

static void file_path(const mcr_ckpt *c, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", c->dir, name);
}

/* ------------------------------------------------------------------------ writing, reading */

typedef struct sink {
    mcr_atomic_file af;
    FILE *f;
    uint64_t sum;
    bool ok;
} sink;

static mcr_status sink_open(sink *s, const mcr_ckpt *c, const char *name, mcr_error *err)
{
    char path[sizeof c->dir + MCR_CKPT_NAME];
    file_path(c, name, path, sizeof path);
    s->sum = MCR_HASH_START;
    s->ok = true;
    mcr_status st = mcr_atomic_begin(&s->af, path, "checkpoint", err);
    if (st != MCR_OK)
        return st;
    if (!(s->f = mcr_atomic_stream(&s->af, MCR_CKPT_BUFFER))) {
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", path, strerror(errno));
        mcr_atomic_abort(&s->af);
    }
    return st;
}

static void put(sink *s, const void *p, size_t n)
{
    if (!s->ok || n == 0)
        return;
    s->sum = mix(s->sum, p, n);
    s->ok = fwrite(p, 1, n, s->f) == n;
}

/* The checksum, then flush, fsync, rename: the file under its name is whole. */
static mcr_status sink_close(sink *s, mcr_error *err)
{
    uint64_t sum = s->sum;
    put(s, &sum, sizeof sum);
    if (!s->ok) {
        mcr_status st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s",
                                 s->af.path, strerror(errno));
        mcr_atomic_abort(&s->af);
        return st;
    }
    return mcr_atomic_commit(&s->af, err);
}

typedef struct source {
    FILE *f;
    uint64_t sum;
    bool ok;
} source;

/* False when the file cannot be opened (errno says why). */
static bool source_open(source *s, const mcr_ckpt *c, const char *name)
{
    char path[sizeof c->dir + MCR_CKPT_NAME];
    file_path(c, name, path, sizeof path);
    s->f = fopen(path, "rb");
    s->sum = MCR_HASH_START;
    s->ok = s->f != NULL;
    if (s->f)
        setvbuf(s->f, NULL, _IOFBF, MCR_CKPT_BUFFER);
    return s->ok;
}

static void get(source *s, void *p, size_t n)
{
    if (!s->ok || n == 0)
        return;
    s->ok = fread(p, 1, n, s->f) == n;
    if (s->ok)
        s->sum = mix(s->sum, p, n);
}

/* Whole: the checksum matches and nothing follows it. Closes the file. */
static bool source_close(source *s)
{
    uint64_t want = s->sum, sum = 0;
    if (s->ok && fread(&sum, 1, sizeof sum, s->f) != sizeof sum)
        s->ok = false;
    s->ok = s->ok && sum == want && fgetc(s->f) == EOF;
    if (s->f)
        fclose(s->f);
    s->f = NULL;
    return s->ok;
}

/* Every file starts with this. */
typedef struct file_header {
    char magic[8];
    uint64_t id;
    int32_t scenario, chunk, n_strategies, n_blocks;
    uint64_t len, mask;
} file_header;

static file_header header_of(const mcr_ckpt *c, const char *magic, int scenario, int chunk,
                             int n_strategies, uint64_t len, uint64_t mask)
{
    file_header h;
    memset(&h, 0, sizeof h); /* padding too: the checksum covers it */
    snprintf(h.magic, sizeof h.magic, "%s", magic);
    h.id = c->id;
    h.scenario = scenario;
    h.chunk = chunk;
    h.n_strategies = n_strategies;
    h.n_blocks = (int32_t)((len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
    h.len = len;
    h.mask = mask;
    return h;
}

/* ------------------------------------------------------------------------------ the run */

void mcr_ckpt_init(mcr_ckpt *c, const char *dir, const mcr_config *cfg, uint64_t paths,
                   const char *isa, const char *inputs)
{
    memset(c, 0, sizeof *c); /* the identity's padding bytes are hashed too */
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    mcr_ckpt_identity *id = &c->identity;
    memcpy(id->magic, "MCRCKPT", 8);
    id->version = MCR_CKPT_VERSION;
    id->block_paths = MCR_BLOCK_PATHS;
    id->chunk_paths = MCR_CHUNK_PATHS;
    id->n_fields = MCR_N_FIELDS;
    id->stats_size = sizeof(mcr_block_stats);
    id->cell_size = sizeof(mcr_strategy_result);
    snprintf(id->mcrisk_version, sizeof id->mcrisk_version, "%s", mcr_build_version());
    snprintf(id->git_revision, sizeof id->git_revision, "%s", mcr_build_revision());
    id->config_hash = fnv1a(cfg->yaml);
    id->inputs_hash = fnv1a(inputs);
    /* the data files the models read: another file under the same name is another run */
    for (int s = -1; s < cfg->n_scenarios; s++) /* the market's models, then scenarios' */
        for (int a = 0; a < cfg->n_assets && (s < 0 || cfg->scenarios[s].n_models); a++) {
            const mcr_model *m = s < 0 ? &cfg->assets[a].model : mcr_config_model(cfg, s, a);
            if (mcr_model_has_data(m))
                id->config_hash = id->config_hash * 0x100000001b3ULL ^ fnv1a(m->data.sha256);
        }
    id->seed = cfg->seed;
    id->paths = paths;
    id->steps = cfg->steps;
    id->n_scenarios = cfg->n_scenarios;
    id->n_strategies = cfg->n_strategies;
    id->keep_pnl = cfg->keep_pnl;
    snprintf(id->isa, sizeof id->isa, "%s", isa);
    c->id = mix(MCR_HASH_START, id, sizeof *id);
}

mcr_status mcr_ckpt_create(const mcr_ckpt *c, mcr_error *err)
{
    struct stat sb;
    if (mkdir(c->dir, 0777) != 0 && !(errno == EEXIST && lstat(c->dir, &sb) == 0 &&
                                       S_ISDIR(sb.st_mode)))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create checkpoint directory: %s", c->dir,
                        strerror(errno));
    char path[sizeof c->dir + MCR_CKPT_NAME];
    file_path(c, "run", path, sizeof path);
    if (access(path, F_OK) == 0) /* another rank wrote it: the same bytes */
        return MCR_OK;
    sink s;
    mcr_status st = sink_open(&s, c, "run", err);
    if (st != MCR_OK)
        return st;
    put(&s, &c->identity, sizeof c->identity);
    return sink_close(&s, err);
}

static mcr_status differs(const mcr_ckpt *c, mcr_error *err, const char *what)
{
    return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint of a different run: %s; resume with the "
                    "same config and flags, or delete the checkpoint to start afresh", c->dir,
                    what);
}

mcr_status mcr_ckpt_check(const mcr_ckpt *c, mcr_error *err)
{
    struct stat sb;
    if (stat(c->dir, &sb) != 0)
        return mcr_fail(err, errno == ENOENT ? MCR_ERR_INPUT : MCR_ERR_IO,
                        "%s: cannot open checkpoint: %s%s", c->dir, strerror(errno),
                        errno == ENOENT ? " (nothing to resume; run without --resume)" : "");
    if (!S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: not a checkpoint directory of this mcrisk (a "
                        "file of an older version?); delete it to start afresh", c->dir);
    mcr_ckpt_identity got;
    source s;
    source_open(&s, c, "run");
    get(&s, &got, sizeof got);
    if (!source_close(&s) || memcmp(got.magic, c->identity.magic, sizeof got.magic) != 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s/run: checkpoint damaged (missing, truncated or "
                        "wrong checksum); delete the checkpoint to start afresh", c->dir);
    const mcr_ckpt_identity *want = &c->identity;
    char what[256];
    if (got.version != want->version || got.block_paths != want->block_paths ||
        got.chunk_paths != want->chunk_paths || got.n_fields != want->n_fields ||
        got.stats_size != want->stats_size || got.cell_size != want->cell_size ||
        strncmp(got.mcrisk_version, want->mcrisk_version, sizeof got.mcrisk_version) != 0 ||
        strncmp(got.git_revision, want->git_revision, sizeof got.git_revision) != 0) {
        snprintf(what, sizeof what, "written by mcrisk %.31s (%.47s), this is %s (%s); the same "
                 "build must finish a run", got.mcrisk_version, got.git_revision,
                 want->mcrisk_version, want->git_revision);
        return differs(c, err, what);
    }
    if (got.seed != want->seed) {
        snprintf(what, sizeof what, "seed %llu there, %llu now", (unsigned long long)got.seed,
                 (unsigned long long)want->seed);
        return differs(c, err, what);
    }
    if (got.paths != want->paths) {
        snprintf(what, sizeof what, "paths %llu there, %llu now", (unsigned long long)got.paths,
                 (unsigned long long)want->paths);
        return differs(c, err, what);
    }
    if (strncmp(got.isa, want->isa, sizeof got.isa) != 0) {
        snprintf(what, sizeof what, "isa %.15s there, %.15s now (pass --isa %.15s)", got.isa,
                 want->isa, got.isa);
        return differs(c, err, what);
    }
    if (got.inputs_hash != want->inputs_hash)
        return differs(c, err, "an input file (path_file) changed since it was written");
    if (memcmp(&got, want, sizeof got) != 0)
        return differs(c, err, "the config text differs");
    return MCR_OK;
}

void mcr_ckpt_clean(const mcr_ckpt *c)
{
    mcr_atomic_clean_stale(c->dir, NULL);
}

void mcr_ckpt_remove(const mcr_ckpt *c)
{
    mcr_atomic_remove_dir(c->dir);
}

/* ----------------------------------------------------------------------------- the chunks */

static void chunk_name(char *name, size_t size, int scenario, int chunk)
{
    snprintf(name, size, "s%d.c%d", scenario, chunk);
}

static uint64_t chunk_blocks(uint64_t len)
{
    return (len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
}

/* The paths of blocks [b0, b1) of a chunk, as (first, count) from the chunk's first path. */
static void block_span(const mcr_ckpt_chunk *k, uint64_t b0, uint64_t b1, uint64_t *first,
                       uint64_t *count)
{
    uint64_t end = b1 * MCR_BLOCK_PATHS < k->len ? b1 * MCR_BLOCK_PATHS : k->len;
    *first = (uint64_t)k->chunk * MCR_CHUNK_PATHS + b0 * MCR_BLOCK_PATHS;
    *count = end - b0 * MCR_BLOCK_PATHS;
}

/* The records of a chunk in file order, for the finished blocks of `done`: per strategy the
 * block statistics, then each kept field's values, a run of consecutive finished blocks at a
 * time. `io` writes (sink) or reads (source) each piece; the pieces are the same both ways. */
typedef void (*chunk_io)(void *stream, void *p, size_t n);

static void chunk_records(const mcr_ckpt_chunk *k, const uint8_t *done, chunk_io io,
                          void *stream)
{
    uint64_t nb = chunk_blocks(k->len);
    uint64_t mask = mcr_field_set_mask(&k->fields[0]);
    for (int t = 0; t < k->n_strategies; t++) {
        mcr_block_stats *stats = k->stats + (size_t)t * k->stats_stride;
        for (uint64_t b = 0; b < nb; b++)
            if (done[b])
                io(stream, &stats[b], sizeof stats[b]);
        for (int f = 0; f < MCR_N_FIELDS; f++) {
            if (!(mask & MCR_FIELD_BIT(f)))
                continue;
            size_t size = mcr_field_size((mcr_field_id)f);
            for (uint64_t b = 0; b < nb;) {
                if (!done[b]) {
                    b++;
                    continue;
                }
                uint64_t e = b, first, count;
                while (e < nb && done[e])
                    e++;
                block_span(k, b, e, &first, &count);
                io(stream, (char *)k->fields[t].at[f] + first * size, count * size);
                b = e;
            }
        }
    }
}

static void put_piece(void *stream, void *p, size_t n)
{
    put(stream, p, n);
}

static void get_piece(void *stream, void *p, size_t n)
{
    get(stream, p, n);
}

mcr_status mcr_ckpt_save_chunk(const mcr_ckpt *c, const mcr_ckpt_chunk *k, uint64_t *blocks,
                               mcr_error *err)
{
    uint64_t nb = chunk_blocks(k->len);
    uint8_t done[MCR_CHUNK_BLOCKS];
    unsigned char bitmap[MCR_CHUNK_BLOCKS / 8] = {0};
    *blocks = 0;
    /* the snapshot first: the data written must be exactly that of the bitmap */
    for (uint64_t b = 0; b < nb; b++) {
        done[b] = __atomic_load_n(&k->done[b], __ATOMIC_ACQUIRE);
        bitmap[b / 8] |= (unsigned char)(done[b] << (b % 8));
        *blocks += done[b];
    }
    if (*blocks == 0)
        return MCR_OK;
    char name[MCR_CKPT_NAME];
    chunk_name(name, sizeof name, k->scenario, k->chunk);
    sink s;
    mcr_status st = sink_open(&s, c, name, err);
    if (st != MCR_OK) {
        *blocks = 0;
        return st;
    }
    file_header h = header_of(c, "MCRCHNK", k->scenario, k->chunk, k->n_strategies, k->len,
                              mcr_field_set_mask(&k->fields[0]));
    put(&s, &h, sizeof h);
    put(&s, bitmap, (nb + 7) / 8);
    chunk_records(k, done, put_piece, &s);
    st = sink_close(&s, err);
    if (st != MCR_OK)
        *blocks = 0;
    return st;
}

static mcr_status damaged(const char *dir, const char *name, const char *why, mcr_error *err)
{
    return mcr_fail(err, MCR_ERR_INPUT, "%s/%s: checkpoint damaged (%s); delete the checkpoint to "
                    "start afresh", dir, name, why);
}

mcr_status mcr_ckpt_load_chunk(const mcr_ckpt *c, const mcr_ckpt_chunk *k, uint64_t *blocks,
                               mcr_error *err)
{
    char name[MCR_CKPT_NAME];
    chunk_name(name, sizeof name, k->scenario, k->chunk);
    *blocks = 0;
    source s;
    if (!source_open(&s, c, name))
        return errno == ENOENT ? MCR_OK
                               : mcr_fail(err, MCR_ERR_IO, "%s/%s: cannot read checkpoint: %s",
                                          c->dir, name, strerror(errno));
    uint64_t nb = chunk_blocks(k->len);
    file_header got, want = header_of(c, "MCRCHNK", k->scenario, k->chunk, k->n_strategies,
                                      k->len, mcr_field_set_mask(&k->fields[0]));
    unsigned char bitmap[MCR_CHUNK_BLOCKS / 8];
    get(&s, &got, sizeof got);
    if (s.ok && memcmp(&got, &want, sizeof got) != 0) {
        fclose(s.f);
        return damaged(c->dir, name, "not a chunk of this run", err);
    }
    get(&s, bitmap, (nb + 7) / 8);
    uint8_t done[MCR_CHUNK_BLOCKS];
    for (uint64_t b = 0; b < nb; b++) {
        done[b] = (bitmap[b / 8] >> (b % 8)) & 1;
        *blocks += done[b];
    }
    if (s.ok)
        chunk_records(k, done, get_piece, &s);
    if (!source_close(&s)) {
        *blocks = 0;
        return damaged(c->dir, name, "truncated or wrong checksum", err);
    }
    for (uint64_t b = 0; b < nb; b++)
        k->done[b] = done[b];
    return MCR_OK;
}

uint64_t mcr_ckpt_chunk_paths(const mcr_ckpt *c, int scenario, int chunk, uint64_t len)
{
    char name[MCR_CKPT_NAME];
    chunk_name(name, sizeof name, scenario, chunk);
    source s;
    if (!source_open(&s, c, name))
        return 0;
    uint64_t nb = chunk_blocks(len), paths = 0;
    file_header got;
    unsigned char bitmap[MCR_CHUNK_BLOCKS / 8];
    get(&s, &got, sizeof got);
    get(&s, bitmap, (nb + 7) / 8);
    for (uint64_t b = 0; s.ok && got.id == c->id && got.len == len && b < nb; b++)
        if ((bitmap[b / 8] >> (b % 8)) & 1)
            paths += b + 1 < nb ? MCR_BLOCK_PATHS : len - b * MCR_BLOCK_PATHS;
    fclose(s.f);
    return paths;
}

void mcr_ckpt_drop_chunks(const mcr_ckpt *c, int scenario, int n_chunks)
{
    for (int k = 0; k < n_chunks; k++) {
        char name[MCR_CKPT_NAME], path[sizeof c->dir + MCR_CKPT_NAME];
        chunk_name(name, sizeof name, scenario, k);
        file_path(c, name, path, sizeof path);
        unlink(path);
    }
}

/* ------------------------------------------------------------------ summaries and time */

static void done_name(char *name, size_t size, int scenario)
{
    snprintf(name, size, "s%d.done", scenario);
}

mcr_status mcr_ckpt_save_done(const mcr_ckpt *c, int scenario,
                              const mcr_strategy_result *cells, int n, mcr_error *err)
{
    char name[MCR_CKPT_NAME];
    done_name(name, sizeof name, scenario);
    sink s;
    mcr_status st = sink_open(&s, c, name, err);
    if (st != MCR_OK)
        return st;
    file_header h = header_of(c, "MCRSUMS", scenario, -1, n, 0, 0);
    put(&s, &h, sizeof h);
    for (int t = 0; t < n; t++) {
        mcr_strategy_result r = cells[t]; /* the summaries; the arrays are not kept */
        memset(&r.fields, 0, sizeof r.fields);
        put(&s, &r, sizeof r);
    }
    return sink_close(&s, err);
}

bool mcr_ckpt_has_done(const mcr_ckpt *c, int scenario)
{
    char name[MCR_CKPT_NAME], path[sizeof c->dir + MCR_CKPT_NAME];
    done_name(name, sizeof name, scenario);
    file_path(c, name, path, sizeof path);
    return access(path, F_OK) == 0;
}

bool mcr_ckpt_load_done(const mcr_ckpt *c, int scenario, mcr_strategy_result *cells, int n)
{
    char name[MCR_CKPT_NAME];
    done_name(name, sizeof name, scenario);
    source s;
    if (!source_open(&s, c, name))
        return false;
    file_header got, want = header_of(c, "MCRSUMS", scenario, -1, n, 0, 0);
    get(&s, &got, sizeof got);
    s.ok = s.ok && !memcmp(&got, &want, sizeof got);
    mcr_strategy_result *read = malloc((size_t)(n ? n : 1) * sizeof *read);
    s.ok = s.ok && read;
    for (int t = 0; s.ok && t < n; t++)
        get(&s, &read[t], sizeof read[t]);
    bool ok = source_close(&s);
    for (int t = 0; ok && t < n; t++) {
        mcr_field_set_free(&cells[t].fields);
        cells[t] = read[t];
        memset(&cells[t].fields, 0, sizeof cells[t].fields);
    }
    free(read);
    return ok;
}

mcr_status mcr_ckpt_save_time(const mcr_ckpt *c, double seconds, mcr_error *err)
{
    sink s;
    mcr_status st = sink_open(&s, c, "time", err);
    if (st != MCR_OK)
        return st;
    file_header h = header_of(c, "MCRTIME", -1, -1, 0, 0, 0);
    put(&s, &h, sizeof h);
    put(&s, &seconds, sizeof seconds);
    return sink_close(&s, err);
}

double mcr_ckpt_load_time(const mcr_ckpt *c)
{
    source s;
    double seconds = 0;
    if (!source_open(&s, c, "time"))
        return 0;
    file_header got, want = header_of(c, "MCRTIME", -1, -1, 0, 0, 0);
    get(&s, &got, sizeof got);
    s.ok = s.ok && !memcmp(&got, &want, sizeof got);
    get(&s, &seconds, sizeof seconds);
    return source_close(&s) ? seconds : 0;
}
