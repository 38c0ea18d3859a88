"""mcrisk.load, summary, pnl and components on real result files (1, 3 and 7 scenarios, and
keep_pnl false), checked against an independent walk of the file with h5py; the reader picks
up datasets and attributes it has never heard of; the command line prints the table."""

import io
import json
import math
import os
import shutil
import unittest

import h5py
import numpy as np
import pandas as pd

import fixtures as F
import mcrisk

FILES = ("one", "three", "seven")


def _walk(f):
    """{path: ('group'|'dataset', attrs names)} of every member of an HDF5 file."""
    out = {"/": ("group", set(f.attrs))}
    f.visititems(lambda name, obj: out.__setitem__(
        name, ("group" if isinstance(obj, h5py.Group) else "dataset", set(obj.attrs))))
    return out


def _loaded(node, prefix=""):
    out = {prefix or "/": ("group", set(node.attrs))}
    for k, v in node.items():
        p = f"{prefix}/{k}" if prefix else k
        if isinstance(v, mcrisk.Group):
            out.update(_loaded(v, p))
        else:
            out[p] = ("dataset", None)
    return out


class Load(unittest.TestCase):
    def test_whole_file_as_nested_dicts(self):
        for name in FILES:
            path = F.result(name)
            r = mcrisk.load(path)
            with h5py.File(path, "r") as f:
                want = _walk(f)
                got = _loaded(r)
                self.assertEqual(set(got), set(want), name)
                for p, (kind, attrs) in want.items():
                    self.assertEqual(got[p][0], kind, p)
                    if kind == "group":
                        self.assertEqual(got[p][1], attrs, p)
                self.assertEqual(r.attrs["seed"], 7)
                self.assertEqual(r.attrs["paths"], f.attrs["paths"])
                self.assertIsInstance(r.attrs["config_yaml"], str)
                s0 = list(f["scenarios"])[0]
                g = f[f"scenarios/{s0}/strategies/unhedged"]
                c = r["scenarios"][s0]["strategies"]["unhedged"]
                np.testing.assert_array_equal(c["pnl"], g["pnl"][()])
                np.testing.assert_array_equal(c["components"]["book"], g["components/book"][()])
                self.assertEqual(c["risk"].dtype.names, g["risk"].dtype.names)
                self.assertEqual(c.attrs["mean"], float(g.attrs["mean"]))
                self.assertEqual(list(r["scenarios"]), list(f["scenarios"]))

    def test_unknown_members_appear(self):
        """A dataset, an attribute and a level table the reader does not know are read too."""
        path = F.scratch("extended.h5")
        shutil.copy(F.result("three"), path)
        with h5py.File(path, "r+") as f:
            g = f["scenarios/base/strategies/zero_cost_collar"]
            n = int(f.attrs["paths"])
            g.create_dataset("collateral_ratio", data=np.linspace(1.0, 2.0, n))
            g.attrs["call_strike_solved"] = 71234.5
            t = np.array([(0.95, 1.5, 0.1), (0.99, 2.5, 0.2)],
                         dtype=[("level", "<f8"), ("var", "<f8"), ("var_se", "<f8")])
            g.create_dataset("diff_risk", data=t)
            f["scenarios/base"].attrs["description"] = "the model as it is"
        r = mcrisk.load(path)
        c = r["scenarios"]["base"]["strategies"]["zero_cost_collar"]
        self.assertEqual(c["collateral_ratio"].shape, (n,))
        self.assertEqual(c.attrs["call_strike_solved"], 71234.5)
        df = mcrisk.summary(path)
        self.assertEqual(df.loc[("base", "zero_cost_collar"), "call_strike_solved"], 71234.5)
        self.assertTrue(math.isnan(df.loc[("base", "unhedged"), "call_strike_solved"]))
        self.assertEqual(df.loc[("base", "zero_cost_collar"), "diff_risk_var_0.99"], 2.5)
        self.assertEqual(df.loc[("base", "zero_cost_collar"), "diff_risk_var_se_0.95"], 0.1)
        self.assertEqual(df.loc[("base", "unhedged"), "scenario_description"],
                         "the model as it is")


