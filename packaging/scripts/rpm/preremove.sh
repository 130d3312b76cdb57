#!/bin/sh
# rpm %preun. On an erase (0; not on an upgrade, 1): stop the service,
# gracefully (sessions are told), and take it out of boot, as Fedora's
# %systemd_preun does; without systemd running (a container) `systemctl
# disable` still removes the links, so none is left dangling.
set -e
if [ "$1" -eq 0 ]; then
	if [ -d /run/systemd/system ]; then
		systemctl --no-reload disable --now enerflo-onboard.service >/dev/null 2>&1 || true
	elif command -v systemctl >/dev/null 2>&1; then
		systemctl --no-reload disable enerflo-onboard.service >/dev/null 2>&1 || true
	fi
fi
exit 0
