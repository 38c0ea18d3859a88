/* HDF5 output, layout 1 (../shared/DESIGN.md): writes an mcr_result and reads it back, the per-path
 * detail (components, liquidation step, trades, net greeks) and the P&L histogram included. The
 * only file that includes hdf5.h. Writes are atomic (file built in memory, written to a temporary
 * name, fsync, rename) and deterministic: no object timestamps and a packed compound type, so the
 * same result gives the same bytes. */
#include "h5_io.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MCR_H5_LAYOUT 1
#define MCR_H5_CHUNK_MAX 65536 /* pnl elements per chunk: 512 KiB, inside the 1 MiB chunk cache */
#define MCR_H5_DEFLATE_LEVEL 4
#define MCR_H5_CORE_INCREMENT (4u << 20) /* the in-memory file grows by this many bytes */
#define MCR_H5_OBJ_MAX (2 * MCR_NAME_MAX + 32) /* "/scenarios/<s>/strategies/<t>" */

/* Attributes are described by tables shared by the writer and the reader. */
typedef enum mcr_h5_kind {
    MCR_H5_TEXT,      /* char array member */
    MCR_H5_HEAP_TEXT, /* char * member, owned */
    MCR_H5_U64,
    MCR_H5_INT, /* int, and int32_t (the same type here) */
    MCR_H5_U32,
    MCR_H5_F64,
} mcr_h5_kind;

_Static_assert(sizeof(int) == sizeof(int32_t), "MCR_H5_INT carries int32_t arrays");

typedef struct mcr_h5_field {
    const char *name;
    mcr_h5_kind kind;
    size_t off; /* of the member in its struct */
    size_t cap; /* MCR_H5_TEXT: size of the char array */
    bool required; /* reading: absent is an error, else the member stays zero */
} mcr_h5_field;

#define MCR_H5_ROOT(name, member, kind, req)                                                   \
    { name, kind, offsetof(mcr_result, member), sizeof(((mcr_result *)0)->member), req }
#define MCR_H5_PROV(member, kind, req) MCR_H5_ROOT(#member, prov.member, kind, req)

static const mcr_h5_field mcr_h5_root_fields[] = {
    MCR_H5_PROV(mcrisk_version, MCR_H5_TEXT, true),
    MCR_H5_PROV(git_revision, MCR_H5_TEXT, true),
    MCR_H5_PROV(created_utc, MCR_H5_TEXT, true),
    MCR_H5_PROV(config_yaml, MCR_H5_HEAP_TEXT, true),
    MCR_H5_PROV(seed, MCR_H5_U64, true),
    MCR_H5_PROV(paths, MCR_H5_U64, true),
    MCR_H5_PROV(steps, MCR_H5_INT, true),
    MCR_H5_PROV(horizon_days, MCR_H5_F64, true),
    MCR_H5_PROV(threads, MCR_H5_INT, true),
    MCR_H5_PROV(isa, MCR_H5_TEXT, true),
    MCR_H5_PROV(rng, MCR_H5_TEXT, true),
    MCR_H5_PROV(compiler, MCR_H5_TEXT, false),
    MCR_H5_PROV(flags, MCR_H5_TEXT, false),
    MCR_H5_ROOT("run_seconds", seconds, MCR_H5_F64, false),
    MCR_H5_PROV(resumed, MCR_H5_INT, false),
};

#define MCR_H5_SUMMARY(member) \
    { #member, MCR_H5_F64, offsetof(mcr_summary, member), sizeof(double), true }

static const mcr_h5_field mcr_h5_summary_fields[] = {
    MCR_H5_SUMMARY(mean),          MCR_H5_SUMMARY(std),
    MCR_H5_SUMMARY(mean_se),       MCR_H5_SUMMARY(p_liquidation),
    MCR_H5_SUMMARY(p_liquidation_se),
};

/* Summaries of the per-path detail. Not required: files written before them still read, and the
 * reader leaves NaN (not a plausible-looking 0) for a figure the file does not have. The component
 * means ("mean_book", ...) are named from mcr_component_names at run time. */
#define MCR_H5_DETAIL(name, member) \
    { name, MCR_H5_F64, offsetof(mcr_strategy_result, member), sizeof(double), false }

static const mcr_h5_field mcr_h5_detail_fields[] = {
    MCR_H5_DETAIL("hedge_effectiveness", hedge_effectiveness),
    MCR_H5_DETAIL("trades_mean", trades_mean),
    MCR_H5_DETAIL("net_delta", greeks_mean[0]),
    MCR_H5_DETAIL("net_gamma", greeks_mean[1]),
    MCR_H5_DETAIL("net_vega", greeks_mean[2]),
};

/* The P&L histogram (result.h): datasets hist_edges float64 [bins + 1] and hist_counts uint64
 * [bins], and the out-of-range counts as attributes of the strategy group. */
#define MCR_H5_HIST(name, member) \
    { name, MCR_H5_U64, offsetof(mcr_strategy_result, member), sizeof(uint64_t), false }

static const mcr_h5_field mcr_h5_hist_fields[] = {
    MCR_H5_HIST("hist_underflow", hist.underflow),
    MCR_H5_HIST("hist_overflow", hist.overflow),
};

/* The per-path greeks are three datasets named like their means (attributes and links are apart in
 * HDF5), so each reads as a plain vector: f[".../net_delta"][:]. */
static const char *const mcr_h5_greek_names[3] = {"net_delta", "net_gamma", "net_vega"};

#define MCR_H5_COMPONENTS "components"

static void mcr_h5_component_field(int k, char *name, size_t cap, mcr_h5_field *f)
{
    snprintf(name, cap, "mean_%s", mcr_component_names[k]);
    *f = (mcr_h5_field){name, MCR_H5_F64,
                        offsetof(mcr_strategy_result, component_mean) + k * sizeof(double),
                        sizeof(double), false};
}

static const struct {
    const char *name;
    size_t off;
} mcr_h5_risk_members[] = {
    {"level", offsetof(mcr_risk_row, level)}, {"var", offsetof(mcr_risk_row, var)},
    {"var_se", offsetof(mcr_risk_row, var_se)}, {"cvar", offsetof(mcr_risk_row, cvar)},
    {"cvar_se", offsetof(mcr_risk_row, cvar_se)},
};

#define MCR_H5_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* HDF5's error printing is replaced, for the duration of one call, by a handler that keeps the
 * innermost message of the first failure; it becomes the reason in our one-line message. */
typedef struct mcr_h5_quiet {
    H5E_auto2_t fn;
    void *data;
    char reason[240];
} mcr_h5_quiet;

static herr_t mcr_h5_innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    mcr_h5_quiet *q = data;
    if (n == 0) {
        if (e->desc && e->desc[0])
            snprintf(q->reason, sizeof q->reason, "%s", e->desc);
        else if (H5Eget_msg(e->min_num, NULL, q->reason, sizeof q->reason) < 0)
            q->reason[0] = '\0';
        q->reason[strcspn(q->reason, "\n")] = '\0'; /* our messages are one line */
    }
    return 0;
}

