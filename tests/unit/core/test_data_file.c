/* The daily CSV reader: the shipped BTC file, the accepted variants (BOM, quoted header, CRLF and
 * CR-only line ends, trailing blank lines) and every refused input, each with its one-line error
 * naming file, line and column; dates, ranges, gaps, log returns and alignment. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/data_file.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

static char tmp[64];

static void make_dir(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/mcr-data-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(data_file, .init = make_dir, .fini = remove_dir);

/* Write `n` bytes to tmp/name; returns the path (static buffer per call site is enough). */
static const char *write_file(const char *name, const char *bytes, size_t n)
{
    static char path[4][128];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 128, "%s/%s", tmp, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return p;
}

static const char *write_text(const char *name, const char *s)
{
    return write_file(name, s, strlen(s));
}

/* Loading fails with MCR_ERR_INPUT and a message containing `want` (after the path). */
static void expect_error(const char *path, const char *const *cols, int n, const char *want)
{
    mcr_data_file d;
    mcr_error err = {0};
    cr_assert_eq(mcr_data_file_load(path, cols, n, &d, &err), MCR_ERR_INPUT, "%s", err.msg);
    cr_assert(strncmp(err.msg, path, strlen(path)) == 0, "message does not start with the file: %s",
              err.msg);
    cr_assert(strstr(err.msg, want) != NULL, "expected '%s' in: %s", want, err.msg);
    cr_assert(strchr(err.msg, '\n') == NULL, "not one line: %s", err.msg);
    cr_assert_null(d.day);
}

static const char *close_only[] = {"close"};

Test(data_file, dates)
{
    int32_t d;
    cr_assert(mcr_date_parse("1970-01-01", &d));
    cr_assert_eq(d, 0);
    cr_assert(mcr_date_parse("2000-03-01", &d));
    cr_assert_eq(d, 11017); /* 30 years of 365 days + 7 leap days (72..96) + Jan 31 + Feb 29 */
    cr_assert(mcr_date_parse("2024-02-29", &d));
    cr_assert(!mcr_date_parse("2023-02-29", &d));
    cr_assert(!mcr_date_parse("1900-02-29", &d)); /* century, not leap */
    cr_assert(mcr_date_parse("2000-02-29", &d));  /* 400-year, leap */
    cr_assert(!mcr_date_parse("2020-13-01", &d));
    cr_assert(!mcr_date_parse("2020-1-01", &d));
    cr_assert(!mcr_date_parse("2020-01-01T00", &d));
    /* every day from 1900 to 2100 formats back to the text it was parsed from, consecutively */
    int32_t a, b;
    cr_assert(mcr_date_parse("1900-01-01", &a));
    cr_assert(mcr_date_parse("2100-12-31", &b));
    for (int32_t x = a; x <= b; x++) {
        char s[11];
        int32_t y;
        mcr_date_format(x, s);
        cr_assert(mcr_date_parse(s, &y) && y == x, "day %d -> %s", x, s);
    }
}

