/* Runs that survive interruption, through the mcrisk binary: kill -9 and SIGTERM in the middle of
 * a run, then `--resume`, must end with every dataset byte for byte equal to an uninterrupted
 * run's; a resume with other settings is refused; progress goes to stderr unless --quiet; and
 * keep_pnl: false writes histograms, no per-path arrays, and holds memory to its formula. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output/h5_io.h"
#include "risk/fold.h"
#include "test_result.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-resume-XXXXXX"); }

TestSuite(resume, .init = make_dir, .fini = test_dir_remove);

/* Under AddressSanitizer (CI's Debug build) the binary is about 15 times slower: fewer paths
 * keep the runs about as long. */
#ifdef __SANITIZE_ADDRESS__
#define MCR_TEST_PATHS 6000
#else
#define MCR_TEST_PATHS 60000
#endif

/* Two scenarios x three strategies (one rebalancing every step, so trades, greeks and
 * liquidations are all non-trivial); about a second of simulation on one thread. */
static const char cfg_yaml[] =
    "run: {paths: %d, seed: 7}\n"
    "horizon: {days: 30, steps: 720}\n"
    "market:\n"
    "  assets:\n"
    "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8}}\n"
    "strategies:\n"
    "  - {name: unhedged, type: none}\n"
    "  - {name: put90, type: protective_put, strike: 0.9}\n"
    "  - {name: delta_perp, type: delta_hedge, instrument: linear_perp,\n"
    "     rebalance: {every_steps: 1}}\n"
    "scenarios:\n"
    "  - {name: base}\n"
    "  - {name: wild, vol_multiplier: 1.5}\n";

/* Start `mcrisk run ARGS...` in the test directory with MCR_CHECKPOINT_SECONDS set (unless
 * NULL), stdout and stderr to out.txt and err.txt; returns the pid. */
static pid_t spawn(const char *ckpt_seconds, const char *const *args)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        int out = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open("err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(126);
        if (ckpt_seconds)
            setenv("MCR_CHECKPOINT_SECONDS", ckpt_seconds, 1);
        else
            unsetenv("MCR_CHECKPOINT_SECONDS");
        char *argv[32] = {(char *)MCR_BINARY, (char *)"run"};
        int n = 2;
        for (; args[n - 2] && n < 31; n++)
            argv[n] = (char *)args[n - 2];
        argv[n] = NULL;
        execv(MCR_BINARY, argv);
        _exit(127);
    }
    return pid;
}