static herr_t mcr_h5_note(hid_t stack, void *data)
{
    mcr_h5_quiet *q = data;
    if (!q->reason[0])
        H5Ewalk2(stack, H5E_WALK_UPWARD, mcr_h5_innermost, q);
    return 0;
}

static void mcr_h5_quiet_begin(mcr_h5_quiet *q)
{
    q->reason[0] = '\0';
    H5Eget_auto2(H5E_DEFAULT, &q->fn, &q->data);
    H5Eset_auto2(H5E_DEFAULT, mcr_h5_note, q);
}

static void mcr_h5_quiet_end(mcr_h5_quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->fn, q->data);
}

static const char *mcr_h5_reason(const mcr_h5_quiet *q)
{
    return q->reason[0] ? q->reason : "HDF5 error";
}

/* Close a handle we created; ids never opened (H5I_INVALID_HID) are skipped. */
static void mcr_h5_close(hid_t id)
{
    switch (H5Iget_type(id)) {
    case H5I_FILE: H5Fclose(id); break;
    case H5I_GROUP: H5Gclose(id); break;
    case H5I_DATATYPE: H5Tclose(id); break;
    case H5I_DATASPACE: H5Sclose(id); break;
    case H5I_DATASET: H5Dclose(id); break;
    case H5I_ATTR: H5Aclose(id); break;
    case H5I_GENPROP_LST: H5Pclose(id); break;
    default: break;
    }
}

/* A variable-length UTF-8 string: h5py returns it as a Python str. */
static hid_t mcr_h5_text_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

static hid_t mcr_h5_risk_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(mcr_risk_row));
    for (int i = 0; t >= 0 && i < MCR_H5_COUNT(mcr_h5_risk_members); i++) {
        if (H5Tinsert(t, mcr_h5_risk_members[i].name, mcr_h5_risk_members[i].off,
                      H5T_NATIVE_DOUBLE) < 0) {
            H5Tclose(t);
            return H5I_INVALID_HID;
        }
    }
    return t;
}

/* ---------------------------------------------------------------------------------- writing */

typedef struct mcr_h5_writer {
    const char *path; /* the name the caller asked for: messages name it, not the temp file */
    mcr_error *err;
    mcr_h5_quiet quiet;
    hid_t text, risk_mem, risk_file, gcpl, risk_dcpl, pnl_dcpl;
} mcr_h5_writer;

static mcr_status mcr_h5_write_fail(mcr_h5_writer *w, const char *obj, const char *what)
{
    return mcr_fail(w->err, MCR_ERR_IO, "%s: cannot write %s%s: %s", w->path, obj, what,
                    mcr_h5_reason(&w->quiet));
}

/* A link name HDF5 takes literally: not empty, no '/', not ".". */
static bool mcr_h5_name_ok(const char *name)
{
    return name[0] && !strchr(name, '/') && strcmp(name, ".") != 0;
}

/* Names become HDF5 links, so each must be usable as one and unique among its siblings. The n names
 * are `stride` bytes apart, as scenario and strategy names are in the cell array. */
static mcr_status mcr_h5_check_names(const char *path, const char *what, const char *first,
                                     size_t stride, int n, mcr_error *err)
{
    for (int i = 0; i < n; i++) {
        const char *name = first + i * stride;
        if (!mcr_h5_name_ok(name))
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

static bool mcr_h5_has_vectors(const mcr_strategy_result *c)
{
    bool any = c->pnl || c->liquidation_step || c->trades;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        any = any || c->component[k];
    for (int k = 0; k < 3; k++)
        any = any || c->greeks[k];
    return any;
}

static mcr_status mcr_h5_check_result(const char *path, const mcr_result *r, mcr_error *err)
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
            if (mcr_h5_has_vectors(c) && r->prov.paths == 0)
                return mcr_fail(err, MCR_ERR_INTERNAL, "%s: per-path arrays kept but paths is 0",
                                path);
        }
    }
    if (r->n_scenarios == 0 || r->n_strategies == 0)
        return MCR_OK;
    mcr_status st = mcr_h5_check_names(path, "scenario", r->cells[0].scenario,
                                       r->n_strategies * sizeof r->cells[0], r->n_scenarios, err);
    if (st == MCR_OK)
        st = mcr_h5_check_names(path, "strategy", r->cells[0].strategy, sizeof r->cells[0],
                                r->n_strategies, err);
    return st;
}

static bool mcr_h5_deflate_usable(void)
{
    unsigned cfg = 0;
    return H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
           H5Zget_filter_info(H5Z_FILTER_DEFLATE, &cfg) >= 0 &&
           (cfg & H5Z_FILTER_CONFIG_ENCODE_ENABLED);
}

