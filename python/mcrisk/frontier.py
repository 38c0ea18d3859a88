"""`mcrisk report OUT.h5 --frontier --plots DIR`: hedge cost against CVaR, one panel per scenario.

The cost is -(mean P&L - the baseline's), from the run's paired comparison (the diff_* attributes
of every strategy group, run.baseline); the risk is the CVaR at the run's highest level. Error
bars are +-1 standard error: the paired se of the cost and the strategy's own CVaR se. The
efficient strategies (no other has lower-or-equal cost and CVaR, one strictly lower) are filled
and joined; the others are hollow. The same rule as the printed table (output/frontier.c)."""

import math
import os

import matplotlib

matplotlib.use("Agg")  # no display: render straight to files
from matplotlib.figure import Figure  # noqa: E402

from .reader import Result  # noqa: E402


def points(r, s):
    """[(strategy, cost, cost_se, cvar, cvar_se, efficient)] of scenario s."""
    top = r.levels[-1]
    out = []
    for t in r.strategies:
        a = r.attrs(s, t)
        if "diff_mean" not in a:
            raise ValueError("the result has no comparison with a baseline (diff_mean): a "
                             "frontier needs a run of at least two strategies")
        row = r.risk(s, t)[-1]
        out.append([t, -float(a["diff_mean"]), float(a["diff_mean_se"]), float(row["cvar"]),
                    float(row["cvar_se"]), True])
    for p in out:
        p[5] = not any(o is not p and o[1] <= p[1] and o[3] <= p[3] and
                       (o[1] < p[1] or o[3] < p[3]) for o in out)
    return top, out


def write(path, outdir, fmt="png"):
    """Draw DIR/frontier.FMT; returns the file written."""
    with Result(path) as r:
        n = len(r.scenarios)
        fig = Figure(figsize=(6.5 * n, 5.0))
        for i, s in enumerate(r.scenarios):
            top, pts = points(r, s)
            baseline = r.attrs(s, r.strategies[0]).get("diff_baseline", "the baseline")
            ax = fig.add_subplot(1, n, i + 1)
            for k, (t, c, cse, v, vse, eff) in enumerate(pts):
                colour = f"C{k % 10}"
                ax.errorbar([c], [v], xerr=[0 if math.isnan(cse) else cse], yerr=[vse], fmt="o",
                            color=colour, mfc=colour if eff else "white", ms=6, capsize=2,
                            lw=0.8, label=t + (" *" if eff else ""))
            front = sorted((p[1], p[3]) for p in pts if p[5])
            ax.plot([f[0] for f in front], [f[1] for f in front], color="black", lw=0.8,
                    ls="--", zorder=0)
            ax.set_xlabel(f"hedge cost: -(mean P&L - {baseline}'s)")
            ax.set_ylabel(f"CVaR {100 * top:g}%")
            ax.set_title(f"scenario {s}: * efficient (filled); bars +-1 se", fontsize=9)
            ax.legend(fontsize=7, loc="best")
            ax.grid(alpha=0.3)
        fig.tight_layout()
        out = os.path.join(outdir, f"frontier.{fmt}")
        fig.savefig(out, format=fmt, dpi=150)
        return out
