/* The normal-transform micro-benchmark (bench/normal_bench.c). */
#ifndef MCR_NORMAL_BENCH_H
#define MCR_NORMAL_BENCH_H

#include <stdio.h>

/* For every ISA the CPU supports: check the kernels against the scalar reference, then time the
 * inverse-CDF and Box-Muller transforms (ns per normal) and the GBM kernel (path-steps/s), one
 * thread. Prints a table to out; returns 0 when every check passed, 1 otherwise. */
int mcr_bench_normals(FILE *out);

#endif
