/* The HDF5 writer of layout 1 (docs/DESIGN.md): an mcr_result, per-path detail and P&L
 * histograms included. One code for one process and for the ranks of an MPI run (OpenMC's
 * state point style): every rank makes the same calls with the same metadata (groups,
 * attributes, dataset creation), and each dataset's data goes in one transfer in which rank 0
 * selects a small dataset whole and every rank selects its own share of a per-path dataset. Over
 * one process the transfer is a plain write into a file built in memory; over MPI it is
 * collective, through MPI-IO. Deterministic: no object timestamps and a packed compound type, so
 * the same result gives the same bytes. Atomic: the file is written under a temporary name and
 * renamed into place when complete (core/atomic_file.h). */
#include "h5_io.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "h5_common.h"

#define MCR_H5_CORE_INCREMENT (4u << 20) /* the in-memory file grows by this many bytes */

typedef struct h5w {
    const char *path; /* the name the caller asked for: messages name it, not the temp file */
    mcr_error *err;
    mcr_h5_quiet quiet;
    const mcr_comm *comm;
    const mcr_share *share;
    bool parallel; /* every rank writes through MPI-IO, collectively */
    hid_t text, risk_mem, risk_file, gcpl, small_dcpl, path_dcpl, dxpl;
} h5w;

static mcr_status write_fail(h5w *w, const char *obj, const char *what)
{
    return mcr_fail(w->err, MCR_ERR_IO, "%s: cannot write %s%s: %s", w->path, obj, what,
                    mcr_h5_reason(&w->quiet));
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

static bool deflate_usable(void)
{
    unsigned cfg = 0;
    return H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
           H5Zget_filter_info(H5Z_FILTER_DEFLATE, &cfg) >= 0 &&
           (cfg & H5Z_FILTER_CONFIG_ENCODE_ENABLED);
}

/* Types and property lists shared by every object written. */
static mcr_status open_types(h5w *w, uint64_t paths, bool any_vectors)
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
#ifdef H5_HAVE_PARALLEL
    if (w->parallel && H5Pset_dxpl_mpio(w->dxpl, H5FD_MPIO_COLLECTIVE) < 0)
        return write_fail(w, "", "(transfer properties)");
#endif
    if (!any_vectors)
        return MCR_OK;

    /* One property list for every per-path array: the chunk is counted in elements, so int32
     * arrays get half-size chunks, and shuffle groups bytes by the element's own size. */
    hsize_t chunk = paths < MCR_H5_CHUNK_MAX ? paths : MCR_H5_CHUNK_MAX;
    w->path_dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (w->path_dcpl < 0 || H5Pset_obj_track_times(w->path_dcpl, 0) < 0 ||
        H5Pset_chunk(w->path_dcpl, 1, &chunk) < 0)
        return write_fail(w, "", "(pnl properties)");
    /* Through MPI-IO every value is written: fill values would only be written to be overwritten
     * (and parallel HDF5 1.10 cannot write them through filters). */
    if (w->parallel && H5Pset_fill_time(w->path_dcpl, H5D_FILL_TIME_NEVER) < 0)
        return write_fail(w, "", "(pnl properties)");
    /* Shuffling the bytes of doubles first lets deflate find the repeated exponent bytes. */
    if (deflate_usable() && (H5Pset_shuffle(w->path_dcpl) < 0 ||
                             H5Pset_deflate(w->path_dcpl, MCR_H5_DEFLATE_LEVEL) < 0))
        return write_fail(w, "", "(pnl filters)");
    return MCR_OK;
}

static void close_types(h5w *w)
{
    hid_t ids[] = {w->text, w->risk_mem, w->risk_file, w->gcpl, w->small_dcpl, w->path_dcpl,
                   w->dxpl};
    for (int i = 0; i < MCR_H5_COUNT(ids); i++)
        mcr_h5_close(ids[i]);
}

