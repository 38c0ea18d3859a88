/* A result file of the test directory (test_dir.h) read back with every per-path array, for the
 * suites that compare runs through the binary. */
#ifndef MCR_TEST_RESULT_H
#define MCR_TEST_RESULT_H

#include "output/h5_io.h"
#include "test_dir.h"

static inline mcr_result read_result(const char *name)
{
    char path[256];
    in_dir(name, path, sizeof path);
    mcr_result r;
    mcr_error err = {0};
    cr_assert_eq(mcr_h5_read(path, 1, &r, &err), MCR_OK, "%s", err.msg);
    return r;
}

#endif
