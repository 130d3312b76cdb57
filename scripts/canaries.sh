#!/usr/bin/env bash
# The canaries of internal/peek (and the tests that hold the fast drawing
# to huh's) against the NEWEST published bubbletea, bubbles, huh and
# lipgloss, in a scratch copy of the module: it tells, before anyone
# upgrades, which of the private state the wizard reads is gone. It
# reports and never fails (exit 0): a broken canary means the wizard
# would fall back to Charm's public path there, slower, not break.
# Run by .ci/run; by hand: scripts/canaries.sh
set -uo pipefail
cd "$(dirname "$0")/.."
modules=(charm.land/bubbletea/v2 charm.land/bubbles/v2 charm.land/huh/v2 charm.land/lipgloss/v2)
tests='TestCanary|TestSequenceInternals|TestFormViewMatchesHuh|TestCachedViewsMatchUncached'

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git ls-files -z -co --exclude-standard 2>/dev/null | xargs -0 -I{} cp --parents {} "$scratch" 2>/dev/null \
  || cp -r . "$scratch"
cd "$scratch"

newer=()
for m in "${modules[@]}"; do
  have="$(go list -m -f '{{.Version}}' "$m" 2>/dev/null)"
  latest="$(go list -m -f '{{.Version}}' "$m@latest" 2>/dev/null)"
  if [ -z "$latest" ]; then
    echo "canaries: cannot ask the module proxy for $m's newest version; nothing checked"
    exit 0
  fi
  if [ "$have" != "$latest" ]; then
    newer+=("$m@$latest")
    echo "canaries: $m $have -> $latest"
  fi
done
if [ "${#newer[@]}" -eq 0 ]; then
  echo "canaries: go.mod already has the newest bubbletea, bubbles, huh and lipgloss; the tests above ran against them"
  exit 0
fi
if ! go get "${newer[@]}" >go-get.log 2>&1 || ! go mod tidy >>go-get.log 2>&1; then
  echo "canaries: REPORT: the newest modules do not resolve together:"; cat go-get.log
  exit 0
fi
if ! go build ./... >build.log 2>&1; then
  echo "canaries: REPORT: the module does not build against ${newer[*]}:"; cat build.log
  exit 0
fi
if go test -count=1 -run "$tests" ./internal/peek/ ./forms/ ./tui/ >test.log 2>&1; then
  echo "canaries: every canary holds against ${newer[*]}"
else
  echo "canaries: REPORT: against ${newer[*]} these canaries broke (the wizard would fall back to Charm's public drawing there; internal/peek needs a look before upgrading):"
  grep -E '^(--- FAIL|FAIL|ok|panic:)|peek_test.go|_test.go:[0-9]+:' test.log | head -60
fi
exit 0
