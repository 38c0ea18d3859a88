/* The block loop (sim.h): blocks of paths over OpenMP threads; in each block the model kernel
 * advances the prices a chunk of steps at a time and the strategies consume the chunk. Every
 * output is written at the path's global index: bitwise identical at any thread count. Between
 * blocks (never inside one) thread 0 calls the caller's tick; a stop request lets the blocks in
 * flight finish, so a resumed run simulates exactly the blocks that are missing. */
#include "sim.h"

#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/market.h"
#include "scenario/view.h"
#include "control.h"
#include "sim_work.h"

uint64_t mcr_sim_paths(const mcr_config *cfg, const mcr_sim_options *opt)
{
    if (opt->replay && opt->replay->paths)
        return opt->replay->paths;
    uint64_t n = mcr_config_model_paths(cfg); /* historical: one path per start date */
    return n ? n : cfg->paths;
}

/* Advance every asset of the block n steps (trace may be NULL): one kernel call. */
static void advance(const mcr_kernels *k, const mcr_market *mp, thread_work *tw, int n,
                    double *trace)
{
    if (mp->gbm_only)
        k->gbm(&tw->blocks.asset[0], &mp->gbm, n, trace);
    else if (mp->n_assets == 1)
        k->model(&tw->blocks.asset[0], &mp->step.model[0], n, trace);
    else
        k->assets(&tw->blocks, &mp->step, n, trace);
}

static void apply_shock(const mcr_market *mp, thread_work *tw, double shift)
{
    for (int a = 0; a < mp->n_assets; a++)
        for (int i = 0; i < MCR_BLOCK_PATHS; i++)
            tw->blocks.asset[a].log_price[i] += shift;
}

/* Where a block's prices also go when sampled paths are kept (run.sample_paths): paths
 * [first, first + count) of out[(asset * n + path) * (steps + 1) + t]. */
typedef struct sample_sink {
    double *out;
    uint64_t first;
    int count, n;
} sample_sink;

static void sample_chunk(const sample_sink *ss, int na, int steps, int t, int n,
                         const double *price)
{
    for (int k = 0; k < n; k++)
        for (int a = 0; a < na; a++)
            for (int i = 0; i < ss->count; i++)
                ss->out[((size_t)a * ss->n + ss->first + i) * (steps + 1) + t + k + 1] =
                    price[(k * na + a) * MCR_BLOCK_PATHS + i];
}

/* One block, step by step: a chunk never spans a shock, which lands between two steps. The
 * prices feed the strategies (hw) and, for sampled paths, the sample (ss); either may be NULL. */
static void block_with_path(const mcr_kernels *k, const mcr_market *mp, thread_work *tw,
                            mcr_hedge_work *hw, const sample_sink *ss, int steps)
{
    int na = mp->n_assets, row = na * MCR_BLOCK_PATHS;
    const double *prices[MCR_MAX_SIM_ASSETS], *logs[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < na; a++) {
        prices[a] = tw->price + a * MCR_BLOCK_PATHS;
        logs[a] = tw->trace + a * MCR_BLOCK_PATHS;
    }
    for (int t = 0; t < steps;) {
        double shift = mcr_market_shock_at_step(mp, t);
        if (shift != 0)
            apply_shock(mp, tw, shift);
        int n = mcr_market_chunk(mp, t, steps - t < MCR_CHUNK_STEPS ? steps - t : MCR_CHUNK_STEPS);
        advance(k, mp, tw, n, tw->trace);
        k->exp(tw->trace, tw->price, n * row);
        if (hw)
            mcr_hedge_steps(hw, t, n, prices, logs, row);
        if (ss)
            sample_chunk(ss, na, steps, t, n, tw->price);
        t += n;
    }
}

/* One block of replayed paths: the file's prices in chunks, as the kernels would give them; a
 * pegged asset's peg is simulated on its reference's replayed path. */
