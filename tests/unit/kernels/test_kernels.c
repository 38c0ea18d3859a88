/* The kernel table: dispatch and ISA names, and every ISA's kernels against the scalar reference
 * (normals and GBM to 1e-12 after 365 steps), against themselves (chunking, lane and block
 * position change nothing) and against the GBM closed forms. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/gbm.h"
#include "kernels/kernels.h"
#include "kernels/paths.h"

#define YEAR_STEPS 365

static const mcr_gbm w1 = {.mu = 0.05, .sigma = 0.8};

Test(kernels, table)
{
    static const char *names[MCR_ISA_COUNT] = {"scalar", "avx2", "avx512"};
    static const int lanes[MCR_ISA_COUNT] = {1, 4, 8};
    cr_assert_not_null(mcr_kernels_of(MCR_ISA_SCALAR), "the reference is always compiled in");
    cr_assert(mcr_isa_supported(MCR_ISA_SCALAR));
    cr_assert_null(mcr_kernels_of(MCR_ISA_COUNT));
    for (int isa = 0; isa < MCR_ISA_COUNT; isa++) {
        const mcr_kernels *k = mcr_kernels_of((mcr_isa)isa);
        if (!k) {
            cr_assert_not(mcr_isa_supported((mcr_isa)isa));
            continue;
        }
        cr_assert_str_eq(k->name, names[isa]);
        cr_assert_eq(k->lanes, lanes[isa]);
        cr_assert(k->uniform32 && k->normal && k->gbm && k->model && k->assets);
        cr_assert_not_null(mcr_box_muller_of((mcr_isa)isa));
    }
}

Test(kernels, isa_names)
{
    mcr_isa isa = MCR_ISA_COUNT;
    cr_assert(mcr_isa_parse("scalar", &isa) && isa == MCR_ISA_SCALAR);
    cr_assert(mcr_isa_parse("ref", &isa) && isa == MCR_ISA_SCALAR);
    cr_assert(mcr_isa_parse("avx2", &isa) && isa == MCR_ISA_AVX2);
    cr_assert(mcr_isa_parse("avx512", &isa) && isa == MCR_ISA_AVX512);
    cr_assert(mcr_isa_parse("auto", &isa) && isa == mcr_isa_best());
    isa = MCR_ISA_COUNT;
    cr_assert_not(mcr_isa_parse("AVX2", &isa));
    cr_assert_not(mcr_isa_parse("sse4", &isa));
    cr_assert_not(mcr_isa_parse("", &isa));
    cr_assert_not(mcr_isa_parse(NULL, &isa));
    cr_assert_eq(isa, MCR_ISA_COUNT, "a failed parse leaves the output alone");
    for (int i = 0; i < MCR_ISA_COUNT; i++) {
        const mcr_kernels *k = mcr_kernels_of((mcr_isa)i);
        cr_assert(!k || (mcr_isa_parse(k->name, &isa) && isa == (mcr_isa)i),
                  "the name of an entry parses back to it");
    }
}

Test(kernels, best_is_widest_supported)
{
    mcr_isa best = mcr_isa_best();
    cr_assert(mcr_isa_supported(best));
    for (int isa = best + 1; isa < MCR_ISA_COUNT; isa++)
        cr_assert_not(mcr_isa_supported((mcr_isa)isa));
}

static const mcr_kernels *require_isa(mcr_isa isa)
{
    const mcr_kernels *k = mcr_kernels_of(isa);
    if (!k)
        cr_skip_test("ISA %d not compiled in", (int)isa);
    if (!mcr_isa_supported(isa))
        cr_skip_test("%s not supported by this CPU", k->name);
    return k;
}

static struct criterion_test_params all_isas(void)
{
    static mcr_isa isas[] = {MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}
ParameterizedTestParameters(kernels, normals_match_reference) { return all_isas(); }
ParameterizedTestParameters(kernels, gbm_matches_reference) { return all_isas(); }
ParameterizedTestParameters(kernels, gbm_chunks_and_lanes) { return all_isas(); }
ParameterizedTestParameters(kernels, gbm_closed_form) { return all_isas(); }

/* A per_path that is not a multiple of the kernels' internal chunk, over a block whose streams
 * are far from zero. */
ParameterizedTest(mcr_isa *isa, kernels, normals_match_reference)
{
    const mcr_kernels *k = require_isa(*isa);
    enum { per_path = 999, n = per_path * MCR_BLOCK_PATHS };
    double *got = malloc(sizeof(double) * n), *want = malloc(sizeof(double) * n);
    cr_assert(got && want);
    for (int bm = 0; bm < 2; bm++) {
        int draws = bm ? per_path - 1 : per_path; /* Box-Muller needs pairs */
        mcr_block b, r;
        mcr_block_init(&b, 99, 1u << 20, 0.0);
        r = b;
        (bm ? mcr_box_muller_of(*isa) : k->normal)(&b, got, draws);
        (bm ? mcr_normal_bm_ref : mcr_normal_icdf_ref)(&r, want, draws);
        for (int j = 0; j < draws * MCR_BLOCK_PATHS; j++) {
            cr_assert(isfinite(got[j]));
            cr_assert_leq(fabs(got[j] - want[j]), 1e-13, "%s %s draw %d: %.17g vs %.17g",
                          k->name, bm ? "Box-Muller" : "inverse CDF", j, got[j], want[j]);
        }
        cr_assert_eq(memcmp(b.rng_state, r.rng_state, sizeof b.rng_state), 0);
    }
    free(got);
    free(want);
}

