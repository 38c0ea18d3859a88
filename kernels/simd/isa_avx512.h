/* The AVX-512 (x86-64-v4) vocabulary of the kernels/simd sources: 8 double lanes, PCG32 state in
 * 64-bit lanes. Uses AVX512F and AVX512DQ (vpmullq); the translation unit is compiled with
 * -march=x86-64-v4 (which adds BW, CD and VL, so dispatch checks the whole level), which is also
 * what makes <sleef.h> declare the avx512f entry points. */
#ifndef MCR_ISA_AVX512_H
#define MCR_ISA_AVX512_H

#include <immintrin.h>
#include <sleef.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernels/pcg32.h"

#define MCR_LANES 8
/* Vectors of a block advanced together: enough independent chains to hide latency, few enough
 * to stay in registers. */
#define MCR_GROUP 8
#define MCR_SUFFIX(name) name##_avx512

typedef __m512d mcr_vd;
typedef __m512i mcr_vq;   /* 64-bit integer lanes */
typedef __mmask8 mcr_vm;  /* one bit per lane */
typedef __mmask8 mcr_vb;  /* lane predicate of comparisons and selects (here the same bits) */
typedef Sleef___m512d_2 mcr_vd2;

/* SLEEF entry points: only u10/u05/u15 variants (the u35 log costs ~22 ns per element on AMD
 * EPYC Zen 4, against 0.8 ns for u10: issue 11); the log of the hot path is the project's own
 * (vmath_simd.h). */
#define mcr_vd_erfc Sleef_erfcd8_u15avx512f
#define mcr_vd_sincospi Sleef_sincospid8_u05avx512f

/* Memory access is unaligned throughout: blocks and outputs may come from plain malloc, and
 * unaligned loads cost nothing extra on aligned data. */
