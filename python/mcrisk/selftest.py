"""`python3 -m mcrisk selftest OUT.h5`: a result file checked against itself.

For every cell that keeps its per-path arrays: the components add up to pnl path by path (to
1e-9 of the P&L scale), each mean_<component> is the mean of its array, mean/std/mean_se agree
with pnl, p_liquidation is the fraction of paths with liquidation_step >= 0, liquidation steps
lie in [-1, steps], VaR/CVaR agree with an independent evaluation of the README's estimators,
and the stored histogram counts every path (underflow + bins + overflow = paths)."""

import math

import numpy as np

from .reader import Result


def check(path):
    """(cells checked, list of failures); an empty list means the file holds together."""
    bad = []

    def close(what, got, want, tol):
        if not abs(got - want) <= tol:
            bad.append(f"{what}: {got!r} vs {want!r} (tolerance {tol:.3g})")

    checked = 0
    with Result(path) as r:
        for s, t in r.cells():
            where = f"{s}/{t}"
            a = r.attrs(s, t)
            if "hist_counts" in r.group(s, t):
                _, counts, under, over = r.histogram(s, t)
                if int(counts.sum()) + under + over != r.paths:
                    bad.append(f"{where}: histogram counts {int(counts.sum())} + {under} + {over}"
                               f" paths, provenance says {r.paths}")
            if not r.has_pnl(s, t):
                continue
            checked += 1
            x = r.pnl(s, t)
            n = x.size
            if n != r.paths:
                bad.append(f"{where}: pnl has {n} paths, provenance says {r.paths}")
                continue
            scale = max(1.0, float(np.max(np.abs(x))))
            if "components" in r.group(s, t):
                total = np.zeros(n)
                for name, c in r.components(s, t).items():
                    total += c
                    close(f"{where}: mean_{name}", a.get(f"mean_{name}", math.nan),
                          float(np.mean(c)), 1e-9 * max(1.0, float(np.max(np.abs(c)))))
                err = np.abs(total - x)
                if not float(err.max()) <= 1e-9 * scale:
                    i = int(np.argmax(err))
                    bad.append(f"{where}: components add up to {total[i]!r} at path {i}, "
                               f"pnl is {x[i]!r}")
            close(f"{where}: mean", a.get("mean", math.nan), float(np.mean(x)), 1e-9 * scale)
            if n > 1:
                sd = float(np.std(x, ddof=1))
                close(f"{where}: std", a.get("std", math.nan), sd, 1e-6 * sd + 1e-12 * scale)
                close(f"{where}: mean_se", a.get("mean_se", math.nan), sd / math.sqrt(n),
                      1e-6 * sd / math.sqrt(n) + 1e-12 * scale)
            g = r.group(s, t)
            if "liquidation_step" in g:
                liq = g["liquidation_step"][()]
                if liq.size and (liq.min() < -1 or liq.max() > r.steps):
                    bad.append(f"{where}: liquidation_step outside [-1, {r.steps}]")
                close(f"{where}: p_liquidation", a.get("p_liquidation", math.nan),
                      float(np.mean(liq >= 0)), 1e-12)
            xs = np.sort(x)
            risk = r.risk(s, t)
            for row in risk:
                lv = float(row["level"])
                p = 1.0 - lv
                k = max(1, math.ceil(n * p - 1e-9))  # ranks count from 1
                close(f"{where}: VaR{lv:g}", float(row["var"]), -xs[k - 1], 1e-9 * scale)
                m = min(math.floor(n * p + 1e-9), n - 1)
                tail = xs[:m].sum() + (n * p - m) * xs[m]
                close(f"{where}: CVaR{lv:g}", float(row["cvar"]), -tail / (n * p), 1e-9 * scale)
    if checked == 0:
        bad.append(f"{path}: no cell keeps its pnl; nothing to check")
    return checked, bad
