/* Checkpoint files of an MPI run (mpi_ckpt.h): writing them atomically with a checksum, reading
 * them back only when whole and of this run. */
#include "mpi_ckpt.h"
#include "core/build_info.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#define MCR_MPI_CKPT_VERSION 1
#define MCR_CKPT_FILE (MCR_PATH_MAX + 8 + 80) /* the directory, '/', a name of < 64 bytes */

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}

#define MCR_FNV_START UINT64_C(0xcbf29ce484222325)

void mcr_mpi_ckpt_init(mcr_mpi_ckpt *c, const char *dir, const mcr_config *cfg, uint64_t paths,
                       const char *isa)
{
    memset(c, 0, sizeof *c); /* the identity's padding bytes are hashed too */
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    struct mcr_mpi_ckpt_identity *id = &c->identity;
    memcpy(id->magic, "MCRMPIC", 8);
    id->version = MCR_MPI_CKPT_VERSION;
    snprintf(id->mcrisk_version, sizeof id->mcrisk_version, "%s", mcr_build_version());
    snprintf(id->git_revision, sizeof id->git_revision, "%s", mcr_build_revision());
    const char *yaml = cfg->yaml ? cfg->yaml : "";
    id->config_hash = fnv1a(MCR_FNV_START, yaml, strlen(yaml));
    id->seed = cfg->seed;
    id->paths = paths;
    id->steps = cfg->steps;
    id->n_scenarios = cfg->n_scenarios;
    id->n_strategies = cfg->n_strategies;
    id->keep_pnl = cfg->keep_pnl;
    snprintf(id->isa, sizeof id->isa, "%s", isa);
    c->id = fnv1a(MCR_FNV_START, id, sizeof *id);
}

/* ------------------------------------------------------------------------ writing and reading */

/* A file being written: "<final>.tmp.<pid>", every byte added to the checksum. */
typedef struct sink {
    FILE *f;
    char tmp[MCR_CKPT_FILE + 32], final[MCR_CKPT_FILE];
    uint64_t sum;
    bool ok;
} sink;

static void put(sink *s, const void *data, size_t n)
{
    if (n && s->ok && fwrite(data, 1, n, s->f) != n)
        s->ok = false;
    s->sum = fnv1a(s->sum, data, n);
}

static bool sink_open(sink *s, const mcr_mpi_ckpt *c, const char *name)
{
    snprintf(s->final, sizeof s->final, "%s/%s", c->dir, name);
    snprintf(s->tmp, sizeof s->tmp, "%s.tmp.%ld", s->final, (long)getpid());
    s->f = fopen(s->tmp, "wb");
    s->sum = MCR_FNV_START;
    s->ok = s->f != NULL;
    return s->ok;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* best effort: the rename survives a crash of the machine */
        close(fd);
    }
}

/* Checksum, fsync, rename: the file under its name is whole. */
static mcr_status sink_close(sink *s, const mcr_mpi_ckpt *c, mcr_error *err)
{
    uint64_t sum = s->sum;
    put(s, &sum, sizeof sum);
    if (s->f) {
        s->ok = s->ok && fflush(s->f) == 0 && fsync(fileno(s->f)) == 0;
        s->ok = fclose(s->f) == 0 && s->ok;
    }
    if (s->ok && rename(s->tmp, s->final) == 0) {
        sync_dir(c->dir);
        return MCR_OK;
    }
    mcr_status st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", s->final,
                             strerror(errno));
    unlink(s->tmp);
    return st;
}

/* A file being read, every byte checked against the checksum at its end. */
typedef struct source {
    FILE *f;
    uint64_t sum;
    bool ok;
} source;

static bool source_open(source *s, const mcr_mpi_ckpt *c, const char *name)
{
    char path[MCR_CKPT_FILE];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    s->f = fopen(path, "rb");
    s->sum = MCR_FNV_START;
    s->ok = s->f != NULL;
    return s->ok;
}

static void get(source *s, void *data, size_t n)
{
    if (n && s->ok && fread(data, 1, n, s->f) != n)
        s->ok = false;
    if (s->ok)
        s->sum = fnv1a(s->sum, data, n);
}

/* Whole: the checksum matches and nothing follows it. */
static bool source_close(source *s)
{
    uint64_t want = s->sum, sum = 0;
    if (s->ok && fread(&sum, 1, sizeof sum, s->f) != sizeof sum)
        s->ok = false;
    s->ok = s->ok && sum == want && fgetc(s->f) == EOF;
    if (s->f)
        fclose(s->f);
    return s->ok;
}

/* ------------------------------------------------------------------------------ the run */

