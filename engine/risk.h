/* Tail-risk figures of a P&L sample, with standard errors; see risk.c for the estimators.
 * Deterministic: the figures depend only on the sample, never on threads or call order. */
#ifndef MCR_RISK_H
#define MCR_RISK_H

#include <stdint.h>

#include "result.h"

/* Summarise pnl[0..n) (n >= 2) at the given confidence levels into out (p_liquidation left 0).
 * scratch must hold n doubles; pnl is not modified. */
void mcr_risk_summarize(const double *pnl, uint64_t n, const double *levels, int n_levels,
                        double *scratch, mcr_summary *out);

#endif