/* W1-like GBM (sigma 0.8, daily steps, one year): S_T and the whole trace agree with the
 * reference to 1e-12 relative, and the generators end in the same state. */
ParameterizedTest(mcr_isa *isa, kernels, gbm_matches_reference)
{
    const mcr_kernels *k = require_isa(*isa);
    mcr_gbm_step c = mcr_gbm_step_of(&w1, 1.0 / YEAR_STEPS);
    double *trace = malloc(sizeof(double) * YEAR_STEPS * MCR_BLOCK_PATHS);
    double *trace_ref = malloc(sizeof(double) * YEAR_STEPS * MCR_BLOCK_PATHS);
    cr_assert(trace && trace_ref);
    mcr_block b, r;
    mcr_block_init(&b, 42, 640, log(100.0));
    r = b;
    k->gbm(&b, &c, YEAR_STEPS, trace);
    mcr_gbm_paths_ref(&r, &c, YEAR_STEPS, trace_ref);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        double s = exp(b.log_price[i]), s_ref = exp(r.log_price[i]);
        cr_assert(isfinite(s));
        cr_assert_leq(fabs(s / s_ref - 1.0), 1e-12, "%s path %d: %.17g vs %.17g", k->name, i, s,
                      s_ref);
        cr_assert_eq(b.rng_state[i], r.rng_state[i]);
        cr_assert_eq(trace[(YEAR_STEPS - 1) * MCR_BLOCK_PATHS + i], b.log_price[i],
                     "the last trace row is the final state");
    }
    for (int j = 0; j < YEAR_STEPS * MCR_BLOCK_PATHS; j++)
        cr_assert_leq(fabs(exp(trace[j] - trace_ref[j]) - 1.0), 1e-12, "%s trace %d", k->name, j);
    free(trace);
    free(trace_ref);
}

/* Bitwise: a horizon split into uneven calls equals one call, and a path's result does not depend
 * on its block or lane (path 3 + i is lane 3 + i of one block and lane i of another). */
ParameterizedTest(mcr_isa *isa, kernels, gbm_chunks_and_lanes)
{
    const mcr_kernels *k = require_isa(*isa);
    static const int chunks[] = {1, 15, 17, 100, 232};
    mcr_gbm_step c = mcr_gbm_step_of(&w1, 1.0 / YEAR_STEPS);
    mcr_block whole, split, shifted;
    mcr_block_init(&whole, 5, 0, log(100.0));
    split = whole;
    mcr_block_init(&shifted, 5, 3, log(100.0));
    k->gbm(&whole, &c, YEAR_STEPS, NULL);
    for (size_t j = 0; j < sizeof chunks / sizeof chunks[0]; j++)
        k->gbm(&split, &c, chunks[j], NULL);
    k->gbm(&shifted, &c, YEAR_STEPS, NULL);
    cr_assert_eq(memcmp(&whole, &split, sizeof whole), 0, "%s: chunked != whole", k->name);
    for (int i = 0; i + 3 < MCR_BLOCK_PATHS; i++) {
        cr_assert_eq(memcmp(&shifted.log_price[i], &whole.log_price[i + 3], sizeof(double)), 0,
                     "%s: path %d differs between lanes %d and %d", k->name, i + 3, i, i + 3);
        cr_assert_eq(shifted.rng_state[i], whole.rng_state[i + 3]);
    }
}

/* 65536 paths: ln S_T ~ N(ln S0 + (mu - sigma^2/2) T, sigma^2 T) and E[S_T] = S0 e^(mu T). */
ParameterizedTest(mcr_isa *isa, kernels, gbm_closed_form)
{
    const mcr_kernels *k = require_isa(*isa);
    enum { blocks = 1024 };
    const double s0 = 100.0, t = 1.0, n = blocks * MCR_BLOCK_PATHS;
    mcr_gbm_step c = mcr_gbm_step_of(&w1, t / YEAR_STEPS);
    double sx = 0, sxx = 0, ss = 0, sss = 0;
    for (int blk = 0; blk < blocks; blk++) {
        mcr_block b;
        mcr_block_init(&b, 11, (uint64_t)blk * MCR_BLOCK_PATHS, log(s0));
        k->gbm(&b, &c, YEAR_STEPS, NULL);
        for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
            double x = b.log_price[i], s = exp(x);
            sx += x;
            sxx += x * x;
            ss += s;
            sss += s * s;
        }
    }
    double mx = sx / n, vx = sxx / n - mx * mx, ms = ss / n, vs = sss / n - ms * ms;
    double mx_exact = log(s0) + (w1.mu - 0.5 * w1.sigma * w1.sigma) * t;
    double vx_exact = w1.sigma * w1.sigma * t;
    double se_mx = sqrt(vx / n), se_vx = vx * sqrt(2.0 / n), se_ms = sqrt(vs / n);
    cr_assert_leq(se_mx, 0.0032);
    cr_assert_leq(se_vx, 0.0036);
    cr_assert_leq(se_ms, 0.45);
    cr_assert_leq(fabs(mx - mx_exact), 4 * se_mx, "%s E[ln S_T] %g vs %g", k->name, mx, mx_exact);
    cr_assert_leq(fabs(vx - vx_exact), 4 * se_vx, "%s Var[ln S_T] %g vs %g", k->name, vx,
                  vx_exact);
    double es = mcr_gbm_mean(&w1, s0, t);
    cr_assert_leq(fabs(ms - es), 4 * se_ms, "%s E[S_T] %g vs %g", k->name, ms, es);
}
