/* Suite stream: the streaming writer's pieces. The chunk codec against zlib's own inflate and
 * HDF5's shuffle layout (random byte planes stored, regular ones deflated, the edge of a short
 * chunk zero); a file streamed chunk by chunk on 1, 2 and 3 threads is the same bytes, and reads
 * back bitwise. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "output/chunk_codec.h"
#include "output/h5_io.h"

static uint64_t next_bits(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Decode as HDF5 does (inflate, then unshuffle) and compare with the values, zeros beyond. */
static void assert_decodes(mcr_chunk_codec *c, size_t bytes, const void *values, size_t count,
                           size_t size)
{
    size_t n = c->chunk, raw = n * size;
    uint8_t *planes = malloc(raw), *back = malloc(raw);
    uLongf got = raw;
    cr_assert_eq(uncompress(planes, &got, c->out, bytes), Z_OK);
    cr_assert_eq(got, raw);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < size; j++)
            back[i * size + j] = planes[j * n + i];
    cr_assert_eq(memcmp(back, values, count * size), 0, "values differ");
    for (size_t i = count * size; i < raw; i++)
        cr_assert_eq(back[i], 0, "padding byte %zu", i);
    free(planes);
    free(back);
}

Test(stream, codec_round_trip_and_plane_choice)
{
    enum { N = 4096 };
    mcr_chunk_codec c;
    cr_assert(mcr_chunk_codec_init(&c, N, 4));
    double *v = malloc(N * sizeof *v);
    uint64_t s = 0x9e3779b97f4a7c15u;

    /* random bits: every plane is random, so every plane is stored (5 bytes a block) */
    for (int i = 0; i < N; i++) {
        uint64_t b = next_bits(&s);
        memcpy(&v[i], &b, sizeof b);
    }
    size_t bytes = mcr_chunk_encode(&c, v, N, sizeof(double));
    cr_assert_gt(bytes, 0);
    assert_decodes(&c, bytes, v, N, sizeof(double));
    cr_assert_geq(bytes, N * sizeof(double));
    cr_assert_leq(bytes, N * sizeof(double) + 8 * 16 + 16, "stored planes cost %zu", bytes);

    /* P&L-like values: sign, exponent and top mantissa bytes regular, the rest random */
    for (int i = 0; i < N; i++)
        v[i] = 100.0 + (double)(next_bits(&s) >> 11) * 0x1p-53 * 10.0;
    bytes = mcr_chunk_encode(&c, v, N, sizeof(double));
    assert_decodes(&c, bytes, v, N, sizeof(double));
    cr_assert_lt(bytes, N * sizeof(double) * 7 / 8, "regular planes deflated: %zu", bytes);

    /* a short (edge) chunk of int32: the rest of the chunk is zeros */
    int32_t *k = malloc(N * sizeof *k);
    for (int i = 0; i < N; i++)
        k[i] = i % 7 == 0 ? (int32_t)(next_bits(&s) % 720) : -1;
    bytes = mcr_chunk_encode(&c, k, 1000, sizeof(int32_t));
    assert_decodes(&c, bytes, k, 1000, sizeof(int32_t));
    cr_assert_lt(bytes, 1000 * sizeof(int32_t) / 2);

    /* constant values compress to almost nothing */
    memset(v, 0, N * sizeof *v);
    bytes = mcr_chunk_encode(&c, v, N, sizeof(double));
    assert_decodes(&c, bytes, v, N, sizeof(double));
    cr_assert_lt(bytes, N * sizeof(double) / 100);
    free(k);
    free(v);
    mcr_chunk_codec_free(&c);
}

/* A constant chunk's encoding is reused: the same bytes as a fresh codec's, for the value, count
 * and size it was made for only (another value, a short chunk or int32s are encoded anew). */
