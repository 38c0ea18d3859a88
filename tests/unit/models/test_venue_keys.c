/* The key rows of the venue and DeFi models (amm, lending, peg, venue_default, option_fees,
 * basis): every row has a unit and a one-line help, and each model's check applies every numeric
 * row, so a value outside a row's range fails with that row's message. That is what makes the
 * rows the one source of each range when the structs become config keys (issues 12 and 13). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/keys.h"
#include "models/amm.h"
#include "models/basis.h"
#include "models/lending.h"
#include "models/option_fees.h"
#include "models/peg.h"
#include "models/venue_default.h"

typedef mcr_status (*check_fn)(const void *p, const char *where, mcr_error *err);

static mcr_status amm_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_amm_pool_check(p, w, e);
}
static mcr_status loan_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_loan_params_check(p, w, e);
}
static mcr_status peg_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_peg_params_check(p, w, e);
}
static mcr_status venue_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_venue_check(p, w, e);
}
static mcr_status fee_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_option_fee_check(p, w, e);
}
static mcr_status basis_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_basis_params_check(p, w, e);
}
static mcr_status funding_check(const void *p, const char *w, mcr_error *e)
{
    return mcr_premium_funding_check(p, w, e);
}

/* Valid values of each struct (a concentrated pool, so the range rows are read). */
static const mcr_amm_pool pool = {MCR_AMM_CONCENTRATED, 0.0005, 2.0, 0.8, 1.25};
static const mcr_loan_params loan = {0.825, 0.05, 0.5, 0.95, 0.05, 0.02};
static const mcr_peg_params peg = {2, 0.05, 20, 3};
static const mcr_venue_failure venue = {0.02, 0.1, INFINITY};
static const mcr_option_fee fee = {0.0003, 0.125, 0.00015, 0.125};
static const mcr_basis_params basis = {36.5, 0.05, 0.2};
static const mcr_premium_funding funding = {8, 0.0001, 0.0075, 0.0005};

typedef struct table {
    const char *name;
    const mcr_key *keys;
    const void *valid;
    size_t size;
    check_fn check;
} table;

static const table tables[] = {
    {"amm_pool", mcr_amm_pool_keys, &pool, sizeof pool, amm_check},
    {"loan_params", mcr_loan_params_keys, &loan, sizeof loan, loan_check},
    {"peg_params", mcr_peg_params_keys, &peg, sizeof peg, peg_check},
    {"venue", mcr_venue_keys, &venue, sizeof venue, venue_check},
    {"option_fee", mcr_option_fee_keys, &fee, sizeof fee, fee_check},
    {"basis_params", mcr_basis_params_keys, &basis, sizeof basis, basis_check},
    {"premium_funding", mcr_premium_funding_keys, &funding, sizeof funding, funding_check},
};
#define N_TABLES (int)(sizeof tables / sizeof tables[0])

Test(venue_keys, every_row_has_unit_help_and_range)
{
    for (int t = 0; t < N_TABLES; t++) {
        const table *tb = &tables[t];
        int n = mcr_keys_count(tb->keys);
        cr_expect(n >= 2, "%s: %d rows", tb->name, n);
        for (int i = 0; i < n; i++) {
            const mcr_key *k = &tb->keys[i];
            cr_expect(k->unit && k->unit[0], "%s.%s: no unit", tb->name, k->name);
            cr_expect(k->help && k->help[0] && !strchr(k->help, '\n'),
                      "%s.%s: help must be one non-empty line", tb->name, k->name);
            size_t width = k->type == MCR_KEY_FLOAT ? sizeof(double) : sizeof(int);
            cr_expect(k->offset + width <= tb->size, "%s.%s: offset %zu outside the struct (%zu)",
                      tb->name, k->name, k->offset, tb->size);
            for (int j = 0; j < i; j++)
                cr_expect(strcmp(k->name, tb->keys[j].name) != 0, "%s: %s twice", tb->name,
                          k->name);
            if (k->type == MCR_KEY_FLOAT)
                cr_expect((k->flags & MCR_RANGE_CLOSED) == MCR_RANGE_CLOSED,
                          "%s.%s: a bounded range on both sides", tb->name, k->name);
        }
        mcr_error err = {0};
        cr_expect(tb->check(tb->valid, "x", &err) == MCR_OK, "%s: %s", tb->name, err.msg);
    }
}

/* Each FLOAT row: just above its max, just below its min (or the min itself when open) and NaN
 * each fail the model's check with the row's message, and the row's bounds themselves (when
 * closed) pass. */
Test(venue_keys, checks_apply_every_row)
{
    for (int t = 0; t < N_TABLES; t++) {
        const table *tb = &tables[t];
        for (const mcr_key *k = tb->keys; k->name; k++) {
            if (k->type != MCR_KEY_FLOAT)
                continue;
            double step = 1e-3 * (1 + fabs(k->min));
            double lo_bad = k->flags & MCR_KEY_MIN_OPEN ? k->min : k->min - step;
            double hi_bad = k->max + 1e-3 * (1 + fabs(k->max));
            const double bad[] = {lo_bad, hi_bad, NAN};
            for (int b = 0; b < 3; b++) {
                unsigned char buf[256];
                cr_assert(tb->size <= sizeof buf);
                memcpy(buf, tb->valid, tb->size);
                memcpy(buf + k->offset, &bad[b], sizeof(double));
                mcr_error err = {0};
                mcr_status s = tb->check(buf, "pos[3]", &err);
                char expected[256], want[320], got[40];
                mcr_key_expected(k, expected, sizeof expected);
                snprintf(want, sizeof want, "pos[3].%s: must be %s (got %s)", k->name, expected,
                         mcr_key_number_text(bad[b], got, sizeof got));
                cr_expect(s == MCR_ERR_INPUT && strcmp(err.msg, want) == 0,
                          "%s.%s = %g: got \"%s\", expected \"%s\"", tb->name, k->name, bad[b],
                          err.msg, want);
            }
            /* a closed lower bound itself passes (the upper bounds are not tried: cross-key
             * rules such as upper > lower or LT x (1 + bonus) <= 1 may refuse them) */
            if (!(k->flags & MCR_KEY_MIN_OPEN)) {
                unsigned char buf[256];
                memcpy(buf, tb->valid, tb->size);
                memcpy(buf + k->offset, &k->min, sizeof(double));
                mcr_error err = {0};
                cr_expect(tb->check(buf, "pos[3]", &err) == MCR_OK, "%s.%s = min %g: %s",
                          tb->name, k->name, k->min, err.msg);
            }
        }
    }
}