/* Types and creation property lists shared by every object written. */
static mcr_status mcr_h5_writer_open(mcr_h5_writer *w, uint64_t paths, bool any_vectors)
{
    w->text = mcr_h5_text_type();
    w->risk_mem = mcr_h5_risk_type();
    /* Packed file type: no padding bytes whose content could differ between runs. */
    w->risk_file = w->risk_mem < 0 ? H5I_INVALID_HID : H5Tcopy(w->risk_mem);
    if (w->text < 0 || w->risk_file < 0 || H5Tpack(w->risk_file) < 0)
        return mcr_h5_write_fail(w, "", "(types)");

    /* No timestamps in object headers, so identical runs give identical bytes; link creation order
     * is kept so readers list scenarios and strategies in the order they were run. */
    w->gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (w->gcpl < 0 || H5Pset_obj_track_times(w->gcpl, 0) < 0 ||
        H5Pset_link_creation_order(w->gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0)
        return mcr_h5_write_fail(w, "", "(group properties)");
    w->risk_dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (w->risk_dcpl < 0 || H5Pset_obj_track_times(w->risk_dcpl, 0) < 0)
        return mcr_h5_write_fail(w, "", "(dataset properties)");
    if (!any_vectors)
        return MCR_OK;

    /* One property list for every per-path array: the chunk is counted in elements, so int32
     * arrays get half-size chunks, and shuffle groups bytes by the element's own size. */
    hsize_t chunk = paths < MCR_H5_CHUNK_MAX ? paths : MCR_H5_CHUNK_MAX;
    w->pnl_dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (w->pnl_dcpl < 0 || H5Pset_obj_track_times(w->pnl_dcpl, 0) < 0 ||
        H5Pset_chunk(w->pnl_dcpl, 1, &chunk) < 0)
        return mcr_h5_write_fail(w, "", "(pnl properties)");
    /* Shuffling the bytes of doubles first lets deflate find the repeated exponent bytes. */
    if (mcr_h5_deflate_usable() && (H5Pset_shuffle(w->pnl_dcpl) < 0 ||
                                    H5Pset_deflate(w->pnl_dcpl, MCR_H5_DEFLATE_LEVEL) < 0))
        return mcr_h5_write_fail(w, "", "(pnl filters)");
    return MCR_OK;
}

static void mcr_h5_writer_close(mcr_h5_writer *w)
{
    hid_t ids[] = {w->text, w->risk_mem, w->risk_file, w->gcpl, w->risk_dcpl, w->pnl_dcpl};
    for (int i = 0; i < MCR_H5_COUNT(ids); i++)
        mcr_h5_close(ids[i]);
}

static hid_t mcr_h5_file_type(mcr_h5_kind k, hid_t text)
{
    switch (k) {
    case MCR_H5_U64: return H5T_STD_U64LE;
    case MCR_H5_INT: return H5T_STD_I32LE;
    case MCR_H5_U32: return H5T_STD_U32LE;
    case MCR_H5_F64: return H5T_IEEE_F64LE;
    default: return text;
    }
}

static hid_t mcr_h5_mem_type(mcr_h5_kind k, hid_t text)
{
    switch (k) {
    case MCR_H5_U64: return H5T_NATIVE_UINT64;
    case MCR_H5_INT: return H5T_NATIVE_INT;
    case MCR_H5_U32: return H5T_NATIVE_UINT32;
    case MCR_H5_F64: return H5T_NATIVE_DOUBLE;
    default: return text;
    }
}

static mcr_status mcr_h5_write_attr(mcr_h5_writer *w, hid_t loc, const char *obj,
                                    const char *name, mcr_h5_kind kind, const void *buf)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = space < 0 ? H5I_INVALID_HID
                        : H5Acreate2(loc, name, mcr_h5_file_type(kind, w->text), space, H5P_DEFAULT,
                                     H5P_DEFAULT);
    mcr_status st = MCR_OK;
    if (a < 0 || H5Awrite(a, mcr_h5_mem_type(kind, w->text), buf) < 0 || H5Aclose(a) < 0)
        st = mcr_h5_write_fail(w, obj, name);
    mcr_h5_close(space);
    return st;
}

