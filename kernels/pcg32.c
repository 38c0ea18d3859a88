/* PCG32 seeding, O(log n) jumps and per-path stream derivation (the scalar step and output
 * permutation are inline in pcg32.h so that the reference kernels can use them per draw). */
#include "pcg32.h"

void mcr_pcg32_seed(mcr_pcg32 *g, uint64_t initstate, uint64_t initseq)
{
    g->state = 0;
    g->inc = (initseq << 1) | 1u;
    mcr_pcg32_next(g);
    g->state += initstate;
    mcr_pcg32_next(g);
}

/* Brown (1994), "Random number generation with arbitrary strides": compose the affine map
 * s -> a s + c with itself by repeated squaring. The period is 2^64, so a negative delta is the
 * same jump as 2^64 + delta forward, which is what the two's-complement cast gives. */
void mcr_pcg32_advance(mcr_pcg32 *g, int64_t delta)
{
    uint64_t d = (uint64_t)delta;
    uint64_t cur_mult = MCR_PCG32_MULT, cur_plus = g->inc;
    uint64_t acc_mult = 1, acc_plus = 0;
    while (d > 0) {
        if (d & 1) {
            acc_mult *= cur_mult;
            acc_plus = acc_plus * cur_mult + cur_plus;
        }
        cur_plus = (cur_mult + 1) * cur_plus;
        cur_mult *= cur_mult;
        d >>= 1;
    }
    g->state = acc_mult * g->state + acc_plus;
}

/* SplitMix64's output function (Steele, Lea, Flood 2014): a bijective avalanche mix. */
static uint64_t mcr_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* initstate is output number path + 1 of a SplitMix64 generator whose start is the mixed seed, so
 * distinct seeds give unrelated sequences of starting states. */
mcr_pcg32 mcr_pcg32_for_path(uint64_t seed, uint64_t path)
{
    uint64_t initstate = mcr_mix64(mcr_mix64(seed) + (path + 1) * 0x9e3779b97f4a7c15ULL);
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, initstate, path);
    return g;
}

mcr_pcg32 mcr_pcg32_for_asset(uint64_t seed, int asset, uint64_t path)
{
    if (asset == 0)
        return mcr_pcg32_for_path(seed, path);
    uint64_t asset_seed = mcr_mix64(seed ^ ((uint64_t)asset * 0xd1b54a32d192ed03ULL));
    uint64_t initstate = mcr_mix64(mcr_mix64(asset_seed) + (path + 1) * 0x9e3779b97f4a7c15ULL);
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, initstate, path | ((uint64_t)asset << 56));
    return g;
}
