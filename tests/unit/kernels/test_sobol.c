/* Sobol generator: the unscrambled sequence against scipy's, the Gray-code recursion against the
 * direct formula, and the properties the randomisation must keep (net stratification, uniform
 * points, reproducible and distinct randomisations, no 0 or 1). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sobol.h"

/* scipy.stats.qmc.Sobol(4096, scramble=False, bits=32) x 2^32 (python3-scipy 1.10.1-2), printed by
 * `/usr/bin/python3 scripts/gen_sobol_table.py --reference`: dimensions 0, 1, 2, 3, 100, 1000,
 * 2919, 4095 (0-based) at these point indices. Indices >= 2^16 XOR scipy's own 32-bit direction
 * numbers over the Gray code (fast_forward is O(n) in scipy); the script checks that both agree. */
static const int ref_dims[8] = {0, 1, 2, 3, 100, 1000, 2919, 4095};
static const struct {
    uint64_t index;
    uint32_t x[8];
} ref[] = {
    {0u, {0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u}},
    {1u, {2147483648u, 2147483648u, 2147483648u, 2147483648u, 2147483648u, 2147483648u,
          2147483648u, 2147483648u}},
    {2u, {3221225472u, 1073741824u, 1073741824u, 1073741824u, 1073741824u, 1073741824u,
          3221225472u, 1073741824u}},
    {3u, {1073741824u, 3221225472u, 3221225472u, 3221225472u, 3221225472u, 3221225472u,
          1073741824u, 3221225472u}},
    {5u, {3758096384u, 3758096384u, 536870912u, 1610612736u, 536870912u, 1610612736u,
          2684354560u, 3758096384u}},
    {100u, {1778384896u, 1107296256u, 3321888768u, 3120562176u, 167772160u, 2449473536u,
            1375731712u, 100663296u}},
    {1000u, {943718400u, 415236096u, 2227175424u, 2906652672u, 3300917248u, 2428502016u,
             3133145088u, 1614807040u}},
    {65535u, {65536u, 4294901760u, 2421489664u, 3271884800u, 2800418816u, 3145662464u,
              4095672320u, 537722880u}},
    {1000000u, {113709056u, 1339682816u, 3556216832u, 2870095872u, 169308160u, 4219416576u,
                3583217664u, 3706884096u}},
    {2147483648u, {3u, 1431655765u, 1258339259u, 1879506993u, 1593891981u, 1620501061u,
                   3000065631u, 3562977619u}},
    {3141592653u, {3601401703u, 3786301689u, 83550855u, 3216287653u, 2883373961u, 3723467049u,
                   1638984139u, 1994017159u}},
    {4294967295u, {1u, 4294967295u, 3305133397u, 1342505107u, 692223879u, 1056171479u,
                   11561397u, 2713527013u}},
};

Test(sobol, table_layout)
{
    /* every dimension's polynomial has its trailing 1 and its degree's m's are in the flat array */
    uint64_t total = 0;
    for (int d = 0; d < MCR_SOBOL_MAX_DIMS; d++) {
        cr_assert(mcr_sobol_poly[d] & 1u, "dimension %d: polynomial without constant term", d);
        total += (uint64_t)(31 - __builtin_clz(mcr_sobol_poly[d]));
    }
    cr_assert_eq(total, (uint64_t)mcr_sobol_m_count);
}

Test(sobol, unscrambled_matches_scipy)
{
    mcr_sobol s;
    cr_assert_eq(mcr_sobol_init(&s, MCR_SOBOL_MAX_DIMS, 0, 0, 0, NULL), MCR_OK);
    uint32_t *x = malloc(sizeof(uint32_t) * MCR_SOBOL_MAX_DIMS);
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        mcr_sobol_point(&s, ref[i].index, x);
        for (int k = 0; k < 8; k++)
            cr_assert_eq(x[ref_dims[k]], ref[i].x[k], "index %llu dimension %d: %u, scipy %u",
                         (unsigned long long)ref[i].index, ref_dims[k], x[ref_dims[k]],
                         ref[i].x[k]);
    }
    free(x);
    mcr_sobol_free(&s);
}

/* next() from any start equals the direct formula, scrambled or not, including across 2^k. */
Test(sobol, gray_recursion_matches_direct)
{
    enum { dims = 300 };
    static uint32_t x[dims], y[dims];
    const uint64_t starts[] = {0, 1000, 65530, 4294967000u};
    for (int randomise = 0; randomise < 2; randomise++) {
        mcr_sobol s;
        cr_assert_eq(mcr_sobol_init(&s, dims, randomise, 7, 3, NULL), MCR_OK);
        for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
            mcr_sobol_point(&s, starts[k], x);
            for (uint64_t n = starts[k]; n < starts[k] + 200; n++) {
                mcr_sobol_next(&s, n, x);
                mcr_sobol_point(&s, n + 1, y);
                cr_assert_eq(memcmp(x, y, sizeof x), 0, "index %llu", (unsigned long long)n + 1);
            }
        }
        mcr_sobol_free(&s);
    }
}

