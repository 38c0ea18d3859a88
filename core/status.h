/* mcr_status and mcr_error: how every layer reports failure at its boundary.
 * Kernels never fail; models validate parameters; the engine turns a status into an exit code
 * (input errors -> 2, everything else -> 1). The message is one line, already naming the key,
 * file or line and what is allowed, so callers print it unchanged. */
#ifndef MCR_STATUS_H
#define MCR_STATUS_H

typedef enum mcr_status {
    MCR_OK = 0,
    MCR_ERR_INPUT,    /* bad config, flag or parameter: the user can fix it */
    MCR_ERR_IO,       /* a file could not be read or written */
    MCR_ERR_NOMEM,
    MCR_ERR_INTERNAL, /* a bug: an invariant did not hold */
    MCR_ERR_NUMERIC,  /* a result that is not a finite number (risk/finite.h) */
} mcr_status;

typedef struct mcr_error {
    mcr_status status;
    char msg[512];
} mcr_error;

const char *mcr_status_str(mcr_status s);

/* The process exit status of the CLI contract for a status: 0 success, 2 bad input (the user can
 * fix it), 1 any other failure. (128 + signal, for a run stopped with a checkpoint, is the run
 * driver's.) */
int mcr_exit_code(mcr_status st);

/* Record a failure (printf-style message) and return its status, so callers can write
 * `return mcr_fail(err, MCR_ERR_INPUT, "...")`. A NULL err is allowed. */
mcr_status mcr_fail(mcr_error *err, mcr_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
