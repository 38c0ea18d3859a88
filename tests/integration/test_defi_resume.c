/* The DeFi kinds under interruption and threads, through the mcrisk binary: configs/defi_book.yaml
 * (a pegged staked asset with yield, concentrated liquidity, a loan liquidated on a lagged oracle
 * at a protocol that can fail, options sold at a venue that can fail; deleverage, range
 * re-centring, puts and a perpetual at the failing venue) stopped by SIGTERM after its first
 * progress line on 2 threads, then resumed, ends with every per-path field and figure of the
 * uninterrupted 1-thread run, byte for byte. (Over MPI ranks: tests/integration/mpi.) */
#include <criterion/criterion.h>
#include <string.h>

#include "output/h5_io.h"
#include "test_result.h"
#include "test_spawn.h"

#define CONFIG MCR_SOURCE_DIR "/configs/defi_book.yaml"

static void make_dir(void) { test_dir_make("/tmp/mcr-defi-resume-XXXXXX"); }

TestSuite(defi_resume, .init = make_dir, .fini = test_dir_remove);

/* ASan (CI's Debug build) is about 15 times slower: fewer paths keep the run as long. */
#ifdef __SANITIZE_ADDRESS__
#define PATHS "1500"
#else
#define PATHS "12000"
#endif

/* Every per-path field, the summary and the field summaries of every cell, byte for byte. */
static void assert_same_cells(const mcr_result *a, const mcr_result *b)
{
    cr_assert_eq(a->prov.paths, b->prov.paths);
    cr_assert_eq(a->n_scenarios * a->n_strategies, b->n_scenarios * b->n_strategies);
    size_t n = a->prov.paths;
    for (int i = 0; i < a->n_scenarios * a->n_strategies; i++) {
        const mcr_strategy_result *x = &a->cells[i], *y = &b->cells[i];
        cr_assert_str_eq(x->strategy, y->strategy);
        for (int f = 0; f < MCR_N_FIELDS; f++) {
            const void *p = x->fields.at[f], *q = y->fields.at[f];
            cr_assert(p && q, "%s: %s missing", x->strategy, mcr_fields[f].name);
            cr_assert_eq(memcmp(p, q, n * mcr_field_size((mcr_field_id)f)), 0, "%s %s: %s differs",
                         x->scenario, x->strategy, mcr_fields[f].name);
        }
        cr_assert_eq(memcmp(&x->summary, &y->summary, sizeof x->summary), 0, "%s summary",
                     x->strategy);
        cr_assert_eq(memcmp(x->stat, y->stat, sizeof x->stat), 0, "%s field summaries",
                     x->strategy);
    }
}

Test(defi_resume, stopped_then_resumed_is_bitwise_the_uninterrupted_run, .timeout = 120)
{
    const char *ref_args[] = {"run", CONFIG, "--paths", PATHS, "-o", "ref.h5", "--threads", "1",
                              "--quiet", NULL};
    cr_assert_eq(wait_mcrisk(spawn_mcrisk(NULL, ref_args, "out.txt", "err.txt")), 0, "%s",
                 slurp("err.txt"));
    mcr_result ref = read_result("ref.h5");
    /* the run exercises what it is meant to: liquidations, venue failures, deleveraging */
    const mcr_strategy_result *base_unhedged = &ref.cells[0];
    cr_assert_str_eq(base_unhedged->strategy, "unhedged");
    int liquidated = 0, failed = 0;
    const int32_t *loan_step = base_unhedged->fields.at[MCR_FIELD_LOAN_LIQUIDATION_STEP];
    const int32_t *venue_step = base_unhedged->fields.at[MCR_FIELD_VENUE_DEFAULT_STEP];
    for (size_t p = 0; p < ref.prov.paths; p++)
        liquidated += loan_step[p] >= 0, failed += venue_step[p] >= 0;
    cr_assert_gt(liquidated, 10, "%d loans liquidated", liquidated);
    cr_assert_gt(failed, 10, "%d paths with a venue failure", failed);

    /* 2 threads, stopped once the progress line says a quarter of the first scenario is done */
    const char *args[] = {"run", CONFIG, "--paths", PATHS, "-o", "run.h5", "--threads", "2",
                          NULL};
    const char *env[] = {"MCR_CHECKPOINT_SECONDS=0", NULL};
    pid_t pid = spawn_mcrisk(env, args, "out.txt", "err.txt");
    cr_assert(wait_for_file("err.txt", "paths ("), "no progress line: %s", slurp("err.txt"));
    kill(pid, SIGTERM);
    cr_assert_eq(wait_mcrisk(pid), 143, "the run ended before SIGTERM (make it longer): %s",
                 slurp("err.txt"));
    cr_assert(exists("run.h5.ckpt") && !exists("run.h5"), "%s", slurp("err.txt"));

    const char *resume[] = {"run", CONFIG, "--paths", PATHS, "-o", "run.h5", "--resume",
                            "--quiet", NULL};
    cr_assert_eq(wait_mcrisk(spawn_mcrisk(NULL, resume, "out.txt", "err.txt")), 0, "%s",
                 slurp("err.txt"));
    cr_assert(!exists("run.h5.ckpt"));
    mcr_result r = read_result("run.h5");
    cr_assert_eq(r.prov.resumed, 1);
    assert_same_cells(&ref, &r);
    mcr_result_free(&r);
    mcr_result_free(&ref);
}
