#!/usr/bin/env bash
# Regenerate the measured sections of results/bench.md on the machine at hand, in one command
# (meant for a quiet machine: bench and whole_runs.sh warn when the load average is above 0.5 per
# core):
#   scripts/bench-report.sh [--out FILE] [--mcrisk BIN] [--rounds N] [--repeats R] [--quick]
#                           [OTHER_MCRISK]
# The measured sections of the file lie between marker lines, `<!-- bench-report: NAME -->` and
# `<!-- /bench-report -->`; only what is between them is replaced, so the hand-written parts
# (each section's "Reading it", older sections) stay as they are and are updated by hand. NAME:
#   machine     CPU model, cores, SIMD flags, the kernels `auto` picks, OS, compiler, build type,
#               mcrisk revision, when, and the load average before and after the whole report
#   whole_runs  bench/whole_runs.sh BIN ROUNDS OTHER_MCRISK: the goal table of whole `mcrisk run`
#               processes (OTHER_MCRISK: the build stress.yaml is compared with side by side, for
#               issue 11 the 58d5184 build; without it that row is left out)
#   primitives  mcrisk bench --primitives --repeats R (3 R repeats of each primitive)
#   workloads   mcrisk bench --isa scalar,avx2,avx512 --threads 1,2 --repeats R
# Defaults: --out results/bench.md, --mcrisk build/mcrisk, 5 rounds, 3 repeats (the scalar
# reference alone takes about 85 s a repeat on a 2-core Zen 4, so 5 repeats would take the
# report past 10 minutes); --quick: 1 round, `bench --quick` (a trial of the script, not a
# measurement). The template read is --out itself when it exists, else results/bench.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=results/bench.md
mcrisk=build/mcrisk
rounds=5
repeats=3
quick=
other=
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --mcrisk) mcrisk=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --quick) quick=--quick; rounds=1; repeats=1; shift ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-report.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) other=$1; shift ;;
    esac
done
[ -x "$mcrisk" ] || { echo "bench-report.sh: no $mcrisk (build it first)" >&2; exit 2; }
[ -z "$other" ] || [ -x "$other" ] || { echo "bench-report.sh: no $other" >&2; exit 2; }
template=$out
[ -f "$template" ] || template=results/bench.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset MCR_ISA # the kernels auto picks

load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date -u '+%H:%M'; }
t0=$(date +%s)
begin=$(now)
load_before=$(load)

# $1 section, then the command: its stdout into $tmp/$1, preceded by the command line (bench's
# title line dropped: the file has its own headings)
section() {
    local name=$1 start
    shift
    start=$(date +%s)
    echo "bench-report.sh: $name: $*" >&2
    { printf 'Command: `%s`\n\n' "$*"; "$@" | sed '/^# mcrisk bench /d'; } >"$tmp/$name"
    echo "bench-report.sh: $name took $(($(date +%s) - start)) s" >&2
}

section whole_runs bench/whole_runs.sh "$mcrisk" "$rounds" ${other:+"$other"}
section primitives "$mcrisk" bench --primitives --repeats "$repeats" $quick
section workloads "$mcrisk" bench --isa scalar,avx2,avx512 --threads 1,2 --repeats "$repeats" \
    $quick

load_after=$(load)
isa=$(sed -n 's/.*kernels: best \([a-z0-9]*\).*/\1/p' "$tmp/workloads" | head -1)
flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
    grep -xE 'sse4_2|avx|avx2|fma|avx512(f|dq|bw|vl|cd|vbmi|vbmi2|_vnni|_bf16|_fp16|ifma)' |
    tr '\n' ' ')
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
threads_per_core=$(lscpu | sed -n 's/^Thread(s) per core: *//p')
hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor: *//p')
vm=${hypervisor:+, a $hypervisor VM}
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$mcrisk")/CMakeCache.txt" \
    2>/dev/null || true)
version=$("$mcrisk" --version | head -1)
other_version=${other:+$("$other" --version | head -1)}
trial=${quick:+ --quick}
{
    echo "Machine: $cpu, $(nproc) cores ($threads_per_core thread(s) per core$vm); SIMD" \
        "flags: $flags(kernels at \`auto\`: $isa); Debian" \
        "$(cat /etc/debian_version), GCC $(gcc -dumpfullversion), ${build_type:-?} build," \
        "$version${other:+; the other build: $other_version}."
    echo "Measured on $(date -u +%Y-%m-%d) from $begin to $(now) UTC by" \
        "\`scripts/bench-report.sh$trial\` ($(($(date +%s) - t0)) s in all); load average" \
        "before: $load_before; after: $load_after."
    /usr/bin/python3 -c 'import os, sys
l, n = float(sys.argv[1].split()[0]), os.cpu_count()
if l > 0.5 * n:
    print(f"WARNING: load average {l:.2f} is above 0.5 per core ({n} cores): other processes "
          "shared this machine, figures are disturbed.")' "$load_after"
    [ -z "$quick" ] || echo "TRIAL (--quick: 1 round, quick path counts): not a measurement."
} >"$tmp/machine"

# Splice the sections into the template between their markers: every marker must be there once.
/usr/bin/python3 - "$template" "$out" "$tmp" <<'EOF'
import re, sys
template, out, tmp = sys.argv[1:]
text = open(template).read()
for name in ("machine", "whole_runs", "primitives", "workloads"):
    begin = f"<!-- bench-report: {name} -->\n"
    pattern = re.compile(re.escape(begin) + r".*?^<!-- /bench-report -->$", re.S | re.M)
    if len(pattern.findall(text)) != 1:
        sys.exit(f"bench-report.sh: {template}: needs exactly one '{begin.strip()}' ... "
                 "'<!-- /bench-report -->' section")
    body = open(f"{tmp}/{name}").read().rstrip("\n")
    text = pattern.sub(lambda m: f"{begin}{body}\n<!-- /bench-report -->", text)
open(out, "w").write(text)
EOF
echo "bench-report.sh: $out written ($(($(date +%s) - t0)) s)" >&2
