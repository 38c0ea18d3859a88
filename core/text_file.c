/* Text input files (text_file.h): bounded whole-file reads, lines and fields; shared by the
 * path files (scenario/) and the data files (core/data_file.c). */
#include "text_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

mcr_status mcr_text_read(mcr_text *t, const char *path, const char *what, long max_bytes,
                         mcr_error *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: cannot open %s: %s", path, what,
                        strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp); /* a device or a FIFO could be endless (/dev/zero) */
        return mcr_fail(err, MCR_ERR_INPUT, "%s: %s is not a regular file", path, what);
    }
    if (st.st_size > max_bytes) {
        fclose(fp);
        return mcr_fail(err, MCR_ERR_INPUT, "%s: file is %lld bytes; %ss are limited to %ld "
                        "bytes", path, (long long)st.st_size, what, max_bytes);
    }
    char *b = malloc((size_t)st.st_size + 1);
    if (!b) {
        fclose(fp);
        return mcr_fail(err, MCR_ERR_NOMEM, "%s: out of memory reading the %s", path, what);
    }
    size_t got = fread(b, 1, (size_t)st.st_size, fp);
    bool bad = ferror(fp) || got != (size_t)st.st_size || fgetc(fp) != EOF;
    fclose(fp);
    if (bad) {
        free(b);
        return mcr_fail(err, MCR_ERR_IO, "%s: read error or file changed while reading", path);
    }
    b[got] = '\0';
    const char *nul = memchr(b, '\0', got);
    if (nul) {
        mcr_status s = mcr_fail(err, MCR_ERR_INPUT, "%s:%d: NUL byte (not a text CSV file)",
                                path, mcr_text_line_of(b, (size_t)(nul - b)));
        free(b);
        return s;
    }
    t->buf = b;
    t->len = got;
    mcr_sha256_bytes(b, got, t->sha256);
    if (got >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
        t->pos = 3; /* UTF-8 byte-order mark */
    return MCR_OK;
}

void mcr_text_free(mcr_text *t)
{
    free(t->buf);
    t->buf = NULL;
    t->len = t->pos = 0;
}

bool mcr_text_next_line(mcr_text *t, const char **start, size_t *n)
{
    if (t->pos >= t->len)
        return false;
    const char *s = t->buf + t->pos;
    size_t i = 0, rest = t->len - t->pos;
    while (i < rest && s[i] != '\n' && s[i] != '\r')
        i++;
    *start = s;
    *n = i;
    if (i < rest && s[i] == '\r' && i + 1 < rest && s[i + 1] == '\n')
        i++;
    t->pos += i + (i < rest);
    t->line++;
    return true;
}

int mcr_text_split(const mcr_text *t, const char *s, size_t n, mcr_field *f, int cap,
                   mcr_error *err)
{
    int k = 0;
    size_t i = 0;
    for (;;) {
        size_t a = i;
        while (i < n && s[i] != ',')
            i++;
        size_t b = i;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        if (b - a >= 2 && s[a] == '"' && s[b - 1] == '"')
            a++, b--;
        if (memchr(s + a, '"', b - a)) {
            mcr_fail(err, MCR_ERR_INPUT, "%s:%d: field %d: stray double quote (quoted fields "
                     "may not contain quotes or commas)", t->path, t->line, k + 1);
            return -1;
        }
        if (k == cap) {
            mcr_fail(err, MCR_ERR_INPUT, "%s:%d: more than %d fields", t->path, t->line, cap);
            return -1;
        }
        f[k++] = (mcr_field){s + a, b - a};
        if (i == n)
            return k;
        i++; /* the comma */
    }
}

bool mcr_text_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

bool mcr_text_is_decimal(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < n && isdigit((unsigned char)s[i]))
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < n && isdigit((unsigned char)s[i]))
            i++, e++;
        if (!e)
            return false;
    }
    return i == n;
}

int mcr_text_line_of(const char *buf, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        if (buf[i] == '\n' || (buf[i] == '\r' && buf[i + 1] != '\n'))
            line++;
    return line;
}
