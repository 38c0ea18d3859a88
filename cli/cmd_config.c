/* `mcrisk config --reference` (cmd_config.h): the key table of the loader, with every
 * registered model, instrument and strategy kind, printed as markdown. */
#include "cmd_config.h"

#include <stdio.h>
#include <string.h>

#include "strategies/strategy.h"

static const char usage[] =
    "usage: mcrisk config --reference\n"
    "\n"
    "--reference  print every config key: its type, default, allowed values, unit and meaning,\n"
    "             as markdown (docs/CONFIG.md is this output)\n";

int mcr_cmd_config(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc != 2 || strcmp(argv[1], "--reference") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    mcr_config_reference(stdout, mcr_registry());
    return fflush(stdout) == 0 ? 0 : 1;
}
