/* Run orchestration: blocks of paths over OpenMP threads; in each block the model kernel advances
 * the prices a chunk of steps at a time and the strategy engine (hedge.c) consumes the chunk, so
 * memory stays O(paths x strategies) whatever the number of steps. Every output is written at the
 * path's global index and reduced in a fixed order: bitwise identical at any thread count.
 * Between blocks (never inside one) the master thread prints progress and writes checkpoints;
 * a stop request lets the blocks in flight finish, so a resumed run (checkpoint.h) simulates
 * exactly the blocks that are missing. */
#include "run.h"

#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/build_info.h"
#include "checkpoint.h"
#include "strategies/hedge.h"
#include "scenario/market.h"
#include "scenario/path_file.h"
#include "progress.h"
#include "risk/risk.h"

/* Steps per chunk: the price trace of a chunk (32 steps x 64 paths per asset) stays in L2. */
#define MCR_CHUNK_STEPS MCR_HEDGE_CHUNK

typedef struct thread_work {
    mcr_assets_block blocks;
    /* ln S and S of a chunk: row k (step t0 + k + 1) holds n_assets x 64 values */
    _Alignas(64) double trace[MCR_CHUNK_STEPS * MCR_MAX_SIM_ASSETS * MCR_BLOCK_PATHS];
    _Alignas(64) double price[MCR_CHUNK_STEPS * MCR_MAX_SIM_ASSETS * MCR_BLOCK_PATHS];
} thread_work;

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

/* One block of replayed paths: the file's prices in chunks, as the kernels would give them. */
static void block_replayed(const mcr_replay *r, const mcr_market *mp, thread_work *tw,
                           mcr_hedge_work *hw, const sample_sink *ss, uint64_t first, int steps)
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
                for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
                    /* a short last block repeats its last path: outputs beyond it are dropped */
                    uint64_t path = first + i < r->paths ? first + i : r->paths - 1;
                    double s = r->price[a][(size_t)(t + k + 1) * r->paths + path];
                    tw->price[k * row + a * MCR_BLOCK_PATHS + i] = s;
                    tw->trace[k * row + a * MCR_BLOCK_PATHS + i] = log(s);
                }
        if (hw)
            mcr_hedge_steps(hw, t, n, prices, logs, row);
        if (ss)
            sample_chunk(ss, na, steps, t, n, tw->price);
    }
}

/* One block when nothing acts before the horizon: the kernel runs the whole horizon untraced. */
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

/* With keep_pnl false a thread's strategy outputs other than pnl go to one block's worth of
 * buffers per strategy, reduced into mcr_block_stats and overwritten by the next block. */
typedef struct block_detail {
    _Alignas(64) unsigned char field[MCR_N_FIELDS][MCR_BLOCK_PATHS * sizeof(double)];
} block_detail;

/* hedge.c writes a path's outputs at its global index. To aim the writes of paths
 * [first, first + 64) at a 64-entry buffer, it is handed the buffer's address minus `first`
 * elements, computed on integers because that address lies outside the buffer (GCC: flat
 * addresses); only the buffer's own entries are ever accessed through it. */
/* Field f's array `base` (indexed from path `first`) aimed at global path indices. */
static void *aim_field(void *base, int f, uint64_t first)
{
    return (void *)((uintptr_t)base - (uintptr_t)first * mcr_field_size((mcr_field_id)f));
}

static void aim_at_block(mcr_hedge_out *o, block_detail *d, uint64_t first)
{
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (f != MCR_FIELD_PNL)
            o->at[f] = aim_field(d->field[f], f, first);
}

/* The partial sums of paths [first, first + count) of one strategy. */
static void block_stats(const mcr_hedge_out *o, uint64_t first, int count, mcr_block_stats *bs)
{
    memset(bs, 0, sizeof *bs);
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        for (int i = 0; i < count; i++)
            bs->component_sum[k] += ((const double *)o->at[MCR_FIELD_COMPONENT + k])[first + i];
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < count; i++)
            bs->greek_sum[k] += ((const double *)o->at[MCR_FIELD_NET_DELTA + k])[first + i];
    bs->book_mean = bs->component_sum[MCR_PNL_BOOK] / count;
    const double *book = o->at[MCR_FIELD_COMPONENT + MCR_PNL_BOOK];
    const int32_t *liq = o->at[MCR_FIELD_LIQUIDATION_STEP];
    const uint32_t *trades = o->at[MCR_FIELD_TRADES];
    for (int i = 0; i < count; i++) {
        double d = book[first + i] - bs->book_mean;
        bs->book_m2 += d * d;
        bs->liquidated += liq[first + i] >= 0;
        bs->trades += trades[first + i];
    }
}

