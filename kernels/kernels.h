/* The kernel table: one entry per instruction set, each advancing structure-of-arrays path blocks.
 * The scalar entry is the reference (plain C, the test oracle and the fallback); the AVX2 and
 * AVX-512 entries are one source per model (kernels/simd/<model>_simd.c) compiled per ISA. The
 * engine picks an entry once at start-up and calls it once per block (or chunk of steps), never
 * per path or per step.
 *
 * Draw contract. Asset a of global path p draws from its own PCG32 stream
 * (mcr_pcg32_for_asset(seed, a, p); asset 0 is mcr_pcg32_for_path(seed, p)). The k-th uniform of
 * a stream is u = (x + 0.5) 2^-32 for its k-th output x, and a normal is the inverse normal CDF
 * (AS241) of one uniform. Every step takes a FIXED count of outputs (mcr_model_step.draws),
 * whatever branch a lane takes, in this order:
 *   gbm     1        w
 *   merton  3        w, u_N, u_J
 *   kou     2 + M    w, u_N, u_1 .. u_M   (M = jump.cap, from lambda dt; see model_step.h)
 *   heston  2        w, eta
 *   bates   4        w, eta, u_N, u_J
 *   bootstrap, fhs   2 per day (u_new, u_row); a day split into several steps: 3 (u_new, u_row,
 *                    w; the uniforms are used on the day's first step)
 *   historical       0; a day split into several steps: 1 (w)
 *   pegged asset     2        u_count, u_time (models/peg.h), after every other asset's step
 * w = Phi^-1(u) is the asset's Brownian price shock; with several assets the step uses
 * z_a = sum_{j <= a} L[a][j] w_j instead (L lower triangular, L[0][0] = 1, so asset 0 and any
 * uncorrelated asset follow exactly the paths of a single-asset run). u_N gives the jump count
 * N = #{i : u_N > cdf[i]}; merton and bates add N nu + sqrt(N) delta Phi^-1(u_J); kou adds the
 * first N of u_1 .. u_M as double-exponential jumps. eta = Phi^-1(u) is the variance's own shock:
 * the QE step uses Z_v = rho z + rho_bar eta for the variance and Z_perp = rho_bar z - rho eta for
 * the price, so the price's Brownian increment is the (correlated) z. Every uniform of a step is
 * consumed whether or not it is used (no jump, other QE branch; the vector kernels jump over
 * unused ones), so streams never shift (the normal-shift hook of mcr_block adds a constant to w
 * after the draw: the streams stay as they are) and every path is bitwise the same at any thread count,
 * block position or chunking of the horizon. The vector kernels agree with the scalar reference
 * to ~1e-14 relative (libm vs the kernels' own log and SLEEF's exp/erfc ulps, fma
 * contraction), not bitwise. */
#ifndef MCR_KERNELS_H
#define MCR_KERNELS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/status.h"
#include "models/gbm.h"
#include "models/model_step.h"
#include "models/peg.h"

/* Paths in a block: a multiple of every lane width, small enough that a block's state sits in L1. */
#define MCR_BLOCK_PATHS 64

#include "strat.h" /* its rows are of MCR_BLOCK_PATHS */

/* Assets one multi-asset block can hold; the config must reject more. */
#define MCR_KERNEL_MAX_ASSETS 8

