/* `mcrisk report --plots DIR` and `--html FILE`: run the Python package python/mcrisk as
 * `/usr/bin/python3 -m mcrisk plots|html ...` (fork and exec, no shell, PYTHONPATH pointing at
 * the package) and turn its exit status and last line of stderr into one mcr_error line.
 * Plotting lives in Python because Debian's matplotlib is the packaged way to draw; the engine
 * only finds the package, creates the directory and reports what is missing. */
#include "plots.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MCR_PLOTS_PYTHON "/usr/bin/python3" /* Debian's, which sees python3-matplotlib */
#define MCR_PLOTS_PACKAGE "mcrisk/__main__.py"
#define MCR_PLOTS_HINT "apt-get install python3 python3-matplotlib python3-h5py python3-numpy " \
                       "python3-pandas python3-yaml"
#define MCR_PLOTS_EXEC_FAILED 127 /* the child could not exec: the shell's convention */
#define MCR_PLOTS_BAD_INPUT 2     /* python3 -m mcrisk's exit status for input the user can fix */
#ifndef MCR_PYTHON_INSTALL_DIR
#define MCR_PYTHON_INSTALL_DIR "lib/python3/dist-packages"
#endif

/* `dir` into `out` when `dir`/mcrisk/__main__.py is readable. */
static int mcr_plots_package_in(const char *dir, char *out, size_t cap)
{
    char probe[PATH_MAX + 64];
    int n = snprintf(probe, sizeof probe, "%s/%s", dir, MCR_PLOTS_PACKAGE);
    if (n <= 0 || (size_t)n >= sizeof probe || access(probe, R_OK) != 0)
        return 0;
    n = snprintf(out, cap, "%s", dir);
    return n > 0 && (size_t)n < cap;
}

/* The directory holding the package: $MCR_PYTHON_DIR if set, else ../python beside the running
 * binary (a build directory inside the source tree), else the install tree's
 * ../MCR_PYTHON_INSTALL_DIR, else the source tree the binary was compiled from. */
static mcr_status mcr_plots_find_package(char *out, size_t cap, mcr_error *err)
{
    const char *env = getenv("MCR_PYTHON_DIR");
    if (env && *env) {
        if (mcr_plots_package_in(env, out, cap))
            return MCR_OK;
        return mcr_fail(err, MCR_ERR_INPUT, "MCR_PYTHON_DIR=%s: no readable %s there", env,
                        MCR_PLOTS_PACKAGE);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            char dir[PATH_MAX + 64];
            *slash = '\0';
            snprintf(dir, sizeof dir, "%s/../python", exe);
            if (mcr_plots_package_in(dir, out, cap))
                return MCR_OK;
            snprintf(dir, sizeof dir, "%s/../%s", exe, MCR_PYTHON_INSTALL_DIR);
            if (mcr_plots_package_in(dir, out, cap))
                return MCR_OK;
        }
    }
#ifdef MCR_SOURCE_DIR
    if (mcr_plots_package_in(MCR_SOURCE_DIR "/python", out, cap))
        return MCR_OK;
#endif
    return mcr_fail(err, MCR_ERR_IO, "cannot find the Python package (python/%s) beside the "
                    "mcrisk binary or in its source tree; set MCR_PYTHON_DIR to the directory "
                    "holding mcrisk/", MCR_PLOTS_PACKAGE);
}

/* Create the plot directory (not its parents: a mistyped parent is the user's to fix). */
static mcr_status mcr_plots_make_dir(const char *dir, mcr_error *err)
{
    struct stat sb;
    if (mkdir(dir, 0777) == 0)
        return MCR_OK;
    if (errno != EEXIST)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot create plot directory: %s", dir,
                        strerror(errno));
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot write plots: exists and is not a "
                        "directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot write plots: %s", dir, strerror(errno));
    return MCR_OK;
}

/* Everything the child writes on stderr, keeping the tail when it is long: on success it is
 * passed on (warnings stay visible), on failure its last line is the reason. */
typedef struct mcr_plots_log {
    char buf[8192];
    size_t len;
} mcr_plots_log;

