#!/bin/sh
# Before the deb ("install"/"upgrade") or rpm (1, 2) package is unpacked:
# the service's own unprivileged account, so the files the rpm gives it
# (/var/lib/enerflo-onboard) are its from the start. The line below is
# packaging/sysusers.conf's (TestPackagedAccount keeps them equal), fed to
# systemd-sysusers as Fedora's %sysusers_create_compat does: the file
# itself is not on disk yet. Without systemd-sysusers (a container without
# systemd), useradd makes the same account.
set -e
if getent passwd enerflo-onboard >/dev/null 2>&1; then
	exit 0
fi
if command -v systemd-sysusers >/dev/null 2>&1; then
	systemd-sysusers --replace=/usr/lib/sysusers.d/enerflo-onboard.conf - <<'SYSUSERS'
u enerflo-onboard - "enerflo-onboard wizard over SSH" /var/lib/enerflo-onboard /usr/sbin/nologin
SYSUSERS
else
	useradd --system --user-group --no-create-home \
		--home-dir /var/lib/enerflo-onboard --shell /usr/sbin/nologin \
		--comment "enerflo-onboard wizard over SSH" enerflo-onboard
fi
exit 0
