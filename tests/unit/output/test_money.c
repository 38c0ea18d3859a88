/* Amounts as the table prints them (output/money.h): thousands separators, the currency's
 * precision, rounding to the standard error, no "-0". The cases are python/mcrisk/units.py's
 * documented examples, so the binary's table and the Python package's agree. */
#include <criterion/criterion.h>
#include <math.h>

#include "output/money.h"

static const char *money(double v, int d)
{
    static char buf[64];
    return mcr_money(buf, sizeof buf, v, d);
}

static const char *money_se(double v, double se, int d)
{
    static char buf[96];
    return mcr_money_se(buf, sizeof buf, v, se, d);
}

Test(money, separators_and_precision)
{
    cr_expect_str_eq(money(1234.5, 2), "1,234.50");
    cr_expect_str_eq(money(-1234567.891, 0), "-1,234,568");
    cr_expect_str_eq(money(999.996, 2), "1,000.00");
    cr_expect_str_eq(money(100, 2), "100.00");
    cr_expect_str_eq(money(0.123456789, 8), "0.12345679");
    cr_expect_str_eq(money(-0.001, 2), "0.00"); /* rounds to zero: no sign */
    cr_expect_str_eq(money(NAN, 2), "-");
    cr_expect_str_eq(money(123456789012.0, 0), "123,456,789,012");
}

Test(money, rounded_to_the_standard_error)
{
    cr_expect_str_eq(money_se(46184.6, 848.72, 2), "46,185 +- 849");
    cr_expect_str_eq(money_se(0.25, 0.36, 2), "0.25 +- 0.36");
    cr_expect_str_eq(money_se(-2970441.4985, 19192.51, 2), "-2,970,441 +- 19,193");
    cr_expect_str_eq(money_se(1.23456, 0.0123, 2), "1.23 +- 0.01"); /* never finer than cents */
    cr_expect_str_eq(money_se(1.23456, 0.0123, 8), "1.235 +- 0.012");
    cr_expect_str_eq(money_se(1492581.6879, 0.0, 2), "1,492,581.69 +- 0.00"); /* exact */
    cr_expect_str_eq(money_se(5.0, NAN, 2), "5.00");
}

Test(money, currencies_levels_percentages)
{
    cr_expect_eq(mcr_money_decimals("USD"), 2);
    cr_expect_eq(mcr_money_decimals("usdc"), 2);
    cr_expect_eq(mcr_money_decimals("BTC"), 8);
    cr_expect_eq(mcr_money_decimals("JPY"), 0);
    cr_expect_eq(mcr_money_decimals("XYZ"), 2);
    char buf[32];
    cr_expect_str_eq(mcr_level_text(buf, sizeof buf, 0.99), "99%");
    cr_expect_str_eq(mcr_level_text(buf, sizeof buf, 0.995), "99.5%");
    cr_expect_str_eq(mcr_percent(buf, sizeof buf, 0.12345), "12.35%");
    cr_expect_str_eq(mcr_percent(buf, sizeof buf, NAN), "-");
}
