/* A scratch directory for the suites that drive the mcrisk binary (Criterion runs every test in
 * its own process, so `dir` is the test's own), with the file helpers they share. A suite makes
 * it in its .init with test_dir_make("/tmp/mcr-<suite>-XXXXXX") and removes it with
 * test_dir_remove. */
#ifndef MCR_TEST_DIR_H
#define MCR_TEST_DIR_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static inline void test_dir_make(const char *template)
{
    snprintf(dir, sizeof dir, "%s", template);
    cr_assert_not_null(mkdtemp(dir));
}

static inline void test_dir_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static inline void in_dir(const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
}

/* Run `ENV PROGRAM ARGS` in the directory; stdout and stderr go to out.txt and err.txt there.
 * Returns the exit status, -1 if the program did not exit normally. */
static inline int run_in_dir(const char *env, const char *program, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s %s %s >out.txt 2>err.txt", dir, env, program, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The file's text (up to 64 KiB), in a buffer the next call reuses. */
static inline char *slurp(const char *name)
{
    static char buf[1 << 16];
    char path[256];
    in_dir(name, path, sizeof path);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static inline void write_file(const char *name, const char *text)
{
    char path[256];
    in_dir(name, path, sizeof path);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static inline bool exists(const char *name)
{
    char path[256];
    in_dir(name, path, sizeof path);
    return access(path, F_OK) == 0;
}

#endif
