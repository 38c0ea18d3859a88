"""Every plot rendered for 1, 3 and 7 scenarios (and the default run, keep_pnl false, the book
alone, two assets): no dimension over 3000 px, no text cut off or overlapping other text or a
panel, legends off the data, at most 3 panel columns; what each plot draws is the file's data
(bars, histograms, fan, heatmap), with currency, engineering notation and names."""

import os
import re
import subprocess
import unittest

import numpy as np
import matplotlib.image as mimage

import fixtures as F
import layout
from mcrisk import plots
from mcrisk.reader import Result

ALL = ("one", "three", "seven", "default", "nopnl", "unhedged", "two_assets")
_CACHE = {}


def figures(name):
    """{plot name: figure} and the notes of result file `name`."""
    if name not in _CACHE:
        with Result(F.result(name)) as r:
            _CACHE[name] = (dict(plots.figures(r)), plots.notes(r), r.scenarios, r.strategies)
    return _CACHE[name]


def data_axes(fig):
    return [ax for ax in fig.axes if ax.axison and not hasattr(ax, "_colorbar")]


def tick_texts(axis):
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


ENG = re.compile(r"^(−|-)?\d+(\.\d+)?[kMGT]?$")


class Layout(unittest.TestCase):
    def test_every_plot_fits_and_nothing_overlaps(self):
        for name in ALL:
            figs, _, scen, _ = figures(name)
            for plot, fig in figs.items():
                with self.subTest(file=name, plot=plot):
                    w, h = layout.pixels(fig, plots.DPI)
                    self.assertLessEqual(max(w, h), 3000, f"{w:.0f} x {h:.0f} px")
                    self.assertEqual(layout.problems(fig), [])
                    self.assertIn("seed 7" if name != "default" else "seed 42",
                                  fig._suptitle.get_text().replace("\n", " "))

    def test_checker_sees_overlaps(self):
        """The checker is not blind: a title on a panel and a clipped suptitle are caught."""
        from matplotlib.figure import Figure
        fig = Figure(figsize=(4, 3), dpi=100)
        ax = fig.add_subplot()
        ax.set_title("a title pushed onto the data", y=0.5)
        fig.suptitle("a suptitle far too long to fit in a figure four inches wide at all")
        got = layout.problems(fig)
        self.assertTrue(any("overlaps a panel" in p for p in got), got)
        self.assertTrue(any("cut off" in p for p in got), got)
        fig = Figure(figsize=(9, 3), dpi=100)
        for i in range(4):
            fig.add_subplot(1, 4, i + 1)
        self.assertIn("4 columns of panels (at most 3)", layout.problems(fig))

    def test_which_plots(self):
        figs, notes, scen, _ = figures("one")
        self.assertEqual(set(figs), {"loss_hist_base", "risk_bars", "hedge_cost_cvar",
                                     "liquidation", "fan_base"})
        figs, notes, scen, _ = figures("seven")
        self.assertEqual(len(scen), 7)
        self.assertEqual(set(figs), {f"loss_hist_{s}" for s in scen} | {f"fan_{s}" for s in scen}
                         | {"risk_bars", "hedge_cost_cvar", "liquidation", "cvar_heatmap"})
        self.assertEqual(len(data_axes(figs["risk_bars"])), 7)
        # keep_pnl false, no perpetual, no sample paths: histograms still, no empty plots.
        figs, notes, scen, _ = figures("nopnl")
        self.assertEqual(set(figs), {f"loss_hist_{s}" for s in scen} |
                         {"risk_bars", "hedge_cost_cvar", "cvar_heatmap"})
        self.assertIn("liquidation plot not drawn: no strategy holds a perpetual", notes)
        self.assertTrue(any(n.startswith("fan chart not drawn for scenario(s) base, "
                                         "black_thursday, luna") for n in notes), notes)