typedef struct run_ctx run_ctx;
static void master_tick(run_ctx *c);

/* One scenario's simulation. mcr_simulate uses only the first fields; mcr_run all of them. */
typedef struct sim_job {
    const mcr_config *cfg;
    int scenario;
    const mcr_run_options *opt;
    uint64_t first_path;    /* the blocks of paths [first_path, first_path + n_paths) */
    uint64_t n_paths;
    mcr_hedge_out *out;     /* [strategy]: per-path arrays at global indices */
    bool local_detail;      /* the detail goes to per-thread block buffers (keep_pnl false) */
    uint8_t *done;          /* NULL, or [block]: finished blocks are skipped, new ones flagged */
    mcr_block_stats *stats; /* NULL, or [strategy * n_blocks + block] */
    run_ctx *ctx;           /* NULL, or the run the master thread ticks after its blocks */
} sim_job;

static bool stop_requested(const mcr_run_options *opt)
{
    return opt->stop && *opt->stop;
}

static mcr_status simulate_job(const sim_job *job, mcr_error *err)
{
    const mcr_config *cfg = job->cfg;
    const mcr_run_options *opt = job->opt;
    mcr_market mp;
    mcr_hedge_plan plan;
    mcr_status st = mcr_market_init(&mp, cfg, job->scenario, err);
    if (st == MCR_OK)
        st = mcr_hedge_plan_init(&plan, cfg, job->scenario, err);
    if (st != MCR_OK)
        return st;

    const mcr_replay *replay = opt->replay && opt->replay->paths ? opt->replay : NULL;
    const uint64_t paths = job->first_path + job->n_paths, seed = cfg->seed;
    const int64_t n_blocks = (int64_t)((job->n_paths + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS);
    const mcr_kernels *k = opt->kernels;
    const int n_strategies = cfg->n_strategies;
    int failed = 0; /* shared, accessed atomically */

#pragma omp parallel num_threads(opt->threads)
    {
        thread_work *tw = aligned_alloc(64, sizeof *tw);
        mcr_hedge_work *hw = mcr_hedge_work_new(&plan, k);
        block_detail *bd = job->local_detail
                               ? aligned_alloc(64, (size_t)n_strategies * sizeof *bd) : NULL;
        mcr_hedge_out out[MCR_MAX_STRATEGIES];
        memcpy(out, job->out, (size_t)n_strategies * sizeof *out);
        if (!tw || !hw || (job->local_detail && !bd))
            __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
        bool master = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 4)
        for (int64_t b = 0; b < n_blocks; b++) {
            /* a stop lets the blocks in flight finish and starts no other */
            if (__atomic_load_n(&failed, __ATOMIC_RELAXED) || stop_requested(opt) ||
                (job->done && job->done[b]))
                continue;
            uint64_t first = job->first_path + (uint64_t)b * MCR_BLOCK_PATHS;
            uint64_t left = paths - first;
            int count = left < MCR_BLOCK_PATHS ? (int)left : MCR_BLOCK_PATHS;
            mcr_assets_block_init(&tw->blocks, &mp.step, seed, first, mp.log_s0);
            mcr_hedge_begin(hw, first);
            if (replay)
                block_replayed(replay, &mp, tw, hw, NULL, first, cfg->steps);
            else if (plan.needs_path)
                block_with_path(k, &mp, tw, hw, NULL, cfg->steps);
            else
                block_to_horizon(k, &mp, tw, hw, cfg->steps);
            for (int s = 0; job->local_detail && s < n_strategies; s++)
                aim_at_block(&out[s], &bd[s], first);
            mcr_hedge_end(hw, count, out);
            for (int s = 0; job->stats && s < n_strategies; s++)
                block_stats(&out[s], first, count, &job->stats[s * n_blocks + b]);
            /* release: a checkpoint that sees the flag sees every output of the block */
            if (job->done)
                __atomic_store_n(&job->done[b], 1, __ATOMIC_RELEASE);
            if (job->ctx && master)
                master_tick(job->ctx);
        }
        free(bd);
        mcr_hedge_work_free(hw);
        free(tw);
    }
    mcr_hedge_plan_free(&plan);
    if (failed)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the per-thread workspaces");
    return MCR_OK;
}

