"""Memo-ready plots of a result file, drawn with Debian's python3-matplotlib.

Every figure is laid out by matplotlib's constrained layout in a grid of at most 3 panel
columns, with the title above the panels and the legend in a row of its own below them (never
on the data); value axes name the currency and read in engineering notation (20k, 1.5M);
strategies and assets are named. A figure is never larger than MAX_INCHES (2925 px at DPI).

    loss_hist_<scenario>   loss (-P&L) histogram per strategy, VaR and CVaR at every level
    risk_bars              VaR and CVaR per strategy and level, a panel per scenario, +-1 se
    hedge_cost_cvar        hedge cost against CVaR at the highest level, a panel per scenario
    liquidation            P(liquidation) of the strategies that hold a perpetual (if any)
    fan_<scenario>         price quantile fan per asset from the stored sample_paths (if any)
    cvar_heatmap           CVaR at the highest level, scenario x strategy (2 scenarios or more)

figures(path) yields (name, figure) so that tests can inspect a figure before it is saved;
write(path, dir, fmt) saves them all."""

import math
import os
import re
import textwrap

import numpy as np
import matplotlib

matplotlib.use("Agg")  # no display: render straight to files
from matplotlib import ticker  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import units  # noqa: E402
from .reader import Result  # noqa: E402

DPI = 150
#: Neither side of a figure exceeds this (19.5 in x 150 dpi = 2925 px).
MAX_INCHES = 19.5
MIN_WIDTH = 7.0
#: Fraction of paths with the largest gains left off the per-path histograms' range.
GAIN_CLIP = 0.002
#: (VaR colour, CVaR colour) per confidence level.
LEVEL_COLOURS = (("#9ecae1", "#08519c"), ("#fdae6b", "#a63603"), ("#a1d99b", "#006d2c"),
                 ("#bcbddc", "#54278f"), ("#d9d9d9", "#252525"))
MARKERS = "osD^vP*Xph<>"
#: Text sizes (points) and the width of an average character as a fraction of its size, for
#: wrapping titles to the figure before layout.
TITLE_PT, PANEL_PT, BASE_PT = 11.0, 9.5, 8.5
_CHAR = 0.56

matplotlib.rcParams.update({
    "font.size": BASE_PT, "axes.titlesize": PANEL_PT, "axes.labelsize": BASE_PT,
    "figure.titlesize": TITLE_PT, "legend.fontsize": BASE_PT, "axes.grid": True,
    "grid.alpha": 0.3, "axes.axisbelow": True, "svg.fonttype": "path",
    "figure.constrained_layout.h_pad": 0.06, "figure.constrained_layout.w_pad": 0.06,
})


class MoneyFormatter(ticker.Formatter):
    """Tick labels in engineering notation with one prefix per axis: 0, 20k, 40k."""

    def format_ticks(self, values):
        return units.axis_labels(values)

    def __call__(self, x, pos=None):
        return units.eng(x)


class CountFormatter(ticker.Formatter):
    """Counts on a log axis, each in engineering notation: 1, 10, 100, 1k, 10k."""

    def __call__(self, x, pos=None):
        return units.eng(x)


