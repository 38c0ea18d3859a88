/* No silent non-finite result (issue 10): after a scenario, every per-path P&L and every summary
 * figure of a cell must be a finite number. A NaN or an infinity (a model pushed beyond double
 * precision, extreme costs, a price near DBL_MAX) is an error naming the scenario, the strategy
 * and the first offending path, never a "-nan" mean or a VaR sorted from NaNs. */
#ifndef MCR_FINITE_H
#define MCR_FINITE_H

#include "core/comm.h"
#include "result.h"

/* The cell's P&L on this rank's share (global paths sh->first..), collective: the lowest
 * offending path over every rank. MCR_ERR_NUMERIC with the message, the same on every rank. Call
 * it before the summary: a sort of NaNs gives a finite-looking VaR. */
mcr_status mcr_check_finite_pnl(const mcr_comm *c, const mcr_share *sh,
                                const mcr_strategy_result *cell, mcr_error *err);
/* The cell's summary figures (mean, std, their standard error, VaR and CVaR and theirs, the means
 * of the fields that have one). Not collective: every rank holds the same figures. */
mcr_status mcr_check_finite_summary(const mcr_strategy_result *cell, mcr_error *err);

#endif
