/* Suite h5: HDF5 layout 1. Bitwise round trip of a synthetic result (per-path detail included),
 * the layout checked through the HDF5 C API (not our reader), detail arrays not kept -> no
 * datasets -> NULL, files without the detail still read, atomic replacement, cleanup after
 * failures, identical bytes for identical results, and clear errors for files that are missing or
 * not ours. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/h5_io.h"

#define PATHS 1000
#define LEVELS 3

/* Creation order differs from name order, so the reader must keep the order written. */
static const char *const scenario_names[] = {"stress", "base"};
static const char *const strategy_names[] = {"unhedged", "collar"};

static uint64_t next_bits(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Arbitrary bit patterns (NaNs, infinities, subnormals, -0 included): any conversion or rounding
 * on the way through HDF5 would change some of them. */
static double any_double(uint64_t *s)
{
    uint64_t b = next_bits(s);
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

enum { KEEP_NONE = 0, KEEP_PNL = 1, KEEP_DETAIL = 2, KEEP_ALL = 3 };

static const char *const greek_names[3] = {"net_delta", "net_gamma", "net_vega"};

static double *any_doubles(uint64_t *s)
{
    double *v = malloc(PATHS * sizeof *v);
    cr_assert_not_null(v);
    for (int i = 0; i < PATHS; i++)
        v[i] = any_double(s);
    return v;
}

/* Every per-path field but pnl (core/fields.h), arbitrary values of its type: every int32 and
 * uint32 bit pattern is fair, -1 (never liquidated) and values above 2^31 that a signed/unsigned
 * mix-up would clip among them. */
static void make_detail(mcr_strategy_result *c, uint64_t *s)
{
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        if (f == MCR_FIELD_PNL)
            continue;
        if (mcr_fields[f].type == MCR_FIELD_F64) {
            c->fields.at[f] = any_doubles(s);
            continue;
        }
        uint32_t *v = malloc(PATHS * sizeof *v);
        cr_assert_not_null(v);
        for (int i = 0; i < PATHS; i++) {
            uint64_t b = next_bits(s);
            v[i] = mcr_fields[f].type == MCR_FIELD_I32 && i % 3 ? UINT32_MAX /* -1 */
                   : mcr_fields[f].type == MCR_FIELD_I32 ? (uint32_t)b : (uint32_t)(b >> 32);
        }
        c->fields.at[f] = v;
    }
}

static void make_result(mcr_result *r, uint64_t seed, int keep)
{
    memset(r, 0, sizeof *r);
    mcr_provenance *p = &r->prov;
    snprintf(p->mcrisk_version, sizeof p->mcrisk_version, "0.1.0");
    snprintf(p->git_revision, sizeof p->git_revision, "0123456789ab");
    snprintf(p->created_utc, sizeof p->created_utc, "2026-11-23T22:58:00Z");
    /* non-ASCII UTF-8 (sigma, mu) must survive as text */
    p->config_yaml = strdup("run: {paths: 1000, seed: 42}\n# \xcf\x83 = 0.8, \xce\xbc = 0\n");
    p->seed = 0xfedcba9876543210u; /* above 2^63: must stay unsigned */
    p->paths = PATHS;
    p->steps = 720;
    p->horizon_days = 30.5;
    p->threads = 2;
    snprintf(p->isa, sizeof p->isa, "avx512");
    snprintf(p->rng, sizeof p->rng, "pcg32-xsh-rr stream=path");
    snprintf(p->compiler, sizeof p->compiler, "GNU 12.2.0");
    snprintf(p->flags, sizeof p->flags, "-O3 -DNDEBUG");
    r->seconds = 1.25;
    r->n_scenarios = 2;
    r->n_strategies = 2;
    r->cells = calloc(4, sizeof *r->cells);
    cr_assert_not_null(r->cells);
    for (int s = 0; s < 2; s++) {
        for (int t = 0; t < 2; t++) {
            mcr_strategy_result *c = mcr_result_cell(r, s, t);
            snprintf(c->scenario, sizeof c->scenario, "%s", scenario_names[s]);
            snprintf(c->strategy, sizeof c->strategy, "%s", strategy_names[t]);
            mcr_summary *m = &c->summary;
            m->mean = any_double(&seed);
            m->std = any_double(&seed);
            m->mean_se = -0.0;
            m->n_levels = LEVELS;
            for (int l = 0; l < LEVELS; l++)
                m->risk[l] = (mcr_risk_row){any_double(&seed), any_double(&seed),
                                            any_double(&seed), any_double(&seed),
                                            any_double(&seed)};
            for (int f = 0; f < MCR_N_FIELDS; f++) { /* each field's summary attributes */
                if (mcr_fields[f].summary != MCR_SUMMARY_NONE)
                    c->stat[f] = any_double(&seed);
                if (mcr_fields[f].summary == MCR_SUMMARY_EVENT)
                    c->stat_se[f] = 4.9e-324; /* smallest subnormal */
            }
            c->hedge_effectiveness = any_double(&seed);
            if (keep & KEEP_PNL)
                c->fields.at[MCR_FIELD_PNL] = any_doubles(&seed);
            if (keep & KEEP_DETAIL)
                make_detail(c, &seed);
        }
    }
}

static int same_bits(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n) == 0;
}