Test(data_file, shipped_btc_file)
{
    mcr_data_file d;
    mcr_error err = {0};
    cr_assert_eq(mcr_data_file_load(BTC, NULL, 0, &d, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(d.n_rows, 5152);
    cr_assert_eq(d.n_cols, 5);
    cr_assert_str_eq(d.names[0], "open");
    cr_assert_str_eq(d.names[4], "volume_btc");
    char s[11];
    mcr_date_format(d.day[0], s);
    cr_assert_str_eq(s, "2011-08-18");
    mcr_date_format(d.day[d.n_rows - 1], s);
    cr_assert_str_eq(s, "2025-09-24");
    cr_assert_eq(mcr_data_file_gap(&d, 0, d.n_rows), -1);
    int c = mcr_data_file_column(&d, "close");
    cr_assert_eq(c, 3);
    cr_assert_eq(d.col[c][0], 10.9);
    cr_assert_eq(d.col[c][d.n_rows - 1], 113700.11);
    /* Black Thursday: 2020-03-12 closes about 39% below 2020-03-11 (a -49% log return) */
    int32_t bt;
    cr_assert(mcr_date_parse("2020-03-12", &bt));
    int r = mcr_data_file_row_at_or_before(&d, bt);
    cr_assert_eq(d.day[r], bt);
    double ret;
    mcr_log_returns(&d.col[c][r - 1], 2, &ret);
    cr_assert(ret < -0.45 && ret > -0.55, "%g", ret);
    mcr_data_file_free(&d);

    /* a chosen column only, in the order asked */
    const char *two[] = {"close", "open"};
    cr_assert_eq(mcr_data_file_load(BTC, two, 2, &d, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(d.n_cols, 2);
    cr_assert_str_eq(d.names[0], "close");
    cr_assert_eq(d.col[1][1], 10.9); /* open of 2011-08-19 */
    mcr_data_file_free(&d);
}

Test(data_file, accepted_variants_give_the_same_data)
{
    const char *plain = "date,close,volume\n2020-01-01,100,0\n2020-01-02,110.5,3e2\n"
                        "2020-01-03,1.2E+2,5\n";
    const char *variants[] = {
        "\xEF\xBB\xBF\"date\",\"close\",\"volume\"\r\n2020-01-01,100,0\r\n2020-01-02,110.5,3e2\r\n"
        "2020-01-03,1.2E+2,5\r\n",
        "date,close,volume\r2020-01-01,100,0\r2020-01-02,110.5,3e2\r2020-01-03,1.2E+2,5\r",
        "Date, close ,volume\n2020-01-01, 100,0\n\"2020-01-02\",\"110.5\",3e2\n2020-01-03,1.2E+2,5"
        "\n\n\n",
    };
    mcr_data_file ref, d;
    mcr_error err = {0};
    cr_assert_eq(mcr_data_file_load(write_text("plain.csv", plain), NULL, 0, &ref, &err), MCR_OK,
                 "%s", err.msg);
    cr_assert_eq(ref.n_rows, 3);
    cr_assert_eq(ref.col[0][2], 120.0);
    cr_assert_eq(ref.col[1][0], 0.0); /* a zero volume is fine */
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        cr_assert_eq(mcr_data_file_load(write_text("v.csv", variants[v]), NULL, 0, &d, &err),
                     MCR_OK, "variant %zu: %s", v, err.msg);
        cr_assert_eq(d.n_rows, 3, "variant %zu", v);
        cr_assert_str_eq(d.names[0], "close");
        for (int i = 0; i < 3; i++) {
            cr_assert_eq(d.day[i], ref.day[i]);
            cr_assert_eq(d.col[0][i], ref.col[0][i]);
            cr_assert_eq(d.col[1][i], ref.col[1][i]);
        }
        mcr_data_file_free(&d);
    }
    mcr_data_file_free(&ref);
}

Test(data_file, refused_values_name_file_line_and_column)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"date,close\n2020-01-01,0x1A\n", ":2: column close: '0x1A' is not a decimal number"},
        {"date,close\n2020-01-01,1\n2020-01-02,inf\n", ":3: column close: 'inf'"},
        {"date,close\n2020-01-01,nan\n", ":2: column close: 'nan'"},
        {"date,close\n2020-01-01,\n", ":2: column close: '' is not a decimal"},
        {"date,close\n2020-01-01,1.\n2020-01-02,.5\n2020-01-03,1e\n", ":4: column close: '1e'"},
        {"date,close\n2020-01-01,1 2\n", ":2: column close: '1 2'"},
        {"date,close\n2020-01-01,0\n", ":2: column close: 0 must be a finite number > 0"},
        {"date,close\n2020-01-01,-3\n", ":2: column close: -3 must be a finite number > 0"},
        {"date,close\n2020-01-01,1e999\n", ":2: column close: 1e999 must be a finite"},
        {"date,close,volume\n2020-01-01,1,-1\n", ":2: column volume: -1 must be a finite number >= 0"},
        {"date,close\n2020-02-30,1\n", ":2: column date: '2020-02-30' is not a date"},
        {"date,close\n01/02/2020,1\n", ":2: column date: '01/02/2020' is not a date"},
        {"date,close\n2020-01-02,1\n2020-01-01,1\n",
         ":3: column date: 2020-01-01 is not after the previous row's 2020-01-02"},
        {"date,close\n2020-01-02,1\n2020-01-02,1\n", ":3: column date: 2020-01-02 is not after"},
        {"date,close\n2020-01-01,1,2\n", ":2: 3 fields; the header has 2"},
        {"date,close\n2020-01-01\n", ":2: 1 fields; the header has 2"},
        {"date,close\n2020-01-01,1\n\n2020-01-02,1\n", ":3: empty line inside the data"},
        {"date,close\n2020-01-01,\"1\"2\"\n", ":2: field 2: stray double quote"},
        {"time,close\n2020-01-01,1\n", ":1: no 'date' column"},
        {"date,close,close\n2020-01-01,1,1\n", ":1: column 'close' appears twice"},
        {"date,,close\n2020-01-01,1,1\n", ":1: header field 2"},
        {"date\n2020-01-01\n", ":1: no data column besides 'date'"},
        {"date,close\n", ": no data rows"},
        {"", ":1: no header line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad%zu.csv", i);
        expect_error(write_text(name, cases[i].text), NULL, 0, cases[i].want);
    }
    /* only the kept columns are parsed: a bad volume does not stop a close-only load */
    mcr_data_file d;
    mcr_error err = {0};
    const char *p = write_text("vol.csv", "date,close,volume\n2020-01-01,5,x\n");
    cr_assert_eq(mcr_data_file_load(p, close_only, 1, &d, &err), MCR_OK, "%s", err.msg);
    mcr_data_file_free(&d);
    expect_error(p, NULL, 0, ":2: column volume: 'x'");
    const char *missing[] = {"adj_close"};
    expect_error(write_text("m.csv", "date,open,close\n2020-01-01,1,1\n"), missing, 1,
                 ":1: no column 'adj_close'; columns: open, close");
}

