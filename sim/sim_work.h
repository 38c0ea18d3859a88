/* The per-thread workspaces of the block loop (sim.c), and the pool that keeps them across calls
 * (mcr_sim_work, sim.h): a backtest simulates every day with the same config's shape, so each
 * thread's buffers are allocated on the first day and serve every later one. Internal to sim/. */
#ifndef MCR_SIM_WORK_H
#define MCR_SIM_WORK_H

#include <stdbool.h>

#include "sim.h"
#include "strategies/hedge.h"
#include "vr.h"

/* Steps per chunk: the price trace of a chunk (32 steps x 64 paths per asset) stays in L2. */
#define MCR_CHUNK_STEPS MCR_HEDGE_CHUNK

typedef struct thread_work {
    mcr_assets_block blocks;
    /* ln S and S of a chunk: row k (step t0 + k + 1) holds n_assets x 64 values */
    _Alignas(64) double trace[MCR_CHUNK_STEPS * MCR_MAX_SIM_ASSETS * MCR_BLOCK_PATHS];
    _Alignas(64) double price[MCR_CHUNK_STEPS * MCR_MAX_SIM_ASSETS * MCR_BLOCK_PATHS];
} thread_work;

/* A thread's buffers of one block for the fields the caller does not keep: they are summarised
 * by the block_done callback and overwritten by the thread's next block. */
typedef struct block_buffers {
    _Alignas(64) unsigned char field[MCR_N_FIELDS][MCR_BLOCK_PATHS * sizeof(double)];
} block_buffers;

/* One thread's workspaces for a call: bb only with n_buffers > 0, vw only when vr->on. */
typedef struct sim_thread {
    thread_work *tw;
    mcr_hedge_work *hw;
    block_buffers *bb;
    mcr_vr_work *vw;
    bool pooled; /* owned by the pool: mcr_sim_thread_put leaves them */
} sim_thread;

/* Thread t's workspaces for plan, kernels k and vr: the pool's (reused when their shape fits,
 * else replaced) or, without a pool or beyond its threads, new ones. false: out of memory. */
bool mcr_sim_thread_get(mcr_sim_work *pool, int t, const mcr_hedge_plan *plan,
                        const mcr_kernels *k, int n_buffers, const mcr_vr *vr, sim_thread *th);
/* The end of the call: frees what the pool does not keep. */
void mcr_sim_thread_put(sim_thread *th);

#endif
