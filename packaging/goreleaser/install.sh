#!/bin/sh
# Builds the GoReleaser that releases enerflo-onboard into $(go env
# GOPATH)/bin, unless the one there is it already (scripts/release.sh and
# .ci/run call this). Which one: go.mod beside this script, GoReleaser
# v2.17.0 (the newest that builds with Go 1.26) with nfpm raised to v2.48.0,
# the first nfpm whose rpm payload holds relative paths (./etc/…), so
# `rpm2cpio | cpio -id` unpacks where it is run, not into /. A GoReleaser
# release that brings nfpm >= v2.48.0 makes the raise unneeded.
#
#   sh packaging/goreleaser/install.sh           build it if needed
#   sh packaging/goreleaser/install.sh --label   print its version label
#
# The first build takes a few minutes of CPU; later ones reuse Go's cache.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
dep() { awk -v m="$1" '$1 == m { print $2 }' "$here/go.mod"; }
label="$(dep github.com/goreleaser/goreleaser/v2)+nfpm.$(dep github.com/goreleaser/nfpm/v2)"
if [ "${1:-}" = --label ]; then
	echo "$label"
	exit 0
fi
bin="$(go env GOPATH)/bin/goreleaser"
if [ "$("$bin" --version 2>/dev/null | awk '$1 == "GitVersion:" { print $2 }')" = "$label" ]; then
	exit 0
fi
mkdir -p "$(dirname "$bin")"
go build -C "$here" -ldflags "-X main.version=$label" -o "$bin" github.com/goreleaser/goreleaser/v2