Test(data_file, refused_files)
{
    /* NUL byte on line 3 */
    const char nul[] = "date,close\n2020-01-01,1\n2020-01-02,\0\n";
    expect_error(write_file("nul.csv", nul, sizeof nul - 1), NULL, 0, ":3: NUL byte");
    /* a line over the limit */
    size_t n = MCR_DATA_MAX_LINE + 100;
    char *big = malloc(n + 64);
    strcpy(big, "date,close\n2020-01-01,");
    size_t k = strlen(big);
    memset(big + k, '1', n - k);
    big[n] = '\n';
    expect_error(write_file("long.csv", big, n + 1), NULL, 0, ":2: line is");
    free(big);
    /* a file over the size limit (sparse, so the test writes nothing) */
    char path[128];
    snprintf(path, sizeof path, "%s/huge.csv", tmp);
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, MCR_DATA_MAX_BYTES + 1), 0);
    close(fd);
    expect_error(path, NULL, 0, "data files are limited to");
    /* missing file, directory */
    mcr_data_file d;
    mcr_error err = {0};
    snprintf(path, sizeof path, "%s/none.csv", tmp);
    cr_assert_eq(mcr_data_file_load(path, NULL, 0, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "cannot open data file") != NULL, "%s", err.msg);
    cr_assert_eq(mcr_data_file_load(tmp, NULL, 0, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "not a regular file") != NULL, "%s", err.msg);
}

