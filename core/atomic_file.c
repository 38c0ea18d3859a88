/* Atomic file replacement (atomic_file.h): exclusive, unpredictable temporaries beside the name,
 * fsync, rename, directory fsync; only regular files are ever replaced. */
#include "atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MCR_TMP_TAG ".tmp."
#define MCR_TMP_TRIES 64
/* ".tmp." + pid (at most 10 digits) + "." + 12 random characters */
#define MCR_TMP_EXTRA (sizeof MCR_TMP_TAG - 1 + 10 + 1 + 12)

bool mcr_atomic_split(const char *path, char *dir, size_t dir_size, char *base, size_t base_size)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) : 1;
    const char *b = slash ? slash + 1 : path;
    if (dlen + 1 > dir_size || strlen(b) + 1 > base_size)
        return false;
    if (!slash)
        memcpy(dir, ".", 2);
    else if (dlen == 0)
        memcpy(dir, "/", 2);
    else {
        memcpy(dir, path, dlen);
        dir[dlen] = '\0';
    }
    memcpy(base, b, strlen(b) + 1);
    return true;
}

static const char *kind_of(mode_t m)
{
    return S_ISLNK(m) ? "a symbolic link" : S_ISCHR(m) ? "a character device"
           : S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* name in dirfd is absent or a regular file (never followed if a link). */
static mcr_status check_name(int dirfd, const char *path, const char *name, const char *what,
                             mcr_error *err)
{
    struct stat sb;
    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return MCR_OK;
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create %s: %s", path, what, strerror(errno));
    }
    if (S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create %s: %s", path, what,
                        strerror(EISDIR));
    if (!S_ISREG(sb.st_mode))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: is %s, not a regular file; refusing to replace "
                        "it (give the name of a regular file)", path, kind_of(sb.st_mode));
    return MCR_OK;
}

/* The directory of path opened, its last component in name. */
static mcr_status open_dir(const char *path, const char *what, char *name, size_t name_size,
                           int *dirfd, mcr_error *err)
{
    char dir[PATH_MAX];
    if (!mcr_atomic_split(path, dir, sizeof dir, name, name_size))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: %s name too long", path, what);
    if (!name[0])
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create %s: %s", path, what,
                        strerror(EISDIR));
    if (strlen(name) + MCR_TMP_EXTRA > NAME_MAX)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: %s name too long: its temporary files would "
                        "exceed %d bytes", path, what, NAME_MAX);
    *dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*dirfd < 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot create %s: %s", path, what, strerror(errno));
    return MCR_OK;
}

mcr_status mcr_atomic_check(const char *path, const char *what, mcr_error *err)
{
    char name[NAME_MAX + 1];
    int dirfd = -1;
    mcr_status st = open_dir(path, what, name, sizeof name, &dirfd, err);
    if (st == MCR_OK)
        st = check_name(dirfd, path, name, what, err);
    if (dirfd >= 0)
        close(dirfd);
    return st;
}

/* 12 characters no one can guess (getrandom; a clock and counter mix if that fails). */
static void random_suffix(char *out)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static uint64_t counter;
    uint64_t r[2];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r[0] = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
        r[1] = __atomic_add_fetch(&counter, 0x9E3779B97F4A7C15ull, __ATOMIC_RELAXED) ^ r[0];
    }
    for (int i = 0; i < 12; i++) {
        uint64_t *w = &r[i & 1];
        out[i] = digits[*w % (sizeof digits - 1)];
        *w /= sizeof digits - 1;
    }
    out[12] = '\0';
}

mcr_status mcr_atomic_begin(mcr_atomic_file *f, const char *path, const char *what,
                            mcr_error *err)
{
    memset(f, 0, sizeof *f);
    f->fd = f->dirfd = -1;
    if (strlen(path) >= sizeof f->path)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: %s path too long", path, what);
    snprintf(f->path, sizeof f->path, "%s", path);
    mcr_status st = open_dir(path, what, f->name, sizeof f->name, &f->dirfd, err);
    if (st == MCR_OK)
        st = check_name(f->dirfd, path, f->name, what, err);
    for (int i = 0; st == MCR_OK && f->fd < 0; i++) {
        char suffix[13];
        random_suffix(suffix);
        if (snprintf(f->tmp, sizeof f->tmp, "%s" MCR_TMP_TAG "%ld.%s", f->name,
                     (long)getpid(), suffix) >= (int)sizeof f->tmp) {
            st = mcr_fail(err, MCR_ERR_INPUT, "%s: %s name too long", path, what);
            break;
        }
        /* read and write: the HDF5 driver reads back metadata it evicted from its cache */
        f->fd = openat(f->dirfd, f->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                       0666);
        if (f->fd < 0 && (errno != EEXIST || i + 1 == MCR_TMP_TRIES))
            st = mcr_fail(err, MCR_ERR_IO, "%s: cannot create %s: %s", path, what,
                          strerror(errno));
    }
    if (st != MCR_OK) {
        if (f->dirfd >= 0)
            close(f->dirfd);
        f->dirfd = -1;
        f->tmp[0] = '\0';
        return st;
    }
    char dir[PATH_MAX], name[NAME_MAX + 1];
    mcr_atomic_split(path, dir, sizeof dir, name, sizeof name);
    snprintf(f->tmp_path, sizeof f->tmp_path, "%s/%s", dir, f->tmp);
    return MCR_OK;
}

