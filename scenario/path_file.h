/* Replayed price paths (config key market.assets[].path_file): a CSV of prices on the step grid,
 * one row per step and one column per path, read into the layout the engine replays. For
 * historical replays and for exact tests on known paths. */
#ifndef MCR_PATH_FILE_H
#define MCR_PATH_FILE_H

#include <stdint.h>

#include "core/status.h"

/* Reads the CSV at PATH: steps + 1 rows of comma-separated prices > 0, all rows as wide as the
 * first; row 0 is the price at t = 0 and must equal `spot` to 1e-9 relative in every column,
 * row t the price after step t. One column per path. An optional first line that does not start
 * with a number (a header) is skipped; blank lines are ignored; cells may be padded with spaces
 * and lines may end in CRLF.
 * On success *prices (malloc'd; the caller frees it) holds prices[t * n_paths + p] for
 * t = 0..steps, and *n_paths the number of columns. On failure *prices is NULL and err->msg is
 * one line naming the file, the line and, for a cell, the column (counted from 1):
 * "FILE:LINE: column C: what is wrong". Unreadable files give MCR_ERR_IO, bad content
 * MCR_ERR_INPUT. */
mcr_status mcr_path_file_load(const char *path, int steps, double spot, double **prices,
                              uint64_t *n_paths, mcr_error *err);

#endif
