/* Replayed price paths (config key market.assets[].path_file): a CSV of prices on the step grid,
 * one row per step and one column per path, read into the layout the engine replays. For
 * historical replays and for exact tests on known paths. */
#ifndef MCR_PATH_FILE_H
#define MCR_PATH_FILE_H

#include <stdint.h>

#include "config/config.h"
#include "core/sha256.h"
#include "core/status.h"

/* Bounds: a larger file or a longer line is refused. */
#define MCR_PATH_FILE_MAX_BYTES (1L << 30)
#define MCR_PATH_FILE_MAX_LINE (1 << 24)

/* Reads the CSV at PATH: steps + 1 rows of comma-separated prices > 0, all rows as wide as the
 * first; row 0 is the price at t = 0 and must equal `spot` to 1e-9 relative in every column,
 * row t the price after step t. One column per path. An optional first line whose first field
 * (double quotes removed) does not start with a digit, sign or point is a header and skipped;
 * blank lines are ignored; cells may be padded with spaces or double-quoted. The file is read as
 * text_file.h says (a regular file of at most MCR_PATH_FILE_MAX_BYTES, no NUL byte, a UTF-8
 * byte-order mark skipped, lines ending in LF, CRLF or a lone CR); lines are at most
 * MCR_PATH_FILE_MAX_LINE bytes; prices are plain decimals (no hexadecimal, inf or nan) in
 * [MCR_PRICE_MIN, MCR_PRICE_MAX] (config.h).
 * On success *prices (malloc'd; the caller frees it) holds prices[t * n_paths + p] for
 * t = 0..steps, and *n_paths the number of columns. On failure *prices is NULL and err->msg is
 * one line naming the file, the line and, for a cell, the column (counted from 1):
 * "FILE:LINE: column C: what is wrong", all MCR_ERR_INPUT (a missing file too) but for a read
 * error. sha256 (or NULL): the SHA-256 of the file's bytes, for provenance. */
mcr_status mcr_path_file_load(const char *path, int steps, double spot, double **prices,
                              uint64_t *n_paths, char sha256[MCR_SHA256_HEX], mcr_error *err);

#endif
