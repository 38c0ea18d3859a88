/* Claiming the output name (output_claim.h): checks before the run, and the per-output lock. */
#include "output_claim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/atomic_file.h"

#define MCR_LOCK_TRIES 8
/* the longest name under "<output>.ckpt/": "s<S>.c<C>" and its temporary (ckpt.c) */
#define MCR_CKPT_ENTRY_MAX 96

int mcr_config_inputs(const mcr_config *cfg, const char **inputs, int cap)
{
    int n = 0;
    if (cfg->source[0] && cfg->source[0] != '<' && n < cap)
        inputs[n++] = cfg->source;
    for (int a = 0; a < cfg->n_assets && n < cap; a++)
        if (cfg->assets[a].path_file[0])
            inputs[n++] = cfg->assets[a].path_file;
    return n;
}

/* The kernel's own file systems hold no output (writes there fail, or worse, succeed). */
static const char *pseudo_fs(const char *dir)
{
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return NULL;
    switch ((unsigned long)fs.f_type) {
    case PROC_SUPER_MAGIC: return "/proc (procfs)";
    case SYSFS_MAGIC: return "/sys (sysfs)";
    case DEVPTS_SUPER_MAGIC: return "devpts";
    case DEBUGFS_MAGIC: return "debugfs";
    case CGROUP_SUPER_MAGIC: case CGROUP2_SUPER_MAGIC: return "a cgroup file system";
    default: return NULL;
    }
}

mcr_status mcr_output_check(const char *output, const char *const *inputs, int n_inputs,
                            mcr_error *err)
{
    char dir[MCR_PATH_MAX], base[MCR_PATH_MAX];
    if (!output[0])
        return mcr_fail(err, MCR_ERR_INPUT, "run.output: empty; give the name of the HDF5 file "
                        "to write");
    if (strlen(output) + sizeof ".ckpt/" + MCR_CKPT_ENTRY_MAX > MCR_PATH_MAX ||
        !mcr_atomic_split(output, dir, sizeof dir, base, sizeof base))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: output path too long: its checkpoint files "
                        "would exceed %d bytes", output, MCR_PATH_MAX);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot write output in directory '%s': %s "
                        "(create it first)", output, dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: '%s' is not a directory", output, dir);
    const char *fs = pseudo_fs(dir);
    if (fs)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: output on %s refused; give a path on a real "
                        "file system", output, fs);
    /* the name and the temporary: atomic_file's rules, then a real temporary */
    mcr_atomic_file f;
    mcr_status st = mcr_atomic_begin(&f, output, "output", err);
    if (st != MCR_OK)
        return err->status = MCR_ERR_INPUT;
    mcr_atomic_abort(&f);
    if (stat(output, &sb) != 0)
        return MCR_OK;
    for (int i = 0; i < n_inputs; i++) {
        struct stat in;
        if (stat(inputs[i], &in) == 0 && in.st_dev == sb.st_dev && in.st_ino == sb.st_ino)
            return mcr_fail(err, MCR_ERR_INPUT, "%s: output is the input file %s; refusing to "
                            "replace an input (give another -o)", output, inputs[i]);
    }
    return MCR_OK;
}

/* The pid written in a held lock file, or 0. */
static long holder_pid(int fd)
{
    char buf[32] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    return n > 0 ? strtol(buf, NULL, 10) : 0;
}

/* One attempt: 1 held, 0 to retry (the file was removed by its last holder meanwhile). */
static int try_lock(mcr_output_lock *lk, mcr_error *err, mcr_status *st)
{
    int fd = open(lk->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    struct stat a, b;
    if (fd < 0 || fstat(fd, &a) != 0) {
        *st = mcr_fail(err, MCR_ERR_INPUT, "%s: cannot create the lock file: %s", lk->path,
                       errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    /* never write into a file someone linked there (a hard link to another file) */
    if (!S_ISREG(a.st_mode) || a.st_nlink != 1 || a.st_uid != geteuid()) {
        close(fd);
        *st = mcr_fail(err, MCR_ERR_INPUT, "%s: not a lock file of this user (a link, or "
                       "another owner's file); remove it", lk->path);
        return 1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        long pid = holder_pid(fd);
        close(fd);
        if (e == EWOULDBLOCK)
            *st = mcr_fail(err, MCR_ERR_INPUT, "%.*s: another run (pid %ld) is writing this "
                           "output; wait for it to end or give another -o",
                           (int)(strlen(lk->path) - 5), lk->path, pid);
        else
            *st = mcr_fail(err, MCR_ERR_INPUT, "%s: cannot lock: %s", lk->path, strerror(e));
        return 1;
    }
    if (stat(lk->path, &b) != 0 || b.st_ino != a.st_ino || b.st_dev != a.st_dev) {
        close(fd); /* its holder removed it between our open and flock */
        return 0;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        *st = mcr_fail(err, MCR_ERR_INPUT, "%s: cannot write the lock file: %s", lk->path,
                       strerror(errno));
        unlink(lk->path);
        close(fd);
        return 1;
    }
    lk->fd = fd;
    *st = MCR_OK;
    return 1;
}

mcr_status mcr_output_lock_take(mcr_output_lock *lk, const char *output, mcr_error *err)
{
    lk->fd = -1;
    if (snprintf(lk->path, sizeof lk->path, "%s.lock", output) >= (int)sizeof lk->path)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: output path too long", output);
    mcr_status st = MCR_OK;
    for (int i = 0; i < MCR_LOCK_TRIES; i++)
        if (try_lock(lk, err, &st))
            return st;
    return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot lock (removed again and again)", lk->path);
}

void mcr_output_lock_release(mcr_output_lock *lk)
{
    if (lk->fd < 0)
        return;
    unlink(lk->path); /* while still held: a waiting run then sees a new file (try_lock) */
    close(lk->fd);
    lk->fd = -1;
}
