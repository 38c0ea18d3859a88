/* Writing a backtest (risk/backtest_result.h): the HDF5 file (group /backtest: date, spot,
 * strategy, level, realised_pnl, var, es, exception, statistics/..., provenance attributes) and an
 * SVG plot of one strategy's realised P&L against -VaR with the exceptions marked. Both are
 * written atomically: nothing half-written is left under the name. */
#ifndef MCR_BACKTEST_H5_H
#define MCR_BACKTEST_H5_H

#include "core/status.h"
#include "risk/backtest_result.h"

mcr_status mcr_backtest_write_h5(const char *path, const mcr_backtest *b, mcr_error *err);
/* Strategy s at level index l. */
mcr_status mcr_backtest_write_svg(const char *path, const mcr_backtest *b, int s, int l,
                                  mcr_error *err);

#endif
