/* Parallel HDF5 output of an MPI run (h5_mpi.h). The per-path datasets are created the way
 * h5_io.c creates them (same names, types, 65536-element chunks, shuffle + deflate, no
 * timestamps) and written with one collective H5Dwrite each, in which rank r selects its slice
 * [first, first + count) of the file. Ranks own whole MCR_SUM_CHUNK chunks of paths, the HDF5
 * chunk is the same 65536 paths, so each HDF5 chunk is compressed by exactly one rank (parallel
 * HDF5 1.10 can only write filtered datasets collectively). */
#include "h5_mpi.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5_io.h"
#include "risk/risk.h"

#define MCR_H5_CHUNK_MAX 65536 /* h5_io.c's chunk of per-path arrays */
#define MCR_H5_DEFLATE_LEVEL 4 /* h5_io.c's */

_Static_assert(MCR_H5_CHUNK_MAX == MCR_SUM_CHUNK, "one HDF5 chunk per rank-owned path chunk");

typedef struct h5w {
    const char *path; /* the name asked for: messages name it, not the temporary file */
    mcr_error *err;
    const mcr_mpi_share *share;
    hid_t dcpl, dxpl;
    char reason[240]; /* innermost HDF5 message of the first failure */
} h5w;

static herr_t innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    h5w *w = data;
    if (n == 0 && !w->reason[0]) {
        snprintf(w->reason, sizeof w->reason, "%s", e->desc ? e->desc : "");
        w->reason[strcspn(w->reason, "\n")] = '\0';
    }
    return 0;
}

static herr_t note(hid_t stack, void *data)
{
    H5Ewalk2(stack, H5E_WALK_UPWARD, innermost, data);
    return 0;
}

static mcr_status fail(h5w *w, const char *obj, const char *what)
{
    return mcr_fail(w->err, MCR_ERR_IO, "%s: cannot write %s%s: %s", w->path, obj, what,
                    w->reason[0] ? w->reason : "HDF5 error");
}

/* The lowest failing rank's status and message, on every rank. */
static mcr_status agree(const mcr_mpi_share *s, mcr_status st, mcr_error *err)
{
    int mine = st != MCR_OK ? s->rank : s->size, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, s->comm);
    if (first == s->size)
        return MCR_OK;
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, first, s->comm);
    return err->status;
}

static bool deflate_usable(void)
{
    unsigned cfg = 0;
    return H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
           H5Zget_filter_info(H5Z_FILTER_DEFLATE, &cfg) >= 0 &&
           (cfg & H5Z_FILTER_CONFIG_ENCODE_ENABLED);
}

static bool open_plists(h5w *w)
{
    hsize_t chunk = w->share->paths < MCR_H5_CHUNK_MAX ? w->share->paths : MCR_H5_CHUNK_MAX;
    w->dcpl = H5Pcreate(H5P_DATASET_CREATE);
    /* every element is written: fill values would only be written to be overwritten */
    bool ok = w->dcpl >= 0 && H5Pset_obj_track_times(w->dcpl, 0) >= 0 &&
              H5Pset_chunk(w->dcpl, 1, &chunk) >= 0 &&
              H5Pset_fill_time(w->dcpl, H5D_FILL_TIME_NEVER) >= 0;
    if (ok && deflate_usable())
        ok = H5Pset_shuffle(w->dcpl) >= 0 && H5Pset_deflate(w->dcpl, MCR_H5_DEFLATE_LEVEL) >= 0;
    w->dxpl = H5Pcreate(H5P_DATASET_XFER);
    return ok && w->dxpl >= 0 && H5Pset_dxpl_mpio(w->dxpl, H5FD_MPIO_COLLECTIVE) >= 0;
}

