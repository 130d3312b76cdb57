#!/bin/sh
# Generates what the release archives and packages hold besides the binary
# (.goreleaser.yaml runs it first):
#   completions/  the shell completions, from the commands themselves
#   manpages/     the man page, likewise, dated SOURCE_DATE_EPOCH
#   notices/      copyright (Debian's machine-readable format, from LICENSE),
#                 changelog.yml (the packages' changelog, nfpm's chglog
#                 format), CHANGELOG (the same for the archives; .gz for
#                 the deb) and
#                 third-party-licenses (every Go module the binaries link,
#                 with its licence text: the binaries are static).
#
#   sh packaging/gen-docs.sh [VERSION]
#
# VERSION defaults to "dev". SOURCE_DATE_EPOCH (reproducible-builds.org)
# defaults to the commit's time, so a rebuild of one commit gives the same
# bytes. MAINTAINER and HOMEPAGE come from .goreleaser.yaml's env.
set -eu
cd "$(dirname "$0")/.."
version="${1:-dev}"
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct)}"
: "${MAINTAINER:?set by .goreleaser.yaml (env)}" "${HOMEPAGE:?set by .goreleaser.yaml (env)}"
export SOURCE_DATE_EPOCH
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -trimpath -ldflags "-X main.version=$version" -o "$work/enerflo-onboard" .
rm -rf completions manpages notices
mkdir -p completions manpages notices
for shell in bash zsh fish powershell; do
	"$work/enerflo-onboard" completion "$shell" >"completions/enerflo-onboard.$shell"
done
mv completions/enerflo-onboard.powershell completions/enerflo-onboard.ps1
"$work/enerflo-onboard" man | gzip -9n >manpages/enerflo-onboard.1.gz

# copyright: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
holder="$(sed -n 's/^Copyright (c) \(.*\)\. All rights reserved\.$/\1/p' LICENSE)"
[ -n "$holder" ] || { echo "gen-docs.sh: LICENSE's first line is not \"Copyright (c) YEAR HOLDER. All rights reserved.\"" >&2; exit 1; }
{
	echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
	echo "Upstream-Name: enerflo-onboard"
	echo "Upstream-Contact: $MAINTAINER"
	echo "Source: $HOMEPAGE"
	echo "Comment: The binary is a static Go program: it contains the Go standard"
	echo " library and the Go modules listed, each with its licence text, in"
	echo " /usr/share/doc/enerflo-onboard/third-party-licenses.gz."
	echo
	echo "Files: *"
	echo "Copyright: $holder"
	echo "License: proprietary"
	sed -e 's/^$/./' -e 's/^/ /' LICENSE
} >notices/copyright

# changelog.yml (nfpm's chglog format): one entry, this version, dated
# SOURCE_DATE_EPOCH; its notes are the commits since the last tag (with
# none, the commit itself). lintian and rpmlint want the entry's version to
# be the package's: nfpm's, VERSION with its pre-release after a "~" (it
# sorts first) and the release .goreleaser.yaml gives nfpm ("-1").
release="$(sed -n 's/^    release: "\([0-9][0-9]*\)"$/\1/p' .goreleaser.yaml)"
[ -n "$release" ] || { echo "gen-docs.sh: no nfpms release: \"N\" in .goreleaser.yaml" >&2; exit 1; }
case "$version" in
*-*) pkgversion="${version%%-*}~${version#*-}-$release" ;;
*) pkgversion="$version-$release" ;;
esac
date="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
since="$(git describe --tags --abbrev=0 HEAD^ 2>/dev/null || true)"
changes() { # changes FORMAT: git log's since the last tag
	if [ -n "$since" ]; then
		git log --no-merges --format="$1" "$since..HEAD"
	else
		git log -1 --format="$1"
	fi
}
{
	echo "- semver: $pkgversion"
	echo "  date: $date"
	echo "  packager: \"$MAINTAINER\""
	echo "  deb:"
	echo "    urgency: medium"
	echo "    distributions: [unstable]"
	echo "  changes:"
	changes '%H %s' | while read -r commit subject; do
		# Debian's changelog lines fit 80 columns (lintian's
		# debian-changelog-line-too-long): a long subject is cut, with "…".
		subject="$(printf '%s\n' "$subject" | perl -CSD -pe 's/^(.{71}).{2,}$/$1\x{2026}/')"
		note="$(printf '%s' "$subject" | sed 's/["\\]/\\&/g')"
		printf '    - commit: %s\n      note: "%s"\n' "$commit" "$note"
	done
} >notices/changelog.yml
# CHANGELOG: the same for the archives and as the deb's upstream changelog.gz
{
	echo "enerflo-onboard $version ($date)"
	echo
	changes '  * %s' | perl -CSD -pe 's/^(.{77}).{2,}$/$1\x{2026}/' # 80 columns, as the Debian one
} >notices/CHANGELOG
gzip -9n <notices/CHANGELOG >notices/CHANGELOG.gz

# third-party-licenses: every module any release target links, and Go's own.
{
	echo "enerflo-onboard's binaries contain the following open-source software."
	mods="$(for goos in linux darwin windows; do
		GOOS=$goos CGO_ENABLED=0 go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' .
	done | sort -u)"
	printf '%s\n' "The Go standard library and runtime $(go env GOVERSION) $(go env GOROOT)" "$mods" |
		while read -r line; do
			dir="${line##* }"
			name="${line% *}"
			licences="$(find "$dir" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' -o -iname 'notice*' \) | sort)"
			if [ -z "$licences" ]; then
				echo "gen-docs.sh: no licence file in $dir ($name)" >&2
				exit 1
			fi
			printf '\n%s\n%s\n' "================================================================" "$name"
			for f in $licences; do
				printf '%s\n' "----------------------------------------------------------------"
				cat "$f"
			done
		done
} >notices/third-party-licenses
gzip -9n <notices/third-party-licenses >notices/third-party-licenses.gz
