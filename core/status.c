/* Status strings and the error recorder shared by every layer. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

const char *mcr_status_str(mcr_status s)
{
    static const char *const names[] = {
        [MCR_OK] = "ok",
        [MCR_ERR_INPUT] = "bad input",
        [MCR_ERR_IO] = "i/o error",
        [MCR_ERR_NOMEM] = "out of memory",
        [MCR_ERR_INTERNAL] = "internal error",
        [MCR_ERR_NUMERIC] = "non-finite result",
    };
    if ((unsigned)s < sizeof names / sizeof names[0])
        return names[s];
    return "unknown status";
}

int mcr_exit_code(mcr_status st)
{
    return st == MCR_OK ? 0 : st == MCR_ERR_INPUT ? 2 : 1;
}

mcr_status mcr_fail(mcr_error *err, mcr_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = s;
    }
    return s;
}
