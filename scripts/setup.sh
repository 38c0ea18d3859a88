#!/usr/bin/env bash
# Install what is missing (Debian 12 packages, ../shared/TOOLCHAIN.md) and build mcrisk in
# Release under build/. Sourced by run-default.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(gcc make cmake libc6-dev pkg-config libsleef-dev libhdf5-dev hdf5-tools
          libcriterion-dev libcyaml-dev libyaml-dev libgsl-dev
          python3-h5py python3-numpy python3-matplotlib
          # python/mcrisk: summary() needs pandas, the config's facts yaml; the HTML report's
          # test opens it in headless chromium
          python3-pandas python3-yaml chromium
          # the MPI build (-DMCR_ENABLE_MPI=ON, build-mpi/); build/ still finds serial HDF5 (h5cc)
          libopenmpi-dev openmpi-bin libhdf5-openmpi-dev
          # the libFuzzer harnesses (scripts/fuzz.sh, tests/fuzz): clang, its runtimes, OpenMP
          clang libclang-rt-14-dev libomp-14-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
