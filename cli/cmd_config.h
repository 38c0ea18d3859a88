/* `mcrisk config`: questions about the config format itself. */
#ifndef MCR_CMD_CONFIG_H
#define MCR_CMD_CONFIG_H

/* mcrisk config --reference: the markdown reference of every key (docs/CONFIG.md is this output).
 * Returns the exit status. */
int mcr_cmd_config(int argc, char **argv);

#endif
