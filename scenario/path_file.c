/* CSV price paths for replay: parsing, shape and value checks with file:line:column messages. The
 * file is read whole and bounded (text_file.h: limits, NUL bytes, byte-order mark, line ends). */
#include "path_file.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text_file.h"

#define MCR_SPOT_RTOL 1e-9

/* A header's first field (its quotes trimmed) starts with anything a number cannot start with;
 * "0x64" is a (bad) number, not a header. */
static bool is_header(const mcr_field *first)
{
    return first->n == 0 || strchr("0123456789+-.", first->s[0]) == NULL;
}

static uint64_t count_cells(const char *s, size_t n)
{
    uint64_t k = 1;
    for (size_t i = 0; i < n; i++)
        k += s[i] == ',';
    return k;
}

/* The cells of row `row` into out[0 .. n-1]. */
static mcr_status parse_row(const mcr_text *t, const mcr_field *f, uint64_t n, long row,
                            double spot, double *out, mcr_error *err)
{
    for (uint64_t col = 0; col < n; col++) {
        unsigned long long c = (unsigned long long)col + 1;
        const char *cell = f[col].s;
        int len = (int)f[col].n;
        if (len == 0)
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %llu: empty cell; allowed: a "
                            "price > 0", t->path, t->line, c);
        char num[64];
        double v = NAN;
        if (mcr_text_is_decimal(cell, (size_t)len) && len < (int)sizeof num) {
            memcpy(num, cell, (size_t)len);
            num[len] = '\0';
            v = strtod(num, NULL);
        }
        if (!isfinite(v))
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %llu: not a number (got "
                            "\"%.*s\"); allowed: a price > 0, in decimal", t->path, t->line, c,
                            len > 40 ? 40 : len, cell);
        if (!(v > 0))
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %llu: price must be > 0 (got "
                            "%s)", t->path, t->line, c, num);
        if (v < MCR_PRICE_MIN || v > MCR_PRICE_MAX)
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %llu: price %s out of range; "
                            "allowed: %g to %g", t->path, t->line, c, num,
                            MCR_PRICE_MIN, MCR_PRICE_MAX);
        if (row == 0 && !(fabs(v - spot) <= MCR_SPOT_RTOL * spot))
            return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: column %llu: the first row is the price "
                            "at t = 0 and must equal the asset's spot %.17g (got %s)", t->path,
                            t->line, c, spot, num);
        out[col] = v;
    }
    return MCR_OK;
}

/* Row 0 (the first data line): the width, and the arrays sized by it. */
static mcr_status first_row(const mcr_text *t, const char *s, size_t len, long rows,
                            uint64_t *width, double **prices, mcr_field **f, mcr_error *err)
{
    uint64_t n = count_cells(s, len);
    if (n > SIZE_MAX / sizeof(double) / (uint64_t)rows || n > INT32_MAX)
        return mcr_fail(err, MCR_ERR_INPUT, "%s:%d: too many columns (%llu)", t->path, t->line,
                        (unsigned long long)n);
    *width = n;
    *prices = malloc((size_t)(n * (uint64_t)rows) * sizeof **prices);
    *f = malloc((size_t)(n + 1) * sizeof **f);
    if (!*prices || !*f)
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory for %ld x %llu prices", t->path,
                        rows, (unsigned long long)n);
    return MCR_OK;
}

static mcr_status read_rows(mcr_text *t, int steps, double spot, double **prices,
                            uint64_t *n_paths, mcr_error *err)
{
    const long rows = (long)steps + 1;
    uint64_t width = 0;
    long row = 0, first_line = 0;
    bool header = false;
    mcr_field *f = NULL, head;
    const char *s;
    size_t len;
    mcr_status st = MCR_OK;
    while (st == MCR_OK && mcr_text_next_line(t, &s, &len)) {
        if (len > MCR_PATH_FILE_MAX_LINE) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: line is %zu bytes; the limit is %d",
                          t->path, t->line, len, MCR_PATH_FILE_MAX_LINE);
            break;
        }
        if (mcr_text_blank(s, len))
            continue;
        if (row == 0 && !header) {
            const char *comma = memchr(s, ',', len);
            if (mcr_text_split(t, s, comma ? (size_t)(comma - s) : len, &head, 1, err) < 0) {
                st = err->status;
                break;
            }
            if ((header = is_header(&head)))
                continue;
        }
        header = true; /* only the first line may be one */
        if (row == 0) {
            first_line = t->line;
            st = first_row(t, s, len, rows, &width, prices, &f, err);
            if (st != MCR_OK)
                break;
        }
        uint64_t n = count_cells(s, len);
        if (n != width) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: %llu column%s, but the first row (line %ld) "
                          "has %llu; every row needs one price per path", t->path, t->line,
                          (unsigned long long)n, n == 1 ? "" : "s", first_line,
                          (unsigned long long)width);
            break;
        }
        if (row == rows) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: more than steps + 1 = %ld price rows; "
                          "allowed: row 0 = the price at t = 0, then one row per step "
                          "(horizon.steps = %d)", t->path, t->line, rows, steps);
            break;
        }
        if (mcr_text_split(t, s, len, f, (int)width, err) < 0)
            st = err->status;
        if (st == MCR_OK)
            st = parse_row(t, f, width, row, spot, *prices + (size_t)row * width, err);
        row++;
    }
    free(f);
    if (st == MCR_OK && row < rows) {
        char where[32] = "";
        if (t->line > 0) /* the last line; an empty file has none */
            snprintf(where, sizeof where, ":%d", t->line);
        st = mcr_fail(err, MCR_ERR_INPUT, "%s%s: only %ld price row%s; needs steps + 1 = %ld "
                      "(row 0 = the price at t = 0, then one row per step, horizon.steps = %d)",
                      t->path, where, row, row == 1 ? "" : "s", rows, steps);
    }
    *n_paths = width;
    return st;
}

mcr_status mcr_path_file_load(const char *path, int steps, double spot, double **prices,
                              uint64_t *n_paths, char sha256[MCR_SHA256_HEX], mcr_error *err)
{
    *prices = NULL;
    *n_paths = 0;
    if (steps < 1 || !(spot > 0))
        return mcr_fail(err, MCR_ERR_INTERNAL, "%s: bad arguments (steps %d, spot %g)", path,
                        steps, spot);
    mcr_text t;
    mcr_status st = mcr_text_read(&t, path, "path file", MCR_PATH_FILE_MAX_BYTES, err);
    if (st == MCR_OK)
        st = read_rows(&t, steps, spot, prices, n_paths, err);
    if (st == MCR_OK && sha256)
        memcpy(sha256, t.sha256, MCR_SHA256_HEX);
    mcr_text_free(&t);
    if (st != MCR_OK) {
        free(*prices);
        *prices = NULL;
        *n_paths = 0;
    }
    return st;
}
