/* run.tail: importance sampling of the tails. After a scenario's plain summary, a second pass
 * over the same path indices (the same draws eps) with every step's independent price normal of
 * every asset a shifted, Z = eps + c_a / sqrt(steps), towards the losses (the kernels'
 * normal-shift hook, sim/sim.h mcr_sim_range.tilt: before the correlation; jumps and a
 * variance's own normal are not shifted); each path carries the likelihood ratio
 *   w = exp(sum_a (-c_a zeta_a + c_a^2 / 2)),  zeta_a = sum_k Z_ak / sqrt(steps)
 * (models/tail_shift.h), and every strategy gets the weighted VaR and CVaR at run.tail.level
 * with their standard errors (risk/weighted.h). The plain figures of the run are untouched: the
 * pass's are extra. The shift c is given (run.tail.shift, one asset) or found by a pilot:
 * pilot_paths paths of their own seed, shifted by the previous round's c (0 first), c = the
 * weighted mean of the vector zeta over the paths whose loss of run.tail.strategy is nearest its
 * VaR (mcr_weighted_pilot_shift), the most likely independent normals of a loss at the VaR,
 * until the pilot's tail holds its window (at most MCR_TAIL_PILOT_ROUNDS rounds). With several
 * assets c is therefore a direction in the space of the independent normals (for a loss that
 * depends on sum_a q_a ln S_a it is parallel to L^T (q_a sigma_a), the book's exposure
 * through the Cholesky factor L) and a length. Everything is a function of the
 * config: bitwise the same at any thread or rank count. Over several ranks, rank 0 gathers the
 * weights and one strategy's P&L at a time (24 bytes a path, plus 24 for the sort; with keep_pnl
 * 8 more a path per strategy, which it keeps for the file). */
#ifndef MCR_TAIL_H
#define MCR_TAIL_H

#include "config/config.h"
#include "core/comm.h"
#include "risk/result.h"
#include "sim/sim.h"

#define MCR_TAIL_PILOT_ROUNDS 8

/* The tail pass of scenario sc on this rank's share sh (collective): every cell's tail result,
 * and with cfg->keep_pnl, on rank 0 (the writer), every path's P&L (cells[t].tail_pnl) and
 * *weight, owned by the caller (other ranks keep none). sim: the run's kernels and threads (its stop is not honoured: the pass
 * is short and always finishes). */
mcr_status mcr_tail_scenario(const mcr_config *cfg, int sc, const mcr_sim_options *sim,
                             const mcr_comm *c, const mcr_share *sh, mcr_strategy_result *cells,
                             double **weight, mcr_error *err);

/* The shift shift[a] of every asset the pilot finds for scenario sc (one process; rounds and
 * whether it reached the level in *rounds, *reached). */
mcr_status mcr_tail_pilot(const mcr_config *cfg, int sc, const mcr_sim_options *sim, double *shift,
                          int *rounds, int *reached, mcr_error *err);

#endif
