/* The backtest's HDF5 file and plot (backtest_h5.h). The file is built in memory (HDF5's core
 * driver) and written through the atomic-file helper, so nothing half-written is ever left under
 * the output name; the plot is a self-contained SVG written the same way. */
#include "backtest_h5.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/build_info.h"
#include "core/data_file.h"

static herr_t attr_num(hid_t loc, const char *name, double v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Awrite(a, H5T_NATIVE_DOUBLE, &v);
    H5Aclose(a);
    H5Sclose(sp);
    return e;
}

static herr_t attr_text(hid_t loc, const char *name, const char *v)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(v) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Awrite(a, t, v);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return e;
}

/* A dataset of `rank` dims: file type ft, memory type mt. */
static herr_t dataset(hid_t loc, const char *name, int rank, const hsize_t *dims, hid_t ft,
                      hid_t mt, const void *data, const char *help)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t d = H5Dcreate2(loc, name, ft, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = d < 0 ? -1 : H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (e >= 0)
        e = attr_text(d, "description", help);
    H5Dclose(d);
    H5Sclose(sp);
    return e;
}

/* One statistic per strategy and level: [strategies][levels]. */
#define STAT(name, expr, help)                                                                     \
    do {                                                                                           \
        for (int i = 0; i < ns * nl; i++) {                                                        \
            const mcr_backtest_stats *x = &b->stats[i];                                            \
            v[i] = (expr);                                                                         \
        }                                                                                          \
        e = e < 0 ? e : dataset(st, name, 2, sl, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, help);     \
    } while (0)