static mcr_status mcr_h5_write_fields(mcr_h5_writer *w, hid_t loc, const char *obj,
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
        mcr_status st = mcr_h5_write_attr(w, loc, obj, f[i].name, f[i].kind, buf);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

static mcr_status mcr_h5_write_vector(mcr_h5_writer *w, hid_t loc, const char *obj,
                                      const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                                      hid_t dcpl, const void *buf)
{
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t d = space < 0 ? H5I_INVALID_HID
                        : H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    mcr_status st = MCR_OK;
    /* Closing pushes the cached chunks through the filters, so a failure can first show here. */
    if (d < 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 || H5Dclose(d) < 0)
        st = mcr_h5_write_fail(w, obj, name);
    mcr_h5_close(space);
    return st;
}

/* A per-path array; one that was not kept (NULL) gets no dataset, which reads back as NULL. */
static mcr_status mcr_h5_write_per_path(mcr_h5_writer *w, hid_t loc, const char *obj,
                                        const char *name, mcr_h5_kind kind, uint64_t paths,
                                        const void *buf)
{
    if (!buf)
        return MCR_OK;
    return mcr_h5_write_vector(w, loc, obj, name, mcr_h5_file_type(kind, w->text),
                               mcr_h5_mem_type(kind, w->text), paths, w->pnl_dcpl, buf);
}

static mcr_status mcr_h5_write_components(mcr_h5_writer *w, hid_t g, const char *obj,
                                          const mcr_strategy_result *c, uint64_t paths)
{
    bool any = false;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        any = any || c->component[k];
    if (!any)
        return MCR_OK;
    char cobj[MCR_H5_OBJ_MAX + sizeof MCR_H5_COMPONENTS];
    snprintf(cobj, sizeof cobj, "%s" MCR_H5_COMPONENTS "/", obj);
    hid_t cg = H5Gcreate2(g, MCR_H5_COMPONENTS, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    mcr_status st = cg < 0 ? mcr_h5_write_fail(w, obj, MCR_H5_COMPONENTS) : MCR_OK;
    for (int k = 0; st == MCR_OK && k < MCR_N_COMPONENTS; k++)
        st = mcr_h5_write_per_path(w, cg, cobj, mcr_component_names[k], MCR_H5_F64, paths,
                                   c->component[k]);
    mcr_h5_close(cg);
    return st;
}

/* Attributes of the detail: hedge_effectiveness, trades_mean, net greeks, mean_<component>. */
static mcr_status mcr_h5_write_detail_fields(mcr_h5_writer *w, hid_t g, const char *obj,
                                             const mcr_strategy_result *c)
{
    mcr_status st = mcr_h5_write_fields(w, g, obj, mcr_h5_detail_fields,
                                        MCR_H5_COUNT(mcr_h5_detail_fields), c);
    for (int k = 0; st == MCR_OK && k < MCR_N_COMPONENTS; k++) {
        char name[MCR_NAME_MAX];
        mcr_h5_field f;
        mcr_h5_component_field(k, name, sizeof name, &f);
        st = mcr_h5_write_fields(w, g, obj, &f, 1, c);
    }
    return st;
}

static mcr_status mcr_h5_write_hist(mcr_h5_writer *w, hid_t g, const char *obj,
                                    const mcr_strategy_result *c)
{
    const mcr_histogram *h = &c->hist;
    if (h->bins <= 0) /* a result read from a file without one */
        return MCR_OK;
    mcr_status st = mcr_h5_write_vector(w, g, obj, "hist_edges", H5T_IEEE_F64LE,
                                        H5T_NATIVE_DOUBLE, (hsize_t)h->bins + 1, w->risk_dcpl,
                                        h->edges);
    if (st == MCR_OK)
        st = mcr_h5_write_vector(w, g, obj, "hist_counts", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                 (hsize_t)h->bins, w->risk_dcpl, h->counts);
    if (st == MCR_OK)
        st = mcr_h5_write_fields(w, g, obj, mcr_h5_hist_fields, MCR_H5_COUNT(mcr_h5_hist_fields),
                                 c);
    return st;
}

static mcr_status mcr_h5_write_cell(mcr_h5_writer *w, hid_t strategies,
                                    const mcr_strategy_result *c, uint64_t paths)
{
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/strategies/%s/", c->scenario, c->strategy);
    hid_t g = H5Gcreate2(strategies, c->strategy, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (g < 0)
        return mcr_h5_write_fail(w, obj, "");
    mcr_status st = mcr_h5_write_fields(w, g, obj, mcr_h5_summary_fields,
                                        MCR_H5_COUNT(mcr_h5_summary_fields), &c->summary);
    if (st == MCR_OK)
        st = mcr_h5_write_vector(w, g, obj, "risk", w->risk_file, w->risk_mem,
                                 (hsize_t)c->summary.n_levels, w->risk_dcpl, c->summary.risk);
    if (st == MCR_OK)
        st = mcr_h5_write_detail_fields(w, g, obj, c);
    if (st == MCR_OK)
        st = mcr_h5_write_hist(w, g, obj, c);
    if (st == MCR_OK)
        st = mcr_h5_write_per_path(w, g, obj, "pnl", MCR_H5_F64, paths, c->pnl);
    if (st == MCR_OK)
        st = mcr_h5_write_components(w, g, obj, c, paths);
    if (st == MCR_OK)
        st = mcr_h5_write_per_path(w, g, obj, "liquidation_step", MCR_H5_INT, paths,
                                   c->liquidation_step);
    if (st == MCR_OK)
        st = mcr_h5_write_per_path(w, g, obj, "trades", MCR_H5_U32, paths, c->trades);
    for (int k = 0; st == MCR_OK && k < 3; k++)
        st = mcr_h5_write_per_path(w, g, obj, mcr_h5_greek_names[k], MCR_H5_F64, paths,
                                   c->greeks[k]);
    mcr_h5_close(g);
    return st;
}

/* run.sample_paths: float64 [assets][paths][steps + 1] of the scenario's first paths. */
static mcr_status mcr_h5_write_samples(mcr_h5_writer *w, hid_t g, const char *obj,
                                       const mcr_result *r, int s)
{
    if (!r->sample_paths[s] || r->n_sample <= 0)
        return MCR_OK;
    hsize_t dims[3] = {(hsize_t)r->sample_assets, (hsize_t)r->n_sample,
                       (hsize_t)r->prov.steps + 1};
    hid_t space = H5Screate_simple(3, dims, NULL);
    hid_t d = space < 0 ? H5I_INVALID_HID
                        : H5Dcreate2(g, "sample_paths", H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                     w->risk_dcpl, H5P_DEFAULT);
    mcr_status st = MCR_OK;
    if (d < 0 || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                          r->sample_paths[s]) < 0 || H5Dclose(d) < 0)
        st = mcr_h5_write_fail(w, obj, "/sample_paths");
    mcr_h5_close(space);
    return st;
}

static mcr_status mcr_h5_write_scenario(mcr_h5_writer *w, hid_t scenarios, const mcr_result *r,
                                        int s)
{
    const char *name = mcr_result_cell(r, s, 0)->scenario;
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s", name);
    hid_t g = H5Gcreate2(scenarios, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    hid_t strategies = g < 0 ? H5I_INVALID_HID
                             : H5Gcreate2(g, "strategies", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    mcr_status st = strategies < 0 ? mcr_h5_write_fail(w, obj, "/strategies") : MCR_OK;
    for (int t = 0; st == MCR_OK && t < r->n_strategies; t++)
        st = mcr_h5_write_cell(w, strategies, mcr_result_cell(r, s, t), r->prov.paths);
    if (st == MCR_OK)
        st = mcr_h5_write_samples(w, g, obj, r, s);
    mcr_h5_close(strategies);
    mcr_h5_close(g);
    return st;
}

/* The whole file is built in memory (core driver, no backing store) and handed back as an image,
 * so HDF5 never touches the disk and a full disk shows up as our own write() error. Why: in HDF5
 * 1.10 a failed flush to disk leaves a file handle that cannot be closed, and the library then
 * crashes at exit. The cost is memory: the core buffer plus the image, each the size of the file
 * (a little under the pnl arrays, which are barely compressible). */
static mcr_status mcr_h5_build_image(mcr_h5_writer *w, const char *tmp, const mcr_result *r,
                                     void **image, size_t *size)
{
    bool any_vectors = false;
    for (int i = 0; i < r->n_scenarios * r->n_strategies; i++)
        any_vectors = any_vectors || mcr_h5_has_vectors(&r->cells[i]);
    hid_t fapl = H5I_INVALID_HID, fcpl = H5I_INVALID_HID, file = H5I_INVALID_HID;
    hid_t scenarios = H5I_INVALID_HID;
    mcr_status st = mcr_h5_writer_open(w, r->prov.paths, any_vectors);
    if (st != MCR_OK)
        goto done;

    fapl = H5Pcreate(H5P_FILE_ACCESS);
    fcpl = H5Pcreate(H5P_FILE_CREATE); /* the root group's properties: no timestamp either */
    if (fapl < 0 || fcpl < 0 || H5Pset_fapl_core(fapl, MCR_H5_CORE_INCREMENT, 0) < 0 ||
        H5Pset_obj_track_times(fcpl, 0) < 0) {
        st = mcr_h5_write_fail(w, "", "(file properties)");
        goto done;
    }
    file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl); /* the name is only a label in memory */
    if (file < 0) {
        st = mcr_h5_write_fail(w, "", "(in memory)");
        goto done;
    }
    int layout = MCR_H5_LAYOUT;
    st = mcr_h5_write_attr(w, file, "/", "layout", MCR_H5_INT, &layout);
    if (st == MCR_OK)
        st = mcr_h5_write_fields(w, file, "/", mcr_h5_root_fields,
                                 MCR_H5_COUNT(mcr_h5_root_fields), r);
    if (st != MCR_OK)
        goto done;
    scenarios = H5Gcreate2(file, "scenarios", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (scenarios < 0) {
        st = mcr_h5_write_fail(w, "/scenarios", "");
        goto done;
    }
    for (int s = 0; st == MCR_OK && s < r->n_scenarios; s++)
        st = mcr_h5_write_scenario(w, scenarios, r, s);
    if (st != MCR_OK)
        goto done;

    ssize_t n = H5Fflush(file, H5F_SCOPE_GLOBAL) < 0 ? -1 : H5Fget_file_image(file, NULL, 0);
    if (n < 0) {
        st = mcr_h5_write_fail(w, "", "(file image)");
    } else if (!(*image = malloc(n ? (size_t)n : 1))) {
        st = mcr_fail(w->err, MCR_ERR_NOMEM, "%s: out of memory for a %zd-byte file", w->path, n);
    } else if (H5Fget_file_image(file, *image, (size_t)n) != n) {
        st = mcr_h5_write_fail(w, "", "(file image)");
        free(*image);
        *image = NULL;
    } else {
        *size = (size_t)n;
    }
done:
    mcr_h5_close(scenarios);
    mcr_h5_close(file);
    mcr_h5_close(fcpl);
    mcr_h5_close(fapl);
    mcr_h5_writer_close(w);
    return st;
}

/* The image, then fsync: data on disk before the name points at it, so a crash cannot leave a
 * torn file under the output name. */
static mcr_status mcr_h5_store(int fd, const char *image, size_t size, const char *path,
                               mcr_error *err)
{
    while (size > 0) {
        ssize_t n = write(fd, image, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        image += n;
        size -= (size_t)n;
    }
    if (fsync(fd) != 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    return MCR_OK;
}

mcr_status mcr_h5_write(const char *path, const mcr_result *r, mcr_error *err)
{
    mcr_status st = mcr_h5_check_result(path, r, err);
    if (st != MCR_OK)
        return st;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create file: %s", path, strerror(EISDIR));
    char tmp[MCR_PATH_MAX + 32];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: output path too long", path);
    /* Created before the (possibly long) build, so an unwritable location fails at once. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create file: %s", path, strerror(errno));

    mcr_h5_writer w = {
        .path = path, .err = err, .text = H5I_INVALID_HID, .risk_mem = H5I_INVALID_HID,
        .risk_file = H5I_INVALID_HID, .gcpl = H5I_INVALID_HID, .risk_dcpl = H5I_INVALID_HID,
        .pnl_dcpl = H5I_INVALID_HID,
    };
    void *image = NULL;
    size_t size = 0;
    mcr_h5_quiet_begin(&w.quiet);
    st = mcr_h5_build_image(&w, tmp, r, &image, &size);
    mcr_h5_quiet_end(&w.quiet);
    if (st == MCR_OK)
        st = mcr_h5_store(fd, image, size, path, err);
    free(image);
    if (close(fd) != 0 && st == MCR_OK) /* NFS may report a failed write only here */
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    if (st == MCR_OK && rename(tmp, path) != 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp,
                      strerror(errno));
    if (st != MCR_OK)
        unlink(tmp);
    return st;
}

/* ---------------------------------------------------------------------------------- reading */

typedef struct mcr_h5_reader {
    const char *path;
    mcr_error *err;
    mcr_h5_quiet quiet;
    hid_t risk_mem;
} mcr_h5_reader;

static mcr_status mcr_h5_read_fail(mcr_h5_reader *rd, const char *obj, const char *what)
{
    return mcr_fail(rd->err, MCR_ERR_IO, "%s: cannot read %s%s: %s", rd->path, obj, what,
                    mcr_h5_reason(&rd->quiet));
}

/* The file is readable HDF5 but not what layout 1 promises: the user gave the wrong file. */
static mcr_status mcr_h5_bad(mcr_h5_reader *rd, const char *obj, const char *what,
                             const char *why)
{
    return mcr_fail(rd->err, MCR_ERR_INPUT, "%s: not an mcrisk layout %d file: %s%s %s",
                    rd->path, MCR_H5_LAYOUT, obj, what, why);
}

/* A string attribute, fixed or variable length, as a malloc'd C string. */
static mcr_status mcr_h5_read_text(mcr_h5_reader *rd, hid_t a, const char *obj,
                                   const char *name, char **out)
{
    hid_t ftype = H5Aget_type(a);
    hid_t mtype = ftype < 0 ? H5I_INVALID_HID : H5Tcopy(ftype);
    htri_t vl = mtype < 0 ? -1 : H5Tis_variable_str(mtype);
    mcr_status st = MCR_OK;
    if (vl < 0) {
        st = mcr_h5_read_fail(rd, obj, name);
    } else if (vl) {
        char *s = NULL;
        if (H5Aread(a, mtype, &s) < 0)
            st = mcr_h5_read_fail(rd, obj, name);
        else if (!(*out = strdup(s ? s : "")))
            st = mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory", rd->path);
        H5free_memory(s);
    } else {
        size_t size = H5Tget_size(mtype) + 1;
        if (!(*out = calloc(1, size)))
            st = mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory", rd->path);
        else if (H5Tset_size(mtype, size) < 0 || H5Tset_strpad(mtype, H5T_STR_NULLTERM) < 0 ||
                 H5Aread(a, mtype, *out) < 0)
            st = mcr_h5_read_fail(rd, obj, name);
    }
    mcr_h5_close(mtype);
    mcr_h5_close(ftype);
    if (st != MCR_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

static mcr_status mcr_h5_read_attr(mcr_h5_reader *rd, hid_t a, const char *obj,
                                   const mcr_h5_field *f, void *base)
{
    static const H5T_class_t want[] = {
        [MCR_H5_TEXT] = H5T_STRING, [MCR_H5_HEAP_TEXT] = H5T_STRING,
        [MCR_H5_U64] = H5T_INTEGER, [MCR_H5_INT] = H5T_INTEGER, [MCR_H5_U32] = H5T_INTEGER,
        [MCR_H5_F64] = H5T_FLOAT,
    };
    char *member = (char *)base + f->off;
    hid_t space = H5Aget_space(a);
    hid_t ftype = H5Aget_type(a);
    if (space < 0 || ftype < 0) {
        mcr_status st = mcr_h5_read_fail(rd, obj, f->name);
        mcr_h5_close(space);
        mcr_h5_close(ftype);
        return st;
    }
    bool shape_ok =
        H5Sget_simple_extent_npoints(space) == 1 && H5Tget_class(ftype) == want[f->kind];
    mcr_h5_close(space);
    mcr_h5_close(ftype);
    if (!shape_ok)
        return mcr_h5_bad(rd, obj, f->name, "has the wrong type or shape"); /* or overruns */

    if (f->kind == MCR_H5_HEAP_TEXT)
        return mcr_h5_read_text(rd, a, obj, f->name, (char **)member);
    if (f->kind == MCR_H5_TEXT) {
        char *s = NULL;
        mcr_status st = mcr_h5_read_text(rd, a, obj, f->name, &s);
        if (st == MCR_OK)
            snprintf(member, f->cap, "%s", s); /* longer text from other writers is cut */
        free(s);
        return st;
    }
    if (H5Aread(a, mcr_h5_mem_type(f->kind, H5I_INVALID_HID), member) < 0)
        return mcr_h5_read_fail(rd, obj, f->name);
    return MCR_OK;
}

static mcr_status mcr_h5_read_fields(mcr_h5_reader *rd, hid_t loc, const char *obj,
                                     const mcr_h5_field *f, int n, void *base)
{
    for (int i = 0; i < n; i++) {
        htri_t has = H5Aexists(loc, f[i].name);
        if (has < 0)
            return mcr_h5_read_fail(rd, obj, f[i].name);
        if (!has) {
            if (f[i].required)
                return mcr_h5_bad(rd, obj, f[i].name, "is missing");
            continue;
        }
        hid_t a = H5Aopen(loc, f[i].name, H5P_DEFAULT);
        mcr_status st = a < 0 ? mcr_h5_read_fail(rd, obj, f[i].name)
                              : mcr_h5_read_attr(rd, a, obj, &f[i], base);
        mcr_h5_close(a);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

static mcr_status mcr_h5_open_group(mcr_h5_reader *rd, hid_t loc, const char *obj,
                                    const char *name, hid_t *g)
{
    htri_t has = H5Lexists(loc, name, H5P_DEFAULT);
    if (has < 0)
        return mcr_h5_read_fail(rd, obj, name);
    *g = has ? H5Gopen2(loc, name, H5P_DEFAULT) : H5I_INVALID_HID;
    return *g < 0 ? mcr_h5_bad(rd, obj, name, "is missing or not a group") : MCR_OK;
}

/* The names of the links in a group in the order they were written: creation order when the
 * group tracks it (mcrisk's groups do), by name for files from other writers. */
static mcr_status mcr_h5_list(mcr_h5_reader *rd, hid_t g, const char *obj,
                              char (**names)[MCR_NAME_MAX], int *n)
{
    H5G_info_t info;
    hid_t gcpl = H5Gget_create_plist(g);
    unsigned order = 0;
    if (gcpl < 0 || H5Pget_link_creation_order(gcpl, &order) < 0 || H5Gget_info(g, &info) < 0) {
        mcr_status st = mcr_h5_read_fail(rd, obj, "");
        mcr_h5_close(gcpl);
        return st;
    }
    mcr_h5_close(gcpl);
    H5_index_t index = (order & H5P_CRT_ORDER_TRACKED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    if (info.nlinks > INT32_MAX / MCR_NAME_MAX)
        return mcr_h5_bad(rd, obj, "", "has too many members");
    *n = (int)info.nlinks;
    *names = calloc(info.nlinks ? info.nlinks : 1, sizeof **names);
    if (!*names)
        return mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory", rd->path);
    for (hsize_t i = 0; i < info.nlinks; i++) {
        ssize_t len = H5Lget_name_by_idx(g, ".", index, H5_ITER_INC, i, (*names)[i],
                                         MCR_NAME_MAX, H5P_DEFAULT);
        if (len < 0)
            return mcr_h5_read_fail(rd, obj, "");
        if (len >= MCR_NAME_MAX)
            return mcr_h5_bad(rd, obj, "", "has a member name that is too long");
    }
    return MCR_OK;
}

/* A one-dimensional dataset of the given class, opened, with its length. */
static mcr_status mcr_h5_open_vector(mcr_h5_reader *rd, hid_t g, const char *obj,
                                     const char *name, H5T_class_t cls, hid_t *d, hsize_t *n)
{
    *d = H5I_INVALID_HID;
    htri_t has = H5Lexists(g, name, H5P_DEFAULT);
    if (has < 0)
        return mcr_h5_read_fail(rd, obj, name);
    *d = has ? H5Dopen2(g, name, H5P_DEFAULT) : H5I_INVALID_HID;
    if (*d < 0)
        return mcr_h5_bad(rd, obj, name, "is missing");
    hid_t space = H5Dget_space(*d);
    hid_t type = H5Dget_type(*d);
    bool ok = space >= 0 && type >= 0 && H5Sget_simple_extent_ndims(space) == 1 &&
              H5Sget_simple_extent_dims(space, n, NULL) == 1 && H5Tget_class(type) == cls;
    for (int i = 0; ok && cls == H5T_COMPOUND && i < MCR_H5_COUNT(mcr_h5_risk_members); i++)
        ok = H5Tget_member_index(type, mcr_h5_risk_members[i].name) >= 0;
    mcr_h5_close(space);
    mcr_h5_close(type);
    return ok ? MCR_OK : mcr_h5_bad(rd, obj, name, "has the wrong type or shape");
}

/* A per-path array when the file has it (else *out stays NULL), checked to hold `paths` values. */
static mcr_status mcr_h5_read_per_path(mcr_h5_reader *rd, hid_t g, const char *obj,
                                       const char *name, mcr_h5_kind kind, size_t size,
                                       uint64_t paths, void **out)
{
    *out = NULL;
    htri_t has = H5Lexists(g, name, H5P_DEFAULT);
    if (has <= 0)
        return has < 0 ? mcr_h5_read_fail(rd, obj, name) : MCR_OK;
    hid_t d;
    hsize_t n;
    H5T_class_t cls = kind == MCR_H5_F64 ? H5T_FLOAT : H5T_INTEGER;
    mcr_status st = mcr_h5_open_vector(rd, g, obj, name, cls, &d, &n);
    if (st == MCR_OK && n != paths)
        st = mcr_fail(rd->err, MCR_ERR_INPUT, "%s: %s%s has %llu values but paths is %llu",
                      rd->path, obj, name, (unsigned long long)n, (unsigned long long)paths);
    if (st == MCR_OK && (n > SIZE_MAX / size || !(*out = malloc((n ? n : 1) * size))))
        st = mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory for %s%s", rd->path, obj,
                      name);
    /* HDF5 converts other integer and float widths; ours are stored in the memory types. */
    if (st == MCR_OK && H5Dread(d, mcr_h5_mem_type(kind, H5I_INVALID_HID), H5S_ALL, H5S_ALL,
                                H5P_DEFAULT, *out) < 0)
        st = mcr_h5_read_fail(rd, obj, name);
    mcr_h5_close(d);
    if (st != MCR_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

static mcr_status mcr_h5_read_components(mcr_h5_reader *rd, hid_t g, const char *obj,
                                         uint64_t paths, mcr_strategy_result *c)
{
    htri_t has = H5Lexists(g, MCR_H5_COMPONENTS, H5P_DEFAULT);
    if (has <= 0)
        return has < 0 ? mcr_h5_read_fail(rd, obj, MCR_H5_COMPONENTS) : MCR_OK;
    hid_t cg = H5I_INVALID_HID;
    char cobj[MCR_H5_OBJ_MAX + sizeof MCR_H5_COMPONENTS];
    snprintf(cobj, sizeof cobj, "%s" MCR_H5_COMPONENTS "/", obj);
    mcr_status st = mcr_h5_open_group(rd, g, obj, MCR_H5_COMPONENTS, &cg);
    for (int k = 0; st == MCR_OK && k < MCR_N_COMPONENTS; k++) {
        void *p;
        st = mcr_h5_read_per_path(rd, cg, cobj, mcr_component_names[k], MCR_H5_F64,
                                  sizeof(double), paths, &p);
        c->component[k] = p;
    }
    mcr_h5_close(cg);
    return st;
}

static mcr_status mcr_h5_read_detail_fields(mcr_h5_reader *rd, hid_t g, const char *obj,
                                            mcr_strategy_result *c)
{
    c->hedge_effectiveness = c->trades_mean = NAN;
    for (int k = 0; k < 3; k++)
        c->greeks_mean[k] = NAN;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        c->component_mean[k] = NAN;
    mcr_status st = mcr_h5_read_fields(rd, g, obj, mcr_h5_detail_fields,
                                       MCR_H5_COUNT(mcr_h5_detail_fields), c);
    for (int k = 0; st == MCR_OK && k < MCR_N_COMPONENTS; k++) {
        char name[MCR_NAME_MAX];
        mcr_h5_field f;
        mcr_h5_component_field(k, name, sizeof name, &f);
        st = mcr_h5_read_fields(rd, g, obj, &f, 1, c);
    }
    return st;
}

/* The histogram when the file has one (else hist.bins stays 0). */
static mcr_status mcr_h5_read_hist(mcr_h5_reader *rd, hid_t g, const char *obj,
                                   mcr_strategy_result *c)
{
    mcr_histogram *h = &c->hist;
    h->bins = 0;
    htri_t has = H5Lexists(g, "hist_edges", H5P_DEFAULT);
    if (has <= 0)
        return has < 0 ? mcr_h5_read_fail(rd, obj, "hist_edges") : MCR_OK;
    hid_t d = H5I_INVALID_HID, dc = H5I_INVALID_HID;
    hsize_t ne = 0, nc = 0;
    mcr_status st = mcr_h5_open_vector(rd, g, obj, "hist_edges", H5T_FLOAT, &d, &ne);
    if (st == MCR_OK)
        st = mcr_h5_open_vector(rd, g, obj, "hist_counts", H5T_INTEGER, &dc, &nc);
    if (st == MCR_OK && (nc < 1 || nc > MCR_HIST_BINS || ne != nc + 1))
        st = mcr_h5_bad(rd, obj, "hist_counts", "has the wrong length");
    if (st == MCR_OK && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                h->edges) < 0)
        st = mcr_h5_read_fail(rd, obj, "hist_edges");
    if (st == MCR_OK && H5Dread(dc, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                h->counts) < 0)
        st = mcr_h5_read_fail(rd, obj, "hist_counts");
    if (st == MCR_OK)
        st = mcr_h5_read_fields(rd, g, obj, mcr_h5_hist_fields, MCR_H5_COUNT(mcr_h5_hist_fields),
                                c);
    mcr_h5_close(d);
    mcr_h5_close(dc);
    h->bins = st == MCR_OK ? (int)nc : 0;
    return st;
}

static mcr_status mcr_h5_read_cell(mcr_h5_reader *rd, hid_t g, const char *obj, int with_pnl,
                                   uint64_t paths, mcr_strategy_result *c)
{
    mcr_status st = mcr_h5_read_fields(rd, g, obj, mcr_h5_summary_fields,
                                       MCR_H5_COUNT(mcr_h5_summary_fields), &c->summary);
    if (st == MCR_OK)
        st = mcr_h5_read_detail_fields(rd, g, obj, c);
    if (st != MCR_OK)
        return st;
    hid_t d;
    hsize_t n;
    st = mcr_h5_open_vector(rd, g, obj, "risk", H5T_COMPOUND, &d, &n);
    if (st == MCR_OK && n > MCR_MAX_LEVELS)
        st = mcr_h5_bad(rd, obj, "risk", "has more levels than this build holds");
    if (st == MCR_OK &&
        H5Dread(d, rd->risk_mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, c->summary.risk) < 0)
        st = mcr_h5_read_fail(rd, obj, "risk");
    c->summary.n_levels = st == MCR_OK ? (int)n : 0;
    mcr_h5_close(d);
    if (st == MCR_OK)
        st = mcr_h5_read_hist(rd, g, obj, c);
    if (st != MCR_OK || !with_pnl)
        return st;

    /* Through a void * each: the members have different pointer types. */
    void *p;
    st = mcr_h5_read_per_path(rd, g, obj, "pnl", MCR_H5_F64, sizeof(double), paths, &p);
    c->pnl = p;
    if (st == MCR_OK)
        st = mcr_h5_read_components(rd, g, obj, paths, c);
    if (st == MCR_OK) {
        st = mcr_h5_read_per_path(rd, g, obj, "liquidation_step", MCR_H5_INT, sizeof(int32_t),
                                  paths, &p);
        c->liquidation_step = p;
    }
    if (st == MCR_OK) {
        st = mcr_h5_read_per_path(rd, g, obj, "trades", MCR_H5_U32, sizeof(uint32_t), paths, &p);
        c->trades = p;
    }
    for (int k = 0; st == MCR_OK && k < 3; k++) {
        st = mcr_h5_read_per_path(rd, g, obj, mcr_h5_greek_names[k], MCR_H5_F64, sizeof(double),
                                  paths, &p);
        c->greeks[k] = p;
    }
    return st;
}

/* Scenario `s`: its strategies must be those of the first scenario, found by name. */
/* /scenarios/<name>/sample_paths when present: [assets][paths][steps + 1]. */
static mcr_status mcr_h5_read_samples(mcr_h5_reader *rd, hid_t g, const char *name, int s,
                                      mcr_result *r)
{
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/", name);
    if (H5Lexists(g, "sample_paths", H5P_DEFAULT) <= 0)
        return MCR_OK;
    hid_t d = H5Dopen2(g, "sample_paths", H5P_DEFAULT);
    hid_t space = d < 0 ? H5I_INVALID_HID : H5Dget_space(d);
    hsize_t dims[3] = {0};
    mcr_status st = MCR_OK;
    if (space < 0 || H5Sget_simple_extent_ndims(space) != 3 ||
        H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        st = mcr_h5_bad(rd, obj, "sample_paths", "is not [assets][paths][steps + 1]");
    else if (dims[2] != (hsize_t)r->prov.steps + 1 || dims[0] < 1 || dims[1] < 1)
        st = mcr_h5_bad(rd, obj, "sample_paths", "does not match the run's steps");
    size_t n = (size_t)(dims[0] * dims[1] * dims[2]);
    if (st == MCR_OK && !(r->sample_paths[s] = malloc(n * sizeof(double))))
        st = mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory", rd->path);
    if (st == MCR_OK && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                r->sample_paths[s]) < 0)
        st = mcr_h5_read_fail(rd, obj, "sample_paths");
    if (st == MCR_OK) {
        r->sample_assets = (int)dims[0];
        r->n_sample = (int)dims[1];
    }
    mcr_h5_close(space);
    mcr_h5_close(d);
    return st;
}

static mcr_status mcr_h5_read_scenario(mcr_h5_reader *rd, hid_t scenarios, const char *name,
                                       int s, int with_pnl, mcr_result *r,
                                       char (**strategies)[MCR_NAME_MAX])
{
    char obj[MCR_H5_OBJ_MAX];
    snprintf(obj, sizeof obj, "/scenarios/%s/", name);
    hid_t g = H5I_INVALID_HID, sg = H5I_INVALID_HID;
    mcr_status st = mcr_h5_open_group(rd, scenarios, "/scenarios/", name, &g);
    if (st == MCR_OK)
        st = mcr_h5_open_group(rd, g, obj, "strategies", &sg);
    snprintf(obj, sizeof obj, "/scenarios/%s/strategies/", name);
    if (st == MCR_OK && s == 0) {
        int n = 0;
        st = mcr_h5_list(rd, sg, obj, strategies, &n);
        if (st == MCR_OK && n > 0 && r->n_scenarios > 0 &&
            !(r->cells = calloc((size_t)r->n_scenarios * n, sizeof *r->cells)))
            st = mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory", rd->path);
        r->n_strategies = st == MCR_OK ? n : 0;
    } else if (st == MCR_OK) {
        H5G_info_t info;
        if (H5Gget_info(sg, &info) < 0)
            st = mcr_h5_read_fail(rd, obj, "");
        else if (info.nlinks != (hsize_t)r->n_strategies)
            st = mcr_h5_bad(rd, obj, "", "differs from the first scenario's strategies");
    }
    for (int t = 0; st == MCR_OK && t < r->n_strategies; t++) {
        mcr_strategy_result *c = mcr_result_cell(r, s, t);
        snprintf(c->scenario, sizeof c->scenario, "%s", name);
        snprintf(c->strategy, sizeof c->strategy, "%s", (*strategies)[t]);
        hid_t cg = H5I_INVALID_HID;
        char cobj[MCR_H5_OBJ_MAX];
        snprintf(cobj, sizeof cobj, "/scenarios/%s/strategies/%s/", name, c->strategy);
        st = mcr_h5_open_group(rd, sg, obj, c->strategy, &cg);
        if (st == MCR_OK)
            st = mcr_h5_read_cell(rd, cg, cobj, with_pnl, r->prov.paths, c);
        mcr_h5_close(cg);
    }
    if (st == MCR_OK && with_pnl)
        st = mcr_h5_read_samples(rd, g, name, s, r);
    mcr_h5_close(sg);
    mcr_h5_close(g);
    return st;
}

static mcr_status mcr_h5_read_file(mcr_h5_reader *rd, hid_t file, int with_pnl, mcr_result *r)
{
    int layout = MCR_H5_LAYOUT;
    const mcr_h5_field layout_field = {"layout", MCR_H5_INT, 0, sizeof layout, false};
    mcr_status st = mcr_h5_read_fields(rd, file, "/", &layout_field, 1, &layout);
    if (st != MCR_OK)
        return st;
    if (layout != MCR_H5_LAYOUT)
        return mcr_fail(rd->err, MCR_ERR_INPUT, "%s: layout %d; this build reads layout %d",
                        rd->path, layout, MCR_H5_LAYOUT);
    st = mcr_h5_read_fields(rd, file, "/", mcr_h5_root_fields, MCR_H5_COUNT(mcr_h5_root_fields),
                            r);
    hid_t scenarios = H5I_INVALID_HID;
    char(*names)[MCR_NAME_MAX] = NULL;
    char(*strategies)[MCR_NAME_MAX] = NULL;
    int n = 0;
    if (st == MCR_OK)
        st = mcr_h5_open_group(rd, file, "/", "scenarios", &scenarios);
    if (st == MCR_OK)
        st = mcr_h5_list(rd, scenarios, "/scenarios", &names, &n);
    if (st == MCR_OK)
        r->n_scenarios = n;
    for (int s = 0; st == MCR_OK && s < n; s++)
        st = mcr_h5_read_scenario(rd, scenarios, names[s], s, with_pnl, r, &strategies);
    free(names);
    free(strategies);
    mcr_h5_close(scenarios);
    return st;
}

mcr_status mcr_h5_read(const char *path, int with_pnl, mcr_result *r, mcr_error *err)
{
    memset(r, 0, sizeof *r);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot open: %s", path, strerror(EISDIR));

    mcr_h5_reader rd = {.path = path, .err = err};
    mcr_h5_quiet_begin(&rd.quiet);
    mcr_status st = MCR_OK;
    /* Strong close: H5Fclose really closes even if a handle leaked; best-effort locking lets
     * files on file systems without flock() be read. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), file = H5I_INVALID_HID;
    if (fapl >= 0 && (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 ||
                      H5Pset_file_locking(fapl, 1, 1) < 0)) {
        H5Pclose(fapl);
        fapl = H5I_INVALID_HID;
    }
    htri_t is_h5 = H5Fis_hdf5(path);
    rd.risk_mem = mcr_h5_risk_type();
    if (fapl < 0 || rd.risk_mem < 0)
        st = mcr_h5_read_fail(&rd, "", "(types)");
    else if (is_h5 < 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot open: %s", path, mcr_h5_reason(&rd.quiet));
    else if (!is_h5)
        st = mcr_fail(err, MCR_ERR_INPUT, "%s: cannot open: not an HDF5 file", path);
    else if ((file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot open: %s", path, mcr_h5_reason(&rd.quiet));
    else
        st = mcr_h5_read_file(&rd, file, with_pnl, r);
    mcr_h5_close(file);
    mcr_h5_close(rd.risk_mem);
    mcr_h5_close(fapl);
    mcr_h5_quiet_end(&rd.quiet);
    if (st != MCR_OK)
        mcr_result_free(r);
    return st;
}
