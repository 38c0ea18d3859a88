/* The run driver (run.h). Each rank owns a contiguous range of whole chunks of paths
 * (core/comm.h: mcr_share) and keeps only its share of the per-path arrays. A scenario is
 * simulated in rounds: in round j every rank simulates the j-th chunk of its range (sim/, OpenMP
 * threads inside), then the ranks agree on the status and on whether a signal stopped one of
 * them. Between blocks, thread 0 of each rank prints progress and writes the periodic
 * checkpoint of its own chunks (ckpt.h). The summaries are reduced over the ranks (risk/), so
 * every figure is bitwise the same for any number of ranks; one process is the one-rank case.
 *
 * A signal sets opt->sim.stop: no new block starts, the blocks in flight finish, the ranks stop
 * together after the round, write their chunks (the finished blocks of a chunk under way too) and
 * return; a resumed run simulates exactly the blocks that are missing. Failures: every phase
 * ends by agreeing on a status (the lowest failing rank's, with its message), so no rank is left
 * waiting in a collective call that the others skipped. */
#include "run.h"

#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chunks.h"
#include "ckpt.h"
#include "memory.h"
#include "core/big_alloc.h"
#include "core/build_info.h"
#include "optimize.h"
#include "output/h5_io.h"
#include "progress.h"
#include "tail.h"
#include "risk/compare.h"
#include "risk/finite.h"
#include "risk/fold.h"
#include "risk/summary.h"
#include "risk/vr_se.h"

#define MCR_CHUNK_BLOCKS (MCR_CHUNK_PATHS / MCR_BLOCK_PATHS)

/* This rank's part of one scenario: which of its blocks are finished, their statistics, how
 * many blocks of each of its chunks the checkpoint holds, and where each chunk's outputs go. */
typedef struct scen_state {
    uint8_t *done;          /* [local block]: 1 once every output of the block is in (atomic) */
    mcr_block_stats *stats; /* [strategy * local_blocks + local block] */
    uint64_t *saved;        /* [local chunk]: blocks in the chunk's checkpoint file */
    /* [local chunk * strategies + strategy]: the chunk's arrays at global path indices: pnl in
     * the cell's array (the summaries need every path), the other fields kept in the chunk's own
     * buffers when the file is streamed (all NULL again once the chunk is written: released),
     * else in the cell's arrays too */
    mcr_field_set *sets;
    uint8_t *released;      /* [local chunk]: written to the file and its buffers freed */
} scen_state;

/* A whole run on this rank. */
typedef struct run_ctx {
    const mcr_config *cfg;
    /* hedge_ratio: optimize (optimize.h): each scenario's config with its chosen ratios, NULL
     * when nothing is optimized (then cfg) */
    mcr_config *scenario_cfg[MCR_MAX_SCENARIOS];
    const mcr_run_options *opt;
    const mcr_sim_options *sim; /* opt->sim with the replay */
    const mcr_comm *comm;
    mcr_share *sh;
    int my_first, my_chunks;
    uint64_t local_blocks;
    mcr_result *out;
    scen_state state[MCR_MAX_SCENARIOS]; /* allocated while a scenario's chunks may be saved */
    int scenario;                        /* under way */
    mcr_ckpt ckpt;
    bool checkpoint, resume, warned;
    bool created; /* the checkpoint directory exists (this rank created or checked it) */
    double start, prior_seconds, next_checkpoint, last_progress;
    mcr_progress progress;
    uint64_t done_global; /* paths finished over every scenario and rank at the last round */
    uint64_t round_paths; /* paths this rank finished in the round under way (atomic) */
    double *scratch;      /* [share count] */
    uint64_t keep;        /* the fields written per path (cfg->keep_fields) */
    uint64_t hold;        /* the fields held per path: keep and pnl */
    mcr_h5_writer *writer; /* the file, streamed chunk by chunk, or NULL */
    /* the local chunk of the scenario under way that the writer may still be reading (put last,
     * written on its thread while the next chunk is simulated), or -1 */
    int in_flight;
    mcr_chunks chunks; /* the buffers of the chunks under way (streamed) */
} run_ctx;

/* The config scenario sc simulates: cfg with its optimized hedge ratios. */
static const mcr_config *cfg_of(const run_ctx *r, int sc)
{
    return r->scenario_cfg[sc] ? r->scenario_cfg[sc] : r->cfg;
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
    p->threads = opt->sim.threads;
    snprintf(p->isa, sizeof p->isa, "%s", opt->sim.kernels->name);
    snprintf(p->rng, sizeof p->rng, "pcg32-xsh-rr-64/32 stream=path state=splitmix64(seed,path)");
    snprintf(p->compiler, sizeof p->compiler, "%s", mcr_build_compiler());
    snprintf(p->flags, sizeof p->flags, "%s", mcr_build_flags());
    mcr_data_inputs(cfg, p->input_files, sizeof p->input_files);
    return MCR_OK;
}