Test(stream, constant_chunks_reuse_their_encoding)
{
    enum { N = 4096 };
    mcr_chunk_codec c, fresh;
    cr_assert(mcr_chunk_codec_init(&c, N, 4));
    double *v = malloc(N * sizeof *v);
    int32_t *k = malloc(N * sizeof *k);
    const double values[] = {0.0, 0.0, -1.5, -1.5, 0.0};
    const size_t counts[] = {N, N, N, 1000, N};
    for (int r = 0; r < 5; r++) {
        for (int i = 0; i < N; i++)
            v[i] = values[r];
        size_t bytes = mcr_chunk_encode(&c, v, counts[r], sizeof(double));
        cr_assert(mcr_chunk_codec_init(&fresh, N, 4));
        size_t want = mcr_chunk_encode(&fresh, v, counts[r], sizeof(double));
        cr_assert_eq(bytes, want, "round %d: %zu bytes, a fresh codec %zu", r, bytes, want);
        cr_assert_eq(memcmp(c.out, fresh.out, want), 0, "round %d", r);
        assert_decodes(&c, bytes, v, counts[r], sizeof(double));
        mcr_chunk_codec_free(&fresh);
        for (int i = 0; i < N; i++) /* -1 in int32 is not the cached double */
            k[i] = -1;
        bytes = mcr_chunk_encode(&c, k, N, sizeof(int32_t));
        assert_decodes(&c, bytes, k, N, sizeof(int32_t));
    }
    /* one value off the constant in the last place: encoded, not the cached zeros */
    for (int i = 0; i < N; i++)
        v[i] = 0.0;
    cr_assert_gt(mcr_chunk_encode(&c, v, N, sizeof(double)), 0);
    v[N - 1] = 0x1p-1074;
    size_t bytes = mcr_chunk_encode(&c, v, N, sizeof(double));
    assert_decodes(&c, bytes, v, N, sizeof(double));
    free(k);
    free(v);
    mcr_chunk_codec_free(&c);
}

/* A codec serves several datasets of each chunk in turn: their constants, in doubles, int32s
 * and uint32s, are all kept (from the second round on every chunk is reused), and the bytes stay
 * a fresh codec's; more constants than the codec keeps are still encoded right. */
Test(stream, several_constants_are_kept_at_once)
{
    enum { N = 4096, K = MCR_CODEC_SAME + 1 };
    mcr_chunk_codec c, fresh;
    cr_assert(mcr_chunk_codec_init(&c, N, 4));
    cr_assert(mcr_chunk_codec_init(&fresh, N, 4));
    double *v = malloc(N * sizeof *v);
    int32_t *k = malloc(N * sizeof *k);
    uint32_t *u = malloc(N * sizeof *u);
    for (int r = 0; r < 3; r++) {
        size_t before = c.reused;
        for (int e = 0; e < 5; e++) { /* 0.0, inf, 1.0 in double, -1 in int32, 0 in uint32 */
            const void *p = v;
            size_t size = sizeof(double);
            if (e < 3)
                for (int i = 0; i < N; i++)
                    v[i] = e == 0 ? 0.0 : e == 1 ? INFINITY : 1.0;
            for (int i = 0; e >= 3 && i < N; i++)
                k[i] = -1, u[i] = 0;
            if (e >= 3)
                p = e == 3 ? (const void *)k : (const void *)u, size = sizeof(int32_t);
            size_t bytes = mcr_chunk_encode(&c, p, N, size);
            size_t want = mcr_chunk_encode(&fresh, p, N, size);
            for (int i = 0; i < MCR_CODEC_SAME; i++) /* `fresh` encodes every time */
                fresh.same[i].bytes = 0;
            cr_assert_eq(bytes, want, "round %d, constant %d", r, e);
            cr_assert_eq(memcmp(c.out, fresh.out, want), 0, "round %d, constant %d", r, e);
            assert_decodes(&c, bytes, p, N, size);
        }
        cr_assert_eq(c.reused - before, r == 0 ? 0 : 5, "round %d reused %zu", r,
                     c.reused - before);
    }
    for (int r = 0; r < 2; r++) /* K doubles in turn: each evicts the oldest */
        for (int e = 0; e < K; e++) {
            for (int i = 0; i < N; i++)
                v[i] = 10.0 + e;
            size_t bytes = mcr_chunk_encode(&c, v, N, sizeof(double));
            assert_decodes(&c, bytes, v, N, sizeof(double));
        }
    free(u);
    free(k);
    free(v);
    mcr_chunk_codec_free(&fresh);
    mcr_chunk_codec_free(&c);
}

#define PATHS 70000 /* two chunks, the second short */