class Content(unittest.TestCase):
    def test_risk_bars_are_the_risk_table(self):
        figs, _, scen, strat = figures("three")
        fig = figs["risk_bars"]
        with Result(F.result("three")) as r:
            for ax, s in zip(data_axes(fig), scen):
                want = sorted(float(row[k]) for t in strat for row in r.risk(s, t)
                              for k in ("var", "cvar"))
                got = sorted(p.get_width() for p in ax.patches)
                np.testing.assert_allclose(got, want, rtol=0, atol=0)
        ax = data_axes(fig)[0]
        self.assertEqual(tick_texts(ax.yaxis), list(strat))  # names, never indices
        self.assertEqual(ax.get_xlabel(), "Loss (USD)")
        labels = tick_texts(ax.xaxis)
        self.assertTrue(all(ENG.match(x) for x in labels), labels)
        self.assertTrue(any(x.endswith("k") for x in labels), labels)  # a 2 BTC book: 10^4 USD
        legend = [t.get_text() for a in fig.axes if a.get_legend()
                  for t in a.get_legend().get_texts()]
        self.assertEqual(legend, ["VaR 95%", "CVaR 95%", "VaR 99%", "CVaR 99%"])

    def test_hedge_cost_names_and_axes(self):
        figs, _, scen, strat = figures("seven")
        fig = figs["hedge_cost_cvar"]
        legend = [t.get_text() for a in fig.axes if a.get_legend()
                  for t in a.get_legend().get_texts()]
        self.assertEqual(legend, list(strat))
        for ax in data_axes(fig):
            self.assertIn("(USD)", ax.get_xlabel())
            self.assertEqual(ax.get_ylabel(), "CVaR 99% (USD)")

    def test_book_alone_has_no_degenerate_axis(self):
        """The book's hedge cost is 0 up to rounding (1e-13): the axis still spans a readable
        range, a tenth of the P&L scale, and its labels are plain numbers."""
        figs, _, _, _ = figures("unhedged")
        ax = data_axes(figs["hedge_cost_cvar"])[0]
        with Result(F.result("unhedged")) as r:
            cvar = float(r.risk("base", "unhedged")[-1]["cvar"])
        lo, hi = ax.get_xlim()
        self.assertGreaterEqual(hi - lo, 0.1 * cvar)
        self.assertLess(lo, 0.0)
        self.assertGreater(hi, 0.0)
        labels = tick_texts(ax.xaxis)
        self.assertTrue(all(ENG.match(x) for x in labels), labels)
        self.assertEqual(ax.xaxis.get_offset_text().get_text(), "")

    def test_histograms_from_stored_bins(self):
        figs, _, scen, strat = figures("nopnl")
        fig = figs["loss_hist_luna"]
        self.assertIn("stored 200-bin histograms", fig._suptitle.get_text().replace("\n", " "))
        with Result(F.result("nopnl")) as r:
            for ax, t in zip(data_axes(fig), strat):
                self.assertEqual(ax.get_title(), t)
                edges, counts, _, _ = r.histogram("luna", t)
                step = ax.patches[0]
                values, loss_edges, _ = step.get_data()
                np.testing.assert_array_equal(values, counts[::-1])
                np.testing.assert_array_equal(loss_edges, -edges[::-1])
                var = [line.get_xdata()[0] for line in ax.lines]
                want = [v for row in r.risk("luna", t) for v in (row["var"], row["cvar"])]
                np.testing.assert_array_equal(var, want)

    def test_histograms_from_pnl(self):
        figs, _, _, strat = figures("one")
        fig = figs["loss_hist_base"]
        with Result(F.result("one")) as r:
            for ax, t in zip(data_axes(fig), strat):
                values, edges, _ = ax.patches[0].get_data()
                loss = -r.pnl("base", t)
                inside = np.sum((loss >= edges[0]) & (loss <= edges[-1]))
                self.assertEqual(values.sum(), inside)
                self.assertGreaterEqual(inside, 0.99 * loss.size)

    def test_fan_names_assets_and_counts_paths(self):
        figs, _, _, _ = figures("two_assets")
        fig = figs["fan_base"]
        axes = data_axes(fig)
        self.assertEqual([ax.get_title() for ax in axes], ["BTC: 120 paths", "ETH: 120 paths"])
        self.assertEqual([ax.get_ylabel() for ax in axes], ["BTC price (USD)", "ETH price (USD)"])
        self.assertIn("from the 120 stored paths", fig._suptitle.get_text().replace("\n", " "))
        legend = [t.get_text() for a in fig.axes if a.get_legend()
                  for t in a.get_legend().get_texts()]
        # 120 paths: the 5-95% band has 6 paths beyond each edge, the 1-99% band would not.
        self.assertEqual(legend, ["median", "sample paths", "5%-95% of paths",
                                  "25%-75% of paths"])
        with Result(F.result("two_assets")) as r:
            sp = r.sample_paths("base")
        for k, ax in enumerate(axes):
            median = ax.lines[0].get_ydata()
            np.testing.assert_allclose(median, np.median(sp[k], axis=0), rtol=1e-12)

    def test_liquidation_only_for_perpetuals(self):
        figs, _, scen, _ = figures("seven")
        ax = data_axes(figs["liquidation"])[0]
        self.assertEqual(tick_texts(ax.yaxis), ["short_linear_perpetual"])
        with Result(F.result("seven")) as r:
            want = sorted(r.attrs(s, "short_linear_perpetual")["p_liquidation"] for s in scen)
        np.testing.assert_array_equal(sorted(p.get_width() for p in ax.patches), want)

    def test_heatmap_is_cvar(self):
        figs, _, scen, strat = figures("seven")
        fig = figs["cvar_heatmap"]
        ax = data_axes(fig)[0]
        z = ax.images[0].get_array()
        with Result(F.result("seven")) as r:
            for i, t in enumerate(strat):
                for j, s in enumerate(scen):
                    self.assertEqual(z[i, j], r.risk(s, t)[-1]["cvar"])
        self.assertEqual(tick_texts(ax.xaxis), list(scen))
        self.assertEqual(tick_texts(ax.yaxis), list(strat))


