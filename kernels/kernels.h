/* The kernel table: one entry per instruction set, each advancing structure-of-arrays path blocks.
 * The scalar entry is the reference (plain C, the test oracle and the fallback); the AVX2 and
 * AVX-512 entries are one source (kernels/simd/paths_simd.c) compiled per ISA. The engine picks an
 * entry once at start-up and calls it once per block, never per path or per step. */
#ifndef MCR_KERNELS_H
#define MCR_KERNELS_H

#include <stdbool.h>
#include <stdint.h>

#include "../models/gbm.h"

/* Paths in a block: a multiple of every lane width, small enough that a block's state sits in L1. */
#define MCR_BLOCK_PATHS 64

/* One block of paths for a single asset. Path i of the block is global path first_path + i. */
typedef struct mcr_block {
    _Alignas(64) uint64_t rng_state[MCR_BLOCK_PATHS]; /* PCG32 state per path */
    _Alignas(64) uint64_t rng_inc[MCR_BLOCK_PATHS];   /* PCG32 stream (odd increment) per path */
    _Alignas(64) double log_price[MCR_BLOCK_PATHS];   /* ln S of each path */
} mcr_block;

/* Seed every path's generator (mcr_pcg32_for_path) and set ln S = log_s0. */
void mcr_block_init(mcr_block *b, uint64_t seed, uint64_t first_path, double log_s0);

typedef enum mcr_isa { MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512, MCR_ISA_COUNT } mcr_isa;

typedef struct mcr_kernels {
    const char *name; /* "scalar", "avx2", "avx512": the value of --isa and of the isa attribute */
    int lanes;        /* doubles per vector */
    /* Raw PCG32 outputs: out[k * MCR_BLOCK_PATHS + i] is the k-th output of path i. */
    void (*uniform32)(mcr_block *b, uint32_t *out, int per_path);
    /* Standard normals exactly as the model kernels draw them: out[k * MCR_BLOCK_PATHS + i] is
     * the inverse normal CDF (AS241) of (x + 0.5) 2^-32, x the k-th PCG32 output of path i. One
     * uniform per normal, so any per_path >= 0 is fine. */
    void (*normal)(mcr_block *b, double *out, int per_path);
    /* Advance every path n_steps GBM steps, one normal (one PCG32 output) per step and path, so a
     * horizon may be split into chunks of any length with the same result. When trace is not
     * NULL, trace[t * MCR_BLOCK_PATHS + i] = ln S of path i after step t + 1. */
    void (*gbm)(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace);
} mcr_kernels;

const mcr_kernels *mcr_kernels_of(mcr_isa isa); /* NULL if not compiled in */
bool mcr_isa_supported(mcr_isa isa);            /* compiled in and the CPU has it */
mcr_isa mcr_isa_best(void);                     /* the widest supported ISA */
/* "auto" | "scalar" | "avx2" | "avx512" -> isa (auto = best); returns false on an unknown name. */
bool mcr_isa_parse(const char *name, mcr_isa *isa);

#endif
