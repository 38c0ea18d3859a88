/* The HDF5 writer of layout 1 (docs/DESIGN.md): an mcr_result, per-path detail and P&L
 * histograms included, written while the run goes (h5_io.h: begin, chunks, finish). One code for
 * one process and for the ranks of an MPI run: every rank encodes its own chunks, rank 0 writes.
 *
 * The file is streamed: mcr_h5_begin creates every group and dataset, each chunk of per-path
 * values is encoded (chunk_codec.h: HDF5's shuffle + deflate) on the writer's own thread
 * (writer_thread.h) while the run simulates the next chunk, and written with H5Dwrite_chunk in a
 * fixed order (scenario, chunk, strategy, field), and mcr_h5_finish adds the summaries. Memory
 * holds the chunk being written, never the file. One thread at a time calls HDF5: the writer's
 * thread while a chunk is in flight, the caller's once it has waited for it (flush). Rank 0 alone calls HDF5:
 * over MPI each rank owns a contiguous range of chunks, rank 0 writes its own as they come, the
 * others encode theirs and hold the bytes until the scenario ends, then send them to rank 0 in
 * rank order (mcr_h5_end_scenario). Every chunk is encoded by the same code and written in the
 * same order whatever the number of ranks, so the file is the same bytes for 1 or N ranks.
 *
 * Deterministic: no object timestamps, a packed compound type, and the same calls in the same
 * order whatever the thread count, so the same result gives the same bytes. Atomic: the file is
 * written under a temporary name and renamed into place when complete (core/atomic_file.h). */
#define _GNU_SOURCE /* sync_file_range */
#include "h5_io.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_codec.h"
#include "core/atomic_file.h"
#include "h5_common.h"
#include "h5_fd_driver.h"
#include "writer_thread.h"

_Static_assert(MCR_H5_CHUNK_MAX == MCR_CHUNK_PATHS, "an HDF5 chunk is a run's chunk of paths");

/* The chunk put last: encoded and written (or held) by the writer's thread while the caller goes
 * on, or at once without one. */
typedef struct chunk_job {
    int scenario;
    uint64_t first, count;
    mcr_field_set sets[MCR_MAX_STRATEGIES];
    mcr_h5_same same;
    mcr_status st; /* its outcome, with err */
    mcr_error err;
} chunk_job;

struct mcr_h5_writer {
    const char *path; /* the name the caller asked for: messages name it, not the temp file */
    mcr_error *err;
    mcr_h5_quiet quiet;
    const mcr_comm *comm;
    const mcr_share *share;
    bool remote; /* an MPI rank other than 0: no file; its chunks are held for rank 0 */
    mcr_atomic_file af; /* rank 0 */
    int n_scenarios, n_strategies, n_levels;
    hid_t text, risk_mem, risk_file, gcpl, small_dcpl, path_dcpl, dxpl, file, scenarios;
    hid_t *groups; /* [scenario]: the scenario's group */
    hid_t *cells;  /* [cell]: the strategy group */
    hid_t *data;   /* [cell * MCR_N_FIELDS]: the per-path datasets, H5I_INVALID_HID if not kept */
    uint64_t *keep; /* [cell]: the fields with a per-path dataset (every rank) */
    hsize_t chunk; /* values per chunk */
    mcr_chunk_codec codec; /* encodes every chunk; rank 0 also receives the others' into it */
    bool codec_ready;
    int io_error;          /* the errno of the first failed write (h5_fd_driver.h) */
    mcr_writer_thread *bg; /* NULL: chunks are encoded and written by the caller's thread */
    chunk_job job;
    /* remote: encoded chunks of the scenario under way, each a held_unit and its bytes */
    uint8_t *held;
    size_t held_len, held_cap, held_count;
};

/* One encoded chunk of one dataset, as a rank other than 0 holds it and sends it. */
static void run_job(void *arg);

typedef struct held_unit {
    uint32_t cell_field; /* strategy * MCR_N_FIELDS + field */
    uint32_t pad;
    uint64_t first, bytes;
} held_unit;

static mcr_status write_fail(mcr_h5_writer *w, const char *obj, const char *what)
{
    return mcr_fail(w->err, MCR_ERR_IO, "%s: cannot write %s%s: %s", w->path, obj, what,
                    mcr_h5_reason(&w->quiet));
}

/* st, or the failure of a write that HDF5 was not told about (a full disk). */
static mcr_status io_checked(mcr_h5_writer *w, mcr_status st)
{
    if (st != MCR_OK || !w->io_error)
        return st;
    return mcr_fail(w->err, MCR_ERR_IO, "%s: cannot write: %s", w->path, strerror(w->io_error));
}

/* A link name HDF5 takes literally: not empty, no '/', not ".". */
static bool name_ok(const char *name)
{
    return name[0] && !strchr(name, '/') && strcmp(name, ".") != 0;
}

/* Names become HDF5 links, so each must be usable as one and unique among its siblings. The n names
 * are `stride` bytes apart, as scenario and strategy names are in the cell array. */
