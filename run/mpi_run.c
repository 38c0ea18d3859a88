/* `mcrisk run` under MPI (mpi_run.h). Each rank owns a contiguous range of whole MCR_SUM_CHUNK
 * chunks of paths (risk_mpi.h) and keeps only its slice of the per-path arrays. A scenario is
 * simulated in rounds: in round j every rank simulates the j-th chunk of its range with
 * mcr_simulate_range (OpenMP threads inside the rank), then the ranks agree on whether a signal
 * stopped one of them, and the chunks done are checkpointed when that or the periodic save is
 * due (mpi_ckpt.h: one file per chunk, so a resumed run may have another number of ranks).
 * The summaries are reduced across ranks with the arithmetic of run.c and risk.c (risk_mpi.c, and
 * here the block partial sums folded in block order, handed from rank to rank), so every figure
 * is bitwise identical to the single-process run; the file is written through parallel HDF5
 * (h5_mpi.c).
 *
 * A signal (SIGINT, SIGTERM: the CLI's handler sets opt->stop) makes the rank skip the rest of
 * the chunk under way, which is dropped; the ranks stop together after that round.
 * Failures: every phase ends by agreeing on a status (the lowest failing rank's, with its
 * message), so no rank is left waiting in a collective call that the others skipped. */
#include "mpi_run.h"

#include <math.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "output/h5_mpi.h"
#include "mpi_ckpt.h"
#include "progress.h"
#include "output/report.h"
#include "risk/risk.h"
#include "risk/risk_mpi.h"

#define MCR_CHUNK_BLOCKS (MCR_SUM_CHUNK / MCR_BLOCK_PATHS)

bool mcr_mpi_launched(void)
{
    const char *force = getenv("MCR_MPI");
    if (force && *force)
        return strcmp(force, "0") != 0;
    /* Open MPI's mpirun, MPICH and Intel MPI (hydra: PMI), Slurm's srun with PMIx */
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return true;
    return false;
}

/* The status of the lowest failing rank, with its message, on every rank. */
static mcr_status agree(const mcr_mpi_share *sh, mcr_status st, mcr_error *err)
{
    int mine = st != MCR_OK ? sh->rank : sh->size, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, sh->comm);
    if (first == sh->size)
        return MCR_OK;
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, first, sh->comm);
    return err->status;
}

/* This rank's slice of one cell: pnl, and with keep_pnl every other per-path array. */
static bool alloc_slice(mcr_strategy_result *c, uint64_t count, bool detail)
{
    size_t n = count ? count : 1; /* a rank without paths still takes part in every write */
    c->pnl = malloc(n * sizeof *c->pnl);
    if (!detail)
        return c->pnl;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        c->component[k] = malloc(n * sizeof *c->component[k]);
    c->liquidation_step = malloc(n * sizeof *c->liquidation_step);
    c->trades = malloc(n * sizeof *c->trades);
    for (int k = 0; k < 3; k++)
        c->greeks[k] = malloc(n * sizeof *c->greeks[k]);
    bool ok = c->pnl && c->liquidation_step && c->trades;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        ok = ok && c->component[k];
    for (int k = 0; k < 3; k++)
        ok = ok && c->greeks[k];
    return ok;
}

/* The outputs of paths from `at` (an index into the rank's slice) on. */
static mcr_hedge_out slice_out(const mcr_strategy_result *c, uint64_t at)
{
    mcr_hedge_out o = mcr_strategy_result_fields(c);
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (o.at[f])
            o.at[f] = (char *)o.at[f] + at * mcr_field_size((mcr_field_id)f);
    return o;
}

/* run.c's reduction of the block partial sums in block order (see its summarize), carried from
 * rank to rank: rank r goes on from where rank r - 1 stopped, so the operations are the same. */
typedef struct fold {
    double comp[MCR_N_COMPONENTS], greeks[3], mean, m2;
    uint64_t liquidated, trades, count;
} fold;

