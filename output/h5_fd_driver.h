/* An HDF5 file driver over a descriptor the caller opened (the atomic file's temporary), for
 * the one-process writer. Internal to output/. It differs from HDF5's sec2 driver in one way
 * that matters: a failed write or truncate (a full disk, a file-size limit) is not reported to
 * HDF5 but kept in *error (the first errno) and ignored from then on. HDF5 1.10 cannot close a
 * file whose flush failed (the handle stays open, and the library crashes at exit), so the
 * writer checks *error after each step instead and names the failure itself. */
#ifndef MCR_H5_FD_DRIVER_H
#define MCR_H5_FD_DRIVER_H

#include <hdf5.h>

/* A file access property list for this driver on fd; *error must stay valid while the file is
 * open (0 until a write fails). H5I_INVALID_HID on failure. */
hid_t mcr_h5_fd_fapl(int fd, int *error);

#endif
