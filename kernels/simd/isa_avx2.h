/* The AVX2 (x86-64-v3: AVX2 + FMA) vocabulary of the kernels/simd sources: 4 double lanes,
 * PCG32 state in 64-bit lanes. AVX2 has no 64x64-bit multiply, rotate or compress, so they are
 * built here from vpmuludq pieces, variable shifts and a permutation table. Compiled with
 * -march=x86-64-v3 so that <sleef.h> declares the avx2 entry points. */
#ifndef MCR_ISA_AVX2_H
#define MCR_ISA_AVX2_H

#include <immintrin.h>
#include <sleef.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernels/pcg32.h"

#define MCR_LANES 4
/* Vectors of a block advanced together: enough independent chains to hide latency, few enough
 * to stay in registers. */
#define MCR_GROUP 4
#define MCR_SUFFIX(name) name##_avx2

typedef __m256d mcr_vd;
typedef __m256i mcr_vq;  /* 64-bit integer lanes */
typedef int mcr_vm;      /* one bit per lane (movmskpd) */
typedef __m256d mcr_vb;  /* lane predicate of comparisons and selects: all-ones lanes */
typedef Sleef___m256d_2 mcr_vd2;

/* SLEEF entry points: only u10/u05/u15 variants (the u35 log has a 30x cliff on some AVX-512
 * CPUs, issue 11); the log of the hot path is the project's own (vmath_simd.h). */
#define mcr_vd_erfc Sleef_erfcd4_u15avx2
#define mcr_vd_sincospi Sleef_sincospid4_u05avx2

/* Memory access is unaligned throughout: blocks and outputs may come from plain malloc, and
 * unaligned loads cost nothing extra on aligned data. */
static inline mcr_vd mcr_vd_set(double x) { return _mm256_set1_pd(x); }
static inline mcr_vd mcr_vd_loadu(const double *p) { return _mm256_loadu_pd(p); }
static inline void mcr_vd_storeu(double *p, mcr_vd x) { _mm256_storeu_pd(p, x); }
static inline mcr_vd mcr_vd_add(mcr_vd a, mcr_vd b) { return _mm256_add_pd(a, b); }
static inline mcr_vd mcr_vd_sub(mcr_vd a, mcr_vd b) { return _mm256_sub_pd(a, b); }
static inline mcr_vd mcr_vd_mul(mcr_vd a, mcr_vd b) { return _mm256_mul_pd(a, b); }
static inline mcr_vd mcr_vd_div(mcr_vd a, mcr_vd b) { return _mm256_div_pd(a, b); }
static inline mcr_vd mcr_vd_min(mcr_vd a, mcr_vd b) { return _mm256_min_pd(a, b); }
static inline mcr_vd mcr_vd_sqrt(mcr_vd a) { return _mm256_sqrt_pd(a); }
static inline mcr_vd mcr_vd_fma(mcr_vd a, mcr_vd b, mcr_vd c) { return _mm256_fmadd_pd(a, b, c); }
static inline mcr_vd mcr_vd_fnma(mcr_vd a, mcr_vd b, mcr_vd c) { return _mm256_fnmadd_pd(a, b, c); }
static inline mcr_vd mcr_vd_abs(mcr_vd a)
{
    return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a);
}
/* |b| with the sign of a (b must be >= 0) */
static inline mcr_vd mcr_vd_copysign(mcr_vd b, mcr_vd a)
{
    return _mm256_or_pd(b, _mm256_and_pd(a, _mm256_set1_pd(-0.0)));
}
static inline mcr_vm mcr_vd_gt(mcr_vd a, mcr_vd b)
{
    return _mm256_movemask_pd(_mm256_cmp_pd(a, b, _CMP_GT_OQ));
}
static inline int mcr_vm_count(mcr_vm m) { return __builtin_popcount((unsigned)m); }