static void fold_blocks(fold *f, const mcr_block_stats *bs, uint64_t first_block,
                        uint64_t n_blocks, uint64_t n)
{
    for (uint64_t j = 0; j < n_blocks; j++) {
        uint64_t b = first_block + j;
        uint64_t m = n - b * MCR_BLOCK_PATHS < MCR_BLOCK_PATHS ? n - b * MCR_BLOCK_PATHS
                                                               : MCR_BLOCK_PATHS;
        for (int k = 0; k < MCR_N_COMPONENTS; k++)
            f->comp[k] += bs[j].component_sum[k];
        for (int k = 0; k < 3; k++)
            f->greeks[k] += bs[j].greek_sum[k];
        f->liquidated += bs[j].liquidated;
        f->trades += bs[j].trades;
        double delta = bs[j].book_mean - f->mean, total = (double)(f->count + m);
        f->mean += delta * (double)m / total;
        f->m2 += bs[j].book_m2 + delta * delta * (double)f->count * (double)m / total;
        f->count += m;
    }
}

static void fold_finish(const fold *f, uint64_t n, mcr_strategy_result *c)
{
    double p = (double)f->liquidated / (double)n;
    c->summary.p_liquidation = p;
    c->summary.p_liquidation_se = sqrt(p * (1 - p) / (double)n);
    c->trades_mean = (double)f->trades / (double)n;
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        c->component_mean[k] = f->comp[k] / (double)n;
    for (int k = 0; k < 3; k++)
        c->greeks_mean[k] = f->greeks[k] / (double)n;
    double book_var = f->m2 / (double)(n > 1 ? n - 1 : 1);
    c->hedge_effectiveness = book_var > 0 ? 1.0 - c->summary.std * c->summary.std / book_var : 0;
}

/* Every strategy's fold over the blocks of all ranks in order; stats[t * range_blocks + b]. */
static void fold_relay(const mcr_mpi_share *sh, const mcr_block_stats *stats,
                       uint64_t range_blocks, int n_strategies, fold *folds)
{
    int bytes = n_strategies * (int)sizeof *folds;
    memset(folds, 0, (size_t)bytes);
    if (sh->rank > 0)
        MPI_Recv(folds, bytes, MPI_BYTE, sh->rank - 1, 0, sh->comm, MPI_STATUS_IGNORE);
    for (int t = 0; t < n_strategies; t++)
        fold_blocks(&folds[t], stats + (size_t)t * range_blocks, sh->first / MCR_BLOCK_PATHS,
                    range_blocks, sh->paths);
    if (sh->rank + 1 < sh->size)
        MPI_Send(folds, bytes, MPI_BYTE, sh->rank + 1, 0, sh->comm);
    MPI_Bcast(folds, bytes, MPI_BYTE, sh->size - 1, sh->comm);
}

/* Every cell of scenario sc summarised across the ranks. */
static mcr_status summarize(const mcr_config *cfg, const mcr_mpi_share *sh, int sc,
                            mcr_result *out, const mcr_block_stats *stats, uint64_t range_blocks,
                            double *scratch, mcr_error *err)
{
    fold folds[MCR_MAX_STRATEGIES];
    fold_relay(sh, stats, range_blocks, cfg->n_strategies, folds);
    for (int t = 0; t < cfg->n_strategies; t++) {
        mcr_strategy_result *c = mcr_result_cell(out, sc, t);
        if (!mcr_mpi_risk_summarize(sh, c->pnl, cfg->levels, cfg->n_levels, scratch,
                                    &c->summary) ||
            !mcr_mpi_histogram(sh, c->pnl, scratch, &c->hist))
            return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the tail of %llu paths",
                            (unsigned long long)sh->paths);
        fold_finish(&folds[t], sh->paths, c);
        if (!cfg->keep_pnl) /* memory stays O(paths / ranks x strategies) for one scenario */
            mcr_strategy_result_free_detail(c);
    }
    return MCR_OK;
}

