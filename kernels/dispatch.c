/* The kernel table and CPU detection. An ISA's entry exists when CMake compiled its kernels in
 * (MCR_HAVE_AVX2 / MCR_HAVE_AVX512); it is usable when the CPU and OS also support every
 * instruction its objects may contain: the kernels are compiled for a whole x86-64 level
 * (-march=x86-64-v3 / -v4), so the whole level is checked, not only the features we call by name.
 * mcr_kernels_select resolves a user's choice (--isa or MCR_ISA); logging it is the engine's job. */
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "paths.h"

/* Designated members, so that adding an entry point cannot shift the others. */
static const mcr_kernels mcr_table[MCR_ISA_COUNT] = {
    [MCR_ISA_SCALAR] = {.name = "scalar", .lanes = 1, .uniform32 = mcr_uniform32_ref,
                        .uniform = mcr_uniform_ref, .normal = mcr_normal_icdf_ref,
                        .gbm = mcr_gbm_paths_ref,
                        .model = mcr_model_paths_ref, .assets = mcr_assets_paths_ref,
                        .peg = mcr_peg_paths_ref,
                        .exp = mcr_exp_array_ref, .log = mcr_log_array_ref,
                        .norm_cdf = mcr_norm_cdf_array_ref, .strat = &mcr_strat_kernels_ref},
#ifdef MCR_HAVE_AVX2
    [MCR_ISA_AVX2] = {.name = "avx2", .lanes = 4, .uniform32 = mcr_uniform32_avx2,
                      .uniform = mcr_uniform_avx2, .normal = mcr_normal_icdf_avx2,
                      .gbm = mcr_gbm_paths_avx2,
                      .model = mcr_model_paths_avx2, .assets = mcr_assets_paths_avx2,
                      .peg = mcr_peg_paths_avx2,
                      .exp = mcr_exp_array_avx2, .log = mcr_log_array_avx2,
                      .norm_cdf = mcr_norm_cdf_array_avx2, .strat = &mcr_strat_kernels_avx2},
#endif
#ifdef MCR_HAVE_AVX512
    [MCR_ISA_AVX512] = {.name = "avx512", .lanes = 8, .uniform32 = mcr_uniform32_avx512,
                        .uniform = mcr_uniform_avx512, .normal = mcr_normal_icdf_avx512,
                        .gbm = mcr_gbm_paths_avx512,
                        .model = mcr_model_paths_avx512, .assets = mcr_assets_paths_avx512,
                        .peg = mcr_peg_paths_avx512,
                        .exp = mcr_exp_array_avx512, .log = mcr_log_array_avx512,
                        .norm_cdf = mcr_norm_cdf_array_avx512, .strat = &mcr_strat_kernels_avx512},
#endif
};

mcr_normal_fn mcr_box_muller_of(mcr_isa isa)
{
    static const mcr_normal_fn bm[MCR_ISA_COUNT] = {
        [MCR_ISA_SCALAR] = mcr_normal_bm_ref,
#ifdef MCR_HAVE_AVX2
        [MCR_ISA_AVX2] = mcr_normal_bm_avx2,
#endif
#ifdef MCR_HAVE_AVX512
        [MCR_ISA_AVX512] = mcr_normal_bm_avx512,
#endif
    };
    return (unsigned)isa < MCR_ISA_COUNT ? bm[isa] : NULL;
}

const mcr_kernels *mcr_kernels_of(mcr_isa isa)
{
    if ((unsigned)isa >= MCR_ISA_COUNT || !mcr_table[isa].name)
        return NULL;
    return &mcr_table[isa];
}

/* __builtin_cpu_supports takes only string literals, hence no table here. libgcc's detection
 * also checks that the OS saves the ymm/zmm state (XGETBV). */
/* clang before 16 does not know the x86-64-vN levels (the fuzz build, scripts/fuzz.sh): the
 * features checked beside them then decide alone. */
#if defined(__clang__) && __clang_major__ < 16
#define MCR_CPU_LEVEL(level) 1
#else
#define MCR_CPU_LEVEL(level) __builtin_cpu_supports(level)
#endif

static bool mcr_cpu_has(mcr_isa isa)
{
    __builtin_cpu_init();
    switch (isa) {
    case MCR_ISA_SCALAR:
        return true;
    case MCR_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
               MCR_CPU_LEVEL("x86-64-v3");
    case MCR_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && MCR_CPU_LEVEL("x86-64-v4");
    default:
        return false;
    }
}

bool mcr_isa_supported(mcr_isa isa) { return mcr_kernels_of(isa) && mcr_cpu_has(isa); }

mcr_isa mcr_isa_best(void)
{
    for (int isa = MCR_ISA_COUNT - 1; isa > MCR_ISA_SCALAR; isa--)
        if (mcr_isa_supported((mcr_isa)isa))
            return (mcr_isa)isa;
    return MCR_ISA_SCALAR;
}

bool mcr_isa_parse(const char *name, mcr_isa *isa)
{
    static const struct {
        const char *name;
        mcr_isa isa;
    } names[] = {{"scalar", MCR_ISA_SCALAR}, {"ref", MCR_ISA_SCALAR}, {"avx2", MCR_ISA_AVX2},
                 {"avx512", MCR_ISA_AVX512}};
    if (!name)
        return false;
    if (strcmp(name, "auto") == 0) {
        *isa = mcr_isa_best();
        return true;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *isa = names[i].isa;
            return true;
        }
    return false;
}

mcr_status mcr_kernels_select(const char *isa_flag, const mcr_kernels **k, mcr_error *err)
{
    const char *name = isa_flag ? isa_flag : getenv("MCR_ISA");
    const char *what = isa_flag ? "--isa" : "MCR_ISA";
    mcr_isa isa;
    if (!name || !*name)
        name = "auto";
    if (!mcr_isa_parse(name, &isa))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: unknown ISA '%s'; allowed: auto, scalar, avx2, "
                        "avx512", what, name);
    if (!mcr_isa_supported(isa))
        return mcr_fail(err, MCR_ERR_INPUT, "%s: '%s' is not supported by this CPU or build; "
                        "best available: %s", what, name, mcr_kernels_of(mcr_isa_best())->name);
    *k = mcr_kernels_of(isa);
    return MCR_OK;
}
