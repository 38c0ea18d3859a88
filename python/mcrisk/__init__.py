"""mcrisk: read, tabulate, plot and report mcrisk result files (HDF5 layout 1).

Needs Debian's python3-h5py and python3-numpy; summary() also python3-pandas, the plots
python3-matplotlib, the config-derived facts (asset names, strategy kinds) python3-yaml.
Run with /usr/bin/python3.

    import mcrisk
    r = mcrisk.load("out.h5")                 # the whole file as nested dicts of numpy arrays
    df = mcrisk.summary("out.h5")             # DataFrame indexed by (scenario, strategy)
    df.loc[("base", "put90"), "cvar_0.99"]; df.attrs["provenance"]["seed"]
    x = mcrisk.pnl("out.h5", "base", "put90") # float64 [paths]
    parts = mcrisk.components("out.h5", "base", "put90")

Command line: `python3 -m mcrisk --help`.
"""

__all__ = ["load", "summary", "pnl", "components", "histogram", "sample_paths", "metadata",
           "Result", "ResultError", "Group", "COMPONENTS"]


def __getattr__(name):
    # Imported on first use, so `python3 -m mcrisk --help` works, and a missing python3-h5py is
    # reported as one line by the command line rather than as a traceback on import.
    if name in __all__:
        from . import reader
        return getattr(reader, name)
    raise AttributeError(f"module 'mcrisk' has no attribute {name!r}")