def _safe(name):
    """A scenario name as a file-name fragment."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "_"


def _wrap(text, width_in, pt):
    """`text` wrapped to lines that fit `width_in` inches at `pt` points (kept conservative)."""
    chars = max(12, int(width_in * 72 / (pt * _CHAR)))
    return "\n".join("\n".join(textwrap.wrap(line, chars)) or line for line in text.split("\n"))


def _subtitle(r):
    p = r.provenance
    return (f"{r.paths:,} paths x {r.steps:,} steps over {r.horizon_days:g} days, seed "
            f"{p.get('seed')}, {r.currency}; mcrisk {p.get('mcrisk_version')} "
            f"({p.get('git_revision')})")


class _Grid:
    """A figure of n panels in at most 3 columns, a title and a legend row below the panels."""

    def __init__(self, n, panel_w, panel_h, title, legend_items=0, legend_w=1.5, ncol_max=3,
                 sharex=False, sharey=False, extra_w=0.0):
        self.ncol = max(1, min(ncol_max, n))
        self.nrow = max(1, math.ceil(n / self.ncol))
        w = max(MIN_WIDTH, self.ncol * panel_w + extra_w)
        if w > MAX_INCHES:
            panel_w *= (MAX_INCHES - extra_w) / (self.ncol * panel_w)
            w = MAX_INCHES
        title = _wrap(title, w - 0.3, TITLE_PT)
        title_h = 0.22 * (title.count("\n") + 1) + 0.2
        leg_cols = max(1, min(legend_items, int((w - 0.4) // legend_w))) if legend_items else 0
        leg_rows = math.ceil(legend_items / leg_cols) if legend_items else 0
        legend_h = 0.2 * leg_rows + 0.25 if legend_items else 0.0
        h = self.nrow * panel_h + title_h + legend_h + 0.3
        if h > MAX_INCHES:
            panel_h = (MAX_INCHES - title_h - legend_h - 0.3) / self.nrow
            h = MAX_INCHES
        self.fig = Figure(figsize=(w, h), dpi=DPI, layout="constrained")
        self.fig.suptitle(title)
        rows = self.nrow + (1 if legend_items else 0)
        ratios = [panel_h] * self.nrow + ([legend_h] if legend_items else [])
        gs = self.fig.add_gridspec(rows, self.ncol, height_ratios=ratios)
        self.axes = []
        for i in range(n):
            r, c = divmod(i, self.ncol)
            share = self.axes[0] if self.axes else None
            self.axes.append(self.fig.add_subplot(gs[r, c], sharex=share if sharex else None,
                                                  sharey=share if sharey else None))
        self.legend_cols = leg_cols
        self.legend_ax = None
        if legend_items:
            self.legend_ax = self.fig.add_subplot(gs[self.nrow, :])
            self.legend_ax.axis("off")
        self.width = w

    def first_col(self, i):
        return i % self.ncol == 0

    def bottom_of_col(self, i):
        """Panel i has no panel below it."""
        return i + self.ncol >= len(self.axes)

    def legend(self, handles, labels):
        if self.legend_ax is not None and handles:
            self.legend_ax.legend(handles, labels, loc="center", ncol=self.legend_cols,
                                  frameon=False)


def _guard_span(lo, hi, scale):
    """Axis limits that never collapse: at least 10% of the plot's natural scale wide."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return -1.0, 1.0
    need = max(0.1 * abs(scale), 1e-9)
    if hi - lo < need:
        c = 0.5 * (lo + hi)
        lo, hi = c - need / 2, c + need / 2
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def _snap(v, scale):
    """Rounding noise (a zero-cost premium of 1e-14) printed as what it is: zero."""
    return 0.0 if abs(v) <= 1e-9 * max(abs(scale), 1e-300) else v


def _money_axis(axis, label):
    axis.set_major_formatter(MoneyFormatter())
    axis.set_label_text(label)


def _scale(r, scenario):
    """The natural magnitude of the scenario's P&L: the largest |CVaR| or std over strategies."""
    m = 0.0
    for t in r.strategies:
        g = r.group(scenario, t)
        if g is None:
            continue
        m = max(m, abs(float(g.attrs.get("std", 0.0))))
        if "risk" in g:
            m = max(m, float(np.max(np.abs(g["risk"]["cvar"][()]))))
    return m if m > 0 else 1.0


# --- loss histograms ------------------------------------------------------------------------

def _loss_hists(r, s, cells):
    """Per strategy (loss bin edges, counts), and a sentence on where they come from."""
    if all(r.has_pnl(s, t) for t in cells):
        losses = {t: -r.pnl(s, t) for t in cells}
        lo = min(float(np.quantile(x, GAIN_CLIP)) for x in losses.values())
        hi = max(float(x.max()) for x in losses.values())
        if hi - lo <= 1e-9 * max(1.0, abs(hi)):
            lo, hi = lo - 0.5, hi + 0.5
        bins = np.linspace(lo, hi, 121)
        out = {t: (bins, np.histogram(x, bins=bins)[0].astype(float)) for t, x in losses.items()}
        return out, (f"per-path losses in 120 shared bins; the largest {100 * GAIN_CLIP:g}% of "
                     "gains are off the left edge")
    out, beyond = {}, 0
    for t in cells:
        edges, counts, under, over = r.histogram(s, t)
        out[t] = (-edges[::-1], counts[::-1])  # loss = -P&L: the bins mirror
        beyond += under + over
    return out, ("the engine's stored 200-bin histograms (run.keep_pnl: false), between the "
                 f"0.1% and 99.9% quantiles of each strategy; {beyond:,} path-strategies beyond")


