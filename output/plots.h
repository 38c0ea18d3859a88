/* `mcrisk report OUT.h5 --plots DIR`: PNG plots of a result file, drawn by the Python module
 * tools/mcrisk_plots.py with Debian's python3-matplotlib and python3-h5py. */
#ifndef MCR_PLOTS_H
#define MCR_PLOTS_H

#include "core/status.h"

/* Write the plots of result file `h5_path` into directory `dir` (created if missing). Fails with
 * a one-line message naming what is missing (the interpreter, a Python package, the directory). */
mcr_status mcr_plots_write(const char *h5_path, const char *dir, mcr_error *err);

#endif