/* One per-path array, this rank's slice written; an array not kept (NULL) gets no dataset. */
static mcr_status per_path(h5w *w, hid_t loc, const char *obj, const char *name, hid_t ftype,
                           hid_t mtype, const void *slice)
{
    if (!slice)
        return MCR_OK;
    const mcr_mpi_share *sh = w->share;
    hsize_t n = sh->paths, first = sh->first, count = sh->count;
    hid_t fspace = H5Screate_simple(1, &n, NULL), mspace = H5Screate_simple(1, &count, NULL);
    hid_t d = fspace < 0 || mspace < 0
                  ? H5I_INVALID_HID
                  : H5Dcreate2(loc, name, ftype, fspace, H5P_DEFAULT, w->dcpl, H5P_DEFAULT);
    bool ok = d >= 0;
    if (ok && count == 0) /* a rank without paths still takes part, selecting nothing */
        ok = H5Sselect_none(fspace) >= 0 && H5Sselect_none(mspace) >= 0;
    else if (ok)
        ok = H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &first, NULL, &count, NULL) >= 0;
    ok = ok && H5Dwrite(d, mtype, mspace, fspace, w->dxpl, slice) >= 0;
    if (d >= 0 && H5Dclose(d) < 0) /* closing flushes the chunks through the filters */
        ok = false;
    if (fspace >= 0)
        H5Sclose(fspace);
    if (mspace >= 0)
        H5Sclose(mspace);
    return ok ? MCR_OK : fail(w, obj, name);
}

/* The per-path datasets of one cell, in h5_io.c's order (after its risk and histogram). */
static mcr_status cell_arrays(h5w *w, hid_t file, const mcr_strategy_result *c)
{
    static const char *const greeks[3] = {"net_delta", "net_gamma", "net_vega"};
    char obj[2 * MCR_NAME_MAX + 40], cobj[2 * MCR_NAME_MAX + 56];
    snprintf(obj, sizeof obj, "/scenarios/%s/strategies/%s/", c->scenario, c->strategy);
    snprintf(cobj, sizeof cobj, "%scomponents/", obj);
    hid_t g = H5Gopen2(file, obj, H5P_DEFAULT);
    if (g < 0)
        return fail(w, obj, "");
    mcr_status st = per_path(w, g, obj, "pnl", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c->pnl);
    bool any = false;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        any = any || c->component[k];
    if (st == MCR_OK && any) {
        hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE); /* as h5_io.c's groups */
        hid_t cg = gcpl < 0 || H5Pset_obj_track_times(gcpl, 0) < 0 ||
                           H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED |
                                                                H5P_CRT_ORDER_INDEXED) < 0
                       ? H5I_INVALID_HID
                       : H5Gcreate2(g, "components", H5P_DEFAULT, gcpl, H5P_DEFAULT);
        st = cg < 0 ? fail(w, obj, "components") : MCR_OK;
        for (int k = 0; st == MCR_OK && k < MCR_N_COMPONENTS; k++)
            st = per_path(w, cg, cobj, mcr_component_names[k], H5T_IEEE_F64LE,
                          H5T_NATIVE_DOUBLE, c->component[k]);
        if (cg >= 0)
            H5Gclose(cg);
        if (gcpl >= 0)
            H5Pclose(gcpl);
    }
    if (st == MCR_OK)
        st = per_path(w, g, obj, "liquidation_step", H5T_STD_I32LE, H5T_NATIVE_INT32,
                      c->liquidation_step);
    if (st == MCR_OK)
        st = per_path(w, g, obj, "trades", H5T_STD_U32LE, H5T_NATIVE_UINT32, c->trades);
    for (int k = 0; st == MCR_OK && k < 3; k++)
        st = per_path(w, g, obj, greeks[k], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, c->greeks[k]);
    H5Gclose(g);
    return st;
}

