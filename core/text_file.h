/* Text input files (path files, data files): read whole into memory under a size limit, refused
 * when not a regular file or when they hold a NUL byte, a UTF-8 byte-order mark skipped, hashed
 * (SHA-256, for the output's provenance and the checkpoint's identity), then split into lines
 * (\n, \r\n or a lone \r) and comma-separated fields. Every error is one line naming the file
 * and, where there is one, the line. */
#ifndef MCR_TEXT_FILE_H
#define MCR_TEXT_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sha256.h"
#include "core/status.h"

typedef struct mcr_text {
    const char *path;
    char *buf;       /* the whole file, NUL-terminated (owned) */
    size_t len, pos; /* pos: the next line's first byte */
    int line;        /* the line last returned, from 1 */
    char sha256[MCR_SHA256_HEX]; /* of every byte of the file */
} mcr_text;

/* Read `path` (`what` names it in messages: "path file", "data file"); at most max_bytes. */
mcr_status mcr_text_read(mcr_text *t, const char *path, const char *what, long max_bytes,
                         mcr_error *err);
void mcr_text_free(mcr_text *t);

/* The next line without its end, or false at the end of the text. */
bool mcr_text_next_line(mcr_text *t, const char **start, size_t *n);

typedef struct mcr_field {
    const char *s;
    size_t n;
} mcr_field;

/* Split one line at commas, trimming blanks and one pair of enclosing double quotes. Returns the
 * field count, or -1 (with the error) for a stray quote or more than cap fields. */
int mcr_text_split(const mcr_text *t, const char *s, size_t n, mcr_field *f, int cap,
                   mcr_error *err);

/* Only spaces and tabs. */
bool mcr_text_blank(const char *s, size_t n);

/* A plain decimal: [sign] digits [. digits] [(e|E) [sign] digits], at least one mantissa digit
 * (no hexadecimal, inf or nan). */
bool mcr_text_is_decimal(const char *s, size_t n);

/* The number of the line holding byte `at` (line ends as mcr_text_next_line counts them). */
int mcr_text_line_of(const char *buf, size_t at);

#endif