void mcr_data_inputs(const mcr_config *cfg, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (int a = 0; a < cfg->n_assets; a++) {
        const mcr_model *m = &cfg->assets[a].model;
        if (mcr_model_has_data(m) && used < size)
            used += (size_t)snprintf(buf + used, size - used,
                                     "%smarket.assets[%d].model.data: %s sha256:%s",
                                     used ? "\n" : "", a, m->data.data, m->data.sha256);
    }
    for (int s = 0; s < cfg->n_scenarios; s++) /* the scenarios' own data models */
        for (int a = 0; a < cfg->scenarios[s].n_models; a++) {
            const mcr_model *m = mcr_config_model(cfg, s, a);
            if (mcr_model_has_data(m) && m->data.series != cfg->assets[a].model.data.series &&
                used < size)
                used += (size_t)snprintf(buf + used, size - used,
                                         "%sscenarios[%d].models[%s].model.data: %s sha256:%s",
                                         used ? "\n" : "", s, cfg->assets[a].name, m->data.data,
                                         m->data.sha256);
        }
}

/* --------------------------------------------------------------------- scenario state */

/* The fields of a chunk's sets held in the chunk's own buffers (streamed) rather than in the
 * cells' arrays. */
static uint64_t chunk_own(const run_ctx *r)
{
    return r->chunks.own;
}

/* The first path of local chunk j. */
static uint64_t chunk_first(const run_ctx *r, int j)
{
    return (uint64_t)(r->my_first + j) * MCR_CHUNK_PATHS;
}

/* The buffers of local chunk j (when streamed) to the spares, or freed; its sets keep pnl. */
static void chunk_release(run_ctx *r, scen_state *s, int j)
{
    if (s->sets)
        mcr_chunks_give(&r->chunks, chunk_first(r, j),
                        s->sets + (size_t)j * r->cfg->n_strategies);
}

static void state_free(run_ctx *r, scen_state *s)
{
    for (int j = 0; s->sets && j < r->my_chunks; j++)
        chunk_release(r, s, j);
    free(s->done);
    free(s->stats);
    free(s->saved);
    free(s->sets);
    free(s->released);
    memset(s, 0, sizeof *s);
}

/* Scenario sc's state and its cells' arrays: pnl, and unless streamed every field held. */
static mcr_status state_begin(run_ctx *r, int sc, mcr_error *err)
{
    scen_state *s = &r->state[sc];
    const int n = r->cfg->n_strategies;
    s->done = calloc(r->local_blocks + 1, 1);
    size_t stats = ((size_t)n * r->local_blocks + 1) * sizeof *s->stats;
    if ((s->stats = mcr_alloc_big(stats))) /* on huge pages: faulted in 2 MiB at a time */
        memset(s->stats, 0, stats);
    s->saved = calloc((size_t)r->my_chunks + 1, sizeof *s->saved);
    s->sets = calloc((size_t)r->my_chunks * n + 1, sizeof *s->sets);
    s->released = calloc((size_t)r->my_chunks + 1, 1);
    bool ok = s->done && s->stats && s->saved && s->sets && s->released;
    for (int t = 0; ok && t < n; t++) {
        mcr_strategy_result *c = mcr_result_cell(r->out, sc, t);
        ok = mcr_field_set_alloc(&c->fields, r->sh->count, r->hold & ~chunk_own(r));
        mcr_field_set aimed = mcr_field_set_shift(&c->fields, r->sh->first);
        for (int j = 0; ok && j < r->my_chunks; j++)
            s->sets[(size_t)j * n + t] = aimed;
    }
    if (ok)
        return MCR_OK;
    state_free(r, s);
    return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the per-path outputs of %llu paths",
                    (unsigned long long)r->sh->count);
}

/* The buffers of local chunk j's own fields (streamed), aimed at global path indices. */
static mcr_status chunk_alloc(run_ctx *r, scen_state *s, int j, mcr_error *err)
{
    if (mcr_chunks_take(&r->chunks, j, chunk_first(r, j),
                        s->sets + (size_t)j * r->cfg->n_strategies))
        return MCR_OK;
    return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for a chunk of %llu paths",
                    (unsigned long long)mcr_share_chunk_len(r->sh, r->my_first + j));
}

/* Local chunk j of scenario sc as the checkpoint sees it. */
static mcr_ckpt_chunk chunk_of(run_ctx *r, int sc, int j)
{
    scen_state *s = &r->state[sc];
    int chunk = r->my_first + j;
    return (mcr_ckpt_chunk){
        .scenario = sc, .chunk = chunk, .n_strategies = r->cfg->n_strategies,
        .len = mcr_share_chunk_len(r->sh, chunk),
        .fields = s->sets + (size_t)j * r->cfg->n_strategies,
        .stats = s->stats + (size_t)j * MCR_CHUNK_BLOCKS, .stats_stride = r->local_blocks,
        .done = s->done + (size_t)j * MCR_CHUNK_BLOCKS};
}