static mcr_status write_attr(h5w *w, hid_t loc, const char *obj, const char *name,
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

static mcr_status write_fields(h5w *w, hid_t loc, const char *obj, const mcr_h5_field *f, int n,
                               const void *base)
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

/* The data of dataset d from buf in one transfer: one process writes it all; over MPI, for a
 * per-path dataset each rank writes its share [first, first + count), and a small dataset is
 * written whole by rank 0, every other rank taking part with an empty selection. */
static bool put(h5w *w, hid_t d, hid_t mtype, bool per_path, const void *buf)
{
    if (!w->parallel)
        return H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, w->dxpl, buf) >= 0;
    hid_t fspace = H5Dget_space(d), mspace = H5I_INVALID_HID;
    bool ok = fspace >= 0;
    if (ok && per_path) {
        hsize_t first = w->share->first, count = w->share->count;
        mspace = H5Screate_simple(1, &count, NULL);
        ok = mspace >= 0 &&
             (count == 0 ? H5Sselect_none(fspace) >= 0 && H5Sselect_none(mspace) >= 0
                         : H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &first, NULL, &count,
                                               NULL) >= 0);
    } else if (ok) {
        mspace = H5Scopy(fspace);
        ok = mspace >= 0 && (w->comm->rank == 0 || (H5Sselect_none(fspace) >= 0 &&
                                                    H5Sselect_none(mspace) >= 0));
    }
    ok = ok && H5Dwrite(d, mtype, mspace, fspace, w->dxpl, buf) >= 0;
    mcr_h5_close(mspace);
    mcr_h5_close(fspace);
    return ok;
}

static mcr_status write_dataset(h5w *w, hid_t loc, const char *obj, const char *name,
                                hid_t ftype, hid_t mtype, int rank, const hsize_t *dims,
                                hid_t dcpl, bool per_path, const void *buf)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t d = space < 0 ? H5I_INVALID_HID
                        : H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    mcr_status st = MCR_OK;
    /* Closing pushes the cached chunks through the filters, so a failure can first show here. */
    if (d < 0 || !put(w, d, mtype, per_path, buf) || H5Dclose(d) < 0)
        st = write_fail(w, obj, name);
    mcr_h5_close(space);
    return st;
}

static mcr_status write_vector(h5w *w, hid_t loc, const char *obj, const char *name,
                               hid_t ftype, hid_t mtype, hsize_t n, const void *buf)
{
    return write_dataset(w, loc, obj, name, ftype, mtype, 1, &n, w->small_dcpl, false, buf);
}

/* Every per-path array of a cell kept (those NULL get no dataset, which reads back as NULL), in
 * registry order, each in its field's group (created with the first of its fields). */
static mcr_status write_per_path(h5w *w, hid_t g, const char *obj, const mcr_strategy_result *c)
{
    hsize_t n = w->share->paths;
    mcr_status st = MCR_OK;
    for (int f = 0; st == MCR_OK && f < MCR_N_FIELDS; f++) {
        const mcr_field *d = &mcr_fields[f];
        if (!c->fields.at[f])
            continue;
        hid_t loc = g;
        char fobj[MCR_H5_OBJ_MAX + MCR_NAME_MAX];
        snprintf(fobj, sizeof fobj, "%s", obj);
        if (d->group) {
            snprintf(fobj, sizeof fobj, "%s%s/", obj, d->group);
            htri_t has = H5Lexists(g, d->group, H5P_DEFAULT);
            loc = has > 0 ? H5Gopen2(g, d->group, H5P_DEFAULT)
                  : has == 0 ? H5Gcreate2(g, d->group, H5P_DEFAULT, w->gcpl, H5P_DEFAULT)
                             : H5I_INVALID_HID;
            if (loc < 0) {
                st = write_fail(w, obj, d->group);
                break;
            }
        }
        st = write_dataset(w, loc, fobj, d->name, mcr_h5_field_file_type(f),
                           mcr_h5_field_mem_type(f), 1, &n, w->path_dcpl, true, c->fields.at[f]);
        if (loc != g)
            mcr_h5_close(loc);
    }
    return st;
}

/* The summary attributes: mean, std, mean_se, each field's own, hedge_effectiveness, the
 * comparison with the baseline and the sweep's. */
static mcr_status write_figures(h5w *w, hid_t g, const char *obj, const mcr_strategy_result *c)
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
    return st;
}

static mcr_status write_hist(h5w *w, hid_t g, const char *obj, const mcr_strategy_result *c)
{
    const mcr_histogram *h = &c->hist;
    if (h->bins <= 0) /* a result read from a file without one */
        return MCR_OK;
    mcr_status st = write_vector(w, g, obj, "hist_edges", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                 (hsize_t)h->bins + 1, h->edges);
    if (st == MCR_OK)
        st = write_vector(w, g, obj, "hist_counts", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                          (hsize_t)h->bins, h->counts);
    if (st == MCR_OK)
        st = write_fields(w, g, obj, mcr_h5_hist_fields, mcr_h5_n_hist_fields, c);
    return st;
}

