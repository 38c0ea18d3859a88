/* Atomic replacement of a file: write a temporary beside it, fsync, rename over the name,
 * fsync the directory. At any moment the name holds the old content or the whole new one,
 * never a torn file, also across a crash of the machine. Used by the HDF5 writer and by every
 * checkpoint file.
 *
 * Safety (issue 10): the temporary is "<name>.tmp.<pid>.<random>", created with
 * O_CREAT | O_EXCL | O_NOFOLLOW, so it is unpredictable and never opened through a link someone
 * planted; and only a regular file (or nothing) is ever replaced: a directory, a device, a FIFO,
 * a socket or a symbolic link under the name is refused. The pid in the name lets a later run
 * remove the temporaries of processes that were killed (mcr_atomic_clean_stale). */
#ifndef MCR_ATOMIC_FILE_H
#define MCR_ATOMIC_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "status.h"

typedef struct mcr_atomic_file {
    int fd;        /* the temporary, open for writing; -1 once closed */
    int dirfd;     /* the directory of both names */
    FILE *stream;  /* mcr_atomic_stream's buffered stream over fd, or NULL */
    char path[PATH_MAX];          /* the name to replace, as given (messages name it) */
    char name[NAME_MAX + 1];      /* its last component */
    char tmp[NAME_MAX + 1];       /* the temporary's name, in the same directory */
    char tmp_path[PATH_MAX + NAME_MAX + 2]; /* directory/temporary, for writers that open by name */
} mcr_atomic_file;

/* The name may be replaced: its directory exists and it is absent or a regular file. Errors:
 * MCR_ERR_IO naming strerror (no such directory, not a directory, is a directory), MCR_ERR_INPUT
 * for a name that is not a regular file or too long for its temporaries. `what` names the file
 * in messages ("file", "checkpoint"). Also what mcr_atomic_begin checks first. */
mcr_status mcr_atomic_check(const char *path, const char *what, mcr_error *err);

/* Create the temporary of `path`. On failure nothing is left behind. */
mcr_status mcr_atomic_begin(mcr_atomic_file *f, const char *path, const char *what,
                            mcr_error *err);
/* A buffered stdio stream over the temporary (buffer bytes of buffering), or NULL. */
FILE *mcr_atomic_stream(mcr_atomic_file *f, size_t buffer);
/* write() all of buf to the temporary (f->fd), retrying short writes. */
mcr_status mcr_atomic_write(mcr_atomic_file *f, const void *buf, size_t size, mcr_error *err);
/* Flush and fsync the temporary, check the name again, rename the temporary over it and fsync
 * the directory. On failure the temporary is removed. Either way f is closed. */
mcr_status mcr_atomic_commit(mcr_atomic_file *f, mcr_error *err);
/* Close and remove the temporary (after a failure elsewhere). */
void mcr_atomic_abort(mcr_atomic_file *f);

/* Remove the temporaries "<base>.tmp.<pid>[.<suffix>]" in dir (base NULL: of any name) left by
 * processes that no longer exist. Regular files only; best effort, silent. */
void mcr_atomic_clean_stale(const char *dir, const char *base);
/* Remove the regular files of dir, then dir (a checkpoint directory, once the run is done). */
void mcr_atomic_remove_dir(const char *dir);
/* The directory and last component of path ("." when it has no '/'); false when too long. */
bool mcr_atomic_split(const char *path, char *dir, size_t dir_size, char *base,
                      size_t base_size);

#endif