def loss_histograms(r):
    for s in r.scenarios:
        cells = [t for t in r.strategies if r.group(s, t) is not None]
        if not cells:
            continue
        hists, source = _loss_hists(r, s, cells)
        levels = r.levels
        title = (f"Loss distribution in scenario {s}: {source}. Loss = -P&L, lines at VaR "
                 f"(solid) and CVaR (dashed)\n{_subtitle(r)}")
        g = _Grid(len(cells), 4.2, 2.7, title, legend_items=1 + 2 * len(levels), sharex=True)
        lo = min(float(e[0]) for e, _ in hists.values())
        hi = max(float(e[-1]) for e, _ in hists.values())
        for i, (ax, t) in enumerate(zip(g.axes, cells)):
            edges, counts = hists[t]
            if edges[-1] - edges[0] <= 1e-12 * max(1.0, abs(edges[0])):
                edges = np.array([edges[0] - 0.5, edges[0] + 0.5])
                counts = np.array([counts.sum()])
            ax.stairs(counts, edges, fill=True, color="#6baed6", alpha=0.8, lw=0)
            risk = r.risk(s, t)
            for j, row in enumerate(risk):
                vc, cc = LEVEL_COLOURS[j % len(LEVEL_COLOURS)]
                ax.axvline(row["var"], color=cc, lw=1.3)
                ax.axvline(row["cvar"], color=cc, lw=1.3, ls="--")
                lo, hi = min(lo, row["var"], row["cvar"]), max(hi, row["var"], row["cvar"])
            ax.set_yscale("log")
            ax.set_ylim(bottom=0.5, top=max(2.0, float(counts.max())) * 2.5)
            ax.yaxis.set_major_formatter(CountFormatter())
            ax.yaxis.set_minor_locator(ticker.NullLocator())
            ax.set_title(_wrap(t, 4.0, PANEL_PT))
            ax.xaxis.set_major_formatter(MoneyFormatter())
            ax.xaxis.set_major_locator(ticker.MaxNLocator(5))
            if g.bottom_of_col(i):
                ax.set_xlabel(f"Loss ({r.currency})")
            if g.first_col(i):
                ax.set_ylabel("paths per bin")
        g.axes[0].set_xlim(*_guard_span(lo, hi, _scale(r, s)))
        handles = [Patch(color="#6baed6", alpha=0.8)]
        labels = ["paths per bin (log scale)"]
        for j, a in enumerate(levels):
            cc = LEVEL_COLOURS[j % len(LEVEL_COLOURS)][1]
            handles += [Line2D([], [], color=cc, lw=1.3), Line2D([], [], color=cc, lw=1.3,
                                                                   ls="--")]
            labels += [f"VaR {units.level(a)}", f"CVaR {units.level(a)}"]
        g.legend(handles, labels)
        yield f"loss_hist_{_safe(s)}", g.fig


# --- VaR and CVaR bars ----------------------------------------------------------------------

