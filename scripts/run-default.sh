#!/usr/bin/env bash
# Set up, build, and run mcrisk on its built-in default config (writes out.h5, prints the table).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec build/mcrisk run "$@"
