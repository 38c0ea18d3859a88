"""`python3 -m mcrisk`: the summary table, the plots and the HTML report of a result file.

Exit status: 0 success, 2 bad input (unreadable result file, bad flag, a directory or file
that cannot be made), 3 a missing Debian package, 1 anything else. Errors are one line on
stderr starting with "mcrisk: " (MCR_PLOTS_DEBUG=1 shows the traceback instead)."""

import argparse
import os
import sys

#: Python modules -> the Debian package that provides them.
_DEBIAN = {"numpy": "python3-numpy", "h5py": "python3-h5py", "pandas": "python3-pandas",
           "matplotlib": "python3-matplotlib", "yaml": "python3-yaml"}


class UsageError(Exception):
    """Input the user can fix: exit status 2."""


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m mcrisk",
        description="Read an mcrisk result file (HDF5 layout 1): print its summary table, draw "
                    "its plots, write a self-contained HTML report.",
        epilog="Exit status: 0 success, 2 bad input, 3 a missing Debian package, 1 other.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    s = sub.add_parser("summary", help="print the summary table",
                       description="Print the summary table of a result file.")
    s.add_argument("file", metavar="OUT.h5")
    s.add_argument("--format", choices=("table", "csv", "markdown", "json"), default="table",
                   help="table (default): aligned text within 120 columns; csv, markdown: every "
                        "figure; json: the whole summary tree")
    s.add_argument("--wide", action="store_true", help="table: every level and figure")
    s = sub.add_parser("plots", help="draw the plots into a directory",
                       description="Draw every plot of a result file into DIR (created if "
                                   "missing; its parent must exist) and print the files written.")
    s.add_argument("file", metavar="OUT.h5")
    s.add_argument("dir", metavar="DIR")
    s.add_argument("--format", choices=("png", "svg"), default="png")
    s = sub.add_parser("html", help="write a self-contained HTML report",
                       description="Write one self-contained HTML file (no network resources): "
                                   "header, tables, every plot, provenance and the config.")
    s.add_argument("file", metavar="OUT.h5")
    s.add_argument("-o", "--output", metavar="REPORT.html", required=True)
    s.add_argument("--images", choices=("svg", "png"), default="svg",
                   help="plots embedded as inline SVG (default) or base64 PNG")
    s = sub.add_parser("frontier", help="draw hedge cost against CVaR",
                       description="Draw DIR/frontier.FORMAT: hedge cost against CVaR of every "
                                   "strategy, the efficient ones marked (needs a run of at least "
                                   "two strategies: the diff_* attributes).")
    s.add_argument("file", metavar="OUT.h5")
    s.add_argument("dir", metavar="DIR")
    s.add_argument("--format", choices=("png", "svg"), default="png")
    s = sub.add_parser("selftest", help="check a result file against itself",
                       description="Check that a result file holds together (components add up "
                                   "to pnl, summaries match the arrays); exit 1 when not.")
    s.add_argument("file", metavar="OUT.h5")
    return p


def make_dir(d):
    """Create the output directory if missing (not its parents: a mistyped parent is an error)."""
    if os.path.isdir(d):
        if not os.access(d, os.W_OK | os.X_OK):
            raise UsageError(f"{d}: cannot write plots: directory not writable")
        return
    try:
        os.mkdir(d)
    except OSError as exc:
        raise UsageError(f"{d}: cannot create plot directory: {exc.strerror}") from None


def _run(args):
    from .reader import Result

    if args.command != "selftest":
        Result(args.file).close()  # an unreadable file fails here, before any output
    if args.command == "summary":
        from . import table
        out = {"table": lambda: table.text(args.file, wide=args.wide),
               "csv": lambda: table.csv(args.file),
               "markdown": lambda: table.markdown(args.file),
               "json": lambda: table.json_text(args.file)}[args.format]()
        sys.stdout.write(out)
        return 0
    if args.command == "plots":
        from . import plots
        make_dir(args.dir)
        written, notes = plots.write(args.file, args.dir, args.format)
        for w in written:
            print(w)
        for n in notes:
            print(f"note: {n}")
        return 0
    if args.command == "frontier":
        from . import frontier
        make_dir(args.dir)
        try:
            print(frontier.write(args.file, args.dir, args.format))
        except ValueError as exc:
            raise UsageError(f"{args.file}: {exc}") from None
        return 0
    if args.command == "html":
        from . import html
        parent = os.path.dirname(os.path.abspath(args.output))
        if not os.path.isdir(parent):
            raise UsageError(f"{args.output}: cannot write the report: no directory {parent}")
        html.write(args.file, args.output, images=args.images)
        print(args.output)
        return 0
    from . import selftest
    checked, bad = selftest.check(args.file)
    for b in bad:
        print(f"mcrisk: FAIL {b}", file=sys.stderr)
    print(f"{args.file}: {checked} cells checked, {len(bad)} failures")
    return 1 if bad else 0


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ImportError as exc:
        mod = (exc.name or "").split(".")[0]
        pkg = _DEBIAN.get(mod, mod or "a Python package")
        print(f"mcrisk: {pkg} is not installed (apt-get install {pkg})", file=sys.stderr)
        return 3
    except UsageError as exc:
        print(f"mcrisk: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from .reader import ResultError
        if isinstance(exc, ResultError):
            print(f"mcrisk: {exc}", file=sys.stderr)
            return 2
        if os.environ.get("MCR_PLOTS_DEBUG"):
            raise
        msg = " ".join(str(exc).split())
        print(f"mcrisk: {args.file}: {type(exc).__name__}: {msg}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head`
        sys.exit(0)