static herr_t write_stats(hid_t root, const mcr_backtest *b)
{
    int ns = b->n_strategies, nl = b->n_levels;
    hsize_t sl[2] = {(hsize_t)ns, (hsize_t)nl};
    double *v = malloc(sizeof(double) * (size_t)(ns * nl));
    hid_t st = H5Gcreate2(root, "statistics", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = v && st >= 0 ? 0 : -1;
    STAT("days", x->coverage.n, "forecast days");
    STAT("exceptions", x->coverage.exceptions, "days whose realised loss exceeded the VaR");
    STAT("expected", x->coverage.n * (1 - x->coverage.level), "days x (1 - level)");
    STAT("kupiec_lr", x->coverage.lr_pof, "Kupiec proportion-of-failures LR, chi2(1)");
    STAT("kupiec_p", x->coverage.p_pof, "p-value of kupiec_lr");
    STAT("christoffersen_lr", x->coverage.lr_ind, "Christoffersen independence LR, chi2(1)");
    STAT("christoffersen_p", x->coverage.p_ind, "p-value of christoffersen_lr");
    STAT("cc_lr", x->coverage.lr_cc, "conditional coverage LR = kupiec_lr + christoffersen_lr");
    STAT("cc_p", x->coverage.p_cc, "p-value of cc_lr, chi2(2)");
    STAT("basel_zone", x->zone_last, "Basel zone of the last 250 days: 0 green, 1 yellow, 2 red");
    STAT("basel_exceptions", x->exceptions_last, "exceptions in the last 250 days");
    STAT("zone_all", x->zone_all, "zone of all days' exceptions (binomial, any length)");
    STAT("windows_green", x->windows[0], "consecutive 250-day windows in the green zone");
    STAT("windows_yellow", x->windows[1], "consecutive 250-day windows in the yellow zone");
    STAT("windows_red", x->windows[2], "consecutive 250-day windows in the red zone");
    STAT("z2", x->z2, "Acerbi-Szekely Z2 of the ES forecasts (0 if right, < 0 understated)");
    STAT("z2_p", x->p_z2, "p-value of z2, simulated under the forecast distributions");
    free(v);
    if (st >= 0)
        H5Gclose(st);
    return e;
}

static herr_t write_contents(hid_t file, const mcr_backtest *b)
{
    int nd = b->n_days, ns = b->n_strategies, nl = b->n_levels;
    hid_t g = H5Gcreate2(file, "backtest", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    char **dates = malloc(sizeof(char *) * (size_t)nd), *buf = malloc((size_t)nd * 11);
    herr_t e = dates && buf ? 0 : -1;
    for (int d = 0; e >= 0 && d < nd; d++) {
        dates[d] = buf + 11 * d;
        mcr_date_format(b->day[d], dates[d]);
    }
    hid_t str = H5Tcopy(H5T_C_S1);
    H5Tset_size(str, 11);
    hsize_t dd[1] = {(hsize_t)nd}, sd[2] = {(hsize_t)ns, (hsize_t)nd},
            sld[3] = {(hsize_t)ns, (hsize_t)nl, (hsize_t)nd};
    hsize_t names[1] = {(hsize_t)ns}, levels[1] = {(hsize_t)nl};
    hid_t name_t = H5Tcopy(H5T_C_S1);
    H5Tset_size(name_t, MCR_NAME_MAX);
    e = e < 0 ? e : dataset(g, "date", 1, dd, str, str, buf, "forecast day t (YYYY-MM-DD)");
    e = e < 0 ? e : dataset(g, "spot", 1, dd, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, b->spot,
                            "the close S_t of the forecast day, quote currency");
    e = e < 0 ? e : dataset(g, "strategy", 1, names, name_t, name_t, b->strategy,
                            "the config's strategies, in order");
    e = e < 0 ? e : dataset(g, "level", 1, levels, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, b->levels,
                            "VaR and ES confidence levels");
    e = e < 0 ? e : dataset(g, "realised_pnl", 2, sd, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                            b->realised, "[strategy][day]: P&L of the book and its hedges on the "
                            "file's prices over the horizon from the day, quote currency");
    e = e < 0 ? e : dataset(g, "var", 3, sld, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, b->var,
                            "[strategy][level][day]: the day's VaR forecast, positive = loss");
    e = e < 0 ? e : dataset(g, "es", 3, sld, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, b->es,
                            "[strategy][level][day]: the day's expected shortfall forecast");
    e = e < 0 ? e : dataset(g, "exception", 3, sld, H5T_STD_U8LE, H5T_NATIVE_UCHAR, b->hit,
                            "[strategy][level][day]: 1 when -realised_pnl > var");
    hsize_t cd[3] = {(hsize_t)nd, (hsize_t)b->n_assets, (hsize_t)b->n_assets};
    if (b->correlation)
        e = e < 0 ? e : dataset(g, "correlation", 3, cd, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                b->correlation, "[day][asset][asset]: the correlation of the "
                                "assets' shocks refitted on the day's window of daily log "
                                "returns (identity rows: data models)");
    e = e < 0 ? e : write_stats(g, b);
    e = e < 0 ? e : attr_text(g, "model", b->model);
    e = e < 0 ? e : attr_text(g, "data", b->data);
    e = e < 0 ? e : attr_text(g, "column", b->column);
    e = e < 0 ? e : attr_text(g, "data_sha256", b->data_sha256);
    e = e < 0 ? e : attr_text(g, "isa", b->isa);
    e = e < 0 ? e : attr_text(g, "mcrisk_version", mcr_build_version());
    e = e < 0 ? e : attr_num(g, "horizon_days", b->horizon_days);
    e = e < 0 ? e : attr_num(g, "window", b->window);
    e = e < 0 ? e : attr_text(g, "refits", b->cold ? "cold" : "warm");
    e = e < 0 ? e : attr_num(g, "paths", (double)b->paths);
    e = e < 0 ? e : attr_num(g, "seed", (double)b->seed);
    e = e < 0 ? e : attr_text(g, "caveat", b->horizon_days > 1
                                  ? "overlapping horizons: consecutive outcomes share days, so "
                                    "the tests' p-values (which assume independent days) are "
                                    "only indicative"
                                  : "");
    H5Tclose(name_t);
    H5Tclose(str);
    free(dates);
    free(buf);
    H5Gclose(g);
    return e;
}

mcr_status mcr_backtest_write_h5(const char *path, const mcr_backtest *b, mcr_error *err)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE), file = -1;
    mcr_status st = MCR_OK;
    void *image = NULL;
    ssize_t n = -1;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (fapl >= 0 && fcpl >= 0 && H5Pset_fapl_core(fapl, 1 << 20, 0) >= 0 &&
        H5Pset_obj_track_times(fcpl, 0) >= 0)
        file = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    if (file < 0 || write_contents(file, b) < 0 || H5Fflush(file, H5F_SCOPE_GLOBAL) < 0 ||
        (n = H5Fget_file_image(file, NULL, 0)) < 0 || !(image = malloc((size_t)n + 1)) ||
        H5Fget_file_image(file, image, (size_t)n) != n)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot build the HDF5 backtest file", path);
    if (file >= 0)
        H5Fclose(file);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    mcr_atomic_file af;
    if (st == MCR_OK && (st = mcr_atomic_begin(&af, path, "file", err)) == MCR_OK) {
        st = mcr_atomic_write(&af, image, (size_t)n, err);
        st = st == MCR_OK ? mcr_atomic_commit(&af, err) : (mcr_atomic_abort(&af), st);
    }
    free(image);
    return st;
}

