/* The candidates for the k smallest values (risk/select.h) against a full sort: every value
 * below the k-th smallest is among them and there are at least k, for both signs, on the fast
 * path (a few percent of the sample copied) and on each fallback (small sample, large k, a
 * threshold that misses). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "risk/select.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* a fixed pseudo-random sample (an LCG: the test needs no statistics, only variety) */
static void fill(double *x, uint64_t n, uint64_t seed)
{
    for (uint64_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = (double)(seed >> 11) * 0x1p-53 * 200.0 - 100.0;
    }
}

/* checks the candidates of x[0..n) for k against the sorted sample; returns their count */
static uint64_t check(const double *x, uint64_t n, uint64_t k, bool negate)
{
    double *v = malloc(n * sizeof *v), *out = malloc(n * sizeof *out);
    cr_assert(v && out);
    for (uint64_t i = 0; i < n; i++)
        v[i] = negate ? -x[i] : x[i];
    qsort(v, n, sizeof *v, cmp);
    uint64_t c = mcr_select_candidates(x, n, k, negate, out);
    cr_assert(c >= k && c <= n, "c %llu k %llu", (unsigned long long)c, (unsigned long long)k);
    qsort(out, c, sizeof *out, cmp);
    for (uint64_t i = 0; i < k; i++) /* the k smallest of the candidates are those of x */
        cr_assert_eq(out[i], v[i], "rank %llu: %g != %g", (unsigned long long)i, out[i], v[i]);
    free(v);
    free(out);
    return c;
}

Test(select, fast_path_copies_a_few_percent_and_keeps_the_smallest)
{
    const uint64_t n = 200000;
    double *x = malloc(n * sizeof *x);
    fill(x, n, 7);
    for (int negate = 0; negate < 2; negate++) {
        uint64_t c = check(x, n, 2000, negate); /* 1% */
        cr_assert(c < n / 20, "%llu candidates", (unsigned long long)c);
        c = check(x, n, 1, negate);
        cr_assert(c < n / 100, "%llu candidates", (unsigned long long)c);
    }
    free(x);
}

Test(select, small_samples_and_large_k_copy_everything)
{
    const uint64_t n = 200000;
    double *x = malloc(n * sizeof *x);
    fill(x, n, 11);
    cr_assert_eq(check(x, 1000, 10, false), 1000);
    cr_assert_eq(check(x, n, n / 4, true), n);
    cr_assert_eq(check(x, n, n, false), n);
    free(x);
}

/* The strided sample sees only tiny values (every n / 2048-th), so its threshold keeps fewer
 * than k: the pass falls back to every value. */
Test(select, a_threshold_that_misses_falls_back)
{
    const uint64_t n = 204800, S = 2048;
    double *x = malloc(n * sizeof *x);
    fill(x, n, 3);
    for (uint64_t i = 0; i < S; i++)
        x[i * n / S] = -1e9 - (double)i;
    cr_assert_eq(check(x, n, n / 20, false), n);
    free(x);
}

Test(select, kth_smallest_of)
{
    const uint64_t n = 100000;
    double *x = malloc(n * sizeof *x), *v = malloc(n * sizeof *v), *s = malloc(n * sizeof *s);
    fill(x, n, 5);
    for (uint64_t i = 0; i < n; i++)
        v[i] = x[i];
    qsort(v, n, sizeof *v, cmp);
    uint64_t ks[] = {1, 50, 1000, 5000, n / 2, n};
    for (int i = 0; i < 6; i++)
        cr_assert_eq(mcr_kth_smallest_of(x, n, ks[i], s), v[ks[i] - 1]);
    free(x);
    free(v);
    free(s);
}