/* One block of paths for a single asset. Path i of the block is global path first_path + i. */
typedef struct mcr_block {
    _Alignas(64) uint64_t rng_state[MCR_BLOCK_PATHS]; /* PCG32 state per path */
    _Alignas(64) uint64_t rng_inc[MCR_BLOCK_PATHS];   /* PCG32 stream (odd increment) per path */
    _Alignas(64) double log_price[MCR_BLOCK_PATHS];   /* ln S of each path */
    _Alignas(64) double variance[MCR_BLOCK_PATHS];    /* heston, bates: v; fhs: h (daily) */
    /* historical, bootstrap, fhs (models/data_model.h): the data row of the current day, the
     * part of a split day's return still to come and that day's standard deviation, and the step
     * within the day (every path of a block is at the same step) */
    _Alignas(64) double data_left[MCR_BLOCK_PATHS];
    _Alignas(64) double data_sd[MCR_BLOCK_PATHS];
    _Alignas(64) int32_t data_row[MCR_BLOCK_PATHS];
    int data_phase;
    /* a pegged asset (models/peg.h): the peg in (0, 1] and the reference's running maximum of
     * ln S since t0 (its drawdown loads the jump intensity) */
    _Alignas(64) double peg[MCR_BLOCK_PATHS];
    _Alignas(64) double peg_log_max[MCR_BLOCK_PATHS];
    /* The draw-transform hook (run.variance_reduction, sim/vr.h): NULL, or price shocks given by
     * the caller, shocks[k * MCR_BLOCK_PATHS + i] replacing w of path i at the k-th step from
     * here. Each kernel call still draws w's output (so every other draw keeps its place: jumps,
     * eta and uniforms stay the path's own), takes the given shock instead and moves the pointer
     * on by its steps, so chunked calls continue where the last stopped. Data models ignore it. */
    const double *shocks;
    /* The normal-shift hook (run.tail, sim/sim.h mcr_sim_range.tilt, models/tail_shift.h): with
     * tilt_on, every price shock w this asset's kernels draw (its own independent standard normal,
     * before the correlation; after a given shock) becomes w + tilt, and tilt_sum[i] adds path
     * i's shifted w of every step, from which the caller computes the likelihood ratio
     * exp(-tilt tilt_sum + steps tilt^2 / 2). Jump counts and sizes and a variance's own shock eta
     * are not shifted: they are independent of w, so the likelihood ratio of the whole path is
     * that of the w's alone. Off: tilt 0 and the vector kernels skip the hook once per chunk (the
     * scalar reference adds the 0: the same bits). Data models and pegged assets ignore it. */
    bool tilt_on;
    double tilt;
    _Alignas(64) double tilt_sum[MCR_BLOCK_PATHS];
} mcr_block;

/* The PCG32 stream id (mcr_pcg32_for_asset) of every asset with a data model that draws
 * (bootstrap, fhs): they share it, so on every path they draw the same days of the data and keep
 * the assets' cross-correlation (the config requires the same window and block length). */
#define MCR_DATA_STREAM 127

/* Seed every path's generator (mcr_pcg32_for_path) and set ln S = log_s0 (and v = 0). Enough for
 * gbm, merton and kou; mcr_block_init_asset also sets a stochastic-volatility model's v0 and a
 * data model's state. */
void mcr_block_init(mcr_block *b, uint64_t seed, uint64_t first_path, double log_s0);
/* Asset `asset` of a run: its streams mcr_pcg32_for_asset(seed, asset, path), ln S = log_s0 and
 * v = c->heston.v0 (0 for models without variance). asset 0 gives mcr_block_init's streams.
 * Data models: stream MCR_DATA_STREAM, v = the fhs start variance, a historical path at the row
 * before its start date, a bootstrap path before a new block. */
void mcr_block_init_asset(mcr_block *b, const mcr_model_step *c, uint64_t seed, int asset,
                          uint64_t first_path, double log_s0);

/* Several assets over the same paths, each with its own model, correlated price shocks. */
typedef struct mcr_assets_step {
    int n_assets; /* 1 .. MCR_KERNEL_MAX_ASSETS */
    mcr_model_step model[MCR_KERNEL_MAX_ASSETS];
    /* Cholesky factor of the correlation matrix: lower triangular, row-major, chol[0][0] = 1 */
    double chol[MCR_KERNEL_MAX_ASSETS][MCR_KERNEL_MAX_ASSETS];
    /* Pegged assets (mcr_assets_step_peg): price = the reference's x peg_t. Such an asset takes
     * no model step and no correlated shock (its rows of L are the identity's, its w is 0);
     * after the other assets' steps its peg advances on the reference's path. */
    int n_pegs;
    bool pegged[MCR_KERNEL_MAX_ASSETS];
    int peg_to[MCR_KERNEL_MAX_ASSETS];       /* the reference asset */
    double peg0[MCR_KERNEL_MAX_ASSETS];      /* the peg at t0 */
    mcr_peg_step peg[MCR_KERNEL_MAX_ASSETS]; /* its per-step constants */
} mcr_assets_step;

typedef struct mcr_assets_block {
    mcr_block asset[MCR_KERNEL_MAX_ASSETS]; /* the first n_assets are used */
} mcr_assets_block;

/* Fill c from n models' step constants and the n x n leading part of a lower-triangular factor
 * with leading dimension ld (chol[a * ld + j]); chol NULL means uncorrelated (identity). */
void mcr_assets_step_init(mcr_assets_step *c, int n, const mcr_model_step *models,
                          const double *chol, int ld);
/* Make asset a of c pegged to asset `to` with the step constants peg and the peg at t0 peg0. */
void mcr_assets_step_peg(mcr_assets_step *c, int a, int to, const mcr_peg_step *peg,
                         double peg0);