static mcr_status check_names(const char *path, const char *what, const char *first,
                              size_t stride, int n, mcr_error *err)
{
    for (int i = 0; i < n; i++) {
        const char *name = first + i * stride;
        if (!name_ok(name))
            return mcr_fail(err, MCR_ERR_INPUT,
                            "%s: %s name '%s' cannot name an HDF5 group (empty, '/' or '.')",
                            path, what, name);
        for (int o = 0; o < i; o++)
            if (!strcmp(name, first + o * stride))
                return mcr_fail(err, MCR_ERR_INPUT, "%s: %s name '%s' used twice", path, what,
                                name);
    }
    return MCR_OK;
}

static mcr_status check_result(const char *path, const mcr_result *r, mcr_error *err)
{
    if (r->n_scenarios < 0 || r->n_strategies < 0 ||
        (r->n_scenarios > 0 && r->n_strategies > 0 && !r->cells))
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s: result has no cells", path);
    for (int s = 0; s < r->n_scenarios; s++) {
        for (int t = 0; t < r->n_strategies; t++) {
            const mcr_strategy_result *c = mcr_result_cell(r, s, t);
            const char *sc = mcr_result_cell(r, s, 0)->scenario;
            const char *st = mcr_result_cell(r, 0, t)->strategy;
            if (strnlen(c->scenario, MCR_NAME_MAX) == MCR_NAME_MAX ||
                strnlen(c->strategy, MCR_NAME_MAX) == MCR_NAME_MAX || strcmp(c->scenario, sc) ||
                strcmp(c->strategy, st))
                return mcr_fail(err, MCR_ERR_INTERNAL,
                                "%s: result cell (%d, %d) is not scenario '%s' x strategy '%s'",
                                path, s, t, sc, st);
            if (c->summary.n_levels < 0 || c->summary.n_levels > MCR_MAX_LEVELS)
                return mcr_fail(err, MCR_ERR_INTERNAL, "%s: %s/%s has %d risk levels", path, sc,
                                st, c->summary.n_levels);
            if (mcr_field_set_mask(&c->fields) && r->prov.paths == 0)
                return mcr_fail(err, MCR_ERR_INTERNAL, "%s: per-path arrays kept but paths is 0",
                                path);
        }
    }
    if (r->n_scenarios == 0 || r->n_strategies == 0)
        return MCR_OK;
    mcr_status st = check_names(path, "scenario", r->cells[0].scenario,
                                r->n_strategies * sizeof r->cells[0], r->n_scenarios, err);
    if (st == MCR_OK)
        st = check_names(path, "strategy", r->cells[0].strategy, sizeof r->cells[0],
                         r->n_strategies, err);
    return st;
}

static mcr_status write_attr(mcr_h5_writer *w, hid_t loc, const char *obj, const char *name,
                             mcr_h5_kind kind, const void *buf)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = space < 0 ? H5I_INVALID_HID
                        : H5Acreate2(loc, name, mcr_h5_file_type(kind, w->text), space,
                                     H5P_DEFAULT, H5P_DEFAULT);
    mcr_status st = MCR_OK;
    if (a < 0 || H5Awrite(a, mcr_h5_mem_type(kind, w->text), buf) < 0 || H5Aclose(a) < 0)
        st = write_fail(w, obj, name);
    mcr_h5_close(space);
    return st;
}

