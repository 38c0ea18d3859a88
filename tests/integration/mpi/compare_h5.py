"""Bitwise comparison of two mcrisk result files (HDF5 layout 1), for the MPI tests.

Every group, dataset and attribute must be present in both files with the same type, shape and
bytes, except the provenance that differs between runs by design (created_utc, run_seconds,
threads; mpi_ranks exists only in files written under MPI), and the root attributes named with
--ignore. Floats are compared as bytes, so -0.0 != 0.0 and a NaN equals only the same NaN. With
--storage, every chunk of every chunked dataset must also be stored alike: at the same file
offset, with the same filter mask and the same encoded bytes (the same file but for the values of
the provenance above). Exit status 0 when equal, 1 otherwise (each difference printed), 2 on usage
errors.
    compare_h5.py [--storage] [--ignore NAME]... A.h5 B.h5

Run with Debian's /usr/bin/python3 (python3-h5py, python3-numpy)."""
import sys

import h5py
import numpy as np

IGNORED_ROOT_ATTRS = {"created_utc", "run_seconds", "threads", "mpi_ranks"}


def attrs_of(obj, root, ignored):
    names = set(obj.attrs)
    return names - ignored if root else names


def same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) or isinstance(a, np.generic):
        a, b = np.asarray(a), np.asarray(b)
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    return type(a) is type(b) and a == b


def stored_chunks(d):
    """(offset, filter mask, encoded bytes) of each chunk of dataset d, in chunk order."""
    dsid = d.id
    out = []
    for i in range(dsid.get_num_chunks()):
        info = dsid.get_chunk_info(i)
        mask, data = dsid.read_direct_chunk(info.chunk_offset)
        out.append((info.byte_offset, mask, bytes(data)))
    return out


def compare(fa, fb, ignored, storage=False):
    problems = []

    def walk(ga, gb, path):
        root = path == "/"
        na, nb = attrs_of(ga, root, ignored), attrs_of(gb, root, ignored)
        for name in sorted(na ^ nb):
            problems.append(f"{path} attribute {name}: only in one file")
        for name in sorted(na & nb):
            if not same_value(ga.attrs[name], gb.attrs[name]):
                problems.append(f"{path} attribute {name}: {ga.attrs[name]!r} != "
                                f"{gb.attrs[name]!r}")
        ka, kb = set(ga.keys()), set(gb.keys())
        for name in sorted(ka ^ kb):
            problems.append(f"{path}{name}: only in one file")
        for name in sorted(ka & kb):
            a, b = ga[name], gb[name]
            sub = f"{path}{name}"
            if isinstance(a, h5py.Group) and isinstance(b, h5py.Group):
                walk(a, b, sub + "/")
            elif isinstance(a, h5py.Dataset) and isinstance(b, h5py.Dataset):
                for aname in sorted(set(a.attrs) ^ set(b.attrs)):
                    problems.append(f"{sub} attribute {aname}: only in one file")
                if a.dtype != b.dtype or a.shape != b.shape:
                    problems.append(f"{sub}: {a.dtype}{a.shape} != {b.dtype}{b.shape}")
                elif a.chunks != b.chunks or a.compression != b.compression:
                    problems.append(f"{sub}: storage {a.chunks}/{a.compression} != "
                                    f"{b.chunks}/{b.compression}")
                else:
                    da, db = a[()], b[()]
                    if da.tobytes() != db.tobytes():
                        ea = np.frombuffer(da.tobytes(), np.uint8).reshape(da.size, -1)
                        eb = np.frombuffer(db.tobytes(), np.uint8).reshape(db.size, -1)
                        idx = np.flatnonzero((ea != eb).any(axis=1))
                        problems.append(f"{sub}: {idx.size} of {da.size} values differ "
                                        f"(first at index {idx[0]})")
                    if storage and a.chunks and stored_chunks(a) != stored_chunks(b):
                        problems.append(f"{sub}: chunks stored differently (offsets or bytes)")
            else:
                problems.append(f"{sub}: a group in one file, a dataset in the other")

    walk(fa, fb, "/")
    return problems


def main(argv):
    ignored, args, storage = set(IGNORED_ROOT_ATTRS), argv[1:], False
    while args and args[0] in ("--ignore", "--storage"):
        if args[0] == "--storage":
            storage, args = True, args[1:]
        elif len(args) >= 2:
            ignored.add(args[1])
            args = args[2:]
        else:
            break
    if len(args) != 2:
        print("usage: compare_h5.py [--storage] [--ignore NAME]... A.h5 B.h5", file=sys.stderr)
        return 2
    a, b = args
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        problems = compare(fa, fb, ignored, storage)
        n_data = sum(1 for _ in _datasets(fa))
    for p in problems:
        print(f"{a} vs {b}: {p}")
    if not problems:
        print(f"{a} == {b}: {n_data} datasets and every attribute bitwise equal")
    return 1 if problems else 0


def _datasets(group):
    for obj in group.values():
        if isinstance(obj, h5py.Group):
            yield from _datasets(obj)
        else:
            yield obj


if __name__ == "__main__":
    sys.exit(main(sys.argv))