/* The run on this rank: what the phases share. */
typedef struct mpi_run {
    const mcr_config *cfg;
    const mcr_run_options *opt;
    volatile sig_atomic_t *stop; /* the CLI's (opt->stop): set by SIGINT or SIGTERM */
    mcr_mpi_share sh;
    mcr_result result;          /* the cells hold this rank's slices */
    double *scratch;            /* [sh.count] */
    mcr_mpi_ckpt ckpt;
    bool checkpoint, resume;
    double start, prior_seconds, next_save;
    mcr_progress progress;      /* rank 0's */
    uint64_t paths_done;        /* over every scenario and rank */
    int stopped;                /* the signal that stopped the run, or 0 */
} mpi_run;

/* Chunk j of this rank's range of scenario sc, as the checkpoint sees it. */
static mcr_mpi_chunk chunk_of(mpi_run *m, int sc, int j, mcr_block_stats *stats,
                              uint64_t range_blocks)
{
    uint64_t at = (uint64_t)j * MCR_SUM_CHUNK;
    return (mcr_mpi_chunk){
        .scenario = sc, .chunk = m->sh.chunk_first[m->sh.rank] + j,
        .n_strategies = m->cfg->n_strategies, .at = at,
        .len = m->sh.count - at < MCR_SUM_CHUNK ? m->sh.count - at : MCR_SUM_CHUNK,
        .detail = m->cfg->keep_pnl, .cells = mcr_result_cell(&m->result, sc, 0),
        .stats = stats + (size_t)j * MCR_CHUNK_BLOCKS, .stats_stride = range_blocks};
}

/* Simulate one chunk; its block stats go in place. */
static mcr_status simulate_chunk(mpi_run *m, const mcr_mpi_chunk *k,
                                 mcr_block_stats *chunk_stats, mcr_error *err)
{
    mcr_hedge_out hout[MCR_MAX_STRATEGIES];
    for (int t = 0; t < k->n_strategies; t++)
        hout[t] = slice_out(&k->cells[t], k->at);
    uint64_t blocks = (k->len + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    mcr_status st = mcr_simulate_range(m->cfg, k->scenario, m->opt, m->sh.first + k->at, k->len,
                                       hout, chunk_stats, err);
    for (int t = 0; st == MCR_OK && t < k->n_strategies; t++)
        memcpy(k->stats + (size_t)t * k->stats_stride, chunk_stats + (size_t)t * blocks,
               blocks * sizeof *chunk_stats);
    return st;
}

/* The simulation seconds of every session so far (the slowest rank's for this one). */
static double run_seconds(mpi_run *m)
{
    double mine = MPI_Wtime() - m->start, slowest;
    MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, m->sh.comm);
    return m->prior_seconds + slowest;
}

/* What a rank has of each chunk of its range. */
typedef enum chunk_state { CHUNK_TODO, CHUNK_DONE, CHUNK_SAVED } chunk_state;

/* After a round: progress, periodic or final checkpoint of the chunks done and not saved yet,
 * and whether a rank was stopped by a signal (m->stopped: then every rank stops). */
static mcr_status end_round(mpi_run *m, int sc, const mcr_mpi_chunk *chunks, chunk_state *state,
                            int n_chunks, uint64_t paths_now, mcr_error *err)
{
    int sig = m->stop ? *m->stop : 0;
    MPI_Allreduce(&sig, &m->stopped, 1, MPI_INT, MPI_MAX, m->sh.comm);
    m->paths_done += mcr_mpi_sum_u64(&m->sh, paths_now);
    mcr_progress_update(&m->progress, m->paths_done, sc, m->cfg->scenarios[sc].name);
    mcr_status st = MCR_OK;
    double now = MPI_Wtime();
    bool due = m->checkpoint && (m->stopped || (m->opt->checkpoint_seconds > 0 &&
                                                now >= m->next_save));
    for (int j = 0; due && j < n_chunks && st == MCR_OK; j++)
        if (state[j] == CHUNK_DONE) {
            st = mcr_mpi_ckpt_save_chunk(&m->ckpt, &chunks[j], err);
            state[j] = st == MCR_OK ? CHUNK_SAVED : CHUNK_DONE;
        }
    if (due && st == MCR_OK && m->sh.rank == 0)
        st = mcr_mpi_ckpt_save_time(&m->ckpt, m->prior_seconds + (now - m->start), err);
    if (due) { /* the next save in checkpoint_seconds, or 20 times this one's time if longer */
        double took = MPI_Wtime() - now, wait = m->opt->checkpoint_seconds;
        m->next_save = MPI_Wtime() + (wait > 20 * took ? wait : 20 * took);
    }
    return agree(&m->sh, st, err);
}

