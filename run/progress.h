/* Progress of a run on stderr: paths done out of the total over every scenario, the rate in
 * path-steps per second and the time left. One thread calls mcr_progress_update, as often as it
 * likes (between blocks; never from the per-step loop): it prints at most twice a second.
 * On a terminal the line is rewritten in place (carriage return); otherwise, for logs, a line
 * is printed when a 25% mark is passed and at least every 10 seconds. */
#ifndef MCR_PROGRESS_H
#define MCR_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct mcr_progress {
    FILE *out;
    bool on, tty, shown;  /* shown: a terminal line is on screen */
    uint64_t total;       /* paths over every scenario */
    uint64_t start_done;  /* paths already done when this session started (resumed) */
    int steps, n_scenarios, quarter;
    double t0, last;      /* omp_get_wtime() at the start and at the last line */
} mcr_progress;

/* quiet: print nothing. total and done count paths over every scenario. */
void mcr_progress_begin(mcr_progress *p, FILE *out, bool quiet, uint64_t total, uint64_t done,
                        int steps, int n_scenarios);
/* done: paths finished over every scenario; scenario, name: the one under way. */
void mcr_progress_update(mcr_progress *p, uint64_t done, int scenario, const char *name);
/* Clear the terminal line, so what follows starts on a clean line. */
void mcr_progress_end(mcr_progress *p);

#endif
