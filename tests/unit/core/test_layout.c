/* The tree keeps the shape the README's Architecture section describes: no source file includes
 * another through "../" (which would bypass the per-layer include roots that make an upward
 * include fail to build), and no source file grows past about 800 lines (generated tables
 * excepted). The walk covers every C, Python and shell source under the layers, bench, cli,
 * tests, python and scripts. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MCR_LINES_MAX 850 /* "about 800" */

static const char *const generated[] = {"kernels/sobol_table.c"};

static bool is_source(const char *name)
{
    static const char *const ext[] = {".c", ".h", ".py", ".sh"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strcmp(name + n - e, ext[i]) == 0)
            return true;
    }
    return false;
}

static void check_file(const char *path, const char *rel, int *files)
{
    for (size_t i = 0; i < sizeof generated / sizeof generated[0]; i++)
        if (strcmp(rel, generated[i]) == 0)
            return;
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot read %s", path);
    char line[4096];
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        cr_assert_null(strstr(line, "#include \"../"), "%s:%d includes through \"../\"", rel,
                       lines);
    }
    fclose(f);
    cr_assert_leq(lines, MCR_LINES_MAX, "%s has %d lines; split it (at most about 800)", rel,
                  lines);
    (*files)++;
}

static void walk(const char *dir, const char *rel, int *files)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "__pycache__") == 0)
            continue;
        char path[1024], sub[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(path, sub, files);
        else if (is_source(e->d_name))
            check_file(path, sub, files);
    }
    closedir(d);
}

Test(layout, sources_are_small_and_include_by_layer)
{
    static const char *const roots[] = {"core", "models", "kernels", "config", "scenario",
                                        "instruments", "strategies", "sim", "risk", "output",
                                        "run", "bench", "cli", "tests", "python", "scripts"};
    int files = 0;
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", MCR_SOURCE_DIR, roots[i]);
        walk(dir, roots[i], &files);
    }
    cr_assert_gt(files, 150, "only %d source files found under %s", files, MCR_SOURCE_DIR);
}