/* The prices of the first n paths of a scenario at every step (run.sample_paths), for fan
 * charts. Simulated again, in their own few blocks, after the run: the paths are the run's own
 * (a path's numbers depend only on seed and path), and the run itself never keeps O(steps)
 * memory. out: [n_assets][n][steps + 1]. */
mcr_status mcr_sample_paths(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                            int n, double *out, mcr_error *err)
{
    mcr_market mp;
    mcr_status st = mcr_market_init(&mp, cfg, scenario, err);
    thread_work *tw = st == MCR_OK ? aligned_alloc(64, sizeof *tw) : NULL;
    if (st == MCR_OK && !tw)
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
        if (replay)
            block_replayed(replay, &mp, tw, NULL, &ss, first, cfg->steps);
        else
            block_with_path(opt->kernels, &mp, tw, NULL, &ss, cfg->steps);
    }
    free(tw);
    return st;
}

/* The number of paths of a run of cfg with these options. */
static uint64_t run_paths(const mcr_config *cfg, const mcr_run_options *opt)
{
    return opt->replay && opt->replay->paths ? opt->replay->paths : cfg->paths;
}

mcr_status mcr_simulate(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                        mcr_hedge_out *out, mcr_error *err)
{
    sim_job job = {.cfg = cfg, .scenario = scenario, .opt = opt, .out = out,
                   .n_paths = run_paths(cfg, opt)};
    return simulate_job(&job, err);
}

mcr_status mcr_simulate_range(const mcr_config *cfg, int scenario, const mcr_run_options *opt,
                              uint64_t first_path, uint64_t n_paths, mcr_hedge_out *out,
                              mcr_block_stats *stats, mcr_error *err)
{
    if (first_path % MCR_BLOCK_PATHS || first_path + n_paths > run_paths(cfg, opt))
        return mcr_fail(err, MCR_ERR_INTERNAL, "paths [%llu, +%llu) are not whole blocks of the "
                        "run", (unsigned long long)first_path, (unsigned long long)n_paths);
    /* the caller's arrays start at first_path: aim them so that global indices land there */
    mcr_hedge_out shifted[MCR_MAX_STRATEGIES];
    for (int s = 0; s < cfg->n_strategies; s++)
        for (int f = 0; f < MCR_N_FIELDS; f++)
            shifted[s].at[f] = out[s].at[f] ? aim_field(out[s].at[f], f, first_path) : NULL;
    sim_job job = {.cfg = cfg, .scenario = scenario, .opt = opt, .first_path = first_path,
                   .n_paths = n_paths, .out = shifted, .stats = stats,
                   .local_detail = stats && !out[0].at[MCR_FIELD_COMPONENT]};
    return simulate_job(&job, err);
}

mcr_status mcr_replay_load(const mcr_config *cfg, mcr_replay *r, mcr_error *err)
{
    memset(r, 0, sizeof *r);
    int replayed = 0;
    for (int a = 0; a < cfg->n_assets; a++)
        replayed += cfg->assets[a].path_file[0] != 0;
    if (replayed == 0)
        return MCR_OK;
    for (int a = 0; a < cfg->n_assets; a++) {
        if (!cfg->assets[a].path_file[0]) {
            mcr_replay_free(r);
            return mcr_fail(err, MCR_ERR_INPUT, "market.assets[%d].path_file: missing; when one "
                            "asset replays a path file every asset must", a);
        }
        uint64_t n;
        mcr_status st = mcr_path_file_load(cfg->assets[a].path_file, cfg->steps,
                                           cfg->assets[a].spot, &r->price[a], &n, err);
        if (st == MCR_OK && a > 0 && n != r->paths)
            st = mcr_fail(err, MCR_ERR_INPUT, "%s: %llu paths (columns), but %s has %llu; every "
                          "path file must have as many", cfg->assets[a].path_file,
                          (unsigned long long)n, cfg->assets[0].path_file,
                          (unsigned long long)r->paths);
        if (st != MCR_OK) {
            mcr_replay_free(r);
            return st;
        }
        r->paths = n;
    }
    return MCR_OK;
}

void mcr_replay_free(mcr_replay *r)
{
    for (int a = 0; a < MCR_MAX_SIM_ASSETS; a++)
        free(r->price[a]);
    memset(r, 0, sizeof *r);
}

static void utc_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

