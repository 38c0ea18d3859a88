/* Starting the mcrisk binary in the background from a test (test_dir.h's directory), waiting for
 * it and for the files it writes: for the suites that stop, signal or race runs. */
#ifndef MCR_TEST_SPAWN_H
#define MCR_TEST_SPAWN_H

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "test_dir.h"

/* Start `mcrisk ARGS...` (args NULL-terminated, the command first) in the test directory with
 * the environment variable assignments of env ("NAME=value", NULL-terminated, or NULL), stdout
 * and stderr to `out` and `err` there; returns the pid. */
static inline pid_t spawn_mcrisk(const char *const *env, const char *const *args,
                                 const char *out, const char *err)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(126);
        for (int i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        char *argv[32] = {(char *)MCR_BINARY};
        int n = 1;
        for (; args[n - 1] && n < 31; n++)
            argv[n] = (char *)args[n - 1];
        argv[n] = NULL;
        execv(MCR_BINARY, argv);
        _exit(127);
    }
    return pid;
}

/* The exit status of pid, or -signal when killed. */
static inline int wait_mcrisk(pid_t pid)
{
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

static inline void sleep_seconds(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Wait (up to 20 s) until file `name` exists and contains `text` ("" for any content). */
static inline bool wait_for_file(const char *name, const char *text)
{
    for (int i = 0; i < 2000; i++) {
        if (exists(name) && strstr(slurp(name), text))
            return true;
        sleep_seconds(0.01);
    }
    return false;
}

#endif