/* ---------------------------------------------------------------------- checkpointing */

/* The checkpoint directory, created at the first save. */
static mcr_status ensure_checkpoint(run_ctx *r, mcr_error *err)
{
    if (r->created)
        return MCR_OK;
    mcr_status st = mcr_ckpt_create(&r->ckpt, err);
    r->created = st == MCR_OK;
    return st;
}

/* This rank's chunks that gained finished blocks since they were last saved (every scenario
 * still held), and the simulation time (rank 0). */
static mcr_status save_checkpoint(run_ctx *r, mcr_error *err)
{
    mcr_status st = MCR_OK;
    for (int sc = 0; sc <= r->scenario && sc < r->cfg->n_scenarios && st == MCR_OK; sc++) {
        scen_state *s = &r->state[sc];
        for (int j = 0; s->done && j < r->my_chunks && st == MCR_OK; j++) {
            if (s->released[j]) /* saved before, or to be simulated again on resume */
                continue;
            mcr_ckpt_chunk k = chunk_of(r, sc, j);
            uint64_t done = 0, nb = (k.len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
            uint8_t snap[MCR_CHUNK_BLOCKS]; /* the blocks saved: their rows filled in first */
            for (uint64_t b = 0; b < nb; b++)
                done += snap[b] = __atomic_load_n(&k.done[b], __ATOMIC_ACQUIRE);
            mcr_chunks_fill(&r->chunks, j, chunk_first(r, j), k.len, snap, nb, k.fields);
            k.done = snap;
            if (done > s->saved[j] && (st = ensure_checkpoint(r, err)) == MCR_OK)
                st = mcr_ckpt_save_chunk(&r->ckpt, &k, &s->saved[j], err);
        }
    }
    if (st == MCR_OK && r->comm->rank == 0 &&
        (r->created || access(r->ckpt.dir, F_OK) == 0) &&
        (st = ensure_checkpoint(r, err)) == MCR_OK)
        st = mcr_ckpt_save_time(&r->ckpt, r->prior_seconds + (omp_get_wtime() - r->start), err);
    return st;
}

/* ------------------------------------------------------------- what happens between blocks */

/* After each block (any thread): its statistics, then its flag (release: a checkpoint that sees
 * the flag sees every output of the block). */
static void block_done(void *ctx, uint64_t block, uint64_t first, int count,
                       const mcr_field_set *set, const double *control)
{
    run_ctx *r = ctx;
    scen_state *s = &r->state[r->scenario];
    uint64_t j = block - r->sh->first / MCR_BLOCK_PATHS;
    for (int t = 0; t < r->cfg->n_strategies; t++)
        mcr_block_stats_of(&set[t], first, count, control,
                           &s->stats[(size_t)t * r->local_blocks + j]);
    if (chunk_own(r)) /* the own fields: from the thread's block buffers */
        mcr_chunks_keep_rows(&r->chunks, (int)(j / MCR_CHUNK_BLOCKS), j % MCR_CHUNK_BLOCKS, first,
                             count, set, s->sets + j / MCR_CHUNK_BLOCKS * r->cfg->n_strategies);
    __atomic_store_n(&s->done[j], 1, __ATOMIC_RELEASE);
    __atomic_fetch_add(&r->round_paths, (uint64_t)count, __ATOMIC_RELAXED);
}

/* After each of thread 0's blocks: progress, and a checkpoint of this rank's chunks when one is
 * due. The next one is due checkpoint_seconds later, or 20 times the last write's duration if
 * that is longer, so checkpoints never take more than 5% of the run. Over several ranks the
 * progress of rank 0 counts the others' paths at the end of each round. */
static void tick(void *ctx)
{
    run_ctx *r = ctx;
    double now = omp_get_wtime();
    bool due = r->checkpoint && r->opt->checkpoint_seconds > 0 && now >= r->next_checkpoint;
    if (r->progress.on && now - r->last_progress >= 0.1) {
        r->last_progress = now;
        mcr_progress_update(&r->progress,
                            r->done_global + __atomic_load_n(&r->round_paths, __ATOMIC_RELAXED),
                            r->scenario, r->cfg->scenarios[r->scenario].name);
    }
    if (!due)
        return;
    mcr_error err = {0};
    mcr_status st = save_checkpoint(r, &err);
    double took = omp_get_wtime() - now, wait = r->opt->checkpoint_seconds;
    r->next_checkpoint = omp_get_wtime() + (wait > 20 * took ? wait : 20 * took);
    if (st != MCR_OK && !r->warned) { /* the run goes on: losing it would be worse */
        mcr_progress_end(&r->progress);
        fprintf(stderr, "mcrisk: warning: %s (the run goes on)\n", err.msg);
        r->warned = true;
    }
}

/* --------------------------------------------------------------------------- a scenario */

/* Every cell of scenario sc summarised over the ranks (collective). */
static mcr_status summarize(run_ctx *r, int sc, mcr_error *err)
{
    const mcr_config *cfg = r->cfg;
    mcr_fold folds[MCR_MAX_STRATEGIES];
    mcr_fold_share(r->comm, r->sh, r->state[sc].stats, r->local_blocks, cfg->n_strategies,
                   cfg->vr.control_variate ? (uint64_t)cfg->vr.pilot_blocks : 0, folds);
    double x_mean = 0, beta;
    mcr_status st = cfg->vr.control_variate ? mcr_sim_control_mean(cfg, sc, &x_mean, err)
                                            : MCR_OK;
    if (st != MCR_OK)
        return st;
    for (int t = 0; t < cfg->n_strategies; t++) {
        mcr_strategy_result *c = mcr_result_cell(r->out, sc, t);
        const double *pnl = c->fields.at[MCR_FIELD_PNL];
        st = mcr_check_finite_pnl(r->comm, r->sh, c, err);
        if (st != MCR_OK)
            return st;
        if (!mcr_risk_summary(r->comm, r->sh, pnl, cfg->levels, cfg->n_levels, r->scratch,
                              &c->summary) ||
            !mcr_risk_histogram(r->comm, r->sh, pnl, r->scratch, &c->hist))
            return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the tail of %llu paths",
                            (unsigned long long)r->sh->paths);
        if (!mcr_vr_se(r->comm, r->sh, pnl, &cfg->vr, &c->summary))
            return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the variance-reduction "
                            "standard errors");
        if (cfg->vr.control_variate &&
            !mcr_cv_apply(&folds[t].cv_pilot, &folds[t].cv_main, x_mean, &c->summary, &beta))
            return mcr_fail(err, MCR_ERR_INPUT, "run.variance_reduction.control_variate: the "
                            "control is constant on the pilot paths (a model without "
                            "randomness, or an option far out of the money?)");
        mcr_fold_finish(&folds[t], r->sh->paths, c);
        if ((st = mcr_check_finite_summary(c, err)) != MCR_OK)
            return st;
    }
    if (cfg->n_strategies > 1 &&
        !mcr_risk_compare(r->comm, r->sh, mcr_result_cell(r->out, sc, 0), cfg->n_strategies,
                          cfg->baseline_index, cfg->levels, cfg->n_levels, &cfg->vr,
                          r->scratch))
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory comparing the strategies on %llu "
                        "paths (24 bytes a path on rank 0; at most 2^31 - 1 paths)",
                        (unsigned long long)r->sh->paths);
    if (cfg->tail.level > 0) /* before the summaries are checkpointed: they hold its figures */
        return mcr_tail_scenario(cfg_of(r, sc), sc, r->sim, r->comm, r->sh,
                                 mcr_result_cell(r->out, sc, 0), &r->out->tail_weight[sc], err);
    return MCR_OK;
}

