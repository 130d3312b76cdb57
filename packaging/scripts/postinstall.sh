#!/bin/sh
# After the deb ("configure" [old version]) or rpm (1: install, 2: upgrade)
# package is unpacked: the service's state folder (its account is
# preinstall's), then systemd told of the unit. The service is neither
# enabled nor started: it needs the API key first.
set -e

# /var/lib/enerflo-onboard, 0700, the service's: made here, not only by
# the unit's StateDirectory=, so it exists where systemd is not running.
if command -v systemd-tmpfiles >/dev/null 2>&1; then
	systemd-tmpfiles --create /usr/lib/tmpfiles.d/enerflo-onboard.conf
else
	install -d -m 0700 -o enerflo-onboard -g enerflo-onboard /var/lib/enerflo-onboard
fi

case "$1" in
configure)
	# deb: record the links `systemctl enable` would make, so that a purge
	# removes them even when systemd is not running (dh_installsystemd's way).
	if command -v deb-systemd-helper >/dev/null 2>&1; then
		deb-systemd-helper update-state enerflo-onboard.service >/dev/null || true
	fi
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		# An upgrade restarts a running service on the new binary (open
		# sessions are told and creates in flight finish first).
		if [ -n "$2" ]; then
			deb-systemd-invoke try-restart enerflo-onboard.service >/dev/null || true
		fi
	fi
	;;
[0-9]*)
	# rpm: an upgrade's restart is the old package's postremove's, run
	# once the new files are in (Fedora's %systemd_postun_with_restart).
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload >/dev/null 2>&1 || true
	fi
	;;
esac

if [ ! -e /etc/enerflo-onboard/api-key ]; then
	cat <<'MSG'
enerflo-onboard is installed. To serve the wizard to your support team:
  1. the org's API key:   sudo install -m 600 /dev/stdin /etc/enerflo-onboard/api-key   (paste it, then Ctrl-D)
  2. who may log in:      sudo editor /etc/enerflo-onboard/authorized_keys
  3. where to listen:     sudo editor /etc/enerflo-onboard/config.toml   ([serve] listen, public)
  4. start it:            sudo systemctl enable --now enerflo-onboard
MSG
fi
exit 0
