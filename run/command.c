/* `mcrisk run` after the CLI (command.h): the same steps for one process and for MPI ranks. */
#include "command.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "comm.h"
#include "core/atomic_file.h"
#include "output_claim.h"
#include "output/report.h"
#include "target.h"

static const char *signal_name(int sig, char *buf, size_t size)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {{SIGINT, "SIGINT"},   {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"},
                 {SIGQUIT, "SIGQUIT"}, {SIGUSR1, "SIGUSR1"}, {SIGXCPU, "SIGXCPU"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    snprintf(buf, size, "signal %d", sig);
    return buf;
}

/* The temporaries of killed runs beside the output (one node: pids are per node). */
static void clean_stale(const char *output)
{
    char dir[MCR_PATH_MAX], base[MCR_PATH_MAX];
    if (mcr_atomic_split(output, dir, sizeof dir, base, sizeof base))
        mcr_atomic_clean_stale(dir, base);
}

/* Rank 0 holds the output's lock for the whole run (output_claim.h); then the temporaries of
 * killed runs go, and a checkpoint is never overwritten without --resume: it holds hours of
 * work. */
static mcr_status claim_output(const mcr_config *cfg, const mcr_run_options *opt,
                               mcr_output_lock *lock, mcr_error *err)
{
    mcr_status st = mcr_output_lock_take(lock, cfg->output, err);
    if (st != MCR_OK)
        return st;
    clean_stale(cfg->output);
    if (!opt->resume && opt->checkpoint && access(opt->checkpoint, F_OK) == 0)
        return mcr_fail(err, MCR_ERR_INPUT, "%s: checkpoint of an interrupted run; continue it "
                        "with --resume, or delete it to start afresh", opt->checkpoint);
    return MCR_OK;
}

int mcr_run_command(const mcr_config *cfg, const mcr_run_options *opt,
                    void (*resume_hint)(void *ctx), void *hint_ctx)
{
    const mcr_comm *c = mcr_comm_open();
    bool root = c->rank == 0;
    mcr_error err = {0};
    mcr_output_lock lock = {.fd = -1};
    mcr_status st = root ? claim_output(cfg, opt, &lock, &err) : MCR_OK;
    st = mcr_comm_agree(c, st, &err);
    mcr_result result = {0};
    mcr_share share = {0};
    mcr_run_options o = *opt;
    o.output = cfg->output; /* written by the run (streamed by one process) */
    if (st == MCR_OK)
        st = cfg->target.se > 0 ? mcr_run_target(cfg, &o, c, &share, &result, &err)
                                : mcr_run(cfg, &o, c, &share, &result, &err);
    int stopped = st == MCR_OK ? result.stopped : 0;
    if (stopped && root) {
        char name[32];
        fprintf(stderr, "mcrisk: stopped by %s after %llu of %llu paths; checkpoint %s\n",
                signal_name(stopped, name, sizeof name), (unsigned long long)result.paths_done,
                (unsigned long long)result.prov.paths * (unsigned long long)cfg->n_scenarios,
                opt->checkpoint ? opt->checkpoint : "(none)");
        if (resume_hint)
            resume_hint(hint_ctx);
        if (c->mpi)
            fputs("mcrisk: (under mpirun with any number of ranks, or without it)\n", stderr);
    }
    if (st == MCR_OK && !stopped) {
        uint64_t n = result.prov.paths;
        if (!opt->quiet && root) {
            char ranks[32] = "";
            if (c->mpi)
                snprintf(ranks, sizeof ranks, "%d ranks x ", c->size);
            fprintf(stderr, "mcrisk: %llu paths x %d steps x %d scenario(s) in %.2f s "
                    "(%.3g path-steps/s, isa %s, %s%d threads) -> %s\n",
                    (unsigned long long)n, cfg->steps, cfg->n_scenarios, result.seconds,
                    (double)n * cfg->steps * cfg->n_scenarios / result.seconds,
                    opt->sim.kernels->name, ranks, opt->sim.threads, cfg->output);
        }
        if (root && opt->checkpoint) { /* the run and its file are complete */
            mcr_ckpt ckpt;
            mcr_ckpt_init(&ckpt, opt->checkpoint, cfg, n, opt->sim.kernels->name, NULL);
            mcr_ckpt_remove(&ckpt);
            if (access(opt->checkpoint, F_OK) == 0)
                fprintf(stderr, "mcrisk: warning: cannot remove %s\n", opt->checkpoint);
        }
        if (st == MCR_OK && root) {
            mcr_report_options ro = {.format = MCR_FORMAT_TABLE, .file = cfg->output};
            mcr_report_print(stdout, &result, cfg, &ro);
            mcr_target_print(stdout, cfg, &result);
        }
    }
    mcr_result_free(&result);
    mcr_share_free(&share);
    if (st != MCR_OK && root)
        fprintf(stderr, "mcrisk: %s\n", err.msg);
    fflush(stdout);
    c->ops->barrier(c); /* every rank is done with the output before its lock goes */
    mcr_output_lock_release(&lock);
    mcr_comm_close(c);
    return st != MCR_OK ? mcr_exit_code(st) : stopped ? 128 + stopped : 0;
}
