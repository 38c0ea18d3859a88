/* HDF5 layout 1 (../shared/DESIGN.md): the only module that includes hdf5.h.
 * Writing goes to "<path>.tmp.<pid>" and is renamed over `path` only when complete, so a file
 * under the output name is always whole; on any failure the temporary file is removed. */
#ifndef MCR_H5_IO_H
#define MCR_H5_IO_H

#include "core/status.h"
#include "risk/result.h"

mcr_status mcr_h5_write(const char *path, const mcr_result *r, mcr_error *err);

/* Read provenance, summaries and risk tables back (pnl too when with_pnl), for `mcrisk report`
 * and for tests. Free with mcr_result_free. */
mcr_status mcr_h5_read(const char *path, int with_pnl, mcr_result *r, mcr_error *err);

#endif