mcr_status mcr_mpi_ckpt_create(const mcr_mpi_ckpt *c, mcr_error *err)
{
    if (mkdir(c->dir, 0777) != 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create checkpoint directory: %s", c->dir,
                        strerror(errno));
    sink s;
    if (!sink_open(&s, c, "run"))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", s.tmp,
                        strerror(errno));
    put(&s, &c->identity, sizeof c->identity);
    return sink_close(&s, c, err);
}

static void remove_temps(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strstr(e->d_name, ".tmp."))
            continue;
        char full[MCR_PATH_MAX + 300];
        if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full)
            unlink(full);
    }
    if (d)
        closedir(d);
}

mcr_status mcr_mpi_ckpt_check(const mcr_mpi_ckpt *c, bool remove_temp_files, mcr_error *err)
{
    struct stat sb;
    if (stat(c->dir, &sb) != 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: no checkpoint to resume: %s", c->dir,
                        strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint of a run without MPI; resume it "
                        "without mpirun", c->dir);
    struct mcr_mpi_ckpt_identity got;
    source s;
    source_open(&s, c, "run");
    get(&s, &got, sizeof got);
    if (!source_close(&s))
        return mcr_fail(err, MCR_ERR_INPUT, "%s/run: missing or damaged checkpoint identity",
                        c->dir);
    const struct mcr_mpi_ckpt_identity *want = &c->identity;
    const char *what = memcmp(got.magic, want->magic, sizeof got.magic) ||
                               got.version != want->version ? "its format"
                       : strcmp(got.mcrisk_version, want->mcrisk_version) ||
                               strcmp(got.git_revision, want->git_revision) ? "mcrisk's version"
                       : got.config_hash != want->config_hash ? "the config"
                       : got.seed != want->seed ? "the seed"
                       : got.paths != want->paths ? "the number of paths"
                       : strcmp(got.isa, want->isa) ? "the ISA"
                       : memcmp(&got, want, sizeof got) ? "the run" : NULL;
    if (what)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint of another run (%s differs); "
                        "resume with the same config and flags, or delete it", c->dir, what);
    if (remove_temp_files)
        remove_temps(c->dir);
    return MCR_OK;
}

void mcr_mpi_ckpt_remove(const mcr_mpi_ckpt *c)
{
    DIR *d = opendir(c->dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char full[MCR_PATH_MAX + 300];
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            snprintf(full, sizeof full, "%s/%s", c->dir, e->d_name) < (int)sizeof full)
            unlink(full);
    }
    if (d)
        closedir(d);
    rmdir(c->dir);
}

/* ----------------------------------------------------------------------------- the chunks */

typedef struct chunk_header {
    char magic[8];
    uint64_t id, len;
    int32_t scenario, chunk, n_strategies, detail;
} chunk_header;

static void chunk_name(char *name, size_t size, int scenario, int chunk)
{
    snprintf(name, size, "s%d.c%d", scenario, chunk);
}

/* Every array of one strategy's share of the chunk, in file order: (address, bytes). */
static int chunk_arrays(const mcr_mpi_chunk *k, int t, void **ptr, size_t *bytes)
{
    mcr_strategy_result *c = &k->cells[t];
    uint64_t at = k->at, len = k->len;
    int n = 0;
    ptr[n] = k->stats + (size_t)t * k->stats_stride;
    bytes[n++] = (len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS * sizeof *k->stats;
    ptr[n] = c->pnl + at;
    bytes[n++] = len * sizeof *c->pnl;
    if (!k->detail)
        return n;
    for (int j = 0; j < MCR_N_COMPONENTS; j++) {
        ptr[n] = c->component[j] + at;
        bytes[n++] = len * sizeof *c->component[j];
    }
    ptr[n] = c->liquidation_step + at;
    bytes[n++] = len * sizeof *c->liquidation_step;
    ptr[n] = c->trades + at;
    bytes[n++] = len * sizeof *c->trades;
    for (int j = 0; j < 3; j++) {
        ptr[n] = c->greeks[j] + at;
        bytes[n++] = len * sizeof *c->greeks[j];
    }
    return n;
}

#define MCR_CHUNK_ARRAYS (2 + MCR_N_COMPONENTS + 2 + 3)

static chunk_header header_of(const mcr_mpi_ckpt *c, const mcr_mpi_chunk *k)
{
    chunk_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, "MCRMPCK", 8);
    h.id = c->id;
    h.len = k->len;
    h.scenario = k->scenario;
    h.chunk = k->chunk;
    h.n_strategies = k->n_strategies;
    h.detail = k->detail;
    return h;
}