/* One scenario: this rank's chunks loaded from the checkpoint or simulated, round by round
 * (round j: the j-th chunk of every rank's range), then every cell summarised. */
static mcr_status run_scenario(mpi_run *m, int sc, mcr_error *err)
{
    const mcr_config *cfg = m->cfg;
    const mcr_mpi_share *sh = &m->sh;
    const int n_strategies = cfg->n_strategies, mine = sh->chunk_count[sh->rank];
    mcr_strategy_result *cells = mcr_result_cell(&m->result, sc, 0);
    for (int t = 0; t < n_strategies; t++) {
        snprintf(cells[t].scenario, sizeof cells[t].scenario, "%s", cfg->scenarios[sc].name);
        snprintf(cells[t].strategy, sizeof cells[t].strategy, "%s", cfg->strategies[t].name);
    }
    if (m->resume && !cfg->keep_pnl && mcr_mpi_ckpt_load_done(&m->ckpt, sc, cells,
                                                              n_strategies)) {
        m->paths_done += sh->paths; /* summarised before the interruption */
        if (sh->rank == 0)
            mcr_mpi_ckpt_drop_chunks(&m->ckpt, sc, sh->n_chunks);
        return MCR_OK;
    }

    uint64_t range_blocks = (sh->count + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS;
    mcr_block_stats *stats = malloc(((size_t)n_strategies * range_blocks + 1) * sizeof *stats);
    mcr_block_stats *chunk_stats = malloc((size_t)n_strategies * MCR_CHUNK_BLOCKS *
                                          sizeof *chunk_stats);
    mcr_mpi_chunk *chunks = malloc(((size_t)mine + 1) * sizeof *chunks);
    chunk_state *state = calloc((size_t)mine + 1, sizeof *state);
    mcr_status st = stats && chunk_stats && chunks && state
                        ? MCR_OK
                        : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the block sums of "
                                   "%llu paths", (unsigned long long)sh->count);
    for (int t = 0; t < n_strategies; t++)
        if (!alloc_slice(&cells[t], sh->count, cfg->keep_pnl) && st == MCR_OK)
            st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the P&L of %llu paths",
                          (unsigned long long)sh->count);
    st = agree(sh, st, err);
    int rounds = 0;
    for (int r = 0; r < sh->size; r++)
        rounds = sh->chunk_count[r] > rounds ? sh->chunk_count[r] : rounds;
    for (int j = 0; j < rounds && st == MCR_OK && !m->stopped; j++) {
        uint64_t paths_now = 0;
        if (j < mine) {
            chunks[j] = chunk_of(m, sc, j, stats, range_blocks);
            if (m->resume && mcr_mpi_ckpt_load_chunk(&m->ckpt, &chunks[j]))
                state[j] = CHUNK_SAVED;
            else if ((st = simulate_chunk(m, &chunks[j], chunk_stats, err)) == MCR_OK &&
                     !(m->stop && *m->stop)) /* a stop may have skipped some of its blocks */
                state[j] = CHUNK_DONE;
            paths_now = state[j] != CHUNK_TODO ? chunks[j].len : 0;
        }
        st = agree(sh, st, err);
        if (st == MCR_OK)
            st = end_round(m, sc, chunks, state, j < mine ? j + 1 : mine, paths_now, err);
    }
    if (st == MCR_OK && !m->stopped)
        st = agree(sh, summarize(cfg, sh, sc, &m->result, stats, range_blocks, m->scratch, err),
                   err);
    if (st == MCR_OK && !m->stopped && m->checkpoint && !cfg->keep_pnl) {
        /* the summaries replace the scenario's chunks in the checkpoint */
        if (sh->rank == 0)
            st = mcr_mpi_ckpt_save_done(&m->ckpt, sc, cells, n_strategies, err);
        st = agree(sh, st, err);
        if (st == MCR_OK && sh->rank == 0)
            mcr_mpi_ckpt_drop_chunks(&m->ckpt, sc, sh->n_chunks);
    }
    free(stats);
    free(chunk_stats);
    free(chunks);
    free(state);
    return st;
}

