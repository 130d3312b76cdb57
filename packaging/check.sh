#!/usr/bin/env bash
# Checks the linux/amd64 .deb and .rpm the way Debian and Fedora would:
#   1. lintian and rpmlint: nothing but the accepted noise, each with its
#      reason, in packaging/lintian-overrides and packaging/rpmlint.toml;
#   2. the rpm's payload paths are relative (cpio -id unpacks in place);
#   3. the .deb installed (dpkg, its scripts run) in a throwaway root, a
#      chroot on an overlay of this machine's /, without systemd running:
#      the files, modes and account README.md's "Run it for your support
#      team" promises, the unit through `systemd-analyze verify` and
#      `security` (exposure at most 1.5), then remove and purge (an enabled
#      unit leaves no link behind; the API key and drafts go, the host key
#      and audit log stay);
#   4. the .rpm the same way, in a second throwaway root: its erase.
#
#   packaging/check.sh          build them (scripts/release.sh linux-amd64), check them
#   packaging/check.sh DIR      check the .deb and .rpm already in DIR
#
# Needs root (the chroot) and: apt-get install lintian rpmlint rpm cpio systemd
# .ci/run runs it; so can a developer.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
	dist="$1"
else
	scripts/release.sh linux-amd64 "$work/build" >"$work/build.log" 2>&1 || {
		cat "$work/build.log"
		exit 1
	}
	dist="$work/build/dist"
fi
shopt -s nullglob
debs=("$dist"/enerflo-onboard_*_amd64.deb)
rpms=("$dist"/enerflo-onboard-*.x86_64.rpm)
if [ ${#debs[@]} -ne 1 ] || [ ${#rpms[@]} -ne 1 ]; then
	echo "check.sh: want one amd64 .deb and one x86_64 .rpm in $dist" >&2
	exit 1
fi
deb="${debs[0]}" rpm="${rpms[0]}"
failed=0
fail() {
	echo "FAIL: $*" >&2
	failed=1
}
section() { printf -- '-- %s\n' "$*"; }

section "lintian $(lintian --version | awk '{print $2}') $(basename "$deb")"
# --fail-on warning: errors and warnings fail; the package's own overrides
# (packaging/lintian-overrides, shipped in it) are the accepted noise.
lintian --fail-on error,warning --display-info --tag-display-limit 0 "$deb" || fail "lintian"

section "rpmlint $(rpmlint --version) $(basename "$rpm")"
# Errors and warnings fail; packaging/rpmlint.toml's filters are the accepted noise.
rpmlint_out="$(rpmlint --config packaging/rpmlint.toml "$rpm" 2>&1)" || true
echo "$rpmlint_out"
if ! grep -q ' 0 errors, 0 warnings' <<<"$rpmlint_out"; then
	fail "rpmlint"
fi

section "the rpm's payload paths are relative"
if absolute="$(rpm2cpio "$rpm" | cpio --quiet -it | grep -v '^\./')"; then
	fail "the rpm's payload holds absolute paths: $absolute"
fi

# A root to install into: this machine's / under an overlay whose writes go
# to $work, in a mount namespace of its own (gone with this script), with
# /dev and /proc. No systemd runs there: the scripts' container case.
in_root() { # in_root NAME COMMAND...: COMMAND in throwaway root NAME
	local root="$work/$1"
	shift
	unshare --mount --fork -- sh -c '
		root="$1"; shift
		mount -t overlay overlay -o "lowerdir=/,upperdir=$root.up,workdir=$root.work" "$root" &&
		mount --rbind /dev "$root/dev" && mount -t proc proc "$root/proc" &&
		mount -t tmpfs tmpfs "$root/run" && mount -t tmpfs tmpfs "$root/tmp" &&
		exec chroot "$root" "$@"' sh "$root" "$@"
}
new_root() {
	mkdir -p "$work/$1" "$work/$1.up" "$work/$1.work"
	# the package is not already on this machine (the first install is tested)
	in_root "$1" sh -c '! getent passwd enerflo-onboard >/dev/null && [ ! -e /usr/bin/enerflo-onboard ]' ||
		{ echo "check.sh: enerflo-onboard is installed on this machine; check in a clean one" >&2; exit 1; }
}
# check_installed NAME: what README.md promises after an install.
check_installed() {
	local name="$1"
	in_root "$name" sh -eu -c '
		bad=0
		fail() { echo "FAIL: $*" >&2; bad=1; }
		mode() { # mode PATH WANT: stat -c "%a %U:%G"
			got="$(stat -c "%a %U:%G" "$1" 2>/dev/null || echo missing)"
			[ "$got" = "$2" ] || fail "$1 is $got, want $2"
		}
		mode /usr/bin/enerflo-onboard "755 root:root"
		mode /usr/lib/systemd/system/enerflo-onboard.service "644 root:root"
		mode /usr/lib/sysusers.d/enerflo-onboard.conf "644 root:root"
		mode /usr/lib/tmpfiles.d/enerflo-onboard.conf "644 root:root"
		mode /etc/enerflo-onboard "755 root:root"
		mode /etc/enerflo-onboard/config.toml "644 root:root"
		mode /etc/enerflo-onboard/authorized_keys "644 root:root"
		mode /etc/logrotate.d/enerflo-onboard "644 root:root"
		mode /var/lib/enerflo-onboard "700 enerflo-onboard:enerflo-onboard"
		mode /usr/share/man/man1/enerflo-onboard.1.gz "644 root:root"
		mode /usr/share/bash-completion/completions/enerflo-onboard "644 root:root"
		mode /usr/share/doc/enerflo-onboard/README.md "644 root:root"
		# the account: a system one, no login, its home the state folder
		IFS=: read -r _ _ uid _ _ home shell <<EOF || fail "no user enerflo-onboard"
$(getent passwd enerflo-onboard)
EOF
		[ "${uid:-1000}" -lt 1000 ] || fail "enerflo-onboard is not a system user (uid ${uid:-none})"
		[ "${home:-}" = /var/lib/enerflo-onboard ] || fail "enerflo-onboard home is ${home:-none}"
		[ "${shell:-}" = /usr/sbin/nologin ] || fail "enerflo-onboard shell is ${shell:-none}"
		getent group enerflo-onboard >/dev/null || fail "no group enerflo-onboard"
		# serve as the service user, without StateDirectory=, can write its state
		setpriv --reuid=enerflo-onboard --regid=enerflo-onboard --clear-groups \
			sh -c "echo x >/var/lib/enerflo-onboard/.check && rm /var/lib/enerflo-onboard/.check" ||
			fail "the service user cannot write /var/lib/enerflo-onboard"
		# PIE: the ELF type (at byte 16) is ET_DYN, 3
		[ "$(od -An -tu2 -j16 -N2 /usr/bin/enerflo-onboard | tr -d " ")" = 3 ] || fail "the binary is not PIE"
		/usr/bin/enerflo-onboard --version >/dev/null || fail "enerflo-onboard --version fails"
		# the man page renders, its header within 80 columns
		head="$(MANWIDTH=80 man -P cat enerflo-onboard 2>/dev/null | head -1)"
		case "$head" in "ENERFLO-ONBOARD(1)"*"User Commands"*"ENERFLO-ONBOARD(1)") ;; *) fail "man page header: $head" ;; esac
		[ "${#head}" -le 80 ] || fail "the man page header is ${#head} columns"
		# the unit, as systemd reads it
		systemd-analyze verify /usr/lib/systemd/system/enerflo-onboard.service || fail "systemd-analyze verify"
		systemd-analyze security --offline=true --threshold=15 /usr/lib/systemd/system/enerflo-onboard.service |
			grep "Overall exposure" || fail "systemd-analyze security: exposure above 1.5"
		exit $bad' || fail "$name: the installed files"
}
# use NAME: what a running service leaves, and the unit enabled (without
# systemd running, as in a container).
use() {
	in_root "$1" sh -eu -c '
		echo key >/etc/enerflo-onboard/api-key && chmod 600 /etc/enerflo-onboard/api-key
		mkdir -p /var/lib/enerflo-onboard/drafts && echo {} >/var/lib/enerflo-onboard/drafts/d.json
		echo host >/var/lib/enerflo-onboard/host_ed25519 && echo {} >/var/lib/enerflo-onboard/audit.jsonl
		systemctl enable enerflo-onboard.service 2>/dev/null
		[ -L /etc/systemd/system/multi-user.target.wants/enerflo-onboard.service ]'
}
# gone NAME: after the last removal (deb purge, rpm erase), as README.md's
# uninstall rows say.
gone() {
	in_root "$1" sh -u -c '
		bad=0
		fail() { echo "FAIL: $*" >&2; bad=1; }
		for p in /usr/bin/enerflo-onboard /etc/enerflo-onboard /var/lib/enerflo-onboard/drafts \
			/etc/systemd/system/multi-user.target.wants/enerflo-onboard.service; do
			if [ -e "$p" ] || [ -L "$p" ]; then fail "$p is left"; fi
		done
		for p in /var/lib/enerflo-onboard/host_ed25519 /var/lib/enerflo-onboard/audit.jsonl; do
			[ -e "$p" ] || fail "$p went: it is to stay"
		done
		exit $bad' || fail "$1: after the last removal"
}

