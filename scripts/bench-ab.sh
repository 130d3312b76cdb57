#!/usr/bin/env bash
# bench-ab.sh compares the keystroke benchmarks of two commits in one run,
# as BENCHMARKS.md's before → after figures were measured: it builds the
# tui test binary of BASE and of the work tree first (so nothing compiles
# while measuring), runs them alternately COUNT times, then benchstat.
# On a shared machine the alternation puts both under the same neighbours.
#
#   scripts/bench-ab.sh                         # BASE=39e25f0 (before issue 15), 5 rounds
#   BASE=main~3 scripts/bench-ab.sh 7 'Keystroke/roles|ManagerPicker'
#   BENCHTIME=20x scripts/bench-ab.sh 5 'OpenStep|ReviewRender'
#
# Arguments: COUNT (5) and a -bench regexp (Keystroke|ManagerPicker|HuhAnchor).
# OUT=dir keeps the raw results (base.txt, new.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-5}
BENCH=${2:-Keystroke|ManagerPicker|HuhAnchor}
BASE=${BASE:-39e25f0}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
root=$(pwd)
tmp=$(mktemp -d)
git worktree add -q --detach "$tmp/base" "$BASE"
trap 'git -C "$root" worktree remove --force "$tmp/base"; rm -rf "$tmp"' EXIT

(cd "$tmp/base" && go test -c -o "$tmp/base.test" ./tui/)
go test -c -o "$tmp/new.test" ./tui/
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the start"
for _ in $(seq "$COUNT"); do
	for b in base new; do
		(cd tui && "$tmp/$b.test" -test.run='^$' -test.bench="$BENCH" -test.benchmem -test.benchtime="${BENCHTIME:-2000x}") |
			grep '^Benchmark' >>"$tmp/$b.txt"
	done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
if [ -n "${OUT:-}" ]; then
	mkdir -p "$OUT"
	cp "$tmp/base.txt" "$tmp/new.txt" "$OUT/"
fi
go run "$BENCHSTAT" "$tmp/base.txt" "$tmp/new.txt"