/* Provenance on every rank as on rank 0 (the attributes are written collectively). */
static mcr_status provenance(mpi_run *m, mcr_error *err)
{
    mcr_provenance *p = &m->result.prov;
    mcr_status st = mcr_provenance_fill(m->cfg, m->opt, p, err);
    p->paths = m->sh.paths;
    p->resumed = m->resume;
    MPI_Bcast(p->created_utc, (int)sizeof p->created_utc, MPI_CHAR, 0, m->sh.comm);
    MPI_Bcast(&p->threads, 1, MPI_INT, 0, m->sh.comm);
    return st;
}

/* The checkpoint directory: created for a new run, checked for a resumed one. */
static mcr_status open_checkpoint(mpi_run *m, const char *isa, mcr_error *err)
{
    if (!m->checkpoint)
        return MCR_OK;
    mcr_mpi_ckpt_init(&m->ckpt, m->opt->checkpoint, m->cfg, m->sh.paths, isa);
    mcr_status st = MCR_OK;
    if (!m->resume && m->sh.rank == 0)
        st = mcr_mpi_ckpt_create(&m->ckpt, err);
    if (m->resume && m->sh.rank == 0) /* rank 0 alone removes a killed writer's temporaries */
        st = mcr_mpi_ckpt_check(&m->ckpt, true, err);
    st = agree(&m->sh, st, err);
    if (st == MCR_OK && m->resume && m->sh.rank != 0)
        st = mcr_mpi_ckpt_check(&m->ckpt, false, err);
    st = agree(&m->sh, st, err);
    if (st == MCR_OK && m->resume)
        m->prior_seconds = mcr_mpi_ckpt_load_time(&m->ckpt);
    return st;
}

/* run.sample_paths on rank 0, which writes them (a few paths, simulated again as mcr_run does). */
static mcr_status sample_paths(mpi_run *m, const mcr_run_options *opt, mcr_error *err)
{
    const mcr_config *cfg = m->cfg;
    int n = cfg->sample_paths < (int64_t)m->sh.paths ? cfg->sample_paths : (int)m->sh.paths;
    if (m->sh.rank != 0 || n <= 0)
        return MCR_OK;
    m->result.n_sample = n;
    m->result.sample_assets = cfg->n_assets;
    size_t size = (size_t)cfg->n_assets * (size_t)n * (size_t)(cfg->steps + 1);
    mcr_status st = MCR_OK;
    for (int sc = 0; st == MCR_OK && sc < cfg->n_scenarios; sc++) {
        m->result.sample_paths[sc] = malloc(size * sizeof(double));
        st = m->result.sample_paths[sc]
                 ? mcr_sample_paths(cfg, sc, opt, n, m->result.sample_paths[sc], err)
                 : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the sample paths");
    }
    return st;
}

