#!/usr/bin/env bash
# Regenerate results/default_run/ from the built-in default config (`mcrisk run` without a
# config): the table as `mcrisk run` prints it (summary.txt), every figure (summary.csv,
# summary.md), the config as run (config.yaml), the plots (plots/), the HTML report
# (report.html, plots as PNG) and its screenshot in headless Chromium (report.png). The result
# file itself is not kept (about 200 MB). The README quotes its figures from summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
out=results/default_run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
h5=$tmp/default.h5

/usr/bin/time -f "%e s" -o "$tmp/seconds" build/mcrisk run -o "$h5" --quiet >"$tmp/table"
# the table names the file it wrote: say what it is rather than a temporary path
sed "1s|$h5|default.h5|" "$tmp/table" >"$out/summary.txt"
build/mcrisk report "$h5" --format csv >"$out/summary.csv"
build/mcrisk report "$h5" --format markdown | sed "s|$h5|default.h5|g" >"$out/summary.md"
/usr/bin/python3 -c 'import h5py, sys; sys.stdout.write(h5py.File(sys.argv[1], "r").attrs["config_yaml"])' \
    "$h5" >"$out/config.yaml"
rm -rf "$out/plots"
build/mcrisk report "$h5" --plots "$out/plots" >/dev/null
build/mcrisk report "$h5" --html "$tmp/report.html" --plots-format png >/dev/null
sed "s|$h5|default.h5|g" "$tmp/report.html" >"$out/report.html"

profile=$tmp/chromium-profile
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" --hide-scrollbars \
    --window-size=1600,1400 --screenshot="$out/report.png" "file://$PWD/$out/report.html" \
    >/dev/null 2>&1
echo "results/default_run regenerated: run $(cat "$tmp/seconds") on $(nproc) cores" >&2
