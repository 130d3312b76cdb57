#!/usr/bin/env bash
# bench.sh runs the benchmarks of issue 7 and prints what BENCHMARKS.md
# reports: the machine and its load, the keystroke micro-benchmarks (medians
# of COUNT runs) and the pseudo-terminal benchmark against the anchors.
#
#   scripts/bench.sh                      # COUNT=5 micro runs, 5 pty rounds
#   COUNT=10 ROUNDS=9 scripts/bench.sh    # steadier numbers on a busy machine
#   scripts/bench.sh -gum none            # arguments go to bench/ptybench
#
# It takes about two minutes (gum's first `go install` needs the network
# once).
#
#   SSH=1 scripts/bench.sh                # then the SSH capacity table of issue 15
#   SSH=only scripts/bench.sh             # only that (about 5 minutes of both cores)
#
# The SSH part builds the binary once and runs bench/sshload: 50/100/200
# sessions at 5 and 10 keys a second (-matrix), then 50 and 200 idle
# sessions (-idle-only), each run against a fresh server. SSH_ARGS go to
# both sshload runs (SSH_ARGS="-base /tmp/old-build" for an A/B).
# SSH_FPS=60 runs the frame-rate experiment instead: a build linked with
# that frame rate ("new") against this one at tui.FrameRate, 120 ("base"),
# alternating, in both tables.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
ROUNDS=${ROUNDS:-5}
SSH=${SSH:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== machine"
echo "nproc $(nproc), $(go version | cut -d' ' -f3-), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

ssh_part() {
	go build -o "$out/enerflo-onboard" .
	if [ -n "${SSH_FPS:-}" ]; then
		mv "$out/enerflo-onboard" "$out/default-fps"
		go build -ldflags "-X enerflo-onboard/tui.benchFPS=$SSH_FPS" -o "$out/enerflo-onboard" .
		SSH_ARGS="-base $out/default-fps ${SSH_ARGS:-}"
	fi
	echo "== SSH capacity: go run ./bench/sshload -matrix ${SSH_ARGS:-}"
	# shellcheck disable=SC2086 # SSH_ARGS is a list of flags
	go run ./bench/sshload -bin "$out/enerflo-onboard" -matrix ${SSH_ARGS:-}
	echo
	echo "== idle SSH sessions: go run ./bench/sshload -idle-only -sessions 50,200 ${SSH_ARGS:-}"
	# shellcheck disable=SC2086
	go run ./bench/sshload -bin "$out/enerflo-onboard" -idle-only -sessions 50,200 ${SSH_ARGS:-}
	echo
	echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ "$SSH" = only ]; then
	ssh_part
	exit
fi

echo "== micro-benchmarks: go test -run='^\$' -bench=. -benchmem -count=$COUNT -benchtime=$BENCHTIME ./tui/"
go test -run='^$' -bench=. -benchmem -count="$COUNT" -benchtime="$BENCHTIME" ./tui/ | tee "$out/micro.txt" | grep -E '^(Benchmark|ok|FAIL)' || true
echo
echo "medians of $COUNT runs (one op = one key: Update + View at 120×40):"
awk '
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)
		if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		for (i = 3; i < NF; i += 2) { v[name, $(i+1), ++c[name, $(i+1)]] = $i }
	}
	function median(name, unit,   k, m, a, i, j, t) {
		m = c[name, unit]
		if (m == 0) return -1
		for (k = 1; k <= m; k++) a[k] = v[name, unit, k] + 0
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	function us(x) { return x < 0 ? "      -" : sprintf("%7.0fµs", x / 1000) }
	END {
		printf "%-50s %9s %9s %9s %9s\n", "benchmark", "ns/op", "p50", "p99", "allocs/op"
		for (k = 1; k <= n; k++) {
			name = order[k]
			printf "%-50s %9s %9s %9s %9d\n", name, us(median(name, "ns/op")), us(median(name, "p50-ns")), us(median(name, "p99-ns")), median(name, "allocs/op")
		}
	}' "$out/micro.txt"
echo

echo "== pseudo-terminal benchmark: go run ./bench/ptybench -rounds $ROUNDS $*"
go run ./bench/ptybench -rounds "$ROUNDS" "$@"
echo
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$SSH" ]; then
	echo
	ssh_part
fi
