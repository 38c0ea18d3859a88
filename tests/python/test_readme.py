"""The README is the front door, so it is tested like code:

- every example marked `<!-- example -->` is run: the commands of the ```sh block after the
  marker, from a scratch directory with `build/mcrisk` meaning the binary under test, must print
  exactly the ```text block that follows (a `<word>` in the quoted output stands for any text on
  that line: the revision, the time);
- the figures quoted from results/default_run/ (a ```text block after
  `<!-- quoted from results/default_run/summary.txt -->`) are lines of that file, and that file
  was made with the built-in default config of this binary (results/default_run/config.yaml);
- every path the README names (links, and backquoted paths of the tree) exists in the
  repository, and nothing points outside it."""

import os
import re
import subprocess
import unittest

import fixtures as F

README = os.path.join(F.ROOT, "README.md")
DEFAULT_RUN = os.path.join(F.ROOT, "results", "default_run")


def readme():
    with open(README) as f:
        return f.read()


def blocks_after(text, marker, *kinds):
    """For each `marker`, the bodies of the next fenced blocks of the given kinds, in order."""
    out = []
    for m in re.finditer(re.escape(marker), text):
        pos, bodies = m.end(), []
        for kind in kinds:
            b = re.compile(r"^```" + kind + r"\n(.*?)^```\n", re.S | re.M).search(text, pos)
            if b is None:
                raise AssertionError(f"README: no ```{kind} block after {marker!r}")
            bodies.append(b.group(1))
            pos = b.end()
        out.append(bodies)
    return out


def pattern(quoted):
    """The quoted output as a regular expression: `<word>` matches any text on its line."""
    parts = re.split(r"(<[a-z_ ]+>)", quoted)
    return "".join(".+?" if re.fullmatch(r"<[a-z_ ]+>", p) else re.escape(p) for p in parts)


class Examples(unittest.TestCase):
    def test_examples_print_what_the_readme_quotes(self):
        examples = blocks_after(readme(), "<!-- example -->", "sh", "text")
        self.assertGreaterEqual(len(examples), 2)
        work = F.scratch("readme")
        os.makedirs(work, exist_ok=True)
        env = dict(os.environ, PYTHONPATH=os.path.join(F.ROOT, "python"))
        for commands, quoted in examples:
            got = ""
            for cmd in commands.splitlines():
                if not cmd.strip() or cmd.lstrip().startswith("#"):
                    continue
                cmd = cmd.split("  #")[0]  # a trailing comment
                cmd = re.sub(r"(^|[\s|;(])build/mcrisk\b", lambda m: m.group(1) + F.binary(), cmd)
                p = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], cwd=work, env=env,
                                   capture_output=True, text=True, timeout=600)
                self.assertEqual(p.returncode, 0, f"{cmd}: {p.stderr}")
                got += p.stdout
            self.assertRegex(got, "^" + pattern(quoted) + "$",
                             f"README example\n{commands}\nprints\n{got}\nnot\n{quoted}")


class DefaultRun(unittest.TestCase):
    def test_quoted_figures_come_from_results(self):
        with open(os.path.join(DEFAULT_RUN, "summary.txt")) as f:
            lines = set(f.read().splitlines())
        quotes = blocks_after(readme(), "<!-- quoted from results/default_run/summary.txt -->",
                              "text")
        self.assertGreaterEqual(len(quotes), 1)
        for (quoted,) in quotes:
            for line in quoted.splitlines():
                if line.strip() and line.strip() != "...":
                    self.assertIn(line, lines, "README quotes a line results/default_run/"
                                               "summary.txt does not have")

    def test_results_are_of_the_built_in_default(self):
        out = F.scratch("default_1.h5")
        code, _, err = F.run_binary("run", "--paths", "64", "--quiet", "-o", out)
        self.assertEqual(code, 0, err)
        import h5py
        with h5py.File(out, "r") as f:
            built_in = f.attrs["config_yaml"]
        built_in = built_in.decode() if isinstance(built_in, bytes) else built_in
        with open(os.path.join(DEFAULT_RUN, "config.yaml")) as f:
            self.assertEqual(f.read(), built_in, "results/default_run is not of the built-in "
                             "default config: run scripts/regenerate-default-run.sh")
        with open(os.path.join(DEFAULT_RUN, "summary.txt")) as f:
            text = f.read()
        self.assertIn("config: <built-in default>; seed 42", text)
        for name in ("summary.csv", "summary.md", "report.html", "report.png",
                     "plots/risk_bars.png"):
            self.assertTrue(os.path.exists(os.path.join(DEFAULT_RUN, name)), name)


#: Backquoted words that look like paths of the tree: a top-level folder, then a name.
_TREE = ("docs", "tests", "scripts", "configs", "results", "python", "config", "core", "models",
         "kernels", "scenario", "instruments", "strategies", "sim", "risk", "output", "run",
         "bench", "cli", "data", "cmake", ".ci")


class Links(unittest.TestCase):
    def test_nothing_outside_the_repository(self):
        text = readme()
        self.assertNotIn("../", text.replace("](../", ""), "README points outside the repo")
        self.assertNotRegex(text, r"shared/(DESIGN|WORKLOADS|STYLE|TOOLCHAIN|REFERENCE)")

    def test_every_named_path_exists(self):
        text = readme()
        named = set(re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text))
        for m in re.finditer(r"`([A-Za-z0-9_./-]+)`", text):
            word = m.group(1)
            if "/" in word and word.split("/")[0] in _TREE and not word.startswith("build"):
                named.add(word)
        self.assertGreater(len(named), 20)
        missing = sorted(p for p in named if not os.path.exists(os.path.join(F.ROOT, p)))
        self.assertEqual(missing, [], "README names paths the repository does not have")

    def test_default_run_readme_stands_alone(self):
        with open(os.path.join(DEFAULT_RUN, "README.md")) as f:
            text = f.read()
        self.assertNotIn("engine/", text)
        self.assertNotRegex(text, r"\d+(\.\d+)? s\b", "timings belong in the README's section")


if __name__ == "__main__":
    unittest.main()
