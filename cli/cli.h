/* The mcrisk command line (docs/DESIGN.md, CLI contract): run, report, bench, --help,
 * --version. Returns the process exit status: 0 success, 2 bad input, 1 other failure. */
#ifndef MCR_CLI_H
#define MCR_CLI_H

#include "core/status.h"

int mcr_cli_main(int argc, char **argv);


#endif