/* mcr_block_init_asset for every asset a < c->n_assets, with ln S = log_s0[a]; a pegged asset
 * also starts its peg at peg0 and the reference's running maximum at its ln S0. */
void mcr_assets_block_init(mcr_assets_block *b, const mcr_assets_step *c, uint64_t seed,
                           uint64_t first_path, const double *log_s0);

typedef enum mcr_isa { MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512, MCR_ISA_COUNT } mcr_isa;

typedef struct mcr_kernels {
    const char *name; /* "scalar", "avx2", "avx512": the value of --isa and of the isa attribute */
    int lanes;        /* doubles per vector */
    /* Raw PCG32 outputs: out[k * MCR_BLOCK_PATHS + i] is the k-th output of path i. */
    void (*uniform32)(mcr_block *b, uint32_t *out, int per_path);
    /* The uniforms the kernels draw: out[k * MCR_BLOCK_PATHS + i] = (x + 0.5) 2^-32 for the k-th
     * PCG32 output x of path i. */
    void (*uniform)(mcr_block *b, double *out, int per_path);
    /* Standard normals exactly as the model kernels draw them: out[k * MCR_BLOCK_PATHS + i] is
     * the inverse normal CDF (AS241) of (x + 0.5) 2^-32, x the k-th PCG32 output of path i. One
     * uniform per normal, so any per_path >= 0 is fine. */
    void (*normal)(mcr_block *b, double *out, int per_path);
    /* Advance every path n_steps GBM steps, one normal (one PCG32 output) per step and path, so a
     * horizon may be split into chunks of any length with the same result. When trace is not
     * NULL, trace[t * MCR_BLOCK_PATHS + i] = ln S of path i after step t + 1. */
    void (*gbm)(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace);
    /* One asset of any model (the fast single-asset path; gbm is the gbm kernel above): advance
     * n_steps, c->draws outputs per step and path in the order of the draw contract, chunkable
     * like gbm; same trace layout. */
    void (*model)(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace);
    /* c->n_assets assets with correlated price shocks: advance every asset n_steps, chunkable.
     * When trace is not NULL, trace[(t * c->n_assets + a) * MCR_BLOCK_PATHS + i] = ln S of
     * asset a, path i after step t + 1. Needs about 170 KiB of stack (model: 90 KiB). Pegged
     * assets advance after the others, by `peg` on the reference's trace (a local one of a few
     * steps when trace is NULL). */
    void (*assets)(mcr_assets_block *b, const mcr_assets_step *c, int n_steps, double *trace);
    /* A pegged asset over n_steps (models/peg.h: mcr_peg_update): b is its block (its streams,
     * two uniforms per step and path, u_count then u_time; its peg and running maximum),
     * ref[t * stride + i] the reference's ln S after step t + 1; writes
     * out[t * stride + i] = ref + ln peg and b->log_price the last. Chunkable; the replayed
     * paths call it on the file's prices. */
    void (*peg)(mcr_block *b, const mcr_peg_step *c, const double *ref, double *out,
                int n_steps, int stride);
    /* Elementwise on n doubles, n a multiple of lanes (kernels/simd/math_simd.c): y = exp(x),
     * y = log(x) (the kernels' own log, kernels/simd/vmath_simd.h, <= 1 ulp; libm's in the scalar
     * reference), and y = Phi(x), the standard normal CDF (kernels/ncdf.h: a table and a
     * short expansion, |error| < 2e-16, relative < 1e-15 down to Phi = 4.6e-308). */
    void (*exp)(const double *x, double *y, int n);
    void (*log)(const double *x, double *y, int n);
    void (*norm_cdf)(const double *x, double *y, int n);
    /* The strategy engine's per-step loops of this ISA (strat.h). */
    const mcr_strat_kernels *strat;
} mcr_kernels;

const mcr_kernels *mcr_kernels_of(mcr_isa isa); /* NULL if not compiled in */
bool mcr_isa_supported(mcr_isa isa);            /* compiled in and the CPU has it */
mcr_isa mcr_isa_best(void);                     /* the widest supported ISA */
/* "auto" | "scalar" | "avx2" | "avx512" -> isa (auto = best); returns false on an unknown name. */
bool mcr_isa_parse(const char *name, mcr_isa *isa);
/* The kernels of `name` ("auto", "scalar", "avx2", "avx512"), or of the environment variable MCR_ISA
 * when name is NULL ("auto" when both are absent). MCR_ERR_INPUT with a message naming `--isa` or
 * MCR_ISA when the name is unknown or the CPU or build lacks it. */
mcr_status mcr_kernels_select(const char *name, const mcr_kernels **k, mcr_error *err);

#endif
