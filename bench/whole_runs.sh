#!/usr/bin/env bash
# Whole-process timings of `mcrisk run`, as a user sees them: the goal table of results/bench.md.
#   bench/whole_runs.sh [MCRISK] [ROUNDS] [OTHER_MCRISK]      (defaults: build/mcrisk, 5, none)
# Each round runs every case once, the cases in turn (interleaved, so a burst of load on this
# shared machine spreads over all of them), under /usr/bin/time: wall seconds, CPU seconds (user +
# system) and peak resident memory. The table gives min, median and max over the rounds. Cases:
#   W1, W2, W3 of bench/workloads.c written as configs, at 2 threads (W1 and W3 also at 1);
#   the floor workloads of W1, W2 (the kernel alone) and W3 (the kernel plus a delta hedge's
#   arithmetic with a table normal CDF), `mcrisk bench --workload W --isa ISA --threads 2
#   --repeats 1`, in the same rounds, for the "of floor" ratio;
#   the built-in default run with keep_pnl true and false;
#   configs/stress.yaml, and the same with OTHER_MCRISK when given (an older build, side by side).
# Every run takes the kernels `auto` picks (MCR_ISA is unset here), the widest the CPU has; the
# floor runs on bench's best kernels, which are the same (kernels/dispatch.c, mcr_isa_best): the
# script checks that they agree and prints the ISA.
set -euo pipefail
cd "$(dirname "$0")/.."
mcrisk=$(realpath "${1:-build/mcrisk}")
rounds=${2:-5}
other=${3:+$(realpath "$3")}
py=/usr/bin/python3 # Debian's
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset MCR_ISA

for w in W1 W2 W3; do # the workloads exactly as bench/workloads.c times them
    "$mcrisk" bench --print-config "$w" >"$tmp/$w.yaml"
done
# The ISA of `mcrisk run` at auto, from its timing line ("... isa NAME, T threads").
isa=$("$mcrisk" run "$tmp/W1.yaml" -o "$tmp/o.h5" --paths 1000 --threads 1 2>&1 >/dev/null |
    sed -n 's/.*(.*isa \([a-z0-9]*\), [0-9]* thread.*/\1/p')
[ -n "$isa" ] || { echo "whole_runs.sh: no isa in mcrisk run's timing line" >&2; exit 1; }
cp results/default_run/config.yaml "$tmp/default.yaml"
sed 's/^  keep_pnl: true /  keep_pnl: false/' results/default_run/config.yaml >"$tmp/default_nokeep.yaml"
grep -q '^  keep_pnl: false' "$tmp/default_nokeep.yaml" || { echo "no keep_pnl line" >&2; exit 1; }
cp configs/stress.yaml "$tmp/stress.yaml"

# $1 case name, then the command; appends "case wall cpu rss_kb" to $tmp/times
timed() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" ||
        { cat "$tmp/err" >&2; exit 1; }
    awk -v n="$name" '{printf "%s %s %.3f %s\n", n, $1, $2 + $3, $4}' "$tmp/t" >>"$tmp/times"
}

# the floor workload's median seconds at 2 threads, from bench's JSON; its kernels (the tables'
# header on stderr: "kernels: best NAME") must be those of the runs
floor() {
    "$mcrisk" bench --workload "$1" --isa "$isa" --threads 2 --repeats 1 --json 2>"$tmp/floor" |
        "$py" -c 'import json,sys
d=json.load(sys.stdin)
print(d["workloads"][0]["floor"]["seconds"]["median"])'
    grep -q "kernels: best $isa;" "$tmp/floor" ||
        { echo "whole_runs.sh: the floor did not run on $isa" >&2; exit 1; }
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$tmp/times"
for r in $(seq "$rounds"); do
    echo "round $r of $rounds" >&2
    for w in W1 W2; do
        timed "$w 2 threads" "$mcrisk" run "$tmp/$w.yaml" -o "$tmp/o.h5" --threads 2 -q
        f=$(floor "$w")
        echo "$w floor 2 threads $f 0 0" >>"$tmp/times"
    done
    timed "W1 1 thread" "$mcrisk" run "$tmp/W1.yaml" -o "$tmp/o.h5" --threads 1 -q
    timed "W3 2 threads" "$mcrisk" run "$tmp/W3.yaml" -o "$tmp/o.h5" --threads 2 -q
    f=$(floor W3)
    echo "W3 floor 2 threads $f 0 0" >>"$tmp/times"
    timed "W3 1 thread" "$mcrisk" run "$tmp/W3.yaml" -o "$tmp/o.h5" --threads 1 -q
    timed "default keep_pnl:true" "$mcrisk" run "$tmp/default.yaml" -o "$tmp/o.h5" --threads 2 -q
    timed "default keep_pnl:false" "$mcrisk" run "$tmp/default_nokeep.yaml" -o "$tmp/o.h5" \
        --threads 2 -q
    timed "stress.yaml" "$mcrisk" run "$tmp/stress.yaml" -o "$tmp/o.h5" --threads 2 -q
    if [ -n "$other" ]; then
        timed "stress.yaml (other build)" "$other" run "$tmp/stress.yaml" -o "$tmp/o.h5" \
            --threads 2 -q
    fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "$("$mcrisk" --version | head -1); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
echo "kernels: $isa (mcrisk run at auto, and the floor)"
echo "load average before: $load_before; after: $load_after"
[ -n "$other" ] && echo "other build: $other ($("$other" --version | head -1))"
"$py" - "$tmp/times" <<'EOF'
import statistics as st, sys
rows = {}
for line in open(sys.argv[1]):
    *name, wall, cpu, rss = line.split()
    rows.setdefault(" ".join(name), []).append((float(wall), float(cpu), int(rss)))
def fmt(v):
    return f"{st.median(v):.3f} ({min(v):.3f}-{max(v):.3f})"
print("\n| case | wall s, median (min-max) | CPU s, median (min-max) | peak RSS MB |")
print("|---|---:|---:|---:|")
for k, v in rows.items():
    w, c, m = zip(*v)
    print(f"| {k} | {fmt(w)} | {fmt(c) if max(c) else '-'} | {max(m) / 1024:.0f} |" if max(m)
          else f"| {k} | {fmt(w)} | - | - |")
med = {k: st.median([x[0] for x in v]) for k, v in rows.items()}
spread = {k: max(x[0] for x in v) / min(x[0] for x in v) for k, v in rows.items()}
print("\n| goal figure | measured | goal |\n|---|---:|---|")
for w in ("W1", "W2"):
    print(f"| {w} floor / whole run, 2 threads (median) | {med[w + ' floor 2 threads'] / med[w + ' 2 threads']:.2f} | >= 0.85 |")
    print(f"| {w} whole run max/min over rounds | {spread[w + ' 2 threads']:.2f} | <= 1.3 |")
print(f"| W3 table-CDF floor / whole run, 2 threads (median) | {med['W3 floor 2 threads'] / med['W3 2 threads']:.2f} | >= 0.75 |")
print(f"| default run keep_pnl true / false, wall | {med['default keep_pnl:true'] / med['default keep_pnl:false']:.2f} | <= 1.3 |")
for w in ("W1", "W3"):
    print(f"| {w} 1 -> 2 threads | {med[w + ' 1 thread'] / med[w + ' 2 threads']:.2f} | >= 1.9 |")
if "stress.yaml (other build)" in med:
    print(f"| stress.yaml, other build / this build | {med['stress.yaml (other build)'] / med['stress.yaml']:.2f} | >= 3 |")
EOF