/* b's copy of per-path array x of a: bitwise equal when read with pnl and x was kept, else NULL. */
static void assert_same_vector(const void *x, const void *y, size_t bytes, int with_pnl,
                               const mcr_strategy_result *c, const char *name)
{
    if (with_pnl && x) {
        cr_assert_not_null(y, "%s of %s/%s not read back", name, c->scenario, c->strategy);
        cr_assert(same_bits(x, y, bytes), "%s of %s/%s differs", name, c->scenario, c->strategy);
    } else {
        cr_assert_null(y, "%s of %s/%s should be NULL", name, c->scenario, c->strategy);
    }
}

static void assert_same_result(const mcr_result *a, const mcr_result *b, int with_pnl)
{
    const mcr_provenance *p = &a->prov, *q = &b->prov;
    cr_assert_str_eq(p->mcrisk_version, q->mcrisk_version);
    cr_assert_str_eq(p->git_revision, q->git_revision);
    cr_assert_str_eq(p->created_utc, q->created_utc);
    cr_assert_str_eq(p->config_yaml, q->config_yaml);
    cr_assert_eq(p->seed, q->seed);
    cr_assert_eq(p->paths, q->paths);
    cr_assert_eq(p->steps, q->steps);
    cr_assert(same_bits(&p->horizon_days, &q->horizon_days, sizeof(double)));
    cr_assert_eq(p->threads, q->threads);
    cr_assert_str_eq(p->isa, q->isa);
    cr_assert_str_eq(p->rng, q->rng);
    cr_assert_str_eq(p->compiler, q->compiler);
    cr_assert_str_eq(p->flags, q->flags);
    cr_assert(same_bits(&a->seconds, &b->seconds, sizeof(double)));
    cr_assert_eq(a->n_scenarios, b->n_scenarios);
    cr_assert_eq(a->n_strategies, b->n_strategies);
    for (int s = 0; s < a->n_scenarios; s++) {
        for (int t = 0; t < a->n_strategies; t++) {
            const mcr_strategy_result *c = mcr_result_cell(a, s, t), *d = mcr_result_cell(b, s, t);
            cr_assert_str_eq(c->scenario, d->scenario);
            cr_assert_str_eq(c->strategy, d->strategy);
            const mcr_summary *m = &c->summary, *n = &d->summary;
            cr_assert(same_bits(&m->mean, &n->mean, sizeof(double)));
            cr_assert(same_bits(&m->std, &n->std, sizeof(double)));
            cr_assert(same_bits(&m->mean_se, &n->mean_se, sizeof(double)));
            cr_assert_eq(m->n_levels, n->n_levels);
            cr_assert(same_bits(m->risk, n->risk, m->n_levels * sizeof m->risk[0]),
                      "risk table of %s/%s differs", c->scenario, c->strategy);
            cr_assert(same_bits(c->stat, d->stat, sizeof c->stat));
            cr_assert(same_bits(c->stat_se, d->stat_se, sizeof c->stat_se));
            cr_assert(same_bits(&c->hedge_effectiveness, &d->hedge_effectiveness,
                                sizeof(double)));

            size_t paths = a->prov.paths;
            for (int f = 0; f < MCR_N_FIELDS; f++)
                assert_same_vector(c->fields.at[f], d->fields.at[f],
                                   paths * mcr_field_size((mcr_field_id)f), with_pnl, c,
                                   mcr_fields[f].name);
        }
    }
}