static void mcr_plots_drain(int fd, mcr_plots_log *log)
{
    for (;;) {
        if (log->len == sizeof log->buf - 1) { /* full: keep the newer half */
            size_t half = log->len / 2;
            memmove(log->buf, log->buf + half, log->len - half);
            log->len -= half;
        }
        ssize_t n = read(fd, log->buf + log->len, sizeof log->buf - 1 - log->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        log->len += (size_t)n;
    }
    log->buf[log->len] = '\0';
}

/* The last non-empty line of the log, without the package's "mcrisk: " prefix. */
static const char *mcr_plots_last_line(mcr_plots_log *log)
{
    static const char prefix[] = "mcrisk: ";
    char *end = log->buf + log->len;
    while (end > log->buf && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        end--;
    *end = '\0';
    char *line = end;
    while (line > log->buf && line[-1] != '\n')
        line--;
    if (!strncmp(line, prefix, sizeof prefix - 1))
        line += sizeof prefix - 1;
    return *line ? line : "no message";
}

/* Run `python -m mcrisk ARGS...` with PYTHONPATH=`pkg`[:$PYTHONPATH]; `what` and `target` start
 * every error line ("DIR: cannot write plots: ..."). */
static mcr_status mcr_plots_run(const char *python, const char *pkg, char *const args[],
                                const char *target, const char *what, mcr_error *err)
{
    /* The child's PYTHONPATH, set here (single-threaded) and restored after the fork. */
    const char *old = getenv("PYTHONPATH");
    char *saved = old ? strdup(old) : NULL;
    size_t cap = strlen(pkg) + (old ? strlen(old) : 0) + 2;
    char *path = malloc(cap);
    if (!path || (old && !saved)) {
        free(path);
        free(saved);
        return mcr_fail(err, MCR_ERR_IO, "%s: %s: out of memory", target, what);
    }
    snprintf(path, cap, "%s%s%s", pkg, old && *old ? ":" : "", old && *old ? old : "");
    int fds[2];
    if (pipe(fds) != 0) {
        free(path);
        free(saved);
        return mcr_fail(err, MCR_ERR_IO, "%s: %s: pipe: %s", target, what, strerror(errno));
    }
    /* Neither end may reach the child: its stderr is a dup2 copy, which stays open. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    /* Formatted now: between fork and exec the child may only make async-signal-safe calls. */
    char exec_failed[PATH_MAX + 128];
    int exec_failed_len = snprintf(exec_failed, sizeof exec_failed, "cannot run %s (%s)\n",
                                   python, MCR_PLOTS_HINT);
    if (exec_failed_len < 0 || (size_t)exec_failed_len >= sizeof exec_failed)
        exec_failed_len = (int)strlen(exec_failed);
    setenv("PYTHONPATH", path, 1);
    fflush(NULL); /* the report table must come out before the child's list of files */
    pid_t pid = fork();
    int fork_errno = errno;
    if (pid != 0) { /* the parent's own environment as it was; the child keeps the new one */
        if (saved)
            setenv("PYTHONPATH", saved, 1);
        else
            unsetenv("PYTHONPATH");
        free(saved);
        free(path);
    }
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return mcr_fail(err, MCR_ERR_IO, "%s: %s: fork: %s", target, what,
                        strerror(fork_errno));
    }
    if (pid == 0) {
        if (dup2(fds[1], STDERR_FILENO) >= 0) {
            execv(python, args);
            ssize_t ignored = write(STDERR_FILENO, exec_failed, (size_t)exec_failed_len);
            (void)ignored;
        }
        _exit(MCR_PLOTS_EXEC_FAILED);
    }
    close(fds[1]);
    mcr_plots_log log;
    log.len = 0;
    mcr_plots_drain(fds[0], &log);
    close(fds[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR)
            return mcr_fail(err, MCR_ERR_IO, "%s: %s: waitpid: %s", target, what,
                            strerror(errno));
    }
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
        fputs(log.buf, stderr);
        return MCR_OK;
    }
    if (WIFSIGNALED(ws))
        return mcr_fail(err, MCR_ERR_IO, "%s: %s: %s -m mcrisk killed by signal %d", target,
                        what, python, WTERMSIG(ws));
    int code = WEXITSTATUS(ws);
    return mcr_fail(err, code == MCR_PLOTS_BAD_INPUT ? MCR_ERR_INPUT : MCR_ERR_IO, "%s: %s: %s",
                    target, what, mcr_plots_last_line(&log));
}

/* The interpreter ($MCR_PYTHON overrides /usr/bin/python3) and the package directory. */
static mcr_status mcr_plots_setup(const char *target, const char *what, const char **python,
                                  char *pkg, size_t cap, mcr_error *err)
{
    *python = getenv("MCR_PYTHON");
    if (!*python || !**python)
        *python = MCR_PLOTS_PYTHON;
    if (access(*python, X_OK) != 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: %s: %s not found (%s)", target, what, *python,
                        MCR_PLOTS_HINT);
    return mcr_plots_find_package(pkg, cap, err);
}

/* `python3 -m mcrisk COMMAND FILE DIR --format F` into directory dir (created if missing). */
static mcr_status mcr_plots_into(const char *command, const char *h5_path, const char *dir,
                                 const char *format, mcr_error *err)
{
    static const char what[] = "cannot write plots";
    const char *python;
    char pkg[PATH_MAX + 64];
    mcr_status st = mcr_plots_setup(dir, what, &python, pkg, sizeof pkg, err);
    if (st == MCR_OK)
        st = mcr_plots_make_dir(dir, err);
    if (st != MCR_OK)
        return st;
    char *const args[] = {(char *)python, "-m", "mcrisk", (char *)command, (char *)h5_path,
                          (char *)dir, "--format", (char *)(format ? format : "png"), NULL};
    return mcr_plots_run(python, pkg, args, dir, what, err);
}

mcr_status mcr_plots_write(const char *h5_path, const char *dir, const char *format,
                           mcr_error *err)
{
    return mcr_plots_into("plots", h5_path, dir, format, err);
}

mcr_status mcr_plots_frontier(const char *h5_path, const char *dir, const char *format,
                              mcr_error *err)
{
    return mcr_plots_into("frontier", h5_path, dir, format, err);
}

mcr_status mcr_plots_html(const char *h5_path, const char *html_path, const char *format,
                          mcr_error *err)
{
    static const char what[] = "cannot write the HTML report";
    const char *python;
    char pkg[PATH_MAX + 64];
    mcr_status st = mcr_plots_setup(html_path, what, &python, pkg, sizeof pkg, err);
    if (st != MCR_OK)
        return st;
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", html_path);
    char *slash = strrchr(parent, '/');
    if (slash)
        slash[slash == parent ? 1 : 0] = '\0';
    struct stat sb;
    if (slash && (stat(parent, &sb) != 0 || !S_ISDIR(sb.st_mode)))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: %s: no directory %s", html_path, what, parent);
    char *const args[] = {(char *)python, "-m", "mcrisk", "html", (char *)h5_path, "-o",
                          (char *)html_path, "--images", (char *)(format ? format : "svg"),
                          NULL};
    return mcr_plots_run(python, pkg, args, html_path, what, err);
}
