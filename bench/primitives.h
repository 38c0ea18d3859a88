/* `mcrisk bench --primitives`: ns per element of each building block of the kernels, per ISA. */
#ifndef MCR_BENCH_PRIMITIVES_H
#define MCR_BENCH_PRIMITIVES_H

#include <stdio.h>

#include "report.h"

/* Time every primitive on every supported ISA of isas[0 .. n_isas), `repeats` times each; print
 * a table to `out` and add the figures to r. Returns nonzero when an ISA disagrees with the scalar
 * reference (then its figures are not printed). */
int mcr_bench_primitives(FILE *out, const mcr_isa *isas, int n_isas, int repeats,
                         mcr_bench_report *r);

#endif
