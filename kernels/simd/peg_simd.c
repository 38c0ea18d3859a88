/* The pegged-asset kernel (models/peg.h), compiled once per ISA: each lane is one path, its two
 * uniforms per step (u_count, u_time) drawn in passes from its own stream like every model's, and
 * the update of mcr_peg_update written with vectors: the Poisson count by the same fixed loop of
 * MCR_PEG_MAX_JUMPS compares and selects, exp from SLEEF and the kernels' own log. It agrees with
 * the scalar reference to rounding (libm's exp and log against these), not bitwise. */
#include "draws_simd.h"

#if defined(MCR_SIMD_AVX512)
#define mcr_peg_exp Sleef_expd8_u10avx512f
#else
#define mcr_peg_exp Sleef_expd4_u10avx2
#endif

/* Steps per pass: two rows of uniforms each, MCR_CHUNK rows in all. */
#define MCR_PEG_STEPS (MCR_CHUNK / MCR_PEG_DRAWS)

/* One step of one vector of paths (mcr_peg_update lane by lane). */
static inline mcr_vd mcr_peg_step_vd(const mcr_peg_step *c, mcr_vd peg, mcr_vd drawdown,
                                     mcr_vd u_count, mcr_vd u_time)
{
    mcr_vd one = mcr_vd_set(1.0), keep = mcr_vd_set(c->keep);
    mcr_vd lambda = mcr_vd_mul(mcr_vd_set(c->lambda_dt),
                               mcr_vd_add(one, mcr_vd_mul(mcr_vd_set(c->crash_loading),
                                                          mcr_vd_max(drawdown, mcr_vd_zero()))));
    mcr_vd prob = mcr_peg_exp(mcr_vd_sub(mcr_vd_zero(), lambda));
    mcr_vd cdf = prob, qn = one, q_pow = one;
    for (int n = 1; n <= MCR_PEG_MAX_JUMPS; n++) {
        qn = mcr_vd_mul(qn, keep);
        q_pow = mcr_vd_blend(mcr_vb_gt(u_count, cdf), qn, q_pow);
        prob = mcr_vd_mul(prob, mcr_vd_div(lambda, mcr_vd_set((double)n)));
        cdf = mcr_vd_add(cdf, prob);
    }
    mcr_vd late = mcr_peg_exp(mcr_vd_mul(mcr_vd_set(-c->kappa_dt), mcr_vd_sub(one, u_time)));
    mcr_vd gap = mcr_vd_add(mcr_vd_mul(mcr_vd_mul(mcr_vd_sub(one, peg), mcr_vd_set(c->decay)),
                                       q_pow),
                            mcr_vd_mul(mcr_vd_sub(one, q_pow), late));
    return mcr_vd_sub(one, gap);
}

void MCR_SUFFIX(mcr_peg_paths)(mcr_block *b, const mcr_peg_step *c, const double *ref,
                               double *out, int n_steps, int stride)
{
    _Alignas(64) double u[MCR_ROWS];
    for (int t0 = 0; t0 < n_steps; t0 += MCR_PEG_STEPS) {
        int n = n_steps - t0 < MCR_PEG_STEPS ? n_steps - t0 : MCR_PEG_STEPS;
        mcr_fill_unit(b, u, MCR_PEG_DRAWS * n);
        for (int v = 0; v < MCR_VECS; v++) {
            int o = v * MCR_LANES;
            mcr_vd peg = mcr_vd_loadu(b->peg + o), log_max = mcr_vd_loadu(b->peg_log_max + o);
            mcr_vd x = mcr_vd_loadu(b->log_price + o);
            for (int k = 0; k < n; k++) {
                size_t row = (size_t)(t0 + k) * stride + o;
                mcr_vd log_ref = mcr_vd_loadu(ref + row);
                log_max = mcr_vd_max(log_max, log_ref);
                const double *uk = u + (size_t)(MCR_PEG_DRAWS * k) * MCR_BLOCK_PATHS + o;
                mcr_vd u_count = mcr_vd_loadu(uk), u_time = mcr_vd_loadu(uk + MCR_BLOCK_PATHS);
                peg = mcr_peg_step_vd(c, peg, mcr_vd_sub(log_max, log_ref), u_count, u_time);
                x = mcr_vd_add(log_ref, mcr_vd_log(peg));
                mcr_vd_storeu(out + row, x);
            }
            mcr_vd_storeu(b->peg + o, peg);
            mcr_vd_storeu(b->peg_log_max + o, log_max);
            mcr_vd_storeu(b->log_price + o, x);
        }
    }
}
