/* Private to kernels/ (and its tests and benchmark): every ISA's kernel entry points, which
 * dispatch.c gathers into the mcr_kernels table. Names are mcr_<what>_<isa>. */
#ifndef MCR_PATHS_H
#define MCR_PATHS_H

#include <stdint.h>

#include "kernels.h"

/* The draw contract, shared by every ISA: the k-th uniform of a path is (x + 0.5) 2^-32 for its
 * k-th PCG32 output x, and the k-th normal is the inverse normal CDF (AS241) of it. The Box-Muller
 * transforms (two uniforms u1, u2 -> sqrt(-2 ln u1) (cos, sin)(2 pi u2) for normals k, k+1; even
 * per_path) are the measured alternative, kept for `mcrisk bench` and its tests, not used by the
 * model kernels. */
void mcr_uniform32_ref(mcr_block *b, uint32_t *out, int per_path);
void mcr_uniform_ref(mcr_block *b, double *out, int per_path);
void mcr_normal_icdf_ref(mcr_block *b, double *out, int per_path);
void mcr_normal_bm_ref(mcr_block *b, double *out, int per_path);
void mcr_gbm_paths_ref(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace);
void mcr_model_paths_ref(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace);
void mcr_exp_array_ref(const double *x, double *y, int n);
void mcr_log_array_ref(const double *x, double *y, int n);
void mcr_norm_cdf_array_ref(const double *x, double *y, int n);
/* one value of the reference's Phi, t = mcr_ncdf_table() (kernels/ncdf.h) */
double mcr_norm_cdf_ref(const double *t, double x);
/* historical, bootstrap, fhs (any step count, chunkable); trace row t at trace + t * stride. */
void mcr_data_paths_ref(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace,
                        int stride);
void mcr_assets_paths_ref(mcr_assets_block *b, const mcr_assets_step *c, int n_steps,
                          double *trace);
void mcr_peg_paths_ref(mcr_block *b, const mcr_peg_step *c, const double *ref, double *out,
                      int n_steps, int stride);

void mcr_uniform32_avx2(mcr_block *b, uint32_t *out, int per_path);
void mcr_uniform_avx2(mcr_block *b, double *out, int per_path);
void mcr_normal_icdf_avx2(mcr_block *b, double *out, int per_path);
void mcr_normal_bm_avx2(mcr_block *b, double *out, int per_path);
void mcr_gbm_paths_avx2(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace);
void mcr_model_paths_avx2(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace);
void mcr_exp_array_avx2(const double *x, double *y, int n);
void mcr_log_array_avx2(const double *x, double *y, int n);
void mcr_norm_cdf_array_avx2(const double *x, double *y, int n);
/* historical, bootstrap, fhs (any step count, chunkable); trace row t at trace + t * stride. */
void mcr_data_paths_avx2(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace,
                        int stride);
void mcr_assets_paths_avx2(mcr_assets_block *b, const mcr_assets_step *c, int n_steps,
                           double *trace);
void mcr_peg_paths_avx2(mcr_block *b, const mcr_peg_step *c, const double *ref, double *out,
                      int n_steps, int stride);

void mcr_uniform32_avx512(mcr_block *b, uint32_t *out, int per_path);
void mcr_uniform_avx512(mcr_block *b, double *out, int per_path);
void mcr_normal_icdf_avx512(mcr_block *b, double *out, int per_path);
void mcr_normal_bm_avx512(mcr_block *b, double *out, int per_path);
void mcr_gbm_paths_avx512(mcr_block *b, const mcr_gbm_step *c, int n_steps, double *trace);
void mcr_model_paths_avx512(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace);
void mcr_exp_array_avx512(const double *x, double *y, int n);
void mcr_log_array_avx512(const double *x, double *y, int n);
void mcr_norm_cdf_array_avx512(const double *x, double *y, int n);
/* historical, bootstrap, fhs (any step count, chunkable); trace row t at trace + t * stride. */
void mcr_data_paths_avx512(mcr_block *b, const mcr_model_step *c, int n_steps, double *trace,
                        int stride);
void mcr_assets_paths_avx512(mcr_assets_block *b, const mcr_assets_step *c, int n_steps,
                             double *trace);
void mcr_peg_paths_avx512(mcr_block *b, const mcr_peg_step *c, const double *ref, double *out,
                      int n_steps, int stride);

/* The strategy kernels of each ISA (kernels/strat.h). */
extern const mcr_strat_kernels mcr_strat_kernels_ref, mcr_strat_kernels_avx2,
    mcr_strat_kernels_avx512;

/* The fused run of a units position of each ISA (kernels/strat.h's run_units; the reference in
 * kernels/ref/strat_ref.c, the vector source kernels/simd/run_simd.c). */
void mcr_run_units_avx2(const mcr_run_terms *c, const mcr_run_rows *rows);
void mcr_run_units_avx512(const mcr_run_terms *c, const mcr_run_rows *rows);

typedef void (*mcr_normal_fn)(mcr_block *b, double *out, int per_path);
/* The Box-Muller transform of an ISA; NULL if that ISA is not compiled in. */
mcr_normal_fn mcr_box_muller_of(mcr_isa isa);

#endif
