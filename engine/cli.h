/* The mcrisk command line (../shared/DESIGN.md, CLI contract): run, report, bench, --help,
 * --version. Returns the process exit status: 0 success, 2 bad input, 1 other failure. */
#ifndef MCR_CLI_H
#define MCR_CLI_H

#include "../models/status.h"

int mcr_cli_main(int argc, char **argv);

/* Map a status to the exit code of the contract. */
int mcr_exit_code(mcr_status st);

/* Resolve --isa / MCR_ISA ("auto" when both are absent) to a supported kernel table. */
struct mcr_kernels;
mcr_status mcr_cli_kernels(const char *isa_flag, const struct mcr_kernels **k, mcr_error *err);

#endif
