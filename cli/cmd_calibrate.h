/* `mcrisk calibrate DATA.csv --model gbm|merton|kou|garch|gjr [--window DAYS] [--end DATE]
 * [--column NAME]`: maximum-likelihood estimates on a daily price file, with standard errors,
 * log-likelihood, AIC, BIC and a model block that pastes into a config. */
#ifndef MCR_CMD_CALIBRATE_H
#define MCR_CMD_CALIBRATE_H

/* argv[0] is "calibrate". Returns the exit status: 0, 2 for bad input, 1 otherwise. */
int mcr_cmd_calibrate(int argc, char **argv);

#endif