section "the .deb installed, removed and purged in a throwaway root"
new_root deb
cp "$deb" "$work/deb.up/"
in_root deb dpkg -i "/$(basename "$deb")" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
check_installed deb
use deb || fail "deb: enabling the unit"
in_root deb dpkg -r enerflo-onboard >>"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -r"; }
# remove keeps the settings and the key
in_root deb sh -c '[ -f /etc/enerflo-onboard/config.toml ] && [ -f /etc/enerflo-onboard/api-key ]' ||
	fail "deb: remove took /etc/enerflo-onboard"
in_root deb dpkg -P enerflo-onboard >>"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -P"; }
gone deb

section "the .rpm installed and erased in a throwaway root"
new_root rpm
cp "$rpm" "$work/rpm.up/"
# --nodeps: this root's packages are dpkg's, unknown to rpm
in_root rpm rpm -i --nodeps "/$(basename "$rpm")" >"$work/rpm.log" 2>&1 || { cat "$work/rpm.log"; fail "rpm -i"; }
check_installed rpm
use rpm || fail "rpm: enabling the unit"
in_root rpm rpm -e enerflo-onboard >>"$work/rpm.log" 2>&1 || { cat "$work/rpm.log"; fail "rpm -e"; }
gone rpm

if [ "$failed" -ne 0 ]; then
	echo "packaging/check.sh: the packages fail the checks above" >&2
	exit 1
fi
echo "packaging/check.sh: $(basename "$deb") and $(basename "$rpm") pass"