static void block_replayed(const mcr_kernels *kt, const mcr_replay *r, const mcr_market *mp,
                           thread_work *tw, mcr_hedge_work *hw, const sample_sink *ss,
                           uint64_t first, int steps)
{
    int na = mp->n_assets, row = na * MCR_BLOCK_PATHS;
    const double *prices[MCR_MAX_SIM_ASSETS], *logs[MCR_MAX_SIM_ASSETS];
    for (int a = 0; a < na; a++) {
        prices[a] = tw->price + a * MCR_BLOCK_PATHS;
        logs[a] = tw->trace + a * MCR_BLOCK_PATHS;
    }
    for (int t = 0; t < steps; t += MCR_CHUNK_STEPS) {
        int n = steps - t < MCR_CHUNK_STEPS ? steps - t : MCR_CHUNK_STEPS;
        for (int k = 0; k < n; k++)
            for (int a = 0; a < na; a++)
                for (int i = 0; i < MCR_BLOCK_PATHS && !mp->step.pegged[a]; i++) {
                    /* a short last block repeats its last path: outputs beyond it are dropped */
                    uint64_t path = first + i < r->paths ? first + i : r->paths - 1;
                    double s = r->price[a][(size_t)(t + k + 1) * r->paths + path];
                    tw->price[k * row + a * MCR_BLOCK_PATHS + i] = s;
                    tw->trace[k * row + a * MCR_BLOCK_PATHS + i] = log(s);
                }
        for (int a = 0; a < na; a++) {
            if (!mp->step.pegged[a])
                continue;
            double *out = tw->trace + a * MCR_BLOCK_PATHS;
            kt->peg(&tw->blocks.asset[a], &mp->step.peg[a],
                    tw->trace + mp->step.peg_to[a] * MCR_BLOCK_PATHS, out, n, row);
            for (int k = 0; k < n; k++)
                kt->exp(out + k * row, tw->price + k * row + a * MCR_BLOCK_PATHS,
                        MCR_BLOCK_PATHS);
        }
        if (hw)
            mcr_hedge_steps(hw, t, n, prices, logs, row);
        if (ss)
            sample_chunk(ss, na, steps, t, n, tw->price);
    }
}

/* One block when nothing acts before the horizon: the kernel runs the whole horizon untraced.
 * Not with pegged assets and shocks: the peg's intensity follows the shocked reference's path
 * (block_with_path). */
static void block_to_horizon(const mcr_kernels *k, const mcr_market *mp, thread_work *tw,
                             mcr_hedge_work *hw, int steps)
{
    const double *prices[MCR_MAX_SIM_ASSETS];
    mcr_hedge_steps(hw, 0, 0, NULL, NULL, 0);
    advance(k, mp, tw, steps, NULL);
    if (mp->n_shocks > 0) /* increments are independent of the level: shocks commute */
        apply_shock(mp, tw, mp->shock_total);
    for (int a = 0; a < mp->n_assets; a++) {
        k->exp(tw->blocks.asset[a].log_price, tw->price + a * MCR_BLOCK_PATHS, MCR_BLOCK_PATHS);
        prices[a] = tw->price + a * MCR_BLOCK_PATHS;
    }
    mcr_hedge_jump(hw, prices);
}

/* run.tail's shift (mcr_sim_range.tilt) into the normal-shift hook of every simulated asset of
 * a block just initialised: theta = c / sqrt(steps) per step. */
static void tilt_block(const mcr_market *mp, mcr_assets_block *b, const double *c,
                       double root_steps)
{
    for (int a = 0; a < mp->n_assets; a++) {
        b->asset[a].tilt_on = !mp->step.pegged[a];
        b->asset[a].tilt = mp->step.pegged[a] ? 0.0 : c[a] / root_steps;
    }
}

/* The block's zeta[i * n_assets + a] = sum_k Z_k / sqrt(steps) of its first count paths. */
static void tilt_zeta(const mcr_market *mp, const mcr_assets_block *b, double *zeta, int count,
                      double root_steps)
{
    for (int i = 0; i < count; i++)
        for (int a = 0; a < mp->n_assets; a++)
            zeta[i * mp->n_assets + a] = b->asset[a].tilt_sum[i] / root_steps;
}

static bool stop_requested(const mcr_sim_options *opt)
{
    return opt->stop && *opt->stop;
}

