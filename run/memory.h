/* The memory a run will need, estimated before it starts (issue 10): one term per buffer, from
 * the formula README "Memory" gives, so a run that cannot fit is refused in a second instead of
 * growing until the OOM killer ends it (and loses everything). Whoever changes a buffer changes
 * its term here; the test memory/ checks the terms against the measured peak. */
#ifndef MCR_MEMORY_H
#define MCR_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

#define MCR_MEMORY_TERMS 16

/* How the per-path arrays reach the result file. */
typedef enum mcr_output_mode {
    MCR_OUTPUT_HELD,     /* held for every scenario (no file, or written at the end: run.target) */
    MCR_OUTPUT_STREAMED, /* streamed by this process (rank 0): pnl of the scenario under way and
                          * one chunk of the other kept fields */
    MCR_OUTPUT_RELAYED,  /* streamed, from an MPI rank other than 0, which also holds its encoded
                          * chunks of the scenario under way until rank 0 takes them */
} mcr_output_mode;

typedef struct mcr_memory_term {
    const char *name; /* "per-path outputs", ... */
    double bytes;
} mcr_memory_term;

typedef struct mcr_memory {
    mcr_memory_term term[MCR_MEMORY_TERMS];
    int n;
    double total; /* bytes, the peak of this process */
} mcr_memory;

/* What a run needs in one process that holds `paths` of the run's `total_paths` paths (its
 * share over MPI), with `threads` threads, replaying (replay: the paths come from path files)
 * or not, its per-path arrays reaching the file as `mode` says. */
void mcr_memory_estimate(const mcr_config *cfg, uint64_t paths, uint64_t total_paths,
                         int threads, bool replay, mcr_output_mode mode, mcr_memory *m);

/* The memory this process may use: MemAvailable (/proc/meminfo), or the cgroup's limit minus its
 * usage when lower; `source` names which. 0 when neither can be read. */
double mcr_memory_available(char *source, size_t size);

/* "8G", "512M", "1.5T", "123456789" (bytes; K, M, G, T are powers of 1024): > 0. */
bool mcr_memory_parse(const char *text, double *bytes);

/* Before a run (every rank, for its share): the estimate against max_memory (bytes; 0: what is
 * available), MCR_ERR_INPUT naming the biggest terms when it does not fit. Prints the start line
 * "mcrisk: P paths x N steps x C scenario(s) x S strategies, memory estimate X of Y available"
 * to `log` (or nothing when NULL). */
mcr_status mcr_memory_check(const mcr_config *cfg, uint64_t paths, uint64_t total_paths,
                            int threads, bool replay, mcr_output_mode mode, double max_memory,
                            FILE *log, mcr_error *err);

/* "1.23 GiB" */
void mcr_memory_format(double bytes, char *out, size_t size);

#endif
