#!/usr/bin/env bash
# fastpath-ab.sh measures what each hand-written fast path is for: it
# builds the tui test binary of HEAD as it is ("base") and once more for
# each fast path with that one path turned off by a one-line edit (listed
# below), each in a copy of HEAD made with git archive (the work tree is
# not touched), then runs them alternately ROUNDS times on the per-key
# benchmarks and prints, per benchmark and build, the medians of p50, p99
# and allocations a key. Allocations do not depend on the machine's load;
# on a busy machine read the times as ratios to base, not as figures.
#
#   scripts/fastpath-ab.sh                  # every fast path, 3 rounds
#   ROUNDS=5 scripts/fastpath-ab.sh listview pickerrows
#
# BENCHMARKS.md ("Which goal each fast path serves") gives its results.
set -euo pipefail
cd "$(dirname "$0")/.."

# name|file|text|what replaces it (perl-quoted, so literal)
variants=(
	'listview|forms/fielderror.go|if v, ok := w.list.listView(w.Field, w.theme); ok {|if v, ok := "", false; ok {'
	'formview|forms/formview.go|if v, ok := f.fastView(); ok {|if v, ok := "", false; ok {'
	'pickerrows|forms/picker.go|	lk := p.look|	return p.viewLipgloss(st)
	lk := p.look'
	'chrome|tui/layout.go|if f.of != nil && f.width == m.width|if false && f.of != nil && f.width == m.width'
	'reviewvp|tui/review.go|if vp, ok := peek.ModelViewport(&r.vp); ok {|if vp, ok := peek.ModelViewport(&r.vp); ok && false {'
	'frame|tui/layout.go|if page, ok := m.frame(body, bw, bh); ok {|if page, ok := m.frame(body, bw, bh); ok && false {'
	'cells|internal/cells/cells.go|func Width(s string) int {|func Width(s string) int { return ansi.StringWidth(s) }
func widthFast(s string) int {'
)
# chrome turns off the header's kept drawing too.
header_off='if k != m.chrome.headerOf {|if true {'

want=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { # name [file text replacement]...
	local name=$1 dir=$tmp/src-$1
	shift
	mkdir -p "$dir"
	git archive HEAD | tar -x -C "$dir"
	while [ $# -gt 0 ]; do
		OLD=$2 NEW=$3 perl -0pi -e 'my $n = s/\Q$ENV{OLD}\E/$ENV{NEW}/g; die "not found once\n" unless $n == 1' "$dir/$1"
		shift 3
	done
	(cd "$dir" && go test -c -o "$tmp/$name.test" ./tui/)
	rm -rf "$dir"
	names+=("$name")
}
names=()
build base
for v in "${variants[@]}"; do
	IFS='|' read -r name file old new <<<"$v"
	new=${v#*|*|*|}
	if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $name "* ]]; then
		continue
	fi
	if [ "$name" = chrome ]; then
		build "$name" "$file" "$old" "$new" tui/layout.go "${header_off%%|*}" "${header_off#*|}"
	else
		build "$name" "$file" "$old" "$new"
	fi
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the start"
for _ in $(seq "${ROUNDS:-3}"); do
	for n in "${names[@]}"; do
		(cd tui && "$tmp/$n.test" -test.run='^$' -test.bench='Keystroke|ManagerPicker$' -test.benchmem \
			-test.benchtime="${BENCHTIME:-300x}") | grep '^Benchmark' | sed "s/^/$n /" >>"$tmp/results.txt"
	done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
awk '
{ v = $1; b = $2; sub(/-[0-9]+$/, "", b)
  for (i = 3; i < NF; i++) {
    if ($(i+1) == "p50-ns") p50[b, v] = p50[b, v] " " $i
    if ($(i+1) == "p99-ns") p99[b, v] = p99[b, v] " " $i
    if ($(i+1) == "allocs/op") al[b, v] = al[b, v] " " $i
  }
  if (!(b in seen)) { seen[b] = 1; bs[++nb] = b }
  if (!(v in vseen)) { vseen[v] = 1; vs[++nv] = v }
}
function median(s,   a, n, i, j, t) {
  n = split(s, a, " ")
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
  for (i = 1; i <= nb; i++) {
    print bs[i]
    for (j = 1; j <= nv; j++)
      printf "  %-11s p50 %7.0f µs  p99 %7.0f µs  %6.0f allocs\n", vs[j], median(p50[bs[i], vs[j]]) / 1000, median(p99[bs[i], vs[j]]) / 1000, median(al[bs[i], vs[j]])
  }
}' "$tmp/results.txt"