def risk_bars(r):
    levels = r.levels
    if not levels or not r.cells():
        return
    series = [(j, kind) for j in range(len(levels)) for kind in ("var", "cvar")]
    n_t = len(r.strategies)
    thick = min(0.09, 3.6 / max(1, n_t * len(series)))  # inches per bar
    panel_h = 0.9 + n_t * (thick * len(series) + 0.08)
    name_w = 0.075 * max(len(t) for t in r.strategies)
    title = f"VaR and CVaR by strategy (losses; bars +-1 standard error)\n{_subtitle(r)}"
    g = _Grid(len(r.scenarios), 3.7, panel_h, title, legend_items=len(series), sharex=True,
              sharey=True, extra_w=name_w)
    lo, hi, scale = 0.0, 0.0, max(_scale(r, s) for s in r.scenarios)
    y = np.arange(n_t)
    height = 0.8 / len(series)
    for i, (ax, s) in enumerate(zip(g.axes, r.scenarios)):
        for k, (j, kind) in enumerate(series):
            vals, errs = [], []
            for t in r.strategies:
                if r.group(s, t) is None:
                    vals.append(np.nan)
                    errs.append(0.0)
                    continue
                row = r.risk(s, t)[j]
                vals.append(float(row[kind]))
                errs.append(float(row[f"{kind}_se"]))
            vals, errs = np.array(vals), np.array(errs)
            colour = LEVEL_COLOURS[j % len(LEVEL_COLOURS)][0 if kind == "var" else 1]
            ax.barh(y - 0.4 + height * (k + 0.5), vals, height, xerr=errs, color=colour,
                    error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "black"})
            ok = np.isfinite(vals)
            if ok.any():
                lo = min(lo, float(np.min(vals[ok] - errs[ok])))
                hi = max(hi, float(np.max(vals[ok] + errs[ok])))
        ax.axvline(0.0, color="black", lw=0.6)
        ax.set_yticks(y)
        ax.set_yticklabels(r.strategies)
        ax.set_ylim(n_t - 0.5, -0.5)  # the first strategy on top
        ax.grid(axis="y", visible=False)
        if not g.first_col(i):
            ax.tick_params(labelleft=False)
        ax.set_title(_wrap(f"scenario {s}", 3.5, PANEL_PT))
        ax.xaxis.set_major_locator(ticker.MaxNLocator(5))
        _money_axis(ax.xaxis, f"Loss ({r.currency})")
    g.axes[0].set_xlim(*_guard_span(lo, hi, scale))  # shared: scenarios compare at a glance
    handles = [Patch(color=LEVEL_COLOURS[j % len(LEVEL_COLOURS)][0 if k == "var" else 1])
               for j, k in series]
    labels = [f"{'VaR' if k == 'var' else 'CVaR'} {units.level(levels[j])}" for j, k in series]
    g.legend(handles, labels)
    yield "risk_bars", g.fig


# --- hedge cost against CVaR ----------------------------------------------------------------

def _hedge_cost(r, s, t):
    """(mean P&L - the book's mean P&L, its standard error or NaN) of one cell."""
    a = r.attrs(s, t)
    if "hedge_cost" in a:
        return float(a["hedge_cost"]), float(a.get("hedge_cost_se", math.nan))
    cost = float(a.get("mean", math.nan)) - float(a.get("mean_book", math.nan))
    se = math.nan
    g = r.group(s, t)
    if "pnl" in g and "components" in g and "book" in g["components"]:
        d = g["pnl"][()] - g["components"]["book"][()]
        if d.size > 1:
            se = float(np.std(d, ddof=1) / math.sqrt(d.size))
    return cost, se


def hedge_cost_cvar(r):
    levels = r.levels
    if not levels or not r.cells():
        return
    top = levels[-1]
    title = (f"Hedge cost against tail risk: mean P&L minus the book's (< 0: the hedge costs on "
             f"average) and CVaR {units.level(top)}; bars +-1 standard error\n{_subtitle(r)}")
    g = _Grid(len(r.scenarios), 4.3, 3.4, title, legend_items=len(r.strategies),
              legend_w=0.35 + 0.075 * max(len(t) for t in r.strategies))
    style = {t: (f"C{k % 10}", MARKERS[k % len(MARKERS)]) for k, t in enumerate(r.strategies)}
    for i, (ax, s) in enumerate(zip(g.axes, r.scenarios)):
        scale = _scale(r, s)
        xs, ys = [], []
        for t in r.strategies:
            if r.group(s, t) is None:
                continue
            cost, cost_se = _hedge_cost(r, s, t)
            row = r.risk(s, t)[-1]
            cv, cv_se = float(row["cvar"]), float(row["cvar_se"])
            cost, cv = _snap(cost, scale), _snap(cv, scale)
            colour, marker = style[t]
            ax.errorbar([cost], [cv], xerr=None if math.isnan(cost_se) else [cost_se],
                        yerr=[cv_se], fmt=marker, color=colour, ms=6, capsize=2, lw=0.8)
            xs += [cost - (0 if math.isnan(cost_se) else cost_se),
                   cost + (0 if math.isnan(cost_se) else cost_se)]
            ys += [cv - cv_se, cv + cv_se]
        ax.axvline(0.0, color="black", lw=0.6)
        ax.set_xlim(*_guard_span(min(xs + [0.0]), max(xs + [0.0]), scale))
        ax.set_ylim(*_guard_span(min(ys), max(ys), scale))
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(ticker.MaxNLocator(5))
        _money_axis(ax.xaxis, f"Mean P&L - book's ({r.currency})")
        _money_axis(ax.yaxis, f"CVaR {units.level(top)} ({r.currency})")
        ax.set_title(_wrap(f"scenario {s}", 4.0, PANEL_PT))
    handles = [Line2D([], [], color=c, marker=m, ls="none", ms=6)
               for c, m in (style[t] for t in r.strategies)]
    g.legend(handles, list(r.strategies))
    yield "hedge_cost_cvar", g.fig