static void make_result(mcr_result *r)
{
    memset(r, 0, sizeof *r);
    r->prov.config_yaml = strdup("run: {paths: 70000}\n");
    r->prov.paths = PATHS;
    r->prov.steps = 10;
    r->n_scenarios = 2;
    r->n_strategies = 2;
    r->cells = calloc(4, sizeof *r->cells);
    uint64_t s = 42, mask = MCR_FIELD_BIT(MCR_FIELD_PNL) | MCR_FIELD_BIT(MCR_FIELD_TRADES) |
                           MCR_FIELD_BIT(MCR_FIELD_LIQUIDATION_STEP) |
                           MCR_FIELD_BIT(MCR_FIELD_COMPONENT + MCR_PNL_FEES);
    for (int i = 0; i < 4; i++) {
        mcr_strategy_result *c = &r->cells[i];
        snprintf(c->scenario, sizeof c->scenario, "%s", i < 2 ? "base" : "crash");
        snprintf(c->strategy, sizeof c->strategy, "%s", i % 2 ? "hedged" : "none");
        c->summary.n_levels = 1;
        c->summary.risk[0].level = 0.99;
        cr_assert(mcr_field_set_alloc(&c->fields, PATHS, i == 3 ? MCR_FIELD_BIT(0) : mask));
        double *pnl = c->fields.at[MCR_FIELD_PNL];
        for (int p = 0; p < PATHS; p++) {
            pnl[p] = (double)(int64_t)next_bits(&s) * 0x1p-60;
            if (c->fields.at[MCR_FIELD_TRADES]) {
                ((uint32_t *)c->fields.at[MCR_FIELD_TRADES])[p] = (uint32_t)(next_bits(&s) % 9);
                ((int32_t *)c->fields.at[MCR_FIELD_LIQUIDATION_STEP])[p] = p % 11 ? -1 : p % 10;
                ((double *)c->fields.at[MCR_FIELD_COMPONENT + MCR_PNL_FEES])[p] = -0.05 * (p % 3);
            }
        }
    }
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    char *buf = malloc(*n);
    cr_assert_eq(fread(buf, 1, *n, f), *n);
    fclose(f);
    return buf;
}

/* The run's order: per scenario, chunk by chunk; `same` (or NULL) for every chunk. */
static void stream_same(const char *path, const mcr_result *r, int threads,
                        const mcr_h5_same *same)
{
    const mcr_comm *c = mcr_comm_serial();
    mcr_share sh;
    cr_assert(mcr_share_init(&sh, c, PATHS));
    mcr_h5_writer *w;
    mcr_error err = {0};
    cr_assert_eq(mcr_h5_begin(&w, path, r, NULL, c, &sh, threads, &err), MCR_OK, "%s", err.msg);
    for (int s = 0; s < 2; s++) {
        mcr_field_set sets[2] = {r->cells[2 * s].fields, r->cells[2 * s + 1].fields};
        cr_assert_eq(mcr_h5_put_chunk(w, s, 0, MCR_CHUNK_PATHS, sets, same, &err), MCR_OK);
        cr_assert_eq(mcr_h5_put_chunk(w, s, MCR_CHUNK_PATHS, PATHS - MCR_CHUNK_PATHS, sets, same,
                                      &err), MCR_OK);
    }
    cr_assert_eq(mcr_h5_finish(w, r, &err), MCR_OK, "%s", err.msg);
    mcr_share_free(&sh);
}

static void stream(const char *path, const mcr_result *r, int threads)
{
    stream_same(path, r, threads, NULL);
}

Test(stream, same_bytes_on_any_thread_count)
{
    char dir[] = "/tmp/mcr-stream-XXXXXX", path[3][64];
    cr_assert_not_null(mkdtemp(dir));
    mcr_result r;
    make_result(&r);
    size_t n[3];
    char *bytes[3];
    for (int k = 0; k < 3; k++) {
        snprintf(path[k], sizeof path[k], "%s/t%d.h5", dir, k + 1);
        stream(path[k], &r, k + 1);
        bytes[k] = slurp(path[k], &n[k]);
    }
    for (int k = 1; k < 3; k++) {
        cr_assert_eq(n[k], n[0]);
        cr_assert_eq(memcmp(bytes[k], bytes[0], n[0]), 0, "%d threads: other bytes", k + 1);
    }
    mcr_result back;
    mcr_error err = {0};
    cr_assert_eq(mcr_h5_read(path[2], 1, &back, &err), MCR_OK, "%s", err.msg);
    for (int i = 0; i < 4; i++)
        for (int f = 0; f < MCR_N_FIELDS; f++) {
            const void *a = r.cells[i].fields.at[f], *b = back.cells[i].fields.at[f];
            cr_assert_eq(!a, !b, "cell %d: %s", i, mcr_fields[f].name);
            cr_assert(!a || !memcmp(a, b, PATHS * mcr_field_size((mcr_field_id)f)),
                      "cell %d: %s differs", i, mcr_fields[f].name);
        }
    mcr_result_free(&back);
    mcr_result_free(&r);
    for (int k = 0; k < 3; k++) {
        unlink(path[k]);
        free(bytes[k]);
    }
    rmdir(dir);
}

