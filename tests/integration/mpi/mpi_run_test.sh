#!/bin/sh
# The MPI run against the single-process run (ctest `mpi_run`, built with -DMCR_ENABLE_MPI=ON):
# every dataset and attribute of the output, and the summary table, must be bitwise identical for
# 1, 2 and 3 ranks (3 oversubscribes this 2-core machine), including ranks without paths, replayed
# paths, run.keep, run.target and a run without the per-path arrays, and the per-path chunks must
# be stored alike (rank 0 writes every rank's encoded chunks in the order one process writes
# them: the same file); so must a run killed (SIGKILL) or stopped (SIGTERM)
# and resumed with another number of ranks, or without MPI (one checkpoint format for both, either
# way); an error is printed once, with the CLI's exit code.
#   tests/integration/mpi/mpi_run_test.sh MCRISK MPIEXEC SOURCE_DIR [SERIAL_MCRISK]
# MCRISK is the MPI build's binary (run without mpirun it takes the single-process path);
# SERIAL_MCRISK, when given, a binary built without MPI: its output must be the same too.
# KEEP_TMP=1 keeps the files of the runs.
set -eu
mcrisk=$1 mpiexec=$2 src=$3 serial=${4:-}
py=/usr/bin/python3 # Debian's, with h5py
compare="$py $src/tests/integration/mpi/compare_h5.py"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
failed=0

check() { # what, then a command that must succeed
    what=$1
    shift
    if "$@"; then echo "PASS $what"; else echo "FAIL $what"; failed=1; fi
}

# $1 name, $2 ranks (0: no mpirun), then the run's arguments
run() {
    name=$1 k=$2
    shift 2
    if [ "$k" = 0 ]; then
        MCR_MPI=0 "$mcrisk" run "$@" -o "$tmp/$name.h5" --quiet >"$tmp/$name.txt"
    else
        # one thread per rank: the ranks share 2 cores (the reference runs with 2 threads)
        "$mpiexec" -np "$k" "$mcrisk" run "$@" -o "$tmp/$name.h5" --quiet --threads 1 \
            >"$tmp/$name.txt"
    fi
}

# The printed tables are the same but for their first line (the result file's name and time).
same_table() { # $1 $2: result names
    tail -n +2 "$tmp/$1.txt" >"$tmp/$1.body" && tail -n +2 "$tmp/$2.txt" >"$tmp/$2.body" &&
        cmp -s "$tmp/$1.body" "$tmp/$2.body"
}

same() { # $1 $2: result names
    $compare "$tmp/$1.h5" "$tmp/$2.h5" && same_table "$1" "$2"
}

same_file() { # $1 $2: result names; the chunks stored alike too
    $compare --storage "$tmp/$1.h5" "$tmp/$2.h5" && same_table "$1" "$2"
}

# 131172 paths = two whole chunks of 65536 and a part: 2 ranks get 1 and 2 chunks, 3 ranks one
book="$src/tests/integration/mpi/book.yaml --paths 131172"
run ref 0 $book
for k in 1 2 3; do
    run book$k "$k" $book
    check "book, $k rank(s) == 1 process, chunks stored alike" same_file ref "book$k"
done
if [ -n "$serial" ]; then
    "$serial" run $book -o "$tmp/serial.h5" --quiet >"$tmp/serial.txt"
    check "book, build without MPI == MPI build, chunks stored alike" same_file ref serial
fi

# run.keep: some per-path outputs only
sed 's/^  keep_pnl: true/  keep: [pnl, trades, liquidation]/' "$src/tests/integration/mpi/book.yaml" \
    >"$tmp/keep.yaml"
run keep_ref 0 "$tmp/keep.yaml" --paths 131172
run keep3 3 "$tmp/keep.yaml" --paths 131172
check "run.keep, 3 ranks == 1 process, chunks stored alike" same_file keep_ref keep3

# the per-path arrays not kept: only summaries
sed 's/keep_pnl: true/keep_pnl: false/' "$src/tests/integration/mpi/book.yaml" >"$tmp/summary.yaml"
run summary_ref 0 "$tmp/summary.yaml" --paths 131172
run summary2 2 "$tmp/summary.yaml" --paths 131172
check "keep_pnl false, 2 ranks == 1 process" same summary_ref summary2

# fewer chunks than ranks: ranks without paths take part in every collective call
run small_ref 0 "$src/tests/integration/mpi/book.yaml" --paths 1000
run small3 3 "$src/tests/integration/mpi/book.yaml" --paths 1000
check "1000 paths, 3 ranks (2 without paths) == 1 process" same small_ref small3

# replayed paths (2 columns of a CSV file)
run hull_ref 0 "$src/configs/hull_replay.yaml"
run hull2 2 "$src/configs/hull_replay.yaml"
check "replayed paths, 2 ranks == 1 process" same hull_ref hull2