static mcr_status write_cell(h5w *w, hid_t strategies, const mcr_strategy_result *c)
{
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/strategies/%s/", c->scenario, c->strategy);
    hid_t g = H5Gcreate2(strategies, c->strategy, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (g < 0)
        return write_fail(w, obj, "");
    mcr_status st = write_figures(w, g, obj, c);
    if (st == MCR_OK)
        st = write_vector(w, g, obj, "risk", w->risk_file, w->risk_mem,
                          (hsize_t)c->summary.n_levels, c->summary.risk);
    if (st == MCR_OK)
        st = write_hist(w, g, obj, c);
    if (st == MCR_OK && c->n_convergence > 0) { /* run.target: README "Accuracy targets" */
        hsize_t dims[2] = {(hsize_t)c->n_convergence, 2 + 2 * (hsize_t)c->summary.n_levels};
        double rows[MCR_CONVERGENCE_ROWS * (2 + 2 * MCR_MAX_LEVELS)]; /* packed [rows][dims[1]] */
        for (int r = 0; r < c->n_convergence; r++)
            memcpy(rows + r * dims[1], c->convergence[r], dims[1] * sizeof(double));
        st = write_dataset(w, g, obj, "convergence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims,
                           w->small_dcpl, false, rows);
    }
    if (st == MCR_OK)
        st = write_per_path(w, g, obj, c);
    mcr_h5_close(g);
    return st;
}

/* run.sample_paths: float64 [assets][paths][steps + 1] of the scenario's first paths. */
static mcr_status write_samples(h5w *w, hid_t g, const char *obj, const mcr_result *r, int s)
{
    if (!r->sample_paths[s] || r->n_sample <= 0)
        return MCR_OK;
    hsize_t dims[3] = {(hsize_t)r->sample_assets, (hsize_t)r->n_sample,
                       (hsize_t)r->prov.steps + 1};
    return write_dataset(w, g, obj, "sample_paths", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims,
                         w->small_dcpl, false, r->sample_paths[s]);
}

static mcr_status write_scenario(h5w *w, hid_t scenarios, const mcr_result *r, int s)
{
    const char *name = mcr_result_cell(r, s, 0)->scenario;
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s", name);
    hid_t g = H5Gcreate2(scenarios, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    hid_t strategies = g < 0 ? H5I_INVALID_HID
                             : H5Gcreate2(g, "strategies", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    mcr_status st = strategies < 0 ? write_fail(w, obj, "/strategies") : MCR_OK;
    for (int t = 0; st == MCR_OK && t < r->n_strategies; t++)
        st = write_cell(w, strategies, mcr_result_cell(r, s, t));
    if (st == MCR_OK)
        st = write_samples(w, g, obj, r, s);
    mcr_h5_close(strategies);
    mcr_h5_close(g);
    return st;
}

/* Everything of the file into an open file. */
static mcr_status write_contents(h5w *w, hid_t file, const mcr_result *r)
{
    int layout = MCR_H5_LAYOUT;
    mcr_status st = write_attr(w, file, "/", "layout", MCR_H5_INT, &layout);
    if (st == MCR_OK)
        st = write_fields(w, file, "/", mcr_h5_root_fields, mcr_h5_n_root_fields, r);
    if (st == MCR_OK && r->target.rounds > 0)
        st = write_fields(w, file, "/", mcr_h5_target_fields, mcr_h5_n_target_fields, r);
    if (st == MCR_OK && w->parallel) /* how many ranks wrote it: provenance of an MPI run */
        st = write_attr(w, file, "/", "mpi_ranks", MCR_H5_INT, &w->comm->size);
    if (st != MCR_OK)
        return st;
    hid_t scenarios = H5Gcreate2(file, "scenarios", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (scenarios < 0)
        return write_fail(w, "/scenarios", "");
    for (int s = 0; st == MCR_OK && s < r->n_scenarios; s++)
        st = write_scenario(w, scenarios, r, s);
    mcr_h5_close(scenarios);
    return st;
}

/* The file access: built in memory by one process (core driver, no backing store: the image is
 * written out at the end, so a full disk is our own write() error, never HDF5 1.10's failed
 * flush that leaves a handle it cannot close), or opened by every rank through MPI-IO. */
static hid_t file_access(h5w *w)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return fapl;
    bool ok = true;
    if (!w->parallel) {
        ok = H5Pset_fapl_core(fapl, MCR_H5_CORE_INCREMENT, 0) >= 0;
    } else {
#ifdef H5_HAVE_PARALLEL
        /* collective metadata: the ranks make identical metadata calls, one of them writes */
        ok = H5Pset_fapl_mpio(fapl, *(MPI_Comm *)w->comm->mpi, MPI_INFO_NULL) >= 0 &&
             H5Pset_all_coll_metadata_ops(fapl, 1) >= 0 && H5Pset_coll_metadata_write(fapl, 1) >= 0;
#else
        ok = false; /* an MPI communicator needs parallel HDF5 (CMake refuses the mix) */
#endif
    }
    if (!ok) {
        H5Pclose(fapl);
        return H5I_INVALID_HID;
    }
    return fapl;
}

/* The file under the temporary name (rank 0 created it), complete: in memory handed back as an
 * image when one process writes (*image), on disk when the ranks write it through MPI-IO. */
static mcr_status build(h5w *w, const char *tmp, const mcr_result *r, void **image,
                        size_t *size)
{
    bool any_vectors = false;
    for (int i = 0; i < r->n_scenarios * r->n_strategies; i++)
        any_vectors = any_vectors || mcr_field_set_mask(&r->cells[i].fields);
    hid_t fapl = H5I_INVALID_HID, fcpl = H5I_INVALID_HID, file = H5I_INVALID_HID;
    mcr_status st = open_types(w, w->share->paths, any_vectors);
    if (st == MCR_OK) {
        fapl = file_access(w);
        fcpl = H5Pcreate(H5P_FILE_CREATE); /* the root group's properties: no timestamp either */
        if (fapl < 0 || fcpl < 0 || H5Pset_obj_track_times(fcpl, 0) < 0)
            st = write_fail(w, "", "(file properties)");
    }
    if (st == MCR_OK && (file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl)) < 0)
        st = write_fail(w, "", w->parallel ? "(creating)" : "(in memory)");
    if (st == MCR_OK)
        st = write_contents(w, file, r);
    if (st == MCR_OK && !w->parallel) {
        ssize_t n = H5Fflush(file, H5F_SCOPE_GLOBAL) < 0 ? -1 : H5Fget_file_image(file, NULL, 0);
        if (n < 0) {
            st = write_fail(w, "", "(file image)");
        } else if (!(*image = malloc(n ? (size_t)n : 1))) {
            st = mcr_fail(w->err, MCR_ERR_NOMEM, "%s: out of memory for a %zd-byte file",
                          w->path, n);
        } else if (H5Fget_file_image(file, *image, (size_t)n) != n) {
            st = write_fail(w, "", "(file image)");
        } else {
            *size = (size_t)n;
        }
    }
    if (file >= 0 && H5Fclose(file) < 0 && st == MCR_OK)
        st = write_fail(w, "", "(closing)");
    mcr_h5_close(fcpl);
    mcr_h5_close(fapl);
    close_types(w);
    return st;
}

mcr_status mcr_h5_write_shared(const char *path, const mcr_result *r, const mcr_comm *c,
                               const mcr_share *sh, mcr_error *err)
{
    /* every rank checks the same result; rank 0 alone creates the temporary */
    mcr_status st = check_result(path, r, err);
    mcr_atomic_file af;
    bool begun = false;
    if (st == MCR_OK && c->rank == 0)
        begun = (st = mcr_atomic_begin(&af, path, "file", err)) == MCR_OK;
    st = mcr_comm_agree(c, st, err);
    if (st != MCR_OK) {
        if (begun)
            mcr_atomic_abort(&af);
        return st;
    }
    char tmp[sizeof af.tmp_path];
    if (c->rank == 0)
        snprintf(tmp, sizeof tmp, "%s", af.tmp_path);
    c->ops->bcast(c, tmp, sizeof tmp, 0);

    h5w w = {.path = path, .err = err, .comm = c, .share = sh, .parallel = c->mpi != NULL,
             .text = H5I_INVALID_HID, .risk_mem = H5I_INVALID_HID, .risk_file = H5I_INVALID_HID,
             .gcpl = H5I_INVALID_HID, .small_dcpl = H5I_INVALID_HID,
             .path_dcpl = H5I_INVALID_HID, .dxpl = H5I_INVALID_HID};
    void *image = NULL;
    size_t size = 0;
    mcr_h5_quiet_begin(&w.quiet);
    st = build(&w, tmp, r, &image, &size);
    mcr_h5_quiet_end(&w.quiet);
    if (st == MCR_OK && !w.parallel)
        st = mcr_atomic_write(&af, image, size, err);
    free(image);
    st = mcr_comm_agree(c, st, err);
    /* every rank has closed the file: rank 0 makes it durable and gives it its name */
    if (c->rank == 0)
        st = st == MCR_OK ? mcr_atomic_commit(&af, err) : (mcr_atomic_abort(&af), st);
    return mcr_comm_agree(c, st, err);
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
