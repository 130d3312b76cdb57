#!/bin/sh
# After the deb ("configure" [old version]) or rpm (1: install, 2: upgrade)
# package is unpacked: the service's own unprivileged account, then systemd
# told of the unit. The service is not started: it needs the API key first.
set -e

if ! getent passwd enerflo-onboard >/dev/null 2>&1; then
	if command -v systemd-sysusers >/dev/null 2>&1; then
		systemd-sysusers /usr/lib/sysusers.d/enerflo-onboard.conf
	else
		useradd --system --user-group --no-create-home \
			--home-dir /var/lib/enerflo-onboard --shell /usr/sbin/nologin \
			--comment "enerflo-onboard wizard over SSH" enerflo-onboard
	fi
fi

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	# An upgrade restarts a running service on the new binary (open
	# sessions are told and creates in flight finish first).
	systemctl try-restart enerflo-onboard.service >/dev/null 2>&1 || true
fi

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