static mcr_status write_fields(mcr_h5_writer *w, hid_t loc, const char *obj,
                               const mcr_h5_field *f, int n, const void *base)
{
    for (int i = 0; i < n; i++) {
        const char *member = (const char *)base + f[i].off;
        const char *text = member;
        const void *buf = member;
        if (f[i].kind == MCR_H5_HEAP_TEXT)
            text = *(char *const *)member ? *(char *const *)member : "";
        if (f[i].kind == MCR_H5_TEXT || f[i].kind == MCR_H5_HEAP_TEXT)
            buf = &text; /* a variable-length string is written from a char * */
        mcr_status st = write_attr(w, loc, obj, f[i].name, f[i].kind, buf);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

/* The whole data of (small) dataset d from buf. */
static bool put(mcr_h5_writer *w, hid_t d, hid_t mtype, const void *buf)
{
    return H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, w->dxpl, buf) >= 0;
}

static bool deflate_usable(void)
{
    unsigned cfg = 0;
    return H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
           H5Zget_filter_info(H5Z_FILTER_DEFLATE, &cfg) >= 0 &&
           (cfg & H5Z_FILTER_CONFIG_ENCODE_ENABLED);
}

/* Types and property lists shared by every object written. */
static mcr_status open_types(mcr_h5_writer *w)
{
    w->text = mcr_h5_text_type();
    w->risk_mem = mcr_h5_risk_type();
    /* Packed file type: no padding bytes whose content could differ between runs. */
    w->risk_file = w->risk_mem < 0 ? H5I_INVALID_HID : H5Tcopy(w->risk_mem);
    if (w->text < 0 || w->risk_file < 0 || H5Tpack(w->risk_file) < 0)
        return write_fail(w, "", "(types)");

    /* No timestamps in object headers, so identical runs give identical bytes; link creation order
     * is kept so readers list scenarios and strategies in the order they were run. */
    w->gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (w->gcpl < 0 || H5Pset_obj_track_times(w->gcpl, 0) < 0 ||
        H5Pset_link_creation_order(w->gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0)
        return write_fail(w, "", "(group properties)");
    w->small_dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (w->small_dcpl < 0 || H5Pset_obj_track_times(w->small_dcpl, 0) < 0)
        return write_fail(w, "", "(dataset properties)");
    w->dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (w->dxpl < 0)
        return write_fail(w, "", "(transfer properties)");

    /* One property list for every per-path array: the chunk is counted in elements, so int32
     * arrays get half-size chunks, and shuffle groups bytes by the element's own size. The
     * filters are needed to read the chunks the codec encodes. */
    w->path_dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (w->path_dcpl < 0 || H5Pset_obj_track_times(w->path_dcpl, 0) < 0 ||
        H5Pset_chunk(w->path_dcpl, 1, &w->chunk) < 0)
        return write_fail(w, "", "(pnl properties)");
    if (!deflate_usable())
        return mcr_fail(w->err, MCR_ERR_IO, "%s: this HDF5 library cannot deflate", w->path);
    /* Shuffling the bytes of doubles first lets deflate find the repeated exponent bytes. */
    if (H5Pset_shuffle(w->path_dcpl) < 0 ||
        H5Pset_deflate(w->path_dcpl, MCR_H5_DEFLATE_LEVEL) < 0)
        return write_fail(w, "", "(pnl filters)");
    return MCR_OK;
}

static hid_t create_dataset(hid_t loc, const char *name, hid_t ftype, int rank,
                            const hsize_t *dims, hid_t dcpl)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t d = space < 0 ? H5I_INVALID_HID
                        : H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    mcr_h5_close(space);
    return d;
}

/* The group `name` under g, created by the first of its fields. */
static hid_t subgroup(mcr_h5_writer *w, hid_t g, const char *name)
{
    htri_t has = H5Lexists(g, name, H5P_DEFAULT);
    return has > 0    ? H5Gopen2(g, name, H5P_DEFAULT)
           : has == 0 ? H5Gcreate2(g, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT)
                      : H5I_INVALID_HID;
}

/* A cell's group and datasets, empty: risk, the histogram's, then every per-path array kept (in
 * registry order, each in its field's group), in the order they were always written. */
static mcr_status create_cell(mcr_h5_writer *w, hid_t strategies, int i,
                              const mcr_strategy_result *c, uint64_t keep)
{
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/strategies/%s/", c->scenario, c->strategy);
    hid_t g = w->cells[i] = H5Gcreate2(strategies, c->strategy, H5P_DEFAULT, w->gcpl,
                                       H5P_DEFAULT);
    if (g < 0)
        return write_fail(w, obj, "");
    hsize_t levels = (hsize_t)c->summary.n_levels, bins = (hsize_t)c->hist.bins + 1;
    hid_t d[3] = {create_dataset(g, "risk", w->risk_file, 1, &levels, w->small_dcpl)};
    if (c->hist.bins > 0) { /* a result read from a file without one has none */
        d[1] = create_dataset(g, "hist_edges", H5T_IEEE_F64LE, 1, &bins, w->small_dcpl);
        bins--;
        d[2] = create_dataset(g, "hist_counts", H5T_STD_U64LE, 1, &bins, w->small_dcpl);
    }
    bool ok = d[0] >= 0 && (c->hist.bins <= 0 || (d[1] >= 0 && d[2] >= 0));
    for (int k = 0; k < 3; k++)
        if (d[k] > 0)
            mcr_h5_close(d[k]);
    if (!ok)
        return write_fail(w, obj, "risk");
    hsize_t n = w->share->paths;
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        const mcr_field *fd = &mcr_fields[f];
        if (!(keep & MCR_FIELD_BIT(f)))
            continue;
        hid_t loc = fd->group ? subgroup(w, g, fd->group) : g;
        hid_t *ds = &w->data[(size_t)i * MCR_N_FIELDS + f];
        if (loc >= 0)
            *ds = create_dataset(loc, fd->name, mcr_h5_field_file_type(f), 1, &n, w->path_dcpl);
        if (loc != g)
            mcr_h5_close(loc);
        if (*ds < 0)
            return write_fail(w, obj, fd->name);
    }
    return MCR_OK;
}

