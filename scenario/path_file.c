/* CSV price paths for replay: parsing, shape and value checks with file:line:column messages. */
#include "path_file.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MCR_SPOT_RTOL 1e-9

typedef struct csv_reader {
    const char *path;
    FILE *f;
    char *line;
    size_t cap;
    long line_no;
} csv_reader;

/* The next line without its end (LF or CRLF): its length, or -1 at the end of the file. */
static long next_line(csv_reader *r)
{
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0)
        return -1;
    r->line_no++;
    while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
        r->line[--n] = '\0';
    return (long)n;
}

static bool is_blank(const char *s) { return s[strspn(s, " \t")] == '\0'; }

/* A header starts with anything a number cannot start with. */
static bool is_header(const char *s)
{
    s += strspn(s, " \t");
    return strchr("0123456789+-.", *s) == NULL;
}

static uint64_t count_cells(const char *s)
{
    uint64_t n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

/* Parses the cells of row `row` into out[0 .. n-1]. */
static mcr_status parse_row(const csv_reader *r, char *s, uint64_t n, int row, double spot,
                            double *out, mcr_error *err)
{
    for (uint64_t col = 0; col < n; col++) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        char *cell = s + strspn(s, " \t"), *end = cell + strlen(cell);
        while (end > cell && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        unsigned long long c = (unsigned long long)col + 1;
        if (*cell == '\0')
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%ld: column %llu: empty cell; allowed: a "
                            "price > 0", r->path, r->line_no, c);
        char *stop;
        double v = strtod(cell, &stop);
        if (stop != end || !isfinite(v))
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%ld: column %llu: not a number (got "
                            "\"%.40s\"); allowed: a price > 0", r->path, r->line_no, c, cell);
        if (!(v > 0))
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%ld: column %llu: price must be > 0 (got "
                            "%s)", r->path, r->line_no, c, cell);
        if (row == 0 && !(fabs(v - spot) <= MCR_SPOT_RTOL * spot))
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%ld: column %llu: the first row is the price "
                            "at t = 0 and must equal the asset's spot %.17g (got %s)", r->path,
                            r->line_no, c, spot, cell);
        out[col] = v;
        s = comma ? comma + 1 : end;
    }
    return MCR_OK;
}

static mcr_status read_rows(csv_reader *r, int steps, double spot, double **prices,
                            uint64_t *n_paths, mcr_error *err)
{
    const long rows = (long)steps + 1;
    uint64_t width = 0;
    long row = 0, header_line = 0, first_line = 0;
    long len;
    while ((len = next_line(r)) >= 0) {
        if (is_blank(r->line))
            continue;
        if (row == 0 && header_line == 0 && is_header(r->line)) {
            header_line = r->line_no;
            continue;
        }
        uint64_t n = count_cells(r->line);
        if (row == 0) {
            if (n > SIZE_MAX / sizeof(double) / (uint64_t)rows)
                return mcr_fail(err, MCR_ERR_NOMEM, "%s:%ld: too many columns (%llu)", r->path,
                                r->line_no, (unsigned long long)n);
            width = n;
            first_line = r->line_no;
            *prices = malloc((size_t)(width * (uint64_t)rows) * sizeof **prices);
            if (!*prices)
                return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory for %ld x %llu prices",
                                r->path, rows, (unsigned long long)width);
        } else if (n != width) {
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%ld: %llu column%s, but the first row "
                            "(line %ld) has %llu; every row needs one price per path", r->path,
                            r->line_no, (unsigned long long)n, n == 1 ? "" : "s", first_line,
                            (unsigned long long)width);
        }
        if (row == rows)
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%ld: more than steps + 1 = %ld price rows; "
                            "allowed: row 0 = the price at t = 0, then one row per step "
                            "(horizon.steps = %d)", r->path, r->line_no, rows, steps);
        mcr_status st = parse_row(r, r->line, width, (int)row, spot,
                                  *prices + (size_t)row * width, err);
        if (st != MCR_OK)
            return st;
        row++;
    }
    if (ferror(r->f))
        return mcr_fail(err, MCR_ERR_IO, "%s:%ld: read error: %s", r->path, r->line_no + 1,
                        strerror(errno ? errno : EIO));
    if (row < rows) {
        char where[32] = "";
        if (r->line_no > 0) /* the last line; an empty file has none */
            snprintf(where, sizeof where, ":%ld", r->line_no);
        return mcr_fail(err, MCR_ERR_INPUT, "%s%s: only %ld price row%s; needs steps + 1 = %ld "
                        "(row 0 = the price at t = 0, then one row per step, horizon.steps = "
                        "%d)", r->path, where, row, row == 1 ? "" : "s", rows, steps);
    }
    *n_paths = width;
    return MCR_OK;
}

mcr_status mcr_path_file_load(const char *path, int steps, double spot, double **prices,
                              uint64_t *n_paths, mcr_error *err)
{
    *prices = NULL;
    *n_paths = 0;
    if (steps < 1 || !(spot > 0))
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s: bad arguments (steps %d, spot %g)", path,
                        steps, spot);
    csv_reader r = {.path = path};
    errno = 0;
    r.f = fopen(path, "r");
    if (!r.f)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot read path file: %s", path,
                        strerror(errno ? errno : EIO));
    mcr_status st = read_rows(&r, steps, spot, prices, n_paths, err);
    free(r.line);
    fclose(r.f);
    if (st != MCR_OK) {
        free(*prices);
        *prices = NULL;
        *n_paths = 0;
    }
    return st;
}