mcr_status mcr_provenance_fill(const mcr_config *cfg, const mcr_run_options *opt,
                               mcr_provenance *p, mcr_error *err)
{
    snprintf(p->mcrisk_version, sizeof p->mcrisk_version, "%s", mcr_build_version());
    snprintf(p->git_revision, sizeof p->git_revision, "%s", mcr_build_revision());
    utc_now(p->created_utc, sizeof p->created_utc);
    p->config_yaml = strdup(cfg->yaml ? cfg->yaml : "");
    if (!p->config_yaml)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory copying the config text");
    p->seed = cfg->seed;
    p->paths = cfg->paths;
    p->steps = cfg->steps;
    p->horizon_days = cfg->horizon_days;
    p->threads = opt->threads;
    snprintf(p->isa, sizeof p->isa, "%s", opt->kernels->name);
    snprintf(p->rng, sizeof p->rng, "pcg32-xsh-rr-64/32 stream=path state=splitmix64(seed,path)");
    snprintf(p->compiler, sizeof p->compiler, "%s", mcr_build_compiler());
    snprintf(p->flags, sizeof p->flags, "%s", mcr_build_flags());
    return MCR_OK;
}

/* The k-th smallest (from 0) of v[0..n), which is reordered. */
static double nth_smallest(double *v, uint64_t n, uint64_t k)
{
    mcr_select_smallest(v, (int64_t)n, (int64_t)k + 1);
    return v[k];
}

/* The histogram of result.h from x[0..n); scratch holds n doubles. */
static void fill_histogram(const double *x, uint64_t n, double *scratch, mcr_histogram *h)
{
    uint64_t k_lo, k_hi;
    mcr_histogram_ranks(n, &k_lo, &k_hi);
    memcpy(scratch, x, n * sizeof *scratch);
    double lo = nth_smallest(scratch, n, k_lo - 1), hi = nth_smallest(scratch, n, k_hi - 1);
    mcr_histogram_fill(h, lo, hi, x, n);
}

/* Summaries of one cell from its pnl and its block partial sums, reduced in block order, so they
 * are the same whether or not the per-path detail is kept, at any thread count. */
static void summarize(const mcr_config *cfg, uint64_t n, mcr_strategy_result *c,
                      const mcr_block_stats *bs, uint64_t n_blocks, double *scratch)
{
    mcr_risk_summarize(c->pnl, n, cfg->levels, cfg->n_levels, scratch, &c->summary);
    fill_histogram(c->pnl, n, scratch, &c->hist);
    double comp[MCR_N_COMPONENTS] = {0}, greeks[3] = {0}, mean = 0, m2 = 0;
    uint64_t liquidated = 0, trades = 0, count = 0;
    for (uint64_t b = 0; b < n_blocks; b++) {
        uint64_t m = n - b * MCR_BLOCK_PATHS < MCR_BLOCK_PATHS ? n - b * MCR_BLOCK_PATHS
                                                               : MCR_BLOCK_PATHS;
        for (int k = 0; k < MCR_N_COMPONENTS; k++)
            comp[k] += bs[b].component_sum[k];
        for (int k = 0; k < 3; k++)
            greeks[k] += bs[b].greek_sum[k];
        liquidated += bs[b].liquidated;
        trades += bs[b].trades;
        /* Chan et al.: the variance of the union from each part's mean and squared deviations */
        double delta = bs[b].book_mean - mean, total = (double)(count + m);
        mean += delta * (double)m / total;
        m2 += bs[b].book_m2 + delta * delta * (double)count * (double)m / total;
        count += m;
    }
    double p = (double)liquidated / (double)n;
    c->summary.p_liquidation = p;
    c->summary.p_liquidation_se = sqrt(p * (1 - p) / (double)n);
    c->trades_mean = (double)trades / (double)n;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        c->component_mean[k] = comp[k] / (double)n;
    for (int k = 0; k < 3; k++)
        c->greeks_mean[k] = greeks[k] / (double)n;
    double book_var = m2 / (double)(n > 1 ? n - 1 : 1);
    c->hedge_effectiveness = book_var > 0 ? 1.0 - c->summary.std * c->summary.std / book_var : 0;
}

/* A whole run: its state, progress and checkpoint timer. Only the master thread ticks it. */
struct run_ctx {
    const mcr_config *cfg;
    const mcr_run_options *opt;
    mcr_run_state *state;
    mcr_progress progress;
    double start;          /* omp_get_wtime() when this session started */
    double prior_seconds;  /* simulation time of earlier sessions */
    double next_checkpoint;
    double last_count;     /* when paths_done last counted the block flags */
    bool warned;           /* a periodic checkpoint failed: said once */
};

