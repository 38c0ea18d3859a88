"""Number formats, by hand: money in the currency's precision with thousands separators, a
value +- se rounded to the se, engineering notation, tick labels with one prefix per axis."""

import math
import unittest

import fixtures  # noqa: F401  (puts python/ on the path)
from mcrisk import units


class Units(unittest.TestCase):
    def test_money(self):
        self.assertEqual(units.money(1234.5), "1,234.50")
        self.assertEqual(units.money(-1234567.891, "USD"), "-1,234,567.89")
        self.assertEqual(units.money(0.123456789, "BTC"), "0.12345679")
        self.assertEqual(units.money(-1e-14), "0.00")  # no "-0.00" for rounding noise
        self.assertEqual(units.money(math.nan), "-")
        self.assertEqual(units.money(None), "-")

    def test_money_se(self):
        self.assertEqual(units.money_se(46184.6, 848.72), "46,185 +- 849")
        self.assertEqual(units.money_se(51531.08, 1908.25), "51,531 +- 1,908")
        self.assertEqual(units.money_se(-0.2491, 0.3582), "-0.25 +- 0.36")
        self.assertEqual(units.money_se(15.5275, 1.9242), "15.5 +- 1.9")
        self.assertEqual(units.money_se(14.9258, 0.0), "14.93 +- 0.00")
        self.assertEqual(units.money_se(0.5, 0.0004, "BTC"), "0.50000 +- 0.00040")
        self.assertEqual(units.money_se(3.0, math.nan), "3.00")

    def test_eng(self):
        self.assertEqual(units.eng(61234), "61.2k")
        self.assertEqual(units.eng(-1.5e6), "-1.5M")
        self.assertEqual(units.eng(999.7), "1k")
        self.assertEqual(units.eng(0.0123), "0.0123")
        self.assertEqual(units.eng(2.5e9), "2.5G")
        self.assertEqual(units.eng(0), "0")

    def test_axis_labels(self):
        self.assertEqual(units.axis_labels([0, 20000, 40000, 60000]), ["0", "20k", "40k", "60k"])
        self.assertEqual(units.axis_labels([-2500, 0, 2500, 5000]),
                         ["-2.5k", "0", "2.5k", "5.0k"])
        self.assertEqual(units.axis_labels([0, 0.5, 1.0]), ["0", "0.5", "1.0"])
        self.assertEqual(units.axis_labels([1e6, 1.5e6, 2e6]), ["1.0M", "1.5M", "2.0M"])
        # Ticks 1e-13 apart would need 13 decimals; 8 at most: the plots never make such axes.
        self.assertEqual(units.axis_labels([-1e-13, 0, 1e-13]), ["0", "0", "0"])

    def test_levels(self):
        self.assertEqual(units.level(0.99), "99%")
        self.assertEqual(units.level(0.995), "99.5%")
        self.assertEqual(units.level_key(0.99), "0.99")
        self.assertEqual(units.percent(0.5720), "57.20%")


if __name__ == "__main__":
    unittest.main()
