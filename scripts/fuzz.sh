#!/usr/bin/env bash
# Build the libFuzzer harnesses of tests/fuzz with clang (ASan + UBSan) in build-fuzz/ and run
# each for SECONDS (default 60) from its seed corpus (tests/fuzz/corpus/<harness>, copied: the
# repository's corpus is not changed). A crash, a sanitizer report or a leak fails the script and
# leaves the input in build-fuzz/findings/. Without clang it says so and exits 0 (CI: skipped).
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! command -v clang >/dev/null; then
    echo "fuzz: clang not found; skipped" >&2
    exit 0
fi
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DMCR_FUZZ=ON \
    -DMCR_BUILD_TESTS=OFF -DMCR_ENABLE_AVX512=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_config fuzz_path_file fuzz_ckpt >/dev/null
mkdir -p build-fuzz/findings
status=0
for h in config path_file ckpt; do
    work=build-fuzz/corpus/$h
    mkdir -p "$work"
    cp -n tests/fuzz/corpus/$h/* "$work"/ 2>/dev/null || true
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        build-fuzz/fuzz_$h -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix=build-fuzz/findings/$h- "$work" >build-fuzz/fuzz_$h.log 2>&1; then
        echo "fuzz $h: $(grep -E '^(#[0-9]+|Done)' build-fuzz/fuzz_$h.log | tail -1)"
    else
        echo "fuzz $h: FAILED (build-fuzz/fuzz_$h.log, build-fuzz/findings/)" >&2
        tail -40 build-fuzz/fuzz_$h.log >&2
        status=1
    fi
done
exit $status
