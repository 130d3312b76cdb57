#!/usr/bin/env bash
# Builds a release of enerflo-onboard into dist/ with GoReleaser: static
# binaries for linux, darwin and windows on amd64 and arm64, their archives
# (tar.gz; zip for windows) with the README, shell completions and man page,
# deb and rpm packages with the systemd unit, and checksums.txt.
#
#   scripts/release.sh            a snapshot (the default): nothing published
#   scripts/release.sh check      only check .goreleaser.yaml
#   scripts/release.sh linux-amd64 DIR
#                                 a snapshot of linux/amd64 alone (its
#                                 archive, .deb and .rpm) into DIR, from
#                                 the same configuration: what
#                                 packaging/check.sh checks, in a minute
#
# GoReleaser comes from the Go module proxy, built once by the Go toolchain
# with the nfpm packaging/goreleaser/go.mod names (the first run takes a few
# minutes, later ones reuse the build cache). Needs Go and git.
set -euo pipefail
cd "$(dirname "$0")/.."

sh packaging/goreleaser/install.sh
goreleaser() { "$(go env GOPATH)/bin/goreleaser" "$@"; }

# GoReleaser reads the commit only when git has a remote; a clone without
# one (a local mirror) would stamp "none". Give git a placeholder origin
# for this run only (nothing is published, and git's config is untouched).
if [ -z "$(git remote)" ]; then
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url
	export GIT_CONFIG_VALUE_0=https://example.invalid/local/enerflo-onboard.git
fi

case "${1:-snapshot}" in
check)
	goreleaser check
	exit
	;;
linux-amd64)
	dist="${2:?usage: scripts/release.sh linux-amd64 DIR}"
	mkdir -p "$dist"
	dist="$(cd "$dist" && pwd)"
	# .goreleaser.yaml with one target and dist/ elsewhere; the rest as is.
	config="$dist/.goreleaser.linux-amd64.yaml"
	sed -e 's/^    goos: \[.*\]$/    goos: [linux]/' -e 's/^    goarch: \[.*\]$/    goarch: [amd64]/' .goreleaser.yaml >"$config"
	printf 'dist: %s/dist\n' "$dist" >>"$config"
	grep -q '^    goos: \[linux\]$' "$config" && grep -q '^    goarch: \[amd64\]$' "$config" || {
		echo "release.sh: .goreleaser.yaml's goos/goarch lines have changed; update linux-amd64" >&2
		exit 1
	}
	goreleaser release --snapshot --clean --config "$config"
	exit
	;;
snapshot) ;;
*)
	echo "usage: scripts/release.sh [snapshot|check|linux-amd64 DIR]" >&2
	exit 2
	;;
esac

goreleaser release --snapshot --clean

# What a release must hold; fail loudly if GoReleaser's layout changes.
cd dist
shopt -s nullglob
want=(
	enerflo-onboard_*_linux_amd64.tar.gz enerflo-onboard_*_linux_arm64.tar.gz
	enerflo-onboard_*_darwin_amd64.tar.gz enerflo-onboard_*_darwin_arm64.tar.gz
	enerflo-onboard_*_windows_amd64.zip enerflo-onboard_*_windows_arm64.zip
	enerflo-onboard_*_amd64.deb enerflo-onboard_*_arm64.deb
	enerflo-onboard-*.x86_64.rpm enerflo-onboard-*.aarch64.rpm
	checksums.txt
)
missing=0
for pattern in "${want[@]}"; do
	files=($pattern)
	if [ ${#files[@]} -eq 0 ]; then
		echo "missing from dist/: $pattern" >&2
		missing=1
	fi
done
[ "$missing" -eq 0 ]
sha256sum --check --quiet checksums.txt
echo "dist/ holds:"
ls -1 *.tar.gz *.zip *.deb *.rpm checksums.txt
