#!/usr/bin/python3
"""PNG plots of an mcrisk result file: `mcrisk_plots.py RESULT.h5 OUTDIR`.

`mcrisk report RESULT.h5 --plots OUTDIR` runs this script. It writes into OUTDIR (created if
missing; its parent must exist):

    loss_hist_<scenario>.png    loss (-P&L) histogram per strategy, VaR and CVaR lines per level
    risk_bars.png               VaR and CVaR per strategy, one panel per scenario, +-1 se bars
    hedge_cost_cvar.png         expected hedge cost (E[unhedged P&L] - E[hedged P&L], the book's
                                P&L being the unhedged one) against CVaR at the highest level
    liquidation.png             probability of liquidation per strategy and scenario, +-1 se bars
    fan_<scenario>.png          quantile fan of the kept price paths (only for scenarios whose
                                file group has sample_paths; otherwise skipped with a note)

and prints the name of every file written, one per line. Needs Debian's python3-matplotlib,
python3-h5py and python3-numpy (run with /usr/bin/python3). Exit status: 0 success, 2 bad input
(unreadable result file, output directory that cannot be created), 3 a missing Python package,
1 anything else. Errors are one line on stderr.
"""

import math
import os
import re
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)

try:
    import numpy as np
    import matplotlib
    matplotlib.use("Agg")  # no display: render straight to PNG
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator
    import mcrisk_results as mr
except ImportError as exc:
    _PKG = {"numpy": "python3-numpy", "h5py": "python3-h5py",
            "matplotlib": "python3-matplotlib"}.get((exc.name or "").split(".")[0], exc.name)
    sys.stderr.write(f"mcrisk_plots: {_PKG} is not installed (apt-get install {_PKG})\n")
    sys.exit(3)

DPI = 100
# A fixed title height: the automatic one measures every axis' tick labels at each draw.
matplotlib.rcParams["axes.titley"] = 1.0
#: One colour per confidence level (VaR solid, CVaR dashed in the same colour).
LEVEL_COLOURS = ("tab:orange", "tab:red", "tab:purple", "tab:brown", "black")
#: Fraction of paths with the largest gains left off the histograms' range.
GAIN_CLIP = 0.002


class PlotError(Exception):
    """Bad input the user can fix: exit status 2."""


