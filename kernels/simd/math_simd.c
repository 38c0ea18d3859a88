/* Elementwise math on arrays, compiled per ISA like the path kernels: exp (for prices from log
 * prices), log (the kernels' own, vmath_simd.h, exposed for its tests and `mcrisk bench
 * --primitives`) and the standard normal CDF (kernels/ncdf.h, norm_cdf_simd.h; compiled without contraction, as
 * strat_simd.c, so both are bitwise the reference below 8 sd). n must be a multiple of
 * MCR_LANES (the engine passes whole rows of a block). */
#if defined(MCR_SIMD_AVX512)
#include "isa_avx512.h"
#define MCR_VD_EXP Sleef_expd8_u10avx512f
#elif defined(MCR_SIMD_AVX2)
#include "isa_avx2.h"
#define MCR_VD_EXP Sleef_expd4_u10avx2
#else
#error "compile math_simd.c with -DMCR_SIMD_AVX2 or -DMCR_SIMD_AVX512"
#endif
#include "norm_cdf_simd.h"
#include "vmath_simd.h"

#include "kernels/paths.h"

void MCR_SUFFIX(mcr_exp_array)(const double *x, double *y, int n)
{
    for (int i = 0; i < n; i += MCR_LANES)
        mcr_vd_storeu(y + i, MCR_VD_EXP(mcr_vd_loadu(x + i)));
}

void MCR_SUFFIX(mcr_log_array)(const double *x, double *y, int n)
{
    for (int i = 0; i < n; i += MCR_LANES)
        mcr_vd_storeu(y + i, mcr_vd_log(mcr_vd_loadu(x + i)));
}

void MCR_SUFFIX(mcr_norm_cdf_array)(const double *x, double *y, int n)
{
    const double *t = mcr_ncdf_table();
    for (int i = 0; i < n; i += MCR_LANES)
        mcr_vd_storeu(y + i, mcr_vd_norm_cdf(t, mcr_vd_loadu(x + i)));
}