FILE *mcr_atomic_stream(mcr_atomic_file *f, size_t buffer)
{
    if (!f->stream && f->fd >= 0 && (f->stream = fdopen(f->fd, "wb")))
        setvbuf(f->stream, NULL, _IOFBF, buffer);
    return f->stream;
}

mcr_status mcr_atomic_write(mcr_atomic_file *f, const void *buf, size_t size, mcr_error *err)
{
    const char *p = buf;
    while (size > 0) {
        ssize_t n = write(f->fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", f->path, strerror(errno));
        p += n;
        size -= (size_t)n;
    }
    return MCR_OK;
}

/* Flush, fsync and close the temporary: the data is on disk before a name points at it. */
static mcr_status close_tmp(mcr_atomic_file *f, mcr_error *err)
{
    mcr_status st = MCR_OK;
    if (f->stream && fflush(f->stream) != 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", f->path, strerror(errno));
    if (st == MCR_OK && fsync(f->fd) != 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", f->path, strerror(errno));
    /* NFS may report a failed write only on close */
    int closed = f->stream ? fclose(f->stream) : close(f->fd);
    if (closed != 0 && st == MCR_OK)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot write: %s", f->path, strerror(errno));
    f->stream = NULL;
    f->fd = -1;
    return st;
}

mcr_status mcr_atomic_commit(mcr_atomic_file *f, mcr_error *err)
{
    mcr_status st = close_tmp(f, err);
    if (st == MCR_OK)
        st = check_name(f->dirfd, f->path, f->name, "file", err);
    if (st == MCR_OK && renameat(f->dirfd, f->tmp, f->dirfd, f->name) != 0)
        st = mcr_fail(err, MCR_ERR_IO, "%s: cannot rename %s into place: %s", f->path, f->tmp,
                      strerror(errno));
    if (st == MCR_OK)
        fsync(f->dirfd); /* best effort: makes the rename itself survive a crash */
    else
        unlinkat(f->dirfd, f->tmp, 0);
    close(f->dirfd);
    f->dirfd = -1;
    return st;
}

void mcr_atomic_abort(mcr_atomic_file *f)
{
    if (f->stream)
        fclose(f->stream);
    else if (f->fd >= 0)
        close(f->fd);
    f->stream = NULL;
    f->fd = -1;
    if (f->dirfd >= 0) {
        unlinkat(f->dirfd, f->tmp, 0);
        close(f->dirfd);
    }
    f->dirfd = -1;
}

/* name is "<base>.tmp.<pid>" or "<base>.tmp.<pid>.<suffix>" (any base when base is NULL). */
static bool temporary_of(const char *name, const char *base, long *pid)
{
    const char *tag = base ? NULL : strstr(name, MCR_TMP_TAG);
    if (base) {
        size_t nb = strlen(base);
        if (strncmp(name, base, nb) != 0 || strncmp(name + nb, MCR_TMP_TAG,
                                                     sizeof MCR_TMP_TAG - 1) != 0)
            return false;
        tag = name + nb;
    }
    if (!tag)
        return false;
    const char *digits = tag + sizeof MCR_TMP_TAG - 1;
    char *end;
    if (*digits < '1' || *digits > '9')
        return false;
    *pid = strtol(digits, &end, 10);
    return *pid > 0 && (*end == '\0' || *end == '.');
}

/* Call fn(dirfd, name, ctx) for every regular file of dir (never following a link to a file;
 * dir itself may be a link unless nofollow). */
static void each_regular_file(const char *dir, bool nofollow,
                              void (*fn)(int, const char *, void *), void *ctx)
{
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    DIR *d = dirfd >= 0 ? fdopendir(dirfd) : NULL;
    if (!d) {
        if (dirfd >= 0)
            close(dirfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat sb;
        if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
            fn(dirfd, e->d_name, ctx);
    }
    closedir(d); /* closes dirfd */
}

static void remove_if_stale(int dirfd, const char *name, void *base)
{
    long pid;
    if (!temporary_of(name, base, &pid) || pid == (long)getpid())
        return;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
        return; /* its writer may still be running */
    unlinkat(dirfd, name, 0);
}

void mcr_atomic_clean_stale(const char *dir, const char *base)
{
    each_regular_file(dir, false, remove_if_stale, (void *)base);
}

static void remove_file(int dirfd, const char *name, void *ctx)
{
    (void)ctx;
    unlinkat(dirfd, name, 0);
}

void mcr_atomic_remove_dir(const char *dir)
{
    each_regular_file(dir, true, remove_file, NULL);
    rmdir(dir);
}