Test(data_file, ranges_gaps_and_returns)
{
    const char *p = write_text("g.csv", "date,close\n2020-01-01,100\n2020-01-02,110\n"
                                        "2020-01-05,99\n2020-01-06,99\n");
    mcr_data_file d;
    mcr_error err = {0};
    cr_assert_eq(mcr_data_file_load(p, close_only, 1, &d, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_data_file_gap(&d, 0, d.n_rows), 2);
    cr_assert_eq(mcr_data_file_gap(&d, 2, 2), -1);
    int32_t a, b;
    int first, count;
    mcr_date_parse("2020-01-02", &a);
    mcr_date_parse("2020-01-04", &b);
    mcr_data_file_range(&d, a, b, &first, &count);
    cr_assert(first == 1 && count == 1);
    mcr_data_file_range(&d, b, b, &first, &count);
    cr_assert_eq(count, 0);
    cr_assert_eq(mcr_data_file_row_at_or_before(&d, b), 1);
    cr_assert_eq(mcr_data_file_row_at_or_before(&d, a - 5), -1);
    double r[3];
    mcr_log_returns(d.col[0], 4, r);
    cr_assert_float_eq(r[0], log(1.1), 1e-15);
    cr_assert_float_eq(r[1], log(99.0 / 110.0), 1e-15);
    cr_assert_eq(r[2], 0.0);
    mcr_data_file_free(&d);
}

Test(data_file, align_on_common_dates)
{
    mcr_data_file f[3];
    mcr_error err = {0};
    const char *texts[3] = {
        "date,btc\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n2020-01-05,5\n",
        "date,eth\n2019-12-31,9\n2020-01-02,20\n2020-01-03,30\n2020-01-04,40\n2020-01-05,50\n",
        "date,sol\n2020-01-03,300\n2020-01-05,500\n2020-01-09,900\n",
    };
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "a%d.csv", i);
        cr_assert_eq(mcr_data_file_load(write_text(name, texts[i]), NULL, 0, &f[i], &err), MCR_OK,
                     "%s", err.msg);
    }
    const mcr_data_file *fs[3] = {&f[0], &f[1], &f[2]};
    int32_t *days;
    int n, *rows[3];
    cr_assert_eq(mcr_data_align(fs, 3, &days, &n, rows, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(n, 2); /* 2020-01-03 and 2020-01-05 */
    for (int k = 0; k < n; k++) {
        double x = f[0].col[0][rows[0][k]];
        cr_assert_eq(f[1].col[0][rows[1][k]], 10 * x);
        cr_assert_eq(f[2].col[0][rows[2][k]], 100 * x);
        cr_assert_eq(f[0].day[rows[0][k]], days[k]);
    }
    free(days);
    for (int i = 0; i < 3; i++)
        free(rows[i]);
    /* disjoint files: an error naming them */
    mcr_data_file g;
    cr_assert_eq(mcr_data_file_load(write_text("late.csv", "date,x\n2021-01-01,1\n"), NULL, 0, &g,
                                    &err), MCR_OK);
    const mcr_data_file *two[2] = {&f[0], &g};
    cr_assert_eq(mcr_data_align(two, 2, &days, &n, rows, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "no date in common") && strstr(err.msg, "late.csv"), "%s", err.msg);
    mcr_data_file_free(&g);
    for (int i = 0; i < 3; i++)
        mcr_data_file_free(&f[i]);
}

/* Tables without dates (option chains): same value rules, any row order. */
Test(data_file, table_without_dates)
{
    const char *cols[] = {"strike", "implied_vol"};
    mcr_data_file d;
    mcr_error err = {0};
    const char *p = write_text("chain.csv", "strike,expiry_days,implied_vol\n70000,30,0.6\n"
                                            "50000,7,0.8\n");
    cr_assert_eq(mcr_table_load(p, cols, 2, &d, &err), MCR_OK, "%s", err.msg);
    cr_assert(d.n_rows == 2 && d.col[0][1] == 50000 && d.col[1][0] == 0.6);
    mcr_data_file_free(&d);
    expect_error(write_text("c2.csv", "strike,implied_vol\n70000,0x1\n"), NULL, 0,
                 ":1: no 'date' column"); /* the dated loader still wants dates */
    p = write_text("c3.csv", "strike,implied_vol\n70000,-0.5\n");
    cr_assert_eq(mcr_table_load(p, NULL, 0, &d, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "c3.csv:2: column implied_vol: -0.5 must be a finite number > 0"),
              "%s", err.msg);
}
