#!/bin/sh
# Before the package is removed (deb "remove", rpm 0), not upgraded: stop
# the service (gracefully: sessions are told) and take it out of boot.
set -e
case "$1" in
remove | 0)
	if [ -d /run/systemd/system ]; then
		systemctl disable --now enerflo-onboard.service >/dev/null 2>&1 || true
	fi
	;;
esac
exit 0
