#!/usr/bin/python3
"""Generate, or check, kernels/sobol_table.c: the Joe-Kuo Sobol direction numbers for mcrisk.

Source: the Joe & Kuo (2008) table new-joe-kuo-6.21201 as Debian ships it in python3-scipy
(scipy/stats/_sobol_direction_numbers.npz: `poly`, the primitive polynomials with their leading and
trailing 1 bits, and `vinit`, the initial direction integers m_1..m_s per dimension). The check
mode regenerates the file from that source and compares it byte for byte with the committed one,
then cross-checks every dimension that Boost also ships (libboost-dev,
boost/random/detail/sobol_table.hpp, 3667 dimensions) against Boost's copy of the same table.

  /usr/bin/python3 scripts/gen_sobol_table.py            # write kernels/sobol_table.c
  /usr/bin/python3 scripts/gen_sobol_table.py --check    # verify it (exit 1 on any difference)
  /usr/bin/python3 scripts/gen_sobol_table.py --reference
      # print scipy.stats.qmc.Sobol(4096, scramble=False, bits=32) points x 2^32 at a few indices
      # and dimensions: the values tests/unit/kernels/test_sobol.c compares against

Run it with Debian's /usr/bin/python3 (numpy and scipy come from python3-numpy, python3-scipy).
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys

import numpy as np
import scipy

DIMS = 4096  # 365 daily steps x 8 assets = 2920 diffusion dimensions, rounded up to 2^12
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "kernels", "sobol_table.c")
NPZ = os.path.join(os.path.dirname(scipy.__file__), "stats", "_sobol_direction_numbers.npz")
BOOST = "/usr/include/boost/random/detail/sobol_table.hpp"


# The licence of the Joe-Kuo direction numbers, which requires the notice to travel with the table.
LICENSE = "\n".join(" * " + line if line else " *" for line in """\
Licence of the direction numbers (Joe & Kuo, sobol.cc and its sets of direction numbers):
Copyright (c) 2008, Frances Y. Kuo and Stephen Joe
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

    * Redistributions of source code must retain the above copyright
      notice, this list of conditions and the following disclaimer.

    * Redistributions in binary form must reproduce the above copyright
      notice, this list of conditions and the following disclaimer in the
      documentation and/or other materials provided with the distribution.

    * Neither the names of the copyright holders nor the names of the
      University of New South Wales and the University of Waikato
      and its contributors may be used to endorse or promote products derived
      from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ``AS IS'' AND ANY
EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS BE LIABLE FOR ANY
DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
(INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND
ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.""".splitlines())


def deb_version(package):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load_source():
    data = np.load(NPZ)
    poly = [int(p) for p in data["poly"][:DIMS]]
    vinit = data["vinit"][:DIMS]
    m = []
    for d, p in enumerate(poly):
        s = p.bit_length() - 1  # degree: the leading 1 is x^s
        row = [int(v) for v in vinit[d][:s]]
        for k, v in enumerate(row):  # m_k is odd and below 2^k (Bratley & Fox 1988)
            if v % 2 != 1 or v >= (1 << (k + 1)):
                sys.exit(f"{NPZ}: dimension {d}: m_{k + 1} = {v} is not odd and < 2^{k + 1}")
        m.append(row)
    if poly[0] != 1:
        sys.exit(f"{NPZ}: dimension 0 should be the van der Corput sequence (poly 1), got {poly[0]}")
    with open(NPZ, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return poly, m, digest


def rows(values, width=100):
    """Comma-separated values, unpadded, in lines of at most `width` characters."""
    out, line = [], "   "
    for v in values:
        item = f" {v},"
        if len(line) + len(item) > width:
            out.append(line)
            line = "   "
        line += item
    out.append(line)
    return "\n".join(out)


def render(poly, m, digest):
    flat = [v for row in m for v in row]
    max_degree = max(p.bit_length() - 1 for p in poly)
    return f"""/* GENERATED by scripts/gen_sobol_table.py: do not edit. Regenerate it (needs Debian's
 * python3-numpy and python3-scipy; libboost-dev for the cross-check) from the repository root with
 *   /usr/bin/python3 scripts/gen_sobol_table.py
 * and check it, byte for byte against the scipy source and against Boost's copy, with
 *   /usr/bin/python3 scripts/gen_sobol_table.py --check
 * Sobol direction numbers for the first {DIMS} dimensions (365 daily steps x 8 assets = 2920
 * diffusion dimensions, rounded up to 2^12; draws beyond stay pseudo-random).
 * Source: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
 * projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654, table new-joe-kuo-6.21201, as shipped by
 * Debian python3-scipy {deb_version("python3-scipy")} in scipy/stats/_sobol_direction_numbers.npz
 * (sha256 {digest[:32]}
 *         {digest[32:]}); the check mode also compares every dimension Boost ships
 * (libboost-dev, boost/random/detail/sobol_table.hpp, 3667 dimensions) with this table.
 * Layout: mcr_sobol_poly[d] is the primitive polynomial of dimension d over GF(2) with its leading
 * (x^s) and trailing (1) bits, so its degree s is its bit length - 1 (dimension 0, poly 1, s = 0:
 * the van der Corput sequence, all m = 1); mcr_sobol_m holds m_1..m_s of dimension 0, 1, ... in
 * order (s entries each). Maximum degree {max_degree}, {len(flat)} initial direction integers.
 *
{LICENSE} */
#include "sobol.h"

const uint32_t mcr_sobol_poly[MCR_SOBOL_MAX_DIMS] = {{
{rows(poly)}
}};

const uint16_t mcr_sobol_m[] = {{
{rows(flat)}
}};

const uint32_t mcr_sobol_m_count = sizeof mcr_sobol_m / sizeof mcr_sobol_m[0];
""", len(flat), max_degree


def parse_boost(path):
    text = open(path).read()

    def array(name):
        body = re.search(name + r"\[[^\]]*\]\s*=\s*\{([^}]*)\}", text).group(1)
        return [int(v) for v in re.findall(r"\d+", body)]

    a = array("sobol_a")
    minit = array("sobol_minit")
    max_degree = int(re.search(r"max_degree\s*=\s*(\d+)", text).group(1))
    return a, minit, max_degree


def check_boost(poly, m):
    if not os.path.exists(BOOST):
        print(f"note: {BOOST} not installed (libboost-dev): Boost cross-check skipped")
        return 0
    a, minit, max_degree = parse_boost(BOOST)
    n = min(len(a), DIMS - 1)  # Boost numbers the dimensions from our dimension 1
    bad = 0
    for j in range(n):
        d = j + 1
        s = poly[d].bit_length() - 1
        theirs = minit[max_degree * j:max_degree * j + s]
        if a[j] != poly[d] or theirs != m[d]:
            print(f"dimension {d}: boost poly {a[j]} m {theirs} vs scipy poly {poly[d]} m {m[d]}")
            bad += 1
    print(f"boost cross-check: {n} dimensions, {bad} differ")
    return bad


REF_DIMS = [0, 1, 2, 3, 100, 1000, 2919, 4095]
REF_INDICES = [0, 1, 2, 3, 5, 100, 1000, 65535, 1000000, 2**31, 3141592653, 2**32 - 1]


def reference():
    """The unscrambled points that tests/unit/kernels/test_sobol.c expects, as C initialisers.

    Indices below 2^16 come from scipy's public interface (fast_forward, then random); the far
    ones XOR scipy's own 32-bit direction numbers (Sobol(...)._sv) over the Gray code of the index,
    which reproduces fast_forward + random where both are feasible (checked here at 1000000)."""
    import warnings
    from scipy.stats import qmc
    warnings.simplefilter("ignore")  # scipy warns that 1 point is not a power of 2
    sv = qmc.Sobol(DIMS, scramble=False, bits=32)._sv.astype(np.uint64)

    def by_direction_numbers(n):
        x, g, k = np.zeros(DIMS, dtype=np.uint64), n ^ (n >> 1), 0
        while g:
            if g & 1:
                x ^= sv[:, k]
            g, k = g >> 1, k + 1
        return x

    def public(n):
        gen = qmc.Sobol(DIMS, scramble=False, bits=32)
        if n:  # fast_forward(0) overflows in scipy 1.10
            gen.fast_forward(n)
        return np.round(gen.random(1)[0] * 2.0**32).astype(np.uint64)

    if not np.array_equal(public(1000000), by_direction_numbers(1000000)):
        sys.exit("scipy's fast_forward and its direction numbers disagree at index 1000000")
    print(f"/* dimensions {REF_DIMS} */")
    for n in REF_INDICES:
        x = public(n) if n < 65536 else by_direction_numbers(n)
        print(f"{{{n}u, {{" + ", ".join(f"{int(x[d])}u" for d in REF_DIMS) + "}},")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify the committed table")
    ap.add_argument("--reference", action="store_true",
                    help="print the unscrambled points (x 2^32) the C test compares against")
    args = ap.parse_args()
    if args.reference:
        reference()
        return 0
    poly, m, digest = load_source()
    text, count, max_degree = render(poly, m, digest)
    if args.check:
        try:
            committed = open(OUT).read()
        except OSError as e:
            print(f"{OUT}: {e.strerror}")
            return 1
        same = committed == text
        print(f"{OUT}: {'matches' if same else 'DIFFERS FROM'} {NPZ}")
        bad = check_boost(poly, m)
        return 0 if same and bad == 0 else 1
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}: {DIMS} dimensions, max degree {max_degree}, {count} initial direction integers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