/* Lane predicates and selects: lanes never branch, both sides are computed and blended. */
static inline mcr_vd mcr_vd_zero(void) { return _mm256_setzero_pd(); }
static inline mcr_vd mcr_vd_max(mcr_vd a, mcr_vd b) { return _mm256_max_pd(a, b); }
static inline mcr_vb mcr_vb_gt(mcr_vd a, mcr_vd b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
static inline mcr_vb mcr_vb_ge(mcr_vd a, mcr_vd b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
static inline mcr_vb mcr_vb_lt(mcr_vd a, mcr_vd b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
static inline mcr_vb mcr_vb_le(mcr_vd a, mcr_vd b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
/* Flags and counters as doubles (exact): 4 int32 values, 4 bools (0 or 1). */
static inline mcr_vd mcr_vd_load_i32(const int32_t *p)
{
    return _mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)p));
}
/* Lanes holding whole numbers in int32 range, stored as int32 (the inverse of load_i32). */
static inline void mcr_vd_store_i32(int32_t *p, mcr_vd x)
{
    _mm_storeu_si128((__m128i *)p, _mm256_cvttpd_epi32(x));
}
static inline mcr_vd mcr_vd_load_bool(const bool *p)
{
    int32_t bytes;
    memcpy(&bytes, p, sizeof bytes);
    return _mm256_cvtepi32_pd(_mm_cvtepu8_epi32(_mm_cvtsi32_si128(bytes)));
}
/* The lanes of a predicate as bits, and those bits stored as 4 bools: bit k of the multiplied
 * copies lands alone in byte k (k + 7k = 8k), with no carries. */
static inline unsigned mcr_vb_bits(mcr_vb m) { return (unsigned)_mm256_movemask_pd(m); }
static inline void mcr_bools_store(bool *p, unsigned bits)
{
    uint32_t bytes = (bits * 0x00204081u) & 0x01010101u;
    memcpy(p, &bytes, sizeof bytes);
}
/* a != b, true where either is NaN (as C's !=) */
static inline mcr_vb mcr_vb_ne(mcr_vd a, mcr_vd b) { return _mm256_cmp_pd(a, b, _CMP_NEQ_UQ); }
static inline bool mcr_vb_any(mcr_vb m) { return _mm256_movemask_pd(m) != 0; }
static inline bool mcr_vb_all(mcr_vb m) { return _mm256_movemask_pd(m) == 0xf; }
/* m ? a : b, lane by lane */
static inline mcr_vd mcr_vd_blend(mcr_vb m, mcr_vd a, mcr_vd b)
{
    return _mm256_blendv_pd(b, a, m);
}
static inline mcr_vb mcr_vb_blend(mcr_vb m, mcr_vb a, mcr_vb b)
{
    return _mm256_blendv_pd(b, a, m);
}

/* Permutations of the eight 32-bit halves: MCR_COMPRESS[m] moves the lanes selected by mask m to
 * the front in order; MCR_EXPAND[m] sends packed element k to the k-th selected lane. */
static const int32_t MCR_COMPRESS[16][8] __attribute__((aligned(32))) = {
    {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}, {2, 3, 0, 1, 4, 5, 6, 7},
    {0, 1, 2, 3, 4, 5, 6, 7}, {4, 5, 0, 1, 2, 3, 6, 7}, {0, 1, 4, 5, 2, 3, 6, 7},
    {2, 3, 4, 5, 0, 1, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}, {6, 7, 0, 1, 2, 3, 4, 5},
    {0, 1, 6, 7, 2, 3, 4, 5}, {2, 3, 6, 7, 0, 1, 4, 5}, {0, 1, 2, 3, 6, 7, 4, 5},
    {4, 5, 6, 7, 0, 1, 2, 3}, {0, 1, 4, 5, 6, 7, 2, 3}, {2, 3, 4, 5, 6, 7, 0, 1},
    {0, 1, 2, 3, 4, 5, 6, 7}};
static const int32_t MCR_EXPAND[16][8] __attribute__((aligned(32))) = {
    {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 0, 1, 4, 5, 6, 7},
    {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 0, 1, 6, 7}, {0, 1, 2, 3, 2, 3, 6, 7},
    {0, 1, 0, 1, 2, 3, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 0, 1},
    {0, 1, 2, 3, 4, 5, 2, 3}, {0, 1, 0, 1, 4, 5, 2, 3}, {0, 1, 2, 3, 4, 5, 4, 5},
    {0, 1, 2, 3, 0, 1, 2, 3}, {0, 1, 2, 3, 2, 3, 4, 5}, {0, 1, 0, 1, 2, 3, 4, 5},
    {0, 1, 2, 3, 4, 5, 6, 7}};

/* Lanes selected by m, packed to the front (the rest: the unselected lanes, harmless). */
static inline mcr_vd mcr_vd_compress(mcr_vm m, mcr_vd x)
{
    __m256i perm = _mm256_load_si256((const __m256i *)MCR_COMPRESS[m]);
    return _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(x), perm));
}
/* Inverse of compress: the lanes selected by m take packed[0], packed[1], ... in order. */
static inline mcr_vd mcr_vd_expand(mcr_vd x, mcr_vm m, mcr_vd packed)
{
    __m256i perm = _mm256_load_si256((const __m256i *)MCR_EXPAND[m]);
    mcr_vd spread = _mm256_castsi256_pd(
        _mm256_permutevar8x32_epi32(_mm256_castpd_si256(packed), perm));
    __m256i lane_bit = _mm256_and_si256(_mm256_set1_epi64x(m), _mm256_setr_epi64x(1, 2, 4, 8));
    __m256i sel = _mm256_cmpeq_epi64(lane_bit, _mm256_setr_epi64x(1, 2, 4, 8));
    return _mm256_blendv_pd(x, spread, _mm256_castsi256_pd(sel));
}

static inline mcr_vq mcr_vq_zero(void) { return _mm256_setzero_si256(); }
/* lo = base[idx], hi = base[idx + 1] in every lane: each pair loaded as 16 bytes, then
 * transposed (on AMD Zen 4 this costs half of two gathers). */
