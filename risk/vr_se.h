/* Standard errors under run.variance_reduction (sim/vr.h): the point estimates (mean, VaR, CVaR)
 * are the engine's own, computed as for independent paths; only their standard errors change,
 * because the paths are no longer independent.
 *   antithetic: the n / 2 pairs (2k, 2k+1) are the i.i.d. units;
 *   qmc: the R randomisations (path p is in randomisation (p / 64) mod R) are the i.i.d. units.
 * Mean: the spread of pair averages, or of the randomisations' means. VaR and CVaR, from their
 * influence functions: CVaR's is phi_i = (L_i - VaR)^+ / p (p = 1 - level; the estimator's
 * derivative in VaR vanishes), VaR's (1{L_i >= VaR} - p) / f(VaR); 1 / f is the engine's own
 * order-statistic difference quotient (risk.c: half the spread of x_(k +- d) over d / n). Formulas
 * and their checks: README "Variance reduction". Deterministic: sums run over MCR_CHUNK_PATHS
 * chunks in chunk order, so every figure is bitwise the same at any rank count. */
#ifndef MCR_VR_SE_H
#define MCR_VR_SE_H

#include <stdbool.h>

#include "config/config.h"
#include "core/comm.h"
#include "result.h"

/* Replace out's mean_se and every row's var_se and cvar_se (out filled by mcr_risk_summary from
 * the same pnl) by those of vr's estimators; nothing when vr uses neither antithetic nor qmc.
 * Collective; false on every rank when some rank ran out of memory. */
bool mcr_vr_se(const mcr_comm *c, const mcr_share *sh, const double *pnl,
               const mcr_vr_config *vr, mcr_summary *out);

/* se of the mean of g independent values v[0], v[stride], ...: their sd / sqrt(g). */
double mcr_spread_se(const double *v, int g, int stride);

/* The engine's VaR window (risk.c): d = ceil(sqrt(n p level)) order statistics either side. */
double mcr_var_window(uint64_t n, double level);

#endif
