/* `mcrisk run` once the CLI has checked the config and the flags: one driver for a single
 * process and for the ranks of an MPI run. */
#ifndef MCR_COMMAND_H
#define MCR_COMMAND_H

#include "config/config.h"
#include "run.h"

/* Open the run's communicator (comm.h), remove the temporaries of killed runs, run (run.h),
 * print how a stopped run continues (resume_hint prints the command) or write cfg->output,
 * remove the checkpoint and print the summary table; close the communicator. Messages are
 * printed once, by rank 0. Returns the exit status of the command, the same on every rank: 0, 2
 * bad input, 1 other failure, 128 + signal when stopped. */
int mcr_run_command(const mcr_config *cfg, const mcr_run_options *opt,
                    void (*resume_hint)(void *ctx), void *hint_ctx);

#endif