class Summary(unittest.TestCase):
    def test_every_figure_of_every_cell(self):
        for name in FILES + ("nopnl",):
            path = F.result(name)
            df = mcrisk.summary(path)
            with h5py.File(path, "r") as f:
                cells = [(s, t) for s in f["scenarios"]
                         for t in f[f"scenarios/{s}/strategies"]]
                self.assertEqual(list(df.index), cells, name)
                self.assertEqual(df.index.names, ["scenario", "strategy"])
                for s, t in cells:
                    g = f[f"scenarios/{s}/strategies/{t}"]
                    row = df.loc[(s, t)]
                    for k, v in g.attrs.items():
                        want = v.item() if hasattr(v, "item") else v  # text: diff_baseline
                        self.assertEqual(row[k], want, f"{name} {s}/{t} {k}")
                    for rec in g["risk"][()]:
                        lv = f"{rec['level']:.10g}"
                        for field in ("var", "var_se", "cvar", "cvar_se"):
                            self.assertEqual(row[f"{field}_{lv}"], rec[field])
                    self.assertAlmostEqual(row["hedge_cost"],
                                           g.attrs["mean"] - g.attrs["mean_book"], places=12)
                p = df.attrs["provenance"]
                self.assertEqual(p["seed"], 7)
                self.assertEqual(p["paths"], f.attrs["paths"])
                self.assertEqual(df.attrs["levels"], [0.95, 0.99])
                self.assertEqual(df.attrs["currency"], "USD")
                self.assertEqual(df.attrs["scenarios"], list(f["scenarios"]))
            for col in ("var_0.95", "cvar_se_0.99", "mean", "std", "p_liquidation"):
                self.assertIn(col, df.columns)

    def test_kinds_and_perpetuals(self):
        df = mcrisk.summary(F.result("seven"))
        self.assertEqual(len(df.attrs["scenarios"]), 7)
        base = df.xs("base", level="scenario")
        self.assertEqual(base.loc["short_linear_perpetual", "kind"], "perp_hedge")
        self.assertEqual(base.loc["protective_put_90", "kind"], "protective_put")
        self.assertEqual(base["holds_perp"].to_dict(),
                         {"unhedged": False, "protective_put_90": False,
                          "zero_cost_collar": False, "short_linear_perpetual": True})
        # The unhedged strategy is the book: its hedge cost is zero up to rounding.
        self.assertLess(abs(base.loc["unhedged", "hedge_cost"]), 1e-9 * base.loc["unhedged",
                                                                                  "std"])

    def test_delta_hedge_perpetuals(self):
        """A delta hedge without `instrument` trades the linear perpetual (its default) and can be
        liquidated; with `instrument: spot` it holds none; a combination holds what its parts
        hold. Every strategy liquidated on some path is one that holds a perpetual."""
        df = mcrisk.summary(F.result("delta"))
        base = df.xs("base", level="scenario")
        self.assertEqual(base["holds_perp"].to_dict(),
                         {"unhedged": False, "delta_default": True, "delta_spot": False,
                          "put_and_delta": True})
        self.assertEqual(base.loc["put_and_delta", "kind"], "protective_put+delta_hedge")
        for name in ("delta", "seven", "two_assets"):
            df = mcrisk.summary(F.result(name))
            liquidated = df[df["p_liquidation"] > 0]
            self.assertTrue(liquidated["holds_perp"].all(),
                            f"{name}: liquidated but not holding a perpetual: "
                            f"{list(liquidated.index[~liquidated['holds_perp']])}")
        self.assertGreater(base.loc["delta_default", "p_liquidation"], 0)

    def test_asset_names(self):
        self.assertEqual(mcrisk.summary(F.result("two_assets")).attrs["assets"], ["BTC", "ETH"])
        self.assertEqual(mcrisk.summary(F.result("default")).attrs["assets"], ["BTC"])


