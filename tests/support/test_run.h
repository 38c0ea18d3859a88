/* A config text run in process through mcr_run (one rank, quiet, the best ISA), for the suites
 * that check a run's figures; the test fails on any error. Needs config_expect.h's load_ok. */
#ifndef MCR_TEST_RUN_H
#define MCR_TEST_RUN_H

#include "config_expect.h"
#include "run/run.h"

static inline void run_yaml(const char *yaml, int threads, mcr_result *out)
{
    mcr_config cfg;
    load_ok(yaml, &cfg);
    mcr_run_options opt = {.sim = {.kernels = mcr_kernels_of(mcr_isa_best()), .threads = threads},
                           .quiet = 1};
    mcr_share share;
    mcr_error err = {0};
    cr_assert_eq(mcr_run(&cfg, &opt, mcr_comm_serial(), &share, out, &err), MCR_OK, "%s",
                 err.msg);
    mcr_share_free(&share);
    mcr_config_free(&cfg);
}

#endif
