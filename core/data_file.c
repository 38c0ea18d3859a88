/* The daily CSV reader (data_file.h): the whole file is read into memory once (it is bounded),
 * checked for NUL bytes, then split into lines and fields. Strict on purpose: a risk number built
 * on a silently mis-parsed price is worse than an error. */
#include "data_file.h"

#include "text_file.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- dates (H. Hinnant, "chrono-compatible low-level date algorithms": days_from_civil) */

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

static bool parse_date_n(const char *s, size_t n, int32_t *day)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *day = days_from_civil(y, m, d);
    return true;
}

bool mcr_date_parse(const char *s, int32_t *day)
{
    return s && parse_date_n(s, strlen(s), day);
}

void mcr_date_format(int32_t day, char out[11])
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

static bool is_volume(const char *name)
{
    return strncasecmp(name, "volume", 6) == 0;
}

void mcr_data_file_free(mcr_data_file *d)
{
    if (d->col)
        for (int j = 0; j < d->n_cols; j++)
            free(d->col[j]);
    free(d->col);
    free(d->day);
    free(d->names);
    memset(d, 0, sizeof *d);
}

/* The header: finds `date`, checks names, maps kept columns to file fields (src[j]). */
static mcr_status read_header(mcr_text *t, const char *const *columns, int n_columns, bool dated,
                              mcr_data_file *d, int *n_fields, int *date_field, int *src,
                              mcr_error *err)
{
    const char *s;
    size_t n;
    if (!mcr_text_next_line(t, &s, &n) || mcr_text_blank(s, n))
        return mcr_fail(err, MCR_ERR_INPUT, "%s:1: no header line (expected date,<columns>)",
                        t->path);
    if (n > MCR_DATA_MAX_LINE)
        return mcr_fail(err, MCR_ERR_INPUT, "%s:1: line is %zu bytes; the limit is %d", t->path,
                        n, MCR_DATA_MAX_LINE);
    mcr_field f[MCR_DATA_MAX_COLUMNS + 1];
    int k = mcr_text_split(t, s, n, f, MCR_DATA_MAX_COLUMNS + 1, err);
    if (k < 0)
        return err->status;
    char names[MCR_DATA_MAX_COLUMNS + 1][MCR_DATA_MAX_NAME];
    *date_field = -1;
    for (int i = 0; i < k; i++) {
        if (f[i].n == 0 || f[i].n >= MCR_DATA_MAX_NAME)
            return mcr_fail(err, MCR_ERR_INPUT, "%s:1: header field %d: column names must be 1 "
                            "to %d bytes", t->path, i + 1, MCR_DATA_MAX_NAME - 1);
        memcpy(names[i], f[i].s, f[i].n);
        names[i][f[i].n] = '\0';
        for (int j = 0; j < i; j++)
            if (!strcmp(names[i], names[j]))
                return mcr_fail(err, MCR_ERR_INPUT, "%s:1: column '%s' appears twice", t->path,
                                names[i]);
        if (dated && !strcasecmp(names[i], "date")) {
            if (*date_field >= 0)
                return mcr_fail(err, MCR_ERR_INPUT, "%s:1: two date columns", t->path);
            *date_field = i;
        }
    }
    if (dated && *date_field < 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s:1: no 'date' column in the header (expected "
                        "date,<columns>)", t->path);
    if (k < (dated ? 2 : 1))
        return mcr_fail(err, MCR_ERR_INPUT, "%s:1: no data column besides 'date'", t->path);
    int keep = columns && n_columns > 0 ? n_columns : k - dated;
    d->names = calloc((size_t)keep, sizeof *d->names);
    d->col = calloc((size_t)keep, sizeof *d->col);
    if (!d->names || !d->col)
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", t->path);
    d->n_cols = keep;
    for (int j = 0, i = 0; j < keep; j++) {
        if (columns && n_columns > 0) {
            src[j] = -1;
            for (int c = 0; c < k; c++)
                if (c != *date_field && !strcmp(names[c], columns[j]))
                    src[j] = c;
            if (src[j] < 0) {
                char list[1024] = "";
                for (int c = 0; c < k; c++)
                    if (c != *date_field && strlen(list) + strlen(names[c]) + 3 < sizeof list)
                        strcat(strcat(list, *list ? ", " : ""), names[c]);
                return mcr_fail(err, MCR_ERR_INPUT, "%s:1: no column '%s'; columns: %s", t->path,
                                columns[j], list);
            }
        } else {
            if (i == *date_field)
                i++;
            src[j] = i++;
        }
        snprintf(d->names[j], MCR_DATA_MAX_NAME, "%s", names[src[j]]);
    }
    *n_fields = k;
    return MCR_OK;
}

static mcr_status load(const char *path, const char *const *columns, int n_columns, bool dated,
                       mcr_data_file *out, mcr_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    mcr_text t;
    mcr_status st = mcr_text_read(&t, path, "data file", MCR_DATA_MAX_BYTES, err);
    if (st != MCR_OK)
        return st;
    int n_fields = 0, date_field = -1, src[MCR_DATA_MAX_COLUMNS];
    st = read_header(&t, columns, n_columns, dated, out, &n_fields, &date_field, src, err);
    /* rows <= line ends + 1 */
    size_t cap = 1;
    for (size_t i = t.pos; i < t.len; i++)
        cap += t.buf[i] == '\n' || (t.buf[i] == '\r' && t.buf[i + 1] != '\n');
    if (st == MCR_OK) {
        out->day = malloc(cap * sizeof *out->day);
        for (int j = 0; j < out->n_cols && out->day; j++)
            if (!(out->col[j] = malloc(cap * sizeof(double))))
                st = mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", path);
        if (!out->day)
            st = mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", path);
    }
    mcr_field *f = st == MCR_OK ? malloc((size_t)(n_fields + 1) * sizeof *f) : NULL;
    if (st == MCR_OK && !f)
        st = mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory", path);
    const char *s;
    size_t n;
    int blank_line = 0; /* the first blank line seen, allowed only if nothing follows it */
    while (st == MCR_OK && mcr_text_next_line(&t, &s, &n)) {
        if (n > MCR_DATA_MAX_LINE) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: line is %zu bytes; the limit is %d", path,
                          t.line, n, MCR_DATA_MAX_LINE);
            break;
        }
        if (mcr_text_blank(s, n)) {
            if (!blank_line)
                blank_line = t.line;
            continue;
        }
        if (blank_line) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: empty line inside the data", path,
                          blank_line);
            break;
        }
        int k = mcr_text_split(&t, s, n, f, n_fields + 1, err);
        if (k < 0) {
            st = err->status;
            break;
        }
        if (k != n_fields) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: %d fields; the header has %d", path,
                          t.line, k, n_fields);
            break;
        }
        int r = out->n_rows;
        mcr_field df = dated ? f[date_field] : (mcr_field){"1970-01-01", 10};
        if (!parse_date_n(df.s, df.n, &out->day[r])) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column date: '%.*s' is not a date "
                          "YYYY-MM-DD", path, t.line, (int)(df.n > 40 ? 40 : df.n), df.s);
            break;
        }
        if (dated && r > 0 && out->day[r] <= out->day[r - 1]) {
            char a[11], b[11];
            mcr_date_format(out->day[r - 1], a);
            mcr_date_format(out->day[r], b);
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column date: %s is not after the previous "
                          "row's %s; dates must be strictly increasing", path, t.line, b, a);
            break;
        }
        for (int j = 0; j < out->n_cols; j++) {
            mcr_field v = f[src[j]];
            int shown = (int)(v.n > 40 ? 40 : v.n);
            char num[MCR_DATA_MAX_LINE + 1];
            if (!mcr_text_is_decimal(v.s, v.n)) {
                st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %s: '%.*s' is not a decimal "
                              "number (hexadecimal, inf, nan and empty fields are refused)",
                              path, t.line, out->names[j], shown, v.s);
                break;
            }
            memcpy(num, v.s, v.n);
            num[v.n] = '\0';
            double x = strtod(num, NULL);
            bool volume = is_volume(out->names[j]);
            if (!isfinite(x) || (volume ? x < 0 : !(x > 0))) {
                st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %s: %s must be a finite number "
                              "%s", path, t.line, out->names[j], num,
                              volume ? ">= 0 (a volume)" : "> 0 (a price)");
                break;
            }
            out->col[j][r] = x;
        }
        out->n_rows += st == MCR_OK;
    }
    if (st == MCR_OK && out->n_rows == 0)
        st = mcr_fail(err, MCR_ERR_INPUT, "%s: no data rows after the header", path);
    free(f);
    mcr_text_free(&t);
    if (st != MCR_OK)
        mcr_data_file_free(out);
    return st;
}