/* Every rank: open the file rank 0 wrote, add the per-path datasets and mpi_ranks, close. */
static mcr_status add_arrays(h5w *w, const char *tmp, const mcr_result *r)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), file = H5I_INVALID_HID;
    mcr_status st = MCR_OK;
    /* collective metadata: the ranks make identical metadata calls, one of them writes */
    if (fapl < 0 || H5Pset_fapl_mpio(fapl, w->share->comm, MPI_INFO_NULL) < 0 ||
        H5Pset_all_coll_metadata_ops(fapl, 1) < 0 || H5Pset_coll_metadata_write(fapl, 1) < 0 ||
        !open_plists(w))
        st = fail(w, "", "(properties)");
    if (st == MCR_OK && (file = H5Fopen(tmp, H5F_ACC_RDWR, fapl)) < 0)
        st = fail(w, "", "(reopening for the per-path arrays)");
    if (st == MCR_OK) {
        int ranks = w->share->size;
        hid_t space = H5Screate(H5S_SCALAR);
        hid_t a = space < 0 ? H5I_INVALID_HID
                            : H5Acreate2(file, "mpi_ranks", H5T_STD_I32LE, space, H5P_DEFAULT,
                                         H5P_DEFAULT);
        if (a < 0 || H5Awrite(a, H5T_NATIVE_INT, &ranks) < 0)
            st = fail(w, "/", "mpi_ranks");
        if (a >= 0)
            H5Aclose(a);
        if (space >= 0)
            H5Sclose(space);
    }
    for (int i = 0; st == MCR_OK && i < r->n_scenarios * r->n_strategies; i++)
        st = cell_arrays(w, file, &r->cells[i]);
    if (file >= 0 && H5Fclose(file) < 0 && st == MCR_OK)
        st = fail(w, "", "(closing)");
    hid_t ids[] = {fapl, w->dcpl, w->dxpl};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i] >= 0)
            H5Pclose(ids[i]);
    return st;
}

/* Rank 0: the file without its per-path arrays, by h5_io.c (which renames it to tmp). */
static mcr_status write_metadata(const char *tmp, const mcr_result *r, mcr_error *err)
{
    size_t n = (size_t)r->n_scenarios * (size_t)r->n_strategies;
    mcr_result meta = *r;
    meta.cells = malloc((n ? n : 1) * sizeof *meta.cells);
    if (!meta.cells)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        meta.cells[i] = r->cells[i];
        meta.cells[i].pnl = NULL;
        memset(meta.cells[i].component, 0, sizeof meta.cells[i].component);
        meta.cells[i].liquidation_step = NULL;
        meta.cells[i].trades = NULL;
        memset(meta.cells[i].greeks, 0, sizeof meta.cells[i].greeks);
    }
    mcr_status st = mcr_h5_write(tmp, &meta, err);
    free(meta.cells); /* the rest is r's */
    return st;
}

/* fsync, so the data is on disk before the name points at it. */
static mcr_status sync_file(const char *tmp, const char *path, mcr_error *err)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    mcr_status st = MCR_OK;
    if (fd < 0 || fsync(fd) != 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return st;
}

mcr_status mcr_h5_mpi_write(const char *path, const mcr_result *r, const mcr_mpi_share *share,
                            mcr_error *err)
{
    char tmp[MCR_PATH_MAX + 32];
    long pid = (long)getpid();
    MPI_Bcast(&pid, 1, MPI_LONG, 0, share->comm); /* one temporary name for every rank */
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, pid) >= (int)sizeof tmp)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: output path too long", path);
    mcr_status st = share->rank == 0 ? write_metadata(tmp, r, err) : MCR_OK;
    st = agree(share, st, err);
    if (st != MCR_OK)
        return st;

    h5w w = {.path = path, .err = err, .share = share, .dcpl = H5I_INVALID_HID,
             .dxpl = H5I_INVALID_HID};
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, note, &w);
    st = add_arrays(&w, tmp, r);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    st = agree(share, st, err);

    /* every rank has closed the file: rank 0 makes it durable and gives it its name */
    if (share->rank == 0 && st == MCR_OK) {
        st = sync_file(tmp, path, err);
        if (st == MCR_OK && rename(tmp, path) != 0)
            st = mcr_fail(err, MCR_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp,
                          strerror(errno));
    }
    if (share->rank == 0 && st != MCR_OK)
        unlink(tmp);
    return agree(share, st, err);
}