static inline mcr_vd mcr_vd_set(double x) { return _mm512_set1_pd(x); }
static inline mcr_vd mcr_vd_loadu(const double *p) { return _mm512_loadu_pd(p); }
static inline void mcr_vd_storeu(double *p, mcr_vd x) { _mm512_storeu_pd(p, x); }
static inline mcr_vd mcr_vd_add(mcr_vd a, mcr_vd b) { return _mm512_add_pd(a, b); }
static inline mcr_vd mcr_vd_sub(mcr_vd a, mcr_vd b) { return _mm512_sub_pd(a, b); }
static inline mcr_vd mcr_vd_mul(mcr_vd a, mcr_vd b) { return _mm512_mul_pd(a, b); }
static inline mcr_vd mcr_vd_div(mcr_vd a, mcr_vd b) { return _mm512_div_pd(a, b); }
static inline mcr_vd mcr_vd_min(mcr_vd a, mcr_vd b) { return _mm512_min_pd(a, b); }
static inline mcr_vd mcr_vd_sqrt(mcr_vd a) { return _mm512_sqrt_pd(a); }
static inline mcr_vd mcr_vd_fma(mcr_vd a, mcr_vd b, mcr_vd c) { return _mm512_fmadd_pd(a, b, c); }
static inline mcr_vd mcr_vd_fnma(mcr_vd a, mcr_vd b, mcr_vd c) { return _mm512_fnmadd_pd(a, b, c); }
static inline mcr_vd mcr_vd_abs(mcr_vd a) { return _mm512_abs_pd(a); }
/* |b| with the sign of a */
static inline mcr_vd mcr_vd_copysign(mcr_vd b, mcr_vd a)
{
    return _mm512_castsi512_pd(_mm512_ternarylogic_epi64(_mm512_castpd_si512(a),
        _mm512_castpd_si512(b), _mm512_set1_epi64(INT64_MIN), 0xe4)); /* c ? a : b */
}
static inline mcr_vm mcr_vd_gt(mcr_vd a, mcr_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
static inline int mcr_vm_count(mcr_vm m) { return __builtin_popcount(m); }

/* Lane predicates and selects: lanes never branch, both sides are computed and blended. */
static inline mcr_vd mcr_vd_zero(void) { return _mm512_setzero_pd(); }
static inline mcr_vd mcr_vd_max(mcr_vd a, mcr_vd b) { return _mm512_max_pd(a, b); }
static inline mcr_vb mcr_vb_gt(mcr_vd a, mcr_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
static inline mcr_vb mcr_vb_ge(mcr_vd a, mcr_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
static inline mcr_vb mcr_vb_lt(mcr_vd a, mcr_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
static inline mcr_vb mcr_vb_le(mcr_vd a, mcr_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
/* Flags and counters as doubles (exact): 8 int32 values, 8 bools (0 or 1). */
static inline mcr_vd mcr_vd_load_i32(const int32_t *p)
{
    return _mm512_cvtepi32_pd(_mm256_loadu_si256((const __m256i *)p));
}
/* Lanes holding whole numbers in int32 range, stored as int32 (the inverse of load_i32). */
static inline void mcr_vd_store_i32(int32_t *p, mcr_vd x)
{
    _mm256_storeu_si256((__m256i *)p, _mm512_cvttpd_epi32(x));
}
static inline mcr_vd mcr_vd_load_bool(const bool *p)
{
    return _mm512_cvtepi32_pd(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
}
/* The lanes of a predicate as bits, and those bits stored as 8 bools (AVX512BW/VL byte mask). */
static inline unsigned mcr_vb_bits(mcr_vb m) { return m; }
static inline void mcr_bools_store(bool *p, unsigned bits)
{
    _mm_storel_epi64((__m128i *)p, _mm_maskz_set1_epi8((__mmask16)bits, 1));
}
/* a != b, true where either is NaN (as C's !=) */
static inline mcr_vb mcr_vb_ne(mcr_vd a, mcr_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_UQ); }
static inline bool mcr_vb_any(mcr_vb m) { return m != 0; }
static inline bool mcr_vb_all(mcr_vb m) { return m == 0xff; }
/* m ? a : b, lane by lane */
static inline mcr_vd mcr_vd_blend(mcr_vb m, mcr_vd a, mcr_vd b)
{
    return _mm512_mask_blend_pd(m, b, a);
}
static inline mcr_vb mcr_vb_blend(mcr_vb m, mcr_vb a, mcr_vb b) { return (m & a) | (~m & b); }

/* Lanes selected by m, packed to the front of the result; the rest is zero. */
static inline mcr_vd mcr_vd_compress(mcr_vm m, mcr_vd x) { return _mm512_maskz_compress_pd(m, x); }
/* Inverse of compress: the lanes selected by m take packed[0], packed[1], ... in order. */
static inline mcr_vd mcr_vd_expand(mcr_vd x, mcr_vm m, mcr_vd packed)
{
    return _mm512_mask_expand_pd(x, m, packed);
}

static inline mcr_vq mcr_vq_zero(void) { return _mm512_setzero_si512(); }
/* lo = base[idx], hi = base[idx + 1] in every lane: each pair loaded as 16 bytes, then
 * transposed (on AMD Zen 4 this costs half of two gathers). */
static inline __m256d mcr_pairs_of(const double *base, int64_t j0, int64_t j1)
{
    return _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(base + j0)),
                                _mm_loadu_pd(base + j1), 1);
}
static inline void mcr_vd_load_pairs(const double *base, mcr_vq idx, mcr_vd *lo, mcr_vd *hi)
{
    _Alignas(64) int64_t j[8];
    _mm512_store_si512(j, idx);
    __m512d even = _mm512_insertf64x4(_mm512_castpd256_pd512(mcr_pairs_of(base, j[0], j[2])),
                                      mcr_pairs_of(base, j[4], j[6]), 1);
    __m512d odd = _mm512_insertf64x4(_mm512_castpd256_pd512(mcr_pairs_of(base, j[1], j[3])),
                                     mcr_pairs_of(base, j[5], j[7]), 1);
    *lo = _mm512_unpacklo_pd(even, odd);
    *hi = _mm512_unpackhi_pd(even, odd);
}
/* Bit patterns of doubles as 64-bit integer lanes and back (vmath_simd.h). */
static inline mcr_vq mcr_vq_of_vd(mcr_vd x) { return _mm512_castpd_si512(x); }
static inline mcr_vd mcr_vd_of_vq(mcr_vq x) { return _mm512_castsi512_pd(x); }
static inline mcr_vq mcr_vq_set(uint64_t x) { return _mm512_set1_epi64((long long)x); }
static inline mcr_vq mcr_vq_add(mcr_vq a, mcr_vq b) { return _mm512_add_epi64(a, b); }
static inline mcr_vq mcr_vq_sub(mcr_vq a, mcr_vq b) { return _mm512_sub_epi64(a, b); }
static inline mcr_vq mcr_vq_and(mcr_vq a, mcr_vq b) { return _mm512_and_si512(a, b); }
static inline mcr_vq mcr_vq_or(mcr_vq a, mcr_vq b) { return _mm512_or_si512(a, b); }
#define mcr_vq_srli(a, n) _mm512_srli_epi64((a), (n))
static inline mcr_vq mcr_vq_loadu(const uint64_t *p) { return _mm512_loadu_si512(p); }
static inline void mcr_vq_storeu(uint64_t *p, mcr_vq x) { _mm512_storeu_si512(p, x); }

/* x * mult + add (mod 2^64) in every lane, vpmullq. */
static inline mcr_vq mcr_vq_mul_add(mcr_vq x, uint64_t mult, mcr_vq add)
{
    return _mm512_add_epi64(_mm512_mullo_epi64(x, _mm512_set1_epi64((long long)mult)), add);
}

/* One LCG step of every lane: state * MULT + inc (mod 2^64). */
static inline mcr_vq mcr_pcg_step(mcr_vq state, mcr_vq inc)
{
    return mcr_vq_mul_add(state, MCR_PCG32_MULT, inc);
}

/* 64-bit lanes selected by m, packed to the front; the rest is zero. */
static inline mcr_vq mcr_vq_compress(mcr_vm m, mcr_vq x)
{
    return _mm512_maskz_compress_epi64(m, x);
}

/* XSH-RR output of the old state, in the low 32 bits of each lane (the high 32 are garbage). The
 * rotate works on 32-bit elements: the low element of each lane holds xorshifted and its count. */
static inline mcr_vq mcr_pcg_output(mcr_vq old)
{
    mcr_vq xs = _mm512_srli_epi64(_mm512_xor_si512(_mm512_srli_epi64(old, 18), old), 27);
    return _mm512_rorv_epi32(xs, _mm512_srli_epi64(old, 59));
}

static inline void mcr_vq_store_u32(uint32_t *p, mcr_vq x)
{
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtepi64_epi32(x));
}

/* (x + 0.5) 2^-32 for the low 32 bits x of each lane, in (0, 1) and exact: x goes into the
 * mantissa of 2^52 (giving 2^52 + x), and one fma scales by 2^-32 and removes 2^52 - 0.5. */
static inline mcr_vd mcr_unit_of_u32(mcr_vq x)
{
    mcr_vq bits = _mm512_mask_blend_epi32(0xaaaa, x, _mm512_set1_epi64(0x4330000000000000LL));
    return _mm512_fmadd_pd(_mm512_castsi512_pd(bits), _mm512_set1_pd(0x1p-32),
                           _mm512_set1_pd(-(0x1p52 - 0.5) * 0x1p-32));
}

#endif
