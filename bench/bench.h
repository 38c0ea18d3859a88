/* `mcrisk bench`: reference workloads, validated against closed forms before they are timed. */
#ifndef MCR_BENCH_H
#define MCR_BENCH_H

int mcr_bench_main(int argc, char **argv);

#endif
