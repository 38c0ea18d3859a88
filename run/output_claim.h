/* Claiming the output name of a run before any work (issue 10): everything that would make the
 * final write fail is found up front, and one run at a time may write a given output.
 *
 * mcr_output_check: the name can be replaced (core/atomic_file.h: its directory exists, it is
 * absent or a regular file), a temporary can really be created beside it (an unwritable or
 * read-only directory, /proc and /sys all fail here, not after hours of simulation), its
 * checkpoint names fit in NAME_MAX and PATH_MAX, and it is none of the run's input files (the
 * config, the path files): `-o cfg.yaml` would replace the config. Every failure is
 * MCR_ERR_INPUT (exit 2).
 *
 * mcr_output_lock: an advisory lock (flock) on "<output>.lock" held for the whole run, the
 * holder's pid written in it. A second run on the same output refuses (MCR_ERR_INPUT) naming
 * that pid, so it can neither delete nor overwrite the first one's checkpoint. The file is
 * removed when the lock is released; a lock left by a killed process is free again (the kernel
 * drops flocks with their process). */
#ifndef MCR_OUTPUT_CLAIM_H
#define MCR_OUTPUT_CLAIM_H

#include "config/config.h"

/* The files a run of cfg reads: the config (unless built in) and every path file. */
int mcr_config_inputs(const mcr_config *cfg, const char **inputs, int cap);

mcr_status mcr_output_check(const char *output, const char *const *inputs, int n_inputs,
                            mcr_error *err);

typedef struct mcr_output_lock {
    int fd; /* -1: not held */
    char path[MCR_PATH_MAX + 8];
} mcr_output_lock;

mcr_status mcr_output_lock_take(mcr_output_lock *lk, const char *output, mcr_error *err);
void mcr_output_lock_release(mcr_output_lock *lk);

#endif
