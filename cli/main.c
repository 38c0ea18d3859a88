/* mcrisk executable entry point; everything lives in the engine library so tests can link it. */
#include "cli.h"

int main(int argc, char **argv) { return mcr_cli_main(argc, argv); }
