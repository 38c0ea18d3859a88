/* The memory estimate of a run (memory.h): a term per buffer, in the order they are allocated. */
#include "memory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/comm.h"
#include "core/fields.h"
#include "kernels/sobol.h"
#include "optimize.h"
#include "risk/fold.h"
#include "sim/sim.h"
#include "strategies/roll.h"

/* the program and its libraries (HDF5, zlib, OpenMP, libyaml): a run of 100 paths peaks at 15 MB */
#define MCR_PROGRAM_BYTES (16.0 * 1024 * 1024)
#define MCR_THREAD_BYTES (1.0 * 1024 * 1024)   /* a thread's block buffers */
/* The chunk encoder of the writer (output/chunk_codec.h): the chunk's byte planes, its encoded
 * bytes, a deflate state (about 270 KB) and its constant chunks' encodings (9 KB). */
#define MCR_ENCODER_BYTES (16.0 * MCR_CHUNK_PATHS + 300.0 * 1024)

static void add(mcr_memory *m, const char *name, double bytes)
{
    if (m->n < MCR_MEMORY_TERMS)
        m->term[m->n++] = (mcr_memory_term){name, bytes};
    m->total += bytes;
}

/* The bytes of one path's fields in `mask` (core/fields.h). */
static double field_bytes(uint64_t mask)
{
    double b = 0;
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (mask & MCR_FIELD_BIT(f))
            b += mcr_field_size((mcr_field_id)f);
    return b;
}

void mcr_memory_estimate(const mcr_config *cfg, uint64_t paths, uint64_t total_paths,
                         int threads, bool replay, mcr_output_mode mode, mcr_memory *m)
{
    const bool streamed = mode != MCR_OUTPUT_HELD;
    memset(m, 0, sizeof *m);
    const double P = (double)paths, S = cfg->n_strategies, C = cfg->n_scenarios;
    /* pnl is held for the summaries; the other kept fields as long as the file needs them */
    const uint64_t others = cfg->keep_pnl ? cfg->keep_fields & ~MCR_FIELD_BIT(MCR_FIELD_PNL) : 0;
    /* scenarios whose arrays are held at once: all of them when the file is written at the end */
    const double held = cfg->keep_pnl && !streamed ? C : 1;
    double arrays = P * S * held * (8 + (streamed ? 0 : field_bytes(others)));
    if (streamed) { /* the other fields of the chunks under way: the one simulated and, with
                     * more than one thread, the one the writer's thread is writing */
        double chunks = fmin(ceil(P / MCR_CHUNK_PATHS), threads > 1 ? 2.0 : 1.0);
        arrays += chunks * fmin(P, MCR_CHUNK_PATHS) * S * field_bytes(others);
    }
    add(m, "per-path outputs", arrays);
    if (mode == MCR_OUTPUT_RELAYED && cfg->keep_pnl) /* deflate output: at most 1/64 over raw */
        add(m, "encoded chunks for rank 0", P * S * field_bytes(cfg->keep_fields) * (1 + 1.0 / 64));
    add(m, "block statistics", P * S * held * sizeof(mcr_block_stats) / MCR_BLOCK_PATHS +
                                   P * held / MCR_BLOCK_PATHS);
    double lowest = cfg->n_levels > 0 ? cfg->levels[0] : 0.95;
    add(m, "quantile scratch", 8 * P + 24 * P * (1 - lowest));
    if (cfg->sample_paths > 0) {
        double n = fmin(cfg->sample_paths, (double)total_paths);
        add(m, "sample paths", C * cfg->n_assets * n * (cfg->steps + 1.0) * 8);
    }
    if (cfg->tail.level > 0) { /* run.tail (run/tail.h) */
        const double N = (double)total_paths, pilot = cfg->tail.shift_auto
                                                          ? cfg->tail.pilot_paths : 0;
        const bool root = mode != MCR_OUTPUT_RELAYED; /* rank 0: the figures and the file */
        const double A = cfg->n_assets; /* zeta: one per asset and path */
        add(m, "tail pass", P * (S + 1 + A) * 8 + /* this rank's pass: pnl, weights, zeta */
                                (root ? 48 * N : 0) + /* gathered, losses, the sort */
                                (cfg->keep_pnl && root ? (S + 1) * 8 * N * C : 0) +
                                pilot * ((2 + A + S) * 8 + 24)); /* the pilot (before the pass) */
    }
    const double pilot = mcr_optimize_pilot_bytes(cfg); /* before the run (run/optimize.h) */
    if (pilot > 0)
        add(m, "hedge-ratio pilot", pilot);
    if (replay) /* every process holds every replayed price */
        add(m, "replayed paths", cfg->n_assets * (cfg->steps + 1.0) * (double)total_paths * 8);
    if (cfg->vr.antithetic || cfg->vr.qmc) { /* sim/vr.c per thread; risk/vr_se.c (qmc) */
        add(m, "variance-reduction shocks",
            threads * cfg->n_assets * (double)cfg->steps * MCR_BLOCK_PATHS * 8);
        if (cfg->vr.qmc) {
            add(m, "randomisation scratch", 16 * P);
            add(m, "Sobol generators", cfg->vr.randomisations * 33 * 4 *
                                           fmin((double)cfg->steps * cfg->n_assets,
                                                MCR_SOBOL_MAX_DIMS));
        }
    }
    double rolls = mcr_roll_bytes(cfg); /* each thread's workspace holds them */
    if (rolls > 0)
        add(m, "rolled option generations", threads * rolls);
    /* the encoder is counted on any run (a run without a file has none: a few MB too many) */
    add(m, "program and threads",
        MCR_PROGRAM_BYTES + threads * MCR_THREAD_BYTES + MCR_ENCODER_BYTES);
}

