#!/usr/bin/env bash
# Runs every fuzz target of issue 6 one after another, each for FUZZTIME
# (default 60s), with one worker (-parallel 1: the build machine has two
# cores and other work on them). A target that finds a failure stops the
# script; `go test` has then written the failing input under
# PKG/testdata/fuzz/TARGET/, where it becomes a regression test that plain
# `go test ./...` runs from then on: commit it with the fix.
#
#   scripts/fuzz.sh                      # 7 targets × 60s
#   FUZZTIME=10s scripts/fuzz.sh         # a quick pass
#   FUZZTIME=5m scripts/fuzz.sh FuzzLoad # one target, longer
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-60s}
# Minimising a new interesting input may take go test's default of 60s,
# counting no executions meanwhile: most of a 60s run. Keep it short.
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-5s}
# package target: validation, response parsing, draft loading, config parsing.
targets=(
  "./domain FuzzValidate"
  "./wire FuzzParseResponse"
  "./drafts FuzzLoad"
  "./config FuzzConfigParse"
  "./textsafe FuzzSanitize"
  "./fakeenerflo FuzzServeUsers"
  "./sheet FuzzReadCSV"
)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  if [[ $# -gt 0 && " $* " != *" $name "* ]]; then
    continue
  fi
  echo "== $name ($pkg) for $FUZZTIME"
  start=$(date +%s)
  status=0
  go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" -parallel 1 2>&1 | tee "$log" || status=$?
  secs=$(( $(date +%s) - start ))
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  summary+=("$(printf '%-18s %-10s %12s execs  %4ss  %s' "$name" "$pkg" "${execs:-?}" "$secs" "$([[ $status -eq 0 ]] && echo ok || echo FAILED)")")
  if [[ $status -ne 0 ]]; then
    echo "== $name found a failure: the input is in $pkg/testdata/fuzz/$name/" >&2
    break
  fi
done
echo
echo "target             package           executions   time  result"
printf '%s\n' "${summary[@]}"
[[ ${status:-0} -eq 0 ]]