/* Scrambling keeps the net property (Matousek 1998): the first 2^m points of every dimension hold
 * exactly one point in each interval [i 2^-m, (i+1) 2^-m), and dimensions 0 and 1 (a (0, m, 2)-net)
 * one point in every elementary box 2^-a x 2^-(m-a). Deterministic, no tolerance. */
Test(sobol, scrambled_nets_stay_stratified)
{
    enum { dims = 365, m = 10, n = 1 << m };
    static uint32_t x[dims];
    static unsigned char seen[dims][n];
    static uint32_t pts[n][2];
    memset(seen, 0, sizeof seen);
    mcr_sobol s;
    cr_assert_eq(mcr_sobol_init(&s, dims, 1, 42, 5, NULL), MCR_OK);
    mcr_sobol_point(&s, 0, x);
    for (int i = 0; i < n; i++) {
        if (i > 0)
            mcr_sobol_next(&s, (uint64_t)i - 1, x);
        for (int j = 0; j < dims; j++)
            seen[j][x[j] >> (32 - m)]++;
        pts[i][0] = x[0];
        pts[i][1] = x[1];
    }
    for (int j = 0; j < dims; j++)
        for (int c = 0; c < n; c++)
            cr_assert_eq(seen[j][c], 1, "dimension %d, cell %d holds %d points", j, c, seen[j][c]);
    for (int a = 0; a <= m; a++) {
        static unsigned char box[n];
        memset(box, 0, sizeof box);
        for (int i = 0; i < n; i++) {
            uint32_t hi = a ? pts[i][0] >> (32 - a) : 0;
            uint32_t lo = a < m ? pts[i][1] >> (32 - (m - a)) : 0;
            box[(hi << (m - a)) | lo]++;
        }
        for (int c = 0; c < n; c++)
            cr_assert_eq(box[c], 1, "boxes 2^-%d x 2^-%d: box %d holds %d", a, m - a, c, box[c]);
    }
    mcr_sobol_free(&s);
}

/* A randomised point is uniform: over 4096 randomisations, point 12345 of dimension 7 has mean 1/2
 * and variance 1/12 (within 4 se: se of the mean sqrt(1/12/4096), of the variance
 * sqrt((1/80 - 1/144)/4096) for a uniform). Randomisations are reproducible and distinct. */
Test(sobol, randomised_points_are_uniform)
{
    enum { reps = 4096, dims = 8 };
    uint32_t x[dims], y[dims];
    double sum = 0.0, sum2 = 0.0;
    for (int r = 0; r < reps; r++) {
        mcr_sobol s;
        cr_assert_eq(mcr_sobol_init(&s, dims, 1, 2024, (uint64_t)r, NULL), MCR_OK);
        mcr_sobol_point(&s, 12345, x);
        double u = mcr_sobol_uniform(x[7]);
        sum += u;
        sum2 += u * u;
        mcr_sobol_free(&s);
    }
    double mean = sum / reps, var = sum2 / reps - mean * mean;
    cr_assert_leq(fabs(mean - 0.5), 4 * sqrt(1.0 / 12 / reps), "mean %g", mean);
    cr_assert_leq(fabs(var - 1.0 / 12), 4 * sqrt((1.0 / 80 - 1.0 / 144) / reps), "var %g", var);

    mcr_sobol a, b, c;
    mcr_sobol_init(&a, dims, 1, 2024, 1, NULL);
    mcr_sobol_init(&b, dims, 1, 2024, 1, NULL);
    mcr_sobol_init(&c, dims, 1, 2024, 2, NULL);
    mcr_sobol_point(&a, 777, x);
    mcr_sobol_point(&b, 777, y);
    cr_assert_eq(memcmp(x, y, sizeof x), 0, "same (seed, randomisation), different points");
    mcr_sobol_point(&c, 777, y);
    cr_assert_neq(memcmp(x, y, sizeof x), 0, "randomisations 1 and 2 gave the same point");
    mcr_sobol_free(&a);
    mcr_sobol_free(&b);
    mcr_sobol_free(&c);
}

Test(sobol, never_zero_or_one)
{
    cr_assert_gt(mcr_sobol_uniform(0), 0.0);
    cr_assert_lt(mcr_sobol_uniform(UINT32_MAX), 1.0);
    uint32_t x[2] = {0, UINT32_MAX};
    double z[2];
    mcr_sobol_normals(x, 2, z);
    cr_assert(isfinite(z[0]) && isfinite(z[1]) && z[0] < -6.0 && z[1] > 6.0);
    cr_assert_eq(z[0], -z[1]); /* (x + 0.5) 2^-32 is symmetric about 1/2, and so is AS241 */
}

Test(sobol, bad_dimensions_fail)
{
    mcr_sobol s;
    mcr_error err = {0};
    cr_assert_eq(mcr_sobol_init(&s, 0, 1, 1, 0, &err), MCR_ERR_INPUT);
    cr_assert_eq(mcr_sobol_init(&s, MCR_SOBOL_MAX_DIMS + 1, 1, 1, 0, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "1 .. 4096") != NULL, "%s", err.msg);
}
