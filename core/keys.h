/* The config key table: every key of the YAML config is one row (name, type, where its value
 * goes, default, range, unit, help), in the manner of libcyaml's schema rows and git's
 * parse-options. One table drives validation, error messages, defaults, command-line overrides,
 * the libcyaml schema that loads the values and the generated reference (docs/CONFIG.md).
 *
 * A mapping whose keys depend on its kind (a model by its `type`, a strategy by its `type`, a book
 * position by its `instrument`) is a KIND row: the kind, found in a table of mcr_kind, brings its
 * own rows. Kinds are declared by the layer that implements them (models/, instruments/,
 * strategies/) and handed to the loader, so adding one is one file and one registry line.
 *
 * The rows live in the layers that own the keys; this header has no dependencies so that every
 * layer from models/ up can declare them. */
#ifndef MCR_KEYS_H
#define MCR_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

typedef enum mcr_key_type {
    MCR_KEY_BOOL,   /* bool */
    MCR_KEY_INT,    /* a whole decimal number, stored as int32 or int64 (size) */
    MCR_KEY_FLOAT,  /* a finite number, double; or one of `words` (below) */
    MCR_KEY_STRING, /* char[size] */
    MCR_KEY_ENUM,   /* one of `words`, stored as int (the word's value) */
    MCR_KEY_ASSET,  /* the name of a market asset, stored as int (its index) */
    MCR_KEY_FLOATS, /* a list of numbers: double[max_count], count as int at count_offset */
    MCR_KEY_MAP,    /* a mapping of `sub` rows, stored at offset (offsets of sub relative to it) */
    MCR_KEY_LIST,   /* a list of mappings of `sub` rows: entries of `size` bytes, count as int */
    MCR_KEY_KIND,   /* a mapping whose keys depend on its kind: see mcr_kind */
    MCR_KEY_CUSTOM, /* read and checked by the section's own code (e.g. a correlation matrix) */
    MCR_KEY_INCLUDE, /* not a key: the rows of `sub` belong here too, `offset` bytes further */
} mcr_key_type;

/* A word a key accepts: an ENUM's values, or FLOAT's alternatives to a number (e.g. `auto`). */
typedef struct mcr_key_word {
    const char *word;
    int value;
    const char *help;
} mcr_key_word;

enum {
    MCR_KEY_REQUIRED = 1 << 0, /* a missing key is an error */
    MCR_KEY_MIN_OPEN = 1 << 1, /* the range excludes min: (min, ...] */
    MCR_KEY_MAX_OPEN = 1 << 2, /* the range excludes max: [..., max) */
    MCR_KEY_HAS_MIN = 1 << 3,  /* min is a bound (else none) */
    MCR_KEY_HAS_MAX = 1 << 4,  /* max is a bound (else none) */
    MCR_KEY_HIDDEN = 1 << 5,   /* accepted for compatibility, left out of the reference */
    MCR_KEY_UNSIGNED = 1 << 6, /* INT: any value of a uint64 (e.g. a seed) */
    MCR_KEY_NAME = 1 << 7,     /* STRING: a name that becomes an HDF5 group ([A-Za-z0-9_.-]) */
    MCR_KEY_NONEMPTY = 1 << 8, /* STRING: must not be empty; MAP: at least one key */
    MCR_KEY_ONE_OF = 1 << 9,   /* MAP: exactly one of its keys is given */
    MCR_KEY_EMPTY_OK = 1 << 10, /* LIST, FLOATS: [] is allowed (e.g. to clear a built-in's) */
};

struct mcr_kind_table;

typedef struct mcr_key {
    const char *name;  /* the key as written in YAML; NULL ends a table */
    mcr_key_type type;
    unsigned flags;
    size_t offset;     /* where the value goes, in the struct the table describes */
    size_t size;       /* STRING: the buffer; INT: 4 or 8; LIST: one entry */
    size_t count_offset; /* FLOATS, LIST: where the count (int) goes */
    int max_count;     /* FLOATS, LIST: most entries (at least one when given) */
    double min, max;   /* FLOAT, INT: the range (with the flags above) */
    double def;        /* FLOAT, INT, BOOL (0/1), ENUM (value): the default when absent */
    const char *def_text; /* STRING: default; or how the default is found, for the reference */
    const double *def_list; /* FLOATS: default values (def_count of them) */
    int def_count;
    const mcr_key_word *words; /* ENUM values, or FLOAT's words; ends with a NULL word */
    size_t word_offset; /* FLOAT with words: where the chosen word's value (int) goes; -1: none */
    /* "key=word": accepted only beside the sibling `key` given as `word` (a setting of what that
     * word turns on, e.g. objective=... only with hedge_ratio: optimize); NULL: always */
    const char *only_with;
    const struct mcr_key *sub; /* MAP, LIST */
    const struct mcr_kind_table *kinds; /* KIND: where its kinds are found (see below) */
    const char *unit;  /* "per year", "days", "bps", "quote currency"; NULL: none. A list's
                        * unit names one entry ("asset"), for messages */
    const char *help;  /* one line: what the key means */
} mcr_key;

struct mcr_config; /* config/config.h: what a kind's check may consult */

/* A kind of a KIND mapping: its name (the value of the selecting key), its own rows and the
 * size of the struct they fill, and a check of what one key alone cannot say (the order of two
 * strikes, a default that depends on the book). The check gets the whole entry the mapping
 * filled (its table's common keys, and its own keys at the table's params_offset) and the loaded
 * config; its message starts with the key path ("strategies[2].call_strike: ..."), so the loader
 * can point at the line. */
