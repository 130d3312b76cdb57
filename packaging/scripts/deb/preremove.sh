#!/bin/sh
# deb prerm. On "remove" (not on an upgrade): stop the service, gracefully
# (sessions are told), and take it out of boot. deb-systemd-helper removes
# the links `systemctl enable` made without systemd running too (a
# container, a chroot), so none is left dangling once the unit is gone.
set -e
case "$1" in
remove)
	if [ -d /run/systemd/system ]; then
		deb-systemd-invoke stop enerflo-onboard.service >/dev/null || true
	fi
	if command -v deb-systemd-helper >/dev/null 2>&1; then
		deb-systemd-helper disable enerflo-onboard.service >/dev/null || true
	fi
	;;
esac
exit 0
