/* Suite fields: the output field registry is consistent (what every loop over it relies on), and
 * its set helpers allocate, mask and aim arrays as they say. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/fields.h"

/* The names a strategy group's attributes must not collide with. */
static const char *const fixed_attrs[] = {"mean", "std", "mean_se", "hedge_effectiveness",
                                          "hist_underflow", "hist_overflow"};

Test(fields, registry_is_consistent)
{
    int baselines = 0;
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        const mcr_field *d = &mcr_fields[f];
        cr_assert(d->name && d->name[0] && d->unit && d->help, "field %d lacks a name or text", f);
        cr_assert_eq(d->summary == MCR_SUMMARY_NONE, d->attr == NULL,
                     "%s: an attribute exactly when there is a summary", d->name);
        cr_assert(!d->column || d->summary != MCR_SUMMARY_NONE,
                  "%s: only summaries (event probabilities, means) are table columns", d->name);
        if (d->baseline) {
            baselines++;
            cr_assert(d->type == MCR_FIELD_F64 && d->summary == MCR_SUMMARY_MEAN, "%s", d->name);
        }
        for (int g = 0; g < f; g++) {
            const mcr_field *e = &mcr_fields[g];
            bool same_group = (!d->group && !e->group) ||
                              (d->group && e->group && !strcmp(d->group, e->group));
            cr_assert(!same_group || strcmp(d->name, e->name), "dataset %s twice", d->name);
            cr_assert(!d->attr || !e->attr || strcmp(d->attr, e->attr), "attribute %s twice",
                      d->attr);
            /* a subgroup's link must not hide a dataset of the strategy group */
            cr_assert(!d->group || e->group || strcmp(d->group, e->name), "%s", d->group);
        }
        for (size_t k = 0; d->attr && k < sizeof fixed_attrs / sizeof fixed_attrs[0]; k++)
            cr_assert_str_neq(d->attr, fixed_attrs[k]);
    }
    cr_assert_eq(baselines, 1, "hedge_effectiveness needs exactly one baseline field");
    /* run.keep: every field has a word, and the words cover every field exactly once */
    uint64_t covered = 0;
    for (int f = 0; f < MCR_N_FIELDS; f++) {
        cr_assert(mcr_fields[f].keep && mcr_fields[f].keep[0], "%s has no run.keep word",
                  mcr_fields[f].name);
        uint64_t m = mcr_field_keep_mask(mcr_fields[f].keep);
        cr_assert(m & MCR_FIELD_BIT(f));
        cr_assert(!(covered & m) || (covered & m) == m, "%s", mcr_fields[f].keep);
        covered |= m;
    }
    cr_assert_eq(covered, MCR_FIELDS_ALL);
    cr_assert_eq(mcr_field_keep_mask("nonsense"), 0);
    cr_assert_eq(mcr_field_keep_mask("greeks"), MCR_FIELD_BIT(MCR_FIELD_NET_DELTA) |
                                                    MCR_FIELD_BIT(MCR_FIELD_NET_GAMMA) |
                                                    MCR_FIELD_BIT(MCR_FIELD_NET_VEGA));
    char words[128];
    cr_assert_str_eq(mcr_field_keep_words(words, sizeof words),
                     "pnl, components, liquidation, trades, greeks, defi");
    cr_assert_eq(mcr_fields[MCR_FIELD_PNL].summary, MCR_SUMMARY_NONE);
    cr_assert_eq(mcr_fields[MCR_FIELD_PNL].type, MCR_FIELD_F64);
    cr_assert(mcr_fields[MCR_FIELD_COMPONENT + MCR_PNL_BOOK].baseline);
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        cr_assert_str_eq(mcr_fields[MCR_FIELD_COMPONENT + k].name, mcr_component_names[k]);
    /* layout 1's attribute names, from the registry */
    cr_assert_str_eq(mcr_fields[MCR_FIELD_LIQUIDATION_STEP].attr, "p_liquidation");
    cr_assert_str_eq(mcr_fields[MCR_FIELD_TRADES].attr, "trades_mean");
    cr_assert_str_eq(mcr_fields[MCR_FIELD_COMPONENT + MCR_PNL_YIELD].attr, "mean_yield");
    cr_assert_str_eq(mcr_fields[MCR_FIELD_NET_VEGA].attr, "net_vega");
}

Test(fields, set_alloc_mask_and_shift)
{
    uint64_t mask = MCR_FIELD_BIT(MCR_FIELD_PNL) | MCR_FIELD_BIT(MCR_FIELD_TRADES) |
                    MCR_FIELD_BIT(MCR_FIELD_LIQUIDATION_STEP);
    mcr_field_set s;
    cr_assert(mcr_field_set_alloc(&s, 100, mask));
    cr_assert_eq(mcr_field_set_mask(&s), mask);
    for (int i = 0; i < 100; i++) {
        ((double *)s.at[MCR_FIELD_PNL])[i] = i + 0.5;
        ((uint32_t *)s.at[MCR_FIELD_TRADES])[i] = (uint32_t)(3 * i);
        ((int32_t *)s.at[MCR_FIELD_LIQUIDATION_STEP])[i] = -i;
    }
    /* the arrays hold paths [5000, 5100): aimed, global path 5000 + i is index i */
    mcr_field_set g = mcr_field_set_shift(&s, 5000);
    cr_assert_eq(mcr_field_set_mask(&g), mask);
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(((double *)g.at[MCR_FIELD_PNL])[5000 + i], i + 0.5);
        cr_assert_eq(((uint32_t *)g.at[MCR_FIELD_TRADES])[5000 + i], (uint32_t)(3 * i));
        cr_assert_eq(((int32_t *)g.at[MCR_FIELD_LIQUIDATION_STEP])[5000 + i], -i);
    }
    mcr_field_set_free(&s);
    cr_assert_eq(mcr_field_set_mask(&s), 0);
    cr_assert_eq(mcr_field_set_mask(&(mcr_field_set){{0}}), 0);
    /* every field, and a set of no paths still has arrays (collective writes need them) */
    cr_assert(mcr_field_set_alloc(&s, 0, MCR_FIELDS_ALL));
    cr_assert_eq(mcr_field_set_mask(&s), MCR_FIELDS_ALL);
    cr_assert_eq(__builtin_popcountll(MCR_FIELDS_ALL), MCR_N_FIELDS);
    mcr_field_set_free(&s);
}
