"""The HTML report: one self-contained file (no script, style sheet, font or image from
anywhere else) with the header, the tables, every plot, the CVaR heatmap when there are
several scenarios, provenance and the config; written through the binary too."""

import base64
import html
import os
import re
import unittest
from html.parser import HTMLParser

import fixtures as F
import mcrisk
from mcrisk import html as report
from mcrisk import plots
from mcrisk.reader import Result

_CACHE = {}


def page(name, images="svg"):
    if (name, images) not in _CACHE:
        _CACHE[(name, images)] = report.render(F.result(name), images=images)
    return _CACHE[(name, images)]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <title>, <th> and <td>."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.cells, self.title, self._in = [], [], "", None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("title", "th", "td"):
            self._in = tag
            if tag != "title":
                self.cells.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in in ("th", "td"):
            self.cells[-1] += data


def external_references(text):
    """Every reference that would make a browser fetch something."""
    t = Tags(text)
    bad = [(tag, a) for tag, a in t.tags if tag in ("script", "link", "iframe", "object",
                                                     "embed", "base")]
    for tag, attrs in t.tags:
        for k, v in attrs.items():
            if k in ("src", "href", "xlink:href", "srcset", "action", "poster", "data") and v \
                    and not v.startswith(("#", "data:")):
                bad.append((tag, k, v))
    bad += re.findall(r"url\((?!#|['\"]?data:)[^)]*\)", text)
    bad += re.findall(r"@import", text)
    return bad


class Report(unittest.TestCase):
    def test_one_scenario(self):
        text = page("one")
        t = Tags(text)
        self.assertEqual(t.title, "mcrisk risk report: one.h5")
        self.assertEqual(external_references(text), [])
        df = mcrisk.summary(F.result("one"))
        for fact, value in (("horizon", "30 days"), ("steps", "720"), ("paths", "2,000"),
                            ("seed", "7"), ("levels", "95%, 99%"), ("currency", "USD"),
                            ("scenarios", "base"), ("assets", "BTC")):
            i = t.cells.index(fact)
            self.assertEqual(t.cells[i + 1], value, fact)
        for s in df.attrs["strategies"]:
            self.assertIn(s, t.cells)
        # The summary row of the put: its CVaR 99% with its se, as the table prints it.
        row = df.loc[("base", "protective_put_90")]
        want = mcrisk.units.money_se(row["cvar_0.99"], row["cvar_se_0.99"], "USD")
        self.assertIn(want.replace(" +- ", " \u00b1 "), t.cells)
        self.assertNotIn("CVaR 99% by scenario and strategy", text)  # one scenario: no heatmap
        with Result(F.result("one")) as r:
            names = [n for n, _ in plots.figures(r)]
        self.assertEqual(text.count("<svg"), len(names))
        for n in names:
            self.assertIn(f'<figure id="{n}">', text)
        self.assertIn("<h2>Provenance</h2>", text)
        self.assertIn(html.escape(df.attrs["provenance"]["config_yaml"], quote=True)[:200],
                      text)

    def test_seven_scenarios_heatmap(self):
        text = page("seven")
        self.assertEqual(external_references(text), [])
        self.assertIn("<h2>CVaR 99% by scenario and strategy</h2>", text)
        heat = text[text.index('<table class="heatmap">'):]
        heat = heat[:heat.index("</table>")]
        t = Tags(heat)
        df = mcrisk.summary(F.result("seven"))
        scen, strat = df.attrs["scenarios"], df.attrs["strategies"]
        self.assertEqual(t.cells[:1 + len(scen)], ["strategy"] + scen)
        for i, name in enumerate(strat):
            row = t.cells[(1 + i) * (1 + len(scen)):(2 + i) * (1 + len(scen))]
            self.assertEqual(row[0], name)
            self.assertEqual(row[1:], [mcrisk.units.money(df.loc[(s, name), "cvar_0.99"])
                                       for s in scen])
        for s in scen:
            self.assertIn(f"<h3>scenario {s}</h3>", text)
        # Each inline SVG has ids of its own, so no reference crosses from one plot to another.
        ids = re.findall(r'\bid="([^"]+)"', text)
        self.assertEqual(len(ids), len(set(ids)))

    def test_png_images(self):
        text = page("one", images="png")
        self.assertEqual(external_references(text), [])
        self.assertNotIn("<svg", text)
        imgs = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
        self.assertEqual(len(imgs), 5)
        for b in imgs:
            self.assertEqual(base64.b64decode(b)[:8], b"\x89PNG\r\n\x1a\n")

    def test_keep_pnl_false_report(self):
        text = page("nopnl")
        self.assertEqual(external_references(text), [])
        self.assertIn("liquidation plot not drawn: no strategy holds a perpetual", text)
        self.assertIn("stored 200-bin histograms", text.replace("\n", " "))

    def test_checker_sees_external_references(self):
        bad = ('<link rel="stylesheet" href="https://cdn.example/x.css">'
               '<img src="http://example.com/a.png"><div style="background:url(//x/y.png)">')
        self.assertEqual(len(external_references(bad)), 4)

    def test_command_line_and_binary(self):
        out = F.scratch("cli_report.html")
        code, stdout, err = F.python("html", F.result("three"), "-o", out)
        self.assertEqual(code, 0, err)
        self.assertEqual(stdout, f"{out}\n")
        with open(out) as f:
            self.assertEqual(Tags(f.read()).title, "mcrisk risk report: three.h5")
        out = F.scratch("bin_report.html")
        code, stdout, err = F.run_binary("report", F.result("three"), "--html", out,
                                         "--plots-format", "png")
        self.assertEqual(code, 0, err)
        self.assertLess(stdout.index("scenario luna\n"), stdout.index(out))  # the table first
        with open(out) as f:
            text = f.read()
        self.assertEqual(len(re.findall(r"data:image/png;base64,", text)), 10)
        self.assertEqual(external_references(text), [])
        code, stdout, err = F.run_binary("report", F.result("three"), "--html",
                                         F.scratch("nodir/r.html"))
        self.assertEqual(code, 2)
        self.assertEqual(err, f"mcrisk: {F.scratch('nodir/r.html')}: cannot write the HTML "
                              f"report: no directory {F.scratch('nodir')}\n")
        self.assertFalse(os.path.exists(F.scratch("nodir")))


if __name__ == "__main__":
    unittest.main()