/* One round of scenario sc on this rank: local chunk j loaded from the checkpoint and its
 * missing blocks simulated. */
static mcr_status run_chunk(run_ctx *r, int sc, int j, mcr_error *err)
{
    scen_state *s = &r->state[sc];
    mcr_ckpt_chunk k = chunk_of(r, sc, j);
    mcr_status st = chunk_alloc(r, s, j, err);
    if (st == MCR_OK && r->resume && r->checkpoint)
        st = mcr_ckpt_load_chunk(&r->ckpt, &k, &s->saved[j], err);
    uint64_t nb = (k.len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    const int n = r->cfg->n_strategies;
    if (st == MCR_OK)
        mcr_chunks_loaded(&r->chunks, j, k.done, nb);
    if (st != MCR_OK || s->saved[j] == nb)
        return st;
    /* the own fields go to the threads' block buffers (then mcr_chunks_keep_rows) */
    mcr_field_set direct[MCR_MAX_STRATEGIES];
    for (int t = 0; t < n; t++) {
        direct[t] = k.fields[t];
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (chunk_own(r) & MCR_FIELD_BIT(f))
                direct[t].at[f] = NULL;
    }
    mcr_sim_range range = {.first_block = (uint64_t)k.chunk * MCR_CHUNK_BLOCKS,
                           .n_blocks = nb, .out = direct, .skip = k.done,
                           .block_done = block_done, .tick = tick, .ctx = r};
    return mcr_sim_blocks(cfg_of(r, sc), sc, r->sim, &range, err);
}

/* The buffers of the chunk the writer was reading, released once it is done with them. */
static void release_in_flight(run_ctx *r, int sc)
{
    if (r->in_flight >= 0)
        chunk_release(r, &r->state[sc], r->in_flight);
    r->in_flight = -1;
}

/* Local chunk j of scenario sc, finished: its per-path values to the file (written while the next
 * chunk is simulated, when the writer has a thread of its own), the previous chunk's buffers
 * released (the put waited for it). A checkpoint that exists gets the chunk too (a resumed run
 * will write the file again); before the first periodic checkpoint the chunk is not saved, and a
 * run stopped then simulates it again. */
static mcr_status stream_chunk(run_ctx *r, int sc, int j, mcr_error *err)
{
    scen_state *s = &r->state[sc];
    mcr_ckpt_chunk k = chunk_of(r, sc, j);
    uint64_t nb = (k.len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    mcr_h5_same same;
    if (r->keep && chunk_own(r))
        mcr_chunks_same(&r->chunks, j, chunk_first(r, j), k.len, nb, k.fields, &same);
    mcr_status st = r->keep ? mcr_h5_put_chunk(r->writer, sc, (uint64_t)k.chunk * MCR_CHUNK_PATHS,
                                               k.len, k.fields, chunk_own(r) ? &same : NULL, err)
                            : MCR_OK;
    release_in_flight(r, sc);
    if (st == MCR_OK && r->created && s->saved[j] < nb) {
        /* the rows of the fields the writer encodes from `same`, which it does not read */
        mcr_chunks_fill(&r->chunks, j, chunk_first(r, j), k.len, k.done, nb, k.fields);
        st = mcr_ckpt_save_chunk(&r->ckpt, &k, &s->saved[j], err);
    }
    if (r->keep && mcr_h5_background(r->writer))
        r->in_flight = j;
    else
        chunk_release(r, s, j);
    s->released[j] = 1;
    return st;
}

/* Scenario sc: this rank's chunks round by round, then every cell summarised. *stopped: the
 * signal that stopped the run with work left. */
static mcr_status run_scenario(run_ctx *r, int sc, int *stopped, mcr_error *err)
{
    const mcr_config *cfg = r->cfg;
    const mcr_comm *c = r->comm;
    mcr_strategy_result *cells = mcr_result_cell(r->out, sc, 0);
    r->scenario = sc;
    if (r->resume && r->checkpoint && !cfg->keep_pnl &&
        mcr_ckpt_load_done(&r->ckpt, sc, cells, cfg->n_strategies)) {
        if (c->rank == 0) /* summarised before the interruption */
            mcr_ckpt_drop_chunks(&r->ckpt, sc, r->sh->n_chunks);
        return MCR_OK;
    }
    mcr_status st = mcr_comm_agree(c, state_begin(r, sc, err), err);
    int rounds = 0;
    for (int k = 0; k < c->size; k++)
        rounds = r->sh->chunk_count[k] > rounds ? r->sh->chunk_count[k] : rounds;
    for (int j = 0; j < rounds && st == MCR_OK; j++) {
        if (j < r->my_chunks)
            st = run_chunk(r, sc, j, err);
        if (st == MCR_OK && r->writer && j < r->my_chunks && !r->state[sc].released[j]) {
            uint64_t left = 0, nb = (mcr_share_chunk_len(r->sh, r->my_first + j) +
                                     MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
            for (uint64_t b = 0; b < nb; b++)
                left += !r->state[sc].done[(uint64_t)j * MCR_CHUNK_BLOCKS + b];
            if (!left) /* a stop may leave it partial: it stays for the checkpoint */
                st = stream_chunk(r, sc, j, err);
        }
        st = mcr_comm_agree(c, st, err);
        int sig = mcr_comm_max_int(c, r->opt->sim.stop ? *r->opt->sim.stop : 0);
        r->done_global += mcr_comm_sum_u64(c, __atomic_exchange_n(&r->round_paths, 0,
                                                                  __ATOMIC_RELAXED));
        mcr_progress_update(&r->progress, r->done_global, sc, cfg->scenarios[sc].name);
        if (st != MCR_OK || !sig)
            continue;
        uint64_t left = 0;
        for (uint64_t b = 0; b < r->local_blocks; b++)
            left += !r->state[sc].done[b];
        left = mcr_comm_sum_u64(c, left) + (sc + 1 < cfg->n_scenarios);
        if (left > 0) {
            *stopped = sig;
            return st;
        }
    }
    for (uint64_t b = 0; st == MCR_OK && b < r->local_blocks; b++)
        if (!r->state[sc].done[b])
            st = mcr_fail(err, MCR_ERR_INTERNAL, "block %llu of scenario %d not simulated",
                          (unsigned long long)b, sc);
    st = mcr_comm_agree(c, st, err);
    /* summarised while the writer's thread writes the last chunk */
    if (st == MCR_OK)
        st = mcr_comm_agree(c, summarize(r, sc, err), err);
    if (st == MCR_OK && r->writer) { /* the other ranks' chunks of the scenario, to rank 0 */
        st = mcr_h5_end_scenario(r->writer, sc, err);
        release_in_flight(r, sc);
    }
    /* streamed or without keep_pnl, memory stays O(paths / ranks x strategies) for one
     * scenario: its values are in the file, or not kept */
    if (st == MCR_OK && (r->writer || !cfg->keep_pnl)) {
        for (int t = 0; t < cfg->n_strategies; t++)
            mcr_field_set_free(&cells[t].fields);
        state_free(r, &r->state[sc]);
    }
    if (st != MCR_OK || cfg->keep_pnl)
        return st;
    /* without keep_pnl the summaries replace the scenario's chunks in the checkpoint */
    if (r->checkpoint && c->rank == 0 && (st = ensure_checkpoint(r, err)) == MCR_OK)
        st = mcr_ckpt_save_done(&r->ckpt, sc, cells, cfg->n_strategies, err);
    st = mcr_comm_agree(c, st, err);
    if (st == MCR_OK && r->checkpoint && c->rank == 0)
        mcr_ckpt_drop_chunks(&r->ckpt, sc, r->sh->n_chunks);
    return st;
}

/* ------------------------------------------------------------------------------ the run */

/* The checkpoint directory of a resumed run, checked, its finished paths and simulation time
 * counted (a new run creates it at its first save). */
static mcr_status open_checkpoint(run_ctx *r, uint64_t *done, mcr_error *err)
{
    const mcr_comm *c = r->comm;
    *done = 0;
    if (!r->checkpoint)
        return MCR_OK;
    mcr_ckpt_init(&r->ckpt, r->opt->checkpoint, r->cfg, r->sh->paths, r->sim->kernels->name,
                  r->out->prov.input_files);
    if (!r->resume) /* created at the first save */
        return MCR_OK;
    mcr_status st = MCR_OK;
    if (c->rank == 0) /* rank 0 alone checks, and removes a killed writer's temporaries */
        st = mcr_ckpt_check(&r->ckpt, err);
    if (st == MCR_OK && c->rank == 0)
        mcr_ckpt_clean(&r->ckpt);
    st = mcr_comm_agree(c, st, err);
    if (st != MCR_OK)
        return st;
    r->created = true;
    r->prior_seconds = mcr_ckpt_load_time(&r->ckpt);
    c->ops->bcast(c, &r->prior_seconds, sizeof r->prior_seconds, 0);
    uint64_t mine = 0;
    for (int sc = 0; sc < r->cfg->n_scenarios; sc++) {
        if (!r->cfg->keep_pnl && mcr_ckpt_has_done(&r->ckpt, sc)) {
            mine += r->sh->count;
            continue;
        }
        for (int j = 0; j < r->my_chunks; j++)
            mine += mcr_ckpt_chunk_paths(&r->ckpt, sc, r->my_first + j,
                                         mcr_share_chunk_len(r->sh, r->my_first + j));
    }
    *done = mcr_comm_sum_u64(c, mine);
    return MCR_OK;
}

/* Provenance, the cells and their names, on every rank as on rank 0 (the attributes are written
 * collectively). */
static mcr_status begin_result(run_ctx *r, mcr_error *err)
{
    const mcr_config *cfg = r->cfg;
    mcr_result *out = r->out;
    mcr_provenance *p = &out->prov;
    mcr_status st = mcr_provenance_fill(cfg, r->opt, p, err);
    char *replayed = mcr_replay_inputs(cfg, r->sim->replay); /* the path files, hashed */
    if (st == MCR_OK && !replayed)
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory");
    size_t used = strlen(p->input_files);
    for (int a = 0; replayed && r->sim->replay && a < cfg->n_assets; a++)
        if (used < sizeof p->input_files)
            used += (size_t)snprintf(p->input_files + used, sizeof p->input_files - used,
                                     "market.assets[%d].path_file: %s sha256:%s\n", a,
                                     cfg->assets[a].path_file, r->sim->replay->sha256[a]);
    free(replayed);
    p->paths = r->sh->paths;
    p->resumed = r->resume;
    r->comm->ops->bcast(r->comm, p->created_utc, sizeof p->created_utc, 0);
    r->comm->ops->bcast(r->comm, &p->threads, sizeof p->threads, 0);
    out->n_scenarios = cfg->n_scenarios;
    out->n_strategies = cfg->n_strategies;
    out->cells = calloc((size_t)cfg->n_scenarios * (size_t)cfg->n_strategies,
                        sizeof *out->cells);
    r->scratch = mcr_alloc_big(r->sh->count * sizeof *r->scratch);
    if (st == MCR_OK && (!out->cells || !r->scratch))
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for %llu paths",
                      (unsigned long long)r->sh->count);
    for (int sc = 0; st == MCR_OK && sc < cfg->n_scenarios; sc++)
        for (int t = 0; t < cfg->n_strategies; t++) {
            mcr_strategy_result *cell = mcr_result_cell(out, sc, t);
            snprintf(cell->scenario, sizeof cell->scenario, "%s", cfg->scenarios[sc].name);
            snprintf(cell->strategy, sizeof cell->strategy, "%s", cfg->strategies[t].name);
            cell->summary.n_levels = cfg->n_levels; /* the shape of the file, begun now */
            cell->hist.bins = MCR_HIST_BINS;
            cell->swept = cfg->strategies[t].swept;
        }
    return st;
}

/* hedge_ratio: optimize: the scenario configs and every cell's choice. */
static mcr_status optimize(run_ctx *r, mcr_error *err)
{
    const mcr_config *cfg = r->cfg;
    mcr_ratio_choice *choice = malloc((size_t)cfg->n_scenarios * (size_t)cfg->n_strategies *
                                      sizeof *choice);
    if (!choice)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory");
    mcr_status st = mcr_optimize_hedges(cfg, r->sim, r->scenario_cfg, choice, err);
    for (int i = 0; st == MCR_OK && i < cfg->n_scenarios * cfg->n_strategies; i++)
        r->out->cells[i].ratio = choice[i];
    free(choice);
    return st;
}

/* run.sample_paths: a few paths simulated again, on every rank (rank 0 writes them). */
static mcr_status sample_paths(run_ctx *r, mcr_error *err)
{
    const mcr_config *cfg = r->cfg;
    mcr_result *out = r->out;
    int n = cfg->sample_paths < (int64_t)r->sh->paths ? cfg->sample_paths : (int)r->sh->paths;
    if (n <= 0)
        return MCR_OK;
    out->n_sample = n;
    out->sample_assets = cfg->n_assets;
    size_t size = (size_t)cfg->n_assets * (size_t)n * (size_t)(cfg->steps + 1);
    mcr_status st = MCR_OK;
    for (int sc = 0; st == MCR_OK && sc < cfg->n_scenarios; sc++) {
        out->sample_paths[sc] = malloc(size * sizeof(double));
        st = out->sample_paths[sc]
                 ? mcr_sample_paths(cfg, sc, r->sim, n, out->sample_paths[sc], err)
                 : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the sample paths");
    }
    return st;
}

mcr_status mcr_run_write(const mcr_config *cfg, const char *path, mcr_result *r,
                         const mcr_comm *c, const mcr_share *sh, mcr_error *err)
{
    for (int i = 0; i < r->n_scenarios * r->n_strategies; i++)
        for (int f = 0; f < MCR_N_FIELDS; f++)
            if (!(cfg->keep_fields & MCR_FIELD_BIT(f))) { /* pnl, held for the summaries only */
                free(r->cells[i].fields.at[f]);
                r->cells[i].fields.at[f] = NULL;
            }
    return mcr_h5_write_shared(path, r, c, sh, err);
}

/* The streamed file finished: attributes and summaries. */
static mcr_status write_output(run_ctx *r, mcr_error *err)
{
    mcr_h5_writer *w = r->writer;
    r->writer = NULL;
    return mcr_h5_finish(w, r->out, err);
}

mcr_status mcr_run(const mcr_config *cfg, const mcr_run_options *opt, const mcr_comm *c,
                   mcr_share *share, mcr_result *out, mcr_error *err)
{
    memset(out, 0, sizeof *out);
    memset(share, 0, sizeof *share);
    mcr_replay replay;
    mcr_status st = mcr_replay_load(cfg, &replay, err);
    mcr_sim_options sim = opt->sim;
    sim.replay = replay.paths ? &replay : NULL;
    /* the threads' workspaces kept from chunk to chunk (else allocated, and their pages faulted
     * in, for every chunk); without one each call allocates its own */
    mcr_sim_work *work = sim.work ? NULL : mcr_sim_work_new();
    if (work)
        sim.work = work;
    uint64_t n = mcr_sim_paths(cfg, &sim);
    if (st == MCR_OK && n < 2)
        st = mcr_fail(err, MCR_ERR_INPUT, "run.paths: risk figures need at least 2 paths "
                      "(got %llu)", (unsigned long long)n);
    if (!mcr_share_init(share, c, n) && st == MCR_OK)
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory splitting %llu paths",
                      (unsigned long long)n);
    if (st == MCR_OK) /* before any big allocation: refused in a second, not OOM-killed later */
        st = mcr_memory_check(cfg, share->count, n, opt->sim.threads, replay.paths > 0,
                              !opt->output  ? MCR_OUTPUT_HELD
                              : c->rank > 0 ? MCR_OUTPUT_RELAYED
                                            : MCR_OUTPUT_STREAMED,
                              opt->max_memory, opt->quiet || c->rank != 0 ? NULL : stderr, err);
    st = mcr_comm_agree(c, st, err);
    run_ctx *r = st == MCR_OK ? calloc(1, sizeof *r) : NULL;
    if (st == MCR_OK && !r)
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory");
    st = mcr_comm_agree(c, st, err);
    if (st != MCR_OK) {
        mcr_sim_work_free(work);
        mcr_replay_free(&replay);
        mcr_share_free(share);
        return st;
    }
    *r = (run_ctx){.cfg = cfg, .opt = opt, .sim = &sim, .comm = c, .sh = share, .out = out,
                   .checkpoint = opt->checkpoint != NULL, .resume = opt->resume,
                   .my_first = mcr_share_my_first(share, c),
                   .my_chunks = mcr_share_my_chunks(share, c),
                   .local_blocks = (share->count + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS,
                   .keep = cfg->keep_fields, .in_flight = -1,
                   .hold = cfg->keep_fields | MCR_FIELD_BIT(MCR_FIELD_PNL)};
    if (r->resume && !r->checkpoint)
        st = mcr_fail(err, MCR_ERR_INTERNAL, "resume without a checkpoint directory");
    if (st == MCR_OK)
        st = begin_result(r, err);
    if (st == MCR_OK) /* every rank searches alone, to the same numbers */
        st = optimize(r, err);
    for (int sc = 0; st == MCR_OK && cfg->vr.control_variate && sc < cfg->n_scenarios; sc++) {
        double mean; /* the control's option found before any path (book_option) */
        st = mcr_sim_control_mean(cfg_of(r, sc), sc, &mean, err);
    }
    st = mcr_comm_agree(c, st, err);
    uint64_t done = 0;
    if (st == MCR_OK)
        st = open_checkpoint(r, &done, err);
    if (st == MCR_OK && opt->output) /* streamed as the run goes */
        st = mcr_h5_begin(&r->writer, opt->output, out, &r->keep, c, share, opt->sim.threads,
                          err);
    mcr_chunks_init(&r->chunks, cfg->n_strategies,
                    r->writer ? r->hold & ~MCR_FIELD_BIT(MCR_FIELD_PNL) : 0,
                    share->count < MCR_CHUNK_PATHS ? share->count : MCR_CHUNK_PATHS);

    c->ops->barrier(c);
    r->start = omp_get_wtime();
    r->next_checkpoint = r->start + opt->checkpoint_seconds;
    r->done_global = done;
    mcr_progress_begin(&r->progress, stderr, opt->quiet || c->rank != 0,
                       n * (uint64_t)cfg->n_scenarios, done, cfg->steps, cfg->n_scenarios);
    int stopped = 0;
    for (int sc = 0; sc < cfg->n_scenarios && st == MCR_OK && !stopped; sc++)
        st = run_scenario(r, sc, &stopped, err);
    mcr_progress_end(&r->progress);
    if (st == MCR_OK)
        out->seconds = r->prior_seconds + mcr_comm_max_f64(c, omp_get_wtime() - r->start);
    /* Stopped, or done after at least one checkpoint interval: the output is yet to be written,
     * slowly for a big run, and a kill then must not lose the simulation (a shorter run is
     * cheaper to run again than to checkpoint whole). */
    bool complete_due = !stopped && opt->checkpoint_seconds > 0 &&
                        mcr_comm_max_f64(c, omp_get_wtime() - r->start) >= opt->checkpoint_seconds;
    /* a stop before any block finished still leaves the checkpoint it announces (its identity
     * and time): --resume, and run.target's search for its round, need it */
    if (st == MCR_OK && stopped && r->checkpoint && c->rank == 0)
        st = ensure_checkpoint(r, err);
    if (st == MCR_OK && (stopped || complete_due) && r->checkpoint)
        st = mcr_comm_agree(c, save_checkpoint(r, err), err);
    if (st == MCR_OK && !stopped)
        st = mcr_comm_agree(c, sample_paths(r, err), err);
    mcr_error ignored; /* stopped or failed: nothing is in flight on a finished run */
    if (r->writer) /* the chunk in flight written before its buffers go */
        mcr_h5_flush(r->writer, &ignored);
    release_in_flight(r, r->scenario);
    for (int sc = 0; sc < cfg->n_scenarios; sc++)
        state_free(r, &r->state[sc]);
    mcr_chunks_free(&r->chunks);
    if (st == MCR_OK && !stopped && opt->output)
        st = mcr_comm_agree(c, write_output(r, err), err);
    mcr_h5_abort(r->writer); /* stopped or failed: the temporary goes */
    free(r->scratch);
    if (st == MCR_OK && stopped) {
        uint64_t paths = out->prov.paths;
        mcr_result_free(out);
        out->stopped = stopped;
        out->paths_done = r->done_global;
        out->prov.paths = paths;
    }
    for (int sc = 0; sc < MCR_MAX_SCENARIOS; sc++)
        free(r->scenario_cfg[sc]);
    free(r);
    mcr_sim_work_free(work);
    mcr_replay_free(&replay);
    if (st != MCR_OK) {
        mcr_result_free(out);
        mcr_share_free(share);
    }
    return st;
}
