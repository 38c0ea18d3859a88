/* Progress lines on stderr (progress.h): rate-limited, TTY-aware, silent with --quiet. */
#include "progress.h"

#include <omp.h>
#include <unistd.h>

#define MCR_PROGRESS_TTY_SECONDS 0.5
#define MCR_PROGRESS_LOG_SECONDS 10.0

void mcr_progress_begin(mcr_progress *p, FILE *out, bool quiet, uint64_t total, uint64_t done,
                        int steps, int n_scenarios)
{
    *p = (mcr_progress){.out = out, .on = !quiet && out, .total = total, .start_done = done,
                        .steps = steps, .n_scenarios = n_scenarios};
    p->tty = p->on && isatty(fileno(out));
    p->t0 = p->last = omp_get_wtime();
    p->quarter = total ? (int)(4 * done / total) : 4;
}

/* 4500032 -> "4,500,032" */
static void thousands(char *buf, size_t size, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), k = 0;
    char out[48];
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = 0;
    snprintf(buf, size, "%s", out);
}

/* 3725 s -> "1h02m", 125 s -> "2m05s", 7 s -> "7s" */
static void format_duration(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ldh%02ldm", t / 3600, t % 3600 / 60);
    else if (t >= 60)
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, size, "%lds", t);
}

void mcr_progress_update(mcr_progress *p, uint64_t done, int scenario, const char *name)
{
    if (!p->on)
        return;
    double now = omp_get_wtime();
    int quarter = p->total ? (int)(4 * done / p->total) : 4;
    bool due = p->tty ? now - p->last >= MCR_PROGRESS_TTY_SECONDS
                      : quarter > p->quarter || now - p->last >= MCR_PROGRESS_LOG_SECONDS;
    if (!due)
        return;
    p->last = now;
    p->quarter = quarter;

    double elapsed = now - p->t0, session = (double)(done - p->start_done);
    double rate = elapsed > 0 ? session * p->steps / elapsed : 0; /* path-steps/s */
    char eta[32] = "?";
    if (rate > 0)
        format_duration((double)(p->total - done) * p->steps / rate, eta, sizeof eta);
    /* scenarios run one after the other: the ones before `scenario` are complete */
    uint64_t per = p->n_scenarios ? p->total / (uint64_t)p->n_scenarios : p->total;
    uint64_t before = (uint64_t)scenario * per;
    uint64_t in = done > before ? done - before : 0;
    char in_s[48], per_s[48];
    thousands(in_s, sizeof in_s, in < per ? in : per);
    thousands(per_s, sizeof per_s, per);
    char line[384];
    snprintf(line, sizeof line, "mcrisk: scenario %d/%d %s, %s of %s paths (%.1f%% of the run), "
             "%.3g path-steps/s, ETA %s", scenario + 1, p->n_scenarios, name, in_s, per_s,
             p->total ? 100.0 * (double)done / (double)p->total : 100.0, rate, eta);
    if (p->tty) { /* rewrite in place; \033[K clears what a longer previous line left */
        fprintf(p->out, "\r%s\033[K", line);
        p->shown = true;
    } else {
        fprintf(p->out, "%s\n", line);
    }
    fflush(p->out);
}

void mcr_progress_end(mcr_progress *p)
{
    if (p->on && p->tty && p->shown) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
        p->shown = false;
    }
}