/* ---- the plot ---- */

#define W 1000.0
#define H 420.0
#define PAD 50.0

static int append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
        va_end(ap);
        if (k < 0)
            return -1;
        if ((size_t)k < *cap - *len) {
            *len += (size_t)k;
            return 0;
        }
        char *nb = realloc(*buf, *cap * 2 + (size_t)k);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = *cap * 2 + (size_t)k;
    }
}

mcr_status mcr_backtest_write_svg(const char *path, const mcr_backtest *b, int s, int l,
                                  mcr_error *err)
{
    int nd = b->n_days;
    const double *pnl = b->realised + (size_t)s * nd, *var = b->var + ((size_t)s * b->n_levels + l) * nd;
    const unsigned char *hit = b->hit + ((size_t)s * b->n_levels + l) * nd;
    double lo = 0, hi = 0;
    for (int d = 0; d < nd; d++) {
        lo = fmin(lo, fmin(pnl[d], -var[d]));
        hi = fmax(hi, fmax(pnl[d], -var[d]));
    }
    if (hi <= lo)
        hi = lo + 1;
#define X(d) (PAD + (W - 2 * PAD) * (nd > 1 ? (double)(d) / (nd - 1) : 0.5))
#define Y(v) (H - PAD - (H - 2 * PAD) * ((v) - lo) / (hi - lo))
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap), a[11], z[11];
    int e = buf ? 0 : -1;
    mcr_date_format(b->day[0], a);
    mcr_date_format(b->day[nd - 1], z);
    e = e ? e : append(&buf, &len, &cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" "
                       "height=\"%g\" font-family=\"sans-serif\" font-size=\"12\">\n"
                       "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                       "<text x=\"%g\" y=\"20\">%s, %s model: realised %d-day P&amp;L (grey) "
                       "against -VaR %g%% (blue); exceptions (red): %d of %d days</text>\n"
                       "<text x=\"%g\" y=\"%g\">%s</text><text x=\"%g\" y=\"%g\" "
                       "text-anchor=\"end\">%s</text>\n", W, H, PAD, b->strategy[s], b->model,
                       b->horizon_days, 100 * b->levels[l],
                       b->stats[s * b->n_levels + l].coverage.exceptions, nd, PAD, H - PAD + 18,
                       a, W - PAD, H - PAD + 18, z);
    e = e ? e : append(&buf, &len, &cap, "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" "
                       "stroke=\"black\" stroke-width=\"0.5\"/>\n", PAD, Y(0.0), W - PAD, Y(0.0));
    const char *series[2] = {"#999999", "#1f5fbf"};
    for (int k = 0; k < 2; k++) {
        e = e ? e : append(&buf, &len, &cap, "<polyline fill=\"none\" stroke=\"%s\" "
                           "stroke-width=\"0.7\" points=\"", series[k]);
        for (int d = 0; !e && d < nd; d++)
            e = append(&buf, &len, &cap, "%.1f,%.1f ", X(d), Y(k ? -var[d] : pnl[d]));
        e = e ? e : append(&buf, &len, &cap, "\"/>\n");
    }
    for (int d = 0; !e && d < nd; d++)
        if (hit[d])
            e = append(&buf, &len, &cap, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                       "fill=\"red\"/>\n", X(d), Y(pnl[d]));
    e = e ? e : append(&buf, &len, &cap, "</svg>\n");
#undef X
#undef Y
    mcr_status st = e ? mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory for the plot", path)
                      : MCR_OK;
    mcr_atomic_file af;
    if (st == MCR_OK && (st = mcr_atomic_begin(&af, path, "plot", err)) == MCR_OK) {
        st = mcr_atomic_write(&af, buf, len, err);
        st = st == MCR_OK ? mcr_atomic_commit(&af, err) : (mcr_atomic_abort(&af), st);
    }
    free(buf);
    return st;
}