static char tmp_dir[64];

static void setup_dir(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/mcr-h5-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp_dir));
}

/* Tests leave only files and empty directories in tmp_dir. */
static void remove_dir(void)
{
    DIR *d = opendir(tmp_dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmp_dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            remove(path);
    }
    if (d)
        closedir(d);
    rmdir(tmp_dir);
}

TestSuite(h5, .init = setup_dir, .fini = remove_dir);

static void in_dir(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmp_dir, name);
}

/* Entries of tmp_dir, so a test can see that nothing (no temporary file) was left behind. */
static int count_entries(void)
{
    int n = 0;
    DIR *d = opendir(tmp_dir);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    char *buf = malloc(*n ? *n : 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, *n, f), *n);
    fclose(f);
    return buf;
}

Test(h5, round_trip_is_bitwise)
{
    char path[128];
    in_dir(path, sizeof path, "out.h5");
    mcr_result r, back;
    mcr_error err = {0};
    make_result(&r, 0x9e3779b97f4a7c15u, KEEP_ALL);
    cr_assert_eq(mcr_h5_write(path, &r, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(count_entries(), 1);

    cr_assert_eq(mcr_h5_read(path, 1, &back, &err), MCR_OK, "%s", err.msg);
    cr_assert_str_eq(mcr_result_cell(&back, 0, 0)->scenario, "stress"); /* order as written */
    cr_assert_str_eq(mcr_result_cell(&back, 0, 0)->strategy, "unhedged");
    assert_same_result(&r, &back, 1);
    mcr_result_free(&back);

    cr_assert_eq(mcr_h5_read(path, 0, &back, &err), MCR_OK, "%s", err.msg);
    assert_same_result(&r, &back, 0);
    mcr_result_free(&back);
    mcr_result_free(&r);
    cr_assert_null(r.cells);
}

/* 1 if the link exists under the strategy group s/t, 0 if not (intermediate groups must exist). */
static int has_link(hid_t f, const char *s, const char *t, const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "/scenarios/%s/strategies/%s/%s", s, t, name);
    htri_t has = H5Lexists(f, p, H5P_DEFAULT);
    cr_assert_geq(has, 0, "H5Lexists(%s) failed", p);
    return has > 0;
}

Test(h5, without_pnl_no_dataset)
{
    char path[128];
    in_dir(path, sizeof path, "nopnl.h5");
    mcr_result r, back;
    mcr_error err = {0};
    make_result(&r, 7, KEEP_NONE);
    cr_assert_eq(mcr_h5_write(path, &r, &err), MCR_OK, "%s", err.msg);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    const char *absent[] = {"pnl", "components", "liquidation_step", "trades", "net_delta",
                            "net_gamma", "net_vega"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        cr_assert_eq(has_link(f, "base", "collar", absent[i]), 0, "%s written", absent[i]);
    cr_assert(has_link(f, "base", "collar", "risk"));
    H5Fclose(f);
    cr_assert_eq(mcr_h5_read(path, 1, &back, &err), MCR_OK, "%s", err.msg);
    assert_same_result(&r, &back, 1); /* summaries of the detail survive without the arrays */
    mcr_result_free(&back);
    mcr_result_free(&r);
}

/* Each detail array is written on its own: dropping some leaves the others, and the components
 * group appears only when a component is kept. */
Test(h5, detail_not_kept_is_absent)
{
    char path[128];
    in_dir(path, sizeof path, "partial.h5");
    mcr_result r, back;
    mcr_error err = {0};
    make_result(&r, 13, KEEP_ALL);
    mcr_strategy_result *a = mcr_result_cell(&r, 0, 1), *b = mcr_result_cell(&r, 1, 0);
    const int drop_a[] = {MCR_FIELD_COMPONENT + MCR_PNL_FUNDING, MCR_FIELD_TRADES,
                          MCR_FIELD_NET_GAMMA};
    for (size_t i = 0; i < sizeof drop_a / sizeof drop_a[0]; i++) {
        free(a->fields.at[drop_a[i]]);
        a->fields.at[drop_a[i]] = NULL;
    }
    for (int f = 0; f < MCR_N_FIELDS; f++) /* pnl, every component, liquidation_step */
        if (f == MCR_FIELD_PNL || mcr_fields[f].group || f == MCR_FIELD_LIQUIDATION_STEP) {
            free(b->fields.at[f]);
            b->fields.at[f] = NULL;
        }
    cr_assert_eq(mcr_h5_write(path, &r, &err), MCR_OK, "%s", err.msg);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    cr_assert_eq(has_link(f, "stress", "collar", "components/funding"), 0);
    cr_assert(has_link(f, "stress", "collar", "components/fees"));
    cr_assert_eq(has_link(f, "stress", "collar", "trades"), 0);
    cr_assert_eq(has_link(f, "stress", "collar", "net_gamma"), 0);
    cr_assert(has_link(f, "stress", "collar", "net_vega"));
    cr_assert(has_link(f, "stress", "collar", "liquidation_step"));
    cr_assert_eq(has_link(f, "base", "unhedged", "pnl"), 0);
    cr_assert_eq(has_link(f, "base", "unhedged", "components"), 0);
    cr_assert_eq(has_link(f, "base", "unhedged", "liquidation_step"), 0);
    cr_assert(has_link(f, "base", "unhedged", "trades"));
    H5Fclose(f);

    cr_assert_eq(mcr_h5_read(path, 1, &back, &err), MCR_OK, "%s", err.msg);
    assert_same_result(&r, &back, 1); /* NULL exactly where not kept */
    mcr_result_free(&back);
    mcr_result_free(&r);
}

/* Layout 1 files written before the detail existed have none of it: they still read, with the
 * new figures NaN (not recorded) rather than a plausible 0. Simulated by deleting the new
 * attributes and datasets from a fresh file. */
Test(h5, files_without_detail_still_read)
{
    char path[128];
    in_dir(path, sizeof path, "old.h5");
    mcr_result r, back;
    mcr_error err = {0};
    make_result(&r, 17, KEEP_ALL);
    cr_assert_eq(mcr_h5_write(path, &r, &err), MCR_OK, "%s", err.msg);

    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    hid_t g = H5Gopen2(f, "/scenarios/base/strategies/collar", H5P_DEFAULT);
    cr_assert_geq(g, 0);
    /* every summary attribute of a field's mean, hedge_effectiveness, every per-path dataset but
     * pnl (p_liquidation stays: it predates the detail) */
    cr_assert_geq(H5Adelete(g, "hedge_effectiveness"), 0);
    for (int k = 0; k < MCR_N_FIELDS; k++)
        if (mcr_fields[k].summary == MCR_SUMMARY_MEAN)
            cr_assert_geq(H5Adelete(g, mcr_fields[k].attr), 0, "%s", mcr_fields[k].attr);
    for (int k = 0; k < MCR_N_FIELDS; k++) {
        const char *link = mcr_fields[k].group ? mcr_fields[k].group : mcr_fields[k].name;
        if (k != MCR_FIELD_PNL && H5Lexists(g, link, H5P_DEFAULT) > 0)
            cr_assert_geq(H5Ldelete(g, link, H5P_DEFAULT), 0, "%s", link);
    }
    H5Gclose(g);
    H5Fclose(f);

    cr_assert_eq(mcr_h5_read(path, 1, &back, &err), MCR_OK, "%s", err.msg);
    const mcr_strategy_result *c = mcr_result_cell(&back, 1, 1), *o = mcr_result_cell(&r, 1, 1);
    cr_assert_str_eq(c->strategy, "collar");
    cr_assert(isnan(c->hedge_effectiveness));
    for (int k = 0; k < MCR_N_FIELDS; k++) {
        if (mcr_fields[k].summary == MCR_SUMMARY_MEAN)
            cr_assert(isnan(c->stat[k]), "%s", mcr_fields[k].attr);
        if (k != MCR_FIELD_PNL)
            cr_assert_null(c->fields.at[k], "%s", mcr_fields[k].name);
    }
    cr_assert(same_bits(&c->stat[MCR_FIELD_LIQUIDATION_STEP], &o->stat[MCR_FIELD_LIQUIDATION_STEP],
                        sizeof(double)));
    cr_assert(same_bits(mcr_cell_pnl(c), mcr_cell_pnl(o), PATHS * sizeof(double)));
    cr_assert(same_bits(&c->summary.mean, &o->summary.mean, sizeof(double)));
    /* the other cells keep everything */
    const mcr_strategy_result *u = mcr_result_cell(&back, 1, 0), *v = mcr_result_cell(&r, 1, 0);
    cr_assert(same_bits(u->fields.at[MCR_FIELD_TRADES], v->fields.at[MCR_FIELD_TRADES],
                        PATHS * sizeof(uint32_t)));
    cr_assert(same_bits(&u->hedge_effectiveness, &v->hedge_effectiveness, sizeof(double)));
    mcr_result_free(&back);
    mcr_result_free(&r);
}

static void assert_attr(hid_t loc, const char *name, H5T_class_t cls)
{
    cr_assert_gt(H5Aexists(loc, name), 0, "attribute %s missing", name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    hid_t s = H5Aget_space(a);
    cr_assert_eq(H5Tget_class(t), cls, "attribute %s has the wrong class", name);
    cr_assert_eq(H5Sget_simple_extent_type(s), H5S_SCALAR, "attribute %s is not scalar", name);
    if (cls == H5T_STRING) {
        cr_assert_gt(H5Tis_variable_str(t), 0, "%s: h5py gives str only for VL strings", name);
        cr_assert_eq(H5Tget_cset(t), H5T_CSET_UTF8, "%s is not UTF-8", name);
    }
    H5Sclose(s);
    H5Tclose(t);
    H5Aclose(a);
}

/* A per-path dataset: [PATHS] of the given file type, chunked like pnl, shuffle then deflate 4. */
static void assert_per_path(hid_t g, const char *name, hid_t type)
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    cr_assert_geq(d, 0, "%s missing", name);
    hid_t s = H5Dget_space(d);
    hsize_t n = 0, chunk = 0;
    cr_assert_eq(H5Sget_simple_extent_dims(s, &n, NULL), 1, "%s is not a vector", name);
    cr_assert_eq(n, PATHS);
    hid_t dt = H5Dget_type(d);
    cr_assert(H5Tequal(dt, type) > 0, "%s has the wrong type", name);
    hid_t dcpl = H5Dget_create_plist(d);
    cr_assert_eq(H5Pget_layout(dcpl), H5D_CHUNKED);
    cr_assert_eq(H5Pget_chunk(dcpl, 1, &chunk), 1);
    cr_assert_eq(chunk, PATHS); /* min(paths, 65536) */
    cr_assert_eq(H5Pget_nfilters(dcpl), 2);
    unsigned flags, cd[4], config;
    size_t ncd = 4;
    cr_assert_eq(H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, 0, NULL, &config),
                 H5Z_FILTER_SHUFFLE);
    ncd = 4;
    cr_assert_eq(H5Pget_filter2(dcpl, 1, &flags, &ncd, cd, 0, NULL, &config),
                 H5Z_FILTER_DEFLATE);
    cr_assert_eq(ncd, 1);
    cr_assert_eq(cd[0], 4, "deflate level");
    H5Pclose(dcpl);
    H5Tclose(dt);
    H5Sclose(s);
    H5Dclose(d);
}

Test(h5, layout_through_c_api)
{
    char path[128];
    in_dir(path, sizeof path, "layout.h5");
    mcr_result r;
    mcr_error err = {0};
    make_result(&r, 11, KEEP_ALL);
    cr_assert_eq(mcr_h5_write(path, &r, &err), MCR_OK, "%s", err.msg);
    mcr_result_free(&r);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    const char *texts[] = {"mcrisk_version", "git_revision", "created_utc", "config_yaml",
                           "isa", "rng"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_attr(f, texts[i], H5T_STRING);
    const char *ints[] = {"seed", "paths", "steps", "threads"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        assert_attr(f, ints[i], H5T_INTEGER);
    assert_attr(f, "horizon_days", H5T_FLOAT);
    hid_t a = H5Aopen(f, "seed", H5P_DEFAULT), t = H5Aget_type(a);
    cr_assert_eq(H5Tget_sign(t), H5T_SGN_NONE);
    cr_assert_eq(H5Tget_size(t), 8);
    H5Tclose(t);
    H5Aclose(a);

    for (int i = 0; i < 2; i++) {
        char name[96];
        snprintf(name, sizeof name, "/scenarios/base/strategies/%s", strategy_names[i]);
        hid_t g = H5Gopen2(f, name, H5P_DEFAULT);
        cr_assert_geq(g, 0, "%s missing", name);
        const char *figures[] = {"mean", "std", "mean_se", "p_liquidation", "p_liquidation_se"};
        for (size_t k = 0; k < sizeof figures / sizeof figures[0]; k++)
            assert_attr(g, figures[k], H5T_FLOAT);

        const char *detail[] = {"hedge_effectiveness", "trades_mean", "net_delta", "net_gamma",
                                "net_vega"};
        for (size_t k = 0; k < sizeof detail / sizeof detail[0]; k++)
            assert_attr(g, detail[k], H5T_FLOAT);
        for (int k = 0; k < MCR_N_COMPONENTS; k++) {
            char attr[64];
            snprintf(attr, sizeof attr, "mean_%s", mcr_component_names[k]);
            assert_attr(g, attr, H5T_FLOAT);
        }

        assert_per_path(g, "pnl", H5T_IEEE_F64LE);
        hid_t cg = H5Gopen2(g, "components", H5P_DEFAULT);
        cr_assert_geq(cg, 0, "components/ missing");
        for (int k = 0; k < MCR_N_COMPONENTS; k++)
            assert_per_path(cg, mcr_component_names[k], H5T_IEEE_F64LE);
        H5Gclose(cg);
        assert_per_path(g, "liquidation_step", H5T_STD_I32LE);
        assert_per_path(g, "trades", H5T_STD_U32LE);
        for (int k = 0; k < 3; k++)
            assert_per_path(g, greek_names[k], H5T_IEEE_F64LE);

        hsize_t n = 0;
        hid_t d, dt, s;
        /* risk: packed compound of five float64 members in contract order */
        d = H5Dopen2(g, "risk", H5P_DEFAULT);
        dt = H5Dget_type(d);
        s = H5Dget_space(d);
        cr_assert_eq(H5Sget_simple_extent_dims(s, &n, NULL), 1);
        cr_assert_eq(n, LEVELS);
        cr_assert_eq(H5Tget_class(dt), H5T_COMPOUND);
        cr_assert_eq(H5Tget_nmembers(dt), 5);
        cr_assert_eq(H5Tget_size(dt), 5 * sizeof(double));
        const char *members[] = {"level", "var", "var_se", "cvar", "cvar_se"};
        for (unsigned m = 0; m < 5; m++) {
            char *mn = H5Tget_member_name(dt, m);
            hid_t mt = H5Tget_member_type(dt, m);
            cr_assert_str_eq(mn, members[m]);
            cr_assert_eq(H5Tget_member_offset(dt, m), m * sizeof(double));
            cr_assert(H5Tequal(mt, H5T_IEEE_F64LE) > 0);
            H5Tclose(mt);
            H5free_memory(mn);
        }
        H5Sclose(s);
        H5Tclose(dt);
        H5Dclose(d);
        H5Gclose(g);
    }
    H5Fclose(f);
}

Test(h5, unwritable_locations_fail_cleanly)
{
    char dir_path[128], under_file[128], plain[128];
    in_dir(dir_path, sizeof dir_path, "adir.h5");
    in_dir(plain, sizeof plain, "plain");
    in_dir(under_file, sizeof under_file, "plain/x.h5");
    cr_assert_eq(mkdir(dir_path, 0755), 0);
    FILE *f = fopen(plain, "w");
    cr_assert_not_null(f);
    fclose(f);

    mcr_result r;
    make_result(&r, 3, KEEP_ALL);
    const char *paths[] = {"/nonexistent-dir-mcrisk/x.h5", dir_path, under_file};
    const char *reasons[] = {"No such file or directory", "Is a directory", "Not a directory"};
    for (int i = 0; i < 3; i++) {
        mcr_error err = {0};
        cr_assert_eq(mcr_h5_write(paths[i], &r, &err), MCR_ERR_IO, "%s", paths[i]);
        cr_assert_eq(strncmp(err.msg, paths[i], strlen(paths[i])), 0, "%s", err.msg);
        cr_assert_not_null(strstr(err.msg, reasons[i]), "%s", err.msg);
    }
    cr_assert_eq(access("/nonexistent-dir-mcrisk", F_OK), -1);
    cr_assert_eq(count_entries(), 2, "a temporary file was left behind");
    mcr_result_free(&r);
}

Test(h5, bad_group_name_is_input_error)
{
    char path[128];
    in_dir(path, sizeof path, "names.h5");
    mcr_result r;
    mcr_error err = {0};
    make_result(&r, 5, KEEP_NONE);
    snprintf(mcr_result_cell(&r, 0, 1)->strategy, MCR_NAME_MAX, "a/b");
    snprintf(mcr_result_cell(&r, 1, 1)->strategy, MCR_NAME_MAX, "a/b");
    cr_assert_eq(mcr_h5_write(path, &r, &err), MCR_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "'a/b'"), "%s", err.msg);
    cr_assert_eq(count_entries(), 0);
    mcr_result_free(&r);
}

Test(h5, existing_file_replaced_only_on_success)
{
    char path[128];
    in_dir(path, sizeof path, "keep.h5");
    mcr_result a, b, back;
    mcr_error err = {0};
    make_result(&a, 100, KEEP_ALL);
    make_result(&b, 200, KEEP_PNL);
    cr_assert_eq(mcr_h5_write(path, &a, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_h5_write(path, &b, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_h5_read(path, 1, &back, &err), MCR_OK, "%s", err.msg);
    assert_same_result(&b, &back, 1);
    mcr_result_free(&back);

    /* A file-size limit makes the next write fail halfway (this test runs in its own process). */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {.rlim_cur = 8192, .rlim_max = RLIM_INFINITY};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    mcr_status st = mcr_h5_write(path, &a, &err);
    lim.rlim_cur = RLIM_INFINITY; /* Criterion's own files need it back */
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    cr_assert_eq(st, MCR_ERR_IO);
    cr_log_info("full-disk message: %s", err.msg);
    cr_assert_eq(strncmp(err.msg, path, strlen(path)), 0, "%s", err.msg);
    cr_assert_eq(count_entries(), 1, "a temporary file was left behind");
    cr_assert_eq(mcr_h5_read(path, 1, &back, &err), MCR_OK, "%s", err.msg);
    assert_same_result(&b, &back, 1);
    mcr_result_free(&back);
    mcr_result_free(&a);
    mcr_result_free(&b);
}

Test(h5, identical_results_identical_bytes)
{
    char p1[128], p2[128];
    in_dir(p1, sizeof p1, "one.h5");
    in_dir(p2, sizeof p2, "two.h5");
    mcr_result r;
    mcr_error err = {0};
    make_result(&r, 42, KEEP_ALL);
    cr_assert_eq(mcr_h5_write(p1, &r, &err), MCR_OK, "%s", err.msg);
    /* Let the clock pass a second boundary, so any timestamp in the file would differ. */
    for (time_t t0 = time(NULL); time(NULL) == t0;)
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    cr_assert_eq(mcr_h5_write(p2, &r, &err), MCR_OK, "%s", err.msg);
    size_t n1, n2;
    char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
    cr_assert_eq(n1, n2);
    cr_assert_gt(n1, 4 * PATHS * sizeof(double) / 2);
    cr_assert(same_bits(b1, b2, n1), "two writes of one result differ");
    free(b1);
    free(b2);
    mcr_result_free(&r);
}

Test(h5, read_errors_name_the_file)
{
    char text[128], empty[128];
    in_dir(text, sizeof text, "notes.txt");
    in_dir(empty, sizeof empty, "empty.h5");
    FILE *f = fopen(text, "w");
    cr_assert_not_null(f);
    fputs("not hdf5\n", f);
    fclose(f);
    hid_t h = H5Fcreate(empty, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    cr_assert_geq(h, 0);
    H5Fclose(h);

    const char *paths[] = {"nofile-mcrisk.h5", text, empty};
    const mcr_status want[] = {MCR_ERR_IO, MCR_ERR_INPUT, MCR_ERR_INPUT};
    const char *reasons[] = {"No such file", "not an HDF5 file", "mcrisk_version"};
    for (int i = 0; i < 3; i++) {
        mcr_result r;
        mcr_error err = {0};
        cr_assert_eq(mcr_h5_read(paths[i], 1, &r, &err), want[i], "%s", err.msg);
        cr_assert_eq(strncmp(err.msg, paths[i], strlen(paths[i])), 0, "%s", err.msg);
        cr_assert_not_null(strstr(err.msg, reasons[i]), "%s", err.msg);
        cr_assert_null(r.cells);
        cr_assert_null(r.prov.config_yaml);
    }
}