static inline void mcr_vd_load_pairs(const double *base, mcr_vq idx, mcr_vd *lo, mcr_vd *hi)
{
    _Alignas(32) int64_t j[4];
    _mm256_store_si256((__m256i *)j, idx);
    __m256d even = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(base + j[0])),
                                        _mm_loadu_pd(base + j[2]), 1);
    __m256d odd = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(base + j[1])),
                                       _mm_loadu_pd(base + j[3]), 1);
    *lo = _mm256_unpacklo_pd(even, odd);
    *hi = _mm256_unpackhi_pd(even, odd);
}
/* Bit patterns of doubles as 64-bit integer lanes and back (vmath_simd.h). */
static inline mcr_vq mcr_vq_of_vd(mcr_vd x) { return _mm256_castpd_si256(x); }
static inline mcr_vd mcr_vd_of_vq(mcr_vq x) { return _mm256_castsi256_pd(x); }
static inline mcr_vq mcr_vq_set(uint64_t x) { return _mm256_set1_epi64x((long long)x); }
static inline mcr_vq mcr_vq_add(mcr_vq a, mcr_vq b) { return _mm256_add_epi64(a, b); }
static inline mcr_vq mcr_vq_sub(mcr_vq a, mcr_vq b) { return _mm256_sub_epi64(a, b); }
static inline mcr_vq mcr_vq_and(mcr_vq a, mcr_vq b) { return _mm256_and_si256(a, b); }
static inline mcr_vq mcr_vq_or(mcr_vq a, mcr_vq b) { return _mm256_or_si256(a, b); }
#define mcr_vq_srli(a, n) _mm256_srli_epi64((a), (n))
static inline mcr_vq mcr_vq_loadu(const uint64_t *p)
{
    return _mm256_loadu_si256((const __m256i *)p);
}
static inline void mcr_vq_storeu(uint64_t *p, mcr_vq x)
{
    _mm256_storeu_si256((__m256i *)p, x);
}

/* x * mult + add (mod 2^64) in every lane. The low 64 bits of the product are
 * lo*lo' + ((hi*lo' + lo*hi') << 32), from three 32x32->64 vpmuludq. */
static inline mcr_vq mcr_vq_mul_add(mcr_vq x, uint64_t mult, mcr_vq add)
{
    const mcr_vq m_lo = _mm256_set1_epi64x((long long)(mult & 0xffffffffu));
    const mcr_vq m_hi = _mm256_set1_epi64x((long long)(mult >> 32));
    mcr_vq lolo = _mm256_mul_epu32(x, m_lo);
    mcr_vq cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), m_lo),
                                    _mm256_mul_epu32(x, m_hi));
    return _mm256_add_epi64(_mm256_add_epi64(lolo, _mm256_slli_epi64(cross, 32)), add);
}

/* One LCG step of every lane: state * MULT + inc (mod 2^64). */
static inline mcr_vq mcr_pcg_step(mcr_vq state, mcr_vq inc)
{
    return mcr_vq_mul_add(state, MCR_PCG32_MULT, inc);
}

/* 64-bit lanes selected by m, packed to the front (as mcr_vd_compress). */
static inline mcr_vq mcr_vq_compress(mcr_vm m, mcr_vq x)
{
    return _mm256_permutevar8x32_epi32(x, _mm256_load_si256((const __m256i *)MCR_COMPRESS[m]));
}

/* XSH-RR output of the old state, in the low 32 bits of each lane (the high 32 are garbage). The
 * rotate is two variable 32-bit shifts; a count of 32 gives 0, so rot = 0 needs no special case. */
static inline mcr_vq mcr_pcg_output(mcr_vq old)
{
    mcr_vq xs = _mm256_srli_epi64(_mm256_xor_si256(_mm256_srli_epi64(old, 18), old), 27);
    mcr_vq rot = _mm256_srli_epi64(old, 59);
    return _mm256_or_si256(_mm256_srlv_epi32(xs, rot),
                           _mm256_sllv_epi32(xs, _mm256_sub_epi64(_mm256_set1_epi64x(32), rot)));
}

static inline void mcr_vq_store_u32(uint32_t *p, mcr_vq x)
{
    __m256i low = _mm256_permutevar8x32_epi32(x, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    _mm_storeu_si128((__m128i *)p, _mm256_castsi256_si128(low));
}

/* (x + 0.5) 2^-32 for the low 32 bits x of each lane, in (0, 1) and exact: x goes into the
 * mantissa of 2^52 (giving 2^52 + x), and one fma scales by 2^-32 and removes 2^52 - 0.5. */
static inline mcr_vd mcr_unit_of_u32(mcr_vq x)
{
    mcr_vq bits = _mm256_blend_epi32(x, _mm256_set1_epi64x(0x4330000000000000LL), 0xaa);
    return _mm256_fmadd_pd(_mm256_castsi256_pd(bits), _mm256_set1_pd(0x1p-32),
                           _mm256_set1_pd(-(0x1p52 - 0.5) * 0x1p-32));
}

#endif
