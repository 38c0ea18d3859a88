/* run.target under interruption, through the mcrisk binary: a target run on a data model (its
 * input file's hash is part of every round's checkpoint identity) stopped by SIGTERM in a round
 * after the first, then resumed, ends with the uninterrupted run's results bitwise: the rounds,
 * the figures, the differences to the baseline and every per-path P&L. */
#include <criterion/criterion.h>
#include <string.h>

#include "output/h5_io.h"
#include "test_result.h"
#include "test_spawn.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"

static void make_dir(void) { test_dir_make("/tmp/mcr-target-resume-XXXXXX"); }

TestSuite(target_resume, .init = make_dir, .fini = test_dir_remove);

/* ASan (CI's Debug build) is about 15 times slower: fewer paths keep the rounds as long. */
#ifdef __SANITIZE_ADDRESS__
#define PATHS "2000"
#define MAX_PATHS "16000"
#else
#define PATHS "20000"
#define MAX_PATHS "160000"
#endif

/* An se no round meets: rounds of P, 2P, 4P, 8P paths (max_paths), the last ~half the work. */
static const char cfg_yaml[] =
    "run: {paths: " PATHS ", seed: 5, levels: [0.99],\n"
    "      target: {figure: cvar, level: 0.99, se: 1e-9, max_paths: " MAX_PATHS "}}\n"
    "horizon: {days: 20, steps: 160}\n"
    "market:\n"
    "  assets:\n"
    "    - {name: BTC, spot: 100, model: {type: bootstrap, data: " BTC ", block_days: 5}}\n"
    "strategies:\n"
    "  - {name: unhedged, type: none}\n"
    "  - {name: delta, type: delta_hedge, instrument: linear_perp, rebalance: {every_steps: 1}}\n";

Test(target_resume, stopped_in_a_later_round_resumes_bitwise, .timeout = 120)
{
    write_file("t.yaml", cfg_yaml);
    const char *ref_args[] = {"run", "t.yaml", "-o", "ref.h5", "--threads", "1", "--quiet", NULL};
    cr_assert_eq(wait_mcrisk(spawn_mcrisk(NULL, ref_args, "out.txt", "err.txt")), 0, "%s",
                 slurp("err.txt"));
    mcr_result ref = read_result("ref.h5");
    cr_assert_eq(ref.target.rounds, 4); /* P, 2P, 4P, 8P = 10P */
    cr_assert_eq(ref.target.met, 0);

    /* stopped once the second round has reported: in the third or the fourth */
    const char *args[] = {"run", "t.yaml", "-o", "run.h5", "--threads", "2", NULL};
    pid_t pid = spawn_mcrisk(NULL, args, "out.txt", "err.txt");
    cr_assert(wait_for_file("err.txt", "target round 2:"), "%s", slurp("err.txt"));
    kill(pid, SIGTERM);
    cr_assert_eq(wait_mcrisk(pid), 143, "the run ended before SIGTERM (make it longer): %s",
                 slurp("err.txt"));
    cr_assert(exists("run.h5.ckpt") && !exists("run.h5"));

    const char *resume[] = {"run", "t.yaml", "-o", "run.h5", "--resume", NULL};
    cr_assert_eq(wait_mcrisk(spawn_mcrisk(NULL, resume, "out.txt", "err2.txt")), 0, "%s",
                 slurp("err2.txt"));
    /* it went on from the round its checkpoint holds, not from the first */
    const char *err = slurp("err2.txt");
    cr_assert(!strstr(err, "target round 1:") && !strstr(err, "target round 2:") &&
                  strstr(err, "target round 4:"), "%s", err);
    cr_assert(!exists("run.h5.ckpt"));

    mcr_result r = read_result("run.h5");
    cr_assert_eq(r.prov.resumed, 1);
    cr_assert_eq(r.prov.paths, ref.prov.paths);
    cr_assert_str_eq(r.prov.input_files, ref.prov.input_files);
    cr_assert(strstr(r.prov.input_files, "btc_usd_daily.csv sha256:"), "%s", r.prov.input_files);
    cr_assert_eq(memcmp(&r.target, &ref.target, sizeof r.target), 0);
    for (int i = 0; i < r.n_scenarios * r.n_strategies; i++) {
        const mcr_strategy_result *x = &r.cells[i], *y = &ref.cells[i];
        cr_assert_eq(memcmp(&x->summary, &y->summary, sizeof x->summary), 0, "summary %d", i);
        cr_assert_eq(memcmp(&x->diff, &y->diff, sizeof x->diff), 0, "diff %d", i);
        cr_assert_eq(memcmp(mcr_cell_pnl(x), mcr_cell_pnl(y), r.prov.paths * sizeof(double)), 0,
                     "pnl %d", i);
    }
    mcr_result_free(&r);
    mcr_result_free(&ref);
}

/* A stop that comes before any block of a round finished (here: as soon as the run has printed
 * its start line, before it simulates) still leaves the checkpoint the stop line announces, so
 * --resume finds it and ends with the uninterrupted result. */
Test(target_resume, stopped_before_any_block_leaves_a_checkpoint, .timeout = 120)
{
    write_file("p.yaml", "run: {paths: " PATHS ", seed: 5, levels: [0.99]}\n"
                         "horizon: {days: 20, steps: 160}\n"
                         "market:\n  assets:\n"
                         "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.6}}\n");
    const char *ref_args[] = {"run", "p.yaml", "-o", "ref.h5", "--quiet", NULL};
    cr_assert_eq(wait_mcrisk(spawn_mcrisk(NULL, ref_args, "out.txt", "err.txt")), 0);
    const char *args[] = {"run", "p.yaml", "-o", "run.h5", NULL};
    pid_t pid = spawn_mcrisk(NULL, args, "out.txt", "err.txt");
    cr_assert(wait_for_file("err.txt", "memory estimate"), "%s", slurp("err.txt"));
    kill(pid, SIGTERM);
    cr_assert_eq(wait_mcrisk(pid), 143, "%s", slurp("err.txt"));
    cr_assert(exists("run.h5.ckpt") && !exists("run.h5"), "%s", slurp("err.txt"));
    const char *resume[] = {"run", "p.yaml", "-o", "run.h5", "--resume", "--quiet", NULL};
    cr_assert_eq(wait_mcrisk(spawn_mcrisk(NULL, resume, "out.txt", "err.txt")), 0, "%s",
                 slurp("err.txt"));
    mcr_result a = read_result("run.h5"), b = read_result("ref.h5");
    cr_assert_eq(memcmp(mcr_cell_pnl(&a.cells[0]), mcr_cell_pnl(&b.cells[0]),
                        a.prov.paths * sizeof(double)), 0);
    mcr_result_free(&a);
    mcr_result_free(&b);
}