/* The control variate's control in the scenario (control.h), from E[S_T] of the first asset. */
static mcr_status control_of(const mcr_config *cfg, int scenario, const mcr_market *mp,
                             const mcr_hedge_plan *plan, mcr_control *ctl, mcr_error *err)
{
    if (!cfg->vr.control_variate) {
        *ctl = (mcr_control){0};
        return MCR_OK;
    }
    mcr_model m = mcr_scenario_model(cfg, scenario, 0);
    double spot = exp(mp->log_s0[0] + mp->shock_total + mcr_model_mu(&m) * cfg->horizon_days /
                                                            365.0);
    return mcr_control_init(ctl, cfg, scenario, &plan->book, spot, err);
}

mcr_status mcr_sim_blocks(const mcr_config *cfg, int scenario, const mcr_sim_options *opt,
                          const mcr_sim_range *range, mcr_error *err)
{
    mcr_market mp;
    mcr_hedge_plan plan;
    mcr_vr vr;
    mcr_status st = mcr_market_init(&mp, cfg, scenario, err);
    if (st == MCR_OK)
        st = mcr_vr_init(&vr, cfg, mp.n_assets, err);
    if (st == MCR_OK && (st = mcr_hedge_plan_init(&plan, cfg, scenario, err)) != MCR_OK)
        mcr_vr_free(&vr);
    if (st != MCR_OK)
        return st;
    mcr_control ctl;
    if ((st = control_of(cfg, scenario, &mp, &plan, &ctl, err)) != MCR_OK) {
        mcr_hedge_plan_free(&plan);
        mcr_vr_free(&vr);
        return st;
    }
    const double root_steps = sqrt((double)cfg->steps);

    const mcr_replay *replay = opt->replay && opt->replay->paths ? opt->replay : NULL;
    const uint64_t paths = mcr_sim_paths(cfg, opt), seed = cfg->seed;
    const int64_t n_blocks = (int64_t)range->n_blocks;
    const mcr_kernels *k = opt->kernels;
    const int n_strategies = cfg->n_strategies;
    bool buffered = false; /* some field goes to per-thread block buffers */
    for (int s = 0; range->block_done && s < n_strategies; s++)
        buffered = buffered || mcr_field_set_mask(&range->out[s]) != MCR_FIELDS_ALL;
    int failed = 0; /* shared, accessed atomically */

#pragma omp parallel num_threads(opt->threads)
    {
        sim_thread th; /* this call's, or the caller's pool's (opt->work) */
        if (!mcr_sim_thread_get(opt->work, omp_get_thread_num(), &plan, k,
                                buffered ? n_strategies : 0, &vr, &th))
            __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
        thread_work *tw = th.tw;
        mcr_hedge_work *hw = th.hw;
        block_buffers *bb = th.bb;
        mcr_vr_work *vw = th.vw;
        bool master = omp_get_thread_num() == 0;
        mcr_field_set set[MCR_MAX_STRATEGIES];
#pragma omp for schedule(dynamic, 4)
        for (int64_t j = 0; j < n_blocks; j++) {
            /* a stop lets the blocks in flight finish and starts no other */
            if (__atomic_load_n(&failed, __ATOMIC_RELAXED) || stop_requested(opt) ||
                (range->skip && __atomic_load_n(&range->skip[j], __ATOMIC_ACQUIRE)))
                continue;
            uint64_t b = range->first_block + (uint64_t)j;
            uint64_t first = b * MCR_BLOCK_PATHS, left = paths - first;
            int count = left < MCR_BLOCK_PATHS ? (int)left : MCR_BLOCK_PATHS;
            mcr_assets_block_init(&tw->blocks, &mp.step, seed, first, mp.log_s0);
            if (vr.on)
                mcr_vr_block(&vr, k, &tw->blocks, first, vw);
            if (range->tilt)
                tilt_block(&mp, &tw->blocks, range->tilt, root_steps);
            mcr_hedge_begin(hw, first);
            if (replay)
                block_replayed(k, replay, &mp, tw, hw, NULL, first, cfg->steps);
            else if (plan.needs_path || (mp.step.n_pegs > 0 && mp.n_shocks > 0))
                block_with_path(k, &mp, tw, hw, NULL, cfg->steps);
            else
                block_to_horizon(k, &mp, tw, hw, cfg->steps);
            for (int s = 0; s < n_strategies; s++) {
                set[s] = range->out[s];
                for (int f = 0; buffered && f < MCR_N_FIELDS; f++)
                    if (!set[s].at[f]) /* the buffer, aimed at the block's global indices */
                        set[s].at[f] = (void *)((uintptr_t)bb[s].field[f] -
                                                (uintptr_t)first *
                                                    mcr_field_size((mcr_field_id)f));
            }
            mcr_hedge_end(hw, count, set);
            if (range->tilt)
                tilt_zeta(&mp, &tw->blocks, range->zeta + first * (uint64_t)mp.n_assets, count,
                          root_steps);
            if (range->block_done) {
                _Alignas(64) double control[MCR_BLOCK_PATHS];
                if (cfg->vr.control_variate) /* ln S_T of asset 0 is where the kernel left it */
                    mcr_control_values(&ctl, k, tw->blocks.asset[0].log_price, control);
                range->block_done(range->ctx, b, first, count, set,
                                  cfg->vr.control_variate ? control : NULL);
            }
            if (range->tick && master)
                range->tick(range->ctx);
        }
        mcr_sim_thread_put(&th);
    }
    mcr_hedge_plan_free(&plan);
    mcr_vr_free(&vr);
    if (failed)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the per-thread workspaces");
    return MCR_OK;
}

mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_sim_options *opt,
                        const mcr_field_set *out, mcr_error *err)
{
    uint64_t paths = mcr_sim_paths(cfg, opt);
    mcr_sim_range range = {.first_block = 0,
                           .n_blocks = (paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS,
                           .out = out};
    return mcr_sim_blocks(cfg, scenario, opt, &range, err);
}

mcr_status mcr_sim_control_mean(const mcr_config *cfg, int scenario, double *mean,
                                mcr_error *err)
{
    mcr_market mp;
    mcr_hedge_plan plan;
    mcr_control ctl;
    mcr_status st = mcr_market_init(&mp, cfg, scenario, err);
    if (st != MCR_OK || (st = mcr_hedge_plan_init(&plan, cfg, scenario, err)) != MCR_OK)
        return st;
    st = control_of(cfg, scenario, &mp, &plan, &ctl, err);
    mcr_hedge_plan_free(&plan);
    *mean = ctl.mean;
    return st;
}

mcr_status mcr_sample_paths(const mcr_config *cfg, int scenario, const mcr_sim_options *opt,
                            int n, double *out, mcr_error *err)
{
    mcr_market mp;
    mcr_vr vr = {0};
    mcr_status st = mcr_market_init(&mp, cfg, scenario, err);
    if (st == MCR_OK)
        st = mcr_vr_init(&vr, cfg, mp.n_assets, err);
    thread_work *tw = st == MCR_OK ? aligned_alloc(64, sizeof *tw) : NULL;
    mcr_vr_work *vw = st == MCR_OK && vr.on ? mcr_vr_work_new(&vr) : NULL;
    if (st == MCR_OK && (!tw || (vr.on && !vw)))
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the sample paths");
    const mcr_replay *replay = opt->replay && opt->replay->paths ? opt->replay : NULL;
    for (int a = 0; st == MCR_OK && a < mp.n_assets; a++)
        for (int p = 0; p < n; p++)
            out[((size_t)a * n + p) * (cfg->steps + 1)] = cfg->assets[a].spot;
    for (uint64_t first = 0; st == MCR_OK && first < (uint64_t)n; first += MCR_BLOCK_PATHS) {
        sample_sink ss = {.out = out, .first = first, .n = n,
                          .count = n - first < MCR_BLOCK_PATHS ? (int)(n - first)
                                                               : MCR_BLOCK_PATHS};
        mcr_assets_block_init(&tw->blocks, &mp.step, cfg->seed, first, mp.log_s0);
        if (vr.on)
            mcr_vr_block(&vr, opt->kernels, &tw->blocks, first, vw);
        if (replay)
            block_replayed(opt->kernels, replay, &mp, tw, NULL, &ss, first, cfg->steps);
        else
            block_with_path(opt->kernels, &mp, tw, NULL, &ss, cfg->steps);
    }
    mcr_vr_work_free(vw);
    mcr_vr_free(&vr);
    free(tw);
    return st;
}