/* Everything between MPI_Init and MPI_Finalize; the status is the same on every rank. */
static mcr_status run_all(mpi_run *m, mcr_error *err)
{
    const mcr_config *cfg = m->cfg;
    mcr_replay replay;
    mcr_status st = mcr_replay_load(cfg, &replay, err);
    uint64_t n = replay.paths ? replay.paths : cfg->paths;
    if (st == MCR_OK && n < 2)
        st = mcr_fail(err, MCR_ERR_INPUT, "run.paths: risk figures need at least 2 paths "
                      "(got %llu)", (unsigned long long)n);
    if (!mcr_mpi_share_init(&m->sh, MPI_COMM_WORLD, n) && st == MCR_OK)
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory splitting %llu paths",
                      (unsigned long long)n);
    mcr_run_options run_opt = *m->opt;
    run_opt.replay = replay.paths ? &replay : NULL;
    m->opt = &run_opt;
    if (st == MCR_OK) {
        st = provenance(m, err);
        m->result.n_scenarios = cfg->n_scenarios;
        m->result.n_strategies = cfg->n_strategies;
        m->result.cells = calloc((size_t)cfg->n_scenarios * (size_t)cfg->n_strategies,
                                 sizeof *m->result.cells);
        m->scratch = malloc((m->sh.count ? m->sh.count : 1) * sizeof *m->scratch);
        if (st == MCR_OK && (!m->result.cells || !m->scratch))
            st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for %llu paths",
                          (unsigned long long)m->sh.count);
    }
    st = agree(&m->sh, st, err);
    if (st == MCR_OK)
        st = open_checkpoint(m, run_opt.kernels->name, err);

    MPI_Barrier(m->sh.comm);
    m->start = MPI_Wtime();
    m->next_save = m->start + run_opt.checkpoint_seconds;
    mcr_progress_begin(&m->progress, stderr, run_opt.quiet || m->sh.rank != 0,
                       n * (uint64_t)cfg->n_scenarios, 0, cfg->steps, cfg->n_scenarios);
    for (int sc = 0; sc < cfg->n_scenarios && st == MCR_OK && !m->stopped; sc++)
        st = run_scenario(m, sc, err);
    mcr_progress_end(&m->progress);
    if (st == MCR_OK)
        m->result.seconds = run_seconds(m);
    if (st == MCR_OK && !m->stopped)
        st = agree(&m->sh, sample_paths(m, &run_opt, err), err);
    free(m->scratch);
    mcr_replay_free(&replay);
    if (st == MCR_OK && m->stopped && m->sh.rank == 0)
        fprintf(stderr, "mcrisk: stopped by %s after %llu of %llu paths; checkpoint %s\n"
                "mcrisk: resume with the same command and --resume (with any number of "
                "ranks)\n", m->stopped == SIGINT ? "SIGINT" : "SIGTERM",
                (unsigned long long)m->paths_done, (unsigned long long)n * cfg->n_scenarios,
                m->ckpt.dir);
    if (st == MCR_OK && !m->stopped) {
        if (!run_opt.quiet && m->sh.rank == 0)
            fprintf(stderr, "mcrisk: %llu paths x %d steps x %d scenario(s) in %.2f s "
                    "(%.3g path-steps/s, isa %s, %d ranks x %d threads) -> %s\n",
                    (unsigned long long)n, cfg->steps, cfg->n_scenarios, m->result.seconds,
                    (double)n * cfg->steps * cfg->n_scenarios / m->result.seconds,
                    run_opt.kernels->name, m->sh.size, run_opt.threads, cfg->output);
        st = mcr_h5_mpi_write(cfg->output, &m->result, &m->sh, err);
        if (st == MCR_OK && m->checkpoint && m->sh.rank == 0) /* the run is complete */
            mcr_mpi_ckpt_remove(&m->ckpt);
        if (st == MCR_OK && m->sh.rank == 0)
            mcr_report_print(stdout, &m->result, MCR_FORMAT_TABLE);
    }
    mcr_result_free(&m->result);
    mcr_mpi_share_free(&m->sh);
    return st;
}

int mcr_mpi_run(const mcr_config *cfg, const mcr_run_options *opt)
{
    int initialized = 0, provided, rank;
    MPI_Initialized(&initialized);
    if (!initialized) /* OpenMP threads never call MPI: only the main thread does */
        MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) /* temporary files of dead processes; on one node only: pids are per node */
        mcr_checkpoint_clean_stale(cfg->output);
    MPI_Barrier(MPI_COMM_WORLD);
    mcr_error err = {0};
    mpi_run m = {.cfg = cfg, .opt = opt, .stop = opt->stop, .checkpoint = opt->checkpoint != NULL,
                 .resume = opt->resume && opt->checkpoint};
    mcr_status st = run_all(&m, &err);
    if (st != MCR_OK && rank == 0)
        fprintf(stderr, "mcrisk: %s\n", err.msg);
    fflush(stdout);
    if (!initialized)
        MPI_Finalize();
    return st == MCR_OK && m.stopped ? 128 + m.stopped : mcr_exit_code(st);
}