mcr_status mcr_memory_check(const mcr_config *cfg, uint64_t paths, uint64_t total_paths,
                            int threads, bool replay, mcr_output_mode mode, double max_memory,
                            FILE *log, mcr_error *err)
{
    mcr_memory m;
    mcr_memory_estimate(cfg, paths, total_paths, threads, replay, mode, &m);
    char source[32] = "--max-memory", need[32], have[32];
    double limit = max_memory > 0 ? max_memory : mcr_memory_available(source, sizeof source);
    mcr_memory_format(m.total, need, sizeof need);
    mcr_memory_format(limit, have, sizeof have);
    if (log)
        fprintf(log, "mcrisk: %llu paths x %d steps x %d scenario(s) x %d strategies, memory "
                "estimate %s of %s available\n", (unsigned long long)total_paths, cfg->steps,
                cfg->n_scenarios, cfg->n_strategies, need, have);
    if (limit <= 0 || m.total <= limit)
        return MCR_OK; /* unknown (no /proc): not refused */
    int big = 0;
    for (int i = 1; i < m.n; i++)
        big = m.term[i].bytes > m.term[big].bytes ? i : big;
    char term[32];
    mcr_memory_format(m.term[big].bytes, term, sizeof term);
    return mcr_fail(err, MCR_ERR_INPUT, "run needs an estimated %s of memory (%s: %s), more "
                    "than the %s available (%s); lower run.paths%s, or pass --max-memory SIZE "
                    "to override", need, m.term[big].name, term, have, source,
                    cfg->keep_pnl ? ", set run.keep_pnl: false" : "");
}

/* The first number after `key` in a /proc-style file, times `scale`; -1 if absent. */
static double read_value(const char *path, const char *key, double scale)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    double v = -1;
    size_t n = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, n)) {
            char *end;
            double x = strtod(line + n, &end);
            if (end != line + n)
                v = x * scale;
            break;
        }
    fclose(f);
    return v;
}

double mcr_memory_available(char *source, size_t size)
{
    double avail = read_value("/proc/meminfo", "MemAvailable:", 1024);
    snprintf(source, size, "MemAvailable");
    /* cgroup v2, then v1: the limit ("max" reads as absent) minus what the group uses */
    static const char *const limits[][2] = {
        {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
        {"/sys/fs/cgroup/memory/memory.limit_in_bytes",
         "/sys/fs/cgroup/memory/memory.usage_in_bytes"}};
    for (int i = 0; i < 2; i++) {
        double limit = read_value(limits[i][0], "", 1), used = read_value(limits[i][1], "", 1);
        if (limit > 0 && limit < 1e18 && used >= 0 && (avail < 0 || limit - used < avail)) {
            avail = limit > used ? limit - used : 0;
            snprintf(source, size, "the cgroup limit");
        }
    }
    return avail > 0 ? avail : 0;
}

bool mcr_memory_parse(const char *text, double *bytes)
{
    char *end;
    double x = strtod(text, &end);
    static const char units[] = "KMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    if (u && *u) {
        x *= pow(1024, (double)(u - units + 1));
        end++;
        if (*end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
    }
    if (end == text || *end || !(x > 0) || !isfinite(x))
        return false;
    *bytes = x;
    return true;
}

void mcr_memory_format(double bytes, char *out, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (bytes >= 1024 && u < 5)
        bytes /= 1024, u++;
    snprintf(out, size, u ? "%.3g %s" : "%.0f %s", bytes, units[u]);
}