/* A field handed over as one value (mcr_h5_same) is encoded from the value, its array unread:
 * the same file as streaming an array of that value, on one thread and with the writer's own. */
Test(stream, a_field_of_one_value_is_written_from_the_value)
{
    char dir[] = "/tmp/mcr-stream-XXXXXX", path[2][64];
    cr_assert_not_null(mkdtemp(dir));
    mcr_result r;
    make_result(&r);
    for (int i = 0; i < 4; i += 2) /* strategy 0's trades: 7 on every path */
        for (int p = 0; p < PATHS; p++)
            ((uint32_t *)r.cells[i].fields.at[MCR_FIELD_TRADES])[p] = 7;
    snprintf(path[0], sizeof path[0], "%s/array.h5", dir);
    stream(path[0], &r, 1);
    size_t n0, n1;
    char *want = slurp(path[0], &n0);
    mcr_h5_same same = {.mask = {MCR_FIELD_BIT(MCR_FIELD_TRADES)}};
    same.value[0][MCR_FIELD_TRADES] = 7;
    for (int i = 0; i < 4; i += 2) /* the arrays are not read */
        memset(r.cells[i].fields.at[MCR_FIELD_TRADES], 0xA5, PATHS * sizeof(uint32_t));
    for (int threads = 1; threads <= 2; threads++) {
        snprintf(path[1], sizeof path[1], "%s/same%d.h5", dir, threads);
        stream_same(path[1], &r, threads, &same);
        char *got = slurp(path[1], &n1);
        cr_assert_eq(n1, n0, "%d threads", threads);
        cr_assert_eq(memcmp(got, want, n0), 0, "%d threads: other bytes", threads);
        free(got);
        unlink(path[1]);
    }
    free(want);
    mcr_result_free(&r);
    unlink(path[0]);
    rmdir(dir);
}

/* The codec's constant path decodes to the copies of the value (a short chunk too), and gives
 * the bytes of an array of them. */
Test(stream, encode_same_is_encode_of_the_copies)
{
    enum { N = 4096 };
    mcr_chunk_codec a, b;
    cr_assert(mcr_chunk_codec_init(&a, N, 4) && mcr_chunk_codec_init(&b, N, 4));
    double *v = malloc(N * sizeof *v);
    int32_t *k = malloc(N * sizeof *k);
    const size_t counts[] = {N, N - 100, 1};
    for (int c = 0; c < 3; c++) {
        double x = -2.5 - c;
        int32_t y = -1 - c;
        for (size_t i = 0; i < counts[c]; i++) {
            v[i] = x;
            k[i] = y;
        }
        size_t want = mcr_chunk_encode(&a, v, counts[c], sizeof x);
        size_t got = mcr_chunk_encode_same(&b, &x, counts[c], sizeof x);
        cr_assert(want > 0 && got == want && !memcmp(a.out, b.out, want), "double, count %zu",
                  counts[c]);
        assert_decodes(&b, got, v, counts[c], sizeof x);
        want = mcr_chunk_encode(&a, k, counts[c], sizeof y);
        got = mcr_chunk_encode_same(&b, &y, counts[c], sizeof y);
        cr_assert(want > 0 && got == want && !memcmp(a.out, b.out, want), "int32, count %zu",
                  counts[c]);
        assert_decodes(&b, got, k, counts[c], sizeof y);
    }
    free(v);
    free(k);
    mcr_chunk_codec_free(&a);
    mcr_chunk_codec_free(&b);
}