# run.target: rounds of 33000, 66000 and 132000 paths (an se no round meets: 1, 2 and 3 chunks,
# so 2 ranks split the later rounds) and the convergence runs, each a collective run, on 8 steps
# to keep it short: 1 and 2 ranks == 1 process
sed -e 's/^run:$/run:\n  paths: 33000\n  target: {figure: cvar, level: 0.99, se: 1e-9, max_paths: 132000}/' \
    -e 's/^  steps: 40 .*/  steps: 8/' "$src/tests/integration/mpi/book.yaml" >"$tmp/target.yaml"
run target_ref 0 "$tmp/target.yaml"
for k in 1 2; do
    run target$k "$k" "$tmp/target.yaml"
    check "run.target, $k rank(s) == 1 process, chunks stored alike" same_file target_ref \
        "target$k"
done
check "run.target: 3 rounds to 132000 paths" \
    $py -c 'import h5py, sys; f = h5py.File(sys.argv[1], "r"); sys.exit(not (
        f.attrs["target_rounds"] == 3 and f.attrs["paths"] == 132000 and
        "convergence" in f["scenarios/base/strategies/unhedged"]))' "$tmp/target_ref.h5"

# run.tail: the pilot on every rank, the tilted pass over the ranks' shares, the weighted figures
# from rank 0's gather, the per-path tail_pnl and tail_weight written by every rank: 70000 paths
# (two chunks) on 8 steps, 2 ranks == 1 process
sed 's/^  steps: 40 .*/  steps: 8/' "$src/configs/tail_is.yaml" >"$tmp/tail.yaml"
run tail_ref 0 "$tmp/tail.yaml" --paths 70000
run tail2 2 "$tmp/tail.yaml" --paths 70000
check "run.tail, 2 ranks == 1 process" same tail_ref tail2
# and over two correlated assets (merton, heston): the shift of both independent normals
sed -e 's/^  steps: 720 .*/  steps: 8/' -e 's/^run:$/run:\n  tail: {level: 0.999}/' \
    "$src/configs/two_assets.yaml" >"$tmp/tail_assets.yaml"
run tail_assets_ref 0 "$tmp/tail_assets.yaml" --paths 70000
run tail_assets2 2 "$tmp/tail_assets.yaml" --paths 70000
check "run.tail over merton + heston, 2 ranks == 1 process" same tail_assets_ref tail_assets2

# hedge_ratio: optimize: every rank searches its pilot alone, to the same ratios: 70000 paths
# (two chunks) on 8 steps, 2 ranks == 1 process
sed 's/^  steps: 56 .*/  steps: 8/' "$src/configs/optimize_hedge.yaml" >"$tmp/optimize.yaml"
run optimize_ref 0 "$tmp/optimize.yaml" --paths 70000
run optimize2 2 "$tmp/optimize.yaml" --paths 70000
check "hedge_ratio: optimize, 2 ranks == 1 process" same optimize_ref optimize2

# The DeFi kinds (pegged asset with yield, concentrated liquidity, a loan on a lagged oracle at a
# protocol that fails, options and a perpetual at a venue that fails; deleverage, re-centring):
# 70000 paths (two chunks) on 24 steps, 2 ranks == 1 process, chunks stored alike
sed 's/^  steps: 240 .*/  steps: 24/' "$src/configs/defi_book.yaml" >"$tmp/defi.yaml"
run defi_ref 0 "$tmp/defi.yaml" --paths 70000
run defi2 2 "$tmp/defi.yaml" --paths 70000
check "DeFi book, 2 ranks == 1 process, chunks stored alike" same_file defi_ref defi2

