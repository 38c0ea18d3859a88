/* The HDF5 reader of layout 1 (docs/DESIGN.md): a result file back into an mcr_result,
 * for `mcrisk report` and the tests. Checks what it reads (types, shapes, lengths against the
 * paths) and names the object in a one-line error; a figure a file does not have reads as NaN,
 * a per-path array it does not have as NULL. */
#include "h5_io.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "h5_common.h"

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
    for (int i = 0; ok && cls == H5T_COMPOUND && i < mcr_h5_n_risk_members; i++)
        ok = H5Tget_member_index(type, mcr_h5_risk_members[i].name) >= 0;
    mcr_h5_close(space);
    mcr_h5_close(type);
    return ok ? MCR_OK : mcr_h5_bad(rd, obj, name, "has the wrong type or shape");
}

/* A per-path array when the file has it (else *out stays NULL), checked to hold `paths` values. */
/* A per-path array of field f when the file has it (else *out stays NULL), checked to hold
 * `paths` values. */
static mcr_status mcr_h5_read_per_path(mcr_h5_reader *rd, hid_t g, const char *obj, int f,
                                       uint64_t paths, void **out)
{
    *out = NULL;
    const char *name = mcr_fields[f].name;
    htri_t has = H5Lexists(g, name, H5P_DEFAULT);
    if (has <= 0)
        return has < 0 ? mcr_h5_read_fail(rd, obj, name) : MCR_OK;
    hid_t d;
    hsize_t n;
    size_t size = mcr_field_size((mcr_field_id)f);
    H5T_class_t cls = mcr_fields[f].type == MCR_FIELD_F64 ? H5T_FLOAT : H5T_INTEGER;
    mcr_status st = mcr_h5_open_vector(rd, g, obj, name, cls, &d, &n);
    if (st == MCR_OK && n != paths)
        st = mcr_fail(rd->err, MCR_ERR_INPUT, "%s: %s%s has %llu values but paths is %llu",
                      rd->path, obj, name, (unsigned long long)n, (unsigned long long)paths);
    if (st == MCR_OK && (n > SIZE_MAX / size || !(*out = malloc((n ? n : 1) * size))))
        st = mcr_fail(rd->err, MCR_ERR_NOMEM, "%s: out of memory for %s%s", rd->path, obj,
                      name);
    /* HDF5 converts other integer and float widths; ours are stored in the memory types. */
    if (st == MCR_OK && H5Dread(d, mcr_h5_field_mem_type(f), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                *out) < 0)
        st = mcr_h5_read_fail(rd, obj, name);
    mcr_h5_close(d);
    if (st != MCR_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

/* Every per-path array the file has, each in its field's group. */
static mcr_status mcr_h5_read_fields_per_path(mcr_h5_reader *rd, hid_t g, const char *obj,
                                              uint64_t paths, mcr_strategy_result *c)
{
    mcr_status st = MCR_OK;
    for (int f = 0; st == MCR_OK && f < MCR_N_FIELDS; f++) {
        const char *group = mcr_fields[f].group;
        hid_t loc = g;
        char fobj[MCR_H5_OBJ_MAX + MCR_NAME_MAX];
        snprintf(fobj, sizeof fobj, "%s", obj);
        if (group) {
            htri_t has = H5Lexists(g, group, H5P_DEFAULT);
            if (has <= 0) {
                st = has < 0 ? mcr_h5_read_fail(rd, obj, group) : MCR_OK;
                continue;
            }
            snprintf(fobj, sizeof fobj, "%s%s/", obj, group);
            st = mcr_h5_open_group(rd, g, obj, group, &loc);
        }
        if (st == MCR_OK)
            st = mcr_h5_read_per_path(rd, loc, fobj, f, paths, &c->fields.at[f]);
        if (loc != g)
            mcr_h5_close(loc);
    }
    return st;
}

/* The summary attributes of the fields and hedge_effectiveness; NaN when the file has none. */
static mcr_status mcr_h5_read_figures(mcr_h5_reader *rd, hid_t g, const char *obj,
                                      mcr_strategy_result *c)
{
    c->hedge_effectiveness = NAN;
    mcr_status st = mcr_h5_read_fields(rd, g, obj, mcr_h5_cell_fields, mcr_h5_n_cell_fields, c);
    if (st == MCR_OK) /* absent without run.tail: level stays 0 */
        st = mcr_h5_read_fields(rd, g, obj, mcr_h5_tail_fields, mcr_h5_n_tail_fields, c);
    if (st == MCR_OK) /* absent without hedge_ratio: optimize: optimized stays 0 */
        st = mcr_h5_read_fields(rd, g, obj, mcr_h5_ratio_fields, mcr_h5_n_ratio_fields, c);
    for (int f = 0; st == MCR_OK && f < MCR_N_FIELDS; f++) {
        char names[2][MCR_NAME_MAX];
        mcr_h5_field stat[2];
        int n = mcr_h5_stat_fields(f, names, stat);
        c->stat[f] = n > 0 ? NAN : 0;
        c->stat_se[f] = n > 1 ? NAN : 0;
        st = mcr_h5_read_fields(rd, g, obj, stat, n, c);
    }
    return st;
}

/* The comparison with the baseline (NaN figures and no baseline when the file has none) and the
 * sweep the strategy came from; after the risk table, whose levels name the attributes. */
static mcr_status mcr_h5_read_diff(mcr_h5_reader *rd, hid_t g, const char *obj,
                                   mcr_strategy_result *c)
{
    mcr_diff *d = &c->diff;
    d->baseline[0] = c->swept.from[0] = '\0';
    c->swept.n = 0;
    d->mean = d->mean_se = d->mean_se_unpaired = NAN;
    d->n_levels = c->summary.n_levels;
    for (int l = 0; l < d->n_levels; l++)
        d->risk[l] = (mcr_diff_row){c->summary.risk[l].level, NAN, NAN, NAN, NAN, NAN, NAN};
    char names[MCR_H5_DIFF_MAX][MCR_NAME_MAX];
    mcr_h5_field f[MCR_H5_DIFF_MAX];
    return mcr_h5_read_fields(rd, g, obj, f, mcr_h5_diff_fields(c, true, names, f), c);
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
        st = mcr_h5_read_fields(rd, g, obj, mcr_h5_hist_fields, mcr_h5_n_hist_fields, c);
    mcr_h5_close(d);
    mcr_h5_close(dc);
    h->bins = st == MCR_OK ? (int)nc : 0;
    return st;
}

static mcr_status mcr_h5_read_cell(mcr_h5_reader *rd, hid_t g, const char *obj, int with_pnl,
                                   uint64_t paths, mcr_strategy_result *c)
{
    mcr_status st = mcr_h5_read_fields(rd, g, obj, mcr_h5_summary_fields,
                                       mcr_h5_n_summary_fields, &c->summary);
    if (st == MCR_OK)
        st = mcr_h5_read_figures(rd, g, obj, c);
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
        st = mcr_h5_read_diff(rd, g, obj, c);
    if (st == MCR_OK)
        st = mcr_h5_read_hist(rd, g, obj, c);
    if (st == MCR_OK && with_pnl)
        st = mcr_h5_read_fields_per_path(rd, g, obj, paths, c);
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
    st = mcr_h5_read_fields(rd, file, "/", mcr_h5_root_fields, mcr_h5_n_root_fields,
                            r);
    if (st == MCR_OK) /* absent without run.target: rounds stay 0 */
        st = mcr_h5_read_fields(rd, file, "/", mcr_h5_target_fields, mcr_h5_n_target_fields, r);
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