/* Run to the end: the exit status, or -signal when killed; *maxrss_kb the child's peak. */
static int run_wait(pid_t pid, long *maxrss_kb)
{
    int st;
    struct rusage ru;
    cr_assert_eq(wait4(pid, &st, 0, &ru), pid);
    if (maxrss_kb)
        *maxrss_kb = ru.ru_maxrss;
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

static int run(const char *ckpt_seconds, const char *const *args)
{
    return run_wait(spawn(ckpt_seconds, args), NULL);
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Wait (up to 20 s) until `name` exists. */
static bool wait_for(const char *name)
{
    for (int i = 0; i < 2000; i++) {
        if (exists(name))
            return true;
        sleep_s(0.01);
    }
    return false;
}

/* Wait (up to 20 s) until file `name` contains `text`. */
static bool wait_for_text(const char *name, const char *text)
{
    for (int i = 0; i < 2000; i++) {
        if (exists(name) && strstr(slurp(name), text))
            return true;
        sleep_s(0.01);
    }
    return false;
}

/* Every dataset (and every figure) of two results, byte for byte. */
static void assert_same_datasets(const mcr_result *a, const mcr_result *b)
{
    cr_assert_eq(a->prov.paths, b->prov.paths);
    cr_assert_eq(a->n_scenarios, b->n_scenarios);
    cr_assert_eq(a->n_strategies, b->n_strategies);
    size_t n = a->prov.paths;
    for (int i = 0; i < a->n_scenarios * a->n_strategies; i++) {
        const mcr_strategy_result *x = &a->cells[i], *y = &b->cells[i];
        cr_assert_str_eq(x->scenario, y->scenario);
        cr_assert_str_eq(x->strategy, y->strategy);
        for (int f = 0; f < MCR_N_FIELDS; f++) { /* every per-path field, pnl included */
            const void *p = x->fields.at[f], *q = y->fields.at[f];
            cr_assert(p && q, "%s missing", mcr_fields[f].name);
            cr_assert_eq(memcmp(p, q, n * mcr_field_size((mcr_field_id)f)), 0, "%s differs",
                         mcr_fields[f].name);
        }
        cr_assert_eq(memcmp(&x->summary, &y->summary, sizeof x->summary), 0, "summary differs");
        cr_assert_eq(memcmp(&x->hist, &y->hist, sizeof x->hist), 0, "histogram differs");
        cr_assert_eq(memcmp(x->stat, y->stat, sizeof x->stat), 0, "field summaries differ");
        cr_assert_eq(memcmp(x->stat_se, y->stat_se, sizeof x->stat_se), 0);
        cr_assert_eq(memcmp(&x->hedge_effectiveness, &y->hedge_effectiveness, sizeof(double)), 0);
    }
}

/* The uninterrupted reference, on one thread (the interrupted runs use two). */
static mcr_result reference(bool quiet)
{
    const char *args[] = {"c.yaml", "-o", "ref.h5", "--threads", "1", quiet ? "--quiet" : NULL,
                          NULL};
    cr_assert_eq(run(NULL, args), 0, "%s", slurp("err.txt"));
    return read_result("ref.h5");
}

static const char *const run_args[] = {"c.yaml", "-o", "run.h5", "--threads", "2", "--quiet",
                                       NULL};
static const char *const run1_args[] = {"c.yaml", "-o", "run.h5", "--threads", "1", NULL};
static const char *const resume_args[] = {"c.yaml", "-o", "run.h5", "--quiet", "--resume", NULL};

static void assert_resumes_to(const mcr_result *ref)
{
    cr_assert_eq(run(NULL, resume_args), 0, "%s", slurp("err.txt"));
    cr_assert(!exists("run.h5.ckpt"), "the checkpoint outlived the finished run");
    mcr_result r = read_result("run.h5");
    cr_assert_eq(r.prov.resumed, 1);
    cr_assert_eq(ref->prov.resumed, 0);
    assert_same_datasets(ref, &r);
    mcr_result_free(&r);
    /* nothing else left under the output name: no temporary file */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls %s | grep -c '^run\\.h5') -eq 1", dir);
    cr_assert_eq(system(cmd), 0, "a file run.h5.* was left behind");
}

static void write_config(void)
{
    char text[sizeof cfg_yaml + 16];
    snprintf(text, sizeof text, cfg_yaml, MCR_TEST_PATHS);
    write_file("c.yaml", text);
}

Test(resume, kill9_then_resume_is_bitwise_identical, .timeout = 60)
{
    write_config();
    mcr_result ref = reference(false);
    /* progress without --quiet: stderr is a file here, so whole lines at 25% marks */
    const char *err = slurp("err.txt");
    cr_assert(strstr(err, "paths (") && strstr(err, "path-steps/s") && strstr(err, "ETA"),
              "no progress line on stderr: %s", err);
    /* paths are counted per scenario: the last line is the second scenario's, all done */
    char last[128];
    snprintf(last, sizeof last, "mcrisk: scenario 2/2 wild, %d,%03d of %d,%03d paths (100.0%% of "
             "the run)", MCR_TEST_PATHS / 1000, MCR_TEST_PATHS % 1000, MCR_TEST_PATHS / 1000,
             MCR_TEST_PATHS % 1000);
    cr_assert(strstr(err, last), "no '%s' on stderr: %s", last, err);

    /* checkpoints as often as their 20x-their-duration rule allows: the kill is likely to land
     * in the middle of one */
    pid_t pid = spawn("0.01", run_args);
    cr_assert(wait_for("run.h5.ckpt/s0.c0"), "no checkpoint appeared");
    sleep_s(0.05);
    kill(pid, SIGKILL);
    cr_assert_eq(run_wait(pid, NULL), -SIGKILL, "the run ended before kill -9: make it longer");
    cr_assert(exists("run.h5.ckpt"));
    cr_assert(!exists("run.h5"), "a result file appeared for a killed run");

    assert_resumes_to(&ref);
    mcr_result_free(&ref);
}

Test(resume, sigterm_stops_cleanly_and_resumes, .timeout = 60)
{
    write_config();
    mcr_result ref = reference(true);
    cr_assert_str_eq(slurp("err.txt"), "", "--quiet must silence stderr");

    /* no periodic checkpoint: the one found must come from the signal, sent once the progress
     * line says a quarter is done */
    pid_t pid = spawn("0", run1_args);
    cr_assert(wait_for_text("err.txt", "paths ("), "no progress line");
    kill(pid, SIGTERM);
    cr_assert_eq(run_wait(pid, NULL), 143, "exit status after SIGTERM; stderr: %s",
                 slurp("err.txt"));
    const char *err = slurp("err.txt");
    cr_assert(strstr(err, "stopped by SIGTERM") && strstr(err, "run.h5.ckpt") &&
              strstr(err, "--resume"), "%s", err);
    cr_assert(exists("run.h5.ckpt"));
    cr_assert(!exists("run.h5"));

    /* the checkpoint is never overwritten by accident, nor resumed with other settings */
    cr_assert_eq(run(NULL, run_args), 2);
    cr_assert(strstr(slurp("err.txt"), "--resume"), "%s", slurp("err.txt"));
    const char *reseed[] = {"c.yaml", "-o", "run.h5", "--seed", "8", "--resume", NULL};
    cr_assert_eq(run(NULL, reseed), 2);
    cr_assert(strstr(slurp("err.txt"), "different run: seed 7 there, 8 now"), "%s",
              slurp("err.txt"));
    cr_assert(exists("run.h5.ckpt") && !exists("run.h5"));

    assert_resumes_to(&ref);
    mcr_result_free(&ref);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char small_yaml[] =
    "run: {paths: 20000, seed: 11, keep_pnl: %s}\n"
    "horizon: {days: 30, steps: 48}\n"
    "market:\n"
    "  assets:\n"
    "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8}}\n"
    "strategies:\n"
    "  - {name: unhedged, type: none}\n"
    "  - {name: put90, type: protective_put, strike: 0.9}\n"
    "  - {name: delta_perp, type: delta_hedge, instrument: linear_perp,\n"
    "     rebalance: {every_steps: 1}}\n";

Test(resume, keep_pnl_false_writes_histograms_and_no_pnl, .timeout = 60)
{
    char text[sizeof small_yaml + 8];
    snprintf(text, sizeof text, small_yaml, "false");
    write_file("off.yaml", text);
    snprintf(text, sizeof text, small_yaml, "true");
    write_file("on.yaml", text);
    const char *off[] = {"off.yaml", "-o", "off.h5", "--quiet", NULL};
    const char *on[] = {"on.yaml", "-o", "on.h5", "--quiet", NULL};
    cr_assert_eq(run(NULL, off), 0, "%s", slurp("err.txt"));
    cr_assert_eq(run(NULL, on), 0, "%s", slurp("err.txt"));
    mcr_result a = read_result("off.h5"), b = read_result("on.h5");
    uint64_t n = a.prov.paths;
    cr_assert_eq(n, 20000);
    double *sorted = malloc(n * sizeof *sorted);
    for (int i = 0; i < a.n_strategies; i++) {
        const mcr_strategy_result *x = &a.cells[i], *y = &b.cells[i];
        for (int f = 0; f < MCR_N_FIELDS; f++) {
            cr_assert_null(x->fields.at[f], "keep_pnl false wrote %s", mcr_fields[f].name);
            cr_assert_not_null(y->fields.at[f], "keep_pnl true did not write %s",
                               mcr_fields[f].name);
        }
        /* the figures do not depend on keeping the detail */
        cr_assert_eq(memcmp(&x->summary, &y->summary, sizeof x->summary), 0);
        cr_assert_eq(memcmp(x->stat, y->stat, sizeof x->stat), 0);
        cr_assert_eq(memcmp(x->stat_se, y->stat_se, sizeof x->stat_se), 0);
        cr_assert_eq(memcmp(&x->hedge_effectiveness, &y->hedge_effectiveness, sizeof(double)), 0);
        cr_assert_eq(memcmp(&x->hist, &y->hist, sizeof x->hist), 0);
        const double *pnl = mcr_cell_pnl(y);

        /* the histogram, checked against the pnl of the run that kept it */
        const mcr_histogram *h = &x->hist;
        cr_assert_eq(h->bins, MCR_HIST_BINS);
        memcpy(sorted, pnl, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, compare_doubles);
        cr_assert_eq(h->edges[0], sorted[(uint64_t)ceil(n * 0.001) - 1], "lower edge");
        cr_assert_eq(h->edges[h->bins], sorted[(uint64_t)ceil(n * 0.999) - 1], "upper edge");
        uint64_t counts[MCR_HIST_BINS] = {0}, under = 0, over = 0;
        for (uint64_t p = 0; p < n; p++) {
            double v = pnl[p];
            if (v < h->edges[0]) {
                under++;
            } else if (v > h->edges[h->bins]) {
                over++;
            } else {
                int j = 0;
                while (j < h->bins - 1 && v >= h->edges[j + 1])
                    j++;
                counts[j]++;
            }
        }
        cr_assert_eq(under, h->underflow);
        cr_assert_eq(over, h->overflow);
        cr_assert_eq(memcmp(counts, h->counts, sizeof counts), 0, "bin counts differ");
        cr_assert_leq(under, (uint64_t)ceil(n * 0.001));
        cr_assert_leq(over, n - (uint64_t)ceil(n * 0.999));
    }
    free(sorted);
    mcr_result_free(&a);
    mcr_result_free(&b);
}

/* The peak resident memory that `large` paths cost beyond `small`, in bytes: the config text
 * (a format with one %d, the paths) run to s.h5 and l.h5 on one thread. */
static double rss_growth(const char *yaml, int small, int large)
{
    char text[1024];
    snprintf(text, sizeof text, yaml, small);
    write_file("s.yaml", text);
    snprintf(text, sizeof text, yaml, large);
    write_file("l.yaml", text);
    const char *s_args[] = {"s.yaml", "-o", "s.h5", "--quiet", "--threads", "1", NULL};
    const char *l_args[] = {"l.yaml", "-o", "l.h5", "--quiet", "--threads", "1", NULL};
    long rss_small, rss_large;
    cr_assert_eq(run_wait(spawn(NULL, s_args), &rss_small), 0, "%s", slurp("err.txt"));
    cr_assert_eq(run_wait(spawn(NULL, l_args), &rss_large), 0, "%s", slurp("err.txt"));
    return (double)(rss_large - rss_small) * 1024;
}

/* Bytes per path of a run that holds no per-path detail (the formula below). */
static double held_per_path(int strategies)
{
    return strategies * (8 + sizeof(mcr_block_stats) / 64.0) + 8 + 1.0 / 64 + 3 * 8 * (1 - 0.95);
}

/* keep_pnl: false holds paths x strategies x (8 + B / 64) bytes (pnl and the block statistics,
 * B = sizeof(mcr_block_stats)) plus 8 x paths of scratch, 1 / 64 of block flags and the tail of
 * the lowest level (0.95: 5% of the paths, as keys, sorted keys and values: 3 x 8 bytes each):
 * 20x the paths must not cost more than 20x that (with 16 MiB of slack); keeping the 164 bytes
 * of detail per path and strategy would. */
Test(resume, keep_pnl_false_memory_follows_the_formula, .timeout = 60)
{
    static const char yaml[] =
        "run: {paths: %d, seed: 3, keep_pnl: false}\n"
        "horizon: {days: 10, steps: 4}\n"
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8}}\n"
        "strategies:\n"
        "  - {name: unhedged, type: none}\n"
        "  - {name: put90, type: protective_put, strike: 0.9}\n"
        "  - {name: perp, type: perp_hedge}\n"
        "  - {name: delta, type: delta_hedge, instrument: spot}\n";
#ifdef __SANITIZE_ADDRESS__
    cr_skip_test("AddressSanitizer's redzones and quarantine change the memory use");
#endif
    const int small = 20000, large = 400000, strategies = 4;
    double grew = rss_growth(yaml, small, large);
    double per_path = held_per_path(strategies);
    double allowed = per_path * (large - small) + 16.0 * 1024 * 1024;
    cr_assert_leq(grew, allowed, "grew by %.0f bytes, formula allows %.0f", grew, allowed);
    /* the bound is tight enough to catch the detail being kept */
    cr_assert_lt(allowed, 164.0 * strategies * (large - small));
}

