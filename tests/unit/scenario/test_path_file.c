/* CSV price paths for replay: layout prices[t * n_paths + p], the header, blank lines, spaces and
 * CRLF, the spot check of row 0, and each content error naming the file, line and column. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/path_file.h"

/* Writes `text` to a fresh temporary file; its name goes to `path`. */
static void csv_file(char path[static 64], const char *text)
{
    snprintf(path, 64, "/tmp/mcr_test_paths_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* Loads `text` (3 steps, spot 100) and expects failure with status `st` and message
 * "FILE:" + `tail`, where the message starts with the file's name. */
static void expect_bad(const char *text, int steps, mcr_status status, const char *tail)
{
    char path[64], expect[600];
    csv_file(path, text);
    double *prices = (double *)1;
    uint64_t n = 7;
    mcr_error err = {0};
    mcr_status st = mcr_path_file_load(path, steps, 100.0, &prices, &n, NULL, &err);
    unlink(path);
    cr_assert_eq(st, status, "status %d (%s) for:\n%s", st, err.msg, text);
    cr_assert_null(prices);
    cr_assert_eq(n, 0);
    snprintf(expect, sizeof expect, "%s:%s", path, tail);
    cr_assert(strncmp(err.msg, expect, strlen(expect)) == 0, "message\n  %s\nis not\n  %s",
              err.msg, expect);
    cr_assert_null(strchr(err.msg, '\n'));
}

Test(path_file, layout_header_and_formatting)
{
    /* a header, CRLF ends, padded cells, a blank line and a trailing blank line */
    char path[64];
    csv_file(path, "path_a,path_b,path_c\r\n"
                   "100,100, 100\r\n"
                   "101.5,99,  100.25\r\n"
                   "\r\n"
                   "102,98.5,1e2\r\n"
                   " 103 ,97,100.125\r\n"
                   "\r\n");
    double *p;
    uint64_t n;
    mcr_error err = {0};
    cr_assert_eq(mcr_path_file_load(path, 3, 100.0, &p, &n, NULL, &err), MCR_OK, "%s", err.msg);
    unlink(path);
    cr_assert_eq(n, 3);
    static const double expect[4][3] = {
        {100, 100, 100}, {101.5, 99, 100.25}, {102, 98.5, 100}, {103, 97, 100.125}};
    for (int t = 0; t < 4; t++)
        for (int k = 0; k < 3; k++)
            cr_assert_eq(p[t * 3 + k], expect[t][k], "t %d path %d: %g", t, k, p[t * 3 + k]);
    free(p);
}

Test(path_file, no_header_one_path)
{
    char path[64];
    csv_file(path, "49\n48.12\n47.37"); /* no final newline */
    double *p;
    uint64_t n;
    mcr_error err = {0};
    cr_assert_eq(mcr_path_file_load(path, 2, 49.0, &p, &n, NULL, &err), MCR_OK, "%s", err.msg);
    unlink(path);
    cr_assert_eq(n, 1);
    cr_assert_eq(p[0], 49.0);
    cr_assert_eq(p[1], 48.12);
    cr_assert_eq(p[2], 47.37);
    free(p);
}

Test(path_file, initial_price_must_equal_spot)
{
    char path[64];
    double *p;
    uint64_t n;
    mcr_error err = {0};
    /* 5e-10 relative is within 1e-9 */
    csv_file(path, "100.00000005,100\n1,2\n");
    cr_assert_eq(mcr_path_file_load(path, 1, 100.0, &p, &n, NULL, &err), MCR_OK, "%s", err.msg);
    free(p);
    unlink(path);
    expect_bad("100,100.0000002\n1,2\n", 1, MCR_ERR_INPUT,
               "1: column 2: the first row is the price at t = 0 and must equal the asset's "
               "spot 100 (got 100.0000002)");
    expect_bad("h1,h2\n99,100\n1,2\n", 1, MCR_ERR_INPUT, "2: column 1: the first row");
}

Test(path_file, row_count)
{
    expect_bad("100,100\n101,99\n102,98\n", 3, MCR_ERR_INPUT,
               "3: only 3 price rows; needs steps + 1 = 4");
    expect_bad("a,b\n100,100\n101,99\n102,98\n103,97\n104,96\n", 3, MCR_ERR_INPUT,
               "6: more than steps + 1 = 4 price rows");
    expect_bad("", 3, MCR_ERR_INPUT, " only 0 price rows; needs steps + 1 = 4");
    expect_bad("header only\n", 3, MCR_ERR_INPUT, "1: only 0 price rows");
}

Test(path_file, bad_cells)
{
    expect_bad("100,100\n101,x99\n", 1, MCR_ERR_INPUT,
               "2: column 2: not a number (got \"x99\"); allowed: a price > 0");
    expect_bad("100,100\n101,99 1\n", 1, MCR_ERR_INPUT, "2: column 2: not a number");
    expect_bad("100,100\n101,nan\n", 1, MCR_ERR_INPUT, "2: column 2: not a number");
    expect_bad("100,100,100\n101,,99\n", 1, MCR_ERR_INPUT, "2: column 2: empty cell");
    expect_bad("100,100\n0,99\n", 1, MCR_ERR_INPUT, "2: column 1: price must be > 0 (got 0)");
    expect_bad("100,100\n101,-3\n", 1, MCR_ERR_INPUT, "2: column 2: price must be > 0 (got -3)");
    /* a second non-numeric line is not a header */
    expect_bad("a,b\nc,d\n", 1, MCR_ERR_INPUT, "2: column 1: not a number (got \"c\")");
}

Test(path_file, ragged_rows)
{
    expect_bad("t0,t1\n100,100\n101,99,98\n", 1, MCR_ERR_INPUT,
               "3: 3 columns, but the first row (line 2) has 2");
    expect_bad("100,100\n\n101\n", 1, MCR_ERR_INPUT,
               "3: 1 column, but the first row (line 1) has 2");
}

Test(path_file, unreadable)
{
    double *p;
    uint64_t n;
    mcr_error err = {0};
    char path[64];
    csv_file(path, "");
    unlink(path);
    cr_assert_eq(mcr_path_file_load(path, 1, 100.0, &p, &n, NULL, &err), MCR_ERR_INPUT);
    char expect[160];
    snprintf(expect, sizeof expect, "%s: cannot open path file: No such file or directory", path);
    cr_assert_str_eq(err.msg, expect);
    cr_assert_null(p);
    cr_assert_eq(mcr_path_file_load("/tmp", 1, 100.0, &p, &n, NULL, &err), MCR_ERR_INPUT);
    cr_assert(strncmp(err.msg, "/tmp:", 5) == 0, "%s", err.msg);
    cr_assert_null(p);
}
