/* `mcrisk report --plots DIR`: runs tools/mcrisk_plots.py under /usr/bin/python3 (fork and exec,
 * no shell) and turns its exit status and last line of stderr into one mcr_error line. Plotting
 * lives in Python because Debian's matplotlib is the packaged way to draw PNGs; the engine only
 * finds the script, creates the directory and reports what is missing. */
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
#define MCR_PLOTS_SCRIPT "mcrisk_plots.py"
#define MCR_PLOTS_HINT "apt-get install python3 python3-matplotlib python3-h5py python3-numpy"
#define MCR_PLOTS_EXEC_FAILED 127 /* the child could not exec: the shell's convention */
#define MCR_PLOTS_BAD_INPUT 2     /* mcrisk_plots.py's exit status for input the user can fix */

/* `dir`/mcrisk_plots.py into `out` when that file is readable. */
static int mcr_plots_script_in(const char *dir, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", dir, MCR_PLOTS_SCRIPT);
    return n > 0 && (size_t)n < cap && access(out, R_OK) == 0;
}

/* The script's directory: $MCR_TOOLS_DIR if set, else ../tools beside the running binary (a build
 * directory inside the source tree), else the source tree the binary was compiled from. */
static mcr_status mcr_plots_find_script(char *out, size_t cap, mcr_error *err)
{
    const char *env = getenv("MCR_TOOLS_DIR");
    if (env && *env) {
        if (mcr_plots_script_in(env, out, cap))
            return MCR_OK;
        return mcr_fail(err, MCR_ERR_INPUT, "MCR_TOOLS_DIR=%s: no readable %s there", env,
                        MCR_PLOTS_SCRIPT);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            char dir[PATH_MAX + 16];
            *slash = '\0';
            snprintf(dir, sizeof dir, "%s/../tools", exe);
            if (mcr_plots_script_in(dir, out, cap))
                return MCR_OK;
        }
    }
#ifdef MCR_SOURCE_DIR
    if (mcr_plots_script_in(MCR_SOURCE_DIR "/tools", out, cap))
        return MCR_OK;
#endif
    return mcr_fail(err, MCR_ERR_IO, "cannot find tools/%s beside the mcrisk binary or in its "
                    "source tree; set MCR_TOOLS_DIR to the directory holding it",
                    MCR_PLOTS_SCRIPT);
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

/* The last non-empty line of the log, without the script's "mcrisk_plots: " prefix. */
static const char *mcr_plots_last_line(mcr_plots_log *log)
{
    static const char prefix[] = "mcrisk_plots: ";
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

mcr_status mcr_plots_write(const char *h5_path, const char *dir, mcr_error *err)
{
    const char *python = getenv("MCR_PYTHON");
    if (!python || !*python)
        python = MCR_PLOTS_PYTHON;
    if (access(python, X_OK) != 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write plots: %s not found (%s)", dir,
                        python, MCR_PLOTS_HINT);
    char script[PATH_MAX + 32];
    mcr_status st = mcr_plots_find_script(script, sizeof script, err);
    if (st == MCR_OK)
        st = mcr_plots_make_dir(dir, err);
    if (st != MCR_OK)
        return st;

    int fds[2];
    if (pipe(fds) != 0)
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write plots: pipe: %s", dir,
                        strerror(errno));
    /* Neither end may reach the script: its stderr is a dup2 copy, which stays open. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    /* Formatted now: between fork and exec the child may only make async-signal-safe calls. */
    char exec_failed[PATH_MAX + 128];
    int exec_failed_len = snprintf(exec_failed, sizeof exec_failed, "cannot run %s (%s)\n",
                                   python, MCR_PLOTS_HINT);
    if (exec_failed_len < 0 || (size_t)exec_failed_len >= sizeof exec_failed)
        exec_failed_len = (int)strlen(exec_failed);
    fflush(NULL); /* the report table must come out before the script's list of files */
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write plots: fork: %s", dir, strerror(e));
    }
    if (pid == 0) {
        if (dup2(fds[1], STDERR_FILENO) >= 0) {
            char *const argv[] = {(char *)python, script, (char *)h5_path, (char *)dir, NULL};
            execv(python, argv);
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
            return mcr_fail(err, MCR_ERR_IO, "%s: cannot write plots: waitpid: %s", dir,
                            strerror(errno));
    }
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
        fputs(log.buf, stderr);
        return MCR_OK;
    }
    if (WIFSIGNALED(ws))
        return mcr_fail(err, MCR_ERR_IO, "%s: cannot write plots: %s %s killed by signal %d",
                        dir, python, script, WTERMSIG(ws));
    int code = WEXITSTATUS(ws);
    return mcr_fail(err, code == MCR_PLOTS_BAD_INPUT ? MCR_ERR_INPUT : MCR_ERR_IO,
                    "%s: cannot write plots: %s", dir, mcr_plots_last_line(&log));
}
