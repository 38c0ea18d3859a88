/* `mcrisk report OUT.h5 --plots DIR` and `--html FILE`: plots and the HTML report of a result
 * file, made by the Python package python/mcrisk with Debian's python3-matplotlib. */
#ifndef MCR_PLOTS_H
#define MCR_PLOTS_H

#include "core/status.h"

/* Write the plots of result file `h5_path` into directory `dir` (created if missing) as `format`
 * (png or svg; NULL: png). Fails with a one-line message naming what is missing (the
 * interpreter, a Python package, the directory). */
mcr_status mcr_plots_write(const char *h5_path, const char *dir, const char *format,
                           mcr_error *err);

/* Write the self-contained HTML report of `h5_path` to `html_path`, plots embedded as `format`
 * (svg or png; NULL: svg). */
mcr_status mcr_plots_html(const char *h5_path, const char *html_path, const char *format,
                          mcr_error *err);

/* Draw the hedge-cost / CVaR frontier of `h5_path` (report --frontier) as DIR/frontier.FORMAT. */
mcr_status mcr_plots_frontier(const char *h5_path, const char *dir, const char *format,
                              mcr_error *err);

#endif
