/* PCG32: the published pcg-c stream (seed 42, stream 54), jumps in both directions, per-path
 * seeding of blocks, and every vector ISA's lanes bit-exact with the scalar generator. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>

#include "kernels/kernels.h"
#include "kernels/paths.h"
#include "kernels/pcg32.h"

/* pcg-c test-high/expected/check-pcg32.out, round 1 (pcg32_srandom_r(42, 54)). */
static const uint32_t golden[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                   0x83d2f293, 0xbfa4784b, 0xcbed606e};

Test(pcg32, published_stream)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, 42, 54);
    cr_assert_eq(g.inc, (54u << 1) | 1u);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(mcr_pcg32_next(&g), golden[i], "output %d", i);
}

Test(pcg32, advance_back_replays)
{
    mcr_pcg32 g;
    mcr_pcg32_seed(&g, 42, 54);
    for (int i = 0; i < 6; i++)
        mcr_pcg32_next(&g);
    mcr_pcg32_advance(&g, -6); /* pcg-c's "Again:" line */
    for (int i = 0; i < 6; i++)
        cr_assert_eq(mcr_pcg32_next(&g), golden[i], "output %d after advance(-6)", i);
}

Test(pcg32, advance_equals_steps)
{
    const int64_t n = 1000003;
    mcr_pcg32 stepped, jumped;
    mcr_pcg32_seed(&stepped, 42, 54);
    jumped = stepped;
    for (int64_t i = 0; i < n; i++)
        mcr_pcg32_next(&stepped);
    mcr_pcg32_advance(&jumped, n);
    cr_assert_eq(jumped.state, stepped.state);
    cr_assert_eq(mcr_pcg32_next(&jumped), mcr_pcg32_next(&stepped));

    /* a long jump back and forth is the identity; advance(0) does nothing */
    mcr_pcg32 g = jumped;
    mcr_pcg32_advance(&g, -((int64_t)1 << 62));
    cr_assert_neq(g.state, jumped.state);
    mcr_pcg32_advance(&g, (int64_t)1 << 62);
    mcr_pcg32_advance(&g, 0);
    cr_assert_eq(g.state, jumped.state);
}

Test(pcg32, block_init_seeds_each_path)
{
    mcr_block b;
    mcr_block_init(&b, 7, 1000, 4.5);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(7, 1000 + (uint64_t)i);
        cr_assert_eq(b.rng_state[i], g.state);
        cr_assert_eq(b.rng_inc[i], g.inc);
        cr_assert_eq(b.rng_inc[i], 2 * (1000 + (uint64_t)i) + 1, "stream = global path index");
        cr_assert_eq(b.log_price[i], 4.5);
    }
    /* the seed moves every path's starting state */
    mcr_block c;
    mcr_block_init(&c, 8, 1000, 4.5);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++)
        cr_assert_neq(c.rng_state[i], b.rng_state[i]);
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

ParameterizedTestParameters(pcg32, lanes_match_scalar)
{
    static mcr_isa isas[] = {MCR_ISA_SCALAR, MCR_ISA_AVX2, MCR_ISA_AVX512};
    return cr_make_param_array(mcr_isa, isas, sizeof isas / sizeof isas[0]);
}

/* Every lane of the table's uniform32 follows its own path's scalar stream, across two calls. */
ParameterizedTest(mcr_isa *isa, pcg32, lanes_match_scalar)
{
    const mcr_kernels *k = require_isa(*isa);
    enum { first = 7, rest = 250, per_path = first + rest };
    uint32_t *out = malloc(sizeof(uint32_t) * per_path * MCR_BLOCK_PATHS);
    cr_assert_not_null(out);
    mcr_block b;
    mcr_block_init(&b, 42, 3 * MCR_BLOCK_PATHS, 0.0);
    k->uniform32(&b, out, first);
    k->uniform32(&b, out + first * MCR_BLOCK_PATHS, rest);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(42, 3 * MCR_BLOCK_PATHS + (uint64_t)i);
        for (int j = 0; j < per_path; j++) {
            uint32_t want = mcr_pcg32_next(&g);
            cr_assert_eq(out[j * MCR_BLOCK_PATHS + i], want, "%s lane %d output %d", k->name,
                         i, j);
        }
        cr_assert_eq(b.rng_state[i], g.state, "%s lane %d final state", k->name, i);
    }
    free(out);
}
