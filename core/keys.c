/* Range text and range checks of the key table (keys.h), shared by the config loader (values the
 * user wrote) and by the models' own checks (values set in code), so a range is written once, in
 * its row, and every message about it reads the same. */
#include "keys.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *mcr_key_number_text(double v, char *buf, size_t cap)
{
    char raw[40];
    if (v == floor(v) && fabs(v) < 1e9) /* whole numbers as written: 1000000, not 1e+06 */
        snprintf(raw, sizeof raw, "%.0f", v);
    else
        snprintf(raw, sizeof raw, "%g", v);
    /* "1e+10" -> "1e10", "1e-05" -> "1e-5": how people write it */
    char *e = strchr(raw, 'e');
    if (e) {
        char *p = e + 1, *q = e + 1;
        if (*p == '+')
            p++;
        else if (*p == '-')
            *q++ = *p++;
        while (*p == '0' && p[1])
            p++;
        memmove(q, p, strlen(p) + 1);
    }
    snprintf(buf, cap, "%s", raw);
    return buf;
}

const char *mcr_key_range_text(const mcr_key *k, char *buf, size_t cap)
{
    char lo[40], hi[40];
    bool has_lo = k->flags & MCR_KEY_HAS_MIN, has_hi = k->flags & MCR_KEY_HAS_MAX;
    mcr_key_number_text(k->min, lo, sizeof lo);
    mcr_key_number_text(k->max, hi, sizeof hi);
    if (has_lo && has_hi)
        snprintf(buf, cap, "in %c%s, %s%c", k->flags & MCR_KEY_MIN_OPEN ? '(' : '[', lo, hi,
                 k->flags & MCR_KEY_MAX_OPEN ? ')' : ']');
    else if (has_lo)
        snprintf(buf, cap, "%s %s", k->flags & MCR_KEY_MIN_OPEN ? ">" : ">=", lo);
    else if (has_hi)
        snprintf(buf, cap, "%s %s", k->flags & MCR_KEY_MAX_OPEN ? "<" : "<=", hi);
    else
        buf[0] = '\0';
    return buf;
}

bool mcr_key_in_range(const mcr_key *k, double v)
{
    if (!isfinite(v))
        return false;
    if (k->flags & MCR_KEY_HAS_MIN && (k->flags & MCR_KEY_MIN_OPEN ? !(v > k->min) : !(v >= k->min)))
        return false;
    if (k->flags & MCR_KEY_HAS_MAX && (k->flags & MCR_KEY_MAX_OPEN ? !(v < k->max) : !(v <= k->max)))
        return false;
    return true;
}

const char *mcr_key_expected(const mcr_key *k, char *buf, size_t cap)
{
    char range[96];
    mcr_key_range_text(k, range, sizeof range);
    snprintf(buf, cap, "%s%s%s%s%s", k->type == MCR_KEY_INT ? "an integer" : "a number",
             range[0] ? " " : "", range, k->unit ? ", " : "", k->unit ? k->unit : "");
    return buf;
}

mcr_status mcr_key_check_value(const mcr_key *k, double v, const char *where, mcr_error *err)
{
    if (mcr_key_in_range(k, v))
        return MCR_OK;
    char expected[192], got[40];
    return mcr_fail(err, MCR_ERR_INPUT, "%s%s%s: must be %s (got %s)", where ? where : "",
                    where && *where ? "." : "", k->name,
                    mcr_key_expected(k, expected, sizeof expected),
                    mcr_key_number_text(v, got, sizeof got));
}

mcr_status mcr_keys_check(const mcr_key *rows, const void *base, const char *where,
                          mcr_error *err)
{
    for (const mcr_key *k = rows; k && k->name; k++) {
        const char *at = (const char *)base + k->offset;
        if (k->type == MCR_KEY_INCLUDE) {
            mcr_status st = mcr_keys_check(k->sub, at, where, err);
            if (st != MCR_OK)
                return st;
            continue;
        }
        if (k->type != MCR_KEY_FLOAT && k->type != MCR_KEY_INT)
            continue;
        if (k->type == MCR_KEY_FLOAT && k->words && k->word_offset != (size_t)-1 &&
            *(const int *)((const char *)base + k->word_offset) != 0)
            continue; /* a word (e.g. auto) was chosen instead of a number */
        double v;
        if (k->type == MCR_KEY_FLOAT)
            v = *(const double *)at;
        else if (k->size == sizeof(int))
            v = *(const int *)at;
        else
            v = (double)*(const long long *)at;
        mcr_status st = mcr_key_check_value(k, v, where, err);
        if (st != MCR_OK)
            return st;
    }
    return MCR_OK;
}

/* The row named (name, len) in rows, INCLUDEs searched; *base gets the offset of its struct. */
static const mcr_key *row_in(const mcr_key *rows, const char *name, size_t len, size_t *base)
{
    for (const mcr_key *k = rows; k && k->name; k++) {
        if (k->type == MCR_KEY_INCLUDE) {
            size_t inner = 0;
            const mcr_key *f = row_in(k->sub, name, len, &inner);
            if (f) {
                *base += k->offset + inner;
                return f;
            }
        } else if (strlen(k->name) == len && memcmp(k->name, name, len) == 0) {
            return k;
        }
    }
    return NULL;
}

const mcr_key *mcr_keys_find(const mcr_key *rows, const char *path, size_t *offset)
{
    size_t base = 0;
    for (;;) {
        size_t len = strcspn(path, ".");
        const mcr_key *k = row_in(rows, path, len, &base);
        if (!k)
            return NULL;
        base += k->offset;
        if (path[len] == '\0') {
            if (offset)
                *offset = base;
            return k;
        }
        if (k->type != MCR_KEY_MAP)
            return NULL;
        rows = k->sub;
        path += len + 1;
    }
}
