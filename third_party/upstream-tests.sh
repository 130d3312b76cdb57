#!/usr/bin/env bash
# Runs the upstream test suites of the patched modules in third_party/
# against our copies: the module as the Go module proxy serves it, its
# non-test sources replaced by ours, minus the tests of what our copy
# removed (each listed below with why). Usage: third_party/upstream-tests.sh
# [phonenumbers|excelize]... (both by default). Takes a few minutes
# (excelize's suite is large).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# upstream MODULE@VERSION DIR: a writable copy of the proxy's module in DIR.
upstream() {
	local src
	src=$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src" ] || { echo "cannot download $1" >&2; exit 1; }
	cp -r "$src" "$2"
	chmod -R u+w "$2"
}

# overlay OURS DIR: our non-test sources and data in place of upstream's.
overlay() {
	find "$2" -maxdepth 1 -name '*.go' ! -name '*_test.go' -delete
	cp "$1"/*.go "$2"/
	if [ -d "$1/data" ]; then
		rm -rf "$2/data"
		cp -r "$1/data" "$2/data"
	fi
}

# drop_test FILE NAME...: removes the named top-level test and benchmark
# functions.
drop_test() {
	local f=$1
	shift
	for name in "$@"; do
		awk -v fn="func $name(" 'index($0, fn) == 1 {skip = 1} !skip {print} skip && /^}/ {skip = 0}' "$f" >"$f.new"
		mv "$f.new" "$f"
		! grep -q "func $name(" "$f"
	done
}

phonenumbers() {
	local d=$work/phonenumbers
	upstream github.com/nyaruka/phonenumbers@v1.8.1 "$d"
	overlay "$here/phonenumbers" "$d"
	# Our copy has no geocoding or carrier look-up (PATCHED.md).
	drop_test "$d/phonenumberutil_adhoc_test.go" TestGetCarrierForNumber \
		TestGetCarrierWithPrefixForNumber TestGetCarrierWithPrefixForNumberWithConcurrency \
		TestGetGeocodingForNumber TestGetSafeCarrierDisplayNameForNumber \
		BenchmarkGetCarrierWithPrefixForNumber
	# ...whose concurrency test was the file's only use of sync.
	grep -q 'sync\.' "$d/phonenumberutil_adhoc_test.go" || sed -i '/^\t"sync"$/d' "$d/phonenumberutil_adhoc_test.go"
	# The metadata is built on first use: ask for it rather than read the
	# variable init used to fill.
	sed -i 's/require.NotNil(t, currentMetadata)/require.NotNil(t, metadata())/' "$d/metadatasource_test.go"
	rm -rf "$d/cmd"
	(cd "$d" && go mod tidy >/dev/null && go vet . && go test -count=1 .)
}

excelize() {
	local d=$work/excelize
	upstream github.com/xuri/excelize/v2@v2.11.1 "$d"
	overlay "$here/excelize" "$d"
	# Its suite takes minutes on a quiet machine, far more on a loaded one;
	# TestZip64 writes two workbooks over 4 GB, one of them in memory (6+ GB
	# of RSS): left out unless ZIP64=1. The patch does not touch zip writing.
	skip=TestZip64
	[ "${ZIP64:-}" = 1 ] && skip='^$'
	(cd "$d" && go vet . && go test -count=1 -timeout 60m -skip "$skip" .)
}

for m in "${@:-phonenumbers excelize}"; do
	for one in $m; do
		echo "== $one"
		"$one"
	done
done