# --- liquidation ----------------------------------------------------------------------------

def liquidation(r):
    perps = [t for t in r.strategies if r.holds_perp(t)]
    if not perps:
        return  # nothing can be liquidated: no plot
    n_s = len(r.scenarios)
    thick = min(0.12, 3.0 / max(1, n_s * len(perps)))
    panel_h = 0.9 + len(perps) * (thick * n_s + 0.1)
    name_w = 0.075 * max(len(t) for t in perps)
    title = (f"Probability of liquidation of the strategies that hold a perpetual (bars +-1 "
             f"standard error)\n{_subtitle(r)}")
    g = _Grid(1, 6.5, panel_h, title, legend_items=n_s,
              legend_w=0.45 + 0.075 * max(len(s) for s in r.scenarios), extra_w=name_w)
    ax = g.axes[0]
    y = np.arange(len(perps))
    height = 0.8 / n_s
    hi = 0.0
    for k, s in enumerate(r.scenarios):
        vals, errs = [], []
        for t in perps:
            a = r.attrs(s, t) if r.group(s, t) is not None else {}
            vals.append(float(a.get("p_liquidation", np.nan)))
            errs.append(float(a.get("p_liquidation_se", 0.0)))
        ax.barh(y - 0.4 + height * (k + 0.5), vals, height, xerr=errs, color=f"C{k % 10}",
                error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "black"})
        hi = max([hi] + [v + e for v, e in zip(vals, errs) if math.isfinite(v)])
    ax.set_xlim(0.0, min(1.0, max(0.01, 1.1 * hi)))
    ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    ax.xaxis.set_major_locator(ticker.MaxNLocator(6))
    ax.set_xlabel("P(liquidation before the horizon)")
    ax.set_yticks(y)
    ax.set_yticklabels(perps)
    ax.set_ylim(len(perps) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    g.legend([Patch(color=f"C{k % 10}") for k in range(n_s)],
             [f"scenario {s}" for s in r.scenarios])
    yield "liquidation", g.fig


# --- fan charts -----------------------------------------------------------------------------

#: (low, high quantile, alpha, minimum paths): a band is drawn only when at least 5 paths lie
#: beyond each of its edges, so it is not the few most extreme paths' outline.
_BANDS = ((0.01, 0.99, 0.15, 500), (0.05, 0.95, 0.25, 100), (0.25, 0.75, 0.4, 20))


def fans(r):
    for s in r.scenarios:
        sp = r.sample_paths(s)
        if sp is None or sp.ndim != 3 or sp.shape[1] == 0 or sp.shape[2] < 2:
            continue
        n_assets, n, m = sp.shape
        names = list(r.assets) + [f"asset {k + 1}" for k in range(len(r.assets), n_assets)]
        bands = [b for b in _BANDS if n >= b[3]]
        what = ", ".join(f"{units.level(lo)}-{units.level(hi)}" for lo, hi, _, _ in bands)
        shown = min(5, n)
        title = (f"Price paths in scenario {s}: median{', bands ' + what if what else ''} and "
                 f"{shown} of the paths, from the {n:,} stored paths (run.sample_paths)"
                 f"\n{_subtitle(r)}")
        g = _Grid(n_assets, 4.8, 3.2, title, legend_items=2 + len(bands), legend_w=1.6)
        t = np.linspace(0.0, r.horizon_days, m)
        for i, ax in enumerate(g.axes):
            x = sp[i]
            for lo, hi, alpha, _ in bands:
                q = np.quantile(x, [lo, hi], axis=0)
                ax.fill_between(t, q[0], q[1], color="tab:blue", alpha=alpha, lw=0)
            ax.plot(t, np.median(x, axis=0), color="navy", lw=1.5)
            for k in range(shown):
                ax.plot(t, x[k], color="gray", lw=0.5, alpha=0.8)
            ax.set_xlim(t[0], t[-1])
            lo, hi = float(np.min(x)), float(np.max(x))
            ax.set_ylim(*_guard_span(lo, hi, max(abs(lo), abs(hi))))
            ax.yaxis.set_major_locator(ticker.MaxNLocator(5))
            _money_axis(ax.yaxis, f"{names[i]} price ({r.currency})")
            ax.set_xlabel("days")
            ax.set_title(_wrap(f"{names[i]}: {n:,} paths", 4.5, PANEL_PT))
        handles = [Line2D([], [], color="navy", lw=1.5), Line2D([], [], color="gray", lw=0.5)]
        labels = ["median", "sample paths"]
        for lo, hi, alpha, _ in bands:
            handles.append(Patch(color="tab:blue", alpha=alpha))
            labels.append(f"{units.level(lo)}-{units.level(hi)} of paths")
        g.legend(handles, labels)
        yield f"fan_{_safe(s)}", g.fig


# --- CVaR heatmap ---------------------------------------------------------------------------

def cvar_heatmap(r):
    levels = r.levels
    if len(r.scenarios) < 2 or not levels:
        return
    top = levels[-1]
    z = np.full((len(r.strategies), len(r.scenarios)), np.nan)
    for j, s in enumerate(r.scenarios):
        for i, t in enumerate(r.strategies):
            if r.group(s, t) is not None:
                z[i, j] = float(r.risk(s, t)[-1]["cvar"])
    cell_w = max(0.95, 0.075 * max(len(s) for s in r.scenarios) + 0.25)
    name_w = 0.075 * max(len(t) for t in r.strategies)
    title = (f"CVaR {units.level(top)} by scenario and strategy ({r.currency}; darker: larger "
             f"loss)\n{_subtitle(r)}")
    g = _Grid(1, cell_w * len(r.scenarios) + 1.3, 0.32 * len(r.strategies) + 1.0, title,
              extra_w=name_w)
    ax = g.axes[0]
    im = ax.imshow(z, cmap="Reds", aspect="auto")
    ax.set_xticks(np.arange(len(r.scenarios)))
    ax.set_xticklabels(r.scenarios)
    ax.set_yticks(np.arange(len(r.strategies)))
    ax.set_yticklabels(r.strategies)
    ax.tick_params(top=False, bottom=True)
    ax.grid(False)
    lo, hi = np.nanmin(z), np.nanmax(z)
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            if np.isfinite(z[i, j]):
                dark = hi > lo and (z[i, j] - lo) / (hi - lo) > 0.6
                ax.text(j, i, units.eng(z[i, j]), ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "black")
    bar = g.fig.colorbar(im, ax=ax, shrink=0.9)
    _money_axis(bar.ax.yaxis, f"CVaR {units.level(top)} ({r.currency})")
    ax.set_xlabel("scenario")
    yield "cvar_heatmap", g.fig


#: Every plot, in the order of the report.
PLOTS = (loss_histograms, risk_bars, hedge_cost_cvar, liquidation, cvar_heatmap, fans)


def figures(r):
    """(name, figure) of every plot of the open Result `r`, one at a time."""
    for make in PLOTS:
        yield from make(r)


def notes(r):
    """Why a plot is not drawn, one sentence each."""
    out = []
    if not any(r.holds_perp(t) for t in r.strategies):
        out.append("liquidation plot not drawn: no strategy holds a perpetual")
    missing = [s for s in r.scenarios if r.sample_paths(s) is None]
    if missing:
        out.append(f"fan chart not drawn for scenario(s) {', '.join(missing)}: the file keeps no "
                   "sample paths (set run.sample_paths > 0)")
    return out


def write(path, outdir, fmt="png"):
    """Save every plot of result file `path` into `outdir` as fmt (png or svg); returns
    (files written, notes)."""
    written = []
    with Result(path) as r:
        for name, fig in figures(r):
            out = os.path.join(outdir, f"{name}.{fmt}")
            fig.savefig(out, format=fmt, dpi=DPI)
            written.append(out)
        return written, notes(r)