/* keep_pnl with run.keep: exactly the chosen datasets are written, and the file is streamed:
 * memory holds pnl and the block statistics of the scenario under way (as without keep_pnl)
 * plus one chunk of the kept fields, never 164 bytes per path, strategy and scenario. */
Test(resume, keep_streams_in_bounded_memory, .timeout = 60)
{
    static const char yaml[] =
        "run: {paths: %d, seed: 3, keep: [pnl, trades]}\n"
        "horizon: {days: 10, steps: 4}\n"
        "market:\n"
        "  assets:\n"
        "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8}}\n"
        "strategies:\n"
        "  - {name: unhedged, type: none}\n"
        "  - {name: put90, type: protective_put, strike: 0.9}\n"
        "  - {name: perp, type: perp_hedge}\n"
        "  - {name: delta, type: delta_hedge, instrument: spot}\n"
        "scenarios:\n"
        "  - {name: base}\n"
        "  - {name: wild, vol_multiplier: 1.5}\n";
    const int small = 20000, large = 400000, strategies = 4, scenarios = 2;
    double grew = rss_growth(yaml, small, large);

    mcr_result r = read_result("l.h5");
    uint64_t kept = MCR_FIELD_BIT(MCR_FIELD_PNL) | MCR_FIELD_BIT(MCR_FIELD_TRADES) |
                    MCR_FIELD_BIT(MCR_FIELD_TRADED_NOTIONAL) | MCR_FIELD_BIT(MCR_FIELD_CLOSE_COST) |
                    MCR_FIELD_BIT(MCR_FIELD_ONCHAIN_TXS);
    for (int i = 0; i < r.n_scenarios * r.n_strategies; i++)
        cr_assert_eq(mcr_field_set_mask(&r.cells[i].fields), kept, "cell %d", i);
    mcr_result_free(&r);
#ifdef __SANITIZE_ADDRESS__
    cr_skip_test("AddressSanitizer's redzones and quarantine change the memory use");
#endif
    /* as keep_pnl_false_memory_follows_the_formula, plus one chunk of trades (4 bytes),
     * traded_notional (8) and close_cost (8) per strategy */
    double per_path = held_per_path(strategies);
    double chunk = strategies * 20.0 * (MCR_CHUNK_PATHS - small);
    double allowed = per_path * (large - small) + chunk + 16.0 * 1024 * 1024;
    cr_assert_leq(grew, allowed, "grew by %.0f bytes, formula allows %.0f", grew, allowed);
    /* what holding every kept value of every scenario would cost */
    cr_assert_lt(allowed, (8 + 20.0) * strategies * scenarios * (large - small));
}
