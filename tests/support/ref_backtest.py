#!/usr/bin/python3
"""Independent computation of the reference backtest (risk/ref_backtest.h) for the C test:
its own CSV parsing, numpy moments and Python's statistics.NormalDist quantile, nothing shared
with the C code. Usage: ref_backtest.py FILE FROM TO WINDOW LEVEL
Prints: n exceptions lr_pof p_pof lr_ind first_var last_var (space separated)."""
import csv
import math
import sys
from statistics import NormalDist

import numpy as np


def main():
    path, start, end, window, level = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    dates = [r["date"] for r in rows]
    close = np.array([float(r["close"]) for r in rows])
    ret = np.log(close[1:] / close[:-1])          # ret[k] = ln(S[k+1] / S[k])
    z = NormalDist().inv_cdf(1.0 - level)
    hits, var = [], []
    for t, d in enumerate(dates):
        if not (start <= d <= end):               # ISO dates compare as strings
            continue
        w = ret[t - window:t]                     # the returns ending at day t
        m, s = w.mean(), w.std()                  # MLE: divisor n
        v = close[t] * (1.0 - math.exp(m + s * z))
        var.append(v)
        hits.append(close[t] - close[t + 1] > v)
    n, x, p = len(hits), int(sum(hits)), 1.0 - level
    ph = x / n
    xl = lambda k, q: 0.0 if k == 0 else k * math.log(q)
    lr = -2 * (xl(n - x, 1 - p) + xl(x, p)) + 2 * (xl(n - x, 1 - ph) + xl(x, ph))
    pv = math.erfc(math.sqrt(max(lr, 0.0) / 2))   # chi-square(1) upper tail
    h = np.array(hits, dtype=int)
    a, b = h[:-1], h[1:]
    n00, n01 = int(((a == 0) & (b == 0)).sum()), int(((a == 0) & (b == 1)).sum())
    n10, n11 = int(((a == 1) & (b == 0)).sum()), int(((a == 1) & (b == 1)).sum())
    pi, pi01, pi11 = (n01 + n11) / (n - 1), n01 / max(n00 + n01, 1), n11 / max(n10 + n11, 1)
    ind = -2 * (xl(n00 + n10, 1 - pi) + xl(n01 + n11, pi)) + 2 * (
        xl(n00, 1 - pi01) + xl(n01, pi01) + xl(n10, 1 - pi11) + xl(n11, pi11))
    print(n, x, repr(lr), repr(pv), repr(ind), repr(var[0]), repr(var[-1]))


main()
