/* `mcrisk backtest CONFIG --data FILE --from DATE --to DATE --horizon-days 1|10 --window DAYS`:
 * the config's model refitted every day on the data, its book and hedges simulated and compared
 * with what they really made (run/backtest.h); the statistics printed and written to HDF5 with a
 * plot of P&L against VaR. */
#ifndef MCR_CMD_BACKTEST_H
#define MCR_CMD_BACKTEST_H

/* argv[0] is "backtest". Returns the exit status: 0, 2 for bad input, 1 otherwise. */
int mcr_cmd_backtest(int argc, char **argv);

#endif