def _safe(name):
    """A scenario name as a file-name fragment (names are HDF5 links: no '/', but maybe spaces)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "_"


def _level_label(a):
    return f"{100 * a:g}%"


def _subtitle(r):
    p = r.provenance
    return (f"{r.paths} paths x {r.steps} steps, {r.horizon_days:g} days, seed {p.get('seed')}, "
            f"mcrisk {p.get('mcrisk_version')} ({p.get('git_revision')})")


def _save(fig, outdir, name, written):
    path = os.path.join(outdir, name)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    written.append(path)


def plot_loss_histograms(r, outdir, written, notes):
    """One figure per scenario: a panel per strategy with the loss histogram and risk lines."""
    for s in r.scenarios:
        cells = [r.cells[(s, t)] for t in r.strategies if (s, t) in r.cells]
        cells = [c for c in cells if c.pnl is not None]
        if not cells:
            notes.append(f"loss histograms of {s} skipped: the file keeps no pnl (run.keep_pnl)")
            continue
        losses = [-c.pnl for c in cells]
        # Shared bins so panels compare at a glance. The range starts at the 0.2% quantile of
        # losses: a few large gains would otherwise squeeze the loss tail into a few bins.
        lo = min(float(np.quantile(x, GAIN_CLIP)) for x in losses)
        hi = max(float(x.max()) for x in losses)
        if hi - lo < 1e-9 * max(1.0, abs(hi)):
            lo, hi = lo - 0.5, hi + 0.5
        bins = np.linspace(lo, hi, 121)
        ncol = min(3, len(cells))
        nrow = math.ceil(len(cells) / ncol)
        width, height = 4.6 * ncol, 3.0 * nrow + 1.0
        fig, axes = plt.subplots(nrow, ncol, figsize=(width, height), sharex=True, squeeze=False)
        # Fixed margins (in inches): tight_layout would draw every panel twice.
        fig.subplots_adjust(left=0.75 / width, right=1 - 0.2 / width, bottom=0.6 / height,
                            top=1 - 0.95 / height, hspace=0.35, wspace=0.22)
        for ax in axes.flat[len(cells):]:
            ax.set_visible(False)
        for ax, c, loss in zip(axes.flat, cells, losses):
            # One step patch per panel rather than a rectangle per bin.
            ax.stairs(np.histogram(loss, bins=bins)[0], bins, fill=True, color="tab:blue",
                      alpha=0.75)
            ax.set_yscale("log")  # the tail is what matters and holds few paths
            ax.set_ylim(bottom=0.5)
            ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost more than they show
            for i, a in enumerate(c.levels):
                col = LEVEL_COLOURS[i % len(LEVEL_COLOURS)]
                ax.axvline(c.var[i], color=col, lw=1.4,
                           label=f"VaR {_level_label(a)} = {c.var[i]:.3g}")
                ax.axvline(c.cvar[i], color=col, lw=1.4, ls="--",
                           label=f"CVaR {_level_label(a)} = {c.cvar[i]:.3g}")
            ax.set_title(c.strategy, fontsize=10)
            ax.legend(fontsize=7, loc="upper left", framealpha=0.8)
            ax.grid(alpha=0.3)
            c.drop()
        for ax in axes[-1]:
            ax.set_xlabel("loss = -P&L")
        for ax in axes[:, 0]:
            ax.set_ylabel("paths")
        fig.suptitle(f"Loss distribution, scenario {s} (largest {100 * GAIN_CLIP:g}% of gains "
                     f"off the left edge)\n{_subtitle(r)}", fontsize=11)
        _save(fig, outdir, f"loss_hist_{_safe(s)}.png", written)


def _grouped_offsets(k, width):
    return (np.arange(k) - (k - 1) / 2.0) * width


def plot_risk_bars(r, outdir, written):
    """VaR and CVaR of every strategy, a panel per scenario, error bars of one standard error."""
    levels = r.levels()
    if not r.cells or levels.size == 0:
        return
    fig, axes = plt.subplots(len(r.scenarios), 1,
                             figsize=(max(8.0, 1.1 * len(r.strategies) + 2.5),
                                      3.6 * len(r.scenarios) + 0.6),
                             squeeze=False)
    series = [(kind, i) for i in range(levels.size) for kind in ("VaR", "CVaR")]
    width = 0.8 / len(series)
    offsets = _grouped_offsets(len(series), width)
    x = np.arange(len(r.strategies))
    for ax, s in zip(axes[:, 0], r.scenarios):
        for off, (kind, i) in zip(offsets, series):
            vals, errs = [], []
            for t in r.strategies:
                c = r.cells.get((s, t))
                if c is None or i >= c.levels.size:
                    vals.append(np.nan)
                    errs.append(0.0)
                elif kind == "VaR":
                    vals.append(c.var[i])
                    errs.append(c.var_se[i])
                else:
                    vals.append(c.cvar[i])
                    errs.append(c.cvar_se[i])
            col = LEVEL_COLOURS[i % len(LEVEL_COLOURS)]
            ax.bar(x + off, vals, width, yerr=errs, capsize=2, color=col,
                   alpha=0.55 if kind == "VaR" else 0.95, hatch=None if kind == "VaR" else "//",
                   edgecolor="black", linewidth=0.4,
                   label=f"{kind} {_level_label(levels[i])}")
        ax.axhline(0.0, color="black", lw=0.6)
        ax.set_xticks(x)
        ax.set_xticklabels(r.strategies, rotation=25, ha="right", fontsize=9)
        ax.set_ylabel("loss")
        ax.set_title(f"scenario {s}", fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8, ncol=len(series), loc="upper right")
    fig.suptitle(f"VaR and CVaR by strategy (bars: +-1 standard error)\n{_subtitle(r)}",
                 fontsize=11)
    fig.tight_layout()
    _save(fig, outdir, "risk_bars.png", written)


def _label_points(ax, xs, ys, names, colour):
    """Name each point; a label that would sit on its neighbour's goes to the left instead."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    placed = []
    for i in np.argsort(ys):
        near = any(abs(xs[i] - px) < 0.18 * (x1 - x0) and abs(ys[i] - py) < 0.05 * (y1 - y0)
                   and side > 0 for px, py, side in placed)
        side = -1 if near else 1
        ax.annotate(names[i], (xs[i], ys[i]), textcoords="offset points",
                    xytext=(6 * side, 3), ha="left" if side > 0 else "right", fontsize=8,
                    color=colour)
        placed.append((xs[i], ys[i], side))