mcr_status mcr_data_file_load(const char *path, const char *const *columns, int n_columns,
                              mcr_data_file *out, mcr_error *err)
{
    return load(path, columns, n_columns, true, out, err);
}

mcr_status mcr_table_load(const char *path, const char *const *columns, int n_columns,
                          mcr_data_file *out, mcr_error *err)
{
    return load(path, columns, n_columns, false, out, err);
}

int mcr_data_file_column(const mcr_data_file *d, const char *name)
{
    for (int j = 0; j < d->n_cols; j++)
        if (!strcmp(d->names[j], name))
            return j;
    return -1;
}

/* First row with day >= x (n_rows if none). */
static int lower_bound(const mcr_data_file *d, int32_t x)
{
    int lo = 0, hi = d->n_rows;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (d->day[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void mcr_data_file_range(const mcr_data_file *d, int32_t from, int32_t to, int *first, int *count)
{
    int a = lower_bound(d, from);
    int b = to < INT32_MAX ? lower_bound(d, to + 1) : d->n_rows;
    *first = a;
    *count = b > a ? b - a : 0;
}

int mcr_data_file_row_at_or_before(const mcr_data_file *d, int32_t day)
{
    return (day < INT32_MAX ? lower_bound(d, day + 1) : d->n_rows) - 1;
}

int mcr_data_file_gap(const mcr_data_file *d, int first, int count)
{
    for (int i = first + 1; i < first + count; i++)
        if (d->day[i] - d->day[i - 1] > 1)
            return i;
    return -1;
}

void mcr_log_returns(const double *p, int n, double *out)
{
    for (int i = 0; i + 1 < n; i++)
        out[i] = log(p[i + 1] / p[i]);
}

mcr_status mcr_data_align(const mcr_data_file *const *files, int n_files, int32_t **days,
                          int *n_days, int **rows, mcr_error *err)
{
    *days = NULL;
    *n_days = 0;
    if (n_files < 1)
        return mcr_fail(err, MCR_ERR_INPUT, "align: no data files given");
    int cap = files[0]->n_rows;
    int32_t *dd = malloc((size_t)cap * sizeof *dd);
    int *pos = calloc((size_t)n_files, sizeof *pos);
    for (int f = 0; f < n_files; f++)
        rows[f] = malloc((size_t)(cap > 0 ? cap : 1) * sizeof(int));
    bool ok = dd && pos;
    for (int f = 0; f < n_files; f++)
        ok = ok && rows[f];
    if (!ok) {
        free(dd);
        free(pos);
        for (int f = 0; f < n_files; f++)
            free(rows[f]), rows[f] = NULL;
        return mcr_fail(err, MCR_ERR_NOMEM, "align: out of memory");
    }
    int n = 0;
    for (;;) {
        /* the largest current day; advance every file to it; equal everywhere -> common day */
        int32_t hi = INT32_MIN;
        bool done = false;
        for (int f = 0; f < n_files; f++) {
            if (pos[f] >= files[f]->n_rows) {
                done = true;
                break;
            }
            if (files[f]->day[pos[f]] > hi)
                hi = files[f]->day[pos[f]];
        }
        if (done)
            break;
        bool all = true;
        for (int f = 0; f < n_files; f++) {
            while (pos[f] < files[f]->n_rows && files[f]->day[pos[f]] < hi)
                pos[f]++;
            all = all && pos[f] < files[f]->n_rows && files[f]->day[pos[f]] == hi;
        }
        if (all) {
            dd[n] = hi;
            for (int f = 0; f < n_files; f++)
                rows[f][n] = pos[f]++;
            n++;
        }
    }
    free(pos);
    if (n == 0) {
        free(dd);
        for (int f = 0; f < n_files; f++)
            free(rows[f]), rows[f] = NULL;
        return mcr_fail(err, MCR_ERR_INPUT, "%s and %s%s: no date in common", files[0]->path,
                        files[n_files > 1 ? 1 : 0]->path, n_files > 2 ? " (and others)" : "");
    }
    *days = dd;
    *n_days = n;
    return MCR_OK;
}