class Files(unittest.TestCase):
    def test_png_and_svg(self):
        for fmt in ("png", "svg"):
            out = F.scratch(f"plots_{fmt}")
            code, stdout, err = F.python("plots", F.result("three"), out, "--format", fmt)
            self.assertEqual(code, 0, err)
            files = stdout.split()
            self.assertEqual(len(files), 3 + 3 + 4, stdout)  # hists, fans, 4 grid plots
            for f in files:
                self.assertTrue(f.endswith(f".{fmt}") and os.path.getsize(f) > 10000, f)
                if fmt == "png":
                    h, w = mimage.imread(f).shape[:2]
                    self.assertLessEqual(max(w, h), 3000, f)
                    self.assertGreaterEqual(min(w, h), 400, f)
                else:
                    with open(f) as svg:
                        head = svg.read(2000)
                    w, h = (float(x) for x in
                            re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', head).groups())
                    self.assertLessEqual(max(w, h) / 72 * plots.DPI, 3000, f)

    def test_bad_directory(self):
        code, out, err = F.python("plots", F.result("one"), F.scratch("no/such/dir"))
        self.assertEqual(code, 2)
        self.assertEqual(err, f"mcrisk: {F.scratch('no/such/dir')}: cannot create plot "
                              "directory: No such file or directory\n")

    def test_through_the_binary(self):
        """mcrisk report --plots DIR --plots-format svg runs this package."""
        d = F.scratch("bin_svg")
        code, out, err = F.run_binary("report", F.result("one"), "--plots", d,
                                      "--plots-format", "svg")
        self.assertEqual(code, 0, err)
        self.assertEqual(sorted(os.listdir(d)),
                         sorted(["loss_hist_base.svg", "risk_bars.svg", "hedge_cost_cvar.svg",
                                 "liquidation.svg", "fan_base.svg"]))
        code, out, err = F.run_binary("report", F.result("one"), "--plots", d,
                                      "--plots-format", "bmp")
        self.assertEqual(code, 2)
        self.assertEqual(err, "mcrisk: --plots-format: unknown format 'bmp'; allowed: png, "
                              "svg\n")

    def test_installed_tree(self):
        """cmake --install puts the package where the installed binary and Debian's python3 find
        it: report --plots runs the installed copy (PYTHONPATH, shown by a stand-in python)."""
        build = os.path.dirname(F.binary())
        if not os.path.exists(os.path.join(build, "cmake_install.cmake")):
            self.fail(f"{build} is not a CMake build directory")
        prefix = F.scratch("prefix")
        p = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        pkgs = [d for d in os.listdir(os.path.join(prefix, "lib"))
                if os.path.exists(os.path.join(prefix, "lib", d, "dist-packages", "mcrisk",
                                               "__main__.py"))]
        self.assertEqual(len(pkgs), 1, os.listdir(os.path.join(prefix, "lib")))
        pkg = os.path.join(prefix, "lib", pkgs[0], "dist-packages")
        fake = F.scratch("fake_python")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\necho "mcrisk: PYTHONPATH=$PYTHONPATH" >&2\nexit 1\n')
        os.chmod(fake, 0o755)
        env = dict(os.environ, MCR_PYTHON=fake)
        p = subprocess.run([os.path.join(prefix, "bin", "mcrisk"), "report", F.result("one"),
                            "--plots", F.scratch("inst_plots")], env=env, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 1)
        got = p.stderr.split("PYTHONPATH=")[1].split("\n")[0]
        self.assertEqual(os.path.realpath(got.split(":")[0]), os.path.realpath(pkg))
        # ... and the installed copy works under Debian's python3.
        code, out, err = F.python("summary", F.result("one"), env={"PYTHONPATH": pkg})
        self.assertEqual(code, 0, err)
        self.assertIn("scenario base", out)
        # the man page renders, names every command and flag of run and report ...
        man = os.path.join(prefix, "share", "man", "man1", "mcrisk.1")
        p = subprocess.run(["man", "-l", man], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0"))
        self.assertEqual(p.returncode, 0, p.stderr)
        page = re.sub(".\x08", "", p.stdout).replace("\u2010", "-")  # no overstrike bold
        for word in ("NAME", "SYNOPSIS", "mcrisk run", "mcrisk report", "--paths", "--resume",
                     "--format", "--wide", "--plots-format", "--html", "EXIT STATUS"):
            self.assertIn(word, page)
        # ... and the example configs run with the installed binary, path files included
        configs = os.path.join(prefix, "share", "mcrisk", "configs")
        self.assertIn("stress.yaml", os.listdir(configs))
        for name in ("gbm_spot.yaml", "hull_replay.yaml"):
            p = subprocess.run([os.path.join(prefix, "bin", "mcrisk"), "run",
                                os.path.join(configs, name), "--paths", "500", "--quiet", "-o",
                                F.scratch(name + ".h5")], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