def plot_hedge_cost(r, outdir, written):
    """Expected hedge cost (x) against CVaR at the highest level (y), a panel per scenario."""
    levels = r.levels()
    if not r.cells or levels.size == 0:
        return
    top = float(levels[-1])
    n = len(r.scenarios)
    fig, axes = plt.subplots(1, n, figsize=(6.0 * n + 0.5, 5.6), squeeze=False)
    for j, (ax, s) in enumerate(zip(axes[0], r.scenarios)):
        xs, xe, ys, ye, names = [], [], [], [], []
        for t in r.strategies:
            c = r.cells.get((s, t))
            if c is None:
                continue
            cost, cost_se = c.hedge_cost()
            cv, cv_se = c.cvar_at(top)
            xs.append(cost)
            xe.append(0.0 if math.isnan(cost_se) else cost_se)
            ys.append(cv)
            ye.append(cv_se)
            names.append(t)
            c.drop()
        ax.errorbar(xs, ys, xerr=xe, yerr=ye, fmt="o", ms=6, capsize=3, color=f"C{j}")
        ax.axvline(0.0, color="black", lw=0.6)
        ax.margins(x=0.25, y=0.08)  # room for the labels
        _label_points(ax, np.asarray(xs), np.asarray(ys), names, f"C{j}")
        ax.set_xlabel("hedge cost = E[unhedged P&L] - E[hedged P&L]")
        ax.set_ylabel(f"CVaR {_level_label(top)} (loss)")
        ax.set_title(f"scenario {s}", fontsize=10)
        ax.grid(alpha=0.3)
    fig.suptitle("Hedge cost against tail risk; cost > 0: the hedge costs on average, < 0: it "
                 f"pays off (bars: +-1 se)\n{_subtitle(r)}", fontsize=11)
    fig.tight_layout()
    _save(fig, outdir, "hedge_cost_cvar.png", written)


def plot_liquidation(r, outdir, written):
    """Probability of liquidation per strategy, a bar per scenario, error bars of one se."""
    if not r.cells:
        return
    fig, ax = plt.subplots(figsize=(max(8.0, 1.1 * len(r.strategies) + 2.5), 4.8))
    width = 0.8 / len(r.scenarios)
    offsets = _grouped_offsets(len(r.scenarios), width)
    x = np.arange(len(r.strategies))
    for j, (off, s) in enumerate(zip(offsets, r.scenarios)):
        vals = [r.cells[(s, t)].p_liquidation if (s, t) in r.cells else np.nan
                for t in r.strategies]
        errs = [r.cells[(s, t)].p_liquidation_se if (s, t) in r.cells else 0.0
                for t in r.strategies]
        ax.bar(x + off, vals, width, yerr=errs, capsize=3, color=f"C{j}", label=f"scenario {s}",
               edgecolor="black", linewidth=0.4)
    ax.set_xticks(x)
    ax.set_xticklabels(r.strategies, rotation=25, ha="right", fontsize=9)
    ax.set_ylabel("P(liquidation)")
    ax.set_ylim(bottom=0.0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=9)
    ax.set_title(f"Probability of liquidation by strategy (bars: +-1 standard error)\n"
                 f"{_subtitle(r)}", fontsize=11)
    fig.tight_layout()
    _save(fig, outdir, "liquidation.png", written)


