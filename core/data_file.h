/* Daily data files: a CSV with a `date` column (YYYY-MM-DD) and named numeric columns (open, high,
 * low, close, volume..., or one column per asset). Loaded once, validated strictly, kept as day
 * numbers plus one array per column; then date ranges, daily log returns and the alignment of
 * several files on their common dates. Never used inside a per-step loop.
 *
 * Every error is one line "FILE:LINE: column C: what is wrong" (or "FILE: ..." when it is not about
 * one line), ready to print after "mcrisk: ". */
#ifndef MCR_DATA_FILE_H
#define MCR_DATA_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/status.h"

#define MCR_DATA_MAX_BYTES (256L << 20) /* a file larger than this is refused */
#define MCR_DATA_MAX_LINE 4096          /* bytes per line, line end excluded */
#define MCR_DATA_MAX_COLUMNS 256
#define MCR_DATA_MAX_NAME 64            /* bytes per column name, NUL included */

/* Day numbers: days since 1970-01-01 (proleptic Gregorian), so consecutive days differ by 1. */
bool mcr_date_parse(const char *s, int32_t *day);      /* exactly YYYY-MM-DD, a real date */
void mcr_date_format(int32_t day, char out[11]);       /* "YYYY-MM-DD" */

typedef struct mcr_data_file {
    char path[512];
    int n_rows;
    int n_cols;
    int32_t *day;                      /* [n_rows], strictly increasing */
    char (*names)[MCR_DATA_MAX_NAME];  /* [n_cols], in the order asked for (or the file's) */
    double **col;                      /* col[j][i]: column j on row i */
} mcr_data_file;

/* Load `path`. columns: the names to keep, in this order (n_columns > 0), or NULL / 0 for every
 * column after `date`. Rules, each failure naming file, line and column:
 * - optional UTF-8 byte-order mark; header fields may be double-quoted ("date","close");
 * - line ends \n, \r\n or a lone \r (old Mac files) are all accepted;
 * - NUL bytes, lines over MCR_DATA_MAX_LINE bytes, files over MCR_DATA_MAX_BYTES and rows with
 *   the wrong number of fields are errors; blank lines are allowed only at the end;
 * - `date` is YYYY-MM-DD, dates strictly increasing (gaps are allowed: see mcr_data_file_gap);
 * - numbers are plain decimals ([sign] digits [. digits] [e [sign] digits]): hexadecimal, inf,
 *   nan and empty fields are errors; a column named volume... must be >= 0, every other kept
 *   column is a price and must be > 0. Columns not kept are not parsed. */
mcr_status mcr_data_file_load(const char *path, const char *const *columns, int n_columns,
                              mcr_data_file *out, mcr_error *err);
void mcr_data_file_free(mcr_data_file *d);

/* The same reader for a table without dates (an option chain: strike, expiry_days,
 * implied_vol): the same rules, but no `date` column is needed and rows are in any order
 * (day[] is left all 0). */
mcr_status mcr_table_load(const char *path, const char *const *columns, int n_columns,
                          mcr_data_file *out, mcr_error *err);

/* Index of the column named `name`, or -1. */
int mcr_data_file_column(const mcr_data_file *d, const char *name);

/* Rows with from <= day <= to: *first and *count (count may be 0). */
void mcr_data_file_range(const mcr_data_file *d, int32_t from, int32_t to, int *first, int *count);

/* Row index of the last day <= `day`, or -1 when every row is later. */
int mcr_data_file_row_at_or_before(const mcr_data_file *d, int32_t day);

/* The first gap (two consecutive rows more than one day apart) among rows [first, first + count):
 * returns the row index i such that day[i] - day[i-1] > 1, or -1 if there is none. */
int mcr_data_file_gap(const mcr_data_file *d, int first, int count);

/* n - 1 log returns ln(p[i+1] / p[i]) of n prices (all > 0, as the loader guarantees). */
void mcr_log_returns(const double *p, int n, double *out);

/* Align files on the dates they all have. On success *n_days common days (strictly increasing)
 * are in *days (malloc'd) and rows[f] (malloc'd, n_days each) gives file f's row of every common
 * day; the caller frees *days and each rows[f]. No common day is an error naming the files. */
mcr_status mcr_data_align(const mcr_data_file *const *files, int n_files, int32_t **days,
                          int *n_days, int **rows, mcr_error *err);

#endif