/* Every group and dataset of the file, empty (attributes come at the finish). */
static mcr_status create_all(mcr_h5_writer *w, const mcr_result *r)
{
    w->scenarios = H5Gcreate2(w->file, "scenarios", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (w->scenarios < 0)
        return write_fail(w, "/scenarios", "");
    mcr_status st = MCR_OK;
    for (int s = 0; st == MCR_OK && s < r->n_scenarios; s++) {
        const char *name = mcr_result_cell(r, s, 0)->scenario;
        char obj[MCR_H5_OBJ_MAX];
        snprintf(obj, sizeof obj, "/scenarios/%s", name);
        hid_t g = w->groups[s] = H5Gcreate2(w->scenarios, name, H5P_DEFAULT, w->gcpl,
                                            H5P_DEFAULT);
        hid_t strategies = g < 0 ? H5I_INVALID_HID
                                 : H5Gcreate2(g, "strategies", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
        st = strategies < 0 ? write_fail(w, obj, "/strategies") : MCR_OK;
        for (int t = 0; st == MCR_OK && t < r->n_strategies; t++) {
            int i = s * r->n_strategies + t;
            st = create_cell(w, strategies, i, &r->cells[i], w->keep[i]);
        }
        mcr_h5_close(strategies);
    }
    return st;
}

/* Everything the writer holds, closed (the file too) and freed. */
static mcr_status close_all(mcr_h5_writer *w)
{
    size_t n = (size_t)w->n_scenarios * (size_t)w->n_strategies;
    for (size_t i = 0; w->data && i < n * MCR_N_FIELDS; i++)
        mcr_h5_close(w->data[i]);
    for (size_t i = 0; w->cells && i < n; i++)
        mcr_h5_close(w->cells[i]);
    for (int s = 0; w->groups && s < w->n_scenarios; s++)
        mcr_h5_close(w->groups[s]);
    hid_t ids[] = {w->scenarios, w->text, w->risk_mem, w->risk_file, w->gcpl, w->small_dcpl,
                   w->path_dcpl, w->dxpl};
    for (int i = 0; i < MCR_H5_COUNT(ids); i++)
        mcr_h5_close(ids[i]);
    /* closing writes the metadata, so a failure can first show here */
    bool ok = w->file < 0 || H5Fclose(w->file) >= 0;
    if (w->codec_ready)
        mcr_chunk_codec_free(&w->codec);
    w->codec_ready = false;
    free(w->data);
    free(w->cells);
    free(w->groups);
    free(w->keep);
    free(w->held);
    w->file = H5I_INVALID_HID;
    w->data = w->cells = w->groups = NULL;
    w->keep = NULL;
    w->held = NULL;
    return ok ? MCR_OK : write_fail(w, "", "(closing)");
}

/* A failed writer: everything closed, the temporary removed, w freed (no collective call). */
static void drop(mcr_h5_writer *w)
{
    mcr_writer_thread_stop(w->bg); /* the chunk in flight finished first */
    w->bg = NULL;
    mcr_h5_quiet_begin(&w->quiet);
    close_all(w);
    mcr_h5_quiet_end(&w->quiet);
    if (w->comm->rank == 0)
        mcr_atomic_abort(&w->af);
    free(w);
}

static mcr_status begin(mcr_h5_writer *w, const mcr_result *r, const uint64_t *keep)
{
    size_t n = (size_t)r->n_scenarios * (size_t)r->n_strategies;
    w->groups = malloc((r->n_scenarios + 1) * sizeof *w->groups);
    w->cells = malloc((n + 1) * sizeof *w->cells);
    w->data = malloc((n * MCR_N_FIELDS + 1) * sizeof *w->data);
    w->keep = malloc((n + 1) * sizeof *w->keep);
    if (!w->groups || !w->cells || !w->data || !w->keep)
        return mcr_fail(w->err, MCR_ERR_NOMEM, "%s: out of memory", w->path);
    for (size_t i = 0; i < n; i++)
        w->keep[i] = keep ? *keep : mcr_field_set_mask(&r->cells[i].fields);
    for (int s = 0; s < r->n_scenarios; s++)
        w->groups[s] = H5I_INVALID_HID;
    for (size_t i = 0; i < n; i++)
        w->cells[i] = H5I_INVALID_HID;
    for (size_t i = 0; i < n * MCR_N_FIELDS; i++)
        w->data[i] = H5I_INVALID_HID;
    w->n_scenarios = r->n_scenarios; /* close_all knows the arrays from here on */
    w->n_strategies = r->n_strategies;
    w->codec_ready = mcr_chunk_codec_init(&w->codec, w->chunk, MCR_H5_DEFLATE_LEVEL);
    if (!w->codec_ready)
        return mcr_fail(w->err, MCR_ERR_NOMEM, "%s: out of memory", w->path);
    if (w->remote)
        return MCR_OK;
    mcr_status st = open_types(w);
    hid_t fapl = H5I_INVALID_HID, fcpl = H5I_INVALID_HID;
    if (st == MCR_OK) {
        /* the temporary's descriptor: the chunks go to disk as they come */
        fapl = mcr_h5_fd_fapl(w->af.fd, &w->io_error);
        fcpl = H5Pcreate(H5P_FILE_CREATE); /* the root group's properties: no timestamp either */
        if (fapl < 0 || fcpl < 0 || H5Pset_obj_track_times(fcpl, 0) < 0)
            st = write_fail(w, "", "(file properties)");
    }
    if (st == MCR_OK && (w->file = H5Fcreate(w->af.tmp_path, H5F_ACC_TRUNC, fcpl, fapl)) < 0)
        st = write_fail(w, "", "(creating)");
    mcr_h5_close(fcpl);
    mcr_h5_close(fapl);
    return io_checked(w, st == MCR_OK ? create_all(w, r) : st);
}

mcr_status mcr_h5_begin(mcr_h5_writer **out, const char *path, const mcr_result *r,
                        const uint64_t *keep, const mcr_comm *c, const mcr_share *sh,
                        int threads, mcr_error *err)
{
    *out = NULL;
    mcr_h5_writer *w = calloc(1, sizeof *w);
    /* every rank checks the same result; rank 0 alone creates the temporary */
    mcr_status st = w ? check_result(path, r, err)
                      : mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", path);
    bool begun = false;
    if (st == MCR_OK && c->rank == 0)
        begun = (st = mcr_atomic_begin(&w->af, path, "file", err)) == MCR_OK;
    st = mcr_comm_agree(c, st, err);
    if (st != MCR_OK) {
        if (begun)
            mcr_atomic_abort(&w->af);
        free(w);
        return st;
    }
    *w = (mcr_h5_writer){.path = path, .err = err, .comm = c, .share = sh,
                         .remote = c->rank != 0, .af = w->af,
                         .chunk = sh->paths < MCR_H5_CHUNK_MAX ? sh->paths : MCR_H5_CHUNK_MAX,
                         .text = H5I_INVALID_HID, .risk_mem = H5I_INVALID_HID,
                         .risk_file = H5I_INVALID_HID, .gcpl = H5I_INVALID_HID,
                         .small_dcpl = H5I_INVALID_HID, .path_dcpl = H5I_INVALID_HID,
                         .dxpl = H5I_INVALID_HID, .file = H5I_INVALID_HID,
                         .scenarios = H5I_INVALID_HID};
    if (w->chunk == 0)
        w->chunk = 1;
    mcr_h5_quiet_begin(&w->quiet);
    st = begin(w, r, keep);
    mcr_h5_quiet_end(&w->quiet);
    st = mcr_comm_agree(c, st, err);
    if (st != MCR_OK) {
        drop(w);
        return st;
    }
    /* with one thread the caller's thread does it all: the run uses the threads it was given */
    if (threads > 1)
        w->bg = mcr_writer_thread_start(run_job);
    *out = w;
    return MCR_OK;
}

/* One encoded chunk written by rank 0: `bytes` of buf into dataset unit u of scenario s. */
static mcr_status write_chunk(mcr_h5_writer *w, int s, int u, uint64_t first, size_t bytes,
                              const void *buf)
{
    hid_t d = w->data[(size_t)s * w->n_strategies * MCR_N_FIELDS + (size_t)u];
    hsize_t offset = first;
    if (bytes && H5Dwrite_chunk(d, H5P_DEFAULT, 0, &offset, bytes, buf) >= 0)
        return MCR_OK;
    char name[MCR_H5_OBJ_MAX + MCR_NAME_MAX] = "";
    H5Iget_name(d, name, sizeof name);
    return bytes ? write_fail(w, name, "")
                 : mcr_fail(w->err, MCR_ERR_INTERNAL, "%s: zlib failed on %s", w->path, name);
}

/* An encoded chunk kept by a rank other than 0 until the scenario ends. */
static mcr_status hold(mcr_h5_writer *w, int u, uint64_t first, size_t bytes, const void *buf)
{
    if (!bytes)
        return mcr_fail(w->err, MCR_ERR_INTERNAL, "%s: zlib failed", w->path);
    held_unit h = {.cell_field = (uint32_t)u, .first = first, .bytes = bytes};
    size_t need = w->held_len + sizeof h + bytes;
    if (need > w->held_cap) {
        size_t cap = need > 2 * w->held_cap ? need : 2 * w->held_cap;
        uint8_t *p = realloc(w->held, cap);
        if (!p)
            return mcr_fail(w->err, MCR_ERR_NOMEM, "%s: out of memory holding a chunk",
                            w->path);
        w->held = p;
        w->held_cap = cap;
    }
    memcpy(w->held + w->held_len, &h, sizeof h);
    memcpy(w->held + w->held_len + sizeof h, buf, bytes);
    w->held_len = need;
    w->held_count++;
    return MCR_OK;
}

/* The job's chunk: each dataset's part encoded and written (rank 0) or held (other ranks), in
 * the order strategy, field: the bytes and the file do not depend on the thread count. */
static mcr_status put_now(mcr_h5_writer *w, const chunk_job *j)
{
    const uint64_t *keep = &w->keep[(size_t)j->scenario * w->n_strategies];
    mcr_status st = MCR_OK;
    mcr_h5_quiet_begin(&w->quiet);
    for (int u = 0; st == MCR_OK && u < w->n_strategies * MCR_N_FIELDS; u++) {
        int t = u / MCR_N_FIELDS, f = u % MCR_N_FIELDS;
        if (!(keep[t] & MCR_FIELD_BIT(f)))
            continue;
        size_t size = mcr_field_size((mcr_field_id)f);
        size_t bytes =
            j->same.mask[t] & MCR_FIELD_BIT(f)
                ? mcr_chunk_encode_same(&w->codec, &j->same.value[t][f], j->count, size)
                : mcr_chunk_encode(&w->codec, (const char *)j->sets[t].at[f] + j->first * size,
                                   j->count, size);
        st = w->remote ? hold(w, u, j->first, bytes, w->codec.out)
                       : write_chunk(w, j->scenario, u, j->first, bytes, w->codec.out);
    }
    mcr_h5_quiet_end(&w->quiet);
#ifdef SYNC_FILE_RANGE_WRITE
    /* the chunk's pages on their way to the disk now, while the run goes on: the fsync that
     * makes the file durable (core/atomic_file.h) then waits for little more than the last */
    if (!w->remote && st == MCR_OK)
        sync_file_range(w->af.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    return io_checked(w, st);
}

/* The job, on the writer's thread (or the caller's). */
static void run_job(void *arg)
{
    mcr_h5_writer *w = arg;
    w->err = &w->job.err;
    w->job.st = put_now(w, &w->job);
}

/* The chunk in flight finished; its status, and its message in err on failure. From here on
 * the caller's thread alone uses HDF5 and w, with err for messages. */
static mcr_status flush(mcr_h5_writer *w, mcr_error *err)
{
    if (w->bg)
        mcr_writer_thread_wait(w->bg);
    w->err = err;
    mcr_status st = w->job.st;
    if (st != MCR_OK && err)
        *err = w->job.err;
    w->job.st = MCR_OK;
    return st;
}

mcr_status mcr_h5_put_chunk(mcr_h5_writer *w, int scenario, uint64_t first, uint64_t count,
                            const mcr_field_set *sets, const mcr_h5_same *same, mcr_error *err)
{
    mcr_status st = flush(w, err);
    if (st != MCR_OK)
        return st;
    w->job.scenario = scenario;
    w->job.first = first;
    w->job.count = count;
    memcpy(w->job.sets, sets, (size_t)w->n_strategies * sizeof *sets);
    if (same)
        w->job.same = *same;
    else
        memset(w->job.same.mask, 0, sizeof w->job.same.mask);
    if (w->bg) {
        mcr_writer_thread_post(w->bg, w);
        return MCR_OK;
    }
    run_job(w);
    return flush(w, err);
}

mcr_status mcr_h5_flush(mcr_h5_writer *w, mcr_error *err)
{
    return flush(w, err);
}

bool mcr_h5_background(const mcr_h5_writer *w)
{
    return w->bg != NULL;
}

/* Rank 0: rank k's held chunks of scenario s, one message each (after a count), received into
 * an encoder's buffer (every rank's encoders have the same capacity, which no encoded chunk
 * exceeds) and written unless `write` is false (an earlier failure: rank k is not left waiting). */
static mcr_status receive(mcr_h5_writer *w, int s, int k, bool write)
{
    const mcr_comm *c = w->comm;
    uint64_t count = 0;
    c->ops->recv(c, &count, sizeof count, k);
    mcr_status st = MCR_OK;
    for (uint64_t i = 0; i < count; i++) {
        held_unit h;
        c->ops->recv(c, &h, sizeof h, k);
        c->ops->recv(c, w->codec.out, h.bytes, k);
        if (write && st == MCR_OK)
            st = write_chunk(w, s, (int)h.cell_field, h.first, h.bytes, w->codec.out);
    }
    return st;
}

/* Rank k > 0: its held chunks to rank 0, in the order they were put. */
static void send_held(mcr_h5_writer *w)
{
    const mcr_comm *c = w->comm;
    uint64_t count = w->held_count;
    c->ops->send(c, &count, sizeof count, 0);
    for (size_t at = 0; at < w->held_len;) {
        held_unit h;
        memcpy(&h, w->held + at, sizeof h);
        c->ops->send(c, &h, sizeof h, 0);
        c->ops->send(c, w->held + at + sizeof h, h.bytes, 0);
        at += sizeof h + h.bytes;
    }
    w->held_len = w->held_count = 0;
}

mcr_status mcr_h5_end_scenario(mcr_h5_writer *w, int scenario, mcr_error *err)
{
    const mcr_comm *c = w->comm;
    mcr_status st = flush(w, err); /* a rank's own chunks come first */
    mcr_h5_quiet_begin(&w->quiet);
    for (int k = 1; k < c->size; k++)
        if (c->rank == 0) {
            mcr_status got = receive(w, scenario, k, st == MCR_OK);
            st = st == MCR_OK ? got : st;
        } else if (c->rank == k) {
            send_held(w);
        }
    mcr_h5_quiet_end(&w->quiet);
    return mcr_comm_agree(c, io_checked(w, st), err);
}

/* The summary attributes: mean, std, mean_se, each field's own, hedge_effectiveness, the
 * comparison with the baseline and the sweep's. */
static mcr_status write_figures(mcr_h5_writer *w, hid_t g, const char *obj,
                                const mcr_strategy_result *c)
{
    mcr_status st = write_fields(w, g, obj, mcr_h5_summary_fields, mcr_h5_n_summary_fields,
                                 &c->summary);
    for (int f = 0; st == MCR_OK && f < MCR_N_FIELDS; f++) {
        char names[2][MCR_NAME_MAX];
        mcr_h5_field stat[2];
        st = write_fields(w, g, obj, stat, mcr_h5_stat_fields(f, names, stat), c);
    }
    if (st == MCR_OK)
        st = write_fields(w, g, obj, mcr_h5_cell_fields, mcr_h5_n_cell_fields, c);
    char names[MCR_H5_DIFF_MAX][MCR_NAME_MAX];
    mcr_h5_field diff[MCR_H5_DIFF_MAX];
    if (st == MCR_OK)
        st = write_fields(w, g, obj, diff, mcr_h5_diff_fields(c, false, names, diff), c);
    if (st == MCR_OK && c->tail.level > 0)
        st = write_fields(w, g, obj, mcr_h5_tail_fields, mcr_h5_n_tail_fields, c);
    if (st == MCR_OK && c->ratio.optimized)
        st = write_fields(w, g, obj, mcr_h5_ratio_fields, mcr_h5_n_ratio_fields, c);
    return st;
}

/* run.tail's float64 [paths] dataset `name` of group g, every path (rank 0 holds them all). */
static mcr_status fill_tail(mcr_h5_writer *w, hid_t g, const char *obj, const char *name,
                            const double *all)
{
    hsize_t n = w->share->paths;
    hid_t d = create_dataset(g, name, H5T_IEEE_F64LE, 1, &n, w->path_dcpl);
    bool ok = d >= 0 && put(w, d, H5T_NATIVE_DOUBLE, all);
    mcr_h5_close(d);
    return ok ? MCR_OK : write_fail(w, obj, name);
}

/* The data of the small dataset `name` of group g. */
static mcr_status fill(mcr_h5_writer *w, hid_t g, const char *obj, const char *name,
                       hid_t mtype, const void *buf)
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    bool ok = d >= 0 && put(w, d, mtype, buf);
    mcr_h5_close(d);
    return ok ? MCR_OK : write_fail(w, obj, name);
}

/* A cell's attributes and small datasets; over MPI its per-path arrays too. */
static mcr_status fill_cell(mcr_h5_writer *w, int i, const mcr_strategy_result *c)
{
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/strategies/%s/", c->scenario, c->strategy);
    hid_t g = w->cells[i];
    mcr_status st = write_figures(w, g, obj, c);
    if (st == MCR_OK)
        st = fill(w, g, obj, "risk", w->risk_mem, c->summary.risk);
    if (st == MCR_OK && c->hist.bins > 0)
        st = fill(w, g, obj, "hist_edges", H5T_NATIVE_DOUBLE, c->hist.edges);
    if (st == MCR_OK && c->hist.bins > 0)
        st = fill(w, g, obj, "hist_counts", H5T_NATIVE_UINT64, c->hist.counts);
    if (st == MCR_OK && c->hist.bins > 0)
        st = write_fields(w, g, obj, mcr_h5_hist_fields, mcr_h5_n_hist_fields, c);
    if (st == MCR_OK && c->n_convergence > 0) { /* run.target: README "Accuracy targets" */
        hsize_t dims[2] = {(hsize_t)c->n_convergence, 2 + 2 * (hsize_t)c->summary.n_levels};
        double rows[MCR_CONVERGENCE_ROWS * (2 + 2 * MCR_MAX_LEVELS)]; /* packed [rows][dims[1]] */
        for (int r = 0; r < c->n_convergence; r++)
            memcpy(rows + r * dims[1], c->convergence[r], dims[1] * sizeof(double));
        hid_t d = create_dataset(g, "convergence", H5T_IEEE_F64LE, 2, dims, w->small_dcpl);
        bool ok = d >= 0 && put(w, d, H5T_NATIVE_DOUBLE, rows);
        mcr_h5_close(d);
        st = ok ? MCR_OK : write_fail(w, obj, "convergence");
    }
    if (st == MCR_OK && c->tail_pnl)
        st = fill_tail(w, g, obj, "tail_pnl", c->tail_pnl);
    return st;
}

/* run.sample_paths: float64 [assets][paths][steps + 1] of the scenario's first paths. */
static mcr_status write_samples(mcr_h5_writer *w, const mcr_result *r, int s)
{
    if (!r->sample_paths[s] || r->n_sample <= 0)
        return MCR_OK;
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/", mcr_result_cell(r, s, 0)->scenario);
    hsize_t dims[3] = {(hsize_t)r->sample_assets, (hsize_t)r->n_sample,
                       (hsize_t)r->prov.steps + 1};
    hid_t d = create_dataset(w->groups[s], "sample_paths", H5T_IEEE_F64LE, 3, dims,
                             w->small_dcpl);
    bool ok = d >= 0 && put(w, d, H5T_NATIVE_DOUBLE, r->sample_paths[s]);
    mcr_h5_close(d);
    return ok ? MCR_OK : write_fail(w, obj, "sample_paths");
}

static mcr_status finish(mcr_h5_writer *w, const mcr_result *r)
{
    int layout = MCR_H5_LAYOUT;
    mcr_status st = write_attr(w, w->file, "/", "layout", MCR_H5_INT, &layout);
    if (st == MCR_OK)
        st = write_fields(w, w->file, "/", mcr_h5_root_fields, mcr_h5_n_root_fields, r);
    if (st == MCR_OK && r->target.rounds > 0)
        st = write_fields(w, w->file, "/", mcr_h5_target_fields, mcr_h5_n_target_fields, r);
    if (st == MCR_OK && w->comm->mpi) /* how many ranks ran it: provenance of an MPI run */
        st = write_attr(w, w->file, "/", "mpi_ranks", MCR_H5_INT, &w->comm->size);
    for (int i = 0; st == MCR_OK && i < r->n_scenarios * r->n_strategies; i++)
        st = fill_cell(w, i, &r->cells[i]);
    for (int s = 0; st == MCR_OK && s < r->n_scenarios; s++)
        st = write_samples(w, r, s);
    for (int s = 0; st == MCR_OK && s < r->n_scenarios; s++) {
        char obj[MCR_H5_OBJ_MAX];
        snprintf(obj, sizeof obj, "/scenarios/%s/", mcr_result_cell(r, s, 0)->scenario);
        if (r->tail_weight[s])
            st = fill_tail(w, w->groups[s], obj, "tail_weight", r->tail_weight[s]);
    }
    mcr_status closed = close_all(w);
    return io_checked(w, st == MCR_OK ? closed : st);
}

mcr_status mcr_h5_finish(mcr_h5_writer *w, const mcr_result *r, mcr_error *err)
{
    const mcr_comm *c = w->comm;
    mcr_status st = flush(w, err);
    mcr_writer_thread_stop(w->bg);
    w->bg = NULL;
    if (st == MCR_OK && (r->n_scenarios != w->n_scenarios || r->n_strategies != w->n_strategies))
        st = mcr_fail(err, MCR_ERR_INTERNAL, "%s: result of another shape", w->path);
    mcr_h5_quiet_begin(&w->quiet);
    if (st == MCR_OK && !w->remote) /* rank 0 writes */
        st = finish(w, r);
    else
        close_all(w);
    mcr_h5_quiet_end(&w->quiet);
    st = mcr_comm_agree(c, st, err);
    /* rank 0 makes the file durable and gives it its name */
    if (c->rank == 0)
        st = st == MCR_OK ? mcr_atomic_commit(&w->af, err) : (mcr_atomic_abort(&w->af), st);
    free(w);
    return mcr_comm_agree(c, st, err);
}

void mcr_h5_abort(mcr_h5_writer *w)
{
    if (w)
        drop(w);
}

mcr_status mcr_h5_write_shared(const char *path, const mcr_result *r, const mcr_comm *c,
                               const mcr_share *sh, mcr_error *err)
{
    mcr_h5_writer *w;
    mcr_status st = mcr_h5_begin(&w, path, r, NULL, c, sh, omp_get_max_threads(), err);
    int first = mcr_share_my_first(sh, c), chunks = mcr_share_my_chunks(sh, c);
    for (int s = 0; st == MCR_OK && s < r->n_scenarios; s++) {
        mcr_field_set sets[MCR_MAX_STRATEGIES]; /* this rank's share, aimed at global paths */
        for (int t = 0; t < r->n_strategies; t++)
            sets[t] = mcr_field_set_shift(&mcr_result_cell(r, s, t)->fields, sh->first);
        for (int k = first; st == MCR_OK && k < first + chunks; k++)
            st = mcr_h5_put_chunk(w, s, (uint64_t)k * MCR_CHUNK_PATHS,
                                  mcr_share_chunk_len(sh, k), sets, NULL, err);
        st = mcr_comm_agree(c, st, err);
        if (st == MCR_OK)
            st = mcr_h5_end_scenario(w, s, err);
    }
    if (st == MCR_OK)
        return mcr_h5_finish(w, r, err);
    mcr_h5_abort(w);
    return st;
}

mcr_status mcr_h5_write(const char *path, const mcr_result *r, mcr_error *err)
{
    const mcr_comm *c = mcr_comm_serial();
    mcr_share sh;
    if (!mcr_share_init(&sh, c, r->prov.paths))
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", path);
    mcr_status st = mcr_h5_write_shared(path, r, c, &sh, err);
    mcr_share_free(&sh);
    return st;
}