class PerPath(unittest.TestCase):
    def test_pnl_and_components(self):
        path = F.result("three")
        df = mcrisk.summary(path)
        for (s, t), row in df.iterrows():
            x = mcrisk.pnl(path, s, t)
            self.assertEqual(x.shape, (df.attrs["paths"],))
            self.assertEqual(x.dtype, np.float64)
            scale = max(1.0, float(np.max(np.abs(x))))
            self.assertLessEqual(abs(float(np.mean(x)) - row["mean"]), 1e-9 * scale)
            parts = mcrisk.components(path, s, t)
            self.assertEqual(list(parts)[:2], ["book", "hedge"])
            total = np.sum(list(parts.values()), axis=0)
            self.assertLessEqual(float(np.max(np.abs(total - x))), 1e-9 * scale)
            # VaR at 99% is the ceil(n p)-th smallest P&L, negated.
            k = math.ceil(x.size * 0.01 - 1e-9)
            self.assertEqual(row["var_0.99"], -np.sort(x)[k - 1])

    def test_keep_pnl_false(self):
        path = F.result("nopnl")
        with self.assertRaisesRegex(mcrisk.ResultError, "keep_pnl: false"):
            mcrisk.pnl(path, "base", "put90")
        with self.assertRaisesRegex(mcrisk.ResultError, "keep_pnl: false"):
            mcrisk.components(path, "base", "put90")
        edges, counts, under, over = mcrisk.histogram(path, "base", "put90")
        self.assertEqual(edges.shape, (201,))
        self.assertEqual(int(counts.sum()) + under + over, 1500)

    def test_unknown_cell(self):
        with self.assertRaisesRegex(mcrisk.ResultError, "no cell base/nope; scenarios: base"):
            mcrisk.pnl(F.result("one"), "base", "nope")

    def test_not_a_result_file(self):
        junk = F.scratch("junk.h5")
        with open(junk, "w") as f:
            f.write("not HDF5\n")
        with self.assertRaisesRegex(mcrisk.ResultError, "junk.h5: cannot read result file"):
            mcrisk.summary(junk)


class CommandLine(unittest.TestCase):
    def test_help(self):
        code, out, _ = F.python("--help")
        self.assertEqual(code, 0)
        for word in ("summary", "plots", "html"):
            self.assertIn(word, out)
        self.assertEqual(F.python("plots", "--help")[0], 0)

    def test_summary_table(self):
        for name in FILES:
            path = F.result(name)
            code, out, err = F.python("summary", path)
            self.assertEqual(code, 0, err)
            lines = out.splitlines()
            self.assertLessEqual(max(len(x) for x in lines), 120, out)
            df = mcrisk.summary(path)
            self.assertIn("1,000" if name == "seven" else "paths", lines[1])
            self.assertIn("currency USD", out)
            self.assertIn("levels 95%, 99%", out)
            self.assertIn("higher is better", out)
            for s in df.attrs["scenarios"]:
                self.assertIn(f"scenario {s}", lines)
            rows = [x for x in lines if x.startswith("protective_put_90 ")]
            self.assertEqual(len(rows), len(df.attrs["scenarios"]))
            # P(liq) is "-" where no perpetual is held, a percentage where one is.
            self.assertTrue(all(" - " in x for x in rows), rows)
            perp = [x for x in lines if x.startswith("short_linear_perpetual ")]
            self.assertTrue(all("%" in x for x in perp), perp)
            # Columns line up whatever the name lengths: every row has the header's width.
            head = [x for x in lines if x.startswith("strategy ")][0]
            body = [x for x in lines if x.split(" ")[0] in df.attrs["strategies"]]
            self.assertTrue(all(len(x) == len(head) for x in body))

    def test_formats(self):
        path = F.result("three")
        code, out, err = F.python("summary", path, "--format", "csv")
        self.assertEqual(code, 0, err)
        df = pd.read_csv(io.StringIO(out), comment="#", index_col=[0, 1])
        self.assertEqual(len(df), 12)
        want = mcrisk.summary(path)
        self.assertEqual(df.loc[("luna", "zero_cost_collar"), "cvar_0.99"],
                         want.loc[("luna", "zero_cost_collar"), "cvar_0.99"])
        code, out, err = F.python("summary", path, "--format", "json")
        self.assertEqual(code, 0, err)
        tree = json.loads(out)
        cell = tree["scenarios_tree"]["luna"]["strategies"]["unhedged"]
        self.assertEqual(cell["attrs"]["mean"], want.loc[("luna", "unhedged"), "mean"])
        self.assertEqual(cell["pnl"]["per_path"], True)
        self.assertEqual(len(cell["hist_counts"]), 200)
        self.assertEqual(cell["risk"][1]["level"], 0.99)
        code, out, err = F.python("summary", path, "--format", "markdown")
        self.assertEqual(code, 0, err)
        self.assertEqual(sum(1 for x in out.splitlines() if x.startswith("| luna |")), 4)

    def test_bad_input(self):
        code, out, err = F.python("summary", F.scratch("absent.h5"))
        self.assertEqual(code, 2)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn("absent.h5: cannot read result file: No such file", err)
        self.assertEqual(F.python("summary", "--format", "xml", F.result("one"))[0], 2)

    def test_selftest(self):
        code, out, err = F.python("selftest", F.result("seven"))
        self.assertEqual(code, 0, err)
        self.assertIn("28 cells checked, 0 failures", out)


if __name__ == "__main__":
    unittest.main()