/* Paths finished over every scenario: earlier scenarios whole, then the flagged blocks. */
static uint64_t paths_done(const mcr_run_state *s)
{
    uint64_t blocks = 0;
    if (s->scenario < s->n_scenarios)
        for (uint64_t b = 0; b < s->n_blocks; b++)
            blocks += __atomic_load_n(&s->done[b], __ATOMIC_ACQUIRE);
    uint64_t partial = blocks * MCR_BLOCK_PATHS < s->paths ? blocks * MCR_BLOCK_PATHS : s->paths;
    return (uint64_t)s->scenario * s->paths + partial;
}

static mcr_status write_checkpoint(run_ctx *c, mcr_error *err)
{
    c->state->seconds = c->prior_seconds + (omp_get_wtime() - c->start);
    return mcr_checkpoint_write(c->opt->checkpoint, c->state, err);
}

/* After each of the master's blocks: progress, and a checkpoint when one is due. The next one is
 * due checkpoint_seconds later, or 20 times the last write's duration if that is longer, so
 * checkpoints never take more than 5% of the run. */
static void master_tick(run_ctx *c)
{
    const mcr_run_state *s = c->state;
    bool due = c->opt->checkpoint && c->opt->checkpoint_seconds > 0 &&
               omp_get_wtime() >= c->next_checkpoint;
    if (!c->progress.on && !due)
        return;
    /* counting the flags costs about n_blocks / 64 block's work: not after every block */
    double now = omp_get_wtime();
    if (!due && now - c->last_count < 0.1)
        return;
    c->last_count = now;
    mcr_progress_update(&c->progress, paths_done(s), s->scenario,
                        c->cfg->scenarios[s->scenario].name);
    if (!due)
        return;
    mcr_error err = {0};
    double t0 = omp_get_wtime();
    mcr_status st = write_checkpoint(c, &err);
    double took = omp_get_wtime() - t0, wait = c->opt->checkpoint_seconds;
    c->next_checkpoint = omp_get_wtime() + (wait > 20 * took ? wait : 20 * took);
    if (st != MCR_OK && !c->warned) { /* the run goes on: losing it would be worse */
        mcr_progress_end(&c->progress);
        fprintf(stderr, "mcrisk: warning: %s (the run goes on)\n", err.msg);
        c->warned = true;
    }
}

/* Every scenario from the state's on; with keep_pnl false the pnl of a scenario is freed once it
 * is summarised. *stopped: a stop was requested and work remains. */
static mcr_status run_scenarios(run_ctx *c, bool loaded, double *scratch, bool *stopped,
                                mcr_error *err)
{
    const mcr_config *cfg = c->cfg;
    mcr_run_state *s = c->state;
    mcr_result *out = s->result;
    mcr_status st = MCR_OK;
    *stopped = false;
    for (int sc = s->scenario; sc < cfg->n_scenarios && st == MCR_OK; sc++) {
        /* a resumed scenario under way has its arrays and flags from the checkpoint */
        if (!(loaded && sc == s->scenario) && (st = mcr_run_state_begin(s, sc, err)) != MCR_OK)
            break;
        loaded = false;
        mcr_hedge_out hout[MCR_MAX_STRATEGIES];
        for (int t = 0; t < cfg->n_strategies; t++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, t);
            hout[t] = mcr_strategy_result_fields(cell);
        }
        sim_job job = {.cfg = cfg, .scenario = sc, .opt = c->opt, .n_paths = s->paths,
                       .out = hout, .local_detail = !s->keep_pnl, .done = s->done,
                       .stats = s->stats, .ctx = c};
        st = simulate_job(&job, err);
        uint64_t left = 0;
        for (uint64_t b = 0; b < s->n_blocks; b++)
            left += !s->done[b];
        if (st != MCR_OK || left > 0) {
            *stopped = st == MCR_OK && stop_requested(c->opt);
            if (st == MCR_OK && !*stopped)
                st = mcr_fail(err, MCR_ERR_INTERNAL, "%llu blocks of scenario %d not simulated",
                              (unsigned long long)left, sc);
            break;
        }
        for (int t = 0; t < cfg->n_strategies; t++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, t);
            summarize(cfg, s->paths, cell, s->stats + (size_t)t * s->n_blocks, s->n_blocks,
                      scratch);
            if (!s->keep_pnl) /* memory stays O(paths x strategies) for one scenario */
                mcr_strategy_result_free_detail(cell);
        }
        s->scenario = sc + 1;
        if (sc + 1 < cfg->n_scenarios && stop_requested(c->opt)) {
            *stopped = true;
            break;
        }
    }
    return st;
}

mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, mcr_result *out,
                   mcr_error *err)
{
    memset(out, 0, sizeof *out);
    if (opt->resume && !opt->checkpoint)
        return mcr_fail(err, MCR_ERR_INTERNAL, "resume without a checkpoint file");
    mcr_replay replay;
    mcr_status st = mcr_replay_load(cfg, &replay, err);
    if (st != MCR_OK)
        return st;
    mcr_run_options run_opt = *opt;
    run_opt.replay = replay.paths ? &replay : NULL;
    uint64_t n = replay.paths ? replay.paths : cfg->paths;
    if (n < 2) {
        mcr_replay_free(&replay);
        return mcr_fail(err, MCR_ERR_INPUT, "run.paths: risk figures need at least 2 paths "
                        "(got %llu)", (unsigned long long)n);
    }

    st = mcr_provenance_fill(cfg, &run_opt, &out->prov, err);
    out->prov.paths = n;
    out->n_scenarios = cfg->n_scenarios;
    out->n_strategies = cfg->n_strategies;
    out->cells = calloc((size_t)cfg->n_scenarios * (size_t)cfg->n_strategies, sizeof *out->cells);
    double *scratch = malloc(n * sizeof *scratch);
    if (st == MCR_OK && (!out->cells || !scratch))
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for %llu paths", (unsigned long long)n);
    for (int sc = 0; st == MCR_OK && sc < cfg->n_scenarios; sc++)
        for (int t = 0; t < cfg->n_strategies; t++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, t);
            snprintf(cell->scenario, sizeof cell->scenario, "%s", cfg->scenarios[sc].name);
            snprintf(cell->strategy, sizeof cell->strategy, "%s", cfg->strategies[t].name);
        }

    mcr_run_state state = {0};
    if (st == MCR_OK)
        st = mcr_run_state_init(&state, cfg, n, opt->kernels->name, out, err);
    bool loaded = false, stopped = false;
    if (st == MCR_OK && opt->resume) {
        st = mcr_checkpoint_read(opt->checkpoint, &state, err);
        loaded = st == MCR_OK;
        out->prov.resumed = 1;
    }
    run_ctx ctx = {.cfg = cfg, .opt = &run_opt, .state = &state, .start = omp_get_wtime(),
                   .prior_seconds = state.seconds};
    ctx.next_checkpoint = ctx.start + opt->checkpoint_seconds;
    if (st == MCR_OK) {
        mcr_progress_begin(&ctx.progress, stderr, opt->quiet, n * (uint64_t)cfg->n_scenarios,
                           paths_done(&state), cfg->steps, cfg->n_scenarios);
        st = run_scenarios(&ctx, loaded, scratch, &stopped, err);
        mcr_progress_end(&ctx.progress);
    }
    out->seconds = ctx.prior_seconds + (omp_get_wtime() - ctx.start);
    if (st == MCR_OK && stopped) {
        uint64_t done = paths_done(&state);
        if (opt->checkpoint)
            st = write_checkpoint(&ctx, err);
        mcr_result_free(out);
        out->stopped = 1;
        out->paths_done = done;
        out->prov.paths = n;
    }
    int n_sample = cfg->sample_paths < (int64_t)n ? cfg->sample_paths : (int)n;
    if (st == MCR_OK && !out->stopped && n_sample > 0) {
        out->n_sample = n_sample;
        out->sample_assets = cfg->n_assets;
        size_t size = (size_t)cfg->n_assets * n_sample * (cfg->steps + 1);
        for (int sc = 0; st == MCR_OK && sc < cfg->n_scenarios; sc++) {
            out->sample_paths[sc] = malloc(size * sizeof(double));
            st = out->sample_paths[sc]
                     ? mcr_sample_paths(cfg, sc, &run_opt, n_sample, out->sample_paths[sc], err)
                     : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the sample paths");
        }
    }
    mcr_run_state_free(&state);
    free(scratch);
    mcr_replay_free(&replay);
    if (st != MCR_OK)
        mcr_result_free(out);
    return st;
}
