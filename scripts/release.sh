#!/usr/bin/env bash
# Builds a release of enerflo-onboard into dist/ with GoReleaser: static
# binaries for linux, darwin and windows on amd64 and arm64, their archives
# (tar.gz; zip for windows) with the README, shell completions and man page,
# deb and rpm packages with the systemd unit, and checksums.txt.
#
#   scripts/release.sh            a snapshot (the default): nothing published
#   scripts/release.sh check      only check .goreleaser.yaml
#
# GoReleaser comes from the Go module proxy, built once by the Go toolchain
# (the first run takes a few minutes, later ones reuse the build cache).
# Needs Go and git; nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

GORELEASER_VERSION="v2.15.1"
goreleaser() { go run "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION" "$@"; }

case "${1:-snapshot}" in
check)
	goreleaser check
	exit
	;;
snapshot) ;;
*)
	echo "usage: scripts/release.sh [snapshot|check]" >&2
	exit 2
	;;
esac

# GoReleaser reads the commit only when git has a remote; a clone without
# one (a local mirror) would stamp "none". Give git a placeholder origin
# for this run only (nothing is published, and git's config is untouched).
if [ -z "$(git remote)" ]; then
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url
	export GIT_CONFIG_VALUE_0=https://example.invalid/local/enerflo-onboard.git
fi
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