# Resumed runs (the root attribute `resumed` is 1 there, by design).
same_resumed() {
    $compare --ignore resumed "$tmp/$1.h5" "$tmp/$2.h5" && same_table "$1" "$2"
}
# $1 file to wait for (up to 30 s); true when it appeared
wait_for() {
    i=0
    while [ ! -e "$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    [ -e "$1" ]
}

# killed hard (SIGKILL) with 2 ranks after a periodic checkpoint, resumed with 3
MCR_CHECKPOINT_SECONDS=0.001 "$mpiexec" -np 2 "$mcrisk" run $book -o "$tmp/kill.h5" \
    --quiet --threads 1 >/dev/null 2>&1 &
launcher=$!
check "killed run: a chunk checkpointed" wait_for "$tmp/kill.h5.ckpt/s0.c0"
ranks=$(pgrep -P "$launcher")
kill -KILL $ranks "$launcher" # the ranks (each its own process group), mpirun
wait "$launcher" 2>/dev/null || true
# a rerun comes after the killed ranks are gone: until they are reaped their pids still exist
# and their temporaries are, rightly, not taken for stale ones
for r in $ranks; do
    for i in $(seq 100); do kill -0 "$r" 2>/dev/null || break; sleep 0.1; done
done
check "killed run: no output file" test ! -e "$tmp/kill.h5"
"$mpiexec" -np 3 "$mcrisk" run $book -o "$tmp/kill.h5" --quiet --threads 1 --resume \
    >"$tmp/kill.txt" || true
check "killed with 2 ranks, resumed with 3 == 1 process" same_resumed ref kill
check "resumed run: checkpoint removed" test ! -e "$tmp/kill.h5.ckpt"

# stopped by SIGTERM in the second scenario of a summaries-only run, as a batch system stops a
# job (signals to the ranks; mpirun itself gives them 1 s before SIGKILL): the ranks agree to
# stop, checkpoint and exit with 143; resumed with 1 rank
nine="$tmp/summary.yaml --paths 589824" # 9 chunks: 5 rounds a scenario with 2 ranks
run nine_ref 0 $nine
"$mpiexec" -np 2 "$mcrisk" run $nine -o "$tmp/stop.h5" --threads 1 >/dev/null 2>&1 &
launcher=$!
check "SIGTERM: first scenario summarised" wait_for "$tmp/stop.h5.ckpt/s0.done"
kill -TERM $(pgrep -P "$launcher")
status=0
wait "$launcher" || status=$?
check "SIGTERM: exit status 143 (got $status)" test "$status" = 143
check "SIGTERM: no output file" test ! -e "$tmp/stop.h5"
"$mpiexec" -np 1 "$mcrisk" run $nine -o "$tmp/stop.h5" --quiet --threads 1 --resume \
    >"$tmp/stop.txt" || true
check "stopped with 2 ranks, resumed with 1 == 1 process" same_resumed nine_ref stop

# One checkpoint format for both: a run without MPI (MCR_MPI=0: the single-process path of this
# binary), stopped by SIGTERM after its first chunk was checkpointed, resumed with 2 ranks; and
# a run of 2 ranks stopped the same way, resumed without MPI.
MCR_CHECKPOINT_SECONDS=0.001 MCR_MPI=0 "$mcrisk" run $book -o "$tmp/s2m.h5" --quiet \
    >/dev/null 2>&1 &
pid=$!
check "serial run: a chunk checkpointed" wait_for "$tmp/s2m.h5.ckpt/s0.c0"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
check "serial run: SIGTERM exit status 143 (got $status)" test "$status" = 143
"$mpiexec" -np 2 "$mcrisk" run $book -o "$tmp/s2m.h5" --quiet --threads 1 --resume \
    >"$tmp/s2m.txt" || true
check "stopped without MPI, resumed with 2 ranks == 1 process" same_resumed ref s2m
MCR_CHECKPOINT_SECONDS=0.001 "$mpiexec" -np 2 "$mcrisk" run $book -o "$tmp/m2s.h5" --quiet \
    --threads 1 >/dev/null 2>&1 &
launcher=$!
check "2 ranks: rank 1's chunk checkpointed" wait_for "$tmp/m2s.h5.ckpt/s0.c1"
kill -TERM $(pgrep -P "$launcher")
status=0
wait "$launcher" || status=$?
check "2 ranks: SIGTERM exit status 143 (got $status)" test "$status" = 143
MCR_MPI=0 "$mcrisk" run $book -o "$tmp/m2s.h5" --quiet --resume >"$tmp/m2s.txt" || true
check "stopped with 2 ranks, resumed without MPI == 1 process" same_resumed ref m2s
if [ -n "$serial" ]; then # the build without MPI writes and reads the same checkpoint
    MCR_CHECKPOINT_SECONDS=0.001 "$serial" run $book -o "$tmp/b2m.h5" --quiet >/dev/null 2>&1 &
    pid=$!
    check "build without MPI: a chunk checkpointed" wait_for "$tmp/b2m.h5.ckpt/s0.c0"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    "$mpiexec" -np 3 "$mcrisk" run $book -o "$tmp/b2m.h5" --quiet --threads 1 --resume \
        >"$tmp/b2m.txt" || true
    check "killed in the build without MPI, resumed with 3 ranks == 1 process" \
        same_resumed ref b2m
fi

# an error found after MPI started: exit code 2, printed once, nothing left under the name
status=0
"$mpiexec" -np 2 "$mcrisk" run "$src/tests/integration/mpi/book.yaml" --paths 1 -o "$tmp/bad.h5" \
    >/dev/null 2>"$tmp/bad.err" || status=$?
check "a bad run: exit status 2" test "$status" = 2
check "a bad run: one error line" test "$(grep -c 'at least 2 paths' "$tmp/bad.err")" = 1
check "a bad run: no output file" test ! -e "$tmp/bad.h5"
check "no temporary file left" test -z "$(find "$tmp" -name '*.tmp.*')"

if [ "$failed" = 0 ]; then echo "mpi_run: all passed"; else echo "mpi_run: FAILED"; fi
exit "$failed"