def _fan_panel(ax, t, paths, title):
    qs = np.quantile(paths, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99], axis=0)
    ax.fill_between(t, qs[0], qs[6], color="tab:blue", alpha=0.15, lw=0, label="1-99%")
    ax.fill_between(t, qs[1], qs[5], color="tab:blue", alpha=0.25, lw=0, label="5-95%")
    ax.fill_between(t, qs[2], qs[4], color="tab:blue", alpha=0.40, lw=0, label="25-75%")
    ax.plot(t, qs[3], color="navy", lw=1.6, label="median")
    for k in range(min(8, paths.shape[0])):  # a few paths show the roughness (jumps)
        ax.plot(t, paths[k], color="gray", lw=0.5, alpha=0.7,
                label="sample paths" if k == 0 else None)
    ax.set_xlabel("days")
    ax.set_ylabel("price")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


def plot_fans(r, outdir, written, notes):
    """Quantile fan of the kept price paths, one figure per scenario that has them."""
    missing = []
    for s in r.scenarios:
        sp = r.sample_paths(s)
        if sp is None:
            missing.append(s)
            continue
        sp = np.asarray(sp, dtype=np.float64)
        if sp.ndim == 2:  # [n][steps + 1]
            sp = sp[np.newaxis]
        if sp.ndim != 3 or sp.shape[1] == 0 or sp.shape[2] < 2:
            notes.append(f"fan chart of {s} skipped: sample_paths has shape {sp.shape}, "
                         "expected [n][steps + 1]")
            continue
        # A leading axis, if any, is the asset; the time axis is the last.
        t = np.linspace(0.0, r.horizon_days, sp.shape[2])
        fig, axes = plt.subplots(sp.shape[0], 1, figsize=(9.0, 4.6 * sp.shape[0] + 0.4),
                                 squeeze=False)
        for a, ax in enumerate(axes[:, 0]):
            name = f"asset {a}, " if sp.shape[0] > 1 else ""
            _fan_panel(ax, t, sp[a], f"{name}{sp.shape[1]} kept paths")
        fig.suptitle(f"Price paths, scenario {s}\n{_subtitle(r)}", fontsize=11)
        fig.tight_layout()
        _save(fig, outdir, f"fan_{_safe(s)}.png", written)
    if missing:
        notes.append(f"fan chart skipped for scenario(s) {', '.join(missing)}: the file keeps no "
                     "sample paths (set run.sample_paths > 0)")


def make_outdir(outdir):
    """Create `outdir` if missing (not its parents: a mistyped parent is an error)."""
    if os.path.isdir(outdir):
        if not os.access(outdir, os.W_OK | os.X_OK):
            raise PlotError(f"{outdir}: cannot write plots: directory not writable")
        return
    try:
        os.mkdir(outdir)
    except OSError as exc:
        raise PlotError(f"{outdir}: cannot create plot directory: {exc.strerror}") from None


def write_plots(path, outdir):
    """Write every plot of result file `path` into `outdir`; return (files written, notes)."""
    try:
        r = mr.load(path)
    except mr.ResultError as exc:
        raise PlotError(str(exc)) from None
    make_outdir(outdir)
    written, notes = [], []
    plot_loss_histograms(r, outdir, written, notes)
    plot_risk_bars(r, outdir, written)
    plot_hedge_cost(r, outdir, written)
    plot_liquidation(r, outdir, written)
    plot_fans(r, outdir, written, notes)
    return written, notes


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print("usage: mcrisk_plots.py RESULT.h5 OUTDIR", file=sys.stderr)
        return 2
    try:
        written, notes = write_plots(argv[1], argv[2])
    except PlotError as exc:
        print(f"mcrisk_plots: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # one line for the caller; MCR_PLOTS_DEBUG=1 shows the traceback
        if os.environ.get("MCR_PLOTS_DEBUG"):
            raise
        msg = " ".join(str(exc).split())
        print(f"mcrisk_plots: {argv[1]}: {type(exc).__name__}: {msg}", file=sys.stderr)
        return 1
    for w in written:
        print(w)
    for n in notes:
        print(f"note: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