typedef struct mcr_kind {
    const char *name;
    const char *help;
    const mcr_key *keys;
    size_t params_size;
    mcr_status (*check)(void *entry, const struct mcr_config *cfg, const char *path,
                        mcr_error *err);
    unsigned traits; /* MCR_KIND_* below: what other checks may ask of an entry of this kind */
} mcr_kind;

/* A European call or put on its asset (an instrument kind): the option that
 * run.variance_reduction.control_variate: book_option prices as its control. */
#define MCR_KIND_EUROPEAN_OPTION 1u

/* The kinds a KIND row selects from: by the value of `selector` (e.g. "type"), among `kinds`.
 * `common` are rows every kind takes besides its own (e.g. a strategy's `asset`), stored in the
 * struct at the KIND row's offset; a kind's own rows go to its params, `params_offset` bytes
 * into that struct. */
typedef struct mcr_kind_table {
    const char *what;      /* "model type", "strategy type", "instrument" */
    const char *selector;  /* the key naming the kind */
    const char *def_kind;  /* the kind when the selector is absent, or NULL: required */
    const mcr_kind *const *kinds;
    int n_kinds;
    const mcr_key *common;
    size_t size;           /* the struct a kind mapping fills */
    size_t params_offset;  /* where the kind's own rows start in it */
    size_t kind_offset;    /* where the kind's index (int) goes in it */
} mcr_kind_table;

/* Row constructors, so a table reads as a list of keys. T: the struct, m: its member. */
#define MCR_RANGE_CLOSED (MCR_KEY_HAS_MIN | MCR_KEY_HAS_MAX)
#define MCR_KEY_F(n, T, m, fl, lo, hi, d, u, h)                                                    \
    {.name = n, .type = MCR_KEY_FLOAT, .flags = (fl), .offset = offsetof(T, m), .min = (lo),     \
     .max = (hi), .def = (d), .word_offset = (size_t)-1, .unit = u, .help = h}
#define MCR_KEY_I(n, T, m, fl, lo, hi, d, u, h)                                                    \
    {.name = n, .type = MCR_KEY_INT, .flags = (fl), .offset = offsetof(T, m),                    \
     .size = sizeof(((T *)0)->m), .min = (lo), .max = (hi), .def = (d),                           \
     .word_offset = (size_t)-1, .unit = u, .help = h}
#define MCR_KEY_B(n, T, m, d, h)                                                                   \
    {.name = n, .type = MCR_KEY_BOOL, .offset = offsetof(T, m), .def = (d),                      \
     .word_offset = (size_t)-1, .help = h}
#define MCR_KEY_S(n, T, m, fl, d, h)                                                               \
    {.name = n, .type = MCR_KEY_STRING, .flags = (fl), .offset = offsetof(T, m),                 \
     .size = sizeof(((T *)0)->m), .def_text = d, .word_offset = (size_t)-1, .help = h}
#define MCR_KEY_E(n, T, m, fl, w, d, h)                                                            \
    {.name = n, .type = MCR_KEY_ENUM, .flags = (fl), .offset = offsetof(T, m), .words = w,       \
     .def = (d), .word_offset = (size_t)-1, .help = h}
#define MCR_KEY_A(n, T, m, fl, d, h)                                                               \
    {.name = n, .type = MCR_KEY_ASSET, .flags = (fl), .offset = offsetof(T, m), .def_text = d,   \
     .word_offset = (size_t)-1, .help = h}
#define MCR_KEY_M(n, T, m, s, h)                                                                   \
    {.name = n, .type = MCR_KEY_MAP, .offset = offsetof(T, m), .size = sizeof(((T *)0)->m),      \
     .sub = s, .word_offset = (size_t)-1, .help = h}
#define MCR_KEY_INC(T, m, s)                                                                       \
    {.name = "", .type = MCR_KEY_INCLUDE, .offset = offsetof(T, m), .sub = s,                    \
     .word_offset = (size_t)-1}
#define MCR_KEY_END {.name = NULL}

/* "1e10", "0.005": a bound or value as people write it. */
const char *mcr_key_number_text(double v, char *buf, size_t cap);
/* "> 0", ">= 0", "in [-1, 1]", "in (0, 10]", "< 1", or "" without bounds. */
const char *mcr_key_range_text(const mcr_key *k, char *buf, size_t cap);
/* "a number in (0, 10], relative to spot at t0": what a number key must be. */
const char *mcr_key_expected(const mcr_key *k, char *buf, size_t cap);
/* v is finite and within the key's range. */
bool mcr_key_in_range(const mcr_key *k, double v);
/* The numbers of a struct described by `rows` against their ranges: the first one out of range
 * fails with "WHERE.KEY: must be a number > 0, UNIT (got -1)". For values set in code (the
 * models' own checks); the config loader checks what the user wrote with the same rows. */
mcr_status mcr_keys_check(const mcr_key *rows, const void *base, const char *where,
                          mcr_error *err);

/* One value against one key's range, with the same message. */
mcr_status mcr_key_check_value(const mcr_key *k, double v, const char *where, mcr_error *err);

/* The row of the key at dotted `path` under `rows` ("rebalance.band"), through nested mappings
 * and included rows, and its value's offset in the struct the rows describe; NULL if none. */
const mcr_key *mcr_keys_find(const mcr_key *rows, const char *path, size_t *offset);

/* Number of rows of a NULL-ended table. */
static inline int mcr_keys_count(const mcr_key *k)
{
    int n = 0;
    while (k && k[n].name)
        n++;
    return n;
}

#endif