mcr_status mcr_mpi_ckpt_save_chunk(const mcr_mpi_ckpt *c, const mcr_mpi_chunk *k,
                                   mcr_error *err)
{
    char name[64];
    chunk_name(name, sizeof name, k->scenario, k->chunk);
    sink s;
    if (!sink_open(&s, c, name))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", s.tmp,
                        strerror(errno));
    chunk_header h = header_of(c, k);
    put(&s, &h, sizeof h);
    for (int t = 0; t < k->n_strategies; t++) {
        void *ptr[MCR_CHUNK_ARRAYS];
        size_t bytes[MCR_CHUNK_ARRAYS];
        int n = chunk_arrays(k, t, ptr, bytes);
        for (int i = 0; i < n; i++)
            put(&s, ptr[i], bytes[i]);
    }
    return sink_close(&s, c, err);
}

bool mcr_mpi_ckpt_load_chunk(const mcr_mpi_ckpt *c, const mcr_mpi_chunk *k)
{
    char name[64];
    chunk_name(name, sizeof name, k->scenario, k->chunk);
    source s;
    if (!source_open(&s, c, name))
        return false;
    chunk_header got, want = header_of(c, k);
    get(&s, &got, sizeof got);
    s.ok = s.ok && !memcmp(&got, &want, sizeof got);
    for (int t = 0; s.ok && t < k->n_strategies; t++) {
        void *ptr[MCR_CHUNK_ARRAYS];
        size_t bytes[MCR_CHUNK_ARRAYS];
        int n = chunk_arrays(k, t, ptr, bytes);
        for (int i = 0; i < n; i++)
            get(&s, ptr[i], bytes[i]);
    }
    return source_close(&s); /* a damaged file: the caller simulates the chunk again */
}

void mcr_mpi_ckpt_drop_chunks(const mcr_mpi_ckpt *c, int scenario, int n_chunks)
{
    for (int k = 0; k < n_chunks; k++) {
        char name[64], full[MCR_CKPT_FILE];
        chunk_name(name, sizeof name, scenario, k);
        snprintf(full, sizeof full, "%s/%s", c->dir, name);
        unlink(full);
    }
}

/* ------------------------------------------------------------------ summaries and time */

typedef struct small_header {
    char magic[8];
    uint64_t id;
    int32_t what, n; /* scenario, cells; or -1, 0 for the time */
} small_header;

static small_header small_of(const mcr_mpi_ckpt *c, int what, int n)
{
    small_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, "MCRMPSM", 8);
    h.id = c->id;
    h.what = what;
    h.n = n;
    return h;
}

mcr_status mcr_mpi_ckpt_save_done(const mcr_mpi_ckpt *c, int scenario,
                                  const mcr_strategy_result *cells, int n, mcr_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "s%d.done", scenario);
    sink s;
    if (!sink_open(&s, c, name))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", s.tmp,
                        strerror(errno));
    small_header h = small_of(c, scenario, n);
    put(&s, &h, sizeof h);
    for (int t = 0; t < n; t++) {
        mcr_strategy_result r = cells[t]; /* the summaries; no arrays (not kept) */
        r.pnl = NULL;
        memset(r.component, 0, sizeof r.component);
        r.liquidation_step = NULL;
        r.trades = NULL;
        memset(r.greeks, 0, sizeof r.greeks);
        put(&s, &r, sizeof r);
    }
    return sink_close(&s, c, err);
}

bool mcr_mpi_ckpt_load_done(const mcr_mpi_ckpt *c, int scenario, mcr_strategy_result *cells,
                            int n)
{
    char name[64];
    snprintf(name, sizeof name, "s%d.done", scenario);
    source s;
    if (!source_open(&s, c, name))
        return false;
    small_header got, want = small_of(c, scenario, n);
    get(&s, &got, sizeof got);
    s.ok = s.ok && !memcmp(&got, &want, sizeof got);
    for (int t = 0; s.ok && t < n; t++)
        get(&s, &cells[t], sizeof cells[t]);
    bool ok = source_close(&s);
    if (!ok)
        memset(cells, 0, (size_t)n * sizeof *cells);
    return ok;
}

mcr_status mcr_mpi_ckpt_save_time(const mcr_mpi_ckpt *c, double seconds, mcr_error *err)
{
    sink s;
    if (!sink_open(&s, c, "time"))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write checkpoint: %s", s.tmp,
                        strerror(errno));
    small_header h = small_of(c, -1, 0);
    put(&s, &h, sizeof h);
    put(&s, &seconds, sizeof seconds);
    return sink_close(&s, c, err);
}

double mcr_mpi_ckpt_load_time(const mcr_mpi_ckpt *c)
{
    source s;
    double seconds = 0;
    if (!source_open(&s, c, "time"))
        return 0;
    small_header got, want = small_of(c, -1, 0);
    get(&s, &got, sizeof got);
    s.ok = s.ok && !memcmp(&got, &want, sizeof got);
    get(&s, &seconds, sizeof seconds);
    return source_close(&s) ? seconds : 0;
}
