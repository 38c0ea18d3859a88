#!/usr/bin/env bash
# Set up, build, and run the whole Criterion suite; its last line is the Synthesis summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec build/mcrisk_tests "$@"
