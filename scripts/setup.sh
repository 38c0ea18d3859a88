#!/usr/bin/env bash
# Install the Debian 12 packages that are missing for a purpose, then configure and build
# build/ (Release). Sourced by run-default.sh and test.sh; safe to run again.
#   scripts/setup.sh run    what `build/mcrisk` needs to build and run, and builds only it
#   scripts/setup.sh test   (default) also the test suite's, the Python package's (plots,
#                           HTML report, its headless-browser test) and the MPI build's
# Build output goes to build/build.log; on failure its last lines are shown.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-test}

packages=(gcc make cmake libc6-dev pkg-config libsleef-dev libhdf5-dev libcyaml-dev libyaml-dev
          libgsl-dev)
if [ "$purpose" = test ]; then
    packages+=(libcriterion-dev hdf5-tools
               # python/mcrisk: h5py and numpy read, pandas for summary(), yaml for the config's
               # facts, matplotlib draws; the HTML report's test opens it in headless chromium
               python3-h5py python3-numpy python3-pandas python3-yaml python3-matplotlib chromium
               # the MPI build (-DMCR_ENABLE_MPI=ON, build-mpi/); build/ keeps serial HDF5
               libopenmpi-dev openmpi-bin libhdf5-openmpi-dev
               # the libFuzzer harnesses (scripts/fuzz.sh, tests/fuzz): clang, its runtimes,
               # OpenMP
               clang libclang-rt-14-dev libomp-14-dev)
elif [ "$purpose" != run ]; then
    echo "setup: unknown purpose '$purpose'; allowed: run, test" >&2
    exit 2
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >&2
fi

mkdir -p build
if [ "$purpose" = run ]; then
    # The tests stay configured if their package is there (a build dir shared with test.sh).
    tests=OFF
    pkg-config --exists criterion && tests=ON
    targets=(--target mcrisk)
else
    tests=ON
    targets=()
fi
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMCR_BUILD_TESTS=$tests &&
       cmake --build build -j"$(nproc)" "${targets[@]}"; } >build/build.log 2>&1; then
    tail -n 30 build/build.log >&2
    echo "setup: the build failed; the whole log is build/build.log" >&2
    exit 1
fi
